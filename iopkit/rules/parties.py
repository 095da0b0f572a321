"""The parties: organisation number against legal form, registration as idéburen, IVO."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .assessment import AREA_NAMES
from .registry import Hit, RuleContext, rule
from .sources import IVO, REGISTRATION, SKATTEVERKET

#: Skatteverket's group numbers (the first digit of an organisationsnummer).
GROUP_NAMES = {
    "1": "dödsbon",
    "2": "staten, regioner, kommuner och församlingar",
    "3": "utländska företag",
    "5": "aktiebolag",
    "6": "enkla bolag",
    "7": "ekonomiska föreningar",
    "8": "ideella föreningar och stiftelser",
    "9": "handelsbolag och kommanditbolag",
}

#: The group numbers that fit each party type.
EXPECTED_GROUPS: dict[str, tuple[str, ...]] = {
    "kommun": ("2",),
    "region": ("2",),
    "statlig myndighet": ("2",),
    "ideell förening": ("8",),
    "stiftelse": ("8",),
    "registrerat trossamfund": ("2", "8"),
    "ekonomisk förening": ("7",),
    "aktiebolag med särskild vinstutdelningsbegränsning": ("5",),
}


@rule(code="IOP140", severity=Severity.WARNING,
      title="Organisationsnummer och typ stämmer inte",
      trigger=("första siffran i `organisationsnummer` (gruppnumret) passar inte partens "
               "`typ`: 2 offentliga parter, 5 aktiebolag, 7 ekonomiska föreningar, 8 ideella "
               "föreningar och stiftelser, 2 eller 8 trossamfund"),
      source=SKATTEVERKET)
def orgnr_group(ctx: RuleContext) -> Iterable[Hit]:
    for index, party in enumerate(ctx.spec.parties):
        expected = EXPECTED_GROUPS.get(party.type)
        group = party.org_number[:1]
        if expected is None or group in expected:
            continue
        meaning = GROUP_NAMES.get(group, "ingen känd organisationsform")
        wanted = " eller ".join(expected)
        yield Hit(("parter", index, "organisationsnummer"), (
            f"Organisationsnumret {party.org_number} börjar med {group}, som används för "
            f"{meaning}, men parten har typ `{party.type}` (organisationsnummer som börjar "
            f"med {wanted}). Kontrollera numret mot registreringsbeviset och partens `typ`."))


@rule(code="IOP141", severity=Severity.INFO,
      title="Idéburen part inte registrerad",
      trigger="en idéburen part har `registrerad_idéburen: nej`",
      source=f"{REGISTRATION}; Kammarkollegiet")
def not_registered(ctx: RuleContext) -> Iterable[Hit]:
    for index, party in enumerate(ctx.spec.parties):
        if party.is_nonprofit and party.registered_nonprofit is False:
            yield Hit(("parter", index, "registrerad_idéburen"), (
                f"{party.name} är inte registrerad som idéburen organisation hos "
                "Kammarkollegiet. Registreringen enligt lagen (2022:900) om registrering av "
                "idéburna organisationer är frivillig. Den visar att organisationen uppfyller "
                "lagens krav och gör den synlig, men den gör inte ett IOP lagligt och är "
                "inget villkor för att delta i en upphandling som är reserverad för idéburna "
                "organisationer. Ingen åtgärd krävs för avtalet."))


@rule(code="IOP145", severity=Severity.WARNING,
      title="Tillstånd från IVO saknas",
      trigger=("`partnerskap.verksamhetsområden` innehåller skyddat boende, HVB, stödboende, "
               "hemtjänst, LSS eller personlig assistans och ingen idéburen part har "
               "`ivo_tillstånd`"),
      source=IVO)
def ivo_permit_missing(ctx: RuleContext) -> Iterable[Hit]:
    areas = ctx.facts.ivo_areas
    if not areas or any(p.ivo_permit for p in ctx.spec.nonprofit_parties):
        return
    responsible = {a.responsible for a in ctx.spec.activities}
    for index, party in enumerate(ctx.spec.parties):
        if not party.is_nonprofit or party.id not in responsible:
            continue
        yield Hit(("parter", index), (
            f"Verksamheten omfattar {', '.join(AREA_NAMES.get(a, a) for a in areas)}. Den som "
            "yrkesmässigt bedriver sådan verksamhet i enskild regi behöver tillstånd från "
            "Inspektionen för vård och omsorg (IVO), också när den offentliga parten står för "
            "lokalerna (tillståndet är knutet till de lokaler där verksamheten bedrivs). Ange "
            f"tillståndets nummer och datum i `ivo_tillstånd` för {party.name}, eller ansök "
            "hos IVO; verksamheten får inte starta förrän tillståndet har beviljats."))
