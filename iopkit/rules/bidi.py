"""Invisible characters that change the reading order of text ("Trojan Source").

A right-to-left override (U+202E) and its relatives make text display in another order
than it is stored: an agreement could show "300 000 kr" to the reader while saying
something else to every program that reads it, or the reverse. No Swedish agreement
needs them, so any key or text that contains one gets a warning.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..spec.findings import KeyPath, Severity
from .registry import Hit, RuleContext, rule

#: Embeddings, overrides, isolates and marks that change the direction of text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@rule(code="IOP170", severity=Severity.WARNING,
      title="Osynliga tecken som vänder läsriktningen",
      trigger="en nyckel eller text innehåller ett tecken som ändrar textens riktning "
              "(U+202A–U+202E, U+2066–U+2069, U+200E, U+200F eller U+061C)",
      source="iopkit: sådana tecken kan få ett avtal att se ut att säga något annat än det "
             "gör (CVE-2021-42574, \"Trojan Source\")")
def bidi_controls(ctx: RuleContext) -> Iterable[Hit]:
    for path, text, is_key in _texts(ctx.document.data, ()):
        match = BIDI_CONTROLS.search(text)
        if match is None:
            continue
        code = f"U+{ord(match.group()):04X}"
        what = "Nyckeln" if is_key else "Texten"
        position = (ctx.document.key_positions if is_key
                    else ctx.document.value_positions).get(path)
        line, column = (position.line, position.column) if position else (None, None)
        yield Hit(path, (
            f"{what} innehåller ett osynligt tecken ({code}) som ändrar läsriktningen. Det "
            "kan få avtalet att visas på ett annat sätt än det står. Skriv om texten utan "
            "det, till exempel genom att skriva den på nytt i stället för att klistra in."),
            line, column)


def _texts(value: Any, path: KeyPath) -> Iterable[tuple[KeyPath, str, bool]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str):
                yield path + (key,), key, True
            yield from _texts(inner, path + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _texts(inner, path + (index,))
    elif isinstance(value, str):
        yield path, value, False
