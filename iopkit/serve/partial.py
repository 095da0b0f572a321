"""The rules on a spec that is still being filled in, for the web editor only.

`iopkit check` runs its rules only on a spec that validates: until the last required
field of a new partnership is filled in, it reports errors and nothing else. In the
guide that means "0 varningar" for half an hour, and then a heap of warnings at the end.
Here the page gets the rules' findings as soon as the fields they look at are there:

- the spec is built without validating the whole (`model_construct`), each field
  validated on its own; a field that is missing gets its default as in the model (or
  none, when it is required), one that is written but does not validate gets nothing,
  so a rule that reads it raises AttributeError instead of judging a guess;
- each rule runs on its own; a rule that raises is skipped (it concerns a field that is
  not there yet), and so is a rule that yields some findings and then raises;
- no finding is kept at a key path where an error stands (the error says it first).

No stand-in value is ever invented, so a finding here is one the rule would also give
once the rest is filled in, unless the rest changes it. The CLI never uses this: what
`iopkit check` prints is unchanged.
"""

from __future__ import annotations

import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..spec.findings import CheckResult, Finding, Severity, sort_findings
from ..spec.loader import SpecDocument

#: A value the model could not read: its key is left out of the object built.
_MISSING = object()
#: Deeper than any spec nests: a hostile file's nesting stops here.
_DEPTH = 40


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model, is_list) when `annotation` is a model, an optional model or a list of
    models; (None, False) otherwise."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is list and len(args) == 1:
        model, _ = _model_of(args[0])
        return model, model is not None
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _model_of(args[0])
    return None, False


@lru_cache(maxsize=None)
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = typing.Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _build(model: type[BaseModel], data: Any, depth: int = 0) -> Any:
    """An instance of `model` with every field of `data` that validates on its own."""
    if not isinstance(data, dict) or depth > _DEPTH:
        return _MISSING
    values: dict[str, Any] = {}
    unread: list[str] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        value = _field(model, name, data[key], depth)
        if value is _MISSING:
            unread.append(name)
        else:
            values[name] = value
    built = model.model_construct(**values)
    for name in unread:
        # Written but not readable: not the default either (an amount the user wrote
        # as "400.000" is not "no amount"); a rule that reads it raises and waits.
        built.__dict__.pop(name, None)
    return built


def _field(model: type[BaseModel], name: str, raw: Any, depth: int) -> Any:
    try:
        return _adapter(model, name).validate_python(raw)
    except (ValidationError, ValueError, TypeError):
        pass
    inner, many = _model_of(model.model_fields[name].annotation)
    if inner is None:
        return _MISSING
    if many:
        if not isinstance(raw, list):
            return _MISSING
        items = [_build(inner, item, depth + 1) for item in raw]
        # A list with an item that is not an object at all is left out: positions in
        # the list would not match the file's.
        return _MISSING if any(item is _MISSING for item in items) else items
    return _build(inner, raw, depth + 1)


def partial_rule_findings(document: SpecDocument, errors: list[Finding],
                          settings: Any = None) -> list[Finding]:
    """The findings of the rules that can judge the filled-in part of `document`, which
    did not validate (`errors` are its model and structure errors)."""
    from ..rules import load_rules
    from ..rules.registry import SPEC_STAGE, RuleContext, iter_stage
    from ..rules.settings import DEFAULT_SETTINGS
    from ..spec.model import Spec

    spec = _build(Spec, document.data)
    if spec is _MISSING:
        return []
    load_rules()
    ctx = RuleContext(spec=spec, document=document, settings=settings or DEFAULT_SETTINGS)
    findings: list[Finding] = []
    for rule in iter_stage(SPEC_STAGE):
        try:
            found = rule.run(ctx)
        except Exception:  # noqa: BLE001  (a field the rule reads is not there yet)
            continue
        findings.extend(found)
    _silence(ctx.spec, findings)
    blocked = {f.path for f in errors if f.severity is Severity.ERROR}
    known = {(f.code, f.path, f.message) for f in errors}
    out = []
    for finding in findings:
        if finding.path in blocked or (finding.code, finding.path, finding.message) in known:
            continue
        finding.file = finding.file or document.file
        if finding.line is None:
            position = document.position(finding.path)
            finding.line, finding.column = position.line, position.column
        out.append(finding)
    return out


def _silence(spec: Any, findings: list[Finding]) -> None:
    """The spec's `iopkit_undantag` silence their findings, as in `iopkit check`. The
    findings about the exemptions themselves ("not used") are left out: most rules have
    not run yet, so an exemption that matched nothing may well match later."""
    from ..rules.exemptions import _exemptable_codes

    known = set(_exemptable_codes())
    for exemption in getattr(spec, "exemptions", None) or []:
        code = str(getattr(exemption, "rule", "")).strip().upper()
        reason = getattr(exemption, "reason", None)
        if code not in known or reason is None:
            continue
        for finding in findings:
            if finding.code == code and not finding.silenced:
                finding.silenced = True
                finding.silence_reason = reason


def with_partial_rules(result: CheckResult) -> CheckResult:
    """`result` of a spec with errors (one that could be read), with the findings of the
    rules that can judge the filled-in part added; any other result as it is."""
    if result.spec is None and result.document is not None:
        extra = partial_rule_findings(result.document, result.findings)
        result.findings = sort_findings([*result.findings, *extra])
    return result
