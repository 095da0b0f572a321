"""Resources and money: who receives what, and amounts for every year of the period."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from ..spec.yearly import period_years
from .registry import Hit, RuleContext, rule
from .sources import DE_MINIMIS, IOPKIT, KL_BUDGET, cite


@rule(code="IOP126", severity=Severity.ERROR,
      title="Mottagare saknas",
      trigger=("det finns flera idéburna parter och en offentlig part ger pengar, lokaler "
               "eller material utan `mottagare`"),
      source=cite(DE_MINIMIS, IOPKIT))
def recipient_missing(ctx: RuleContext) -> Iterable[Hit]:
    nonprofits = ctx.spec.nonprofit_parties
    if len(nonprofits) < 2:
        return
    ids = ", ".join(f"`{p.id}`" for p in nonprofits)
    for transfer in ctx.facts.transfers:
        if transfer.recipient is None:
            yield Hit(transfer.path, (
                f"\"{transfer.resource.description}\" ({transfer.resource.type}) från "
                f"{transfer.giver.name} har ingen mottagare. Med flera idéburna parter måste "
                "avtalet säga vem som får pengarna eller resursen: det avgör vem som ska "
                "redovisa och betala tillbaka, och statsstöd räknas per mottagare. Lägg till "
                f"`mottagare` med id för en av de idéburna parterna ({ids}). Ska flera dela, "
                "dela upp resursen i en post per mottagare."))


@rule(code="IOP127", severity=Severity.ERROR,
      title="Mottagaren är inte idéburen",
      trigger="`resurser[].mottagare` är en offentlig part",
      source=cite(DE_MINIMIS, IOPKIT))
def recipient_not_nonprofit(ctx: RuleContext) -> Iterable[Hit]:
    ids = ", ".join(f"`{p.id}`" for p in ctx.spec.nonprofit_parties)
    for index, resource in enumerate(ctx.spec.resources):
        party = ctx.spec.party(resource.recipient) if resource.recipient else None
        if party is not None and not party.is_nonprofit:
            yield Hit(("resurser", index, "mottagare"), (
                f"Mottagaren {party.name} är en offentlig part. `mottagare` anger vilken "
                f"idéburen part som tar emot resursen: skriv id för en av dem ({ids}), eller "
                "ta bort nyckeln om resursen stannar hos den offentliga parten."))


@rule(code="IOP128", severity=Severity.WARNING,
      title="Belopp saknas för ett år",
      trigger=("`belopp_per_år` eller `värde_per_år` anger belopp per år, men inte för varje "
               "kalenderår som avtalsperioden omfattar"),
      source=IOPKIT)
def year_without_amount(ctx: RuleContext) -> Iterable[Hit]:
    period = ctx.spec.period
    years = period_years(period.start, period.end)
    for index, resource in enumerate(ctx.spec.resources):
        for key, value in (("belopp_per_år", resource.amount_per_year),
                           ("värde_per_år", resource.value_per_year)):
            if not isinstance(value, dict):
                continue
            missing = [str(y) for y in years if y not in value]
            if missing:
                yield Hit(("resurser", index, key), (
                    f"Avtalsperioden omfattar {', '.join(missing)} men \"{resource.description}\" "
                    f"har inget belopp för {'det året' if len(missing) == 1 else 'de åren'}. "
                    f"Lägg till beloppet (0 om inget ges) så att avtalet visar vad som gäller "
                    "varje år."))




@rule(code="IOP129", severity=Severity.WARNING,
      title="Flerårigt åtagande utan finansiering",
      trigger=("avtalsperioden omfattar mer än ett budgetår, en offentlig part ger pengar, "
               "och varken `ekonomi.budgetförbehåll: ja` eller `ekonomi.finansiering` finns"),
      source=KL_BUDGET)
def multi_year_without_financing(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    economy = spec.economy
    if economy.budget_reservation or economy.financing:
        return
    years = period_years(spec.period.start, spec.period.end)
    public = {p.id for p in spec.public_parties}
    if len(years) < 2 or not any(r.is_money and r.party in public for r in spec.resources):
        return
    yield Hit(("ekonomi",), (
        f"Avtalet binder de offentliga parternas pengar för {years[0]}–{years[-1]}, mer än "
        "ett budgetår, utan budgetförbehåll. Fullmäktige beslutar om budgeten varje år "
        "(kommunallagen (2017:725) 11 kap.), och nämnden ska hålla sig inom sin ram: ett "
        "åtagande utan förbehåll binder senare års budgetar. Beskriv i "
        "`ekonomi.finansiering` hur varje år finansieras (till exempel inom nämndens ram för "
        "det första året och hur de senare åren förutsätts), eller låt senare år bero på "
        "budgetbeslut (`ekonomi.budgetförbehåll: ja`)."))
