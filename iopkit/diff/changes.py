"""A change between two versions of a spec, and the Swedish words for it: what the
comparison (compare.py) produces and what the readers of its list share, the terminal
report (text.py), the annex to the agreement (documents/tillagg) and the web editor's
conflict notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from ..format import datum_lang, kronor, lista

# Sections in the order of the agreement draft (see shared/domain/IOP.md).
SECTIONS = (
    "Partnerskapet",
    "Parter",
    "Behovsinventering",
    "Mål och indikatorer",
    "Insatser",
    "Resurser",
    "Ekonomi",
    "Rättslig bedömning",
    "Styrning",
    "Uppföljning",
    "Avtalsperiod",
    "Personuppgifter",
    "Villkor",
    "Bilagor",
)

# How alike the words of two texts must be (difflib ratio) to count as one reworded item.
REWORD_SIMILARITY = 0.6


class ChangeKind(str, Enum):
    ADDED = "tillagd"
    REMOVED = "borttagen"
    CHANGED = "ändrad"

    @property
    def marker(self) -> str:
        return {"tillagd": "+", "borttagen": "-", "ändrad": "~"}[self.value]


@dataclass(frozen=True)
class Change:
    """One change between two versions, with a formal Swedish sentence describing it.

    `old`/`new` are the values as shown to a reader (amounts and dates formatted);
    `difference` is set for amounts (kronor, new minus old); `derived` marks a
    consequence of other changes (a new total) rather than a change in itself;
    `reworded` marks a text that got a new wording (shown before and after in reports).
    """

    section: str
    kind: ChangeKind
    subject: str
    sentence: str
    path: str
    old: str | None = None
    new: str | None = None
    difference: int | None = None
    derived: bool = False
    reworded: bool = False


# --- Swedish formatting -----------------------------------------------------------------


def kronor_difference(amount: int) -> str:
    """200000 → "+200 000 kr", -200000 → "−200 000 kr"."""
    sign = "+" if amount >= 0 else "\u2212"
    return sign + kronor(abs(amount))


def date_text(date: dt.date) -> str:
    """2027-01-01 → "den 1 januari 2027"."""
    return datum_lang(date)


def normalise(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def quote(text: str) -> str:
    return f"\u201d{normalise(text)}\u201d"


def join_names(names: Sequence[str]) -> str:
    return lista(names) or "ingen"


def finish_sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ".\u201d", "!\u201d", "?\u201d")) else text + "."


# --- Counting and grouping -------------------------------------------------------------

NO_CHANGES = "Inga ändringar i sak."


def count_text(changes: Sequence[Change]) -> str:
    """ "3 ändringar" (derived totals are consequences, not counted)."""
    count = sum(1 for c in changes if not c.derived)
    return f"{count} ändring" if count == 1 else f"{count} ändringar"


def grouped(changes: Sequence[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by section, in the order of the agreement."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.section, []).append(change)
    return [(section, groups[section]) for section in SECTIONS if section in groups]
