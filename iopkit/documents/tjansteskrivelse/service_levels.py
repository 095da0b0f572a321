"""Service levels in an organisation's insatser, for the memo's Upphandling (R1 10 of
2026-12-02). Opening hours ("öppet vardagar 9–15", "bemannad vardagar 8–20") or a response
time ("stödsamtal inom två dagar efter hänvisning") look like performance the public party
could demand. HFD 2020 ref. 15 asks whether the obligations are mutual and enforceable, so
the memo says what such levels are in an IOP grant: targets of the organisation's own
activity and conditions for the grant, whose only remedies are to stop payments and claim
money back (IOP.md, the drafting principle). Found by words, one linear pass per insats
text; "öppen mötesplats" (a kind of place) is not an opening time."""

from __future__ import annotations

import re
from typing import Any

#: Open or staffed at stated times.
_HOURS = re.compile(
    r"\b(?:öppe[nt]|bemannad|bemannat|tillgänglig)\s+(?:\w+\s+){0,2}?"
    r"(?:vardagar|helger|dagligen|alla\s+dagar|dygnet\s+runt|måndag\w*|kl\.|\d{1,2}\s*[–-]\s*\d{1,2})",
    re.IGNORECASE)
#: A time within which something is done.
_RESPONSE = re.compile(
    r"\bsvarstid\w*|\binom\s+\w+\s+(?:timm(?:e|ar)|dagar|dygn|veckor|arbetsdagar|vardagar)\b",
    re.IGNORECASE)


def service_levels(context: dict[str, Any]) -> dict[str, list[str]]:
    """What the insatser of the idéburna parties set: `insatser`, their ids in the spec's
    order, and `slag`, "öppettiderna" and/or "svarstiderna"; both empty when none does."""
    ids: list[str] = []
    hours = response = False
    for activity in context["insatser"]:
        if not (activity.get("ansvarig") or {}).get("idéburen"):
            continue
        text = str(activity.get("beskrivning") or "")[:20_000]
        has_hours, has_response = bool(_HOURS.search(text)), bool(_RESPONSE.search(text))
        if has_hours or has_response:
            ids.append(str(activity["id"]))
            hours, response = hours or has_hours, response or has_response
    kinds = (["öppettiderna"] if hours else []) + (["svarstiderna"] if response else [])
    return {"insatser": ids, "slag": kinds}
