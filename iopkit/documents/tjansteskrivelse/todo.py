"""What the memo's first page lists as what must be done before the decision (IOP.md,
"The decision: what iopkit may propose to a nämnd"): one plain sentence per blocking
finding, with the facts behind a statutory insats merged into its item (R1 6 and 21).
Kept apart from the memo's context so that module stays one concern and under the size limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules.verdict import verdict as legal_verdict

if TYPE_CHECKING:
    from ...spec.findings import CheckResult, Finding

#: What must be done first, per blocking rule, in the officer's words (used until the
#: verdict carries its own `todo` texts).
TODO_TEXTS = {
    "IOP101": "Ersättningen per prestation tas bort. Ett partnerskap kan bara ge bidrag till "
              "organisationens egen verksamhet; ska den offentliga parten köpa tjänsten "
              "behöver den upphandlas, eventuellt som en upphandling reserverad för "
              "idéburna organisationer (19 kap. 25 a § LOU).",
    "IOP102": "Vitena tas bort ur avtalet. Den offentliga partens sanktion när villkoren inte "
              "uppfylls är att stoppa utbetalningar och kräva tillbaka medel.",
    "IOP103": "En bedömning görs och dokumenteras av om avtalet är ett offentligt kontrakt "
              "enligt lagen (2016:1145) om offentlig upphandling.",
    "IOP105": "Upphandlingsbedömningen behöver bemöta att den offentliga parten bara bidrar "
              "med pengar medan organisationen ansvarar för alla insatser, eller så ändras "
              "fördelningen av insatser och resurser.",
    "IOP106": "Kopplingen mellan pengarna och platser, deltagare, besök eller timmar tas bort, "
              "eller så bemöts den i upphandlingsbedömningen.",
    "IOP108": "Det utreds om verksamheten är en insats som den offentliga parten enligt lag "
              "ska ge enskilda och som organisationen skulle utföra åt den. I så fall "
              "behöver avtalet delas: ett partnerskap för organisationens egen verksamhet "
              "och platserna genom upphandling, och fullmäktige besluta om en kommunal "
              "angelägenhet lämnas över (10 kap. 1 § kommunallagen).",
    "IOP110": "En statsstödsbedömning görs: stödet är över taket för stöd av mindre "
              "betydelse och kan vara otillåtet statsstöd.",
    "IOP112": "Stödet är över taket för stöd av mindre betydelse och kan inte lämnas på den "
              "grunden. En annan grund väljs (till exempel kommissionens beslut 2012/21/EU "
              "med en uppdragsakt), eller så minskas stödet.",
    "IOP126": "Det anges vilken organisation som tar emot varje belopp.",
    "IOP127": "Ett bidrag går till en part som inte är idéburen; mottagaren rättas.",
    "IOP145": "Organisationen visar tillstånd från Inspektionen för vård och omsorg (IVO) för "
              "verksamheten, eller att den har ansökt om tillstånd enligt "
              "övergångsbestämmelserna.",
}


def todo_texts(result: "CheckResult", organ: str = "nämnden") -> list[str]:
    """What must be done before the decision, one plain sentence per blocking finding:
    the verdict's own texts when it has them, else derived here. `organ`: the body that
    decides ("socialnämnden"), named where the signs say what it does."""
    from .context import plain  # context imports this module: a late import, no cycle

    found = legal_verdict(result)
    given = getattr(found, "todo", None)
    if given:
        return _merged_signs(found.blocking, [plain(str(t)) for t in given], organ)
    out: list[str] = []
    for finding in found.blocking:
        text = TODO_TEXTS.get(finding.code) or plain(finding.message)
        if text not in out:
            out.append(text)
    return out


#: Blocking findings that already say the insats is statutory and what to do instead.
STATUTORY_CODES = ("IOP108", "IOP184")


#: What each sign of a public contract says the deciding body does, in the officer's
#: words: the nämnd by name, not "den offentliga parten" of the spec (R4 finding 9).
SIGN_DEEDS = {
    "tidigare_upphandlad": "har tidigare köpt eller upphandlat den här eller en liknande "
                           "verksamhet",
    "lagstadgad_insats": "ska enligt lag ge enskilda den här insatsen",
    "individuella_beslut": "placerar eller hänvisar deltagarna genom beslut om enskilda",
    "behöver_utföras": "behöver få verksamheten utförd och skulle ordna den på annat sätt "
                       "om organisationen slutade",
}


def _merged_signs(blocking: list["Finding"], todo: list[str], organ: str) -> list[str]:
    """With a statutory insats on the list, the other signs of a public contract from
    the plain questions (IOP180) are facts behind the same point: one sentence added to
    that item, not the same remedy repeated (R1 21), saying what the nämnd itself does."""
    from .context import plain
    from ...rules.verdict import todo_text

    first = next((f for f in blocking if f.code in STATUTORY_CODES), None)
    signs = [f for f in blocking if f.code == "IOP180" and f.path
             and str(f.path[-1]) in SIGN_DEEDS]
    if first is None or not signs:
        return todo
    dropped = {plain(todo_text(f)) for f in signs}
    kept = [t for t in todo if t not in dropped]
    deeds = [SIGN_DEEDS[str(f.path[-1])] for f in signs]
    facts = deeds[0] if len(deeds) == 1 else ", ".join(deeds[:-1]) + " och " + deeds[-1]
    target = plain(todo_text(first))
    return [f"{t} {organ[:1].upper()}{organ[1:]} {facts}; det talar också för att avtalet är "
            "ett offentligt kontrakt." if t == target else t for t in kept]


def with_occupancy(result: "CheckResult", todo: list[str], context: dict[str, Any],
                   placing: str = "nämnden") -> list[str]:
    """An occupancy target ties a fixed sum to places the public side fills (HFD 2020
    ref. 15 found a contract with a fixed annual sum): named in the statutory item (R1 6).
    `placing`: whose placements the places serve ("socialnämnden", "kommunerna")."""
    first = next((f for f in legal_verdict(result).blocking if f.code in STATUTORY_CODES),
                 None)
    targets = [i for m in context["mål"] for i in m["indikatorer"]
               if "beläggning" in (i["beskrivning"] or "").lower()]
    if first is None or not targets:
        return todo
    from .context import plain
    from ...rules.verdict import todo_text

    start = plain(todo_text(first))[:40]
    # A goal indicator is no payment term: it shows what the grant is for, not that it is
    # paid per place (R4 finding 10).
    extra = (f" Målet om beläggning visar att bidraget avser platser för {placing}s "
             "placeringar; tas platserna ut utgår också det målet.")
    return [t + extra if t.startswith(start) else t for t in todo]


#: IOP196's variants that say the agreement cannot start before fullmäktige's decision (the
#: third variant, an appeal period running into the start, is prudence, not law).
_UNSIGNED = "innan det är undertecknat"


def with_council_dates(result: "CheckResult", todo: list[str], council: str) -> list[str]:
    """While the statutory item is on page 1 and fullmäktige would decide after the start
    (IOP196), page 1 also says that the start and the first payment then move (R6 6;
    IOP.md, "Who decides" and "Dates"; KL 10 kap. 1 §): one item right after the
    statutory one. `council`: "kommunfullmäktige" or "regionfullmäktige"."""
    first = next((f for f in legal_verdict(result).blocking if f.code in STATUTORY_CODES),
                 None)
    late = [f for f in result.findings if f.code == "IOP196" and not f.silenced
            and _UNSIGNED in f.message]
    spec = result.spec
    if not late or spec is None or first is None:
        return todo
    from .context import plain
    from ...format import datum_lang
    from ...rules.verdict import todo_text

    item = (f"Ska {council} besluta om avtalet behöver avtalets start "
            f"({datum_lang(spec.period.start)}) och den första utbetalningen flyttas till "
            "efter fullmäktiges beslut och undertecknandet, eftersom avtalet inte kan gälla "
            "eller ge utbetalningar innan det är undertecknat.")
    start = plain(todo_text(first))[:40]
    at = next((i + 1 for i, t in enumerate(todo) if t.startswith(start)), len(todo))
    return todo[:at] + [item] + todo[at:]
