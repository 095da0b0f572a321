"""Procurement risk: signs that the agreement is a purchase under LOU, not a partnership."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule, word_pattern

LOU = "lag (2016:1145) om offentlig upphandling (LOU), 1 kap. 15 § (kontrakt)"
UHM = "Upphandlingsmyndigheten: Idéburet offentligt partnerskap (IOP)"


@rule(code="IOP101", severity=Severity.WARNING,
      title="Ersättning per prestation",
      trigger="`ekonomi.ersättningsform` är `per prestation`",
      source=f"{LOU}; {UHM}")
def per_unit_payment(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.economy.payment_form == "per prestation":
        yield Hit(("ekonomi", "ersättningsform"), (
            "Ersättning per prestation betyder att den offentliga parten betalar för utförda "
            "tjänster. Det talar för att avtalet är ett offentligt kontrakt som ska "
            "upphandlas enligt LOU, inte ett partnerskap. Överväg `ersättningsform: bidrag` "
            "till verksamheten som helhet, eller förklara i `rättslig_bedömning.upphandling` "
            "varför avtalet ändå inte är ett kontrakt."))


@rule(code="IOP102", severity=Severity.WARNING,
      title="Viten",
      trigger="`ekonomi.viten` är `ja`",
      source=f"{LOU}; {UHM}")
def penalties(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.economy.penalties:
        yield Hit(("ekonomi", "viten"), (
            "Viten är en sanktion för utebliven leverans, som i ett upphandlat kontrakt. I "
            "ett partnerskap löser parterna problem genom dialog och omförhandling. Ta bort "
            "vitena (`viten: nej`) eller förklara i `rättslig_bedömning.upphandling` varför "
            "avtalet ändå inte är ett kontrakt."))


@rule(code="IOP103", severity=Severity.WARNING,
      title="Upphandlingsbedömning saknas",
      trigger="`rättslig_bedömning.upphandling` saknas",
      source=f"{UHM}; Kammarrätten i Göteborg, mål 3556-18 (2019)")
def procurement_assessment_missing(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.legal is None or ctx.spec.legal.procurement is None:
        yield Hit(("rättslig_bedömning", "upphandling"), (
            "Bedömningen av upphandlingsfrågan saknas. Beskriv i "
            "`rättslig_bedömning.upphandling` varför avtalet inte är ett offentligt "
            "kontrakt enligt LOU: till exempel att verksamheten bygger på organisationens "
            "egen idé, att båda parter bidrar med resurser, att ersättningen inte är betalning "
            "för tjänster och att det inte finns någon marknad för verksamheten."))


@rule(code="IOP104", severity=Severity.WARNING,
      title="Upphandlingsspråk i texten",
      trigger=("en text (utom `rättslig_bedömning` och `iopkit_undantag`) innehåller ord som "
               "\"per vårddygn\", \"per plats\", \"vite\", \"beställare\", \"leverantör\", "
               "\"kravspecifikation\" eller \"upphandl…\""),
      source=f"{LOU}; {UHM}")
def procurement_language(ctx: RuleContext) -> Iterable[Hit]:
    pattern = word_pattern(ctx.settings.procurement_words)
    for path, word, line, column in ctx.find_words(pattern):
        yield Hit(path, (
            f"Texten innehåller \"{word}\", ett ord som hör till upphandling och köp av "
            "tjänster. Ett partnerskap beskrivs med gemensamma behov, mål och insatser, inte "
            "med beställare, leverantörer och ersättning per enhet. Formulera om texten, "
            "eller undanta regeln med en motivering i `iopkit_undantag` om ordet används i "
            "en annan mening."), line, column)
