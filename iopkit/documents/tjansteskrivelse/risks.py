"""The memo's Risker: the risks of this case, named and short, derived from what the
program knows (R4 13). IOP.md, "The decision": a documented assessment that lifts a sign
"is then described honestly under Risker"; a risk is no decide-anyway for a legal defect
(those stand on page 1 and block the proposal).

What is named:
- an idéburen party runs statutory (economic) activity beside the partnership: the grant
  could cross-subsidise it, and the aid could be reclassified; so särredovisning;
- the public party also buys places in that activity from the same organisation: costs
  could be paid twice;
- stöd av mindre betydelse resting on declarations that have not come in;
- a commitment over several budget years without budgetförbehåll;
- a sign of a public contract that the procurement assessment addresses;
- while the matter is blocked: what the defects on page 1 lead to if they are not
  remedied (R6 4 and 5), in one paragraph that points to page 1, never as a risk the
  nämnd could accept instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ...format import tal
from ...rules.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from ...spec.findings import CheckResult, Finding

#: The avgränsning says the public side buys the places ("socialnämnden köper dem",
#: "platserna köps genom upphandling"): bounded, one linear pass.
_BOUGHT = re.compile(r"\b(köper|köps|köpas|upphandla[sd]?|upphandlar)\b", re.IGNORECASE)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _declarations_open(context: dict[str, Any], draft: dt.date) -> bool:
    process = context["process"]
    given = process["försäkran"]
    return bool(context["bedömning"]["de_minimis"]) and (given is None or given > draft)


def _addressed_signs(result: "CheckResult") -> list[str]:
    """The plain questions answered yes whose sign no open finding reports: the
    procurement assessment deals with them (rules/procurement.py, IOP180)."""
    from ...rules.procurement import SIGN_TEXT

    spec = result.spec
    screening = spec.legal.screening if spec is not None and spec.legal else None
    if screening is None:
        return []
    reported = {str(f.path[-1]) for f in result.findings
                if f.code in ("IOP180", "IOP182") and f.path}
    out = []
    for sign, text in SIGN_TEXT.items():
        # A statutory insats is judged on substance elsewhere (the split, IOP108/IOP184).
        if sign == "lagstadgad_insats" or sign in reported:
            continue
        if getattr(screening, _FIELD[sign], None) == "ja":
            out.append(text)
    return out


#: The model's field names for the plain questions (spec/model.py, Screening).
_FIELD = {"tidigare_upphandlad": "procured_before", "individuella_beslut":
          "individual_decisions", "behöver_utföras": "needed_performed"}


def case_risks(result: "CheckResult", context: dict[str, Any],
               skrivelse: dict[str, Any], draft: dt.date) -> list[str]:
    """The case's risks in the officer's words, each one or two sentences."""
    words = context["ord"]
    organ = skrivelse["organ"]
    risks: list[str] = []
    limits = context["partnerskap"]["avgränsning"] or ""
    party = skrivelse["part"]
    buys = bool(_BOUGHT.search(limits[:5000])) and party is not None and \
        party["typ"] == "kommun"
    for outside in context["bedömning"]["lagstadgad_utanför"]:
        name = " ".join(outside["part"]["namn"].split())
        risks.append(
            f"{name} driver också {outside['område_en']}, som är ekonomisk verksamhet. Om "
            "bidraget eller andra resurser enligt avtalet kommer den verksamheten till del, "
            "till exempel genom gemensam personal eller gemensamma lokaler, kan stödet "
            "bedömas som stöd till en ekonomisk verksamhet och behöva betalas tillbaka. "
            "Partnerskapets medel behöver därför redovisas skilt från "
            f"{outside['område_bestämd']}, med en redovisad fördelning av gemensamma "
            "kostnader.")
        if buys:
            risks.append(
                f"{_capital(organ)} köper också platser i {outside['område_bestämd']} av "
                f"{name}. Om samma kostnader, till exempel för personal som arbetar i båda "
                "verksamheterna, betalas både med bidraget och med ersättningen för platserna "
                "finns risk för dubbel finansiering. Redovisningen enligt avtalet behöver "
                "därför visa att bidraget inte används för kostnader som ersättningen för "
                "platserna täcker.")
    if _declarations_open(context, draft):
        risks.append(
            "Bedömningen att stödet ryms inom taket för stöd av mindre betydelse vilar på "
            f"{'försäkringar' if words['flera_idéburna'] else 'en försäkran'} som ännu inte "
            "har kommit in. Har en mottagare fått annat stöd av mindre betydelse under de "
            "senaste tre åren kan taket överskridas, och då kan stödet inte lämnas på den "
            "grunden.")
    if skrivelse["binder_år"]:
        years = [str(y) for y in skrivelse["binder_år"]]
        shown = years[0] if len(years) == 1 else ", ".join(years[:-1]) + " och " + years[-1]
        budgets = "budgeten" if len(years) == 1 else "budgetarna"
        risks.append(
            f"Avtalet har inget budgetförbehåll. Åtagandet binder därför {budgets} för "
            f"{shown}, också om {skrivelse['fullmäktige']} senare ger {organ} en mindre ram.")
    risks.extend(_no_fallback_ground(context))
    for sign in _addressed_signs(result):
        # The spec's "den offentliga parten" is the body the memo is addressed to.
        sign = sign.replace("den offentliga partens", f"{organ}s").replace(
            "den offentliga parten", organ)
        risks.append(
            f"{_capital(sign)}. Det är ett tecken på ett offentligt kontrakt; "
            "upphandlingsbedömningen bemöter det (se Upphandling). Skulle avtalet ändå "
            "bedömas som ett offentligt kontrakt kan det leda till upphandlingsskadeavgift "
            "och till att avtalet förklaras ogiltigt.")
    return risks


def _no_fallback_ground(context: dict[str, Any]) -> list[str]:
    """On the ground "ingen ekonomisk verksamhet", a recipient whose aid is above the de
    minimis ceiling has no ground to fall back on if the activity is found economic
    (R6 15): the aid would have to be recovered with interest."""
    if context["rättslig_bedömning"]["statsstöd_grund"] != "ingen ekonomisk verksamhet":
        return []
    ceiling = DEFAULT_SETTINGS.de_minimis_eur
    rate = float(context["eurokurs"]["kurs"])
    out = []
    for aid in context["bedömning"]["stöd_per_mottagare"]:
        euro = float(aid["räknat"]) / rate
        if euro > ceiling:
            name = " ".join(str(aid["part"]["namn"]).split())
            out.append(
                f"Bedömningen att verksamheten inte är ekonomisk bär beslutet om stödet till "
                f"{name}. Skulle verksamheten ändå bedömas som ekonomisk kan stödet inte "
                f"lämnas som stöd av mindre betydelse: det är omkring {tal(round(euro))} euro "
                f"och överstiger taket ({tal(ceiling)} euro under tre år). Stöd som har "
                "lämnats utan grund ska betalas tillbaka med ränta.")
    return out


#: Blocking findings whose consequence is an unlawful aid: recovery with interest.
AID_BLOCKS = frozenset({"IOP110", "IOP112", "IOP117", "IOP187"})
#: Blocking findings that say the aid is above the de minimis ceiling.
_ABOVE_CEILING = re.compile(r"överstiger taket för stöd av mindre betydelse|över taket för "
                            r"stöd av mindre betydelse")


def blocked_consequences(blocking: list["Finding"], open_codes: set[str],
                         skrivelse: dict[str, Any], areas: list[str]) -> list[str]:
    """What the defects that stop the decision lead to if they are not remedied, one
    sentence each (R6 4 and 5): an unprocured public contract (upphandlingsskadeavgift,
    invalidity; HFD 2020 ref. 15), unlawful aid (recovery with interest), the grant paying
    the costs the placements already pay (IOP198), and a region's lack of competence for a
    kommun's insats (IOP184). `areas`: the statutory areas inside the partnership. Empty
    while nothing blocks."""
    from ..assessment import DEFINITE_AREAS
    from .procurement import PROCUREMENT_SIGNS

    codes = {f.code for f in blocking}
    if not codes:
        return []
    out = ["Det som anges på första sidan hindrar att avtalet godkänns i den här formen, och "
           "bristerna får följder om de inte åtgärdas."]
    if codes & PROCUREMENT_SIGNS or "IOP103" in codes:
        out.append("Är avtalet ett offentligt kontrakt som inte har upphandlats kan det leda "
                   "till upphandlingsskadeavgift (21 kap. LOU) och till att avtalet förklaras "
                   "ogiltigt.")
    if codes & AID_BLOCKS:
        above = any(f.code in AID_BLOCKS and _ABOVE_CEILING.search(f.message)
                    for f in blocking)
        out.append("Stöd som lämnas i strid med statsstödsreglerna ska återkrävas från "
                   "mottagaren med ränta" + (
                       "; stöd av mindre betydelse kan inte användas i stället, eftersom "
                       "beloppet överstiger taket." if above else "."))
    if "IOP198" in open_codes:
        payer = "kommunerna" if "IOP184" in codes or party_type(skrivelse) != "kommun" \
            else skrivelse["organ"]
        paid = ("platserna i det skyddade boendet genom placeringarna"
                if areas == ["skyddat boende"] else
                " och ".join(DEFINITE_AREAS.get(a, a) for a in areas) +
                " genom ersättningen för placeringar eller insatser")
        out.append(f"{_capital(payer)} betalar redan för {paid}, så bidraget kan komma att "
                   "betala samma kostnader två gånger.")
    if "IOP184" in codes:
        out.append(f"{skrivelse['område']} saknar befogenhet att finansiera en insats som "
                   "kommunerna ska ge enskilda (2 kap. 1 och 2 §§ kommunallagen), och ett "
                   "beslut om det kan upphävas efter laglighetsprövning (13 kap. 8 §).")
    return out if len(out) > 1 else []


def party_type(skrivelse: dict[str, Any]) -> str | None:
    party = skrivelse["part"]
    return str(party["typ"]) if party else None
