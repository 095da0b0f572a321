"""Every deadline of a partnership, computed once: the register (`iopkit oversikt`), the
annual report and the calendar ask the same questions (when is the next follow-up, the
report deadline, the last day to decide on an extension). Working days and Swedish
holidays are in `schedule.workdays`, the only module that imports `holidays`; this
package imports nothing above it (tests/test_import_graph.py).

Two rules for the yearly report's last day remain, on purpose: `report_deadline` (the
latest day that `ekonomi.redovisning` or `uppföljning.årsrapport` states) for the
register and the annual report, and `calendar.annual_report_dates` (only
`uppföljning.årsrapport`, else each anniversary of the start) for `iopkit kalender`;
making them one would change the calendar files users have already imported.

Rules (IOP.md, "Swedish conventions"): a deadline the agreement sets for a report moves to
the next working day; an internal planning date ("ta ställning till förlängning senast
…") moves to the working day before.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..format import add_months
from .workdays import next_working_day, previous_working_day

FOLLOW_UP = "uppföljning"
REPORT = "redovisning"
EXTENSION = "förlängning"
END = "avtalet upphör"


STEPS: dict[str, tuple[int, int]] = {
    "varje vecka": (0, 7),
    "varannan vecka": (0, 14),
    "månadsvis": (1, 0),
    "varannan månad": (2, 0),
    "kvartalsvis": (3, 0),
    "halvårsvis": (6, 0),
    "årsvis": (12, 0),
}

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?::e|:a)?\s+(" + "|".join(MONTHS) + r")\b", re.I)


def recurring_dates(first: dt.date, frequency: str, last: dt.date) -> list[dt.date]:
    """`first`, then every `frequency` (one of FREQUENCIES), up to and including `last`.
    Counted from `first` each time, so clamping one month does not shift the rest; a
    day that a month lacks becomes its last day (add_months). Each date that is not a
    working day moves to the next working day (which may be just after `last`: the
    last follow-up still takes place)."""
    months, days = STEPS[frequency]
    dates: list[dt.date] = []
    n = 0
    while True:
        planned = add_months(first, months * n) + dt.timedelta(days=days * n)
        if planned > last:
            return dates
        date = next_working_day(planned)
        if not dates or date > dates[-1]:
            dates.append(date)
        n += 1


def stated_day(text: str | None) -> tuple[int, int] | None:
    """(day, month) of the first Swedish date like "den 31 januari" in `text`."""
    if not text:
        return None
    for match in _DAY_MONTH.finditer(text):
        day, month = int(match[1]), MONTHS.index(match[2].lower()) + 1
        if 1 <= day <= _calendar.monthrange(2024, month)[1]:  # 2024: leap year
            return day, month
    return None


def report_deadline(spec: Any, year: int) -> dt.date | None:
    """The last day for the report on `year`: the latest day the agreement states in
    `ekonomi.redovisning` or `uppföljning.årsrapport` ("senast den 31 mars året efter"),
    in the following year, moved to the next working day; None when neither states a
    day."""
    import calendar as _calendar

    days = []
    for text in (spec.economy.reporting, spec.follow_up.annual_report):
        day_month = stated_day(text)
        if day_month is not None:
            day, month = day_month
            last = _calendar.monthrange(year + 1, month)[1]
            days.append(next_working_day(dt.date(year + 1, month, min(day, last))))
    return max(days) if days else None


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    kind: str  # FOLLOW_UP, REPORT, EXTENSION, END
    what: str  # Swedish, as a user reads it in a list of deadlines


def report_deadlines(spec: Any) -> list[tuple[int, dt.date]]:
    """(year, last day) of the yearly report for each calendar year of the period."""
    result = []
    for year in range(spec.period.start.year, spec.period.end.year + 1):
        deadline = report_deadline(spec, year)
        if deadline is not None:
            result.append((year, deadline))
    return result


def extension_decision_date(spec: Any) -> dt.date:
    """The last day to decide on an extension or a new agreement: the period's end less
    the notice period, moved to the working day before."""
    period = spec.period
    day = add_months(period.end, -period.notice_months) if period.notice_months else period.end
    return previous_working_day(day)


def partnership_deadlines(spec: Any) -> list[Deadline]:
    """Every deadline of the agreement period, sorted by date."""
    deadlines = []
    first = spec.follow_up.first_date or spec.period.start
    dates = recurring_dates(first, spec.follow_up.interval, spec.period.end)
    for n, date in enumerate(dates, 1):
        deadlines.append(Deadline(date, FOLLOW_UP, f"uppföljning {n} av {len(dates)}"))
    for year, date in report_deadlines(spec):
        deadlines.append(Deadline(date, REPORT, f"redovisning och årsrapport för {year}"))
    deadlines.append(Deadline(extension_decision_date(spec), EXTENSION,
                              "sista dag att ta ställning till förlängning eller nytt avtal"))
    deadlines.append(Deadline(spec.period.end, END, "avtalsperiodens sista dag"))
    return sorted(deadlines, key=lambda d: (d.date, d.kind))


def next_deadline(spec: Any, today: dt.date) -> Deadline | None:
    return next((d for d in partnership_deadlines(spec) if d.date >= today), None)
