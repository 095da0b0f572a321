"""`iopkit render --dokument tjansteskrivelse`: the officer's decision memo to the nämnd,
read back from Word as the nämnd's secretary would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CANONICAL, EXAMPLES, dump, load_canonical_data, run
from render_helpers import docx_paragraphs, norm

SECTIONS = ["Ärendet", "Beslutsunderlag", "Förslag till beslut", "Bakgrund",
            "Gemensamma behov och mål", "Ekonomi", "Rättslig bedömning",
            "Befogenhet enligt kommunallagen", "Upphandling", "Statsstöd", "Personuppgifter",
            "Risker att ta ställning till", "Uppföljning", "Handläggare"]


def render_memo(runner, spec: Path, *extra: str) -> tuple[list[str], str, list[list[str]]]:
    """Render the memo as Word; return its headings, its whole text (normalised) and
    its table rows."""
    result = run(runner, "render", spec, "--dokument", "tjansteskrivelse", "-f", "docx",
                 "--datum", "2026-10-01", *extra)
    assert result.exit_code == 0, result.output
    target = spec.with_name(f"{spec.stem}-tjansteskrivelse.docx")
    assert target.exists()
    document, paragraphs = docx_paragraphs(target)
    headings = [p.text for p in paragraphs if p.style.name.startswith(("Heading", "Title"))]
    rows = [[norm(c.text) for c in row.cells] for t in document.tables for row in t.rows]
    return headings, norm("\n".join(p.text for p in paragraphs)), rows


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    path = tmp_path / "dagverksamhet.yaml"
    shutil.copy(CANONICAL, path)
    return path


def test_canonical_memo_sections_amounts_decisions_and_officer_marker(runner, canonical):
    headings, text, rows = render_memo(runner, canonical)
    for section in SECTIONS:
        assert section in headings, section
    assert "Barnrättsperspektiv" not in headings  # barn: nej
    # Only the memo is written when it alone is chosen.
    assert sorted(p.name for p in canonical.parent.iterdir()) == [
        "dagverksamhet-tjansteskrivelse.docx", "dagverksamhet.yaml"]
    # The proposal: approve, the grant per year and in total, who signs.
    assert "Socialnämnden Centrum föreslås besluta" in text
    assert ("att godkänna avtalet om idéburet offentligt partnerskap Dagverksamhet för "
            "EU-medborgare i utsatthet med Föreningen Vinternatt för perioden den 1 januari "
            "2027 till och med den 31 december 2029") in text
    assert ("att lämna bidrag till Föreningen Vinternatt med 2 400 000 kr per år 2027–2029, "
            "sammanlagt 7 200 000 kr") in text
    assert "att uppdra åt Per Lund (Förvaltningsdirektör) att underteckna avtalet" in text
    # Ekonomi: every party's valued resources per year and in total.
    assert ["Göteborgs kommun genom socialnämnden Centrum", "2 530 000", "2 530 000",
            "2 530 000", "7 590 000"] in rows
    assert ["Föreningen Vinternatt", "810 000", "810 000", "810 000", "2 430 000"] in rows
    assert "Avtalet har inget budgetförbehåll" in text
    # The law: kommunallagen, RF, LOU with HFD 2020 ref. 15, the state-aid ground, GDPR.
    for cited in ("kommunallagen (2017:725)", "(2 kap. 1 §)", "(2 kap. 3 §)", "(2 kap. 8 §)",
                  "1 kap. 9 § regeringsformen", "HFD 2020 ref. 15 (mål 3165-19)",
                  "upphandlingsskadeavgift", "Grund för bedömningen: ingen ekonomisk "
                  "verksamhet", "personuppgiftsansvarig", "artikel 35"):
        assert cited in text, cited
    assert "anknytning till Göteborgs kommun och dess medlemmar" in text
    assert "ger inga öppna varningar" in text
    # No aid (ingen ekonomisk verksamhet): the amount, but not counted as granted aid.
    assert "Föreningen Vinternatt får 7 200 000 kr under avtalsperioden." in text
    assert "räknas som beviljat" not in text
    assert "Lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter kan gälla " \
           "(socialtjänst)" in text
    # The goals and the activities are two tables (Word merges adjacent tables).
    assert ["Insats", "Mål", "Ansvarig part"] in rows
    # The officer from process.handläggare, in the header and at the end.
    assert text.count("Karin Ek") >= 2
    assert "FYLL I" not in text


def test_memo_without_officer_has_a_marker_the_officer_cannot_miss(runner, tmp_path):
    data = load_canonical_data()
    del data["process"]["handläggare"]
    spec = tmp_path / "utan-handlaggare.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    _, text, _ = render_memo(runner, spec)
    # In the header and at the end.
    assert text.count("FYLL I: handläggarens namn och titel (process.handläggare)") == 2


def test_multi_party_memo_amounts_per_recipient_and_year(runner, tmp_path):
    spec = tmp_path / "paraply.yaml"
    shutil.copy(EXAMPLES / "paraply.yaml", spec)
    headings, text, rows = render_memo(runner, spec)
    assert "Barnrättsperspektiv" in headings
    assert "Kommunstyrelsen föreslås besluta" in text
    for recipient, amount in (("Strömsby IF", "350 000 kr per år 2027–2029, sammanlagt "
                                               "1 050 000 kr"),
                              ("Föreningen Grannstöd Norrliden", "450 000 kr per år "
                               "2027–2029, sammanlagt 1 350 000 kr"),
                              ("Equmeniaförsamlingen i Strömsby", "200 000 kr per år "
                               "2027–2029, sammanlagt 600 000 kr"),
                              ("Cykelköket Strömsby ekonomisk förening", "400 000 kr för "
                               "2027, 350 000 kr för 2028, 300 000 kr för 2029, sammanlagt "
                               "1 050 000 kr")):
        assert f"att lämna bidrag till {recipient} med {amount}" in text, recipient
    assert ["Strömsby kommun genom kommunstyrelsen", "1 950 000", "1 900 000", "1 850 000",
            "5 700 000"] in rows
    assert ["Summa", "3 015 000", "2 965 000", "2 915 000", "8 895 000"] in rows
    assert "att uppdra åt Karl Nordin (Kommunstyrelsens ordförande) och Helena Vik " \
           "(Kommundirektör) att underteckna avtalet" in text
    # Support to an ekonomisk förening is individual support to a näringsidkare.
    assert "Cykelköket Strömsby ekonomisk förening är en ekonomisk förening och driver " \
           "näringsverksamhet" in text and "synnerliga skäl" in text
    # De minimis: the regulation's term, the ceiling, the steps before and after.
    assert "Stödet lämnas som stöd av mindre betydelse enligt kommissionens förordning " \
           "(EU) 2023/2831" in text
    assert "Strömsby IF får 1 710 000 kr under avtalsperioden; hela beloppet räknas som " \
           "beviljat när avtalet skrivs under" in text
    assert "skriftlig försäkran" in text and "12 a § lagen (2013:388)" in text
    assert "lagen (2013:852)" in text  # children: the voluntary registerkontroll
    # A silenced warning is shown with its reason, not as an open risk.
    assert "ger inga öppna varningar" in text and "IOP104" in text
    # The officer from process.handläggare.
    assert "Petra Lind, Samordnare för civilsamhällesfrågor" in text
    assert "FYLL I" not in text


def test_open_warnings_become_risks_for_the_namnd(runner, tmp_path):
    from iopkit.check import check_file

    data = load_canonical_data()
    del data["rättslig_bedömning"]["upphandling"]
    data["resurser"][0]["beskrivning"] = "Bidrag per deltagare till personal och drift"
    spec = tmp_path / "risk.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    warnings = [f for f in check_file(spec).findings if f.severity.name == "WARNING"]
    assert {f.code for f in warnings} >= {"IOP103", "IOP106"}
    headings, text, _ = render_memo(runner, spec)
    assert "2 öppna varningar" in text
    assert "Underlaget saknar en bedömning av om avtalet är ett offentligt kontrakt" in text
    risks = text[text.index("Risker att ta ställning till"):text.index("Uppföljning")]
    for finding in warnings:
        # The same message as `iopkit check` (Markdown escapes aside).
        assert norm(finding.message).replace("`", "")[:120] in risks.replace("`", ""), \
            finding.code
        assert finding.code in risks


def test_legal_rules_read_as_in_the_checklist(runner, canonical):
    """The memo never restates a rule differently from the checklist."""
    result = run(runner, "render", canonical, "--dokument", "checklista,tjansteskrivelse",
                 "-f", "md", "--datum", "2026-10-01")
    assert result.exit_code == 0, result.output
    checklist = norm(canonical.with_name("dagverksamhet-checklista.md").read_text("utf-8"))
    memo = norm(canonical.with_name("dagverksamhet-tjansteskrivelse.md").read_text("utf-8"))
    for rule in (
            "tjänsten är av direkt ekonomiskt intresse för den offentliga parten och "
            "åtagandena är ömsesidiga och rättsligt utkrävbara. Att en organisation är "
            "idéburen, att avtalet kallas IOP eller att det inte finns någon marknad avgör "
            "inte frågan.",
            "och behandla medlemmarna lika (2 kap. 3 §); individuellt stöd till en "
            "näringsidkare kräver synnerliga skäl (2 kap. 8 §). Valet av partner ska vara "
            "sakligt och opartiskt (1 kap. 9 § regeringsformen).",
            "Den krävs när behandlingen sannolikt leder till en hög risk för de registrerade"):
        assert rule in checklist and rule in memo, rule


def test_unknown_document_is_a_usage_error(runner, canonical):
    result = run(runner, "render", canonical, "--dokument", "avtal,protokoll")
    assert result.exit_code == 2
    assert "Dokumentet 'protokoll' finns inte" in result.output
    assert "tjansteskrivelse" in result.output
    result = run(runner, "render", canonical, "--dokument", "tillagg")
    assert result.exit_code == 2 and "iopkit diff" in result.output
    assert not list(canonical.parent.glob("*.docx"))


def test_default_documents_unchanged(runner, canonical):
    result = run(runner, "render", canonical, "-f", "md", "--datum", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in canonical.parent.glob("*.md")) == [
        "dagverksamhet-avtal.md", "dagverksamhet-checklista.md"]
