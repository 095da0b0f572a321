"""The Swedish calendar of schedule/workdays.py against the `holidays` library's, year
for year: the deadlines of every agreement move by these days, so a missed or an extra
holiday would move a date a kommun relies on."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from iopkit.schedule.workdays import (
    FIRST_YEAR,
    _holidays,
    easter_sunday,
    is_working_day,
    next_working_day,
    previous_working_day,
)

#: The library's Swedish calendar ends here; ours goes on with today's law.
LAST_LIBRARY_YEAR = 2100


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_LIBRARY_YEAR + 1))
def test_every_holiday_as_the_library_has_it(year: int) -> None:
    library = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    assert _holidays(year) == frozenset(library), year


def test_no_holidays_before_the_1952_act_as_in_the_library() -> None:
    library = holidays.country_holidays("SE", years=FIRST_YEAR - 1,
                                        categories=("public", "de_facto"))
    assert len(library) == 0
    assert _holidays(FIRST_YEAR - 1) == frozenset()


@pytest.mark.parametrize(("year", "easter"), [
    (1954, dt.date(1954, 4, 18)), (2000, dt.date(2000, 4, 23)),
    (2027, dt.date(2027, 3, 28)), (2038, dt.date(2038, 4, 25)),
    (2285, dt.date(2285, 3, 22)),  # the earliest possible date
])
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


def test_the_law_goes_on_after_the_library_calendar() -> None:
    # 2101: nationaldagen on Monday 6 June, midsommarafton on Friday 24 June.
    assert not is_working_day(dt.date(2101, 6, 24))
    assert not is_working_day(dt.date(2101, 6, 6))
    assert is_working_day(dt.date(2101, 6, 23))


def test_moving_to_a_working_day_around_christmas_2027() -> None:
    # 24–26 December 2027 are Friday–Sunday, 31 December a Friday, 1 January a Saturday.
    assert next_working_day(dt.date(2027, 12, 24)) == dt.date(2027, 12, 27)
    assert previous_working_day(dt.date(2028, 1, 2)) == dt.date(2027, 12, 30)
    assert next_working_day(dt.date(2028, 1, 6)) == dt.date(2028, 1, 7)
