"""Amounts per calendar year over an agreement period.

A resource's `belopp_per_år` or `värde_per_år` is either one amount for every year or a
map year → amount. Documents show a year-by-year table and the state-aid rule sums
windows of years, so both need the same breakdown: for a map, the amounts as given (years
of the period without an amount count as 0; the rules warn about them); for one amount,
that amount for each whole calendar year, and a share by days for a first or last year
the period covers only in part (a period from 1 July 2027 gets half a year in 2027).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


def period_years(start: dt.date, end: dt.date) -> list[int]:
    """The calendar years the period touches, in order."""
    return list(range(start.year, end.year + 1))


def share_of_year(year: int, start: dt.date, end: dt.date) -> Fraction:
    """The part of calendar year `year` that lies inside the period (0 to 1)."""
    first = max(start, dt.date(year, 1, 1))
    last = min(end, dt.date(year, 12, 31))
    if last < first:
        return Fraction(0)
    days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    return Fraction((last - first).days + 1, days_in_year)


def breakdown(value: int | dict[int, int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Whole kronor per calendar year of the period (rounded half up for a part year)."""
    years = period_years(start, end)
    if isinstance(value, dict):
        return {year: value.get(year, 0) for year in years}
    out = {}
    for year in years:
        share = share_of_year(year, start, end)
        out[year] = value if share == 1 else int(Fraction(value) * share + Fraction(1, 2))
    return out
