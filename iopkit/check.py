"""Check a spec: load it, validate the model and structure, then run the IOP rules.

This is the library entry point behind `iopkit check` and every command that needs a
valid spec (render, new, diff …).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .spec.findings import CheckResult, Finding, sort_findings
from .spec.loader import SpecDocument, SpecLoadError, load_spec_file, parse_spec_text
from .spec.validation import validate_document


def check_file(path: Path | str, settings: Any = None) -> CheckResult:
    """Check one file. Raises loader.SpecIOError when the file cannot be read at all."""
    try:
        document = load_spec_file(path)
    except SpecLoadError as exc:
        return CheckResult(file=str(path), findings=[exc.finding])
    return check_document(document, settings)


def check_any_file(path: Path | str, settings: Any = None,
                   today: Any = None) -> CheckResult:
    """Check a partnership spec or a follow-up file (one with `iopkit_utfall`), whichever
    `path` is. `today` decides which follow-up years have passed. Raises SpecIOError
    when the file cannot be read at all."""
    from .outcomes.check import check_outcomes_document, is_outcomes_document

    try:
        document = load_spec_file(path)
    except SpecLoadError as exc:
        return CheckResult(file=str(path), findings=[exc.finding])
    if is_outcomes_document(document):
        return check_outcomes_document(document, today, settings)
    return check_document(document, settings)


def check_text(text: str, file: str = "<text>", settings: Any = None) -> CheckResult:
    try:
        document = parse_spec_text(text, file)
    except SpecLoadError as exc:
        return CheckResult(file=file, findings=[exc.finding])
    return check_document(document, settings)


def check_document(document: SpecDocument, settings: Any = None) -> CheckResult:
    spec, findings = validate_document(document)
    if spec is not None:
        from .rules import run_rules

        findings.extend(run_rules(spec, document, settings))
    for finding in findings:
        _locate(finding, document)
    return CheckResult(file=document.file, findings=sort_findings(findings), spec=spec,
                       document=document)


def _locate(finding: Finding, document: SpecDocument) -> None:
    finding.file = finding.file or document.file
    if finding.line is None:
        pos = document.position(finding.path)
        finding.line, finding.column = pos.line, pos.column
