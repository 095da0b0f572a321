"""Swedish formatting of amounts, numbers and dates for the documents.

Amounts and dates follow the conventions in Swedish public documents: groups of three
digits separated by a non-breaking space (`2 400 000 kr`), dates in running text as
"den 1 januari 2027", in tables as 2027-01-01.

Written out here rather than taken from babel: the documents need twelve month names,
a decimal comma and digit grouping, and babel's locale data cost about 50 ms on first use
and 36 MB installed (measured for issue 15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

NBSP = "\u00a0"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")


def tal(value: int | float | Decimal) -> str:
    """A number with Swedish digit grouping and decimal comma: `tal(3000)` -> "3 000",
    `tal(11.2)` -> "11,2" (non-breaking space; at most three decimals, rounded half to
    even, trailing zeros dropped)."""
    if isinstance(value, int):
        whole, fraction, sign = abs(value), "", "-" if value < 0 else ""
    else:
        number = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
        sign = "-" if number < 0 else ""
        text = f"{abs(number):f}"
        integer, _, fraction = text.partition(".")
        whole, fraction = int(integer), fraction.rstrip("0")
    grouped = f"{whole:,}".replace(",", NBSP)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def kronor(value: int | float) -> str:
    """An amount in kronor: `kronor(2400000)` -> "2 400 000 kr" (non-breaking spaces)."""
    return f"{tal(value)}{NBSP}kr"


def datum(value: dt.date) -> str:
    """A date without the article: "1 januari 2027"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def datum_lang(value: dt.date) -> str:
    """A date in running text: `datum_lang(date(2027, 1, 1))` -> "den 1 januari 2027"."""
    return f"den {datum(value)}"


def datum_kort(value: dt.date) -> str:
    """A date in a table: 2027-01-01."""
    return value.isoformat()


def lower_start(text: str) -> str:
    """Text spliced into a sentence (after a colon, after a name) starts in lower case
    (Myndigheternas skrivregler): "Enhetschef, Enheten för …" -> "enhetschef, enheten
    för …". Each comma-separated part is changed only when its first word is an ordinary
    capitalised word; "IVO", "EU-kommissionen" and names after the first part are kept
    when they are not capitalised words at a part's start."""
    def one(part: str) -> str:
        stripped = part.lstrip()
        lead = part[:len(part) - len(stripped)]
        if len(stripped) > 1 and stripped[0].isupper() and stripped[1].islower():
            return lead + stripped[0].lower() + stripped[1:]
        return part
    return ",".join(one(p) for p in text.split(","))


def lower_first(text: str) -> str:
    """Only the first letter of `text` in lower case (when it begins an ordinary word)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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


#: Numbers one to twelve in running text are written in words (Swedish skrivregler);
#: "en"/"ett" follows the noun's gender, so the caller passes the word for one.
NUMBER_WORDS = ("noll", "", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
                "elva", "tolv")


def antal_ord(count: int, singular: str, plural: str, one: str = "ett") -> str:
    """`antal_ord(2, "behov", "behov")` -> "två behov"; 13 and above in digits."""
    if count == 1:
        return f"{one} {singular}"
    if 0 <= count < len(NUMBER_WORDS):
        return f"{NUMBER_WORDS[count]} {plural}"
    return antal(count, singular, plural)


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
