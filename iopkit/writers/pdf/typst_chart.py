"""A bar chart per year drawn by Typst: vector in the PDF, PNG for Word, SVG for HTML.

One primitive for the annual report (issue 25): a series of values per year, with an
optional target line and baseline, a title and a unit. The chart is data for the same
fixed template as the documents (writers/pdf/typst_pdf.py), so no plotting library is
needed and no text of the series is ever Typst markup. Every chart has a text
alternative (`alt_text`), which the PDF carries on its Figure element and which Word
and HTML put on the image.

    series = Series("Antal besök per år", "besök", {2027: 14200, 2028: 15900},
                    target=15000, baseline=12000)
    tree.blocks.append(chart_block(series))   # in a PDF (typst_pdf.blocks_to_pdf)
    png = chart_png(series)                   # for Word
    svg = chart_svg(series)                   # for HTML
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...files import UsageProblem
from ...format import tal
from ..markdown import clean_text

#: More bars than this do not fit the width of an A4 page.
MAX_YEARS = 30
#: A fixed date for the chart files: they show no date, and must be byte-identical.
_CHART_DATE = dt.date(2000, 1, 1)
#: Pixels per inch of a chart's PNG: sharp when Word prints it at full text width.
DEFAULT_PPI = 200.0


@dataclass(frozen=True)
class Series:
    """Values per year (in year order), with an optional target and baseline."""

    title: str
    unit: str
    values: Mapping[int | str, float]
    target: float | None = None
    baseline: float | None = None
    years: tuple[str, ...] = field(init=False)
    numbers: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        if not self.values:
            raise UsageProblem(f"Diagrammet {self.title!r} har inga värden.")
        if len(self.values) > MAX_YEARS:
            raise UsageProblem(f"Diagrammet {self.title!r} har {len(self.values)} år; högst "
                               f"{MAX_YEARS} får plats.")
        items = sorted(self.values.items(), key=lambda item: str(item[0]))
        for year, value in items:
            _check_number(self.title, str(year), value)
        for name, line in (("målvärdet", self.target), ("baslinjen", self.baseline)):
            if line is not None:
                _check_number(self.title, name, line)
        object.__setattr__(self, "years", tuple(" ".join(clean_text(str(y)).split())
                                                for y, _ in items))
        object.__setattr__(self, "numbers", tuple(float(v) for _, v in items))


def _check_number(title: str, where: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or value < 0:
        raise UsageProblem(f"Diagrammet {title!r}: värdet för {where} ska vara ett tal som "
                           f"inte är negativt, inte {value!r}.")


def _amount(value: float, unit: str) -> str:
    number = tal(int(value)) if float(value).is_integer() else tal(value)
    return f"{number} {unit}".strip()


def alt_text(series: Series) -> str:
    """The chart in words, for screen readers and anyone who cannot see it."""
    unit = " ".join(clean_text(series.unit).split())
    parts = [f"Stapeldiagram: {' '.join(clean_text(series.title).split())}."]
    parts.append("; ".join(f"{year}: {_amount(value, unit)}"
                           for year, value in zip(series.years, series.numbers)) + ".")
    if series.target is not None:
        parts.append(f"Målvärde: {_amount(series.target, unit)}.")
    if series.baseline is not None:
        parts.append(f"Baslinje: {_amount(series.baseline, unit)}.")
    return " ".join(parts)


def chart_block(series: Series) -> dict[str, Any]:
    """The chart as a block of a document tree (typst_pdf.DocumentTree.blocks)."""
    unit = " ".join(clean_text(series.unit).split())
    block: dict[str, Any] = {
        "t": "chart", "title": " ".join(clean_text(series.title).split()),
        "years": list(series.years), "values": list(series.numbers),
        "labels": [tal(int(v)) if v.is_integer() else tal(v) for v in series.numbers],
        "alt": alt_text(series)}
    if series.target is not None:
        block["target"] = float(series.target)
        block["target_label"] = f"Mål {_amount(series.target, unit)}"
    if series.baseline is not None:
        block["baseline"] = float(series.baseline)
        block["baseline_label"] = f"Baslinje {_amount(series.baseline, unit)}"
    return block


def _chart_files(series: Sequence[Series], output: str, ppi: float | None = None
                 ) -> list[bytes]:
    """Every chart in one Typst compile, one page (one image) each, in order."""
    from .typst_pdf import compile_pages
    from .typst_style import load_style

    if not series:
        return []
    meta = {"title": series[0].title, "author": "iopkit", "subject": "", "keywords": [],
            "header_left": "", "header_right": [], "title_page": False, "title_runs": [],
            "title_lines": [], "chart_only": True}
    blocks: list[dict[str, Any]] = []
    for item in series:
        if blocks:
            blocks.append({"t": "pagebreak"})
        blocks.append(chart_block(item))
    pages = compile_pages({"meta": meta, "blocks": blocks}, load_style(), when=_CHART_DATE,
                          output=output, ppi=ppi)
    assert len(pages) == len(series)
    return pages


def chart_png(series: Series, ppi: float = DEFAULT_PPI) -> bytes:
    """The chart as a PNG image (for Word), `ppi` pixels per inch."""
    return _chart_files([series], "png", ppi)[0]


def chart_svg(series: Series) -> str:
    """The chart as an SVG image (for HTML)."""
    return _chart_files([series], "svg")[0].decode("utf-8")


def chart_pngs(series: Sequence[Series], ppi: float = DEFAULT_PPI) -> list[bytes]:
    """`chart_png` of each chart, from one compile (a report has many)."""
    return _chart_files(series, "png", ppi)


def chart_svgs(series: Sequence[Series]) -> list[str]:
    """`chart_svg` of each chart, from one compile."""
    return [page.decode("utf-8") for page in _chart_files(series, "svg")]
