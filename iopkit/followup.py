"""The follow-up report template: what the partnership group fills in at each review.

For each goal its indicators and target values with empty columns for the outcome and a
comment, the activities, the resources with a column for what was actually used, and the
questions the group answers. The Markdown comes from the Jinja templates in
`iopkit/templates/uppfoljning/`, rendered with the same sandboxed environment, context and
escaping as the agreement draft (`iopkit.render`), so a user overrides them the same way:
`--mallar KATALOG` with `KATALOG/uppfoljning/02-mal.md.j2`.

Besides the agreement's context (`iopkit.render.context.build_context`) the templates see
`uppföljningsmöten` (the follow-up dates of the agreement, each with `nr` and `datum`)
and `årsrapporter` (the annual report deadlines, each with `datum` and `avser`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .render.pipeline import (
    SUFFIXES,
    RenderOptions,
    SpecHasErrors,
    check_and_write,
    document_author,
    draft_date,
    spec_stem,
)
from .spec.findings import CheckResult

FOLDER = "uppfoljning"
SUBJECT = "Uppföljning av idéburet offentligt partnerskap (IOP)"
MARKER = "UPPFÖLJNING"


def output_paths(spec_path: Path | str, out_dir: Path | None,
                 formats: Sequence[str]) -> list[Path]:
    """`<spec>-uppfoljning.docx` (and .md …) next to the spec or in `out_dir`."""
    directory = out_dir if out_dir is not None else Path(spec_path).parent
    stem = spec_stem(spec_path)
    return [directory / f"{stem}-{FOLDER}{SUFFIXES[fmt]}" for fmt in formats]


def followup_context(result: CheckResult, options: RenderOptions) -> dict[str, Any]:
    """The agreement's template context plus the follow-up schedule."""
    from .calendar import annual_report_dates, recurring_dates, stated_day
    from .render.context import build_context

    spec = result.spec
    assert spec is not None
    context = build_context(spec, result, draft_date=draft_date(options),
                            spec_file=Path(result.file).name)
    first = spec.follow_up.first_date or spec.period.start
    dates = recurring_dates(first, spec.follow_up.interval, spec.period.end)
    context["uppföljningsmöten"] = [{"nr": n, "datum": d} for n, d in enumerate(dates, 1)]
    calendar_years = stated_day(spec.follow_up.annual_report) is not None
    context["årsrapporter"] = [
        {"datum": d, "avser": f"{ordinal}" if calendar_years else f"avtalsår {ordinal}"}
        for ordinal, d in annual_report_dates(spec)]
    return context


def render_followup_markdown(result: CheckResult, options: RenderOptions | None = None) -> str:
    """The report as Markdown. Raises SpecHasErrors, and render.templates.TemplateProblem
    when a template fails."""
    from .render.templates import make_environment, render_folder

    options = options or RenderOptions()
    if result.spec is None or not result.ok:
        raise SpecHasErrors(result)
    env = make_environment(options.templates_dir)
    return render_folder(env, FOLDER, followup_context(result, options))


def build_followup_outputs(result: CheckResult, out_dir: Path | None,
                           formats: Sequence[str],
                           options: RenderOptions) -> list[tuple[Path, bytes]]:
    """Every requested format in memory, in the order of `output_paths`."""
    markdown = render_followup_markdown(result, options)
    assert result.spec is not None
    name = " ".join(result.spec.partnership.name.split())
    title = f"{name} – Uppföljning"
    outputs: list[tuple[Path, bytes]] = []
    docx_bytes: bytes | None = None
    for path, fmt in zip(output_paths(result.file, out_dir, formats), formats):
        if fmt == "md":
            outputs.append((path, markdown.encode("utf-8")))
        elif fmt == "html":
            from .render.html import markdown_to_html

            outputs.append((path, markdown_to_html(markdown, title=title).encode("utf-8")))
        else:
            if docx_bytes is None:
                from .render.docx import markdown_to_docx

                docx_bytes = markdown_to_docx(
                    markdown, title=title, header_text=f"{name}\t{MARKER}", subject=SUBJECT,
                    reference_docx=options.reference_docx, date=draft_date(options),
                    author=document_author(result.spec))
            if fmt == "docx":
                outputs.append((path, docx_bytes))
            else:
                from .render.pdf import docx_to_pdf

                (pdf,) = docx_to_pdf([(f"{path.stem}.docx", docx_bytes)])
                outputs.append((path, pdf))
    return outputs


def write_followup(spec_path: Path | str, out_dir: Path | None = None,
                   formats: Sequence[str] = ("docx",),
                   options: RenderOptions | None = None) -> list[Path]:
    """Check `spec_path` and write its follow-up report template; returns the paths.
    Raises as render.pipeline.check_and_write."""
    return check_and_write(spec_path, out_dir, formats, options, output_paths,
                           build_followup_outputs)
