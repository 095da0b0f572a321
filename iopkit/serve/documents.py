"""Every document the page offers, made exactly as the commands make them, with the
names the commands give them: the agreement, checklist and tjänsteskrivelse
(`iopkit render --dokument`), the follow-up template (`iopkit uppfoljning`), the
calendar (`iopkit kalender`) and, when a follow-up file beside the spec follows it up,
the annual report (`iopkit rapport`).

The functions here run in the editor's worker process (see worker.py) and return plain
values: ("ok", name, bytes), ("errors", [finding json]) or ("problem", message).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..files import UsageProblem

#: The documents of the page, in the order of the work: (name, what the user sees,
#: formats). The names are the CLI's document kinds (file-name suffixes).
SPEC_DOCUMENTS = (
    ("avtal", "Avtal", ("docx", "pdf", "html", "md")),
    ("checklista", "Checklista", ("docx", "pdf", "html", "md")),
    ("tjansteskrivelse", "Tjänsteskrivelse", ("docx", "pdf", "html", "md")),
    ("uppfoljning", "Uppföljningsmall", ("docx", "pdf", "html", "md")),
    ("kalender", "Kalender", ("ics",)),
)
REPORT = ("arsrapport", "Årsrapport", ("docx", "pdf", "html", "md"))
#: A follow-up file is looked for among at most this many YAML files, each at most
#: this big (a follow-up file is a few kilobytes): the search stays bounded.
MAX_CANDIDATES = 200
MAX_CANDIDATE_BYTES = 512 * 1024
MARKER_WITHIN_BYTES = 16 * 1024


def formats_of(name: str) -> tuple[str, ...]:
    for entry in (*SPEC_DOCUMENTS, REPORT):
        if entry[0] == name:
            return entry[2]
    return ()


def catalogue(outcomes_file: Path | None) -> list[dict[str, Any]]:
    """What the page lists: every document with its formats."""
    entries = [*SPEC_DOCUMENTS, *([REPORT] if outcomes_file is not None else [])]
    return [{"namn": name, "rubrik": title, "format": list(formats)}
            for name, title, formats in entries]


def spec_document_task(data: bytes, file: str, name: str, fmt: str) -> tuple[Any, ...]:
    """One document made from the page's spec (the bytes it would save)."""
    from ..render.pipeline import SpecHasErrors
    from ..render.templates import TemplateProblem

    try:
        return ("ok", *_spec_document(data, file, name, fmt))
    except SpecHasErrors as exc:
        return "errors", [f.to_json() for f in exc.result.errors]
    except (TemplateProblem, UsageProblem) as exc:
        return "problem", str(exc)


def _spec_document(data: bytes, file: str, name: str, fmt: str) -> tuple[str, bytes]:
    from ..dates import default_date
    from ..documents.kinds import kind
    from ..render.pipeline import (
        RenderOptions,
        SpecHasErrors,
        build_spec_outputs,
        finish_pdfs,
        spec_stem,
    )
    from .api import _PIPELINE, check_bytes

    with _PIPELINE:
        result = check_bytes(data, file)
        stem = spec_stem(file)
        if name == "kalender":
            from ..calendar import plan_events, to_ics

            if not result.ok or result.spec is None:
                raise SpecHasErrors(result)
            return (f"{stem}-kalender.ics",
                    to_ics(result.spec, plan_events(result.spec), default_date()))
        options = RenderOptions(documents=(name,))
        if name == "uppfoljning":
            from ..documents.uppfoljning.context import build_followup_outputs

            outputs = build_followup_outputs(result, None, (fmt,), options)
        else:
            if result.spec is None or not (result.ok or kind(name).with_errors):
                raise SpecHasErrors(result)
            outputs = finish_pdfs(build_spec_outputs(result, None, (fmt,), options))
    path, content = outputs[0]
    return path.name, content


def report_task(outcomes_file: str, fmt: str) -> tuple[Any, ...]:
    """The annual report of the latest year, from the follow-up file and the spec as
    they are on disk (the report follows up the saved agreement)."""
    from ..outcomes.check import check_outcomes_file
    from ..documents.arsrapport.context import build_report_outputs, report_year
    from ..dates import default_date
    from ..render.pipeline import RenderOptions
    from ..render.templates import TemplateProblem
    from .api import _PIPELINE

    try:
        with _PIPELINE:
            result = check_outcomes_file(outcomes_file, default_date())
            if result.errors or result.outcomes is None:
                return "errors", [f.to_json() for f in result.errors]
            year = report_year(result, None)
            outputs = build_report_outputs(result, year, None, (fmt,), RenderOptions())
    except (TemplateProblem, UsageProblem) as exc:
        return "problem", str(exc)
    except Exception as exc:  # a follow-up file is user input: say so, no traceback
        from ..errors import UserInputError

        if isinstance(exc, UserInputError):
            return "problem", str(exc)
        raise
    path, content = outputs[0]
    return "ok", path.name, content


def find_outcomes_file(spec_path: Path | None) -> Path | None:
    """A follow-up file (iopkit_utfall) whose `avtal` is `spec_path`: in the spec's
    folder or one folder below it, where `iopkit rapport` lets one point to it."""
    if spec_path is None:
        return None
    from ..outcomes.check import agreement_path
    from ..spec.loader import SpecIOError, SpecLoadError, load_spec_file

    try:
        target = spec_path.resolve()
        folder = target.parent
        candidates = sorted(folder.glob("*.y*ml")) + sorted(folder.glob("*/*.y*ml"))
    except OSError:
        return None
    for path in candidates[:MAX_CANDIDATES]:
        try:
            if path.resolve() == target or not path.is_file() or \
                    path.stat().st_size > MAX_CANDIDATE_BYTES:
                continue
            with path.open("rb") as handle:  # the marker is near the top
                if b"iopkit_utfall" not in handle.read(MARKER_WITHIN_BYTES):
                    continue
            document = load_spec_file(path)
        except (OSError, SpecIOError, SpecLoadError):
            continue
        data = document.data
        if isinstance(data, dict) and isinstance(data.get("avtal"), str) and \
                agreement_path(path, data["avtal"]) == target:
            return path
    return None
