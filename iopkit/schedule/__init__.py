"""Every deadline of a partnership, computed once: the agreement, the checklist, the
follow-up template, `iopkit kalender`, the follow-up check, the annual report and the
register (`iopkit oversikt`) ask the same questions (when is the next follow-up, the report
deadlines, the last day to decide on an extension). Working days and Swedish holidays are
in `schedule.workdays`, the only module that imports `holidays`; this package imports
nothing above it (tests/test_import_graph.py).

Two reports, two deadlines: the annual report (verksamhet, `uppföljning.årsrapport`) and
the ekonomisk redovisning (`ekonomi.redovisning`). Each is due on the day its text names
("senast den 31 mars året efter"), the first such day after each avtalsår ends (the
agreement's § Ekonomi and § Uppföljning state the same days, `agreement_due`). A day that
is not a working day moves as the agreement's § 1 says: a last day to hand something in, a
payment day and a day by which the parties shall have taken a position to the working day
before (IOP.md, "Swedish conventions": a "senast" date the agreement sets moves earlier;
only statutory time limits move later, lag (1930:173)); a meeting to the next weekday. The
agreement, the memo, the checklist and `iopkit kalender` all print the moved day.

When a text names no day, FORMAT.md sets none. The annual report then gets an assumed
reminder on each anniversary of the start (`ReportDue.stated` is False and every output
says the day is assumed); the follow-up check never calls a report late against an
assumed day, and the redovisning gets no assumed day at all.
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


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    kind: str  # FOLLOW_UP, REPORT, EXTENSION, END
    what: str  # Swedish, as a user reads it in a list of deadlines


ANNUAL_REPORT = "årsrapport"
ACCOUNTS = "ekonomisk redovisning"


@dataclass(frozen=True)
class ReportDue:
    """The last day to hand in one report."""

    kind: str  # ANNUAL_REPORT or ACCOUNTS
    #: The avtalsår reported on: the calendar year it begins in when `stated`, else its
    #: number (1, 2 …); stable, so calendar UIDs built on it stay the same.
    ordinal: int
    date: dt.date  # already moved to a working day
    stated: bool  # False: the agreement names no day and iopkit assumes this one
    label: str  # what the report covers, Swedish: "2027", "2027/28", "avtalsår 1"


def stated_due(day_month: tuple[int, int], after: dt.date) -> dt.date:
    """The first (day, month) strictly after `after`, as the agreement states it (not yet
    moved to a working day); a day that a month lacks becomes its last day."""
    day, month = day_month
    for year in (after.year, after.year + 1):
        due = dt.date(year, month, min(day, _calendar.monthrange(year, month)[1]))
        if due > after:
            return due
    return due


def agreement_due(day_month: tuple[int, int], after: dt.date) -> dt.date:
    """The day a report text ("senast den 31 mars året efter") sets for the avtalsår that
    ends on `after`, moved to the working day before when it is not a working day (the
    agreement's § 1): "senast den 31 mars 2030", a Sunday, is the Friday 29 March."""
    return previous_working_day(stated_due(day_month, after))


def _stated_reports(spec: Any, kind: str, text: str | None) -> list[ReportDue] | None:
    from ..spec.yearly import calendar_years, contract_years

    day_month = stated_day(text)
    if day_month is None:
        return None
    calendar = calendar_years(spec.period.start)
    return [ReportDue(kind, year.key, agreement_due(day_month, year.end),
                      True, year.label(calendar))
            for year in contract_years(spec.period.start, spec.period.end)]


def annual_reports(spec: Any) -> list[ReportDue]:
    """The annual report's last day for each avtalsår: the day `uppföljning.årsrapport`
    names, else (assumed, `stated` False) each anniversary of the start."""
    stated = _stated_reports(spec, ANNUAL_REPORT, spec.follow_up.annual_report)
    if stated is not None:
        return stated
    start, end = spec.period.start, spec.period.end
    result: list[ReportDue] = []
    n = 1
    while add_months(start, 12 * (n - 1)) <= end:
        result.append(ReportDue(ANNUAL_REPORT, n, next_working_day(add_months(start, 12 * n)),
                                False, f"avtalsår {n}"))
        n += 1
    return result


def accounts_reports(spec: Any) -> list[ReportDue]:
    """The ekonomisk redovisning's last day for each avtalsår, from the day
    `ekonomi.redovisning` names; none when it names no day."""
    return _stated_reports(spec, ACCOUNTS, spec.economy.reporting) or []


def follow_up_report_days(spec: Any) -> dict[int, tuple[dt.date, str]]:
    """Year → the deadline that `år[].inlämnad` of a follow-up file is compared with, and
    the key that states it: the follow-up file records the year's annual report, so the
    day `uppföljning.årsrapport` names; where it names none, the day `ekonomi.redovisning`
    names (its report may carry the verksamhetsberättelse; UTFALL.md names both). Empty
    when neither names a day: no report is called late against an assumed day."""
    for key, reports in (("uppföljning.årsrapport", annual_reports(spec)),
                         ("ekonomi.redovisning", accounts_reports(spec))):
        if reports and reports[0].stated:
            return {report.ordinal: (report.date, key) for report in reports}
    return {}


def extension_decision_date(spec: Any) -> dt.date:
    """The last day to decide on an extension or a new agreement: the period's end less
    the notice period, moved to the working day before."""
    period = spec.period
    day = add_months(period.end, -period.notice_months) if period.notice_months else period.end
    return previous_working_day(day)


def extension_budget_years(spec: Any) -> list[int]:
    """The budget years an extension first needs money in, for the checklist's "ta upp
    frågan i arbetet med budgeten för …": the year of the day after the period ends (an
    agreement ending 28 February 2030 is extended from 1 March 2030: the 2030 budget),
    and the next one too when that first year has only December left."""
    first = spec.period.end + dt.timedelta(days=1)
    return [first.year, first.year + 1] if first.month == 12 else [first.year]


def partnership_deadlines(spec: Any) -> list[Deadline]:
    """Every deadline of the agreement period, sorted by date."""
    deadlines = []
    first = spec.follow_up.first_date or spec.period.start
    dates = recurring_dates(first, spec.follow_up.interval, spec.period.end)
    for n, date in enumerate(dates, 1):
        deadlines.append(Deadline(date, FOLLOW_UP, f"uppföljning {n} av {len(dates)}"))
    for report in accounts_reports(spec) + annual_reports(spec):
        what = f"{report.kind} för {report.label}"
        if not report.stated:
            what += " (dagen antagen: avtalet anger ingen dag)"
        deadlines.append(Deadline(report.date, REPORT, what))
    deadlines.append(Deadline(extension_decision_date(spec), EXTENSION,
                              "sista dag att ta ställning till förlängning eller nytt avtal"))
    deadlines.append(Deadline(spec.period.end, END, "avtalsperiodens sista dag"))
    return sorted(deadlines, key=lambda d: (d.date, d.kind))


def next_deadline(spec: Any, today: dt.date) -> Deadline | None:
    return next((d for d in partnership_deadlines(spec) if d.date >= today), None)
