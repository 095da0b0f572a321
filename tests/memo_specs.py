"""Specs of realistic partnerships for the tests of the nämnd's documents (memo,
checklist, agreement title page), built from the canonical example: several idéburna
parties, a skyddat boende, de minimis above and below the ceiling, SGEI, delegation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from conftest import dump, load_canonical_data


def canonical() -> dict[str, Any]:
    return copy.deepcopy(load_canonical_data())


def write(data: dict[str, Any], directory: Path, name: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(dump(data), encoding="utf-8")
    return path


def multi_party() -> dict[str, Any]:
    """The day centre with a second association that gets its own grant."""
    data = canonical()
    data["parter"].append({
        "id": "kvarteret", "namn": "Föreningen Kvarteret", "typ": "ideell förening",
        "organ": "styrelsen", "organisationsnummer": "802500-1234",
        "adress": "Järntorget 4, 413 04 Göteborg",
        "kontaktperson": {"namn": "Sara Lind", "titel": "Samordnare",
                          "epost": "sara@example.org"},
        "firmatecknare": [{"namn": "Omar Said", "titel": "Ordförande"}]})
    data["resurser"][0]["mottagare"] = "vinternatt"
    data["resurser"].append({"part": "goteborg", "typ": "ekonomiska medel",
                             "beskrivning": "Bidrag till rådgivningen", "mottagare": "kvarteret",
                             "belopp_per_år": 600000})
    data["resurser"].append({"part": "kvarteret", "typ": "ideell tid",
                             "beskrivning": "Volontärer i rådgivningen",
                             "timmar_per_år": 800, "värde_per_år": 120000})
    data["insatser"][1]["ansvarig"] = "kvarteret"
    data["behovsinventering"]["genomförd_av"].append("kvarteret")
    data["styrning"]["partnerskapsgrupp"].append("kvarteret")
    data["process"]["beslut"].insert(1, {"part": "kvarteret", "organ": "styrelsen",
                                         "datum": "2026-12-09"})
    return data


def skyddat_boende(statutory: str = "nej") -> dict[str, Any]:
    """A stiftelse that runs a skyddat boende with IVO's permit, and beside it support
    talks and a children's group. The partnership includes the boende (its avgränsning
    does not exclude it, rules/statutory.py): the grant funds it."""
    data = canonical()
    p = data["partnerskap"]
    p.update(namn="Stöd till våldsutsatta kvinnor och barn", kortnamn="Tryggt hem",
             verksamhetsområden=["skyddat boende", "socialtjänst"], barn=True,
             avgränsning="Nattlogi för andra målgrupper ingår inte.")
    p["bakgrund"] = "Stiftelsen Tryggt hem har sedan 2012 stött våldsutsatta kvinnor och barn."
    p["syfte"] = "Att stärka stödet till våldsutsatta kvinnor och barn i Göteborg."
    p["målgrupp"] = "Kvinnor och barn i Göteborg som har utsatts för våld i nära relationer."
    org = data["parter"][1]
    org.update(id="tryggt", namn="Stiftelsen Tryggt hem", typ="stiftelse",
               organisationsnummer="802511-2239", adress="Box 123, 401 20 Göteborg",
               verksamhetsidé="Stiftelsen arbetar för ett liv fritt från våld.",
               ivo_tillstånd={"diarienummer": "3.5.1-11111/2024", "datum": "2024-06-10",
                              "avser": ["skyddat boende"]})
    org.pop("registrerad_idéburen", None)
    org["firmatecknare"] = [{"namn": "Eva Holm", "titel": "Ordförande"}]
    for section in ("behovsinventering",):
        data[section]["genomförd_av"] = ["goteborg", "tryggt"]
    data["styrning"]["partnerskapsgrupp"] = ["goteborg", "tryggt"]
    for activity in data["insatser"]:
        if activity["ansvarig"] == "vinternatt":
            activity["ansvarig"] = "tryggt"
    data["insatser"][0]["beskrivning"] = "Stödsamtal och jourtelefon för våldsutsatta kvinnor."
    data["insatser"][1]["beskrivning"] = "Barngrupper för barn som har upplevt våld."
    for resource in data["resurser"]:
        if resource["part"] == "vinternatt":
            resource["part"] = "tryggt"
    data["resurser"][2]["beskrivning"] = "Stiftelsens samtalsrum"
    data["process"]["initiativ"]["part"] = "tryggt"
    data["process"]["beslut"][0]["part"] = "tryggt"
    data["process"]["jäv"] = ("Ingen ledamot eller ersättare i socialnämnden Centrum sitter i "
                              "stiftelsens styrelse.")
    data["rättslig_bedömning"]["prövning"]["lagstadgad_insats"] = statutory
    data["rättslig_bedömning"]["upphandling"] = (
        "Bidraget stöder stiftelsens egen verksamhet med stödsamtal, jourtelefon och "
        "barngrupper. Platserna i det skyddade boendet köper socialnämnden genom en "
        "separat upphandling; de ingår inte i avtalet. Stiftelsen åtar sig inga "
        "prestationer mot ersättning, och det finns ingen ersättning per plats eller "
        "deltagare.")
    data["rättslig_bedömning"]["statsstöd"] = (
        "Stödsamtalen och barngrupperna erbjuds utan avgift och finansieras med bidrag och "
        "ideellt arbete; de är inte ekonomisk verksamhet.")
    data["personuppgifter"] = {"behandlas": True, "ansvar": "var för sig"}
    return data


def de_minimis(yearly: int) -> dict[str, Any]:
    """The day centre on the de minimis ground with `yearly` kronor a year."""
    data = canonical()
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
    data["rättslig_bedömning"]["statsstöd"] = (
        "Rådgivningen konkurrerar med andra aktörer och är ekonomisk verksamhet; stödet "
        "lämnas som stöd av mindre betydelse.")
    data["resurser"][0]["belopp_per_år"] = yearly
    # Kommunallagen 2 kap. 8 § (IOP185): the officer's assessment of the recipient.
    data["iopkit_undantag"] = [{"regel": "IOP185", "motivering": (
        "Föreningen tar emot stödet för rådgivningen, som den inte driver som näringsidkare.")}]
    return data


def sgei() -> dict[str, Any]:
    data = de_minimis(1_000_000)
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse för SGEI"
    return data


def delegated(organ: str = "förvaltningsdirektören", posted: str | None = None,
              date: str = "2026-12-15") -> dict[str, Any]:
    data = canonical()
    decision = data["process"]["beslut"][1]
    decision.update(organ=organ, delegation=True, datum=date)
    if posted:
        decision["anslaget"] = posted
    return data
