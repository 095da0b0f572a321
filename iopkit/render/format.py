"""Swedish formatting of amounts, numbers and dates for the documents.

Amounts and dates follow the conventions in Swedish public documents: groups of three
digits separated by a non-breaking space (`2 400 000 kr`), dates in running text as
"den 1 januari 2027", in tables as 2027-01-01. babel supplies the locale data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

LOCALE = "sv_SE"
NBSP = "\u00a0"


@lru_cache(maxsize=1)
def _babel() -> tuple[Any, Any]:
    from babel.dates import format_date
    from babel.numbers import format_decimal

    return format_date, format_decimal


def tal(value: int | float) -> str:
    """A number with Swedish digit grouping: `tal(3000)` -> "3 000" (non-breaking space)."""
    _, format_decimal = _babel()
    # CLDR may use U+202F (narrow no-break space) in some versions; keep one convention.
    return format_decimal(value, locale=LOCALE).replace("\u202f", NBSP)


def kronor(value: int | float) -> str:
    """An amount in kronor: `kronor(2400000)` -> "2 400 000 kr" (non-breaking spaces)."""
    return f"{tal(value)}{NBSP}kr"


def datum(value: dt.date) -> str:
    """A date without the article: "1 januari 2027"."""
    format_date, _ = _babel()
    return format_date(value, format="d MMMM y", locale=LOCALE)


def datum_lang(value: dt.date) -> str:
    """A date in running text: `datum_lang(date(2027, 1, 1))` -> "den 1 januari 2027"."""
    return f"den {datum(value)}"


def datum_kort(value: dt.date) -> str:
    """A date in a table: 2027-01-01."""
    return value.isoformat()


def lista(items: Iterable[Any], conjunction: str = "och") -> str:
    """Swedish enumeration: ["a", "b", "c"] -> "a, b och c"."""
    words = [str(item) for item in items]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def antal(count: int, singular: str, plural: str) -> str:
    """`antal(6, "månad", "månader")` -> "6 månader"; `antal(1, …)` -> "1 månad"."""
    return f"{tal(count)}{NBSP}{singular if count == 1 else plural}"


def manader(count: int) -> str:
    return antal(count, "månad", "månader")


def add_months(value: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier, when negative), clamped to the month's end."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(value.day, last_day))
