"""Amounts per avtalsår (agreement year) over an agreement period.

**The rule.** A resource's `belopp_per_år` or `värde_per_år` is an amount per
*avtalsår*: the first avtalsår begins on the period's start date and each lasts until the
day before the same date a year later; the last one ends with the period and may be
shorter. When the period starts on 1 January the avtalsår are the calendar years. An
avtalsår is named by the calendar year it begins in (2027 for 2027-03-30 – 2028-03-29),
and a map year → amount is read with the same keys. So a spec of 650 000 kr per year
over 2027-03-30 – 2028-03-29 is 650 000 kr for that one avtalsår, and every sum over the
period is the amount times the number of avtalsår; only a last avtalsår shorter than a
year gets a share by days (a period of two and a half years gets two and a half amounts).

Documents, the state-aid rule (windows of three avtalsår under a budget reservation) and
the memo all read this one breakdown (`Resource.by_year`), so they cannot disagree. Where
a kommun's budget needs the money per calendar year (the memo's financing),
`calendar_split` divides each avtalsår's amount over the calendar years it touches by
days; that split is for budgeting only, never the agreement's amounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction


def _anniversary(day: dt.date, years: int) -> dt.date | None:
    """The same date `years` later (28 February for 29 February in a common year), or
    None past the calendar's end."""
    if day.year + years > dt.MAXYEAR:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ContractYear:
    """One avtalsår: `key` is the calendar year it begins in."""

    key: int
    start: dt.date
    end: dt.date
    #: The share of a full avtalsår (1 except for a short last one).
    share: Fraction

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, calendar: bool) -> str:
        """"2027" when the avtalsår are calendar years, else "2027/28" (also for a short
        last avtalsår that ends before the new year)."""
        if calendar:
            return str(self.key)
        return f"{self.key}/{(self.key + 1) % 100:02d}"


def contract_years(start: dt.date, end: dt.date) -> list[ContractYear]:
    """The avtalsår of the period, in order (linear in the number of years)."""
    out: list[ContractYear] = []
    n = 0
    first = start
    while first <= end:
        following = _anniversary(start, n + 1)
        full_end = following - dt.timedelta(days=1) if following else dt.date.max
        last = min(end, full_end)
        if last == full_end:
            share = Fraction(1)
        else:
            assert following is not None
            share = Fraction((last - first).days + 1, (following - first).days)
        out.append(ContractYear(key=first.year, start=first, end=last, share=share))
        if following is None:
            break
        n += 1
        first = following
    return out


def calendar_years(start: dt.date) -> bool:
    """Whether the avtalsår are calendar years (the period starts on 1 January)."""
    return (start.month, start.day) == (1, 1)


def period_years(start: dt.date, end: dt.date) -> list[int]:
    """The keys of the period's avtalsår, in order (the calendar years when the period
    starts on 1 January)."""
    return [year.key for year in contract_years(start, end)]


def breakdown(value: int | dict[int, int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Whole kronor per avtalsår of the period: a map as given (a year it leaves out
    counts as 0; the rules warn), one amount for every full avtalsår and a share by days
    for a short last one (rounded half up)."""
    years = contract_years(start, end)
    if isinstance(value, dict):
        return {year.key: value.get(year.key, 0) for year in years}
    return {year.key: value if year.share == 1
            else int(Fraction(value) * year.share + Fraction(1, 2)) for year in years}


def calendar_split(by_year: dict[int, int], start: dt.date, end: dt.date) -> dict[int, int]:
    """The amounts per avtalsår spread over calendar years by days, for a budget. Each
    avtalsår's amount is kept whole (the rounding remainder goes to its last calendar
    year), so the calendar years sum to the same total."""
    out: dict[int, int] = {}
    for year in contract_years(start, end):
        amount = by_year.get(year.key, 0)
        given = 0
        for calendar in range(year.start.year, year.end.year + 1):
            first = max(year.start, dt.date(calendar, 1, 1))
            last = min(year.end, dt.date(calendar, 12, 31))
            if calendar == year.end.year:
                part = amount - given
            else:
                part = int(Fraction(amount * ((last - first).days + 1), year.days)
                           + Fraction(1, 2))
            given += part
            out[calendar] = out.get(calendar, 0) + part
    return out


def calendar_split_by_months(per_year: dict[int, int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Each avtalsår's amount over the calendar years by whole months (1 800 000 kr from
    1 March: 1 500 000 kr and 300 000 kr), as a budget is read (the tjänsteskrivelse); empty when an avtalsår
    does not run from the first of a month to the last of one (then days are used)."""
    out: dict[int, int] = {}
    for year in contract_years(start, end):
        if year.start.day != 1 or (year.end + dt.timedelta(days=1)).day != 1:
            return {}
        months = (year.end.year - year.start.year) * 12 + year.end.month - year.start.month + 1
        amount, given = per_year.get(year.key, 0), 0
        for calendar in range(year.start.year, year.end.year + 1):
            first = year.start.month if calendar == year.start.year else 1
            last = year.end.month if calendar == year.end.year else 12
            part = amount - given if calendar == year.end.year else \
                amount * (last - first + 1) // months
            given += part
            out[calendar] = out.get(calendar, 0) + part
    return out
