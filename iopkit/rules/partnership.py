"""The partnership itself: both sides bring resources, define the needs together, decide
together, and every need leads through goals and indicators to activities."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule
from .sources import FORUM, MUNICIPAL, SKR, UHM


@rule(code="IOP120", severity=Severity.WARNING,
      title="Idéburen part utan egen insats",
      trigger="en idéburen part står inte som `part` för någon post i `resurser`",
      source=f"{FORUM}; {UHM}")
def no_own_contribution(ctx: RuleContext) -> Iterable[Hit]:
    contributing = {r.party for r in ctx.spec.resources}
    for index, party in enumerate(ctx.spec.parties):
        if party.is_nonprofit and party.id not in contributing:
            yield Hit(("parter", index), (
                f"{party.name} bidrar inte med någon egen resurs. Utan egen insats blir den "
                "offentliga parten bara finansiär, och avtalet liknar ett köp eller ett bidrag "
                "snarare än ett partnerskap. Lägg till organisationens resurser under "
                f"`resurser` med `part: {party.id}` (till exempel ideellt arbete, lokaler, "
                "kompetens eller egna medel)."))


@rule(code="IOP121", severity=Severity.WARNING,
      title="Ensidig behovsinventering",
      trigger="`behovsinventering.genomförd_av` nämner ingen idéburen part",
      source=f"{FORUM}; {MUNICIPAL}")
def one_sided_inventory(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    by_nonprofit = [ref for ref in spec.needs_inventory.carried_out_by
                    if (party := spec.party(ref)) is not None and party.is_nonprofit]
    if not by_nonprofit:
        names = ", ".join(f"`{p.id}`" for p in spec.nonprofit_parties)
        yield Hit(("behovsinventering", "genomförd_av"), (
            "Behovsinventeringen är inte gjord tillsammans med någon idéburen part. I ett IOP "
            "definierar parterna behoven gemensamt; en inventering som bara den offentliga "
            "parten gjort talar för ett köp. Gör inventeringen tillsammans och lägg till "
            f"den idéburna parten i `genomförd_av` ({names})."))


@rule(code="IOP122", severity=Severity.WARNING,
      title="Behov utan mål",
      trigger="ett behov i `behovsinventering.behov` nämns inte i något måls `behov`",
      source=MUNICIPAL)
def need_without_goal(ctx: RuleContext) -> Iterable[Hit]:
    answered = {ref for goal in ctx.spec.goals for ref in goal.needs}
    for index, need in enumerate(ctx.spec.needs_inventory.needs):
        if need.id not in answered:
            yield Hit(("behovsinventering", "behov", index), (
                f"Behovet {need.id} besvaras inte av något mål. Lägg till {need.id} i "
                "`behov` för det mål som svarar mot det, formulera ett nytt mål, eller ta "
                "bort behovet om partnerskapet inte ska arbeta med det."))


@rule(code="IOP123", severity=Severity.WARNING,
      title="Mål utan indikator",
      trigger="ett mål i `mål` har inga `indikatorer`",
      source=f"{MUNICIPAL}; {SKR}")
def goal_without_indicator(ctx: RuleContext) -> Iterable[Hit]:
    for index, goal in enumerate(ctx.spec.goals):
        if not goal.indicators:
            yield Hit(("mål", index), (
                f"Målet {goal.id} har ingen indikator, så det går inte att följa upp om det "
                "nås. Lägg till minst en indikator under `indikatorer` med `beskrivning` och "
                "gärna `målvärde` och `källa`."))


@rule(code="IOP124", severity=Severity.WARNING,
      title="Mål utan insats",
      trigger="ett mål i `mål` nämns inte i någon insats `mål`",
      source=MUNICIPAL)
def goal_without_activity(ctx: RuleContext) -> Iterable[Hit]:
    served = {ref for activity in ctx.spec.activities for ref in activity.goals}
    for index, goal in enumerate(ctx.spec.goals):
        if goal.id not in served:
            yield Hit(("mål", index), (
                f"Ingen insats bidrar till målet {goal.id}. Lägg till {goal.id} i `mål` för "
                "en insats under `insatser`, beskriv en ny insats, eller ta bort målet."))


@rule(code="IOP125", severity=Severity.WARNING,
      title="Idéburen part utanför partnerskapsgruppen",
      trigger="en idéburen part saknas i `styrning.partnerskapsgrupp`",
      source=f"{FORUM}; {MUNICIPAL}")
def nonprofit_outside_group(ctx: RuleContext) -> Iterable[Hit]:
    group = set(ctx.spec.governance.group)
    for party in ctx.spec.nonprofit_parties:
        if party.id not in group:
            yield Hit(("styrning", "partnerskapsgrupp"), (
                f"{party.name} ingår inte i partnerskapsgruppen. I ett IOP fattar parterna "
                "beslut gemensamt och på lika villkor. Lägg till "
                f"`{party.id}` i `styrning.partnerskapsgrupp`."))
