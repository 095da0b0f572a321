"""Is the file the page opens a new one from `iopkit new`, still to be filled in?

Such a file opens in the guide, with the scaffold's "FYLL I" texts as empty fields that
show the example as a placeholder (the same start as choosing a kind on the page), not
as "Alla fält" full of texts to select and delete. A file counts as new when it still
carries the header `iopkit new` writes and at least half of that scaffold's FYLL I
lines: a file the user has worked on opens as it is.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^# Skapad med `iopkit new --typ ([a-z0-9-]+)`", re.MULTILINE)
#: The header is at the top; a comment far down the file says nothing about its origin.
_HEADER_LINES = 12


def new_scaffold_kind(text: str) -> str | None:
    """The scaffold kind `text` was made from, when it is still (nearly) untouched."""
    from ..scaffold import PLACEHOLDER, placeholder_lines, scaffold_names, scaffold_text

    head = "\n".join(text.splitlines()[:_HEADER_LINES])
    match = _HEADER.search(head)
    if match is None or match[1] not in scaffold_names():
        return None
    kind = match[1]
    header_end = _header_length(scaffold_text(kind))
    left = [n for n in placeholder_lines(text) if n > header_end]
    total = [n for n in placeholder_lines(scaffold_text(kind)) if n > header_end]
    if not total or PLACEHOLDER not in text:
        return None
    return kind if 2 * len(left) >= len(total) else None


def _header_length(text: str) -> int:
    """The number of lines of the leading comment block (the header) of a scaffold."""
    count = 0
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        count += 1
    return count
