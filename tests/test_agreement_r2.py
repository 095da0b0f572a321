"""The agreement after the second reading R2 (issue 21; /work/wt/read/R2-findings.md): each
finding the program can fix, read back from the .docx that `iopkit render` writes for the
six cases the reader read, with --datum 2026-12-02 as the reader had."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import CANONICAL, EXAMPLES, ROOT, dump, run
from render_helpers import docx_text, norm

SKYDDAT = ROOT / "tests" / "data" / "skyddat"
CASES = {
    "dagverksamhet": CANONICAL,
    "paraply": EXAMPLES / "paraply.yaml",
    "kvinnojour": EXAMPLES / "kvinnojour.yaml",
    "platser": SKYDDAT / "platser.yaml",
    "delat": SKYDDAT / "delat.yaml",
    "region": SKYDDAT / "region.yaml",
}


def render_docx(folder: Path, spec: Path) -> str:
    result = run(CliRunner(), "render", spec, "-o", folder, "-d", "avtal",
                 "--datum", "2026-12-02")
    assert result.exit_code == 0, result.output
    return norm(docx_text(folder / f"{spec.stem}-avtal.docx"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("r2")
    return {name: render_docx(folder, spec) for name, spec in CASES.items()}


def render_data(tmp_path: Path, data: dict, name: str = "avtal.yaml") -> str:
    spec = tmp_path / name
    spec.write_text(dump(data), encoding="utf-8")
    return render_docx(tmp_path, spec)


def load(spec: Path) -> dict:
    return yaml.safe_load(spec.read_text(encoding="utf-8"))


def between(text: str, start: str, end: str) -> str:
    """The text from `start` up to `end` (a § heading and the next one)."""
    assert start in text, start
    rest = text[text.index(start):]
    return rest[:rest.index(end)] if end in rest else rest


# --- Finding 1: a handed-over statutory insats is not also "not bought" -----------------


def test_statutory_insats_inside_does_not_also_say_nothing_is_bought(docs) -> None:
    text = docs["platser"]
    assert "Avtalet gäller en insats som Sundviks kommun enligt lag ska ge enskilda." in text
    assert "inte tjänster som den offentliga parten köper" not in text
    assert "Bidraget är inte ersättning för tjänster" not in text
    assert "köper inga tjänster genom avtalet" not in text
    # Nor that the kommun cannot require an insats it hands over (KL 10 kap.).
    assert "kan inte kräva att" not in text
    # Where the statutory activity is outside the partnership the grant text stays.
    for name in ("kvinnojour", "delat", "dagverksamhet"):
        assert "Dessa insatser är inte tjänster som den offentliga parten köper" in docs[name]
        assert "Bidraget är inte ersättning för tjänster som den offentliga parten köper." \
            in docs[name]
        assert "den offentliga parten kan inte kräva att verksamheten genomförs" in docs[name]


# --- Finding 2: no double funding from the kommuner's placements ----------------------


def test_grant_for_a_statutory_insats_excludes_costs_paid_by_placements(docs) -> None:
    # Worded so that it can be followed when the grant funds the boende (R3 finding 2).
    clause = ("För verksamheten inom skyddat boende får medlen bara användas för kostnader "
              "som inte ersätts av en kommun för placeringar eller insatser i verksamheten. "
              "Organisationen redovisar partnerskapets medel skilt från sådana ersättningar")
    assert clause in docs["region"]
    assert clause in docs["platser"]
    for name in ("kvinnojour", "delat", "paraply", "dagverksamhet"):
        assert "ersätts av en kommun för placeringar" not in docs[name]


# --- Finding 3: no fill-in line for fullmäktige -------------------------------------


def test_fullmäktige_decision_is_a_condition_not_a_blank_line(docs) -> None:
    text = docs["platser"]
    assert "(datum och paragraf): …" not in text
    assert "Avtalet undertecknas för Sundviks kommun först när kommunfullmäktige har " \
           "godkänt det." in text


# --- Finding 4: decisions already taken cover the text they approved ---------------------


def test_decisions_taken_before_the_draft_cover_the_text_they_approved(docs) -> None:
    text = docs["paraply"]
    assert "Avtalet har godkänts genom följande beslut:" in text
    assert "Föreningen Grannstöd Norrliden: styrelsen den 12 november 2026, § 9" in text
    assert "Varje beslut gäller den text som det avsåg. Har avtalet ändrats efter ett " \
           "beslut, bekräftar den partens behöriga organ den slutliga texten innan avtalet " \
           "undertecknas." in text
    # A draft with no decision taken yet says nothing of the kind.
    assert "gäller den text som det avsåg" not in docs["dagverksamhet"]


def test_one_decision_taken_before_the_draft(tmp_path: Path) -> None:
    data = load(CANONICAL)
    data["process"]["beslut"][0]["datum"] = "2026-11-24"
    text = render_data(tmp_path, data)
    assert "Avtalet har godkänts av styrelsen för Föreningen Vinternatt den 24 november 2026" \
        in text
    assert "Beslutet gäller den text som det avsåg. Har avtalet ändrats efter beslutet, " \
           "bekräftar partens behöriga organ den slutliga texten innan avtalet undertecknas." \
        in text


# --- Finding 5: immediate termination follows the money ------------------------------


def test_immediate_termination_with_several_parties_follows_the_money(docs) -> None:
    text = between(docs["paraply"], "Avtalstid, förlängning och uppsägning", "Ändringar och")
    # Who may act stands in the same sentence as the case (R3 13).
    assert "Den offentliga parten får avsluta en idéburen organisations deltagande i avtalet " \
           "med omedelbar verkan om organisationen" in text
    assert "av de parter som anges efter punkterna" not in text
    assert "En idéburen organisation får lämna partnerskapet med omedelbar verkan om den " \
           "offentliga parten väsentligt bryter mot avtalet." in text
    assert "Har ett hinder enligt § 18 (force majeure) varat i mer än tre månader för en " \
           "part, får de övriga parterna gemensamt avsluta den partens deltagande med " \
           "omedelbar verkan." in text
    # Two parties: one regime, each may end it.
    two = between(docs["kvinnojour"], "Avtalstid, förlängning och uppsägning", "Ändringar och")
    assert "En part kan säga upp avtalet med omedelbar verkan om" in two
    assert "De övriga parterna" not in two


# --- Finding 6: the partnership's insatser are not held in the boende outside it ---------


def test_insatser_are_not_held_in_the_boende_outside_the_partnership(docs) -> None:
    assert "Partnerskapets insatser hålls inte i Kvinnojouren Lindans skyddade boende, som " \
           "ligger utanför partnerskapet." in docs["kvinnojour"]
    assert "Partnerskapets insatser hålls inte i Stiftelsen Fristads skyddade boende" \
        in docs["delat"]
    for text in docs.values():
        assert "Hålls en insats i" not in text


# --- Finding 7: a boende already running: conditions from the agreement's start ----------


def test_permit_and_closing_plan_from_the_agreements_start(docs) -> None:
    for name in ("platser", "region"):
        text = docs[name]
        assert "har tillståndet när avtalet börjar gälla och behåller det under avtalstiden" \
            in text
        # R3 finding 18: the start day can pass before the agreement is signed.
        assert "lämnar planen till den offentliga parten senast den dag då avtalet " \
               "undertecknas" in text
        assert "innan verksamheten börjar" not in text
    assert "informerar organisationen socialnämnden i varje kommun som har beviljat insatsen " \
           "för någon som bor eller får insatser i verksamheten" in docs["region"]
    assert "informerar organisationen socialnämnden i så god tid" in docs["platser"]


# --- Finding 8: no "postadress" sentence without an address -------------------------


def test_postadress_sentence_only_when_an_address_is_shown(docs) -> None:
    platser = docs["platser"]
    assert "Kvarngatan" not in platser
    assert "Adressen till det skyddade boendet anges inte i avtalet eller dess bilagor." \
        in platser
    assert "är en postadress" not in platser
    assert "den adress som anges för organisationen är en postadress" in docs["kvinnojour"]


# --- Finding 11: a short name that is a party's name is not defined ----------------------


def test_short_name_equal_to_a_party_name_is_not_defined(docs, tmp_path: Path) -> None:
    assert "kallat Fristad" not in docs["delat"]
    assert "kallat Ljusglimten" not in docs["region"]
    # Defined only when the text uses it (R3 14): the canonical text never does.
    assert "kallat Dagcenter Väst" not in docs["dagverksamhet"]
    data = load(CANONICAL)
    data["partnerskap"]["kortnamn"] = "vinternatt"
    text = render_data(tmp_path, data)
    assert "kallat" not in between(text, "Parter", "Offentlig part")


# --- Finding 13: dröjsmålsränta and a due date on a holiday -----------------------------


def test_dröjsmålsränta_under_the_act_and_due_date_moves_forward(docs) -> None:
    for name, text in docs.items():
        assert "6 § räntelagen" not in text, name
        assert "dröjsmålsränta enligt räntelagen (1975:635) från förfallodagen till dess " \
               "betalning sker" in text, name
        assert "Infaller förfallodagen på en lördag, söndag eller helgdag är närmast " \
               "följande vardag förfallodag." in text, name


# --- Finding 15: one notice wording for de minimis in paraply ---------------------------


def test_paraply_joining_notice_states_the_gross_grant_equivalent(docs) -> None:
    text = docs["paraply"]
    assert "skriftlig underrättelse om stödets belopp, uttryckt som bruttobidragsekvivalent, " \
           "och om att det är stöd av mindre betydelse enligt förordning (EU) 2023/2831" in text
    assert "underrättelse om stödets belopp och om att det är stöd" not in text


# --- Findings 16, 17: paraply's own data -----------------------------------------------


def test_paraply_signatories_are_the_boards_and_the_lokal_is_named(docs) -> None:
    text = docs["paraply"]
    signatures = text[text.index("Underskrifter"):]
    assert "Klubbchef" not in signatures and "Verksamhetsledare" not in signatures
    assert "kommunens fritidsgårdar (utom Norrlidens fritidslokal för I2)" in text


# --- Finding 20: statutes are attached for information -------------------------------


def test_statutes_are_attached_for_information_only(docs, tmp_path: Path) -> None:
    text = docs["kvinnojour"]
    assert "Kvinnojouren Lindans stadgar (bifogas för kännedom och ingår inte i avtalet)" \
        in text
    assert "Bilagorna gäller sinsemellan i den ordning de står i förteckningen över bilagor. " \
           "Bilaga 4 bifogas för kännedom och ingår inte i avtalet." in text
    data = copy.deepcopy(load(EXAMPLES / "kvinnojour.yaml"))
    data["bilagor"] = [b for b in data["bilagor"] if "stadgar" not in b.lower()]
    plain = render_data(tmp_path, data, "kvinnojour.yaml")
    assert "kännedom och ingår inte" not in plain


# --- Finding 9: a public party is named with its deciding body ---------------------------


def test_public_party_is_named_with_its_body(docs) -> None:
    text = docs["region"]
    assert "mellan Region Västerfjäll genom regionstyrelsen och Kvinno- och tjejjouren " \
           "Ljusglimten" in text
    # R3 finding 15: in § 1 too, not the name with the body in a bullet.
    assert "Behörigt organ" not in text
    assert "Parter Detta avtal" in text and "ingås mellan följande parter. Region " \
           "Västerfjäll genom regionstyrelsen Offentlig part (region)" in text
    # A name that already says "genom …" is not repeated.
    assert "Behörigt organ" not in docs["kvinnojour"]
    assert "mellan Region Norrmark genom hälso- och sjukvårdsnämnden och" in docs["kvinnojour"]


# --- Finding 10: § Uppföljning och utvärdering says when the evaluation is made ------------


def test_evaluation_is_stated_when_the_spec_has_none(docs) -> None:
    assert "Utvärdering. Parterna utvärderar partnerskapet gemensamt i god tid före " \
           "avtalsperiodens slut, som underlag för ställningstagandet till förlängning enligt " \
           "§ 16." in docs["delat"]
    assert "Utvärdering. Parterna utvärderar partnerskapet gemensamt i god tid före " \
           "avtalsperiodens slut, som underlag för ställningstagandet till ett nytt avtal." \
        in docs["platser"]
    # The parties' own text is kept as it is.
    assert "Utvärdering. Extern följeforskning under avtalets andra år." \
        in docs["dagverksamhet"]
    assert "Parterna utvärderar partnerskapet gemensamt" not in docs["dagverksamhet"]


# --- Finding 12: the avgränsning does not say the same thing twice ---------------------


def test_avgränsning_does_not_repeat_what_the_parties_wrote(docs) -> None:
    text = docs["delat"]
    assert "Platserna i stiftelsens skyddade boende ingår inte i partnerskapet" in text
    assert "Stiftelsen Fristads skyddade boende finansieras inte med medel enligt avtalet." \
        in text
    assert "Stiftelsen Fristads skyddade boende ingår inte i partnerskapet" not in text
    assert "Kvinnojouren Lindans skyddade boende ingår inte i partnerskapet och finansieras " \
           "inte med medel enligt avtalet." in docs["kvinnojour"]


# --- Finding 18: the PDF does not hyphenate names in tables ------------------------------


def test_pdf_tables_do_not_split_names(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas")
    result = run(CliRunner(), "render", CASES["platser"], "-o", tmp_path, "-d", "avtal",
                 "-f", "pdf", "--datum", "2026-12-02")
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "platser-avtal.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # Typst's patterns split "soci-alnämnden" and "Sund-vik"; the Word document does not
    # hyphenate at all, and now neither do the PDF's tables.
    assert "\u00ad" not in text
    assert "Kvinnojouren Björken i Sundvik" in text
