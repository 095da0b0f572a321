"""The IOP rules as a user meets them through `iopkit check` and `iopkit regler`.

Each rule has a case that triggers it (code, severity word, line number, exit code, with
and without --strict) and a near miss that does not. `test_every_rule_has_a_case` makes
adding a rule without a test fail.
"""

from __future__ import annotations

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
    data["resurser"][0]["belopp_per_år"] = 1_000_000  # 3 000 000 kr ≈ 272 727 euro


def long_period(data: dict) -> None:
    data["avtalsperiod"]["slut"] = "2030-06-30"  # three and a half years


@dataclass
class Case:
    code: str
    severity: str  # the word the user sees
    trigger: list[Mutation]
    needle: str  # the finding is on the first line of the variant containing this
    near_miss: list[Mutation]


CASES = [
    Case("IOP101", "varning", [setter("ekonomi", "ersättningsform", "per prestation")],
         "ersättningsform:", [unchanged]),
    Case("IOP102", "varning", [setter("ekonomi", "viten", "ja")], "viten:",
         [setter("ekonomi", "viten", "nej")]),
    Case("IOP103", "varning", [deleter("rättslig_bedömning", "upphandling")],
         "rättslig_bedömning:", [unchanged]),
    Case("IOP104", "varning",
         [setter("insatser", 0, "beskrivning", "Föreningen är leverantör av dagcenter.")],
         "leverantör",
         # The legal assessment may discuss procurement and suppliers freely.
         [setter("rättslig_bedömning", "upphandling",
                 "Föreningen är ingen leverantör och ingen upphandling behövs.")]),
    Case("IOP110", "varning", [deleter("rättslig_bedömning", "statsstöd")],
         "rättslig_bedömning:",
         [deleter("rättslig_bedömning", "statsstöd"), low_public_money]),
    Case("IOP111", "info", [unchanged], "statsstöd:", [low_public_money]),
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
    Case("IOP130", "varning", [setter("avtalsperiod", "slut", "2031-01-01")], "slut:",
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
    Case("IOP140", "varning", [setter("parter", 1, "organisationsnummer", "556036-0793")],
         "556036-0793",
         # A registered religious community may have a number in group 2 or 8.
         [setter("parter", 1, "typ", "registrerat trossamfund"),
          setter("parter", 1, "organisationsnummer", "212000-1355")]),
    Case("IOP141", "info", [setter("parter", 1, "registrerad_idéburen", "nej")],
         "registrerad_idéburen:", [deleter("parter", 1, "registrerad_idéburen")]),
    Case("IOP150", "varning", [setter("personuppgifter", "ansvar", "biträde")],
         "ansvar: biträde",
         [setter("personuppgifter", "ansvar", "biträde"),
          setter("bilagor", ["Verksamhetsplan 2027", "Personuppgiftsbiträdesavtal"])]),
    Case("IOP151", "varning",
         [deleter("personuppgifter"),
          setter("insatser", 1, "beskrivning", "Rådgivning som dokumenteras i en journal.")],
         "journal", [deleter("personuppgifter")]),
    Case("IOP152", "varning", [setter("personuppgifter", {"behandlas": "ja"})], "behandlas:",
         [setter("personuppgifter", {"behandlas": "nej"})]),
    Case("IOP190", "fel",
         [setter("iopkit_undantag", [{"regel": "IOP999", "motivering": "Gäller inte oss."}])],
         "regel: IOP999",
         [setter("iopkit_undantag", [{"regel": "IOP111", "motivering": "Bedömd."}])]),
    Case("IOP191", "info",
         [setter("iopkit_undantag", [{"regel": "IOP101", "motivering": "Gäller inte oss."}])],
         "regel: IOP101",
         [setter("iopkit_undantag", [{"regel": "IOP111", "motivering": "Bedömd."}])]),
]

# Rules tested by hand below (they need text the YAML dumper cannot write).
SPECIAL = {"IOP160", "IOP170"}  # IOP170: tests/test_hostile_text.py


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
        "    betalat per vårddygn på härbärgen.\n")
    path = write_spec(text)
    result = run(runner, "check", path)
    line = line_of(text, "betalat per vårddygn")
    assert ("IOP104", "varning", line) in findings(result.stdout), result.stdout
    assert f"{path}:{line}:13: varning IOP104 partnerskap.bakgrund:" in result.stdout
    assert '"per vårddygn"' in message_of(result.stdout, "IOP104")


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
        setter("ekonomi", "ersättningsform", "per prestation"),
        setter("iopkit_undantag", [{"regel": "IOP101",
                                    "motivering": "Leverantör och upphandling prövade."}]))
    result = run(runner, "check", "--strict", write_spec(text))
    assert "IOP104" not in codes(result.stdout)
    assert result.exit_code == 0, result.output


def test_open_ended_extension_in_block_text_points_at_the_word(runner, write_spec,
                                                                canonical_text):
    text = canonical_text.replace(
        "  förlängning: Avtalet kan förlängas med högst två år genom skriftlig överenskommelse.\n",
        "  förlängning: |\n    Parterna ses över avtalet varje år.\n"
        "    Därefter förlängs det automatiskt.\n")
    result = run(runner, "check", write_spec(text))
    line = line_of(text, "förlängs det automatiskt")
    assert ("IOP131", "varning", line) in findings(result.stdout), result.stdout


# --- state aid ------------------------------------------------------------------------------


def test_state_aid_message_shows_amounts_in_swedish_form(runner, write_spec):
    path = write_spec(canonical_variant(deleter("rättslig_bedömning", "statsstöd")))
    message = message_of(run(runner, "check", path).stdout, "IOP110")
    assert f"7{NBSP}200{NBSP}000 kr ≈ 654{NBSP}545 euro" in message
    assert "kurs 11,00 kr/euro, iopkits standardkurs" in message
    assert f"300{NBSP}000 euro" in message and "rättslig_bedömning.statsstöd" in message


def test_eurokurs_option_overrides_the_spec_and_the_default(runner, write_spec):
    path = write_spec(canonical_variant(setter("rättslig_bedömning", "eurokurs", "12,5")))
    from_spec = message_of(run(runner, "check", path).stdout, "IOP111")
    assert f"≈ 576{NBSP}000 euro (kurs 12,50 kr/euro, från rättslig_bedömning.eurokurs)" \
        in from_spec
    from_option = message_of(run(runner, "check", "--eurokurs", "12", path).stdout, "IOP111")
    assert f"≈ 600{NBSP}000 euro (kurs 12,00 kr/euro, angiven med --eurokurs)" in from_option


def test_a_weak_krona_can_bring_the_amount_under_the_ceiling(runner, write_spec):
    # 7 200 000 kr at 25 kr/euro is 288 000 euro: under 300 000.
    path = write_spec(canonical_variant(deleter("rättslig_bedömning", "statsstöd")))
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
                             deleter("rättslig_bedömning", "statsstöd"))
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    assert f"9{NBSP}000{NBSP}000 kr ≈ 818{NBSP}182 euro" in message
    assert "2012/21/EU" in message and f"750{NBSP}000 euro" in message


def test_state_aid_counts_at_most_three_years_and_prorates_by_days(runner, write_spec):
    # 2027-01-01 to 2031-06-30: four and a half years; the ceilings count three.
    text = canonical_variant(setter("avtalsperiod", "slut", "2031-06-30"),
                             deleter("rättslig_bedömning", "statsstöd"))
    message = message_of(run(runner, "check", write_spec(text)).stdout, "IOP110")
    # 4 years and 181 of 365 days: 2 400 000 × (4 + 181/365) = 10 790 137 kr.
    assert f"är 10{NBSP}790{NBSP}137 kr, varav 7{NBSP}200{NBSP}000 kr under de första tre " \
           f"åren ≈ 654{NBSP}545 euro" in message


def test_state_aid_without_assessment_section_points_at_the_money(runner, write_spec):
    text = canonical_variant(deleter("rättslig_bedömning"))
    result = run(runner, "check", write_spec(text))
    assert ("IOP110", "varning", line_of(text, "belopp_per_år:")) \
        in findings(result.stdout)


# --- personal data ------------------------------------------------------------------------


def test_party_names_and_addresses_do_not_suggest_personal_data(runner, write_spec):
    text = canonical_variant(deleter("personuppgifter"),
                             setter("parter", 1, "adress", "Journalistgatan 3, Göteborg"))
    result = run(runner, "check", "--strict", write_spec(text))
    assert "IOP151" not in codes(result.stdout)
    assert result.exit_code == 0, result.output


def test_personal_data_words_give_one_warning_at_the_first(runner, write_spec):
    text = canonical_variant(
        deleter("personuppgifter"),
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
    assert "0 fel, 0 varningar, 1 upplysning (1 undantagen regel)." in result.stdout


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
        setter("ekonomi", "viten", "ja"),
        setter("iopkit_undantag", [{"regel": "iop102", "motivering": "Prövat av juristen."}]))
    result = run(runner, "check", "--strict", write_spec(text))
    assert result.exit_code == 0, result.output


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
    assert "IOP101, IOP102" in message and "IOP160" in message and "iopkit regler" in message


def test_format_codes_cannot_be_exempted(runner, write_spec):
    text = canonical_variant(
        setter("iopkit_undantag", [{"regel": "IOP011", "motivering": "Egen nyckel."}]))
    result = run(runner, "check", write_spec(text))
    assert "IOP011 är en kontroll av själva formatet" in message_of(result.stdout, "IOP190")
    assert result.exit_code == 1


def test_repeated_exemption_is_reported(runner, write_spec):
    text = canonical_variant(setter("iopkit_undantag", [
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
    assert "Källa: lag (2016:1145)" in result.stdout
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
