"""Why the förvaltning does not share the underlag's procurement assessment, in its own
words, when a sign of a public contract stops the decision (R6 finding 3).

The underlag's `rättslig_bedömning.upphandling` is the parties' text. While a blocking
sign of a public contract is open, the memo quotes it as the underlag's assessment and
says why the förvaltning does not share it, as the Statsstöd section does: never as "the
förvaltning's assessment" of a conclusion its first page contradicts. A fixed sum does
not save the agreement (HFD 2020 ref. 15; IOP.md, "Procurement: the leading case").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...format import lista
from ...rules.assessment import AREA_NAMES
from ..assessment import DEFINITE_AREAS
from .todo import SIGN_DEEDS

if TYPE_CHECKING:
    from ...spec.findings import Finding

#: Blocking findings that are signs of a public contract (rules/verdict.py): the
#: procurement assessment in the underlag does not answer them. IOP103 (no assessment at
#: all) has nothing to disagree with.
PROCUREMENT_SIGNS = frozenset({"IOP101", "IOP105", "IOP106", "IOP107", "IOP108", "IOP115",
                               "IOP180", "IOP182", "IOP184"})

#: Signs that tie money to units: then "a fixed sum" is not what the agreement says.
PER_UNIT = ("IOP101", "IOP106")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def procurement_doubts(blocking: list["Finding"], open_codes: set[str],
                       context: dict[str, Any], organ: str, placing: str,
                       public: str) -> list[str]:
    """The förvaltning's reasons, one sentence each, for not sharing the underlag's
    procurement assessment (the first one worded to follow "eftersom"); empty when no sign of a public contract blocks. `open_codes`:
    the codes of all open findings (IOP198: the grant goes to running the insats);
    `organ`: the deciding body; `placing`: whose placements a statutory insats serves
    ("socialnämnden", "kommunerna"); `public`: the memo's kommun or region by name."""
    codes = {f.code for f in blocking}
    if not codes & PROCUREMENT_SIGNS:
        return []
    Organ = _capital(organ)
    reasons: list[str] = []
    areas = context["bedömning"]["lagstadgade_områden"]
    if areas and codes & {"IOP108", "IOP184"}:
        named = lista([DEFINITE_AREAS.get(a, AREA_NAMES.get(a, a)) for a in areas])
        kind = "en insats" if len(areas) == 1 else "insatser"
        # IOP184: the insats is the kommuner's, not the region's; they place there.
        owner = ("kommunerna ger enskilda genom beslut om insatsen" if "IOP184" in codes
                 else "kommunen ska ge enskilda")
        # Word order of a clause: the first reason follows "eftersom".
        funds = ("bidraget enligt avtalet ska gå till driften av" if "IOP198" in open_codes
                 else "avtalet omfattar")
        reasons.append(f"{funds} {named}, {kind} som {owner}.")
        if "IOP184" in codes:
            reasons.append("Bidraget betalar då för platser som kommunerna placerar i, även "
                           f"om {public} inte själv köper dem.")
    deeds = [SIGN_DEEDS[str(f.path[-1])] for f in blocking
             if f.code == "IOP180" and f.path and str(f.path[-1]) in SIGN_DEEDS]
    if deeds:
        reasons.append(f"{Organ} {lista(deeds)}.")
    if any("beläggning" in (i["beskrivning"] or "").lower()
           for m in context["mål"] for i in m["indikatorer"]) and codes & {"IOP108", "IOP184"}:
        reasons.append(f"Målet om beläggning visar att bidraget avser platser för {placing}s "
                       "placeringar.")
    if "IOP101" in codes:
        reasons.append("Organisationen får ersättning per prestation.")
    if "IOP106" in codes:
        reasons.append("Pengarna är kopplade till platser, deltagare, besök eller timmar.")
    if "IOP105" in codes:
        reasons.append(f"{context['ord']['Org']} ansvarar "
                       "för alla insatser medan den offentliga sidan bara bidrar med pengar.")
    if "IOP107" in codes:
        reasons.append(f"Organisationen ska behandla personuppgifter för {organ}s räkning.")
    if "IOP115" in codes:
        reasons.append("Organisationen får ett uppdrag mot ersättning enligt "
                       "kommissionens beslut 2012/21/EU.")
    if not reasons:
        reasons.append("Det finns tecken på ett offentligt kontrakt som bedömningen inte "
                       "bemöter; de anges på första sidan.")
    if not codes & set(PER_UNIT):
        reasons.append("Att bidraget är ett fast belopp utan ersättning per plats eller "
                       "prestation hindrar inte att avtalet är ett offentligt kontrakt "
                       "(HFD 2020 ref. 15).")
    return reasons
