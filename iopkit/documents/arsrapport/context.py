"""The annual report (`iopkit rapport`): the year's outcomes against the targets, the
money reconciled per recipient, and what is late, from a checked follow-up file and the
spec it follows up (IOP.md, "After signing"; UTFALL.md, "What iopkit derives").

The templates (`iopkit/documents/arsrapport/templates/`) see the spec's context (as the
agreement's templates do) plus `rapport`:
- `år`, `år_lista` (every period year up to `år`), `avtalsår` and `avtalsår_antal`;
- `mål`: each goal with `indikatorer` (per year: värde, kommentar, uppnått, förändring;
  the target as written and whether it can be judged; the baseline) and the group's
  `bedömning` for the year;
- `deltagare` and `ideellt_arbete` per year; `medel` per recipient and year (beviljat,
  villkorat, mottaget, använt, ingående, outnyttjat, överförs, återbetalas, överskridet,
  avviker) and `att_betala_tillbaka`; `sena` reports, `saknade_år`, `saknade_värden`;
- `lärdomar`, `förslag` of the year; `underskrifter`: the parties of the partnership
  group;
- per indicator `diagram`: the reference to its chart (a bar per year with a value, the
  target and the baseline as lines), or none when it has no value to draw; the writers
  draw it (render/chart_refs.py) and `diagram` lists the charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import UserInputError
from ...files import UsageProblem
from ...writers.chart_refs import chart_reference
from ...render.pipeline import RenderOptions, spec_context, spec_stem, SUFFIXES
from ...writers.pdf.typst_chart import Series
from ...outcomes.check import OutcomesResult
from ...outcomes.figures import (
    IndicatorSeries,
    indicator_series,
    late_reports,
    missing_years,
    reconcile,
)

FOLDER = "arsrapport"  # the document kind (documents.kinds) and its template folder


class OutcomesHaveErrors(UserInputError):
    """The follow-up file (or its spec) has errors; no report is written (exit 1)."""

    def __init__(self, result: OutcomesResult):
        super().__init__(f"{result.file} har fel och ingen årsrapport skapas.")
        self.result = result


def report_year(result: OutcomesResult, year: int | None) -> int:
    """`--år`, else the latest year in the file. Raises UserInputError for a year the
    file has no entry for."""
    assert result.outcomes is not None
    have: list[int] = sorted(entry.year for entry in result.outcomes.years)
    if year is None:
        return int(have[-1])
    if year not in have:
        raise UserInputError(
            f"{result.file} har inget avsnitt för {year}. Välj ett av åren "
            f"{', '.join(str(y) for y in have)} med --år, eller lägg till året i filen.")
    return year


def output_paths(result: OutcomesResult, year: int, out_dir: Path | None,
                 formats: Sequence[str]) -> list[Path]:
    """`<spec>-arsrapport-<år>.docx` … in `out_dir`, else next to the follow-up file."""
    assert result.spec_result is not None
    directory = out_dir if out_dir is not None else Path(result.file).parent
    stem = spec_stem(result.spec_result.file)
    return [directory / f"{stem}-{FOLDER}-{year}{SUFFIXES[fmt]}" for fmt in formats]


def report_context(result: OutcomesResult, year: int, options: RenderOptions
                   ) -> dict[str, Any]:
    outcomes, spec_result = result.outcomes, result.spec_result
    assert outcomes is not None and spec_result is not None and spec_result.spec is not None
    spec = spec_result.spec
    context = spec_context(spec_result, options)
    years = list(range(spec.period.start.year, year + 1))
    series = indicator_series(outcomes, spec, years)
    entry = outcomes.year(year)
    assert entry is not None
    goals = []
    charts: list[Series] = []
    for goal in spec.goals:
        indicators = [s for s in series if s.goal_id == goal.id]
        goals.append({
            "id": goal.id, "beskrivning": goal.description,
            "indikatorer": [_indicator(s, charts) for s in indicators],
            "bedömning": entry.assessment.get(goal.id),
        })
    parties = {p.id: p.name for p in spec.parties}
    hours_parties = list(dict.fromkeys(pid for e in outcomes.years if e.year in years
                                       for pid in e.volunteer_hours))
    volunteer = [{"part": parties[pid], "per_år": {
        y: (e.volunteer_hours.get(pid) if (e := outcomes.year(y)) else None) for y in years}}
        for pid in hours_parties]
    money = []
    for item in reconcile(outcomes, spec, years):
        rows = [{"år": r.year, "beviljat": r.granted, "villkorat": r.conditional,
                 "mottaget": r.received, "använt": r.used, "ingående": r.carried_in,
                 "outnyttjat": r.unused, "överförs": r.carried_out,
                 "återbetalas": r.to_repay, "överskridet": r.overspent,
                 "avviker": r.received_differs} for r in item.years]
        money.append({"mottagare": item.recipient.name,
                      "givare": [g.name for g in item.givers],
                      "rader": rows, "att_betala_tillbaka": item.to_repay})
    missing_values = [{"indikator": s.description, "mål": s.goal_id, "år": y}
                      for s in series for y in s.missing_years]
    group = [spec.party(pid) for pid in spec.governance.group]
    context["rapport"] = {
        "år": year,
        "år_lista": years,
        "avtalsår": year - spec.period.start.year + 1,
        "avtalsår_antal": spec.period.end.year - spec.period.start.year + 1,
        "inlämnad": entry.submitted,
        "mål": goals,
        "deltagare": [{"år": y, "antal": e.participants if (e := outcomes.year(y)) else None}
                      for y in years],
        "ideellt_arbete": volunteer,
        "medel": money,
        "outnyttjade_medel": spec.economy.unused_funds,
        "sista_år": spec.period.end.year,
        "sena": [{"år": y, "inlämnad": s, "sista_dag": d}
                 for y, s, d in late_reports(outcomes, spec) if y <= year],
        "saknade_år": missing_years(outcomes, spec, year),
        "saknade_värden": missing_values,
        "lärdomar": entry.lessons,
        "förslag": entry.proposals,
        "underskrifter": [{"namn": p.name} for p in group if p is not None],
        "diagram": charts,
    }
    return context


def report_charts(context: dict[str, Any]) -> tuple[Series, ...]:
    """The charts the report's context refers to (`rapport.mål[].indikatorer[].diagram`)."""
    return tuple(context["rapport"]["diagram"])


def indicator_chart(series: IndicatorSeries) -> Series | None:
    """The indicator's values as a bar chart over the years it has a value for, with its
    target and baseline as lines; None when it has no value, or one a bar cannot show
    (below zero): the table beside it still gives every figure."""
    values: dict[int | str, float] = {y.year: y.value for y in series.years
                                      if y.value is not None}
    if not values:
        return None
    target = series.target
    try:
        return Series(series.description, target.unit if target else "", values,
                      target=target.number if target else None, baseline=series.baseline)
    except UsageProblem:
        return None


def _indicator(series: IndicatorSeries, charts: list[Series]) -> dict[str, Any]:
    """One indicator for the templates; its chart, when it has one, is added to `charts`
    and referred to as `diagram` (a fixed Markdown reference, chart_refs.py)."""
    target = series.target
    chart = indicator_chart(series)
    if chart is not None:
        charts.append(chart)
    return {
        "diagram": chart_reference(len(charts), chart) if chart is not None else None,
        "ref": series.ref, "beskrivning": series.description, "källa": series.source,
        "målvärde": series.target_text,
        "bedöms": bool(target and target.operator),
        "baslinje": series.baseline, "baslinje_år": series.baseline_year,
        "år": [{"år": y.year, "värde": y.value, "kommentar": y.comment, "uppnått": y.met,
                "förändring": y.change} for y in series.years],
    }


def build_report_outputs(result: OutcomesResult, year: int, out_dir: Path | None,
                         formats: Sequence[str], options: RenderOptions
                         ) -> list[tuple[Path, bytes]]:
    """Every requested format of the annual report in memory, in the order of
    `output_paths`. Raises OutcomesHaveErrors, render.templates.TemplateProblem."""
    from ...render.pipeline import document_outputs, finish_pdfs, render_document

    if result.outcomes is None or result.spec_result is None or result.errors:
        raise OutcomesHaveErrors(result)
    spec = result.spec_result.spec
    context = report_context(result, year, options)
    document = render_document(FOLDER, context, spec, options, title=f"Årsrapport {year}",
                               charts=report_charts(context))
    return finish_pdfs(document_outputs(document, output_paths(result, year, out_dir, formats),
                                        formats, options))


def write_report(outcomes_path: Path | str, year: int | None = None,
                 out_dir: Path | None = None, formats: Sequence[str] = ("docx",),
                 options: RenderOptions | None = None,
                 today: dt.date | None = None,
                 checked: OutcomesResult | None = None) -> list[Path]:
    """Check `outcomes_path` and write its annual report; returns the paths written.
    `checked` is the check of the same file as of the same day when the caller has made
    it already (the command line checks first to print the findings). Raises
    OutcomesHaveErrors (exit 1) or files.UsageProblem (exit 2)."""
    from ...files import prepare_targets, write_set
    from ...render.pipeline import parse_formats, run_inputs, validate_options
    from ...outcomes.check import check_outcomes_file

    options = options or RenderOptions()
    chosen = parse_formats(formats)
    validate_options(options, chosen)
    result = checked if checked is not None else \
        check_outcomes_file(outcomes_path, today or options.date)
    if result.errors or result.outcomes is None:
        raise OutcomesHaveErrors(result)
    chosen_year = report_year(result, year)
    assert result.spec_result is not None
    prepare_targets(output_paths(result, chosen_year, out_dir, chosen), options.force,
                    run_inputs([Path(outcomes_path), Path(result.spec_result.file)], options))
    outputs = build_report_outputs(result, chosen_year, out_dir, chosen, options)
    write_set(outputs, options.force)
    return [path for path, _ in outputs]
