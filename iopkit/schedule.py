"""Every deadline of a partnership, computed once: the register (`iopkit oversikt`), the
annual report and the calendar ask the same questions (when is the next follow-up, the
report deadline, the last day to decide on an extension).

Rules (IOP.md, "Swedish conventions"): a deadline the agreement sets for a report moves to
the next working day; an internal planning date ("ta ställning till förlängning senast
…") moves to the working day before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .format import add_months
from .workdays import previous_working_day

FOLLOW_UP = "uppföljning"
REPORT = "redovisning"
EXTENSION = "förlängning"
END = "avtalet upphör"


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    kind: str  # FOLLOW_UP, REPORT, EXTENSION, END
    what: str  # Swedish, as a user reads it in a list of deadlines


def report_deadlines(spec: Any) -> list[tuple[int, dt.date]]:
    """(year, last day) of the yearly report for each calendar year of the period."""
    from .outcomes.figures import report_deadline

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
    from .calendar import recurring_dates

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
