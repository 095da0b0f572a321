"""Is the file the page opens a new one from `iopkit new`, still to be filled in?

Such a file opens in the guide, with the scaffold's "FYLL I" texts as empty fields that
show the example as a placeholder (the same start as choosing a kind on the page), not
as "Alla fält" full of texts to select and delete.

A file counts as new while it carries the header `iopkit new` writes and at least one of
its values is still a "FYLL I: …" text, the questions the guide shows as empty fields.
An earlier rule (at least half of the scaffold's FYLL I lines left) sent a file back to
"Alla fält" after one save from the guide had filled in a few pages; a question left
unanswered is what makes the work unfinished, however many are answered. Comment-only
markers (`typ: kommun  # FYLL I: …`) do not count: they sit on values the scaffold has
already filled in with a usable default, which the page shows with the note and
"Stämmer" (form.js templateNote) wherever the file opens.
Opening a half-filled file in the guide loses nothing: what is filled in shows as it
is, and a save keeps the FYLL I text of every field still empty (model.js).
"""

from __future__ import annotations

import re
from typing import Any

_HEADER = re.compile(r"^# Skapad med `iopkit new --typ ([a-z0-9-]+)`", re.MULTILINE)
#: The header is at the top; a comment far down the file says nothing about its origin.
_HEADER_LINES = 12
#: A value the guide shows as an empty field (the same test as model.js's
#: emptyPlaceholders).
_QUESTION = re.compile(r"^\s*FYLL I\b")


def new_scaffold_kind(text: str, data: Any) -> str | None:
    """The scaffold kind `text` was made from, while a question in it (its parsed
    `data`) is still unanswered."""
    from ..scaffold import scaffold_names

    head = "\n".join(text.splitlines()[:_HEADER_LINES])
    match = _HEADER.search(head)
    if match is None or match[1] not in scaffold_names():
        return None
    return match[1] if _has_question(data) else None


def _has_question(data: Any) -> bool:
    """Whether any string value in `data` is still a FYLL I text (one pass, no recursion
    so that a deeply nested file cannot exhaust the stack)."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if _QUESTION.match(node):
                return True
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False
