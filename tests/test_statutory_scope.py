"""Statutory insatser inside or outside the partnership (rules/statutory.py), read back
from the rendered Word files as the second reader of 2026-12-02 read them
(docs/granskning/2026-12-02-*.md: TS/CL 1–7, 13, 15, 16, 19, 23; avtal 1–5, 9, 24).

Three skyddat boende cases of their own (tests/data/skyddat/): a kvinnojour whose grant
funds places for the kommun's placements (blocked), a stiftelse whose places are
excluded and bought separately (ready), and a region that funds places in a skyddat
boende, a kommun's insats (blocked by the region's lack of that duty only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, dump, run
from render_helpers import rendered_texts
from test_tjansteskrivelse import assert_no_tool_text, first_page, section

FIXTURES = Path(__file__).parent / "data" / "skyddat"
DATE = "2026-12-02"
KINDS = ("avtal", "checklista", "tjansteskrivelse")


def render_all(runner, spec: Path) -> dict[str, str]:
    return rendered_texts(runner, spec, KINDS, DATE)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, str]]:
    from typer.testing import CliRunner

    runner = CliRunner()
    directory = tmp_path_factory.mktemp("skyddat")
    out = {}
    for name in ("platser", "delat", "region"):
        spec = directory / f"{name}.yaml"
        shutil.copy(FIXTURES / f"{name}.yaml", spec)
        out[name] = render_all(runner, spec)
    spec = directory / "kvinnojour.yaml"
    shutil.copy(EXAMPLES / "kvinnojour.yaml", spec)
    out["kvinnojour"] = render_all(runner, spec)
    return out


def check_output(runner, path: Path, *options: str) -> tuple[int, str]:
    result = run(runner, "check", *options, path)
    return result.exit_code, result.output


# --- places funded by the grant: the HFD 2020 ref. 15 pattern ------------------------


def test_places_funded_by_the_grant_stop_the_decision(rendered):
    memo = rendered["platser"]["tjansteskrivelse"]
    page = first_page(memo)
    assert "Ärendet är inte klart för beslut" in page
    # TS/CL 1: the state-aid verdict does not cover the boende the grant funds.
    assert "Stödet finansierar enligt avtalet det skyddade boendet, som är ekonomisk " \
           "verksamhet. Statsstödsfrågan måste bedömas på nytt" in page
    assert "Beloppet överstiger taket för stöd av mindre betydelse (300 000 euro under tre " \
           "år), så den grunden räcker inte." in page
    # TS/CL 6: a concrete step, not "bedömas och förklaras".
    assert "Platserna tas ut ur avtalet och köps separat" in page
    assert "bedömas och förklaras innan" not in page
    # TS/CL 2: Vem som beslutar agrees with the first page.
    who = section(memo, "Vem som beslutar", "Upphandling")
    assert "utan ett sådant uppdrag kan socialnämnden inte ensam godkänna avtalet" in who
    assert "lämnar inte över någon sådan angelägenhet" not in who
    proposal = section(memo, "Förslag till beslut", "Beslutet skickas till")
    assert "godkänner avtalet" not in proposal and "godkänna avtalet" not in proposal
    checklist = rendered["platser"]["checklista"]
    assert "☐ Statsstöd (grund: ingen ekonomisk verksamhet)" in checklist
    assert "☒ Statsstöd" not in checklist


def test_the_agreement_does_not_say_it_buys_nothing_when_it_funds_the_places(rendered):
    agreement = rendered["platser"]["avtal"]
    # avtal 2: "köper inga tjänster" is not true while the grant funds the places.
    assert "köper inga tjänster genom avtalet" not in agreement
    assert "Särskilda villkor för verksamhet inom skyddat boende" in agreement
    # avtal 24: the duty to report concern always applies to the permitted boende.
    assert "Det gäller alltid verksamheten inom skyddat boende." in agreement


def test_the_block_is_lifted_on_substance_not_by_a_keyword(runner, tmp_path):
    # TS/CL 7: no hint to write "lagstadgad"; the assessment text alone lifts nothing.
    data = yaml.safe_load((FIXTURES / "platser.yaml").read_text(encoding="utf-8"))
    data["rättslig_bedömning"]["upphandling"] += (
        " Kommunens lagstadgade skyldighet att ge skyddat boende fullgörs inte genom avtalet.")
    path = tmp_path / "ord.yaml"
    path.write_text(dump(data), encoding="utf-8")
    _, out = check_output(runner, path)
    statutory = next(line for line in out.splitlines() if " IOP108 " in line)
    assert "texten ska nämna det" not in statutory and '"lagstadgad"' not in out


def test_a_street_address_is_never_printed_for_an_organisation_with_a_shelter(
        runner, rendered):
    # avtal 3: neither § 1, § 6, the checklist nor the memo name the street.
    for kind, text in rendered["platser"].items():
        assert "Kvarngatan" not in text, kind
    assert "lokaler: organisationens lokaler för verksamheten" in rendered["platser"]["avtal"]
    # The documents already leave the street out: no risk for the nämnd to read about.
    assert "gatuadress" not in rendered["platser"]["tjansteskrivelse"]
    _, out = check_output(runner, FIXTURES / "platser.yaml")
    assert out.count("IOP188") == 2  # the party's adress and the resource


def test_the_shelter_memo_dates_the_insats_right(rendered):
    # TS/CL 15: socialtjänstlagen (2025:400) applies from 1 July 2025.
    memo = rendered["platser"]["tjansteskrivelse"]
    assert "sedan den 1 april 2024 en insats enligt socialtjänstlagen (2025:400)" not in memo
    assert "infördes den 1 april 2024, när den tidigare socialtjänstlagen gällde" in memo


# --- places excluded and bought separately: the split --------------------------------


def test_places_bought_separately_are_ready_for_decision(runner, rendered):
    code, out = check_output(runner, FIXTURES / "delat.yaml", "--strict")
    assert code == 0, out
    # TS/CL 23: the avgränsning that names the separate procurement is no wording hint.
    assert "IOP104" not in out and "IOP108" not in out and "IOP180" not in out
    memo = rendered["delat"]["tjansteskrivelse"]
    assert "Ärendet är inte klart för beslut" not in memo
    assert "Förvaltningen föreslår att socialnämnden godkänner avtalet" in memo
    assert "Stiftelsen Fristad driver också ett skyddat boende, men det ingår inte i " \
           "partnerskapet och finansieras inte med medel enligt avtalet." in memo
    assert "För partnerskapets egen verksamhet gäller lagen bara om den bedrivs " \
           "yrkesmässigt" in memo
    # TS/CL 6: no claim that the agreement covers the places.
    assert "När ett bidrag finansierar platser" not in memo
    assert "Den verksamhet som avtalet gäller (skyddat boende)" not in memo


def test_meddelarskydd_and_registerkontroll_follow_the_partnerships_own_activity(rendered):
    # TS/CL 16; avtal 5.
    memo = rendered["delat"]["tjansteskrivelse"]
    assert "finansieras delvis med offentliga medel genom partnerskapet" not in memo
    assert "Stiftelsen Fristad driver ett skyddat boende utanför partnerskapet" in memo
    # IVO's permit and the procured places: the law applies there by the purchase (R4 8).
    assert "Det följer av upphandlingen, inte av detta avtal." in memo
    agreement = rendered["delat"]["avtal"]
    assert "finansieras till en del med medel enligt avtalet" not in agreement
    assert "Särskilda villkor för verksamhet inom skyddat boende" not in agreement
    assert "Registerkontroll enligt lagen (2007:171)" not in agreement
    # The boende is outside the partnership, so its insatser are not held there (R2 finding 6).
    assert "Partnerskapets insatser hålls inte i Stiftelsen Fristads skyddade boende, som " \
           "ligger utanför partnerskapet." in agreement
    assert "Hålls en insats i Stiftelsen Fristads skyddade boende" not in agreement
    assert "lagen (2013:852) om registerkontroll av personer som ska arbeta med barn" \
        in agreement
    checklist = rendered["delat"]["checklista"]
    assert "Hålls någon insats i Stiftelsen Fristads skyddade boende gäller där i stället " \
           "lagen (2007:171)" in checklist
    assert "obligatorisk enligt lagen (2007:171)" not in checklist


def test_the_agreement_says_the_boende_is_outside_and_not_funded(rendered):
    agreement = rendered["delat"]["avtal"]
    # avtal 4: no fullmäktige paragraph, the places are not handed over.
    assert "10 kap. 1 §" not in agreement
    assert "kommunfullmäktige" not in section(agreement, "Underskrifter", "Bilagor")
    # avtal 2 and 5: the exclusion and the bar on funding the places, in so many words.
    # The spec's avgränsning already says the places are not part of it: only the funding
    # is added (R2 finding 12).
    assert "Platserna i stiftelsens skyddade boende ingår inte i partnerskapet" in agreement
    assert "Stiftelsen Fristads skyddade boende finansieras inte med medel enligt avtalet." \
        in agreement
    assert "Medlen får inte användas för kostnader för det skyddade boendet, som ligger " \
           "utanför partnerskapet, och inte för platser som ersätts enligt avtal om köp av " \
           "platser." in agreement
    assert "köper inga tjänster genom avtalet" in agreement
    assert "Postadress: Box 55, 781 21 Ålstad" in agreement


# --- a region that funds a kommun's insats ---------------------------------------------


def test_a_region_funding_shelter_places_is_told_it_has_no_such_duty(rendered):
    # TS/CL 5: only the item that the region has no such duty, for regionstyrelsen.
    page = first_page(rendered["region"]["tjansteskrivelse"])
    assert "Region Västerfjäll har inte det ansvaret och kan varken lämna över insatsen " \
           "eller köpa platserna" in page
    assert "innan regionstyrelsen beslutar" in page
    assert "innan nämnden beslutar" not in page
    assert "fullmäktiges beslut" not in page and "fullmäktige besluta" not in page
    assert "enligt lag måste ge" not in page
    checklist = rendered["region"]["checklista"]
    assert "Region Västerfjäll: regionstyrelsen ska besluta" in checklist


def test_a_decision_and_a_jav_text_for_another_body_are_caught(runner, tmp_path):
    # TS/CL 3 and 4, avtal 1: the region's decision recorded for a kommun's nämnd.
    data = yaml.safe_load((FIXTURES / "region.yaml").read_text(encoding="utf-8"))
    data["process"]["beslut"][1]["organ"] = "socialnämnden Centrum"
    data["process"]["jäv"] = "Ingen ledamot i socialnämnden Centrum sitter i jourens styrelse."
    path = tmp_path / "annat-organ.yaml"
    path.write_text(dump(data), encoding="utf-8")
    _, out = check_output(runner, path)
    assert "IOP194" in out and "IOP195" in out
    assert "partens organ (`organ`) är regionstyrelsen" in out
    memo = render_all(runner, path)["tjansteskrivelse"]
    assert "Jäv har prövats för" not in memo
    assert "Jäv ska prövas innan beslutet fattas" in memo
    # The mismatch is for the officer's checklist, not a risk for the nämnd.
    assert "Jävsbedömningen nämner" not in memo
    assert "Till: Regionstyrelsen" in memo


# --- the kvinnojour example: a shelter beside a regional partnership ------------------


def test_an_organisations_shelter_beside_the_partnership_is_said_to_be_outside(rendered):
    memo = rendered["kvinnojour"]["tjansteskrivelse"]
    # TS/CL 13: the shelter in the state-aid assessment.
    aid = section(memo, "Statsstöd", "Ekonomiska konsekvenser")
    assert "Kvinnojouren Lindan i Norrmark driver också ett skyddat boende, som är " \
           "ekonomisk verksamhet. Det ingår inte i partnerskapet" in aid
    assert "redovisar partnerskapets medel skilt från den" in aid
    # TS/CL 19: the DPIA is a requirement.
    assert "En konsekvensbedömning avseende dataskydd (artikel 35 i " \
           "dataskyddsförordningen (EU) 2016/679) ska göras innan behandlingen börjar" in memo
    assert "pröva om en konsekvensbedömning" not in memo
    assert "Konsekvensbedömning avseende dataskydd (artikel 35 i dataskyddsförordningen " \
           "(EU) 2016/679): krävs" in rendered["kvinnojour"]["checklista"]
    # avtal 9: the agreement says the boende is outside and not funded.
    assert "Kvinnojouren Lindans skyddade boende ingår inte i partnerskapet och " \
           "finansieras inte med medel enligt avtalet." in rendered["kvinnojour"]["avtal"]


def test_no_tool_text_in_the_namnds_documents(rendered):
    for name, texts in rendered.items():
        assert_no_tool_text(texts["tjansteskrivelse"])
        for kind in ("avtal", "tjansteskrivelse"):
            for word in ("IOP1", "`", "iopkit", "FYLL I", "lagstadgad_utanför"):
                assert word not in texts[kind], (name, kind, word)


def test_fullmaktige_and_the_appeal_period_must_fit_before_the_start(runner, tmp_path):
    # avtal 24: the nämnd decides on 17 December, fullmäktige after it, and the agreement
    # starts on 1 January; with the start moved to April there is time.
    _, out = check_output(runner, FIXTURES / "platser.yaml")
    late = next(line for line in out.splitlines() if " IOP196 " in line)
    assert "Socialnämnden beslutar den 17 december 2026, och kommunfullmäktige först " \
           "därefter" in late and "avtalet börjar den 1 januari 2027" in late
    # R3 4: a start after the nämnd's decision is not enough; fullmäktige's own decision
    # must be planned before it (here 15 February, three weeks before 1 April).
    data = yaml.safe_load((FIXTURES / "platser.yaml").read_text(encoding="utf-8"))
    data["process"]["beslut"].append({"part": "sundvik", "organ": "kommunfullmäktige",
                                      "datum": "2027-02-15"})
    data["avtalsperiod"]["start"] = "2027-04-01"
    path = tmp_path / "senare.yaml"
    path.write_text(dump(data), encoding="utf-8")
    assert "IOP196" not in check_output(runner, path)[1]
