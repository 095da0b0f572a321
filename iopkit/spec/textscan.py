"""Cheap scans of a spec's text that run before (or beside) the YAML parser.

`nesting_too_deep` finds nesting the parser must never see: 10,000 levels of `[` in a
few kilobytes make the YAML library recurse until the interpreter crashes, which no
exception handler can catch. `LineIndex` turns a parser offset into the line and column
an editor shows (YAML also breaks lines at U+0085, U+2028 and U+2029; editors do not).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_BLOCK_ITEM = re.compile(r"(?:-|\?|:)(?:[ ]+|$)")


@dataclass(frozen=True)
class TooDeep:
    line: int  # 1-based, as an editor counts
    column: int


def nesting_too_deep(text: str, limit: int) -> TooDeep | None:
    """The first place where block indentation plus flow brackets (`[`, `{`) nest more
    than `limit` levels, or None. Errs on the side of counting too little: what it
    misses the parser's own depth check still refuses (it only ever sees at most a few
    thousand levels of slack, which is safe)."""
    return _block_too_deep(text, limit) or _flow_too_deep(text, limit)


def _block_too_deep(text: str, limit: int) -> TooDeep | None:
    indents: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        rest = line.lstrip(" ")
        if not rest or rest[0] == "#":
            continue
        indent = len(line) - len(rest)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        depth = len(indents)
        # "- - - x" opens a level per dash on one line.
        position = indent
        match = _BLOCK_ITEM.match(line, position) if rest[0] in "-?:" else None
        while match:
            depth += 1
            position = match.end()
            if depth > limit:
                return TooDeep(number, position + 1)
            match = _BLOCK_ITEM.match(line, position)
        if depth > limit:
            return TooDeep(number, indent + 1)
    return None


def _flow_too_deep(text: str, limit: int) -> TooDeep | None:
    if text.count("[") + text.count("{") <= limit:  # the common case: nothing to scan
        return None
    depth = 0
    quote = ""
    previous = "\n"
    line, line_start = 1, 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            line, line_start = line + 1, index + 1
        elif quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char == "#" and previous in " \t\n":
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        elif char in "'\"" and previous in " \t\n[{,:-":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return TooDeep(line, index - line_start + 1)
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
        index += 1
    return None


class LineIndex:
    """Line and column (1-based, counting only '\\n' as a line break) of a character
    offset in `text`."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._starts, index) - 1
        return row + 1, index - self._starts[row] + 1
