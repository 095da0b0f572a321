"""The IOP rules as a user meets them through `iopkit check` and `iopkit regler`.

Each rule has a case that triggers it (code, severity word, line number, exit code, with
and without --strict) and a near miss that does not. `test_every_rule_has_a_case` makes
adding a rule without a test fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Callable

import pytest

from conftest import CANONICAL, EXAMPLES, ROOT, dump, line_of, load_canonical_data, run
from iopkit.rules.catalog import README_END, README_START
from iopkit.rules.registry import all_rules

FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): "
                     r"(?P<severity>fel|varning|info) (?P<code>IOP\d{3})\b(?P<rest>.*)$")
NBSP = "\u00a0"
D = dt.date


def findings(output: str) -> list[tuple[str, str, int]]:
    """(code, severity, line) for each finding line of check's text output."""
    out = []
    for text in output.splitlines():
        match = FINDING.match(text)
        if match:
            out.append((match["code"], match["severity"], int(match["line"])))
    return out


def message_of(output: str, code: str) -> str:
    for text in output.splitlines():
        match = FINDING.match(text)
        if match and match["code"] == code:
            return match["rest"]
    raise AssertionError(f"{code} not in output:\n{output}")


def codes(output: str) -> set[str]:
    return {code for code, _, _ in findings(output)}


# --- spec variants ---------------------------------------------------------------------

Mutation = Callable[[dict], None]


def canonical_variant(*mutations: Mutation) -> str:
    data = load_canonical_data()
    for mutate in mutations:
        mutate(data)
    return dump(data)


def setter(*path_and_value) -> Mutation:
    *path, value = path_and_value

    def mutate(data: dict) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def deleter(*path) -> Mutation:
    def mutate(data: dict) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return mutate


def unchanged(data: dict) -> None:
    return None


def drop_resources_of(party: str) -> Mutation:
    def mutate(data: dict) -> None:
        data["resurser"] = [r for r in data["resurser"] if r["part"] != party]

    return mutate


def add_need(data: dict) -> None:
    data["behovsinventering"]["behov"].append(
        {"id": "B3", "beskrivning": "Stöd att hitta bostad."})


def goal_m2_without_activity(data: dict) -> None:
    for activity in data["insatser"]:
        activity["mål"] = ["M1"]


def low_public_money(data: dict) -> None:
    data["resurser"][0]["belopp_per_år"] = 1_000_000  # 3 000 000 kr, vilket motsvarar cirka 272 727 euro


def long_period(data: dict) -> None:
    data["avtalsperiod"]["slut"] = "2030-06-30"  # three and a half years


no_ground = deleter("rättslig_bedömning", "statsstöd_grund")
de_minimis = setter("rättslig_bedömning", "statsstöd_grund", "stöd av mindre betydelse")
sgei_decision = setter("rättslig_bedömning", "statsstöd_grund", "SGEI-beslutet")


def unvalued_premises_first(data: dict) -> None:
    data["resurser"].insert(0, {"part": "goteborg", "typ": "lokaler",
                                "beskrivning": "Lokal i stadsdelshuset"})


def no_personal_data_words(data: dict) -> None:
    """The canonical example counts visits "utan personuppgifter": a word IOP151 reads."""
    data["mål"][0]["indikatorer"][0]["källa"] = "Daglig räkning av besök"


sgei_de_minimis = setter("rättslig_bedömning", "statsstöd_grund",
                         "stöd av mindre betydelse för SGEI")


def screening(question: str, answer: str) -> Mutation:
    return setter("rättslig_bedömning", "prövning", question, answer)


def ivo_permit(date: dt.date, covers: list[str]) -> Mutation:
    return setter("parter", 1, "ivo_tillstånd",
                  {"diarienummer": "3.5.1-01234/2024", "datum": date, "avser": covers})


def council_decision(data: dict) -> None:
    data["process"]["beslut"].append({"part": "goteborg", "organ": "kommunfullmäktige",
                                      "datum": D(2026, 12, 17), "paragraf": "§ 40"})


def public_only_pays(data: dict) -> None:
    data["resurser"] = [r for r in data["resurser"]
                        if r["part"] != "goteborg" or r["typ"] == "ekonomiska medel"]
    for activity in data["insatser"]:
        activity["ansvarig"] = "vinternatt"


def second_nonprofit(data: dict) -> None:
    data["parter"].append({
        "id": "solros", "namn": "Föreningen Solrosen", "typ": "ideell förening",
        "organisationsnummer": "802547-3185",
        "kontaktperson": {"namn": "Sara Ek"}, "firmatecknare": [{"namn": "Sara Ek"}]})
    data["resurser"].append({"part": "solros", "typ": "ideell tid",
                             "beskrivning": "Volontärer i rådgivningen",
                             "timmar_per_år": 500})
    data["styrning"]["partnerskapsgrupp"].append("solros")


@dataclass
class Case:
    code: str
    severity: str  # the word the user sees
    trigger: list[Mutation]
    needle: str  # the finding is on the first line of the variant containing this
    near_miss: list[Mutation]


CASES = [
    Case("IOP101", "fel", [setter("ekonomi", "ersättningsform", "per prestation")],
         "ersättningsform:", [unchanged]),
    Case("IOP102", "fel", [setter("ekonomi", "viten", "ja")], "viten:",
         [setter("ekonomi", "viten", "nej")]),
    Case("IOP103", "varning", [deleter("rättslig_bedömning", "upphandling")],
         "rättslig_bedömning:", [unchanged]),
    Case("IOP104", "varning",
         [setter("insatser", 0, "beskrivning", "Föreningen är leverantör av dagcenter.")],
         "leverantör",
         # The legal assessment may discuss procurement and suppliers freely.
         [setter("rättslig_bedömning", "upphandling",
                 "Föreningen är ingen leverantör och ingen upphandling behövs.")]),
    Case("IOP105", "varning", [public_only_pays], "insatser:",
         [drop_resources_of("goteborg")]),
    Case("IOP106", "varning",
         [setter("ekonomi", "utbetalning", "500 kr per deltagare och dag, i efterskott.")],
         "utbetalning:",
         # A yearly sum paid quarterly is not money per unit; indicators may count visitors.
         [setter("ekonomi", "utbetalning", "600 000 kr per kvartal i förskott.")]),
    Case("IOP107", "varning", [setter("personuppgifter", "ansvar", "biträde")],
         "ansvar: biträde", [setter("personuppgifter", "ansvar", "gemensamt")]),
    Case("IOP108", "varning", [setter("partnerskap", "verksamhetsområden", ["hemtjänst"])],
         "verksamhetsområden:",
         [setter("partnerskap", "verksamhetsområden", ["socialtjänst", "kultur"])]),
    Case("IOP109", "varning",
         [setter("rättslig_bedömning", "upphandling",
                 "Det finns ingen marknad för verksamheten, så LOU gäller inte.")],
         "upphandling:",
         [setter("rättslig_bedömning", "upphandling",
                 "Staden köper ingen tjänst och föreningen åtar sig inga prestationer.")]),
    Case("IOP110", "varning", [deleter("rättslig_bedömning", "statsstöd"), no_ground],
         "- part: goteborg",
         [deleter("rättslig_bedömning", "statsstöd"), no_ground, low_public_money]),
    Case("IOP111", "info", [no_ground], "statsstöd:", [unchanged]),
    Case("IOP112", "fel", [de_minimis], "statsstöd_grund:", [de_minimis, low_public_money]),
    Case("IOP113", "varning", [de_minimis, low_public_money, unvalued_premises_first],
         "- part: goteborg",
         [low_public_money, unvalued_premises_first]),
    Case("IOP114", "varning", [sgei_decision, setter("avtalsperiod", "slut", "2037-01-01")],
         "  slut:", [sgei_decision, setter("avtalsperiod", "slut", "2036-12-31")]),
    Case("IOP115", "varning", [sgei_decision], "upphandling:",
         [sgei_decision, setter("rättslig_bedömning", "upphandling",
                                "Uppdraget är en SGEI som inte är ett kontrakt, eftersom …")]),
    Case("IOP116", "varning",
         [setter("rättslig_bedömning", "statsstöd_grund", "gruppundantag"),
          deleter("rättslig_bedömning", "statsstöd")], "statsstöd_grund:",
         [setter("rättslig_bedömning", "statsstöd_grund", "gruppundantag")]),
    Case("IOP117", "varning", [sgei_de_minimis], "statsstöd_grund:",
         [sgei_de_minimis, setter("rättslig_bedömning", "statsstöd",
                                  "Föreningen har skriftligen fått i uppdrag att driva "
                                  "dagverksamheten som en tjänst av allmänt ekonomiskt "
                                  "intresse; uppdraget står i avtalet.")]),
    Case("IOP118", "varning",
         [de_minimis, low_public_money,
          setter("rättslig_bedömning", "statsstöd", "Verksamheten är inte ekonomisk verksamhet.")],
         "statsstöd: Verksamheten",
         # A text that reasons on de minimis may say one activity is not economic.
         [de_minimis, low_public_money,
          setter("rättslig_bedömning", "statsstöd",
                 "Läxhjälpen är inte ekonomisk verksamhet, men caféet är det, så stödet "
                 "lämnas som stöd av mindre betydelse.")]),
    Case("IOP119", "varning", [screening("marknad", "ja")], "marknad: ja",
         [screening("marknad", "ja"),
          setter("rättslig_bedömning", "statsstöd_grund", "ingen påverkan på handeln")]),
    Case("IOP120", "varning", [drop_resources_of("vinternatt")], "- id: vinternatt",
         [drop_resources_of("goteborg")]),
    Case("IOP121", "varning", [setter("behovsinventering", "genomförd_av", ["goteborg"])],
         "genomförd_av:", [setter("behovsinventering", "genomförd_av", ["vinternatt"])]),
    Case("IOP122", "varning", [add_need], "id: B3", [unchanged]),
    Case("IOP123", "varning", [deleter("mål", 1, "indikatorer")], "id: M2",
         [setter("mål", 1, "indikatorer", [{"beskrivning": "Antal samtal"}])]),
    Case("IOP124", "varning", [goal_m2_without_activity], "id: M2", [unchanged]),
    Case("IOP125", "varning", [setter("styrning", "partnerskapsgrupp", ["goteborg"])],
         "partnerskapsgrupp:", [setter("styrning", "partnerskapsgrupp", ["vinternatt"])]),
    Case("IOP126", "fel", [second_nonprofit], "- part: goteborg",
         [second_nonprofit, setter("resurser", 0, "mottagare", "vinternatt")]),
    Case("IOP127", "fel", [setter("resurser", 0, "mottagare", "goteborg")],
         "mottagare: goteborg", [setter("resurser", 0, "mottagare", "vinternatt")]),
    Case("IOP128", "varning",
         [setter("resurser", 0, "belopp_per_år", {2027: 2_400_000, 2028: 2_400_000})],
         "belopp_per_år:",
         [setter("resurser", 0, "belopp_per_år",
                 {2027: 2_400_000, 2028: 2_500_000, 2029: 0})]),
    Case("IOP129", "varning", [deleter("ekonomi", "finansiering")], "ekonomi:",
         [deleter("ekonomi", "finansiering"), setter("ekonomi", "budgetförbehåll", "ja")]),
    Case("IOP134", "fel", [setter("process", "beslut", 1, "anslaget", D(2026, 12, 11))],
         "anslaget:", [setter("process", "beslut", 1, "anslaget", D(2026, 12, 18))]),
    Case("IOP135", "varning", [setter("process", "beslut", 1, "datum", D(2027, 1, 5))],
         "datum: 2027-01-05",
         # The association's board may decide late; the public party's decision matters.
         [setter("process", "beslut", 0, "datum", D(2027, 1, 5))]),
    # Posted 18 December: the appeal period runs to 8 January 2027, after the start.
    Case("IOP136", "varning", [setter("process", "beslut", 1, "anslaget", D(2026, 12, 18))],
         "anslaget:",
         [setter("process", "beslut", 1, "datum", D(2026, 12, 1)),
          setter("process", "beslut", 1, "anslaget", D(2026, 12, 4))]),
    Case("IOP137", "varning", [setter("avtalsperiod", "start", D(2027, 3, 1))],
         "31 mars året efter",
         [setter("avtalsperiod", "start", D(2027, 3, 1)),
          setter("ekonomi", "redovisning", "Ekonomisk redovisning senast den 31 mars "
                                           "närmast efter avtalsårets slut."),
          setter("uppföljning", "årsrapport", "Gemensam årsrapport senast den 30 april "
                                              "närmast efter avtalsårets slut.")]),
    Case("IOP130", "varning", [setter("avtalsperiod", "slut", "2031-01-01")], "  slut:",
         [setter("avtalsperiod", "slut", "2030-12-31")]),  # exactly four years
    Case("IOP131", "varning",
         [setter("avtalsperiod", "förlängning", "Avtalet förlängs tills vidare med ett år i "
                                                "taget.")],
         "förlängning:",
         [setter("avtalsperiod", "förlängning", "Avtalet kan förlängas med högst ett år.")]),
    Case("IOP132", "varning", [long_period, deleter("avtalsperiod", "förlängning")],
         "avtalsperiod:", [long_period]),
    Case("IOP133", "info", [long_period, deleter("uppföljning", "utvärdering")],
         "uppföljning:", [deleter("uppföljning", "utvärdering")]),
    # A period ending one day into a new avtalsår; 32 days is past the default limit.
    Case("IOP192", "varning", [setter("avtalsperiod", "slut", "2030-01-01")], "2030-01-01",
         [setter("avtalsperiod", "slut", "2030-02-01")]),
    Case("IOP193", "varning",
         [setter("uppföljning", "årsrapport", "Årsrapport senast den 1 mars året efter.")],
         "årsrapport:",
         [setter("uppföljning", "årsrapport", "Årsrapport senast den 30 april året efter.")]),
    Case("IOP140", "varning", [setter("parter", 1, "organisationsnummer", "556036-0793")],
         "556036-0793",
         # A registered religious community may have a number in group 2 or 8.
         [setter("parter", 1, "typ", "registrerat trossamfund"),
          setter("parter", 1, "organisationsnummer", "212000-1355")]),
    Case("IOP141", "info", [setter("parter", 1, "registrerad_idéburen", "nej")],
         "registrerad_idéburen:", [deleter("parter", 1, "registrerad_idéburen")]),
    Case("IOP145", "varning", [setter("partnerskap", "verksamhetsområden", ["HVB"])],
         "- id: vinternatt",
         [setter("partnerskap", "verksamhetsområden", ["HVB"]),
          setter("parter", 1, "ivo_tillstånd", "IVO 3.5.1-12345/2026, 2026-10-01")]),
    Case("IOP146", "varning",
         [setter("partnerskap", "verksamhetsområden", ["skyddat boende"]),
          ivo_permit(D(2023, 11, 1), ["skyddat boende"])], "datum: 2023-11-01",
         [setter("partnerskap", "verksamhetsområden", ["skyddat boende"]),
          ivo_permit(D(2024, 5, 2), ["skyddat boende"])]),
    Case("IOP147", "varning",
         [setter("partnerskap", "verksamhetsområden", ["särskilt boende"]),
          ivo_permit(D(2025, 1, 10), ["HVB"])], "avser:",
         [setter("partnerskap", "verksamhetsområden", ["särskilt boende"]),
          ivo_permit(D(2025, 1, 10), ["särskilt boende"])]),
    Case("IOP150", "varning", [setter("personuppgifter", "ansvar", "biträde")],
         "ansvar: biträde",
         [setter("personuppgifter", "ansvar", "biträde"),
          setter("bilagor", ["Verksamhetsplan 2027", "Personuppgiftsbiträdesavtal"])]),
    Case("IOP151", "varning",
         [deleter("personuppgifter"), no_personal_data_words,
          setter("insatser", 1, "beskrivning", "Rådgivning som dokumenteras i en journal.")],
         "journal", [deleter("personuppgifter"), no_personal_data_words]),
    Case("IOP152", "varning", [setter("personuppgifter", {"behandlas": "ja"})], "behandlas:",
         [setter("personuppgifter", {"behandlas": "nej"})]),
    Case("IOP153", "varning", [setter("partnerskap", "barn", "ja"), deleter("personuppgifter")],
         "barn:", [setter("partnerskap", "barn", "ja")]),
    Case("IOP180", "varning", [screening("behöver_utföras", "ja")], "behöver_utföras: ja",
         [screening("behöver_utföras", "ja"),
          setter("rättslig_bedömning", "upphandling",
                 "Verksamheten har inget direkt ekonomiskt intresse för kommunen, som inte "
                 "skulle ordna den på annat sätt; bidraget stöder föreningens egen "
                 "verksamhet.")]),
    Case("IOP181", "varning", [screening("marknad", "vet inte")], "marknad: vet inte",
         [screening("marknad", "nej")]),
    Case("IOP182", "varning", [screening("tidigare_upphandlad", "ja")], "prövning:",
         # An assessment that deals with the earlier purchase lifts both signs.
         [screening("tidigare_upphandlad", "ja"),
          setter("rättslig_bedömning", "upphandling",
                 "Platser i dagverksamheten upphandlades tidigare; det avtalet har upphört "
                 "och bidraget stöder nu föreningens egen verksamhet utan köp av platser.")]),
    Case("IOP183", "varning",
         [screening("lagstadgad_insats", "ja"), screening("individuella_beslut", "ja")],
         "lagstadgad_insats: ja",
         [screening("lagstadgad_insats", "ja"), screening("individuella_beslut", "ja"),
          council_decision]),
    # A statutory insats with a region as the only public party (the kommun's
    # socialnämnd grants it); near miss: the same with the kommun.
    Case("IOP184", "varning",
         [setter("parter", 0, "typ", "region"), setter("parter", 0, "organisationsnummer",
                                                       "232100-0016"),
          setter("partnerskap", "verksamhetsområden", ["HVB"])],
         "verksamhetsområden:",
         [setter("partnerskap", "verksamhetsområden", ["HVB"])]),
    # Kommunallagen 2 kap. 8 §: an ekonomisk förening gets money; near miss: an ideell
    # förening whose activity is not economic.
    Case("IOP185", "varning",
         [setter("parter", 1, "typ", "ekonomisk förening"),
          setter("parter", 1, "organisationsnummer", "769641-2076")],
         "- id: vinternatt",
         [setter("parter", 1, "typ", "ideell förening")]),
    Case("IOP186", "varning",
         [setter("ekonomi", "utbetalning", "Första utbetalningen sker den 10 december 2026.")],
         "utbetalning:",
         [setter("ekonomi", "utbetalning", "Första utbetalningen sker den 10 januari 2027.")]),
    Case("IOP190", "fel",
         [setter("iopkit_undantag", [{"regel": "IOP999", "motivering": "Gäller inte oss."}])],
         "regel: IOP999",
         [setter("iopkit_undantag", [{"regel": "IOP130", "motivering": "Bedömd."}]),
          setter("avtalsperiod", "slut", "2031-01-01")]),
    Case("IOP191", "info",
         [setter("iopkit_undantag", [{"regel": "IOP105", "motivering": "Gäller inte oss."}])],
         "regel: IOP105",
         [setter("iopkit_undantag", [{"regel": "IOP130", "motivering": "Bedömd."}]),
          setter("avtalsperiod", "slut", "2031-01-01")]),
    # A statutory insats inside the partnership on the ground "no economic activity";
    # near miss: the same insats excluded by the avgränsning (the split).
    Case("IOP187", "varning", [setter("partnerskap", "verksamhetsområden", ["hemtjänst"])],
         "statsstöd_grund:",
         [setter("partnerskap", "verksamhetsområden", ["hemtjänst"]),
          setter("partnerskap", "avgränsning",
                 "Hemtjänst ingår inte i partnerskapet; kommunen köper den separat.")]),
    # The day centre's premises on Andra Långgatan, for an organisation that runs a
    # skyddat boende beside the partnership; near miss: the same without the street.
    Case("IOP188", "varning",
         [setter("partnerskap", "verksamhetsområden", ["socialtjänst", "skyddat boende"]),
          setter("partnerskap", "avgränsning", "Det skyddade boendet ingår inte."),
          setter("parter", 1, "ivo_tillstånd", {"datum": D(2024, 6, 10),
                                                 "avser": ["skyddat boende"]})],
         "lokal på Andra Långgatan",
         [setter("partnerskap", "verksamhetsområden", ["socialtjänst", "skyddat boende"]),
          setter("partnerskap", "avgränsning", "Det skyddade boendet ingår inte."),
          setter("parter", 1, "ivo_tillstånd", {"datum": D(2024, 6, 10),
                                                 "avser": ["skyddat boende"]}),
          setter("resurser", 2, "beskrivning", "Föreningens samtalsrum, 180 kvadratmeter"),
          setter("parter", 1, "adress", "Box 12, 413 01 Göteborg")]),
    # A decision by another body than the party's organ; near miss: the same body
    # written with a capital.
    Case("IOP194", "varning", [setter("process", "beslut", 1, "organ", "kommunstyrelsen")],
         "organ: kommunstyrelsen",
         [setter("process", "beslut", 1, "organ", "Socialnämnden Centrum")]),
    Case("IOP195", "varning",
         [setter("process", "jäv", "Ingen ledamot i kommunstyrelsen sitter i föreningens "
                 "styrelse.")],
         "jäv:",
         [setter("process", "jäv", "Ingen ledamot i socialnämnden Centrum sitter i "
                 "föreningens styrelse.")]),
    # A statutory insats inside the partnership: the nämnd decides on 15 December and
    # fullmäktige after it, too late for a start on 1 January; near miss: a later start.
    # R3 4: a later start alone is not enough, fullmäktige's decision must be planned.
    Case("IOP196", "varning", [setter("partnerskap", "verksamhetsområden", ["hemtjänst"])],
         "datum: 2026-12-15",
         [setter("partnerskap", "verksamhetsområden", ["hemtjänst"]),
          setter("avtalsperiod", "start", D(2027, 3, 1)), council_decision]),
    # A grant for the running of a statutory insats in the partnership (R3 finding 2);
    # near miss: "personal och drift" that does not name the insats.
    Case("IOP198", "varning", [setter("partnerskap", "verksamhetsområden", ["hemtjänst"]),
                               setter("resurser", 0, "beskrivning",
                                      "Bidrag till driften av hemtjänsten")],
         "beskrivning: Bidrag till driften av hemtjänsten",
         [setter("partnerskap", "verksamhetsområden", ["hemtjänst"])]),
    # The de minimis declaration after socialnämnden's decision of 15 December; near
    # miss: the day before it.
    Case("IOP197", "varning", [setter("process", "försäkran", D(2026, 12, 16))],
         "försäkran:", [setter("process", "försäkran", D(2026, 12, 14))]),
    # The public party's insats brings the organisation's mentor into its planning for the
    # individual; near miss: only with the individual's consent (R3 6).
    Case("IOP199", "varning",
         [setter("insatser", 2, "beskrivning",
                 "Socialsekreterarna gör planen för tiden efter placeringen med mentorn.")],
         "Socialsekreterarna gör planen",
         [setter("insatser", 2, "beskrivning",
                 "Socialsekreterarna gör planen för tiden efter placeringen med mentorn, om "
                 "den enskilde har samtyckt till det.")]),
]

# Rules tested by hand below (they need text the YAML dumper cannot write).
# IOP200 needs the memo's date (check --datum): tests/test_memo_r4.py.
SPECIAL = {"IOP160", "IOP170", "IOP200"}  # IOP170: tests/test_hostile_text.py


def test_every_rule_has_a_case():
    registered = {r.code for r in all_rules()}
    assert registered == {c.code for c in CASES} | SPECIAL


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.code)
def test_rule_triggers(runner, write_spec, case):
    text = canonical_variant(*case.trigger)
    path = write_spec(text)
    result = run(runner, "check", path)
    expected = (case.code, case.severity, line_of(text, case.needle))
    assert expected in findings(result.stdout), result.stdout
    assert result.exit_code == (1 if case.severity == "fel" else 0), result.output

    strict = run(runner, "check", "--strict", path)
    assert strict.exit_code == (0 if case.severity == "info" else 1), strict.output


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.code)
def test_rule_near_miss_does_not_trigger(runner, write_spec, case):
    path = write_spec(canonical_variant(*case.near_miss))
    result = run(runner, "check", path)
    assert case.code not in codes(result.stdout), result.stdout
    assert "0 fel" in result.stdout


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.code)
def test_rule_findings_carry_their_source(runner, write_spec, case):
    path = write_spec(canonical_variant(*case.trigger))
    data = json.loads(run(runner, "check", "--format", "json", path).stdout)
    found = [f for f in data["findings"] if f["code"] == case.code]
    rule = next(r for r in all_rules() if r.code == case.code)
    assert found and all(f["source"] == rule.source and f["severity"] == case.severity
                         for f in found)
    assert all(f["line"] and f["column"] and f["file"] == str(path) for f in found)


# --- the canonical example and the examples ----------------------------------------------


def test_canonical_example_has_no_error_and_no_warning(runner):
    result = run(runner, "check", "--strict", CANONICAL)
    assert result.exit_code == 0, result.output
    assert "0 fel, 0 varningar" in result.stdout
    assert {severity for _, severity, _ in findings(result.stdout)} <= {"info"}


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_passes_strict_check(runner, example):
    result = run(runner, "check", "--strict", example)
    assert result.exit_code == 0, result.output


# --- procurement language: where in a block text ------------------------------------------


def test_procurement_word_in_block_text_points_at_its_line(runner, write_spec, canonical_text):
    text = canonical_text.replace(
        "    unik kännedom om målgruppen.\n",
        "    unik kännedom om målgruppen. Staden har tidigare\n"
        "    anlitat en leverantör för härbärgen.\n")
    path = write_spec(text)
    result = run(runner, "check", path)
    line = line_of(text, "anlitat en leverantör")
    assert ("IOP104", "varning", line) in findings(result.stdout), result.stdout
    assert f"{path}:{line}:16: varning IOP104 partnerskap.bakgrund:" in result.stdout
    assert '"leverantör"' in message_of(result.stdout, "IOP104")


def test_each_procurement_word_in_a_text_is_its_own_warning(runner, write_spec):
    text = canonical_variant(setter(
        "villkor", [{"rubrik": "Vite", "text": "Beställaren får kräva vite."}]))
    result = run(runner, "check", write_spec(text))
    hits = [f for f in findings(result.stdout) if f[0] == "IOP104"]
    # "Vite" in the heading; "Beställaren" and "vite" (once) in the text.
    assert [line for _, _, line in hits] == [line_of(text, "rubrik: Vite"),
                                             line_of(text, "text: Beställaren"),
                                             line_of(text, "text: Beställaren")]


def test_procurement_words_are_not_searched_in_exemptions(runner, write_spec):
    text = canonical_variant(
        setter("avtalsperiod", "slut", "2031-03-31"),
        setter("iopkit_undantag", [{"regel": "IOP130",
                                    "motivering": "Leverantör och upphandling prövade."}]))
    result = run(runner, "check", "--strict", write_spec(text))
    assert "IOP104" not in codes(result.stdout)
    assert result.exit_code == 0, result.output


def test_open_ended_extension_in_block_text_points_at_the_word(runner, write_spec,
                                                                canonical_text):
    text = canonical_text.replace(
        "  förlängning: Avtalet kan förlängas med högst två år.\n",
        "  förlängning: |\n    Parterna ses över avtalet varje år.\n"
        "    Därefter förlängs det automatiskt.\n")
    result = run(runner, "check", write_spec(text))
    line = line_of(text, "förlängs det automatiskt")
    assert ("IOP131", "varning", line) in findings(result.stdout), result.stdout


# --- state aid ------------------------------------------------------------------------------


no_assessment = (deleter("rättslig_bedömning", "statsstöd"), no_ground)


def test_state_aid_message_shows_amounts_in_swedish_form(runner, write_spec):
    path = write_spec(canonical_variant(*no_assessment))
    message = message_of(run(runner, "check", path).stdout, "IOP110")
    assert message.startswith(" resurser[0]: Föreningen Vinternatt får av de offentliga "
                              f"parterna pengar och resurser värda 7{NBSP}200{NBSP}000 kr")
    assert f"(2027: 2{NBSP}400{NBSP}000 kr, 2028: 2{NBSP}400{NBSP}000 kr, " \
           f"2029: 2{NBSP}400{NBSP}000 kr)" in message
    assert "utan budgetförbehåll räknas hela avtalsperiodens medel (2027–2029) när avtalet " \
           f"skrivs under, 7{NBSP}200{NBSP}000 kr, vilket motsvarar cirka 654{NBSP}545 euro" in message
    # The default rate is an estimate, with its date and source.
    assert ("kurs 11,00 kr/euro, uppskattad kurs: iopkits standardkurs, fastställd 2026-01-15 "
            "som ett ungefärligt genomsnitt av Riksbankens dagliga EUR/SEK-kurser 2025") \
        in message
    assert f"300{NBSP}000 euro" in message and "rättslig_bedömning.statsstöd" in message
    assert "annat stöd av mindre betydelse" in message and "med ränta" in message
    assert "försumbart" not in message and "de minimis" not in message


def test_eurokurs_option_overrides_the_spec_and_the_default(runner, write_spec):
    path = write_spec(canonical_variant(setter("rättslig_bedömning", "eurokurs", "12,5"),
                                        no_ground))
    from_spec = message_of(run(runner, "check", path).stdout, "IOP111")
    assert f"cirka 576{NBSP}000 euro (kurs 12,50 kr/euro, från rättslig_bedömning.eurokurs)" \
        in from_spec
    from_option = message_of(run(runner, "check", "--eurokurs", "12", path).stdout, "IOP111")
    assert f"cirka 600{NBSP}000 euro (kurs 12,00 kr/euro, angiven med --eurokurs)" in from_option


def test_a_weak_krona_can_bring_the_amount_under_the_ceiling(runner, write_spec):
    # 7 200 000 kr at 25 kr/euro is 288 000 euro: under 300 000.
    path = write_spec(canonical_variant(*no_assessment))
    result = run(runner, "check", "--strict", "--eurokurs", "25", path)
    assert "IOP110" not in codes(result.stdout)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["abc", "0", "-3", "11.2.1"])
def test_bad_eurokurs_is_a_usage_error(runner, value):
    result = run(runner, "check", "--eurokurs", value, CANONICAL)
    assert result.exit_code == 2
    assert result.stderr.startswith("Fel: ") and "--eurokurs" in result.stderr


def test_above_the_sgei_ceiling_points_to_the_sgei_decision(runner, write_spec):
    text = canonical_variant(setter("resurser", 0, "belopp_per_år", 3_000_000),
                             *no_assessment)
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    assert f"9{NBSP}000{NBSP}000 kr, vilket motsvarar cirka 818{NBSP}182 euro" in message
    assert "2012/21/EU" in message and f"750{NBSP}000 euro" in message


def test_whole_committed_period_counts_at_signing(runner, write_spec):
    # 2027-01-01 to 2031-06-30: four and a half years, all granted when signed;
    # 2031 has 181 of 365 days: 2 400 000 × 181/365 = 1 190 137 kr.
    text = canonical_variant(setter("avtalsperiod", "slut", "2031-06-30"), *no_assessment)
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    assert f"2031: 1{NBSP}190{NBSP}137 kr" in message
    assert "räknas hela avtalsperiodens medel (2027–2031) när avtalet skrivs under, " \
           f"10{NBSP}790{NBSP}137 kr, vilket motsvarar cirka 980{NBSP}922 euro" in message


def test_budget_reservation_counts_the_largest_three_consecutive_years(runner, write_spec):
    text = canonical_variant(
        setter("avtalsperiod", "slut", "2031-12-31"), *no_assessment,
        setter("ekonomi", "budgetförbehåll", "ja"),
        setter("resurser", 0, "belopp_per_år",
               {2027: 1_000_000, 2028: 1_000_000, 2029: 1_500_000, 2030: 1_500_000,
                2031: 500_000}))
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    assert "Med budgetförbehåll beviljas varje år när dess budget beslutas" in message
    assert f"2028–2030, 4{NBSP}000{NBSP}000 kr, vilket motsvarar cirka 363{NBSP}636 euro" in message


def test_budget_reservation_can_bring_aid_under_the_ceiling(runner, write_spec):
    # 5 years of 1 000 000 kr: 5 000 000 kr at signing (over 300 000 euro), but any
    # three years are 3 000 000 kr, vilket motsvarar cirka 272 727 euro (under).
    base = (setter("avtalsperiod", "slut", "2031-12-31"), *no_assessment,
            setter("resurser", 0, "belopp_per_år", 1_000_000))
    at_signing = run(runner, "check", write_spec(canonical_variant(*base)))
    assert "IOP110" in codes(at_signing.stdout)
    reserved = run(runner, "check", write_spec(canonical_variant(
        *base, setter("ekonomi", "budgetförbehåll", "ja")), name="b.yaml"))
    assert "IOP110" not in codes(reserved.stdout)


def test_aid_is_counted_per_recipient_with_in_kind_resources(runner, write_spec):
    # Two idéburna parties with 2 100 000 kr each (190 909 euro, under the ceiling), but
    # free premises worth 500 000 kr a year put Solrosen over it (3 600 000 kr).
    text = canonical_variant(
        second_nonprofit, *no_assessment,
        setter("resurser", 0, "belopp_per_år", 700_000),
        setter("resurser", 0, "mottagare", "vinternatt"),
        lambda d: d["resurser"].append({
            "part": "goteborg", "typ": "ekonomiska medel", "beskrivning": "Bidrag Solrosen",
            "belopp_per_år": 700_000, "mottagare": "solros"}),
        lambda d: d["resurser"].append({
            "part": "goteborg", "typ": "lokaler", "beskrivning": "Lokal för Solrosen",
            "värde_per_år": 500_000, "mottagare": "solros"}),
        # The city's own social worker in its own activity is not aid.
        setter("resurser", 1, "värde_per_år", 5_000_000))
    result = run(runner, "check", write_spec(text))
    hits = [line for line in result.stdout.splitlines() if " IOP110 " in line]
    assert len(hits) == 1, result.stdout
    assert "Föreningen Solrosen får av de offentliga parterna pengar och resurser värda " \
           f"3{NBSP}600{NBSP}000 kr" in hits[0]
    assert "Vinternatt" not in hits[0]


def test_unvalued_in_kind_aid_is_named_and_not_counted_as_zero(runner, write_spec):
    text = canonical_variant(*no_assessment, unvalued_premises_first)
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    assert 'Resurser utan värde ingår inte: "Lokal i stadsdelshuset"' in message


def test_state_aid_without_assessment_section_points_at_the_money(runner, write_spec):
    text = canonical_variant(deleter("rättslig_bedömning"))
    result = run(runner, "check", write_spec(text))
    assert ("IOP110", "varning", line_of(text, "- part: goteborg")) \
        in findings(result.stdout)


# --- personal data ------------------------------------------------------------------------


def test_party_names_and_addresses_do_not_suggest_personal_data(runner, write_spec):
    text = canonical_variant(deleter("personuppgifter"), no_personal_data_words,
                             setter("parter", 1, "adress", "Journalistgatan 3, Göteborg"))
    result = run(runner, "check", "--strict", write_spec(text))
    assert "IOP151" not in codes(result.stdout)
    assert result.exit_code == 0, result.output


def test_personal_data_words_give_one_warning_at_the_first(runner, write_spec):
    text = canonical_variant(
        deleter("personuppgifter"), no_personal_data_words,
        setter("insatser", 0, "beskrivning", "Dagcenter med deltagarlista."),
        setter("insatser", 1, "beskrivning", "Individuell rådgivning."))
    result = run(runner, "check", write_spec(text))
    hits = [f for f in findings(result.stdout) if f[0] == "IOP151"]
    assert hits == [("IOP151", "varning", line_of(text, "deltagarlista"))]
    assert '"deltagarlista"' in message_of(result.stdout, "IOP151")


# --- placeholders --------------------------------------------------------------------------


def test_placeholders_are_reported_once_per_line(runner, write_spec, canonical_text):
    text = canonical_text.replace(
        "  namn: Dagverksamhet för EU-medborgare i utsatthet\n",
        '  namn: "FYLL I: partnerskapets namn"\n').replace(
        "    organisationsnummer: 212000-1355\n",
        "    organisationsnummer: 212000-1355  # FYLL I: kommunens organisationsnummer\n")
    path = write_spec(text)
    result = run(runner, "check", path)
    hits = [f for f in findings(result.stdout) if f[0] == "IOP160"]
    name_line, orgnr_line = line_of(text, '"FYLL I'), line_of(text, "# FYLL I")
    assert hits == [("IOP160", "varning", name_line), ("IOP160", "varning", orgnr_line)]
    assert f"{path}:{name_line}:10: varning IOP160 partnerskap.namn:" in result.stdout
    assert f"{path}:{orgnr_line}:41: varning IOP160 parter[0].organisationsnummer:" \
        in result.stdout
    assert "ta bort markeringen FYLL I" in message_of(result.stdout, "IOP160")
    assert result.exit_code == 0
    assert run(runner, "check", "--strict", path).exit_code == 1


def test_placeholder_inside_a_block_text_names_the_text(runner, write_spec, canonical_text):
    text = canonical_text.replace("    unik kännedom om målgruppen.\n",
                                  "    unik kännedom om målgruppen. FYLL I: mer bakgrund\n")
    result = run(runner, "check", write_spec(text))
    line = line_of(text, "FYLL I")
    assert f":{line}:34: varning IOP160 partnerskap.bakgrund:" in result.stdout, result.stdout


def test_lower_case_fyll_i_is_ordinary_text(runner, write_spec, canonical_text):
    text = canonical_text.replace("  kortnamn: Dagcenter Väst\n",
                                  "  kortnamn: Dagcenter Väst  # fyll i senare\n")
    result = run(runner, "check", "--strict", write_spec(text))
    assert "IOP160" not in codes(result.stdout)
    assert result.exit_code == 0


# --- exemptions ----------------------------------------------------------------------------


def exempted_variant() -> str:
    return canonical_variant(
        setter("insatser", 0, "beskrivning", "Föreningen är leverantör av frukost."),
        setter("iopkit_undantag", [{"regel": "IOP104",
                                    "motivering": "Ordet avser föreningens egna inköp."}]))


def test_silenced_finding_is_hidden_counted_and_passes_strict(runner, write_spec):
    path = write_spec(exempted_variant())
    result = run(runner, "check", "--strict", path)
    assert result.exit_code == 0, result.output
    assert "IOP104" not in codes(result.stdout)
    assert "0 fel, 0 varningar, 0 upplysningar (1 undantagen regel)." in result.stdout


def test_silenced_finding_is_listed_as_such_in_json(runner, write_spec):
    path = write_spec(exempted_variant())
    data = json.loads(run(runner, "check", "--format", "json", path).stdout)
    silenced = [f for f in data["findings"] if f["code"] == "IOP104"]
    assert len(silenced) == 1
    assert silenced[0]["silenced"] is True
    assert silenced[0]["silence_reason"] == "Ordet avser föreningens egna inköp."
    assert data["summary"]["silenced"] == 1 and data["summary"]["warnings"] == 0


def test_exemption_code_is_read_case_insensitively(runner, write_spec):
    text = canonical_variant(
        setter("partnerskap", "verksamhetsområden", ["hemtjänst"]),
        setter("parter", 1, "ivo_tillstånd", "IVO 3.5.1-12345/2026"),
        # Hemtjänst inside the partnership is also economic activity (IOP187) and goes to
        # fullmäktige before the start (IOP196).
        setter("iopkit_undantag", [{"regel": "iop108", "motivering": "Prövat av juristen."},
                                   {"regel": "iop187", "motivering": "Prövat av juristen."},
                                   {"regel": "iop196", "motivering": "Prövat av juristen."}]))
    result = run(runner, "check", "--strict", write_spec(text))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("code,mutation", [
    ("IOP101", setter("ekonomi", "ersättningsform", "per prestation")),
    ("IOP102", setter("ekonomi", "viten", "ja"))])
def test_errors_cannot_be_exempted_and_render_refuses(runner, write_spec, tmp_path, code,
                                                      mutation):
    text = canonical_variant(
        mutation, setter("iopkit_undantag", [{"regel": code, "motivering": "Vi vill ändå."}]))
    path = write_spec(text)
    result = run(runner, "check", path)
    assert result.exit_code == 1
    assert (code, "fel", line_of(text, "ersättningsform:" if code == "IOP101" else "viten:")) \
        in findings(result.stdout)
    assert "IOP190" in codes(result.stdout)
    assert "är ett fel, inte en varning" in message_of(result.stdout, "IOP190")
    message = message_of(result.stdout, code)
    for route in ("bidrag", "LOU 19 kap. 25 a §", "1 kap. 2 a §", "upphandlingsskadeavgift",
                  "ogiltigt", "HFD 2020 ref. 15"):
        assert route in message
    assert "registrering som idéburen organisation är inget villkor" in message
    out = tmp_path / "ut"
    out.mkdir()
    rendered = run(runner, "render", path, "-o", out)
    assert rendered.exit_code == 1
    assert not list(out.iterdir())


def test_exemption_without_reason_is_an_error(runner, write_spec):
    text = canonical_variant(setter("iopkit_undantag", [{"regel": "IOP111"}]))
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert "motivering" in result.stdout


def test_unknown_rule_in_exemption_lists_the_codes(runner, write_spec):
    text = canonical_variant(
        setter("iopkit_undantag", [{"regel": "IOP999", "motivering": "Gäller inte oss."}]))
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP190")
    assert '"IOP999" är inte koden för någon regel' in message
    assert "IOP103, IOP104" in message and "IOP160" in message and "iopkit regler" in message
    assert "IOP101" not in message  # errors cannot be exempted


def test_format_codes_cannot_be_exempted(runner, write_spec):
    text = canonical_variant(
        setter("iopkit_undantag", [{"regel": "IOP011", "motivering": "Egen nyckel."}]))
    result = run(runner, "check", write_spec(text))
    assert "IOP011 är en kontroll av själva formatet" in message_of(result.stdout, "IOP190")
    assert result.exit_code == 1


def test_repeated_exemption_is_reported(runner, write_spec):
    text = canonical_variant(no_ground, setter("iopkit_undantag", [
        {"regel": "IOP111", "motivering": "Bedömd."},
        {"regel": "IOP111", "motivering": "Igen."}]))
    result = run(runner, "check", write_spec(text))
    assert "undantas redan i `iopkit_undantag[0]`" in message_of(result.stdout, "IOP191")
    assert ("IOP191", "info", line_of(text, "motivering: Igen") - 1) in findings(result.stdout)


# --- iopkit regler -----------------------------------------------------------------------------


def test_regler_lists_every_rule_with_severity_and_source(runner):
    result = run(runner, "regler")
    assert result.exit_code == 0, result.output
    for r in all_rules():
        assert r.code in result.stdout and r.title in result.stdout
    assert "Källa: HFD 2020 ref. 15 (mål 3165-19" in result.stdout
    assert "IOP025" in result.stdout  # the format codes follow


def test_regler_json(runner):
    result = run(runner, "regler", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [r["code"] for r in data["rules"]] == [r.code for r in all_rules()]
    first = data["rules"][0]
    assert set(first) == {"code", "severity", "title", "trigger", "source"}
    assert {r["severity"] for r in data["rules"]} == {"fel", "varning", "info"}
    assert data["format_codes"][0] == {"code": "IOP001", "severity": "fel",
                                       "title": "YAML-syntaxfel"}


def test_readme_rule_table_is_generated_from_regler(runner):
    generated = run(runner, "regler", "--format", "markdown").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(README_START) == 1 and readme.count(README_END) == 1
    between = readme.split(README_START, 1)[1].split(README_END, 1)[0]
    assert between.strip("\n") == generated.strip("\n"), (
        "The rule table in README.md is out of date: replace the lines between "
        f"{README_START} and {README_END} with the output of "
        "`iopkit regler --format markdown`.")
    assert readme.index("## Regler") < readme.index(README_START) < readme.index("## Slutstatus")


# --- issue 20: ceilings, SGEI, amounts, statutory insatser ---------------------------------


def test_de_minimis_above_the_ceiling_advises_budget_reservation_only_where_it_helps(
        runner, write_spec):
    # Three years of 2 400 000 kr: any three-year window is the whole period, so a budget
    # reservation would not bring the aid under the ceiling.
    whole = message_of(run(runner, "check", write_spec(canonical_variant(de_minimis))).stdout,
                       "IOP112")
    assert "art. 3.7" in whole and "kan inte beslutas på den grunden" in whole
    assert "`ekonomi.budgetförbehåll: ja`" not in whole
    # Five years of 1 000 000 kr: 5 000 000 kr at signing is over the ceiling, but no three
    # years in a row are (3 000 000 kr, about 272 727 euro).
    five = canonical_variant(de_minimis, setter("avtalsperiod", "slut", D(2031, 12, 31)),
                             setter("resurser", 0, "belopp_per_år", 1_000_000))
    result = run(runner, "check", write_spec(five, name="fem.yaml"))
    assert result.exit_code == 1
    advice = message_of(result.stdout, "IOP112")
    assert "`ekonomi.budgetförbehåll: ja`" in advice
    assert f"mest är 2027–2029, 3{NBSP}000{NBSP}000 kr" in advice


def test_sgei_ceiling_needs_the_written_entrustment(runner, write_spec):
    # 7 200 000 kr (about 654 545 euro): above 300 000, under the SGEI ceiling.
    message = message_of(run(runner, "check", write_spec(canonical_variant(
        *no_assessment))).stdout, "IOP110")
    assert "skriftligen har fått i uppdrag att utföra" in message and "2023/2832" in message
    sgei = run(runner, "check", write_spec(canonical_variant(sgei_de_minimis), name="s.yaml"))
    assert "IOP112" not in codes(sgei.stdout)  # under 750 000 euro
    assert "skriftligen har fått i uppdrag" in message_of(sgei.stdout, "IOP117")


@pytest.mark.parametrize("text", ["2 400 000 kr", "2 400 000", "2\u00a0400\u00a0000 kronor"])
def test_amounts_as_people_write_them(runner, write_spec, text):
    path = write_spec(canonical_variant(setter("resurser", 0, "belopp_per_år", text)))
    result = run(runner, "check", "--strict", "--format", "json", path)
    assert result.exit_code == 0, result.output
    from iopkit.check import check_file

    assert check_file(path).spec.resources[0].amount_per_year == 2_400_000


@pytest.mark.parametrize("text", ["2.400.000", "2 400 000,50 kr", "2,4 miljoner kr",
                                  "2400 000"])
def test_ambiguous_amounts_are_errors_that_show_the_accepted_forms(runner, write_spec, text):
    data_text = canonical_variant(setter("resurser", 0, "belopp_per_år", text))
    result = run(runner, "check", write_spec(data_text))
    assert result.exit_code == 1
    line = line_of(data_text, "belopp_per_år:")
    message = next(m for m in result.stdout.splitlines() if " IOP016 " in m)
    assert message.startswith(f"{write_spec(data_text)}:{line}:")
    assert "resurser[0].belopp_per_år" in message
    assert "går inte att läsa som ett belopp i hela kronor" in message
    assert '2400000, "2 400 000" eller "2 400 000 kr"' in message


def test_sarskilt_boende_is_an_ivo_area_and_a_statutory_insats(runner, write_spec):
    from iopkit.check import check_file
    from iopkit.rules.assessment import assess

    path = write_spec(canonical_variant(
        setter("partnerskap", "verksamhetsområden", ["särskilt boende"])))
    facts = assess(check_file(path).spec)
    assert facts.ivo_areas == ("särskilt boende",)
    assert facts.statutory_areas == ("särskilt boende",)
    found = codes(run(runner, "check", path).stdout)
    assert {"IOP108", "IOP145"} <= found


def test_statutory_insats_is_lifted_by_the_split_not_by_a_keyword(runner, write_spec):
    # TS/CL 7 of the second reading: a text with the word "lagstadgad" and no split does
    # not lift the sign; an avgränsning that takes the boende out of the partnership does.
    keyword = canonical_variant(
        setter("partnerskap", "verksamhetsområden", ["särskilt boende"]),
        ivo_permit(D(2025, 1, 10), ["särskilt boende"]),
        setter("rättslig_bedömning", "upphandling",
               "Föreningen driver sitt eget boende. Kommunens lagstadgade skyldighet att ge "
               "särskilt boende fullgörs inte genom avtalet: kommunen placerar ingen där."))
    out = run(runner, "check", write_spec(keyword)).stdout
    assert "IOP108" in codes(out)
    assert "texten ska nämna det" not in out and '"lagstadgad"' not in out
    split = canonical_variant(
        setter("partnerskap", "verksamhetsområden", ["socialtjänst", "särskilt boende"]),
        ivo_permit(D(2025, 1, 10), ["särskilt boende"]),
        setter("partnerskap", "avgränsning",
               "Föreningens särskilda boende ingår inte i partnerskapet; kommunen köper "
               "platserna där genom ett separat avtal."))
    result = run(runner, "check", "--strict", write_spec(split))
    assert not {"IOP104", "IOP108", "IOP147", "IOP180", "IOP187"} & codes(result.stdout)


def test_strong_combination_says_what_to_do_instead(runner, write_spec):
    text = canonical_variant(screening("lagstadgad_insats", "ja"),
                             screening("individuella_beslut", "ja"))
    out = run(runner, "check", write_spec(text)).stdout
    message = message_of(out, "IOP182")
    assert "Dela upp avtalet" in message and "LOU 19 kap. 25 a §" in message
    assert "10 kap. 1 §" in message and "HFD 2020 ref. 15" in message
    assert {"IOP180", "IOP183"} <= codes(out)


def test_euro_rate_facts_for_the_documents(write_spec):
    from iopkit.check import check_file
    from iopkit.rules.assessment import assess

    default = assess(check_file(CANONICAL).spec)
    assert default.eur_rate_is_default and str(default.eur_rate) == "11.00"
    assert "uppskattad" in default.eur_rate_source_text
    assert "2026-01-15" in default.eur_rate_source_text
    assert "uppskattad" in default.eur_rate_document_text
    assert "`" not in default.eur_rate_document_text
    assert "eurokurs" not in default.eur_rate_document_text
    given = assess(check_file(write_spec(canonical_variant(
        setter("rättslig_bedömning", "eurokurs", "11,37")))).spec)
    assert not given.eur_rate_is_default and str(given.eur_rate) == "11.37"
    assert "uppskattad" not in given.eur_rate_source_text


def test_check_says_which_findings_stop_the_decision(runner, write_spec):
    text = canonical_variant(deleter("rättslig_bedömning", "upphandling"),
                             setter("avtalsperiod", "slut", D(2031, 1, 1)))
    path = write_spec(text)
    lines = run(runner, "check", path).stdout.splitlines()
    blocking = next(line for line in lines if " IOP103 " in line)
    quality = next(line for line in lines if " IOP130 " in line)
    assert blocking.endswith("(hindrar beslut)")
    assert "hindrar beslut" not in quality
    data = json.loads(run(runner, "check", "--format", "json", path).stdout)
    flags = {f["code"]: f["blocks_decision"] for f in data["findings"]}
    assert flags["IOP103"] is True and flags["IOP130"] is False


def test_a_later_decision_on_an_amendment_is_not_a_late_decision(runner, write_spec):
    text = canonical_variant(lambda d: d["process"]["beslut"].append(
        {"part": "goteborg", "organ": "socialnämnden Centrum", "datum": D(2027, 12, 14),
         "paragraf": "§ 251"}))
    assert "IOP135" not in codes(run(runner, "check", write_spec(text)).stdout)
