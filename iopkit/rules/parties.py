"""The parties: organisation number against legal form, registration as idéburen, IVO."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..spec.findings import Severity
from ..spec.model import IvoPermit
from .assessment import AREA_NAMES
from .registry import Hit, RuleContext, rule
from .sources import IVO, KL_BUSINESS, REGISTRATION, SKATTEVERKET

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
            "hos IVO; verksamheten får inte starta förrän tillståndet har beviljats."), todo=(
            f"{party.name} har inget tillstånd från Inspektionen för vård och omsorg för "
            f"{', '.join(AREA_NAMES.get(a, a) for a in areas)}. Tillståndet behöver finnas, "
            "eller vara sökt, innan nämnden beslutar; verksamheten får inte starta utan det."))


#: IVO's permit duty for skyddat boende began on this day (socialtjänstlagen; IOP.md):
#: a permit for it cannot be dated earlier.
SHELTER_PERMITS_FROM = dt.date(2024, 4, 1)


@rule(code="IOP146", severity=Severity.WARNING,
      title="Tillstånd för skyddat boende före 2024-04-01",
      trigger=("`ivo_tillstånd` (med `datum`) avser skyddat boende och är daterat före "
               "2024-04-01"),
      source=IVO)
def shelter_permit_too_early(ctx: RuleContext) -> Iterable[Hit]:
    areas = ctx.facts.areas
    for index, party in enumerate(ctx.spec.parties):
        permit = party.ivo_permit
        if not isinstance(permit, IvoPermit) or permit.date is None:
            continue
        shelter = "skyddat boende" in permit.covers or \
            (not permit.covers and "skyddat boende" in areas)
        if shelter and permit.date < SHELTER_PERMITS_FROM:
            yield Hit(("parter", index, "ivo_tillstånd", "datum"), (
                f"Tillståndet för {party.name} är daterat {permit.date.isoformat()}, men "
                "kravet på tillstånd från IVO för skyddat boende gäller från 2024-04-01, och "
                "inget sådant tillstånd kan vara beviljat före det. Kontrollera "
                "tillståndsbeviset: datumet kan gälla en ansökan (den som redan drev skyddat "
                "boende fick fortsätta medan en ansökan som lämnats senast 2024-08-01 "
                "prövades) eller ett tillstånd för en annan verksamhet."))


@rule(code="IOP147", severity=Severity.WARNING,
      title="Tillståndet täcker inte verksamheten",
      trigger=("`ivo_tillstånd.avser` nämner inte ett tillståndspliktigt område i "
               "`partnerskap.verksamhetsområden`"),
      source=IVO)
def permit_does_not_cover(ctx: RuleContext) -> Iterable[Hit]:
    areas = ctx.facts.ivo_areas
    permits = [(index, party) for index, party in enumerate(ctx.spec.parties)
               if party.ivo_permit is not None]
    # Only map-form permits that list what they cover can be compared; a text permit may
    # cover anything.
    if not areas or not permits or any(
            not isinstance(p.ivo_permit, IvoPermit) or not p.ivo_permit.covers
            for _, p in permits):
        return
    covered = {a for _, p in permits if isinstance(p.ivo_permit, IvoPermit)
               for a in p.ivo_permit.covers}
    missing = [a for a in areas if a not in covered]
    if not missing:
        return
    index, party = permits[0]
    named = ", ".join(AREA_NAMES.get(a, a) for a in missing)
    yield Hit(("parter", index, "ivo_tillstånd", "avser"), (
        f"Verksamheten omfattar {named}, men tillståndet från IVO för {party.name} avser "
        f"inte det. Ett tillstånd gäller den verksamhet och de lokaler det avser. Kontrollera "
        "tillståndsbeviset och ange i `avser` vad tillståndet gäller, eller ansök hos IVO om "
        "tillstånd för den verksamheten innan den startar."), todo=(
        f"Tillståndet från Inspektionen för vård och omsorg för {party.name} gäller inte "
        f"{named}. Tillstånd för den verksamheten behöver finnas innan den startar."))


#: Legal forms that as a rule run a business (näringsverksamhet).
BUSINESS_FORMS = ("ekonomisk förening", "aktiebolag med särskild vinstutdelningsbegränsning")


@rule(code="IOP185", severity=Severity.WARNING,
      title="Stöd till en mottagare som kan vara näringsidkare",
      trigger=("en kommun eller region ger pengar eller andra resurser till en idéburen part "
               "som är en ekonomisk förening eller ett aktiebolag, eller vars verksamhet "
               "statsstödsbedömningen behandlar som ekonomisk (`statsstöd_grund` annat än "
               "`ingen ekonomisk verksamhet`)"),
      source=KL_BUSINESS)
def support_to_business(ctx: RuleContext) -> Iterable[Hit]:
    ground = ctx.facts.state_aid_ground
    economic = ground is not None and ground != "ingen ekonomisk verksamhet"
    for aid in ctx.facts.aid_by_recipient:
        party = aid.party
        if not any(t.giver.type in ("kommun", "region") for t in aid.transfers):
            continue
        form = party.type in BUSINESS_FORMS
        if not form and not economic:
            continue
        why = (f"den är {'ett' if party.type.startswith('aktiebolag') else 'en'} "
               f"{party.type}, en form för näringsverksamhet" if form else
               f"statsstödsbedömningen ({ground}) behandlar verksamheten som ekonomisk")
        index = ctx.spec.parties.index(party)
        yield Hit(("parter", index), (
            f"{party.name} får stöd enligt avtalet, och {why}. En kommun eller region får "
            "lämna individuellt stöd till en enskild näringsidkare bara om det finns "
            "synnerliga skäl (kommunallagen (2017:725) 2 kap. 8 §). Om mottagaren är en "
            "näringsidkare avgörs av vad den gör med stödet, inte av dess form: en ideell "
            "förening som driver affärsverksamhet kan vara en, en ekonomisk förening vars "
            "stödda verksamhet är avgiftsfri och allmännyttig behöver inte vara det. Bedöm "
            "vad mottagaren gör i den verksamhet som stödet avser och, om den är "
            "näringsverksamhet, vilka synnerliga skäl som finns. Skriv bedömningen som "
            "motivering när du undantar regeln (`iopkit_undantag`); tjänsteskrivelsen "
            "återger den."), todo=(
            f"Det behöver bedömas om {party.name} tar emot stödet som näringsidkare, och i "
            "så fall om det finns synnerliga skäl för stödet (2 kap. 8 § kommunallagen). "
            "Bedömningen utgår från vad mottagaren gör i den verksamhet som stödet avser, "
            "inte från dess form."))
