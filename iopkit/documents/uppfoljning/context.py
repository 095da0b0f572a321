"""The follow-up report template: what the partnership group fills in at each review.

For each goal its indicators and target values with empty columns for the outcome and a
comment, the activities, the resources with a column for what was actually used, and the
questions the group answers. The Markdown comes from the Jinja templates in
`iopkit/documents/uppfoljning/templates/`, rendered with the same sandboxed environment,
context and escaping as the agreement draft (`iopkit.render`), so a user overrides them
the same way: `--mallar KATALOG` with `KATALOG/uppfoljning/02-mal.md.j2`.

Besides the agreement's context (`iopkit.documents.base.build_context`) the templates see
`uppföljningsmöten` (the follow-up dates of the agreement, each with `nr` and `datum`)
`årsrapporter` (the annual report deadlines, each with `datum` and `avser`),
`årsrapport_antagen` (the agreement names no day: the dates are assumed anniversaries) and
`redovisningar` (the ekonomisk redovisning's deadlines, likewise; iopkit.schedule), and
`rapporter` (both, by date, each also with `slag`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...render.pipeline import (
    SUFFIXES,
    RenderOptions,
    SpecHasErrors,
    check_and_write,
    spec_context,
    spec_stem,
)
from ...spec.findings import CheckResult

FOLDER = "uppfoljning"  # the document kind (documents.kinds) and its template folder


def output_paths(spec_path: Path | str, out_dir: Path | None,
                 formats: Sequence[str]) -> list[Path]:
    """`<spec>-uppfoljning.docx` (and .md …) next to the spec or in `out_dir`."""
    directory = out_dir if out_dir is not None else Path(spec_path).parent
    stem = spec_stem(spec_path)
    return [directory / f"{stem}-{FOLDER}{SUFFIXES[fmt]}" for fmt in formats]


def followup_context(result: CheckResult, options: RenderOptions) -> dict[str, Any]:
    """The agreement's template context plus the follow-up schedule."""
    from ...schedule import accounts_reports, annual_reports, recurring_dates

    spec = result.spec
    assert spec is not None
    context = spec_context(result, options)
    first = spec.follow_up.first_date or spec.period.start
    dates = recurring_dates(first, spec.follow_up.interval, spec.period.end)
    context["uppföljningsmöten"] = [{"nr": n, "datum": d} for n, d in enumerate(dates, 1)]
    reports = annual_reports(spec)
    context["årsrapporter"] = [{"datum": r.date, "avser": r.label} for r in reports]
    context["årsrapport_antagen"] = any(not r.stated for r in reports)
    accounts = accounts_reports(spec)
    context["redovisningar"] = [{"datum": r.date, "avser": r.label} for r in accounts]
    # Both reports in one table, by date (the redovisning first on the same day: the
    # annual report builds on it).
    context["rapporter"] = [
        {"slag": "Ekonomisk redovisning" if r in accounts else "Årsrapport",
         "datum": r.date, "avser": r.label}
        for r in sorted(accounts + reports, key=lambda r: (r.date, r not in accounts))]
    return context


def render_followup_markdown(result: CheckResult, options: RenderOptions | None = None) -> str:
    """The report as Markdown. Raises SpecHasErrors, and render.templates.TemplateProblem
    when a template fails."""
    from ...render.pipeline import render_document

    options = options or RenderOptions()
    if result.spec is None or not result.ok:
        raise SpecHasErrors(result)
    return render_document(FOLDER, followup_context(result, options), result.spec,
                           options).markdown


def build_followup_outputs(result: CheckResult, out_dir: Path | None,
                           formats: Sequence[str],
                           options: RenderOptions) -> list[tuple[Path, bytes]]:
    """Every requested format in memory, in the order of `output_paths`."""
    from ...render.pipeline import document_outputs, finish_pdfs, render_document

    if result.spec is None or not result.ok:
        raise SpecHasErrors(result)
    document = render_document(FOLDER, followup_context(result, options), result.spec,
                               options)
    return finish_pdfs(document_outputs(document, output_paths(result.file, out_dir, formats),
                                        formats, options))


def write_followup(spec_path: Path | str, out_dir: Path | None = None,
                   formats: Sequence[str] = ("docx",),
                   options: RenderOptions | None = None) -> list[Path]:
    """Check `spec_path` and write its follow-up report template; returns the paths.
    Raises as render.pipeline.check_and_write."""
    return check_and_write(spec_path, out_dir, formats, options, output_paths,
                           build_followup_outputs)
