"""Procurement: signs that the agreement is a public contract under LOU, not a partnership.

The leading case is HFD 2020 ref. 15 (Alingsås kommun and Stiftelsen Bräcke diakoni): an
agreement called an IOP was a public service contract because the foundation undertook
to run a service for the kommun in exchange for payment, the service was of direct
economic interest to the kommun, and the obligations were mutual and legally
enforceable. Non-profit status, the IOP label and "there is no market" did not matter.
The case is not cited for the length of the period (see period.py).
"""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule, word_pattern
from .assessment import AREA_NAMES
from .sources import GDPR, HFD_2020_15, KL_TASK, LOU, LOU_RESERVED, LOV_RESERVED, UHM, cite

#: What a message says of the consequences of a public contract that was not procured.
CONSEQUENCES = (
    "Om avtalet är ett offentligt kontrakt som inte har upphandlats kan den offentliga "
    "parten åläggas att betala upphandlingsskadeavgift (21 kap. lagen (2016:1145) om "
    "offentlig upphandling, LOU; i HFD 2020 ref. 15 ålades Alingsås kommun att betala "
    "enligt den då gällande lagen (2007:1091) om offentlig upphandling), och avtalet kan "
    "förklaras ogiltigt.")

#: The routes that fit when the parties want payment per unit or penalties.
ROUTES = (
    "Välj en väg som passar: ett bidrag till organisationens egen verksamhet utan "
    "betalning per enhet (`ersättningsform: bidrag`, inga viten); en vanlig upphandling "
    "enligt lagen (2016:1145) om offentlig upphandling (LOU); en upphandling reserverad för "
    "idéburna organisationer enligt LOU 19 kap. 25 a § (för vissa tjänster i bilaga 2 till "
    "LOU, med villkor om uteslutande allmännyttigt syfte, inga värdeöverföringar utom till "
    "andra idéburna organisationer eller forskning och inget bestämmande inflytande för en "
    "offentlig aktör; registrering som idéburen organisation är inget villkor); eller ett "
    "valfrihetssystem reserverat för idéburna organisationer enligt lagen (2008:962) om "
    "valfrihetssystem (LOV), 1 kap. 2 a §.")

ROUTE_SOURCES = cite(HFD_2020_15, LOU, LOU_RESERVED, LOV_RESERVED, UHM)


@rule(code="IOP101", severity=Severity.ERROR,
      title="Ersättning per prestation",
      trigger="`ekonomi.ersättningsform` är `per prestation`",
      source=ROUTE_SOURCES)
def per_unit_payment(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.economy.payment_form == "per prestation":
        yield Hit(("ekonomi", "ersättningsform"), (
            "Ersättning per prestation gör organisationens åtaganden till prestationer som "
            "den offentliga parten betalar för. Det är det starkaste tecknet på ett offentligt "
            "kontrakt, och i HFD 2020 ref. 15 fann domstolen ett kontrakt redan med en fast "
            f"årlig summa. Ett IOP kan inte ha betalning per prestation. {CONSEQUENCES} "
            f"{ROUTES}"))


@rule(code="IOP102", severity=Severity.ERROR,
      title="Viten",
      trigger="`ekonomi.viten` är `ja`",
      source=ROUTE_SOURCES)
def penalties(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.economy.penalties:
        yield Hit(("ekonomi", "viten"), (
            "Viten gör organisationens åtaganden till prestationer som den offentliga parten "
            "kan kräva ut, det vill säga ömsesidiga och rättsligt utkrävbara åtaganden som i "
            "HFD 2020 ref. 15. I ett IOP är organisationens skyldigheter villkor för bidraget: "
            "om de inte uppfylls stoppar den offentliga parten utbetalningen och kräver "
            f"tillbaka medel, den kräver inte leverans. Skriv `viten: nej`. {CONSEQUENCES} "
            f"{ROUTES}"))


@rule(code="IOP103", severity=Severity.WARNING,
      title="Upphandlingsbedömning saknas",
      trigger="`rättslig_bedömning.upphandling` saknas",
      source=cite(HFD_2020_15, UHM))
def procurement_assessment_missing(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.legal is None or ctx.spec.legal.procurement is None:
        yield Hit(("rättslig_bedömning", "upphandling"), (
            "Bedömningen av upphandlingsfrågan saknas. Beskriv i "
            "`rättslig_bedömning.upphandling` varför avtalet inte är ett offentligt kontrakt "
            "enligt lagen (2016:1145) om offentlig upphandling, med HFD 2020 ref. 15 som "
            "utgångspunkt: att den offentliga parten inte köper en tjänst för egen räkning "
            "utan stöder organisationens egen verksamhet, att organisationens skyldigheter är "
            "villkor för bidraget (använda medlen för ändamålet, redovisa, betala tillbaka) "
            "och inte prestationer mot betalning, och att båda parter bidrar med resurser. "
            "Att organisationen är idéburen, att avtalet kallas IOP eller att det inte finns "
            "någon marknad räcker inte som skäl."))


@rule(code="IOP104", severity=Severity.WARNING,
      title="Upphandlingsspråk i texten",
      trigger=("en text (utom `rättslig_bedömning` och `iopkit_undantag`) innehåller ord som "
               "\"beställare\", \"leverantör\", \"kravspecifikation\", \"vite\", \"anbud\" "
               "eller \"upphandl…\""),
      source=cite(HFD_2020_15, UHM))
def procurement_language(ctx: RuleContext) -> Iterable[Hit]:
    pattern = word_pattern(ctx.settings.procurement_words)
    for path, word, line, column in ctx.find_words(pattern):
        yield Hit(path, (
            f"Texten innehåller \"{word}\", ett ord som hör till upphandling och köp av "
            "tjänster. Ett partnerskap beskrivs med gemensamma behov, mål och insatser, inte "
            "med beställare, leverantörer och krav på leverans. Formulera om texten, eller "
            "undanta regeln med en motivering i `iopkit_undantag` om ordet används i en annan "
            "mening."), line, column)


@rule(code="IOP105", severity=Severity.WARNING,
      title="Den offentliga parten bidrar bara med pengar",
      trigger=("de offentliga parterna bidrar bara med `ekonomiska medel` och de idéburna "
               "parterna är `ansvarig` för varje insats"),
      source=cite(HFD_2020_15, LOU, UHM))
def public_only_pays(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    public = {p.id for p in spec.public_parties}
    public_resources = [r for r in spec.resources if r.party in public]
    if not public_resources or any(not r.is_money for r in public_resources):
        return
    if any(a.responsible in public for a in spec.activities):
        return
    yield Hit(("insatser",), (
        "De offentliga parterna bidrar bara med pengar, och de idéburna parterna ansvarar "
        "för varje insats. Då liknar den offentliga parten en köpare och organisationen en "
        "leverantör, som i HFD 2020 ref. 15 där en stiftelse drev verksamhet åt kommunen mot "
        f"betalning. {CONSEQUENCES} Beskriv vad de offentliga parterna själva gör i "
        "partnerskapet (egna insatser, personal, kompetens, lokaler), eller pröva om avtalet "
        "ska upphandlas."))


@rule(code="IOP106", severity=Severity.WARNING,
      title="Pengar knutna till platser, deltagare eller timmar",
      trigger=("`ekonomi`, en resurs eller en insats talar om pengar \"per plats\", \"per "
               "deltagare\", \"per timme\", \"per dygn\", \"per besök\" eller liknande"),
      source=cite(HFD_2020_15, LOU))
def per_unit_wording(ctx: RuleContext) -> Iterable[Hit]:
    pattern = word_pattern(ctx.settings.per_unit_words)
    for path, word, line, column in ctx.find_words(pattern):
        if path[:1] not in (("ekonomi",), ("resurser",), ("insatser",)):
            continue
        yield Hit(path, (
            f"Texten knyter pengar till antal (\"{word}\"). Betalning per plats, deltagare "
            "eller timme är betalning för utförda tjänster, ett tecken på ett offentligt "
            f"kontrakt enligt HFD 2020 ref. 15. {CONSEQUENCES} Beskriv bidraget som ett stöd "
            "till verksamheten som helhet, utan koppling till antal, eller pröva om avtalet "
            "ska upphandlas."), line, column)


@rule(code="IOP107", severity=Severity.WARNING,
      title="Organisationen är personuppgiftsbiträde",
      trigger="`personuppgifter.ansvar` är `biträde`",
      source=cite(HFD_2020_15, f"{GDPR}, art. 28"))
def processor_role(ctx: RuleContext) -> Iterable[Hit]:
    data = ctx.spec.personal_data
    if data is not None and data.responsibility == "biträde":
        yield Hit(("personuppgifter", "ansvar"), (
            "Som personuppgiftsbiträde behandlar organisationen uppgifter för den offentliga "
            "partens räkning: den utför då något åt den offentliga parten, inte sin egen "
            "verksamhet. Det är ett tecken på att avtalet är ett offentligt kontrakt (HFD 2020 "
            f"ref. 15). {CONSEQUENCES} Pröva om varje part kan vara personuppgiftsansvarig för "
            "sin egen behandling (`ansvar: var för sig`), och ta upp frågan i "
            "`rättslig_bedömning.upphandling`."))


@rule(code="IOP108", severity=Severity.WARNING,
      title="Verksamheten kan vara en lagstadgad insats",
      trigger=("`partnerskap.verksamhetsområden` innehåller skyddat boende, HVB, stödboende, "
               "hemtjänst, LSS eller personlig assistans"),
      source=cite(HFD_2020_15, KL_TASK))
def statutory_task(ctx: RuleContext) -> Iterable[Hit]:
    areas = ctx.facts.statutory_areas
    if not areas:
        return
    named = ", ".join(AREA_NAMES.get(a, a) for a in areas)
    yield Hit(("partnerskap", "verksamhetsområden"), (
        f"Verksamheten omfattar {named}, insatser som en kommun kan vara skyldig att ge den "
        "som har rätt till dem. Om organisationen utför sådana insatser åt den offentliga "
        "parten lämnas en kommunal angelägenhet över till en privat utförare: då gäller "
        "10 kap. kommunallagen (2017:725) (fullmäktige beslutar, kontroll och insyn; "
        "myndighetsutövning får inte lämnas över utan stöd i lag), och det är ett starkt "
        f"tecken på ett offentligt kontrakt (HFD 2020 ref. 15). {CONSEQUENCES} Beskriv i "
        "`rättslig_bedömning.upphandling` varför organisationen bedriver sin egen verksamhet "
        "och inte utför den offentliga partens insatser, eller pröva om avtalet ska "
        "upphandlas."))



@rule(code="IOP109", severity=Severity.WARNING,
      title="Upphandlingsbedömningen vilar på att marknad saknas",
      trigger=("`rättslig_bedömning.upphandling` säger att det inte finns någon marknad "
               "(\"det finns inte någon marknad\", \"saknas en marknad\" …)"),
      source=cite(HFD_2020_15, UHM))
def no_market_defence(ctx: RuleContext) -> Iterable[Hit]:
    text = ctx.spec.legal.procurement if ctx.spec.legal else None
    if not text:
        return
    path = ("rättslig_bedömning", "upphandling")
    pattern = word_pattern(ctx.settings.no_market_words)
    match = pattern.search(text)
    if match:
        line, column = ctx.locate(path, pattern)
        yield Hit(path, (
            f"Bedömningen stöder sig på att det inte finns någon marknad (\"{' '.join(match.group(0).split())}\"). "
            "Det är inget skäl enligt HFD 2020 ref. 15: ett avtal är ett offentligt kontrakt "
            "om organisationen utför en tjänst åt den offentliga parten mot betalning, "
            "tjänsten är av direkt ekonomiskt intresse för den och åtagandena är ömsesidiga "
            "och rättsligt utkrävbara, oavsett om det finns en marknad. Bygg bedömningen på "
            "de frågorna i stället."), line, column)
