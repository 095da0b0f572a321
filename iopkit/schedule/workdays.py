"""Swedish working days: meetings and deadlines never fall on a weekend or a holiday.

A day is not a working day when it is a Saturday or Sunday, a public holiday
(allmän helgdag, lag (1989:253) om allmänna helgdagar) or one of the eves that Swedish
law treats as holidays for deadlines and that nobody meets on: midsommarafton, julafton
and nyårsafton (lag (1930:173) om beräkning av lagstadgad tid).

The calendar is computed here rather than taken from the `holidays` library: importing
that library loads every country's calendar (about 90 ms, a fifth of a whole `iopkit
rapport` run) to answer for one. The rules are the library's Swedish calendar, its
"public" and "de_facto" categories, year for year; tests/test_workdays.py compares the
two for every year from 1953 (lag (1952:48), where the library's calendar begins; no
holidays are known before it) to 2100 (where the library's ends; the rules of today's
law go on after it).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

#: The first year of the calendar: lag (1952:48) om allmänna helgdagar.
FIRST_YEAR = 1953


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus, Jones
    and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def _annunciation(year: int, easter: dt.date) -> dt.date:
    # Lag (1952:48): Marie bebådelsedag is the Sunday from 22 to 28 March, or, if that
    # Sunday is palm Sunday or Easter Sunday, the Sunday before palm Sunday.
    sunday = _first_weekday_from(dt.date(year, 3, 22), 6)
    if sunday in (easter - dt.timedelta(days=7), easter):
        return easter - dt.timedelta(days=14)
    return sunday


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    """The public holidays of `year` that are not Sundays by rule, and the three eves."""
    if year < FIRST_YEAR:
        return frozenset()
    easter = easter_sunday(year)

    def after_easter(days: int) -> dt.date:
        return easter + dt.timedelta(days=days)

    days = {
        dt.date(year, 1, 1),  # nyårsdagen
        dt.date(year, 1, 6),  # trettondedag jul
        after_easter(-2), easter, after_easter(1),  # långfredagen, påskdagen, annandag påsk
        dt.date(year, 5, 1),  # första maj
        after_easter(39),  # Kristi himmelsfärdsdag
        after_easter(49),  # pingstdagen
        _first_weekday_from(dt.date(year, 6, 20), 5),  # midsommardagen
        _first_weekday_from(dt.date(year, 10, 31), 5),  # alla helgons dag
        dt.date(year, 12, 25), dt.date(year, 12, 26),  # juldagen, annandag jul
        # The eves: midsommarafton, julafton, nyårsafton.
        _first_weekday_from(dt.date(year, 6, 19), 4),
        dt.date(year, 12, 24), dt.date(year, 12, 31),
    }
    if year <= 1989:
        days.add(_annunciation(year, easter))
    if year <= 2004:
        days.add(after_easter(50))  # annandag pingst, replaced by the national day
    else:
        days.add(dt.date(year, 6, 6))  # Sveriges nationaldag
    return frozenset(days)


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
