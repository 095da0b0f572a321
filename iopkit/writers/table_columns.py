"""Column widths for a Word table with a fixed layout: Word does not size fixed columns
to their content, so the widths are solved here from the cells' text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Twips per character at 10 pt, and the cell margins.
_PER_CHAR, _PADDING = 118, 230


@dataclass
class Cell:
    children: list[Any]  # markdown-it inline tokens
    align: str | None  # "left", "right", "center" or None
    header: bool


def column_widths(rows: list[list[Cell]], columns: int, text_width: int) -> list[int]:
    """Every column at least as wide as its longest word (header included); the
    rest of the text width goes to the columns with the most text. The widths add up
    to `text_width` (twips)."""
    minimum, desired = [], []
    for c in range(columns):
        longest_word: float = 0
        longest_text = 0
        for row in rows:
            if c < len(row):
                text = "".join(t.content or "" for t in row[c].children
                               if t.type in ("text", "code_inline"))
                bold = row[c].header or any(t.type == "strong_open"
                                            for t in row[c].children)
                # Only ordinary spaces break a line: "2 400 000 kr" is one word.
                words = [len(word) * (1.2 if bold else 1.0)
                         for word in re.split(r"[ \t]+", text)]
                longest_word = max([longest_word] + words)
                longest_text = max(longest_text, len(text))
        low = int(max(longest_word, 3) * _PER_CHAR) + _PADDING
        minimum.append(low)
        desired.append(max(low, min(longest_text, 60) * _PER_CHAR + _PADDING))
    if sum(minimum) >= text_width:
        # Too little room for every longest word: narrow the widest columns first
        # (long names break), keep the narrow ones (numbers, short words) whole.
        cap = max(minimum)
        while cap > 1 and sum(min(m, cap) for m in minimum) > text_width:
            cap -= 10
        result = [min(m, cap) for m in minimum]
    else:
        extra = text_width - sum(minimum)
        wants = [d - m for d, m in zip(desired, minimum)]
        total = sum(wants)
        result = [m + (int(extra * want / total) if total else extra // columns)
                  for m, want in zip(minimum, wants)]
    result[-1] += text_width - sum(result)
    return result
