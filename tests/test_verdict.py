"""The verdict the memo follows (iopkit.rules.verdict): which open findings stop the
decision, and what must be done first, in plain Swedish for the nämnd."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import CANONICAL, dump, load_canonical_data
from iopkit.check import check_file
from iopkit.rules.verdict import BLOCKING_WARNINGS, blocks, verdict
from iopkit.rules.registry import all_rules
from iopkit.spec.findings import Severity

#: What the nämnd's documents never show (IOP.md, "No tool in the documents").
TOOL_TEXT = re.compile(r"`|IOP\d{3}|\biopkit\b|FYLL I|[a-zåäö]+_[a-zåäö]+|"
                       r"rättslig_bedömning|prövning\.|ekonomi\.|statsstöd_grund|\{|\}")


def checked(tmp_path, data: dict, name: str = "spec.yaml"):
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    result = check_file(path)
    assert result.spec is not None or result.errors, result.findings
    return result


def test_canonical_example_is_ready_for_decision():
    result = check_file(CANONICAL)
    assert verdict(result).ready and verdict(result).todo == []


#: The assessment kommunallagen 2 kap. 8 § asks for on a de minimis ground (IOP185).
NOT_A_BUSINESS = [{"regel": "IOP185", "motivering": (
    "Föreningen tar emot stödet för den avgiftsfria dagverksamheten, inte som "
    "näringsidkare.")}]


def test_de_minimis_above_the_ceiling_stops_the_decision(tmp_path):
    data = load_canonical_data()
    data["iopkit_undantag"] = NOT_A_BUSINESS
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
    data["rättslig_bedömning"]["statsstöd"] = "Stödet lämnas som stöd av mindre betydelse."
    result = checked(tmp_path, data)
    outcome = verdict(result)
    assert not outcome.ready
    assert [f.code for f in outcome.blocking] == ["IOP112"]
    assert outcome.blocking[0].severity is Severity.ERROR
    assert outcome.todo == [
        "Stödet till Föreningen Vinternatt överstiger taket för stöd av mindre betydelse, "
        "så det kan inte lämnas på den grunden. Stödet behöver minskas eller lämnas på en "
        "annan grund som bedöms innan nämnden beslutar."]


def test_de_minimis_below_the_ceiling_is_ready(tmp_path):
    data = load_canonical_data()
    data["iopkit_undantag"] = NOT_A_BUSINESS
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
    data["rättslig_bedömning"]["statsstöd"] = "Stödet lämnas som stöd av mindre betydelse."
    data["resurser"][0]["belopp_per_år"] = 800_000  # 2 400 000 kr, about 218 182 euro
    outcome = verdict(checked(tmp_path, data))
    assert outcome.ready, [f.code for f in outcome.blocking]


def test_sgei_de_minimis_needs_the_written_entrustment_before_it_is_ready(tmp_path):
    data = load_canonical_data()
    data["iopkit_undantag"] = NOT_A_BUSINESS
    legal = data["rättslig_bedömning"]
    legal["statsstöd_grund"] = "stöd av mindre betydelse för SGEI"
    legal["statsstöd"] = "Stödet lämnas som stöd av mindre betydelse för SGEI."
    # 7 200 000 kr, about 654 545 euro: under the SGEI ceiling of 750 000 euro.
    outcome = verdict(checked(tmp_path, data))
    assert [f.code for f in outcome.blocking] == ["IOP117"]
    assert "Föreningen Vinternatt behöver skriftligen få i uppdrag" in outcome.todo[0]
    legal["statsstöd"] = ("Föreningen får genom avtalet skriftligen i uppdrag att driva "
                          "dagverksamheten som en tjänst av allmänt ekonomiskt intresse; "
                          "stödet lämnas som stöd av mindre betydelse för SGEI.")
    assert verdict(checked(tmp_path, data, "b.yaml")).ready
    # Above 750 000 euro the SGEI ground cannot be used either: an error.
    data["resurser"][0]["belopp_per_år"] = 3_000_000
    above = verdict(checked(tmp_path, data, "c.yaml"))
    assert [f.code for f in above.blocking] == ["IOP112"]
    assert "överstiger taket för stöd av mindre betydelse för SGEI" in above.todo[0]


def shelter_with_placements() -> dict:
    """A skyddat boende whose places are the kommun's own insats (HFD 2020 ref. 15)."""
    data = load_canonical_data()
    data["partnerskap"]["verksamhetsområden"] = ["skyddat boende"]
    data["partnerskap"]["avgränsning"] = "Partnerskapet omfattar boendet och stödsamtalen."
    data["parter"][1]["ivo_tillstånd"] = {"diarienummer": "3.5.1-04417/2024",
                                          "datum": dt.date(2024, 9, 12),
                                          "avser": ["skyddat boende"]}
    data["rättslig_bedömning"]["prövning"].update(
        {"lagstadgad_insats": "ja", "individuella_beslut": "ja", "marknad": "ja"})
    return data


def test_skyddat_boende_with_individual_placements_stops_the_decision(tmp_path):
    result = checked(tmp_path, shelter_with_placements())
    outcome = verdict(result)
    assert not outcome.ready
    codes = {f.code for f in outcome.blocking}
    assert {"IOP108", "IOP180", "IOP182", "IOP183"} <= codes
    todo = " ".join(outcome.todo)
    assert "delas upp" in todo and "fullmäktige" in todo and "upphandling" in todo
    # The market answer bears on state aid: a warning, but not one that blocks.
    market = next(f for f in result.findings if f.code == "IOP119")
    assert not blocks(market)


def test_the_split_lifts_the_block(tmp_path):
    # Inside or outside is decided on substance (rules/statutory.py): the places taken
    # out of the partnership and bought separately, and nobody placed through it.
    data = shelter_with_placements()
    data["partnerskap"]["verksamhetsområden"] = ["socialtjänst", "skyddat boende"]
    data["partnerskap"]["avgränsning"] = (
        "Platserna i föreningens skyddade boende ingår inte i partnerskapet; socialnämnden "
        "köper dem genom en upphandling reserverad för idéburna organisationer.")
    data["rättslig_bedömning"]["prövning"].update(
        {"individuella_beslut": "nej", "marknad": "nej"})
    outcome = verdict(checked(tmp_path, data))
    assert outcome.ready, [(f.code, f.message) for f in outcome.blocking]


def test_an_assessment_text_alone_does_not_lift_the_statutory_block(tmp_path):
    data = shelter_with_placements()
    data["rättslig_bedömning"]["upphandling"] = (
        "Kommunen har en lagstadgad skyldighet att ge skyddat boende. Platserna som "
        "socialnämnden beslutar om (individuella beslut om placering) köps genom en "
        "upphandling reserverad för idéburna organisationer; detta avtal gäller bara "
        "föreningens egen verksamhet. Kommunfullmäktige har beslutat om uppdraget.")
    data["rättslig_bedömning"]["prövning"]["marknad"] = "nej"
    outcome = verdict(checked(tmp_path, data))
    assert not outcome.ready and "IOP108" in {f.code for f in outcome.blocking}


def test_a_silenced_blocking_warning_no_longer_blocks(tmp_path):
    data = load_canonical_data()
    data["rättslig_bedömning"]["prövning"]["behöver_utföras"] = "ja"
    result = checked(tmp_path, data)
    assert [f.code for f in verdict(result).blocking] == ["IOP180"]
    data["iopkit_undantag"] = [{"regel": "IOP180", "motivering": "Bedömt av kommunjuristen "
                                "den 1 december 2026: verksamheten utförs inte åt nämnden."}]
    assert verdict(checked(tmp_path, data, "b.yaml")).ready


def test_blocking_warnings_are_real_warnings():
    warnings = {r.code for r in all_rules() if r.severity is Severity.WARNING}
    assert BLOCKING_WARNINGS <= warnings


@pytest.mark.parametrize("mutate", [
    lambda d: d["rättslig_bedömning"].pop("upphandling"),
    lambda d: d["ekonomi"].update({"ersättningsform": "per prestation"}),
    lambda d: d["process"]["beslut"][1].update({"anslaget": dt.date(2026, 12, 1)}),
    lambda d: d.update(shelter_with_placements()),
    lambda d: d["parter"][1].update({"ivo_tillstånd": {"datum": dt.date(2025, 1, 1),
                                                       "avser": ["HVB"]}}) or
    d["partnerskap"].update({"verksamhetsområden": ["stödboende"]}),
], ids=["ingen-upphandlingsbedomning", "per-prestation", "anslaget-fore-beslut",
        "skyddat-boende", "tillstand-tacker-inte"])
def test_todo_is_plain_swedish_for_the_namnd(tmp_path, mutate):
    data = load_canonical_data()
    mutate(data)
    outcome = verdict(checked(tmp_path, data))
    assert outcome.todo
    for sentence in outcome.todo:
        assert not TOOL_TEXT.search(sentence), sentence
        assert sentence[0].isupper() and sentence.endswith("."), sentence


def test_possible_business_without_assessment_stops_the_decision(tmp_path):
    data = load_canonical_data()
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
    data["rättslig_bedömning"]["statsstöd"] = "Stödet lämnas som stöd av mindre betydelse."
    data["resurser"][0]["belopp_per_år"] = 800_000
    outcome = verdict(checked(tmp_path, data))
    assert [f.code for f in outcome.blocking] == ["IOP185"]
    assert outcome.todo[0].startswith("Det behöver bedömas om Föreningen Vinternatt tar "
                                      "emot stödet som näringsidkare")
