"""The tjänsteskrivelse: the officer's decision memo to the nämnd that decides on the
agreement (document kind `tjansteskrivelse`, templates in
`iopkit/templates/tjansteskrivelse/`).

The memo is written for one public party: the party of `process.handläggare`, else the
first public party. Its templates see the agreement's context
(`render.pipeline.spec_context`, with the findings of `check` as `fynd` and the legal
facts of `rules.assessment` as `bedömning`) plus `skrivelse`:

- `part`: the public party the memo is written for; `organ`: its deciding body (from
  `process.beslut`, else "ansvarig nämnd", see `render.agreement.deciding_bodies`) and
  `Organ` with a capital; `sammanträde`: that body's decision in `process.beslut`, if
  any (its date is the meeting);
- `medel`: the money this party gives (the rows of § Ekonomi), `medel_per_år` and
  `medel_summa`; `andra_offentliga`: the other public parties, which decide in their
  own bodies;
- `näringsidkare`: idéburna parties that run a business (ekonomisk förening,
  aktiebolag): individual support to them needs synnerliga skäl (kommunallagen 2 kap.
  8 §);
- `risker`: the open warnings of `check` (not silenced), which the memo puts before the
  nämnd as risks to decide on; `undantagna`: warnings the spec silenced, with the
  reason;
- `handläggare`: `namn` and `titel` from `process.handläggare`, or None.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .render.pipeline import RenderOptions
    from .spec.findings import CheckResult

#: Party types that run a business: support to one of them is individual support to a
#: näringsidkare (kommunallagen 2 kap. 8 §; IOP.md, "Municipal competence").
BUSINESS_TYPES = ("ekonomisk förening", "aktiebolag med särskild vinstutdelningsbegränsning")


def memo_party(context: dict[str, Any]) -> dict[str, Any] | None:
    officer = context["process"]["handläggare"]
    if officer and officer["part"] and officer["part"].get("offentlig"):
        party: dict[str, Any] = officer["part"]
        return party
    public = context["offentliga_parter"]
    return public[0] if public else None


def memo_context(result: "CheckResult", options: "RenderOptions") -> dict[str, Any]:
    """The agreement's context plus `skrivelse` (see the module docstring)."""
    from .render.pipeline import spec_context

    context = spec_context(result, options)
    party = memo_party(context)
    body = next((b for b in context["beslutande_organ"]
                 if party is not None and b["part"] is party), None)
    organ = body["organ"] if body else "ansvarig nämnd"
    meeting = next((d for d in context["process"]["beslut"]
                    if party is not None and d["part"] is party), None)
    own = [m for m in context["medel"] if party is not None and m["från"] is party]
    per_year = {y: sum(m["per_år"].get(y, 0) for m in own) for y in context["år"]}
    warnings = [f for f in context["fynd"] if f["allvarlighet"] == "varning"]
    context["skrivelse"] = {
        "part": party,
        # The kommun or region whose members the support must serve, without "genom
        # nämnden" (kommunallagen 2 kap. 1 §).
        "område": re.split(r"\s+genom\s+", party["namn"])[0] if party else "",
        "organ": organ,
        "Organ": organ[:1].upper() + organ[1:],
        "sammanträde": meeting,
        "medel": own,
        "medel_per_år": per_year,
        "medel_summa": sum(m["summa"] for m in own),
        "andra_offentliga": [p for p in context["offentliga_parter"] if p is not party],
        "näringsidkare": [p for p in context["idéburna_parter"] if p["typ"] in BUSINESS_TYPES],
        "risker": [f for f in warnings if not f["undantagen"]],
        "undantagna": [f for f in warnings if f["undantagen"]],
        "handläggare": context["process"]["handläggare"],
    }
    return context
