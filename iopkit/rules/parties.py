"""The parties: organisation number against legal form, registration as idéburen."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule

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
      source="Skatteverket: Organisationsnummer (SKV 709), gruppnummer")
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
      source="lag (2022:900) om registrering av idéburna organisationer; Kammarkollegiet")
def not_registered(ctx: RuleContext) -> Iterable[Hit]:
    for index, party in enumerate(ctx.spec.parties):
        if party.is_nonprofit and party.registered_nonprofit is False:
            yield Hit(("parter", index, "registrerad_idéburen"), (
                f"{party.name} är inte registrerad som idéburen organisation. Registreringen "
                "hos Kammarkollegiet är frivillig, men den stärker organisationens ställning "
                "när offentliga medel går till välfärdsverksamhet. Ansökan görs hos "
                "Kammarkollegiet."))
