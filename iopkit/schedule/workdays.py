"""Swedish working days: meetings and deadlines never fall on a weekend or a holiday.

A day is not a working day when it is a Saturday or Sunday, a public holiday
(allmän helgdag) or one of the eves that Swedish law treats as holidays for deadlines
and that nobody meets on: midsommarafton, julafton and nyårsafton (lag (1930:173) om
beräkning av lagstadgad tid). The `holidays` library knows both: its Swedish calendar's
"public" category and its "de_facto" category, which holds exactly those three eves.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays

    calendar = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(calendar)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the last working day before it: an
    internal planning date ("ta ställning till förlängning senast …") moves earlier, never
    later (IOP.md, "Swedish conventions")."""
    while not is_working_day(day):
        if day == dt.date.min:
            return day
        day -= dt.timedelta(days=1)
    return day


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it (or
    `day` unchanged at the very end of the calendar)."""
    while not is_working_day(day):
        if day == dt.date.max:
            return day
        day += dt.timedelta(days=1)
    return day
