"""Statutory insatser and the deciding body: what follows from the split
(rules/statutory.py) and who decides.

- A statutory insats inside the partnership has a market of providers (IOP.md,
  "Skyddat boende …"): a state-aid ground that says there is no economic activity does
  not cover what the grant pays for (IOP187, blocking until assessed or split).
- The address of a skyddat boende is secret: a resource text that names a street for an
  organisation that runs one is a warning, and the documents never print it (IOP188;
  `street_address` is what render/context.py uses to leave it out).
- A decision in `process.beslut` by another body than the party's `organ` (IOP194), and
  a `process.jäv` text that names another body than the one that decides (IOP195).
- A statutory insats inside the partnership goes to fullmäktige: its decision and the
  three weeks for laglighetsprövning must fit before the agreement starts (IOP196).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from ..format import datum_lang
from ..spec.findings import Severity
from ..spec.model import Party, Spec
from .assessment import AREA_NAMES
from .statutory import AREA_PATTERNS
from .registry import Hit, RuleContext, rule
from .decisions import payment_dates
from .sources import DE_MINIMIS, HFD_2020_15, IVO, KL, KL_APPEAL, SOL, cite

#: A street-like address: a word ending in a street suffix, optionally with a number
#: ("Andra Långgatan", "Storgatan 14", "Kvarnvägen 3 B").
_STREET = re.compile(
    r"\b[A-ZÅÄÖ][\wåäöé-]*(?:gatan|gata|vägen|väg|gränd|gränden|torget|torg|allén|"
    r"backen|stigen|leden|plan|platsen|kajen|esplanaden)\b(?:\s+\d+(?:\s?[A-Za-z]\b)?)?"
    # "Kvarnbacken 3, 871 31": a name and a number before the postcode, but not a box.
    r"|\b(?!(?:Box|Fack|Postbox|Pl)\b)[A-ZÅÄÖ][\wåäöé]*\s+\d+\s*[A-Z]?\s*,\s*\d{3}\s?\d{2}\b",
    re.UNICODE)
#: Two-word street names: "Andra Långgatan", "Övre Husargatan".
_STREET_PREFIX = re.compile(
    r"\b(?:Första|Andra|Tredje|Fjärde|Övre|Nedre|Norra|Södra|Östra|Västra|Stora|Lilla)\s+"
    r"[A-ZÅÄÖ]?[\wåäö-]*(?:gatan|vägen|gränd|torget|allén)\b")


def street_address(text: str) -> str | None:
    """The street address in `text` ("Andra Långgatan", "Storgatan 14"), if any."""
    match = _STREET_PREFIX.search(text) or _STREET.search(text)
    return " ".join(match.group(0).split()) if match else None


def shelter_parties(spec: Spec, scope_areas: Iterable[str], outside: Iterable[Party]
                    ) -> list[Party]:
    """The idéburna parties that run a skyddat boende, in the partnership or beside it."""
    inside = "skyddat boende" in scope_areas
    beside = {p.id for p in outside}
    responsible = {a.responsible for a in spec.activities}
    return [p for p in spec.nonprofit_parties
            if p.id in beside or (inside and p.id in responsible)]


@rule(code="IOP187", severity=Severity.WARNING,
      title="Stödet finansierar en lagstadgad insats som är ekonomisk verksamhet",
      trigger=("partnerskapet omfattar en lagstadgad insats (skyddat boende, särskilt "
               "boende, HVB …; se IOP108) och `statsstöd_grund` är `ingen ekonomisk "
               "verksamhet`"),
      source=cite(DE_MINIMIS, HFD_2020_15))
def statutory_insats_is_economic(ctx: RuleContext) -> Iterable[Hit]:
    areas = ctx.facts.statutory_areas
    legal = ctx.spec.legal
    ground = legal.state_aid_ground if legal is not None else None
    # Without a ground IOP110/IOP111 already ask for the assessment.
    if not areas or ground != "ingen ekonomisk verksamhet":
        return
    named = ", ".join(AREA_NAMES.get(a, a) for a in areas)
    definite = "det skyddade boendet" if areas == ("skyddat boende",) else named
    path = ("rättslig_bedömning", "statsstöd_grund")
    # Whether de minimis could carry it: the largest recipient's aid against the ceiling.
    facts = ctx.facts
    counted = max((a.counted(facts.budget_reservation)[0] for a in facts.aid_by_recipient),
                  default=0)
    limit = ctx.settings.de_minimis_eur
    above = bool(facts.eur_rate) and counted / facts.eur_rate > limit
    amount = f"{limit:,}".replace(",", " ")
    ceiling = (" Beloppet överstiger taket för stöd av mindre betydelse "
               f"({amount} euro under tre år), så den grunden räcker inte." if above else "")
    insats = ("Det är en insats" if len(areas) == 1 else "Det är insatser")
    kommun = any(p.type == "kommun" for p in ctx.spec.public_parties)
    if kommun:
        # Economic activity makes the recipient a näringsidkare for it: the 2 kap. 8 §
        # question is then open too and belongs on the same list (IOP.md, "Municipal
        # competence").
        todo = (f"Stödet finansierar enligt avtalet {definite}, som är ekonomisk "
                f"verksamhet. Statsstödsfrågan måste bedömas på nytt för den delen, eller så "
                f"tas {definite} ut ur avtalet.{ceiling} Ligger {definite} kvar i avtalet tar "
                "organisationen emot stödet som näringsidkare, och innan nämnden beslutar "
                "behöver den pröva om det finns synnerliga skäl för stödet (2 kap. 8 § "
                "kommunallagen).")
    else:
        payer = " och ".join(re.split(r"\s+genom\s+", p.name)[0]
                             for p in ctx.spec.public_parties) or "den offentliga parten"
        # A region (or agency) may not fund another body's statutory duty at all: no
        # synnerliga skäl cure a lack of competence (KL 2 kap. 1–2 §§; R3 finding 3,
        # R4 finding 2).
        todo = (f"Stödet finansierar enligt avtalet {definite}, som är ekonomisk "
                f"verksamhet. {definite[:1].upper()}{definite[1:]} behöver tas ut ur "
                f"bidraget, eftersom {payer} saknar befogenhet att finansiera "
                "en insats som kommunerna ska ge enskilda (2 kap. 1 och 2 §§ kommunallagen). "
                "Statsstödsfrågan bedöms sedan bara för organisationens egen verksamhet.")
    yield Hit(path, (
        f"Partnerskapet omfattar {named}. {insats} som kommuner köper av utförare "
        "med tillstånd, på en marknad, och därför ekonomisk verksamhet: att bidraget inte "
        "är statsstöd eftersom verksamheten inte är ekonomisk gäller inte för den delen. "
        "Bedöm statsstödsfrågan på nytt för det som bidraget finansierar (beloppet mot "
        "taket för stöd av mindre betydelse, eller en annan grund), eller ta ut "
        f"{definite} ur avtalet och skriv det i `partnerskap.avgränsning`.{ceiling}"),
        todo=todo)


@rule(code="IOP188", severity=Severity.WARNING,
      title="Adress i en resurs hos en organisation med skyddat boende",
      trigger=("en idéburen part driver skyddat boende (i partnerskapet eller vid sidan av "
               "det) och dess `adress` eller en av dess resurser (`resurser[].beskrivning`) "
               "är eller nämner en gatuadress"),
      source=SOL)
def shelter_address(ctx: RuleContext) -> Iterable[Hit]:
    scope = ctx.facts.statutory_scope
    parties = shelter_parties(ctx.spec, scope.inside,
                              [o.party for o in scope.outside if o.area == "skyddat boende"])
    ids = {p.id for p in parties}
    for index, party in enumerate(ctx.spec.parties):
        street = street_address(party.address or "") if party.id in ids else None
        if street is None:
            continue
        yield Hit(("parter", index, "adress"), (
            f"Adressen för {party.name} är en gatuadress. Organisationen "
            "driver skyddat boende, vars adress är hemlig, och avtalet säger att den adress "
            "som anges för organisationen är en postadress. Ange en postadress som inte "
            "visar var verksamheten finns (till exempel en box); dokumenten visar inte "
            "gatuadressen."))
    for index, resource in enumerate(ctx.spec.resources):
        if resource.party not in ids:
            continue
        street = street_address(resource.description)
        if street is None:
            continue
        yield Hit(("resurser", index, "beskrivning"), (
            # The street is not quoted: the checklist shows this message.
            "Resursen nämner en gatuadress. Organisationen driver skyddat "
            "boende, vars adress är hemlig: avtalet, dess bilagor och tjänsteskrivelsen "
            "anger den inte, och en läsare av en allmän handling kan inte skilja "
            "organisationens andra lokaler från boendet. Ta bort adressen ur "
            "beskrivningen; dokumenten skriver \"lokaler för verksamheten\" i stället."))


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


#: A body's name in free text: "socialnämnden Centrum", "regionstyrelsen",
#: "kommunstyrelsen", "hälso- och sjukvårdsnämnden", "kommunfullmäktige".
_BODY = re.compile(
    r"\b(?:[\wåäö]+-\s+och\s+)?[\wåäö]*(?:nämnd(?:en|s)?|styrelse(?:n|ns)?|fullmäktige|"
    r"utskott(?:et)?)\b(?:\s+[A-ZÅÄÖ][\wåäö]+)?", re.IGNORECASE)
_GENERIC = {"styrelse", "styrelsen", "styrelsens", "nämnd", "nämnden", "nämnds", "utskott",
            "utskottet", "fullmäktige"}


def _base(name: str) -> str:
    """A body's name without definite or genitive endings, for comparing
    ("socialnämnden Centrum" = "Socialnämnden Centrums" = "socialnämnd Centrum")."""
    return " ".join(re.sub(r"(?:ens|ets|ns|en|et|n|s|e)$", "", word) if len(word) > 4
                    else word for word in _norm(name).split())


def other_bodies(text: str, body: str) -> list[str]:
    """The bodies that `text` names and that are not `body` ("socialnämnden Centrum" in
    a jäv text for regionstyrelsen). A generic "styrelsen" (the organisation's board) is
    no other body."""
    own = _base(body)
    out = []
    for match in _BODY.finditer(text):
        name = " ".join(match.group(0).split())
        if _norm(name).split()[0] in _GENERIC and len(name.split()) == 1:
            continue
        if re.match(r"(?i)(?:stiftelsens|föreningens|organisationens|jourens)\b", name):
            continue
        base = _base(name)
        # The organisation's own board ("styrelsen", "styrelsen Tryggt") is no public body.
        if base == own or own.startswith(base) or base.startswith(own) or \
                base.startswith("styrels"):
            continue
        out.append(name)
    return list(dict.fromkeys(out))


@rule(code="IOP194", severity=Severity.WARNING,
      title="Beslutet fattas av ett annat organ än partens",
      trigger=("ett beslut i `process.beslut` har ett annat `organ` än partens `organ` "
               "(utom fullmäktige och beslut med `delegation: ja`)"),
      source=KL)
def decision_by_other_body(ctx: RuleContext) -> Iterable[Hit]:
    process = ctx.spec.process
    if process is None:
        return
    for index, decision in enumerate(process.decisions):
        party = ctx.spec.party(decision.party)
        if party is None or not party.body or decision.delegated:
            continue
        if "fullmäktige" in decision.body.lower() or _base(decision.body) == _base(party.body):
            continue
        yield Hit(("process", "beslut", index, "organ"), (
            f"Beslutet för {party.name} fattas enligt `process.beslut` av {decision.body}, "
            f"men partens organ (`organ`) är {party.body}. Ett organ beslutar bara inom sitt "
            "eget ansvarsområde (6 kap. kommunallagen (2017:725)), och avtalet, checklistan "
            "och tjänsteskrivelsen skulle ange olika organ. Rätta `organ` i beslutet eller "
            "hos parten så att de stämmer överens."))


@rule(code="IOP195", severity=Severity.WARNING,
      title="Jävsbedömningen gäller ett annat organ",
      trigger=("`process.jäv` nämner en nämnd, styrelse eller ett utskott som inte är det "
               "organ som beslutar för den offentliga parten"),
      source=cite(KL, IVO))
def conflict_text_names_other_body(ctx: RuleContext) -> Iterable[Hit]:
    process = ctx.spec.process
    text = process.conflict_of_interest if process is not None else None
    if not text:
        return
    bodies = [p.body for p in ctx.spec.public_parties if p.body]
    if not bodies:
        return
    others = [b for b in other_bodies(text, bodies[0]) if all(
        b in other_bodies(text, body) for body in bodies)]
    if not others:
        return
    yield Hit(("process", "jäv"), (
        f"Jävsbedömningen nämner {others[0]}, men det organ som beslutar är "
        f"{' och '.join(bodies)}. Jäv prövas för det organ som beslutar (6 kap. 28–32 §§ "
        "kommunallagen (2017:725)), och tjänsteskrivelsen kan inte säga att jäv har "
        "prövats för ett organ när bedömningen gäller ett annat. Skriv bedömningen för "
        "det beslutande organet; tills dess säger tjänsteskrivelsen att jäv ska prövas "
        "innan beslutet fattas."))


@rule(code="IOP196", severity=Severity.WARNING,
      title="Fullmäktiges beslut hinns inte före starten",
      trigger=("en lagstadgad insats ligger i partnerskapet och en kommun är part, och "
               "`process.beslut` har inget beslut av kommunfullmäktige (och "
               "`rättslig_bedömning.upphandling` nämner inte fullmäktiges uppdrag), eller "
               "fullmäktiges beslut infaller på eller efter `avtalsperiod.start` eller den "
               "första utbetalningen, eller mindre än tre veckor före starten"),
      source=cite(KL, KL_APPEAL, HFD_2020_15))
def council_too_late(ctx: RuleContext) -> Iterable[Hit]:
    # avtal 24 of the second reading and R3 finding 4: the nämnd decides in December,
    # fullmäktige still has to approve, and the agreement starts on 1 January with a
    # first payment on 15 January.
    spec = ctx.spec
    if not ctx.facts.statutory_areas or spec.process is None:
        return
    start = spec.period.start
    # The first payment the payment text names: a date without a year that falls
    # before the start recurs in the next year.
    payments = [day.replace(year=day.year + 1) if day < start and not re.search(
        r"\d{4}", written) else day for written, day in payment_dates(
        (spec.economy.disbursement or "")[:20_000], start)]
    payment = min((d for d in payments if d >= start), default=None)
    legal = spec.legal
    # "fullmäktige" also inside a word: kommunfullmäktige.
    mandate = "fullmäktige" in ((legal.procurement if legal else None) or "").lower()
    # An appeal period before the start is prudence, not law: a decision may be put into
    # effect before it has gained legal force (KL 13 kap. 14 §; R4 finding 11).
    prudence = ("Det är klokt att också tiden för laglighetsprövning har gått ut före "
                "starten: ett beslut får verkställas innan det har vunnit laga kraft (13 kap. "
                "14 § kommunallagen), men upphävs det efter en laglighetsprövning kan utbetalda "
                "medel behöva krävas tillbaka.")
    first = (f" och den första utbetalningen ska ske {datum_lang(payment)}"
             if payment is not None else "")
    for party in spec.public_parties:
        if party.type != "kommun":
            continue
        own = [(i, d) for i, d in enumerate(spec.process.decisions) if d.party == party.id]
        if not own:
            continue
        council = [(i, d) for i, d in own if "fullmäktige" in d.body.lower()]
        index, decision = max(council or own, key=lambda item: item[1].date)
        appeal_ends = decision.date + dt.timedelta(weeks=3)
        head = ("Partnerskapet omfattar en insats som kommunen ska ge enskilda, så "
                "kommunfullmäktige beslutar om avtalet (10 kap. 1 § kommunallagen "
                "(2017:725)), eller nämnden med fullmäktiges uppdrag. ")
        if not council:
            if mandate and appeal_ends <= start:
                continue  # the assessment cites fullmäktige's mandate, in time
            body = f"{decision.body[:1].upper()}{decision.body[1:]}"
            message = (
                f"{head}Inget beslut av kommunfullmäktige finns i `process.beslut`: {body} "
                f"beslutar {datum_lang(decision.date)}, och kommunfullmäktige först därefter, "
                f"men avtalet börjar {datum_lang(start)}{first}. Avtalet undertecknas för "
                "kommunen först efter fullmäktiges beslut, och det kan inte gälla eller ge "
                "utbetalningar innan det är undertecknat. Ange fullmäktiges sammanträde i "
                "`process.beslut` och lägg avtalets start och den första utbetalningen efter "
                "det, eller hänvisa till fullmäktiges uppdrag i "
                f"`rättslig_bedömning.upphandling`. {prudence}")
        elif decision.date >= start or (payment is not None and decision.date >= payment):
            message = (
                f"{head}Kommunfullmäktige beslutar {datum_lang(decision.date)}, men avtalet "
                f"börjar {datum_lang(start)}{first}. Avtalet undertecknas för kommunen först "
                "efter fullmäktiges beslut, och det kan inte gälla eller ge utbetalningar "
                "innan det är undertecknat. Lägg avtalets start och den första utbetalningen "
                f"efter fullmäktiges beslut. {prudence}")
        elif appeal_ends > start:
            message = (
                f"{head}Kommunfullmäktige beslutar {datum_lang(decision.date)}, och beslutet "
                "kan överklagas i tre veckor efter att protokollet har anslagits; avtalet "
                f"börjar {datum_lang(start)}. {prudence}")
        else:
            continue
        yield Hit(("process", "beslut", index, "datum"), message)


#: A grant's purpose that funds the running of a residential insats itself: its running
#: costs or its places, said of the boende ("Bidrag till personal och drift av boendet").
_RUNNING = re.compile(r"\b(?:drift\w*|plats(?:er|erna)?|beläggning\w*)\b", re.IGNORECASE)
_RESIDENCE = re.compile(r"\bboende\w*|\bhemmet\b", re.IGNORECASE)
#: The statutory insatser that are a place to live.
_RESIDENTIAL = ("skyddat boende", "särskilt boende", "HVB", "stödboende", "LSS")


@rule(code="IOP198", severity=Severity.WARNING,
      title="Bidraget finansierar driften av en lagstadgad insats i avtalet",
      trigger=("en lagstadgad insats (skyddat boende, särskilt boende, HVB …) ligger i "
               "partnerskapet och en offentlig parts `ekonomiska medel` har en "
               "`beskrivning` som nämner insatsen, eller driften av eller platser i boendet"),
      source=cite(HFD_2020_15, SOL))
def grant_funds_running(ctx: RuleContext) -> Iterable[Hit]:
    # R3 finding 2: the grant is earmarked for the staff and running of the boende, while
    # the kommuner that place women there pay for the same stay. Either the grant pays
    # what the placements already pay (double funding, and in substance a subsidy of the
    # places), or almost nothing is left that the money may be used for: the agreement's
    # rule on placement-funded costs cannot then be followed or checked.
    areas = ctx.facts.statutory_areas
    if not areas:
        return
    public = {p.id for p in ctx.spec.public_parties}
    named = ", ".join(AREA_NAMES.get(a, a) for a in areas)
    definite = "det skyddade boendet" if areas == ("skyddat boende",) else \
        f"verksamheten inom {named}"
    for index, resource in enumerate(ctx.spec.resources):
        if resource.type != "ekonomiska medel" or resource.party not in public:
            continue
        text = resource.description or ""
        # The insats named, or its running or places said of the boende: "drift" alone
        # may be the organisation's own activity.
        named_area = any(re.search(AREA_PATTERNS[a], text, re.IGNORECASE) for a in areas
                         if a in AREA_PATTERNS)
        residence = any(a in _RESIDENTIAL for a in areas) and \
            bool(_RUNNING.search(text)) and bool(_RESIDENCE.search(text))
        if not (named_area or residence):
            continue
        yield Hit(("resurser", index, "beskrivning"), (
            f"Bidraget ska enligt avtalet gå till driften av {definite}, som ingår i "
            "avtalet. De kommuner som har beviljat insatsen betalar redan för den, genom "
            "ersättning för placeringar eller insatser. Antingen betalar bidraget samma "
            "kostnader, vilket är dubbel finansiering och i praktiken stöd till platserna "
            "eller insatserna, eller så finns nästan inget kvar som medlen får användas "
            "till: avtalets villkor om kostnader som en kommun ersätter för placeringar går "
            "då inte att följa eller kontrollera. "
            "Ange ett ändamål för verksamhet utanför placeringarna, till exempel "
            "jourtelefon och stödsamtal, med en egen budgetrad, eller ta ut "
            f"{definite} ur avtalet och skriv det i `partnerskap.avgränsning`."))
