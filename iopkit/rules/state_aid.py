"""State aid: what public parties give each idéburen party, against the ceilings.

Aid is counted per recipient (assessment.py): money and valued in-kind resources that a
public party gives an idéburen party (premises, material, anything with `mottagare`).
Aid is granted when the right to it is conferred (Regulation (EU) 2023/2831 art. 3.3):
without a budget reservation everything the agreement commits counts at signing; with
`ekonomi.budgetförbehåll: ja` each year counts when its budget is decided, so the
largest sum over three consecutive calendar years is compared. Amounts are converted to
euro at the rate from `--eurokurs`, else `rättslig_bedömning.eurokurs`, else iopkit's
documented default (settings.py).

Why one module of some 470 lines: it is the rule family of one legal question, the
state aid and its ceilings, each rule a short function over the aid counted once per
recipient (`counted_aid`), and the Swedish amounts, rates and year texts of its
messages are formatted here (period.py borrows three of those helpers).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

from ..spec.findings import Severity
from .assessment import DE_MINIMIS_GROUNDS, REASONED_GROUNDS, RecipientAid, eur_rate_of
from .registry import Hit, RuleContext, rule, word_pattern
from .sources import (
    DE_MINIMIS,
    DE_MINIMIS_CUMULATION,
    DE_MINIMIS_GRANTED,
    DE_MINIMIS_VALUE,
    UHM,
    GBER,
    HFD_2020_15,
    SGEI_DE_MINIMIS,
    SGEI_DECISION,
    cite,
)

SOURCE = cite(DE_MINIMIS, DE_MINIMIS_GRANTED, SGEI_DE_MINIMIS, SGEI_DECISION)


def format_amount(value: Decimal | Fraction | int) -> str:
    """A whole number in Swedish form: groups of three with a non-breaking space
    (rounded half up, exactly, however large)."""
    whole = math.floor(Fraction(value) + Fraction(1, 2))
    return f"{whole:,}".replace(",", "\u00a0")


_NUMBER_WORDS = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}


def number_word(number: int) -> str:
    return _NUMBER_WORDS.get(number, str(number))


def format_rate(rate: Decimal) -> str:
    return f"{rate.quantize(Decimal('0.01'))}".replace(".", ",")


def add_years(day: dt.date, years: int) -> dt.date | None:
    """The same day `years` later (28 February for 29 February in a common year), or
    None past the calendar's end (year 9999)."""
    if day.year + years > dt.MAXYEAR:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _anniversary(start: dt.date, years: int) -> int:
    """Day number (ordinal) of the `years`th anniversary of `start`, also past 9999."""
    date = add_years(start, years)
    if date is not None:
        return date.toordinal()
    return start.toordinal() + years * 146097 // 400  # average Gregorian year


def period_years(start: dt.date, end: dt.date) -> Fraction:
    """Length of the period from `start` to `end` (both included) in years: whole years
    by the calendar, then the remaining days as a share of the following year."""
    stop = end.toordinal() + 1
    whole = 0
    while _anniversary(start, whole + 1) <= stop:
        whole += 1
    anchor = _anniversary(start, whole)
    year_days = _anniversary(start, whole + 1) - anchor
    return whole + Fraction(stop - anchor, year_days)


@dataclass(frozen=True)
class Rate:
    value: Decimal
    source: str


def eur_rate(ctx: RuleContext) -> Rate:
    """The rate and, for the messages, where it is from (assessment.eur_rate_of)."""
    rate = eur_rate_of(ctx.spec, ctx.settings.eur_rate_override)
    if rate.is_default and ctx.settings.default_eur_rate != rate.value:
        return Rate(ctx.settings.default_eur_rate, "uppskattad kurs: iopkits standardkurs")
    return Rate(rate.value, rate.source_text)


@dataclass(frozen=True)
class CountedAid:
    """One recipient's aid as it counts against a ceiling, with the words to say so."""

    aid: RecipientAid
    kr: int
    years: list[int]
    rate: Rate
    budget_reservation: bool

    @property
    def eur(self) -> Fraction:
        return Fraction(self.kr) / Fraction(self.rate.value)

    def describe(self) -> str:
        aid = self.aid
        by_year = aid.by_year
        span = _years_text(list(by_year))
        yearly = ", ".join(f"{year}: {format_amount(kr)} kr" for year, kr in by_year.items())
        text = (f"{aid.party.name} får av de offentliga parterna pengar och resurser värda "
                f"{format_amount(aid.total)} kr under avtalsperioden ({yearly}).")
        if self.budget_reservation:
            text += (f" Med budgetförbehåll beviljas varje år när dess budget beslutas, så "
                     f"de tre år i följd med mest stöd räknas: {_years_text(self.years)}, "
                     f"{format_amount(self.kr)} kr")
        else:
            text += (" Stöd beviljas när rätten till det uppstår (förordning (EU) 2023/2831 "
                     "art. 3.3): utan budgetförbehåll räknas hela avtalsperiodens medel "
                     f"({span}) när avtalet skrivs under, {format_amount(self.kr)} kr")
        text += (f", vilket motsvarar cirka {format_amount(self.eur)} euro (kurs "
                 f"{format_rate(self.rate.value)} kr/euro, {self.rate.source}).")
        if aid.unvalued:
            names = ", ".join(f"\"{t.resource.description}\"" for t in aid.unvalued)
            text += f" Resurser utan värde ingår inte: {names}."
        return text


def _years_text(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


OTHER_AID = ("Till detta ska läggas allt annat stöd av mindre betydelse som organisationen "
             "(med de företag den bildar ett enda företag med) har fått från alla givare "
             "under samma treårsperiod; iopkit ser bara det här avtalet.")
RECOVERY = ("Stöd som lämnas i strid med statsstödsreglerna ska betalas tillbaka av "
            "mottagaren med ränta.")


def counted_aid(ctx: RuleContext) -> list[CountedAid]:
    """Each recipient's aid as it counts (cached per check)."""
    if "counted_aid" in ctx.cache:
        return ctx.cache["counted_aid"]  # type: ignore[return-value]
    facts = ctx.facts
    rate = eur_rate(ctx)
    out = []
    for aid in facts.aid_by_recipient:
        kr, years = aid.counted(facts.budget_reservation, ctx.settings.de_minimis_years)
        out.append(CountedAid(aid=aid, kr=kr, years=years, rate=rate,
                              budget_reservation=facts.budget_reservation))
    ctx.cache["counted_aid"] = out
    return out


def _ceiling_text(ctx: RuleContext, eur: Fraction) -> str | None:
    """Which ceilings the amount exceeds, as a Swedish sentence; None below both."""
    s = ctx.settings
    general = (f"taket för stöd av mindre betydelse ({format_amount(s.de_minimis_eur)} euro "
               f"under {number_word(s.de_minimis_years)} år, förordning (EU) 2023/2831)")
    sgei = (f"taket för stöd av mindre betydelse för tjänster av allmänt ekonomiskt intresse "
            f"(SGEI, {format_amount(s.sgei_de_minimis_eur)} euro under "
            f"{number_word(s.de_minimis_years)} år, förordning (EU) 2023/2832)")
    if eur > s.sgei_de_minimis_eur:
        return (f"Det är över både {general} och {sgei}. Om verksamheten är ekonomisk är "
                "kommissionens beslut 2012/21/EU (SGEI-beslutet, med en tydlig "
                "uppdragsakt) den vanliga vägen.")
    if eur > s.de_minimis_eur:
        return (f"Det är över {general} men under {sgei}. Det högre taket gäller bara om "
                "verksamheten är en tjänst av allmänt ekonomiskt intresse som organisationen "
                "skriftligen har fått i uppdrag att utföra, med uppgift om tjänsten "
                "(förordning (EU) 2023/2832).")
    return None


def _ground(ctx: RuleContext) -> str | None:
    return ctx.facts.state_aid_ground


def _has_text(ctx: RuleContext) -> bool:
    return ctx.spec.legal is not None and ctx.spec.legal.state_aid is not None


def _recipient_path(aid: CountedAid) -> tuple[str | int, ...]:
    return aid.aid.transfers[0].path


@rule(code="IOP110", severity=Severity.WARNING,
      title="Statsstödsbedömning saknas",
      trigger=("det en idéburen part får av de offentliga parterna, omräknat till euro, är "
               "över taket för stöd av mindre betydelse och varken "
               "`rättslig_bedömning.statsstöd` eller `statsstöd_grund` finns"),
      source=SOURCE)
def state_aid_assessment_missing(ctx: RuleContext) -> Iterable[Hit]:
    if _has_text(ctx) or _ground(ctx) is not None:
        return
    for aid in counted_aid(ctx):
        ceiling = _ceiling_text(ctx, aid.eur)
        if ceiling is None:
            continue
        yield Hit(_recipient_path(aid), (
            f"{aid.describe()} {ceiling} Skriv en statsstödsbedömning i "
            "`rättslig_bedömning.statsstöd` och ange grunden i `statsstöd_grund`: till "
            "exempel att verksamheten inte är ekonomisk, eller vilket undantag som gäller. "
            f"{OTHER_AID} {RECOVERY}"), todo=(
            f"Stödet till {aid.aid.party.name} är större än taket för stöd av mindre "
            "betydelse, och det finns ingen bedömning av om det är statsstöd. En "
            "statsstödsbedömning med den grund stödet lämnas på behöver göras innan "
            "nämnden beslutar."))


@rule(code="IOP111", severity=Severity.INFO,
      title="Grund för statsstödsbedömningen saknas",
      trigger=("`rättslig_bedömning.statsstöd` finns men inte `statsstöd_grund`, och "
               "stödet till en idéburen part är över taket för stöd av mindre betydelse eller "
               "bedömningen vilar på stöd av mindre betydelse"),
      source=SOURCE)
def state_aid_ground_missing(ctx: RuleContext) -> Iterable[Hit]:
    if not _has_text(ctx) or _ground(ctx) is not None:
        return
    text = ctx.spec.legal.state_aid if ctx.spec.legal else ""
    if word_pattern(ctx.settings.de_minimis_words).search(text or ""):
        yield Hit(("rättslig_bedömning", "statsstöd"), (
            "Bedömningen vilar på stöd av mindre betydelse (de minimis), men grunden är inte "
            "angiven. Skriv `statsstöd_grund: stöd av mindre betydelse` (eller `stöd av "
            "mindre betydelse för SGEI`), så att avtalet får villkoret om skriftligt besked "
            "och checklistan stegen före beslutet (mottagarens försäkran, beskedet) och "
            f"efter det (registreringen). {OTHER_AID}"))
        return
    for aid in counted_aid(ctx):
        ceiling = _ceiling_text(ctx, aid.eur)
        if ceiling is None:
            continue
        yield Hit(("rättslig_bedömning", "statsstöd"), (
            f"{aid.describe()} {ceiling} Ange i `rättslig_bedömning.statsstöd_grund` vilken "
            "grund bedömningen vilar på, så att avtalet och checklistan får rätt villkor och "
            f"steg. {OTHER_AID}"))


@rule(code="IOP112", severity=Severity.ERROR,
      title="Stödet är över taket för den valda grunden",
      trigger=("`statsstöd_grund` är `stöd av mindre betydelse` (eller `… för SGEI`) och "
               "stödet till en idéburen part är över taket"),
      source=cite(SOURCE, DE_MINIMIS_CUMULATION))
def above_chosen_ceiling(ctx: RuleContext) -> Iterable[Hit]:
    ground = _ground(ctx)
    if ground not in DE_MINIMIS_GROUNDS:
        return
    s = ctx.settings
    sgei = ground == "stöd av mindre betydelse för SGEI"
    ceiling = s.sgei_de_minimis_eur if sgei else s.de_minimis_eur
    regulation = "2023/2832" if sgei else "2023/2831"
    for aid in counted_aid(ctx):
        if aid.eur <= ceiling:
            continue
        yield Hit(("rättslig_bedömning", "statsstöd_grund"), (
            f"{aid.describe()} Det är över taket för {ground} ({format_amount(ceiling)} euro "
            f"under {number_word(s.de_minimis_years)} år, förordning (EU) {regulation}). Stöd "
            "som skulle föra mottagaren över taket kan inte lämnas enligt förordningen, inte "
            "ens till en del (förordning (EU) 2023/2831 art. 3.7), så avtalet kan inte "
            f"beslutas på den grunden. {_remedy(ctx, aid, ceiling)}"
            f"{OTHER_AID} {RECOVERY}"), todo=(
            f"Stödet till {aid.aid.party.name} överstiger taket för {ground}, så det kan inte "
            "lämnas på den grunden. Stödet behöver minskas eller lämnas på en annan grund "
            "som bedöms innan nämnden beslutar."))


def _remedy(ctx: RuleContext, aid: CountedAid, ceiling: int) -> str:
    """What brings the aid under the ceiling: a budget reservation only where it does so
    in every three-year window (the largest window is under the ceiling)."""
    if not aid.budget_reservation:
        window_kr, window_years = aid.aid.counted(True, ctx.settings.de_minimis_years)
        if Fraction(window_kr) / Fraction(aid.rate.value) <= ceiling:
            return (
                "Minska stödet, välj en annan grund, eller låt senare år bero på de "
                "offentliga parternas budgetbeslut (`ekonomi.budgetförbehåll: ja`): då "
                "beviljas varje år när dess budget beslutas, och inga tre år i följd är då "
                f"över taket (mest är {_years_text(window_years)}, "
                f"{format_amount(window_kr)} kr). ")
    return "Minska stödet eller välj en annan grund. "


@rule(code="IOP113", severity=Severity.WARNING,
      title="Ovärderad resurs vid stöd av mindre betydelse",
      trigger=("`statsstöd_grund` är `stöd av mindre betydelse` (eller `… för SGEI`) och en "
               "offentlig part ger en idéburen part en resurs utan `värde_per_år`"),
      source=cite(DE_MINIMIS_VALUE, SGEI_DE_MINIMIS))
def unvalued_in_kind(ctx: RuleContext) -> Iterable[Hit]:
    if _ground(ctx) not in DE_MINIMIS_GROUNDS:
        return
    for aid in counted_aid(ctx):
        for transfer in aid.aid.unvalued:
            yield Hit(transfer.path, (
                f"\"{transfer.resource.description}\" ges till {aid.aid.party.name} men har "
                "inget värde. Stöd av mindre betydelse förutsätter att hela stödets värde är "
                "känt: förordningen gäller bara stöd vars bruttobidragsekvivalent kan "
                "beräknas exakt i förväg (förordning (EU) 2023/2831 art. 3.5 och art. 4), "
                "mottagaren ska få ett skriftligt besked om beloppet, och stödet ska "
                "registreras. Ange ett uppskattat marknadsvärde i `värde_per_år`."))


@rule(code="IOP114", severity=Severity.WARNING,
      title="SGEI-uppdrag längre än tio år",
      trigger="`statsstöd_grund` är `SGEI-beslutet` och avtalsperioden är längre än tio år",
      source=cite(f"{SGEI_DECISION}, art. 2.2"))
def sgei_too_long(ctx: RuleContext) -> Iterable[Hit]:
    if _ground(ctx) != "SGEI-beslutet":
        return
    period = ctx.spec.period
    limit = add_years(period.start, 10)
    if limit is not None and period.end >= limit:
        yield Hit(("avtalsperiod", "slut"), (
            "Ett uppdrag enligt kommissionens beslut 2012/21/EU (SGEI-beslutet) får gälla i "
            "högst tio år (art. 2.2). Korta avtalsperioden, eller välj en annan grund."))


@rule(code="IOP115", severity=Severity.WARNING,
      title="Upphandlingsbedömningen tar inte upp SGEI-uppdraget",
      trigger=("`statsstöd_grund` är `SGEI-beslutet` och `rättslig_bedömning.upphandling` "
               "nämner inte SGEI eller tjänster av allmänt ekonomiskt intresse"),
      source=cite(SGEI_DECISION, HFD_2020_15))
def sgei_procurement(ctx: RuleContext) -> Iterable[Hit]:
    if _ground(ctx) != "SGEI-beslutet":
        return
    text = ctx.spec.legal.procurement if ctx.spec.legal else None
    if text and word_pattern(("SGEI", "TAEI", "allmänt ekonomiskt intresse",
                              "2012/21")).search(text):
        return
    yield Hit(("rättslig_bedömning", "upphandling"), (
        "Med SGEI-beslutet ger den offentliga parten organisationen ett uppdrag mot "
        "ersättning. Ett sådant uppdrag talar för ett offentligt kontrakt (jfr HFD 2020 ref. "
        "15), "
        "så upphandlingsbedömningen måste ta upp det: förklara i "
        "`rättslig_bedömning.upphandling` varför uppdraget ändå inte är ett kontrakt som ska "
        "upphandlas."))


@rule(code="IOP116", severity=Severity.WARNING,
      title="Statsstödsgrunden saknar motivering",
      trigger=("`statsstöd_grund` är en grund som kräver en motivering (ingen ekonomisk "
               "verksamhet, ingen påverkan på handeln, ingen fördel (Altmark), "
               "SGEI-beslutet, gruppundantag, anmält och godkänt stöd) och "
               "`rättslig_bedömning.statsstöd` saknas"),
      source=cite(SGEI_DECISION, GBER))
def ground_without_reasoning(ctx: RuleContext) -> Iterable[Hit]:
    ground = _ground(ctx)
    if ground not in REASONED_GROUNDS or _has_text(ctx):
        return
    extra = ""
    if ground == "anmält och godkänt stöd":
        extra = (" Inget stöd får betalas ut innan kommissionen har godkänt det; ange "
                 "beslutet.")
    elif ground == "SGEI-beslutet":
        extra = (" Ange vilken tjänst av allmänt ekonomiskt intresse organisationen får i "
                 "uppdrag att utföra och hur ersättningen beräknas och kontrolleras.")
    elif ground == "gruppundantag":
        extra = " Ange vilken artikel i förordning (EU) nr 651/2014 stödet lämnas enligt."
    yield Hit(("rättslig_bedömning", "statsstöd_grund"), (
        f"Grunden `{ground}` behöver en motivering. Skriv i `rättslig_bedömning.statsstöd` "
        f"varför grunden gäller för det här partnerskapet.{extra} {RECOVERY}"))


#: Words that show a written SGEI entrustment is addressed in the state-aid text.
ENTRUSTMENT_WORDS = ("uppdrag", "anförtro", "tilldela")


@rule(code="IOP117", severity=Severity.WARNING,
      title="Skriftligt SGEI-uppdrag saknas",
      trigger=("`statsstöd_grund` är `stöd av mindre betydelse för SGEI` och "
               "`rättslig_bedömning.statsstöd` nämner inte det skriftliga uppdraget "
               "(\"uppdrag\" …)"),
      source=SGEI_DE_MINIMIS)
def sgei_entrustment_missing(ctx: RuleContext) -> Iterable[Hit]:
    if _ground(ctx) != "stöd av mindre betydelse för SGEI":
        return
    text = ctx.spec.legal.state_aid if ctx.spec.legal else None
    if text and word_pattern(ENTRUSTMENT_WORDS).search(text):
        return
    names = " och ".join(a.aid.party.name for a in counted_aid(ctx)) or "organisationen"
    yield Hit(("rättslig_bedömning", "statsstöd_grund"), (
        "Stöd av mindre betydelse för tjänster av allmänt ekonomiskt intresse (förordning "
        "(EU) 2023/2832) förutsätter att mottagaren skriftligen har fått i uppdrag att "
        "utföra tjänsten, med uppgift om vilken tjänst det gäller. Beskriv uppdraget och "
        "var det ges skriftligt i `rättslig_bedömning.statsstöd`, eller välj en annan "
        f"grund. {RECOVERY}"), todo=(
        f"{names} behöver skriftligen få i uppdrag att utföra den tjänst av allmänt "
        "ekonomiskt intresse som stödet avser, innan stödet kan lämnas på den grunden."))


#: "Not economic activity", "not state aid" in a state-aid text (negation first).
_NOT_AID = re.compile(
    r"\b(?:inte|ingen|inget|ej)\s+(?:är\s+|utgör\s+)?(?:någon\s+|en\s+)?"
    r"(?:ekonomisk\s+verksamhet|statsstöd|statligt\s+stöd)", re.IGNORECASE)
#: Grounds that say there is no aid at all.
NO_AID_GROUNDS = ("ingen ekonomisk verksamhet", "ingen påverkan på handeln",
                  "ingen fördel (Altmark)")


@rule(code="IOP118", severity=Severity.WARNING,
      title="Statsstödsbedömningen motsäger grunden",
      trigger=("`statsstöd_grund` bygger på stöd av mindre betydelse men "
               "`rättslig_bedömning.statsstöd` säger bara att verksamheten inte är ekonomisk "
               "eller att bidraget inte är statsstöd (och nämner inte stöd av mindre "
               "betydelse), eller grunden säger att det inte är stöd men texten stöder sig "
               "också på stöd av mindre betydelse"),
      source=cite(DE_MINIMIS, SGEI_DE_MINIMIS))
def assessment_contradicts_ground(ctx: RuleContext) -> Iterable[Hit]:
    ground = _ground(ctx)
    text = ctx.spec.legal.state_aid if ctx.spec.legal else None
    if not text or ground is None:
        return
    path = ("rättslig_bedömning", "statsstöd")
    de_minimis_named = word_pattern(ctx.settings.de_minimis_words).search(text)
    if ground in DE_MINIMIS_GROUNDS:
        # A text that also reasons on de minimis may say that one activity is not
        # economic and another is; only a text that never mentions the ground contradicts it.
        match = None if de_minimis_named else _NOT_AID.search(text)
        if match:
            line, column = ctx.locate(path, re.compile(re.escape(match.group(0))
                                                       .replace(r"\ ", r"\s+"), re.I))
            yield Hit(path, (
                f"Bedömningen säger \"{' '.join(match.group(0).split())}\", men grunden är "
                f"`{ground}`. Stöd av mindre betydelse är statsstöd till ett företag som "
                "bedriver ekonomisk verksamhet, som lämnas enligt förordningen; är "
                "verksamheten inte ekonomisk behövs ingen sådan grund. Bestäm vilken grund "
                "som gäller och skriv bedömningen och `statsstöd_grund` så att de stämmer "
                "överens."), line, column)
        return
    if ground in NO_AID_GROUNDS:
        pattern = word_pattern(ctx.settings.de_minimis_words)
        if de_minimis_named:
            line, column = ctx.locate(path, pattern)
            yield Hit(path, (
                f"Grunden är `{ground}`, men bedömningen stöder sig också på stöd av mindre "
                "betydelse. Är det en andrahandsgrund ska den anges som grund (`stöd av "
                "mindre betydelse`), eftersom mottagaren då ska få ett skriftligt besked "
                "och lämna en försäkran innan stödet beviljas och stödet ska registreras; "
                "annars ta bort hänvisningen."), line, column)


@rule(code="IOP119", severity=Severity.WARNING,
      title="Marknad men ingen ekonomisk verksamhet",
      trigger=("`rättslig_bedömning.prövning.marknad` är `ja` och `statsstöd_grund` är "
               "`ingen ekonomisk verksamhet`"),
      source=cite(DE_MINIMIS, UHM))
def market_but_no_economic_activity(ctx: RuleContext) -> Iterable[Hit]:
    legal = ctx.spec.legal
    screening = legal.screening if legal else None
    if screening is None or screening.market != "ja":
        return
    if _ground(ctx) != "ingen ekonomisk verksamhet":
        return
    yield Hit(("rättslig_bedömning", "prövning", "marknad"), (
        "Prövningen svarar att andra erbjuder samma verksamhet mot betalning, men "
        "statsstödsbedömningen vilar på att verksamheten inte är ekonomisk. Verksamhet som "
        "erbjuds på en marknad är som regel ekonomisk verksamhet, och stödet kan då vara "
        "statsstöd. Förklara i `rättslig_bedömning.statsstöd` varför organisationens egen "
        "verksamhet ändå inte är ekonomisk, eller välj en annan grund (till exempel stöd av "
        f"mindre betydelse, med besked och försäkran före beslutet). {RECOVERY}"))
