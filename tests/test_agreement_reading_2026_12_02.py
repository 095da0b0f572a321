"""The kommunjurist's reading of 2 December 2026 (docs/granskning/2026-12-02-avtal.md),
the findings on the agreement's wording: laws cited in full once, the annual report's
way to the parties' bodies, the partnership's two names, lower case after a colon
without breaking names, genitives of names, and the example specs' own texts. Read back
from the rendered agreement (Markdown through the renderer, Word through python-docx)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, run
from i21_specs import canonical
from render_helpers import docx_paragraphs, norm
from test_agreement_text import render, section

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def paraply(tmp_path_factory):
    return render(tmp_path_factory.mktemp("paraply"), EXAMPLES / "paraply.yaml")


@pytest.fixture(scope="module")
def kvinnojour(tmp_path_factory):
    return render(tmp_path_factory.mktemp("kvinnojour"), EXAMPLES / "kvinnojour.yaml")


# --- Finding 23 and 15: a law in full once, then short ---------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_law_is_cited_with_its_number_once(tmp_path: Path, path: Path) -> None:
    from iopkit.render.citations import TITLED

    doc = render(tmp_path, path)
    # "socialtjänstlagen (2025:400)" and "lagen (2022:900) om registrering av …" once
    # each; a short "5 § lagen (2013:852)" may follow the full citation.
    named = re.findall(r"\w{2,}(?:lagen|balken) \(\d{4}:\d{1,4}\)", doc)
    titled = [f"({number}) {title}" for number, title in TITLED.items()
              for _ in range(doc.count(f"({number}) {title}"))]
    repeated = sorted({c for c in named + titled if (named + titled).count(c) > 1})
    assert repeated == [], repeated


def test_later_mentions_use_the_short_form(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    assert "enligt lagen (2022:900) om registrering av idéburna organisationer" in \
        section(doc, "Parter")
    assert "inte längre uppfyller villkoren för registrering enligt lagen om registrering av " \
           "idéburna organisationer" in section(doc, "Avtalstid, förlängning och uppsägning")
    secrecy = section(doc, "Personuppgifter och sekretess")
    assert secrecy.count("socialtjänstlagen (2025:400)") == 1
    assert "avser insatser enligt socialtjänstlagen gäller tystnadsplikt" in secrecy


def test_the_quote_of_2017_151_names_socialtjänstlagen_without_a_number(tmp_path: Path
                                                                         ) -> None:
    # Whether 2 § cites 2001:453 or 2025:400 is not verified (IOP.md: check before citing).
    text = section(render(tmp_path, canonical()), "Meddelarskydd")
    assert "offentligt finansierad och som bedrivs enligt socialtjänstlagen." in text
    assert "socialtjänstlagen (" not in text


def test_citation_pass_keeps_sentence_case_and_unknown_titles() -> None:
    from iopkit.render.citations import cite_laws_once

    text = ("Lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter gäller. "
            "Lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter gäller igen. "
            "Enligt lag (2099:1) om något annat och lag (2099:1) om något annat. "
            "Enligt kommunallagen (2017:725) och kommunallagen (2017:725).")
    assert cite_laws_once(text) == (
        "Lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter gäller. "
        "Lagen om meddelarskydd i vissa enskilda verksamheter gäller igen. "
        "Enligt lag (2099:1) om något annat och lag (2099:1) om något annat. "
        "Enligt kommunallagen (2017:725) och kommunallagen.")


def test_checklist_keeps_its_full_citations(tmp_path: Path, runner) -> None:
    spec = EXAMPLES / "paraply.yaml"
    result = run(runner, "render", spec, "-o", tmp_path, "-f", "md", "-d", "checklista",
                 "--datum", "2026-12-02")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "paraply-checklista.md").read_text(encoding="utf-8")
    # Each point of the checklist is read on its own.
    assert text.count("lagen (2016:1145) om offentlig upphandling") >= 2


# --- Finding 19: the annual report goes from the group to the parties' bodies ----------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_public_party_does_not_hand_the_report_to_itself(tmp_path: Path,
                                                             path: Path) -> None:
    text = section(render(tmp_path, path), "Uppföljning och utvärdering")
    assert "den offentliga parten lämnar den till" not in text
    # The report builds on the accounts only when they are due first (R3 8).
    # A recipient the parties' own text names is not named again (R5 15): "också".
    assert re.search(r"som underlag och lämnar den (också )?till ", text) or \
        "har samma sista dag som årsrapporten" in text


# --- Finding 20: the partnership's two names ------------------------------------------


def test_the_short_name_is_introduced_with_the_full_name(tmp_path: Path) -> None:
    # Only when the agreement's text uses the short name (R3 14).
    data = canonical()
    data["villkor"] = [{"rubrik": "Namnet", "text": "Dagcenter Väst används i all kommunikation."}]
    text = section(render(tmp_path, data), "Parter")
    assert "Detta avtal om idéburet offentligt partnerskap, Dagverksamhet för " \
           "EU-medborgare i utsatthet (i avtalet kallat Dagcenter Väst), ingås mellan " \
           "följande parter." in text


def test_without_a_short_name_the_sentence_names_none(tmp_path: Path) -> None:
    data = canonical()
    data["partnerskap"].pop("kortnamn", None)
    text = section(render(tmp_path, data), "Parter")
    assert "Detta avtal om idéburet offentligt partnerskap ingås mellan följande parter." \
        in text
    assert "kallat" not in text


# --- Findings 16 and 22: lower case after a colon, names kept --------------------------


def test_resource_rows_start_in_lower_case_and_keep_names(paraply) -> None:
    resources = section(paraply, "Parternas resurser")
    assert "ekonomiska medel: bidrag till spontanidrotten" in resources
    assert "kompetens: cykelmekaniker som handleder de boende" in resources
    assert "lokaler: församlingshemmet i Sjövik" in resources
    assert "ekonomiska medel: Bidrag" not in resources
    money = section(paraply, "Ekonomi")
    assert "Strömsby IF: bidrag till spontanidrotten och fotbollsskolan" in money


def test_a_name_after_a_colon_keeps_its_capital(paraply) -> None:
    goals = section(paraply, "Syfte, målgrupp och mål")
    assert "källa: Strömsby kommuns trygghetsmätning" in goals
    assert "källa: strömsby" not in goals
    assert "källa: organisationernas närvarostatistik" in goals


def test_word_table_reads_the_same(tmp_path: Path, runner) -> None:
    result = run(runner, "render", EXAMPLES / "paraply.yaml", "-o", tmp_path,
                 "--datum", "2026-12-02", "-d", "avtal")
    assert result.exit_code == 0, result.output
    document, _ = docx_paragraphs(tmp_path / "paraply-avtal.docx")
    cells = [norm(cell.text) for table in document.tables for row in table.rows
             for cell in row.cells]
    assert "personal: samordnare för civilsamhällesfrågor, 50 procent av heltid" in cells


def test_proper_words_come_from_the_spec_not_from_sentence_starts() -> None:
    from iopkit.render.names import proper_words, starts_with_name

    names = proper_words({"a": "Bidrag till personal. Mötesplats i Norrliden.",
                          "b": ["Kartläggning: Volontärer i Sjövik"]}, ["Strömsby kommun"])
    assert starts_with_name("Norrlidens fritidslokal", names)
    assert starts_with_name("Strömsby kommuns trygghetsmätning", names)
    assert not starts_with_name("Bidrag till personal", names)
    assert not starts_with_name("Volontärer i dagcentret", names)
    assert not starts_with_name("Mötesplats", names)
    # A kind of organisation is an ordinary noun unless a name follows it.
    names = proper_words({"a": "med Föreningen Vinternatt"}, ["Föreningen Vinternatt"])
    assert not starts_with_name("Föreningens lokal på Andra Långgatan", names)
    assert starts_with_name("Föreningen Vinternatts lokal", names)
    assert starts_with_name("Vinternatts lokal", names)


# --- Finding 16: genitives of names ---------------------------------------------------


def test_genitive_of_an_abbreviation_and_of_a_name_with_a_place(paraply,
                                                                 kvinnojour) -> None:
    background = section(paraply, "Bakgrund")
    assert "Strömsby IF:s verksamhetsidé" in background
    assert "Equmeniaförsamlingens verksamhetsidé" in background
    assert "Strömsbys verksamhetsidé" not in background
    assert "Kvinnojouren Lindans verksamhetsidé" in section(kvinnojour, "Bakgrund")


@pytest.mark.parametrize(("name", "expected"), [
    ("Föreningen Vinternatt", "Föreningen Vinternatts"),
    ("Stiftelsen Gatans Hopp", "Stiftelsen Gatans Hopps"),
    ("Cykelköket Strömsby ekonomisk förening", "Cykelköket Strömsby ekonomisk förenings"),
    ("Strömsby IF", "Strömsby IF:s"),
    ("Kvinnojouren Lindan i Norrmark", "Kvinnojouren Lindans"),
    ("Röda Korset", "Röda Korsets"),
    ("Rädda Barnen", "Rädda Barnens"),
    ("Sensus studieförbund", "Sensus studieförbunds"),
])
def test_genitive(name: str, expected: str) -> None:
    from iopkit.render.names import genitive

    assert genitive(name) == expected


# --- Findings 11, 14, 16, 17 and 24: the example specs' own texts ----------------------


def test_paraply_premises_the_kommun_uses_itself_are_not_aid(paraply) -> None:
    resources = section(paraply, "Parternas resurser")
    assert "lokaler: idrottsplanen i Norrliden (till Strömsby IF)" in resources
    assert "Norrlidens fritidslokal och idrottsplanen" not in resources
    money = section(paraply, "Ekonomi")
    assert "Strömsby IF: 1 410 000 kr nominellt för hela avtalsperioden, varav bidrag 1 050 000 kr och " \
           "lokaler 360 000 kr" in money
    assert "fritidslokal" not in money


def test_paraply_goal_matches_the_evenings_the_activities_offer(paraply) -> None:
    goals = section(paraply, "Syfte, målgrupp och mål")
    # I1 is open five evenings in Sjövik, I2 three in Norrliden (3 × 52 = 156 a year).
    assert "minst fem kvällar i veckan i Sjövik och minst tre kvällar i veckan i Norrliden" \
        in goals
    assert "riktvärde: minst 200 i Sjövik och minst 120 i Norrliden" in goals
    assert "i varje område minst fem kvällar" not in goals


def test_paraply_consensus_in_plain_swedish(paraply) -> None:
    text = section(paraply, "Organisation och styrning")
    assert "ett förslag kräver att alla parter är överens" in text
    assert "köras över" not in text


def test_kvinnojour_extra_clause_keeps_the_statutory_exception(kvinnojour) -> None:
    assert "Tystnadsplikt och skyddade uppgifter" not in kvinnojour
    clause = section(kvinnojour, "Skyddade uppgifter")
    assert "bara med hennes samtycke, om inte annat följer av lag eller annan författning" \
        in clause
    # The tystnadsplikt itself stands once, in § Personuppgifter och sekretess.
    assert "har tystnadsplikt" not in clause
    assert "förbindelse om den tystnadsplikt som avtalet anger" in clause


def test_kvinnojour_target_group_includes_women_of_eighteen(kvinnojour) -> None:
    text = section(kvinnojour, "Syfte, målgrupp och mål")
    assert "Kvinnor som har fyllt 18 år" in text
    assert "över 18 år" not in text


# --- Finding 24: no tool voice in any agreement ----------------------------------------

#: What a signed agreement never shows: the tool, its codes, keys and placeholders.
TOOL_TEXT = re.compile(r"iopkit|IOP\d{3}|FYLL I|`|\b[a-zåäö_]+\.[a-zåäö_]+\b|"
                       r"[a-zåäö]+_[a-zåäö]+|ansvarig nämnd", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+")
REVIEWED = sorted((EXAMPLES.parent / "docs" / "granskning" / "2026-12-02-specs").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES + REVIEWED, ids=lambda p: p.stem)
def test_no_tool_voice_in_the_word_agreement(tmp_path: Path, runner, path: Path) -> None:
    result = run(runner, "render", path, "-o", tmp_path, "-d", "avtal", "--datum",
                 "2026-12-02")
    assert result.exit_code == 0, result.output
    document, paragraphs = docx_paragraphs(tmp_path / f"{path.stem}-avtal.docx")
    texts = [p.text for p in paragraphs] + [cell.text for table in document.tables
                                            for row in table.rows for cell in row.cells]
    found = [m.group(0) for text in texts for m in TOOL_TEXT.finditer(EMAIL.sub("", text))]
    assert found == [], found


def test_two_parties_never_share_a_shortened_genitive(tmp_path: Path) -> None:
    from i21_specs import two_organisations

    data = two_organisations()
    nonprofits = [p for p in data["parter"] if p["typ"] not in ("kommun", "region")]
    for party, place in zip(nonprofits, ("Strömsby", "Sjövik")):
        party["namn"] = f"Equmeniaförsamlingen i {place}"
        party["verksamhetsidé"] = "Att vara en öppen församling."
    background = section(render(tmp_path, data), "Bakgrund")
    assert "Equmeniaförsamlingen i Strömsbys verksamhetsidé" in background
    assert "Equmeniaförsamlingen i Sjöviks verksamhetsidé" in background
    assert "Equmeniaförsamlingens verksamhetsidé" not in background
