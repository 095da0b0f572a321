"""`iopkit uppfoljning`: the follow-up report template, read back as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from conftest import CANONICAL, dump, load_canonical_data, run


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    path = tmp_path / "dagverksamhet.yaml"
    shutil.copy(CANONICAL, path)
    return path


def write(tmp_path: Path, data: dict, name: str = "avtal.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def table_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables
            for row in table.rows]


def table_with_header(document, first: str) -> list:
    return [t for t in document.tables if t.rows[0].cells[0].text == first]


def test_docx_has_every_goal_indicator_target_and_resource(runner, canonical):
    result = run(runner, "uppfoljning", "--datum", "2027-03-01", canonical)
    assert result.exit_code == 0, result.output
    target = canonical.with_name("dagverksamhet-uppfoljning.docx")
    assert f"Skrev {target}" in result.stderr
    assert not canonical.with_name("dagverksamhet-uppfoljning.md").exists()
    document = Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert document.paragraphs[0].text == ("Uppföljning av Dagverksamhet för EU-medborgare i "
                                           "utsatthet")
    for heading in ("Uppföljningsmötet", "Mål och indikatorer", "Insatser", "Resurser",
                    "Frågor till partnerskapsgruppen", "Förslag och åtgärder",
                    "Årsrapport och ekonomisk redovisning",
                    "M1 Målgruppen har tillgång till en trygg dagverksamhet året runt.",
                    "M2 Besökare får vägledning som stärker deras möjlighet att göra egna "
                    "val.",
                    "Göteborgs kommun genom socialnämnden Centrum", "Föreningen Vinternatt"):
        assert heading in headings, heading

    # One indicator table per goal: description, target value, empty outcome and comment.
    indicator_tables = table_with_header(document, "Indikator")
    assert len(indicator_tables) == 2
    assert [c.text for c in indicator_tables[0].rows[0].cells] == [
        "Indikator", "Målvärde", "Utfall för perioden", "Kommentar och analys"]
    rows = [[c.text for c in row.cells] for t in indicator_tables for row in t.rows[1:]]
    assert rows == [
        ["Antal besök per år (källa: Daglig räkning av besök, utan personuppgifter)",
         "minst 15 000", "", ""],
        ["Antal öppetdagar per år", "minst 240", "", ""],
        ["Antal vägledningssamtal per år", "minst 600", "", ""],
    ]

    # The resources per party, with an empty column for what was actually used.
    resource_tables = table_with_header(document, "Resurs")
    assert len(resource_tables) == 2
    rows = [[c.text.replace("\u00a0", " ") for c in row.cells]
            for t in resource_tables for row in t.rows[1:]]
    assert rows == [
        ["Bidrag till personal och drift (ekonomiska medel)", "2 400 000 kr", "", ""],
        ["Socialsekreterare 20 procent av heltid (personal)", "130 000 kr", "", ""],
        ["Summa", "2 530 000 kr", "", ""],
        ["Föreningens lokal på Andra Långgatan, 180 kvadratmeter (lokaler)", "360 000 kr",
         "", ""],
        ["Volontärer i dagcentret och i rådgivningen (ideellt arbete)",
         "3 000 timmar, 450 000 kr", "", ""],
        ["Summa", "810 000 kr", "", ""],
    ]

    # The activities, the questions and the annual reports.
    activities = table_with_header(document, "Insats")[0]
    assert [row.cells[0].text[:3] for row in activities.rows[1:]] == ["I1 ", "I2 ", "I3 "]
    assert activities.rows[3].cells[0].text.endswith("(mål M2)")
    assert activities.rows[3].cells[1].text == "Göteborgs kommun genom socialnämnden Centrum"
    assert all(row.cells[2].text == "" and row.cells[3].text == ""
               for row in activities.rows[1:])
    questions = table_with_header(document, "Fråga")[0]
    assert len(questions.rows) == 10
    assert questions.rows[1].cells[0].text.startswith("1. Når partnerskapet sina mål?")
    assert all(row.cells[1].text == "" for row in questions.rows[1:])
    # Both reports, each from its own text (ekonomi.redovisning, uppföljning.årsrapport);
    # 31 March 2029 is a Saturday and 2 April annandag påsk.
    assert ["Ekonomisk redovisning", "2027", "2028-03-31"] in table_rows(document)
    assert ["Årsrapport", "2028", "2029-03-29"] in table_rows(document)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Mallen skapades 1 mars 2027 från dagverksamhet.yaml." in text
    assert "12 uppföljningar under avtalsperioden, den första den 15 mars 2027" in text
    assert document.core_properties.title == "Dagverksamhet för EU-medborgare i utsatthet – " \
                                             "Uppföljning"


def test_annual_report_without_a_day_is_said_to_be_assumed(runner, tmp_path):
    data = load_canonical_data()
    data["uppföljning"].pop("årsrapport")
    data["ekonomi"]["redovisning"] = "Ekonomisk redovisning lämnas varje år."
    spec = tmp_path / "avtal.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    result = run(runner, "uppfoljning", "--format", "md", spec)
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "avtal-uppfoljning.md").read_text(encoding="utf-8")
    assert "Avtalet anger ingen dag för årsrapporten." in markdown
    assert "| Årsrapport | avtalsår 1 | 2028-01-03 |" in markdown
    assert "Ekonomisk redovisning |" not in markdown  # no day, none invented


def test_markdown_and_docx_together(runner, canonical):
    result = run(runner, "uppfoljning", "--format", "docx,md", canonical)
    assert result.exit_code == 0, result.output
    markdown = canonical.with_name("dagverksamhet-uppfoljning.md").read_text(encoding="utf-8")
    assert canonical.with_name("dagverksamhet-uppfoljning.docx").exists()
    assert markdown.startswith("# Uppföljning av Dagverksamhet för EU-medborgare i utsatthet\n")
    assert "| Antal öppetdagar per år | minst 240 | | |\n" in markdown
    assert "| Socialsekreterare 20 procent av heltid (personal) | 130\u00a0000\u00a0kr | | |\n" \
        in markdown
    assert "| Göteborgs kommun genom socialnämnden Centrum | |\n" in markdown  # attendance


def test_output_directory_and_determinism(runner, canonical, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    args = ("uppfoljning", "--datum", "2027-03-01", "-o", out, canonical)
    assert run(runner, *args).exit_code == 0
    first = (out / "dagverksamhet-uppfoljning.docx").read_bytes()
    assert run(runner, *args, "--force").exit_code == 0
    assert (out / "dagverksamhet-uppfoljning.docx").read_bytes() == first
    result = run(runner, "uppfoljning", "-o", tmp_path / "saknas", canonical)
    assert result.exit_code == 0, result.output  # a missing -o directory is created
    assert (tmp_path / "saknas" / "dagverksamhet-uppfoljning.docx").is_file()
    assert "Skrev" in result.stderr and result.stdout == ""


def test_existing_file_is_not_overwritten_without_force(runner, canonical):
    target = canonical.with_name("dagverksamhet-uppfoljning.md")
    target.write_text("ifylld rapport\n", encoding="utf-8")
    result = run(runner, "uppfoljning", "-f", "md", canonical)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "ifylld rapport\n"


def test_invalid_spec_gives_check_findings_and_no_file(runner, tmp_path):
    data = load_canonical_data()
    data["mål"][0]["behov"] = ["B9"]
    spec = write(tmp_path, data)
    result = run(runner, "uppfoljning", spec)
    assert result.exit_code == 1
    assert "IOP021" in result.stderr and "mål[0].behov[0]" in result.stderr
    assert not list(tmp_path.glob("*-uppfoljning.*"))


def test_spec_text_cannot_break_the_tables(runner, tmp_path):
    data = load_canonical_data()
    data["mål"][0]["indikatorer"][0]["beskrivning"] = "Besökare | per *år* <b>"
    data["mål"][1].pop("indikatorer")
    data["iopkit_undantag"] = [{"regel": "IOP123", "motivering": "Indikatorer tas fram "
                                                                   "under första året."}]
    spec = write(tmp_path, data)
    result = run(runner, "uppfoljning", "-f", "docx,md", spec)
    assert result.exit_code == 0, result.output
    document = Document(str(tmp_path / "avtal-uppfoljning.docx"))
    first = table_with_header(document, "Indikator")[0]
    assert [c.text for c in first.rows[1].cells] == [
        "Besökare | per *år* <b> (källa: Daglig räkning av besök, utan personuppgifter)",
        "minst 15 000", "", ""]
    # A goal without indicators gets a table for describing how it was reached.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Målet har ännu inga indikatorer." in text
    assert table_with_header(document, "Hur målet har nåtts")


def test_user_templates_override_the_questions(runner, canonical, tmp_path):
    templates = tmp_path / "mallar" / "uppfoljning"
    templates.mkdir(parents=True)
    (templates / "05-fragor.md.j2").write_text(
        "## Våra frågor\n\n"
        "| Fråga | Svar |\n|---|---|\n"
        "| Hur mår {{ partnerskap.kortnamn }}? | |\n", encoding="utf-8")
    result = run(runner, "uppfoljning", "-f", "md", "--mallar", tmp_path / "mallar", canonical)
    assert result.exit_code == 0, result.output
    markdown = canonical.with_name("dagverksamhet-uppfoljning.md").read_text(encoding="utf-8")
    assert "| Hur mår Dagcenter Väst? | |" in markdown
    assert "Frågor till partnerskapsgruppen" not in markdown
    assert "## Mål och indikatorer" in markdown  # the other built-in sections remain


def test_template_error_names_the_file_and_line(runner, canonical, tmp_path):
    templates = tmp_path / "mallar" / "uppfoljning"
    templates.mkdir(parents=True)
    (templates / "05-fragor.md.j2").write_text("## Frågor\n\n{{ partnerskap.nman }}\n",
                                               encoding="utf-8")
    result = run(runner, "uppfoljning", "-f", "md", "--mallar", tmp_path / "mallar", canonical)
    assert result.exit_code == 1
    assert "05-fragor.md.j2, rad 3" in result.stderr
    assert "nman" in result.stderr
    assert not canonical.with_name("dagverksamhet-uppfoljning.md").exists()


def test_library_entry_point(tmp_path, canonical):
    import datetime as dt

    from iopkit.documents.uppfoljning.context import write_followup
    from iopkit.render.pipeline import RenderOptions

    paths = write_followup(canonical, formats=("md",),
                           options=RenderOptions(date=dt.date(2027, 3, 1)))
    assert paths == [canonical.with_name("dagverksamhet-uppfoljning.md")]
    assert "Mallen skapades 1 mars 2027" in paths[0].read_text(encoding="utf-8")


def test_per_year_amounts_and_unvalued_resources(runner, tmp_path):
    """Amounts that differ between the years are shown year by year; a resource without
    a value reads "ej värderad" and is not summed as 0 kr."""
    data = load_canonical_data()
    data["resurser"][0]["belopp_per_år"] = {2027: 2400000, 2028: 2500000, 2029: 2600000}
    del data["resurser"][2]["värde_per_år"]
    spec = tmp_path / "avtal.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    result = run(runner, "uppfoljning", spec, "--format", "md")
    assert result.exit_code == 0, result.output
    text = " ".join((tmp_path / "avtal-uppfoljning.md").read_text(encoding="utf-8")
                    .replace("\u00a0", " ").split())
    assert "2027: 2 400 000 kr; 2028: 2 500 000 kr; 2029: 2 600 000 kr" in text
    assert "**2027: 2 530 000 kr; 2028: 2 630 000 kr; 2029: 2 730 000 kr**" in text
    assert "| ej värderad |" in text
    assert "**450 000 kr**" in text  # the association: only the valued volunteer work
    assert "Resurser som är ej värderade ingår inte i summan." in text


def test_a_year_without_an_amount_is_not_summed_as_a_yearly_amount(runner, tmp_path):
    # 2 400 000 kr for 2027 and 2028 only: 2029 has nothing, so there is no one sum "per år".
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["resurser"][0]["belopp_per_år"] = {2027: 2_400_000, 2028: 2_400_000}
    spec = tmp_path / "lucka.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    result = run(runner, "uppfoljning", spec, "--format", "md", "-o", tmp_path / "ut")
    assert result.exit_code == 0, result.output
    text = next((tmp_path / "ut").glob("*.md")).read_text(encoding="utf-8")
    assert "3\u00a0340\u00a0000\u00a0kr per år" not in text
    assert "940\u00a0000\u00a0kr för 2029" in text
