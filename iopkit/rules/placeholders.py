"""Placeholders left from `iopkit new`.

Convention shared with `iopkit new`: a placeholder is the marker `FYLL I` (upper case)
anywhere in the file, either inside a text value (`namn: "FYLL I: partnerskapets
namn"`) or in a comment after an example value (`organisationsnummer: 212000-1355  #
FYLL I: kommunens organisationsnummer`). Each line with the marker is one warning.
"""

from __future__ import annotations

import bisect
from typing import Iterable

from ..spec.findings import KeyPath, Severity
from .registry import Hit, RuleContext, rule


@rule(code="IOP160", severity=Severity.WARNING,
      title="Ifyllnadstext kvar",
      trigger="en rad innehåller markeringen `FYLL I` från `iopkit new`",
      source="iopkit: mallen från `iopkit new` markerar det som ska fyllas i med FYLL I")
def placeholder_left(ctx: RuleContext) -> Iterable[Hit]:
    marker = ctx.settings.placeholder_marker
    for number, text in enumerate(ctx.lines, start=1):
        column = text.find(marker)
        if column < 0:
            continue
        in_comment = "#" in text[:column]
        where = "kommentaren" if in_comment else "texten"
        yield Hit(_path_for_line(ctx, number, text), (
            f"Raden innehåller fortfarande {marker} från mallen. Fyll i rätt uppgift och ta "
            f"bort markeringen {marker} ur {where}."), number, column + 1)


def _path_for_line(ctx: RuleContext, number: int, text: str) -> KeyPath:
    """The key path a line belongs to: the key or value starting on it, or else, for a
    line inside a multi-line text, the text value that began above it."""
    path = ctx.document.path_at_line(number)
    if path or text.lstrip().startswith("#"):
        return path
    starts, paths = _text_starts(ctx)
    before = bisect.bisect_left(starts, (number, 0))
    return paths[before - 1] if before else ()


def _text_starts(ctx: RuleContext) -> tuple[list[tuple[int, int]], list[KeyPath]]:
    """Where each text value starts, in file order, with its path (built once per check:
    a marker on each of 100 000 lines must not look through every value each time)."""
    cached = ctx.cache.get("placeholder_text_starts")
    if cached is None:
        items = sorted((((pos.line, pos.column), p)
                       for p, pos in ctx.document.value_positions.items()
                       if isinstance(ctx.document.get(p), str)), key=lambda item: item[0])
        cached = ([start for start, _ in items], [p for _, p in items])
        ctx.cache["placeholder_text_starts"] = cached
    return cached  # type: ignore[return-value]
