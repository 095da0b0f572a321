"""How an item of a spec reads in a change's sentence (a resource, an indicator, yes or
no), and the sums the comparison reports as consequences of other changes."""

from __future__ import annotations

from typing import Iterable

from ..format import antal, kronor
from ..spec.model import Indicator, Resource, Spec
from .changes import join_names, normalise, quote


RESPONSIBILITY = {
    "var för sig": "att varje part är personuppgiftsansvarig för sin behandling",
    "biträde": "att organisationen är personuppgiftsbiträde åt den offentliga parten",
}


def recipient_name(spec: Spec, res: Resource) -> str | None:
    """The name of the party that receives a resource: its `mottagare`, or for money,
    premises and material from a public party the only idéburen party when there is one
    (the agreement then names it as recipient)."""
    if res.recipient:
        party = spec.party(res.recipient)
        return party.name if party else res.recipient
    nonprofits = spec.nonprofit_parties
    giver = spec.party(res.party)
    from ..rules.assessment import GIVEN_TYPES

    if len(nonprofits) == 1 and giver is not None and giver.is_public and \
            res.type in GIVEN_TYPES:
        return nonprofits[0].name
    return None


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nej")


def hours(count: int) -> str:
    return antal(count, "timme", "timmar")


def ids_text(what: str, ids: Iterable[str]) -> str:
    return f"{what} {join_names(list(ids))}"


def indicator_text(ind: Indicator) -> str:
    text = quote(ind.description)
    if ind.target:
        text += f", målvärde {normalise(ind.target)}"
    if ind.source:
        text += f", källa: {normalise(ind.source)}"
    return text


def yearly_text(value: int | dict[int, int]) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{kronor(amount)} år {year}" for year, amount in value.items())
    return kronor(value)


def constant_amount(res: Resource) -> int | None:
    """The resource's amount per year when it is one amount for every year."""
    value = res.yearly
    return value if isinstance(value, int) else None


def resource_text(res: Resource) -> str:
    text = f"{res.type}, {quote(res.description)}"
    if res.amount_per_year is not None:
        text += (f", {yearly_text(res.amount_per_year)}" if isinstance(res.amount_per_year, dict)
                 else f", {kronor(res.amount_per_year)} per år")
    elif res.value_per_year is not None:
        text += (f", uppskattat värde {yearly_text(res.value_per_year)}"
                 if isinstance(res.value_per_year, dict)
                 else f", uppskattat värde {kronor(res.value_per_year)} per år")
    if res.hours_per_year is not None:
        text += f", {hours(res.hours_per_year)} per år"
    return text


def yearly_totals(spec: Spec) -> dict[str, int]:
    """Yearly value of each party's resources, keyed by organisationsnummer (resources
    with amounts that differ between years are left out: they have no one yearly value)."""
    totals: dict[str, int] = {}
    for res in spec.resources:
        party = spec.party(res.party)
        key = party.org_number if party else res.party
        totals[key] = totals.get(key, 0) + (constant_amount(res) or 0)
    return totals


def party_order(old: Spec, new: Spec) -> dict[str, tuple[str, str]]:
    """Parties of both versions by organisationsnummer, new version's order first."""
    order: dict[str, tuple[str, str]] = {}
    for party in list(new.parties) + list(old.parties):
        order.setdefault(party.org_number, (party.id, party.name))
    return order
