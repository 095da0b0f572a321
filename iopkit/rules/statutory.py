"""Whether a statutory insats is inside the partnership or outside it, decided once.

An organisation may run a skyddat boende, a särskilt boende, an HVB or an LSS insats and
still have an IOP for its own activity beside it (IOP.md, "Skyddat boende, särskilt boende
and other statutory insatser": the sound route is to split). What follows from the
insats depends on which side of the split it is:

- **inside**: the partnership includes or funds it (an insats or a resource describes it,
  the places come by individual decisions, or nothing excludes it). Then the HFD 2020
  ref. 15 pattern applies (a block unless split or assessed), the activity is economic
  for state aid (a market of providers), and the agreement carries the special clauses
  (report duty, lex Sarah, secret address, DPIA, IVO revoking the permit).
- **outside**: the organisation runs it, but `partnerskap.avgränsning` says it is not
  part of the partnership (or it appears only in `ivo_tillstånd.avser`, not among the
  partnership's `verksamhetsområden`), and no insats or resource describes it, and the
  places do not come by the public party's individual decisions. Then nothing blocks;
  the documents say that the boende is outside and not funded, and meddelarskydd and
  registerkontroll are stated for the partnership's own activities.

The decision reads what the user writes anyway (insatser, resources, avgränsning,
`prövning`), not a keyword that a hint tells the user to add. Rules (`check`), the memo,
the checklist and the agreement all read `scope(spec)` through `Assessment`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..spec.model import IvoPermit, Party, Spec

#: Activity areas that are insatser a kommun must provide to individuals (socialtjänstlagen,
#: LSS), with permits and a market of providers.
STATUTORY = ("skyddat boende", "särskilt boende", "HVB", "stödboende", "hemtjänst", "LSS",
             "personlig assistans")

#: How each area is named in free text (insatser, resources, avgränsning), inflected.
AREA_PATTERNS = {
    "skyddat boende": r"skydd(?:at|ade)\s+boende\w*|skyddsboende\w*",
    "särskilt boende": r"särskil(?:t|da)\s+boende\w*|äldreboende\w*",
    "HVB": r"\bHVB\b|hem\s+för\s+vård\s+eller\s+boende",
    "stödboende": r"stödboende\w*",
    "hemtjänst": r"hemtjänst\w*",
    "LSS": r"\bLSS\b|gruppbostad\w*|bostad\s+med\s+särskild\s+service",
    "personlig assistans": r"personlig\s+assistans\w*",
}

#: Words that say a thing is not part of the partnership (in `avgränsning`).
EXCLUDED = re.compile(
    r"ingår\s+inte|inte\s+ingår|omfattas\s+inte|inte\s+omfattas|utanför|"
    r"finansieras\s+inte|inte\s+finansieras|inte\s+(?:en\s+)?del\s+av|undantas|"
    r"köp(?:s|er)\s+(?:\w+\s+){0,4}separat|separat\w*\s+(?:avtal|upphandling)",
    re.IGNORECASE)

#: A sentence of free text (for finding the area and the exclusion in the same sentence).
_SENTENCE = re.compile(r"[^.;!?]+")


def _named(area: str, text: str | None) -> bool:
    return bool(text) and re.search(AREA_PATTERNS[area], text or "", re.IGNORECASE) is not None


def _excluded(area: str, text: str | None) -> bool:
    """`avgränsning` says in one sentence (or clause) that the area is not included."""
    if not text:
        return False
    for sentence in _SENTENCE.findall(text):
        if _named(area, sentence) and EXCLUDED.search(sentence):
            return True
    return False


def _permit_areas(party: Party) -> tuple[str, ...]:
    permit = party.ivo_permit
    if isinstance(permit, IvoPermit):
        return tuple(a for a in permit.covers if a in STATUTORY)
    return ()


@dataclass(frozen=True)
class Outside:
    """A statutory activity an idéburen party runs outside the partnership."""

    area: str
    party: Party


@dataclass(frozen=True)
class StatutoryScope:
    #: Statutory areas inside the partnership (included or funded), in spec order.
    inside: tuple[str, ...]
    #: Statutory activities run by idéburna parties outside the partnership.
    outside: tuple[Outside, ...]

    @property
    def outside_areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.area for o in self.outside))

    @property
    def split(self) -> bool:
        """Some statutory activity is run beside the partnership and none is inside it:
        the split IOP.md recommends."""
        return bool(self.outside) and not self.inside


def scope(spec: Spec) -> StatutoryScope:
    partnership = spec.partnership
    listed = [a for a in partnership.activity_areas if a in STATUTORY]
    permits = {party.id: _permit_areas(party) for party in spec.nonprofit_parties}
    limits = partnership.scope_limits
    described = [a.description for a in spec.activities] + \
        [r.description for r in spec.resources]
    legal = spec.legal
    screening = legal.screening if legal is not None else None
    # Places that come by the public party's decisions about individuals: whatever the
    # texts say, the partnership then gets the insats performed (HFD 2020 ref. 15).
    placed = screening is not None and screening.individual_decisions == "ja"

    def in_partnership(area: str) -> bool:
        # A sentence that names the area to exclude it ("samtalsrum, inte i det skyddade
        # boendet") does not put it in the partnership.
        return placed or any(_named(area, sentence) and not EXCLUDED.search(sentence)
                             for text in described for sentence in _SENTENCE.findall(text))

    candidates = list(dict.fromkeys(
        [*listed, *(a for areas in permits.values() for a in areas)]))
    inside = tuple(a for a in candidates if in_partnership(a) or
                   (a in listed and not _excluded(a, limits)))
    outside: list[Outside] = []
    for area in candidates:
        if area in inside:
            continue
        holders = [p for p in spec.nonprofit_parties if area in permits[p.id]]
        if not holders and spec.nonprofit_parties:
            # Listed and excluded, with no permit that names its party: the idéburen
            # party responsible for the insatser runs it.
            responsible = {a.responsible for a in spec.activities}
            holders = [next((p for p in spec.nonprofit_parties if p.id in responsible),
                            spec.nonprofit_parties[0])]
        outside.extend(Outside(area, party) for party in holders)
    return StatutoryScope(inside=inside, outside=tuple(outside))
