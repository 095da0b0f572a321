"""Specs for the agreement tests of issue 21, built from the canonical example: a
skyddat boende with children, and two idéburna organisations with one kommun."""

from __future__ import annotations

import copy

from conftest import load_canonical_data


def canonical() -> dict:
    return load_canonical_data()


def protected_housing() -> dict:
    """A kvinnojour that runs a skyddat boende with IVO's permit and barngrupper, funded
    by the kommun (IOP.md, "Skyddat boende, särskilt boende and other statutory
    insatser")."""
    data = canonical()
    data["partnerskap"]["namn"] = "Skydd och stöd för våldsutsatta kvinnor och barn"
    data["partnerskap"]["kortnamn"] = "Skyddsnätet"
    data["partnerskap"]["verksamhetsområden"] = ["skyddat boende", "socialtjänst"]
    data["partnerskap"]["barn"] = True
    data["partnerskap"]["målgrupp"] = "Kvinnor och barn som utsatts för våld i nära relationer."
    org = data["parter"][1]
    org["namn"] = "Kvinnojouren Eken"
    org["verksamhetsidé"] = ("Kvinnojouren Eken arbetar för att alla kvinnor och barn ska "
                             "kunna leva fria från våld.")
    org["adress"] = "Box 7, 413 01 Göteborg"
    org["ivo_tillstånd"] = {"diarienummer": "3.5.1-01234/2024", "datum": "2024-06-20",
                            "avser": ["skyddat boende"]}
    data["insatser"][0]["beskrivning"] = "Skyddat boende med sex platser för kvinnor och barn."
    data["insatser"][1]["beskrivning"] = "Barngrupper för barn som har upplevt våld."
    data["rättslig_bedömning"]["upphandling"] = (
        "Platserna i boendet köps genom en reserverad upphandling enligt LOU 19 kap. 25 a §; "
        "bidraget avser jourens egen verksamhet med barngrupper och stödsamtal.")
    return data


def two_organisations() -> dict:
    """The kommun with two idéburna organisations, each receiving its own money."""
    data = canonical()
    second = copy.deepcopy(data["parter"][1])
    second.update({"id": "stadsmission", "namn": "Stiftelsen Stadsmissionen Väst",
                   "typ": "stiftelse", "organisationsnummer": "802011-1236",
                   "registrerad_idéburen": False,
                   "verksamhetsidé": "Stadsmissionen ger stöd till människor i utsatthet."})
    second.pop("organ", None)
    data["parter"].append(second)
    data["resurser"][0]["mottagare"] = "vinternatt"
    data["resurser"].append({"part": "goteborg", "typ": "ekonomiska medel",
                             "beskrivning": "Bidrag till rådgivningen",
                             "belopp_per_år": 400000, "mottagare": "stadsmission"})
    data["insatser"][1]["ansvarig"] = "stadsmission"
    data["styrning"]["partnerskapsgrupp"].append("stadsmission")
    data["behovsinventering"]["genomförd_av"].append("stadsmission")
    data["process"]["beslut"].append({"part": "stadsmission", "organ": "styrelsen",
                                      "datum": "2026-12-09"})
    return data
