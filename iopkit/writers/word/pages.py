"""A rough page count, for the value the footer's NUMPAGES field shows until a viewer
lays the document out (Word and LibreOffice then compute the real one)."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Lines of body text on an A4 page with iopkit's margins and 11 pt text.
LINES_PER_PAGE = 46


@dataclass
class PageEstimate:
    pages: int = 1
    lines: float = 0.0

    def new_page(self) -> None:
        """A page break: what follows starts at the top of a new page."""
        self.pages += 1
        self.lines = 0.0

    def count_lines(self, text_length: int, chars_per_line: int, extra: float) -> None:
        """A block of `text_length` characters at about `chars_per_line` to a line,
        plus `extra` lines (spacing before and after)."""
        self.lines += max(1, math.ceil(text_length / max(chars_per_line, 8))) + extra
        while self.lines > LINES_PER_PAGE:
            self.pages += 1
            self.lines -= LINES_PER_PAGE

    def count_table_row(self, row_lines: int) -> None:
        self.count_lines(1, 90, row_lines - 1 + 0.25)


def cell_lines(text_length: int, width: int) -> int:
    """Lines a table cell of `width` twips needs for `text_length` characters."""
    return math.ceil(text_length / max(width / 105, 4))
