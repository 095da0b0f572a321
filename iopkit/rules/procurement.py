"""Procurement: signs that the agreement is a public contract under LOU, not a partnership.

The leading case is HFD 2020 ref. 15 (Alingsås kommun and Stiftelsen Bräcke diakoni): an
agreement called an IOP was a public service contract because the foundation undertook
to run a service for the kommun in exchange for payment, the service was of direct
economic interest to the kommun, and the obligations were mutual and legally
enforceable. Non-profit status, the IOP label and "there is no market" did not matter.
The case is not cited for the length of the period (see period.py).

Why one module of some 530 lines: it is the rule family of one legal question, LOU or
partnership (IOP101–IOP109 and IOP180–IOP184), each rule a short function
over the same RuleContext sharing the screening answers and the helpers for the
parties' names; split, the signs that only count in combination (strong_combination)
would be read apart from the signs themselves.
"""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .statutory import EXCLUDED
from .registry import Hit, RuleContext, rule, word_pattern
from .assessment import AREA_NAMES
from .sources import (
    GDPR,
    HFD_2020_15,
    KL,
    KL_FULLMAKTIGE,
    KL_TASK,
    LOU,
    LOU_RESERVED,
    LOV_RESERVED,
    SOL,
    UHM,
    cite,
)

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
            f"{ROUTES}"), todo=(
            "Avtalet betalar organisationen per prestation, vilket gör det till ett köp av "
            "tjänster. Det behöver bli ett bidrag till organisationens egen verksamhet, eller "
            "tjänsten upphandlas."))


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
            f"{ROUTES}"), todo=(
            "Avtalet har viten, som gör organisationens åtaganden till prestationer som kan "
            "krävas ut. Vitena behöver tas bort."))


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
            "någon marknad räcker inte som skäl."), todo=(
            "Det saknas en bedömning av om avtalet är ett offentligt kontrakt som ska "
            "upphandlas. Den behöver göras innan nämnden beslutar."))


@rule(code="IOP104", severity=Severity.WARNING,
      title="Upphandlingsspråk i texten",
      trigger=("en text (utom `rättslig_bedömning` och `iopkit_undantag`) innehåller ord som "
               "\"beställare\", \"leverantör\", \"kravspecifikation\", \"vite\", \"anbud\" "
               "eller \"upphandl…\""),
      source=cite(HFD_2020_15, UHM))
def procurement_language(ctx: RuleContext) -> Iterable[Hit]:
    pattern = word_pattern(ctx.settings.procurement_words)
    limits = ctx.spec.partnership.scope_limits or ""
    for path, word, line, column in ctx.find_words(pattern):
        # An avgränsning that says what lies outside the partnership ("the places are
        # bought by a separate procurement") states the split IOP.md recommends: the
        # officer must not be pushed to hide it.
        if tuple(path[:2]) == ("partnerskap", "avgränsning") and EXCLUDED.search(limits):
            continue
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
        "ska upphandlas."), todo=(
        f"{_public_names(ctx)} bidrar bara med pengar medan organisationen ansvarar för varje "
        "insats, vilket liknar ett köp av tjänster. Det behöver bedömas om avtalet ska "
        "upphandlas innan nämnden beslutar."))


@rule(code="IOP106", severity=Severity.WARNING,
      title="Pengar knutna till platser, deltagare eller timmar",
      trigger=("`ekonomi`, en resurs eller en insats talar om pengar \"per plats\", \"per "
               "deltagare\", \"per timme\", \"per dygn\", \"per natt\", \"per person\", "
               "\"per besök\" eller liknande"),
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
            "ska upphandlas."), line, column, todo=(
            f"Underlaget knyter pengarna till antal (\"{word}\"), vilket är betalning för "
            "utförda tjänster. Bidraget behöver avse verksamheten som helhet, eller avtalet "
            "upphandlas."))


@rule(code="IOP107", severity=Severity.WARNING,
      title="Organisationen är personuppgiftsbiträde",
      trigger=("`personuppgifter.ansvar` är `biträde` och `rättslig_bedömning.upphandling` "
               "nämner inte biträdesrollen"),
      source=cite(HFD_2020_15, f"{GDPR}, art. 28"))
def processor_role(ctx: RuleContext) -> Iterable[Hit]:
    data = ctx.spec.personal_data
    text = ctx.spec.legal.procurement if ctx.spec.legal else None
    if text and word_pattern(("biträde", "personuppgiftsbiträde")).search(text):
        return  # the procurement assessment addresses the role
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
      trigger=("partnerskapet omfattar skyddat boende, särskilt boende, HVB, stödboende, "
               "hemtjänst, LSS eller personlig assistans (`verksamhetsområden`, en insats "
               "eller en resurs nämner det, eller `prövning.individuella_beslut` är `ja`), "
               "`partnerskap.avgränsning` undantar det inte, och en kommun är part"),
      source=cite(HFD_2020_15, KL_TASK))
def statutory_task(ctx: RuleContext) -> Iterable[Hit]:
    # Inside or outside is decided on substance (rules/statutory.py): an avgränsning that
    # takes the boende out of the partnership, not a keyword in the assessment. Without
    # a kommun among the parties IOP184 says what applies instead.
    areas = ctx.facts.statutory_areas
    if not areas or not _kommun_parties(ctx):
        return
    named = ", ".join(AREA_NAMES.get(a, a) for a in areas)
    # Places the grant funds are the kommun's own insats performed: only procurement (or
    # taking them out) answers that, and a motivation in iopkit_undantag cannot stand in
    # for it (IOP.md, "Skyddat boende …"; R4 finding 3).
    funded = any(r.type == "ekonomiska medel" for r in ctx.spec.resources)
    remedy = ("Ska platserna ändå ingå och bidraget finansiera dem behöver avtalet "
              "upphandlas; en motivering kan inte ersätta upphandlingen." if funded else
              "Ska platserna ändå ingå behöver avtalet upphandlas, eller bedömningen "
              "dokumenteras med en motivering i `iopkit_undantag`.")
    yield Hit(("partnerskap", "verksamhetsområden"), (
        f"Partnerskapet omfattar {named}, en insats som kommunen ska ge den som har rätt "
        "till den. Om bidraget finansierar sådana platser eller insatser utför organisationen "
        "kommunens egen insats: då lämnas en kommunal angelägenhet över till en privat "
        "utförare, vilket fullmäktige beslutar om (10 kap. kommunallagen (2017:725); "
        "myndighetsutövning får inte lämnas över utan stöd i lag), och det är ett starkt "
        f"tecken på ett offentligt kontrakt (HFD 2020 ref. 15). {CONSEQUENCES} {SPLIT} Skriv "
        "i så fall i `partnerskap.avgränsning` att platserna inte ingår i partnerskapet och "
        f"köps separat, och ta bort dem ur insatserna och resurserna. {remedy}"), todo=(
        f"Avtalet omfattar {named}, en insats som kommunen ska ge enskilda. Platserna tas ut "
        "ur avtalet och köps separat, genom upphandling eller ett annat lagligt avtal, så att "
        "bidraget bara finansierar organisationens egen verksamhet. Ska de ingå behöver "
        # Fullmäktige decides, or has given the nämnd a mandate (IOP.md, "Who decides";
        # R4 finding 11).
        "avtalet upphandlas, och fullmäktige besluta, eller nämnden ha fullmäktiges uppdrag "
        "för det, eftersom en kommunal angelägenhet då lämnas över (10 kap. 1 § "
        "kommunallagen)."))


@rule(code="IOP109", severity=Severity.WARNING,
      title="Bedömningen vilar på att marknad saknas",
      trigger=("`rättslig_bedömning.upphandling` eller `rättslig_bedömning.statsstöd` säger "
               "att det inte finns någon marknad (\"det finns inte någon marknad\", \"saknas "
               "en marknad\" …)"),
      source=cite(HFD_2020_15, UHM))
def no_market_defence(ctx: RuleContext) -> Iterable[Hit]:
    legal = ctx.spec.legal
    if legal is None:
        return
    pattern = word_pattern(ctx.settings.no_market_words)
    for key, text in (("upphandling", legal.procurement), ("statsstöd", legal.state_aid)):
        match = pattern.search(text or "")
        if not match:
            continue
        path = ("rättslig_bedömning", key)
        line, column = ctx.locate(path, pattern)
        quoted = " ".join(match.group(0).split())
        if key == "upphandling":
            message = (
                f"Bedömningen stöder sig på att det inte finns någon marknad (\"{quoted}\"). "
                "Det är inget skäl enligt HFD 2020 ref. 15: ett avtal är ett offentligt "
                "kontrakt om organisationen utför en tjänst åt den offentliga parten mot "
                "betalning, tjänsten är av direkt ekonomiskt intresse för den och åtagandena "
                "är ömsesidiga och rättsligt utkrävbara, oavsett om det finns en marknad. "
                "Bygg bedömningen på de frågorna i stället.")
        else:
            message = (
                f"Statsstödsbedömningen stöder sig på att det inte finns någon marknad "
                f"(\"{quoted}\"). Att ingen erbjuder verksamheten mot betalning i dag räcker "
                "inte ensamt: beskriv varför verksamheten inte erbjuds och inte skulle kunna "
                "erbjudas mot betalning (till exempel att den är avgiftsfri, bygger på "
                "solidaritet och ideellt arbete och riktar sig till personer utan "
                "betalningsförmåga). Samma skäl räcker aldrig i upphandlingsfrågan (HFD 2020 "
                "ref. 15), så bygg inte `rättslig_bedömning.upphandling` på det.")
        yield Hit(path, message, line, column)


# --- the plain questions (rättslig_bedömning.prövning) -----------------------------------

def _capital(text: str) -> str:
    # The todo texts are the officer's words on the memo's first page: the fact itself,
    # not "Underlaget visar att …" (R4 5 and 9).
    return text[:1].upper() + text[1:]


#: Each question answered `ja` is a sign of a public contract: what it means, in words.
SIGN_TEXT = {
    "tidigare_upphandlad": ("den offentliga parten har tidigare köpt eller upphandlat den här "
                            "eller en liknande verksamhet"),
    "lagstadgad_insats": "verksamheten är något som den offentliga parten enligt lag måste "
                         "ge enskilda",
    "individuella_beslut": ("deltagarna placeras eller hänvisas genom den offentliga partens "
                            "beslut om enskilda"),
    "behöver_utföras": ("den offentliga parten behöver få verksamheten utförd och skulle "
                        "ordna den på annat sätt om organisationen slutade"),
}
QUESTION_TEXT = {
    "tidigare_upphandlad": "om verksamheten eller en liknande har köpts eller upphandlats "
                           "tidigare",
    "lagstadgad_insats": "om verksamheten är en insats som den offentliga parten enligt lag "
                         "måste ge enskilda",
    "individuella_beslut": "om deltagarna placeras eller hänvisas genom den offentliga "
                           "partens beslut om enskilda",
    "marknad": "om andra erbjuder samma verksamhet mot betalning",
    "behöver_utföras": "om den offentliga parten behöver få verksamheten utförd",
}
#: The model's attribute for each question key.
_ATTRIBUTES = {"tidigare_upphandlad": "procured_before", "lagstadgad_insats": "statutory",
               "individuella_beslut": "individual_decisions", "marknad": "market",
               "behöver_utföras": "needed_performed"}

SPLIT = (
    "Dela upp avtalet: ett IOP för organisationens egen verksamhet (till exempel "
    "stödsamtal, jourtelefon, gruppverksamhet, opinionsarbete och ideella insatser) och "
    "platserna eller insatserna åt den offentliga parten genom en vanlig upphandling, en "
    "upphandling reserverad för idéburna organisationer enligt LOU 19 kap. 25 a § eller "
    "ett annat lagligt avtal.")


def _answers(ctx: RuleContext) -> dict[str, str]:
    legal = ctx.spec.legal
    screening = legal.screening if legal else None
    if screening is None:
        return {}
    out = {}
    for key, attribute in _ATTRIBUTES.items():
        value = getattr(screening, attribute)
        if value is not None:
            out[key] = value
    return out


def addressed(ctx: RuleContext, sign: str) -> bool:
    """Whether `rättslig_bedömning.upphandling` addresses the sign: it uses one of the
    sign's subject words (settings.screening_words). Conservative by design: a text that
    does not name the subject has not dealt with it."""
    text = ctx.spec.legal.procurement if ctx.spec.legal else None
    if not text:
        return False
    words = dict(ctx.settings.screening_words).get(sign, ())
    return bool(words) and word_pattern(words).search(text) is not None


def _fullmaktige_decides(ctx: RuleContext) -> bool:
    """Fullmäktige decides or has given a mandate: a decision by a fullmäktige in
    `process.beslut`, or the procurement assessment names fullmäktige's decision."""
    process = ctx.spec.process
    if process is not None and any("fullmäktige" in d.body.lower() for d in process.decisions):
        return True
    # "fullmäktige" also inside a word: kommunfullmäktige, regionfullmäktige.
    text = ctx.spec.legal.procurement if ctx.spec.legal else None
    return "fullmäktige" in (text or "").lower()


def _public_names(ctx: RuleContext) -> str:
    return " och ".join(p.name for p in ctx.spec.public_parties) or "den offentliga parten"


@rule(code="IOP180", severity=Severity.WARNING,
      title="Tecken på offentligt kontrakt i prövningen",
      trigger=("en fråga i `rättslig_bedömning.prövning` (tidigare_upphandlad, "
               "lagstadgad_insats, individuella_beslut, behöver_utföras) är besvarad `ja` och "
               "`rättslig_bedömning.upphandling` tar inte upp det tecknet"),
      source=cite(HFD_2020_15, LOU, UHM))
def screening_signs(ctx: RuleContext) -> Iterable[Hit]:
    for sign, answer in _answers(ctx).items():
        if answer != "ja" or sign not in SIGN_TEXT:
            continue
        if sign == "lagstadgad_insats":
            yield from _statutory_sign(ctx)
            continue
        if addressed(ctx, sign):
            continue
        words = ", ".join(f"\"{w}\"" for w in dict(ctx.settings.screening_words)[sign][:3])
        yield Hit(("rättslig_bedömning", "prövning", sign), (
            f"Prövningen svarar ja: {SIGN_TEXT[sign]}. Det är ett tecken på att den offentliga "
            "parten får en tjänst utförd mot betalning, det vill säga ett offentligt kontrakt "
            f"(HFD 2020 ref. 15). {CONSEQUENCES} Ta upp tecknet i "
            f"`rättslig_bedömning.upphandling` (texten ska nämna det, till exempel {words}) "
            "och förklara varför avtalet ändå stöder organisationens egen verksamhet, eller "
            "pröva om avtalet ska upphandlas."), todo=(
            f"{_capital(SIGN_TEXT[sign])}, vilket talar för att avtalet är ett "
            "offentligt kontrakt som ska upphandlas. Det som den offentliga parten får utfört "
            "tas ut ur avtalet och upphandlas, eller så förklarar förvaltningen i "
            "upphandlingsbedömningen varför avtalet ändå bara stöder organisationens egen "
            "verksamhet, innan nämnden beslutar."))


def _statutory_sign(ctx: RuleContext) -> Iterable[Hit]:
    """`lagstadgad_insats: ja`, judged on substance (rules/statutory.py): no sign when the
    statutory activity is outside the partnership (the split IOP.md recommends); IOP108
    when it is inside and a kommun is a party; IOP184 when no kommun is a party."""
    scope = ctx.facts.statutory_scope
    if scope.split or ctx.facts.statutory_areas or not _kommun_parties(ctx):
        return
    # The answer says yes, but no area, insats or resource names the insats: the sign
    # stands until the spec says which insats it is and on which side of the split.
    yield Hit(("rättslig_bedömning", "prövning", "lagstadgad_insats"), (
        f"Prövningen svarar ja: {SIGN_TEXT['lagstadgad_insats']}. Det är ett tecken på att "
        "den offentliga parten får en tjänst utförd mot betalning, det vill säga ett "
        f"offentligt kontrakt (HFD 2020 ref. 15). {CONSEQUENCES} Ange insatsen i "
        "`partnerskap.verksamhetsområden`, och skriv i `partnerskap.avgränsning` om den "
        "ligger utanför partnerskapet (till exempel att platserna köps separat och att "
        "bidraget inte finansierar dem); annars pröva om avtalet ska upphandlas."), todo=(
        "Verksamheten uppges vara en insats som den offentliga parten enligt lag måste ge "
        "enskilda, men det är inte angett vilken insats det är eller om den ingår i avtalet. "
        "Det anges, och ingår insatsen tas den ut ur avtalet och köps separat, eller så "
        "upphandlas avtalet."))


@rule(code="IOP181", severity=Severity.WARNING,
      title="Prövningsfråga obesvarad",
      trigger="en fråga i `rättslig_bedömning.prövning` är besvarad `vet inte`",
      source=cite(HFD_2020_15, UHM))
def screening_unknown(ctx: RuleContext) -> Iterable[Hit]:
    for question, answer in _answers(ctx).items():
        if answer != "vet inte":
            continue
        yield Hit(("rättslig_bedömning", "prövning", question), (
            f"Prövningen vet inte {QUESTION_TEXT[question]}. Svaret avgör om avtalet kan "
            "vara ett offentligt kontrakt (HFD 2020 ref. 15) eller statsstöd. Ta reda på "
            "det, till exempel hos förvaltningens upphandlingsenhet eller i tidigare avtal "
            "och beslut, och svara ja eller nej."))


@rule(code="IOP182", severity=Severity.WARNING,
      title="Stark kombination: den offentliga partens egen insats utförs",
      trigger=("`prövning` svarar `ja` på både lagstadgad_insats och individuella_beslut, "
               "eller på tidigare_upphandlad, och `rättslig_bedömning.upphandling` tar inte "
               "upp vart och ett av tecknen"),
      source=cite(HFD_2020_15, LOU_RESERVED, KL_FULLMAKTIGE))
def strong_combination(ctx: RuleContext) -> Iterable[Hit]:
    answers = _answers(ctx)
    statutory = answers.get("lagstadgad_insats") == "ja" and \
        answers.get("individuella_beslut") == "ja"
    bought = answers.get("tidigare_upphandlad") == "ja"
    if not statutory and not bought:
        return
    signs = (["lagstadgad_insats", "individuella_beslut"] if statutory else []) + \
        (["tidigare_upphandlad"] if bought else [])
    if all(addressed(ctx, sign) for sign in signs):
        return
    if statutory:
        what = ("verksamheten är en insats som den offentliga parten enligt lag måste ge "
                "enskilda, och deltagarna kommer dit genom den offentliga partens beslut: "
                "organisationen utför då den offentliga partens egen insats, som i HFD 2020 "
                "ref. 15 (ett äldreboende)")
    else:
        what = ("den offentliga parten har tidigare köpt eller upphandlat verksamheten: den "
                "har alltså behandlats som en tjänst som den offentliga parten köper")
    extra = ""
    if statutory and not _kommun_parties(ctx):
        # The insats is the kommun's, not a region's or an agency's (IOP184).
        what = what.replace("organisationen utför då den offentliga partens egen insats",
                            "organisationen utför då en insats som kommunen ska ge enskilda")
    elif statutory:
        extra = (" När en kommunal angelägenhet lämnas över till en privat utförare beslutar "
                 "fullmäktige (kommunallagen (2017:725) 10 kap. 1 §).")
    yield Hit(("rättslig_bedömning", "prövning"), (
        f"Prövningen visar att {what}. Det är ett starkt tecken på ett offentligt kontrakt. "
        f"{CONSEQUENCES} {SPLIT}{extra}"), todo=(
        f"{_capital(what)}. Avtalet behöver delas upp innan nämnden beslutar: ett "
        "partnerskap för organisationens egen verksamhet, och platserna eller insatserna "
        "genom upphandling eller ett annat lagligt avtal."))


@rule(code="IOP183", severity=Severity.WARNING,
      title="Kommunal angelägenhet lämnas över utan fullmäktige",
      trigger=("`prövning` svarar `ja` på lagstadgad_insats och individuella_beslut, och "
               "varken `process.beslut` (ett fullmäktige) eller "
               "`rättslig_bedömning.upphandling` nämner fullmäktiges beslut"),
      source=cite(KL_FULLMAKTIGE, KL_TASK))
def task_without_council(ctx: RuleContext) -> Iterable[Hit]:
    answers = _answers(ctx)
    if answers.get("lagstadgad_insats") != "ja" or answers.get("individuella_beslut") != "ja":
        return
    if _fullmaktige_decides(ctx) or not _kommun_parties(ctx):
        return  # without a kommun the insats is not the public party's own (IOP184)
    yield Hit(("rättslig_bedömning", "prövning", "lagstadgad_insats"), (
        "Organisationen ska utföra en insats som den offentliga parten enligt lag måste ge "
        "enskilda, åt personer som den offentliga parten har beslutat om. Det är att lämna "
        "över en kommunal angelägenhet till en privat utförare, och det beslutar fullmäktige "
        "(kommunallagen (2017:725) 10 kap. 1 §; myndighetsutövning får inte lämnas över utan "
        "stöd i lag). En nämnd kan inte godkänna avtalet ensam: nämnden föreslår fullmäktige "
        "att besluta, eller hänvisar till fullmäktiges beslut eller uppdrag i "
        "`rättslig_bedömning.upphandling` eller `process.beslut`."), todo=(
        f"Avtalet lämnar över en insats som {_public_names(ctx)} enligt lag måste ge enskilda "
        "till en privat utförare. Det beslutar fullmäktige (kommunallagen 10 kap. 1 §), så "
        "ärendet behöver gå till fullmäktige eller stödja sig på fullmäktiges beslut."))


def _kommun_parties(ctx: RuleContext) -> list[str]:
    return [p.name for p in ctx.spec.public_parties if p.type == "kommun"]


def _without_body(name: str) -> str:
    """"Region Norrmark genom hälso- och sjukvårdsnämnden" -> "Region Norrmark"."""
    return name.split(" genom ")[0].strip()


@rule(code="IOP184", severity=Severity.WARNING,
      title="Lagstadgad insats utan kommun som part",
      trigger=("`partnerskap.verksamhetsområden` innehåller en lagstadgad insats (skyddat "
               "boende, särskilt boende, HVB, stödboende, hemtjänst, LSS eller personlig "
               "assistans) eller `prövning` svarar `ja` på lagstadgad_insats, och ingen "
               "offentlig part är en kommun"),
      source=cite(SOL, KL))
def statutory_task_without_kommun(ctx: RuleContext) -> Iterable[Hit]:
    public = ctx.spec.public_parties
    areas = ctx.facts.statutory_areas
    # Outside the partnership (the avgränsning excludes it): nothing is handed over or
    # funded, so nothing to say (rules/statutory.py).
    answered = _answers(ctx).get("lagstadgad_insats") == "ja" and \
        not ctx.facts.statutory_scope.split
    if not public or _kommun_parties(ctx) or not (areas or answered):
        return
    named = ", ".join(AREA_NAMES.get(a, a) for a in areas) or "en lagstadgad insats"
    names = " och ".join(_without_body(p.name) for p in public)
    region = all(p.type == "region" for p in public)
    who = ("regionen" if len(public) == 1 else "regionerna") if region \
        else "den offentliga parten"
    path = ("partnerskap", "verksamhetsområden") if areas else \
        ("rättslig_bedömning", "prövning", "lagstadgad_insats")
    where = "det skyddade boendet" if areas == ("skyddat boende",) else \
        f"verksamheten ({named})"
    lss = [a for a in areas if a in ("LSS", "personlig assistans")]
    law = " eller ".join(
        ([SOL] if len(lss) < len(areas) or not areas else []) +
        (["lagen (1993:387) om stöd och service till vissa funktionshindrade"] if lss else []))
    yield Hit(path, (
        f"Verksamheten omfattar {named}: en insats som kommunen ansvarar för och som "
        f"socialnämnden beviljar den enskilde genom beslut ({law}). "
        f"Den offentliga parten, {names}, har inte det ansvaret. Avtalet kan därför inte "
        f"vara ett sätt för {who} att få en egen lagstadgad insats utförd eller att lämna "
        "över den till organisationen, och lex Sarah-rapporter, orosanmälningar och "
        "uppgifter om dem som har beslut om insatsen går till socialnämnden i den kommun som "
        "har beslutat om insatsen, "
        f"inte till {who}. Stödet kan avse organisationens egen verksamhet; skulle det "
        "finansiera platser eller insatser som kommunen beslutar om behöver det prövas om "
        f"det är en angelägenhet för {who} (2 kap. 1 och 2 §§ kommunallagen (2017:725)). "
        # A kommun joining while the grant funds places is the HFD 2020 ref. 15 pattern,
        # not a fix (R4 finding 3).
        "Avgränsa avtalet till organisationens egen verksamhet: skriv i "
        "`partnerskap.avgränsning` att boendet eller insatsen inte ingår i partnerskapet, "
        "och ta bort den ur insatserna och resurserna; platserna köps av de kommuner som "
        "placerar där. Blir en kommun part behöver platserna ändå tas ut ur bidraget eller "
        "upphandlas."), todo=(
        # A region cannot buy the places either, and a kommun joining while the grant
        # funds places is the HFD 2020 ref. 15 pattern (IOP.md, "Skyddat boende …").
        f"Avtalet avgränsas till organisationens egen verksamhet. Platserna i {where} köps "
        "av de kommuner vars socialnämnder placerar där genom beslut om insatsen; "
        f"{names} har inte det ansvaret och kan varken lämna över insatsen eller köpa "
        "platserna. Om kommunerna ska bli parter behöver platserna ändå tas ut ur bidraget "
        "eller upphandlas, innan nämnden beslutar."))
