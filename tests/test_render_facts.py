"""Every fact of every example spec is in its rendered agreement and checklist, in every
format: read back with python-docx, as HTML text and as rendered Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import EXAMPLES, run
from render_helpers import (
    agreement_facts,
    checklist_facts,
    docx_headings,
    docx_paragraphs,
    docx_text,
    html_text,
    markdown_text,
    missing,
)

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
DATE = "2026-05-04"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """All examples rendered once, in all three text formats."""
    out = tmp_path_factory.mktemp("utkast")
    from typer.testing import CliRunner

    result = run(CliRunner(), "render", EXAMPLES, "-o", out, "--format", "docx,md,html",
                 "--datum", DATE)
    assert result.exit_code == 0, result.output
    return out


def _check(path: Path):
    from iopkit.check import check_file

    result = check_file(path)
    assert result.ok, [f.message for f in result.errors]
    return result


def test_there_are_examples():
    assert any(p.name == "dagverksamhet.yaml" for p in EXAMPLE_FILES)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_agreement_states_every_fact(rendered, example):
    result = _check(example)
    facts = agreement_facts(result.spec, dt.date.fromisoformat(DATE))
    stem = example.stem
    docx_file = rendered / f"{stem}-avtal.docx"
    assert missing(facts, docx_text(docx_file)) == []
    assert missing(facts, html_text((rendered / f"{stem}-avtal.html").read_text("utf-8"))) == []
    assert missing(facts, markdown_text((rendered / f"{stem}-avtal.md").read_text("utf-8"))) \
        == []


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_checklist_states_assessments_and_findings(rendered, example):
    result = _check(example)
    facts = checklist_facts(result)
    stem = example.stem
    assert missing(facts, docx_text(rendered / f"{stem}-checklista.docx")) == []
    assert missing(facts, html_text((rendered / f"{stem}-checklista.html")
                                    .read_text("utf-8"))) == []


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_sections_in_order_and_numbered(rendered, example):
    headings = docx_headings(rendered / f"{example.stem}-avtal.docx")
    numbered = [h for h in headings if h.startswith("§")]
    assert [h.split()[1] for h in numbered] == [str(n) for n in range(1, len(numbered) + 1)]
    # The order of IOP.md, "Sections of the agreement draft"; meddelarskydd and barn only
    # where they apply, then the spec's own clauses.
    expected = ["Parter", "Bakgrund", "Gemensam behovsinventering",
                "Syfte, målgrupp och mål", "Insatser och åtaganden", "Parternas resurser",
                "Ekonomi", "Organisation och styrning", "Uppföljning och utvärdering",
                "Personuppgifter och sekretess", "Meddelarskydd",
                "Barnets rättigheter och registerkontroll", "Försäkring och skadeansvar",
                "Allmänna handlingar och arkiv", "Kommunikation",
                "Avtalstid, förlängning och uppsägning", "Ändringar och tillägg",
                "Överlåtelse och rangordning", "Omförhandling, upphörande och tvist"]
    spec = _check(example).spec
    # Where lag (2017:151) can apply: a socialtjänst partnership, or an organisation that
    # runs a statutory insats beside it (kvinnojour; R3 12).
    beside = any(p.ivo_permit for p in spec.nonprofit_parties)
    if spec.partnership.activity_areas != ["socialtjänst"] and not beside:
        expected.remove("Meddelarskydd")
    if not spec.partnership.children:
        expected.remove("Barnets rättigheter och registerkontroll")
    titles = [" ".join(h.split()[2:]) for h in numbered]
    assert titles == expected + [c.heading for c in spec.clauses]
    assert headings[-2:] == ["Underskrifter", "Bilagor"]


def test_title_page_shows_name_case_number_draft_marking_and_date(rendered):
    _, paragraphs = docx_paragraphs(rendered / "dagverksamhet-avtal.docx")
    title_page = []
    for paragraph in paragraphs:
        if paragraph.style.name == "Heading 1":
            break
        title_page.append(paragraph.text)
    assert title_page[0] == "Dagverksamhet för EU-medborgare i utsatthet"
    text = "\n".join(title_page)
    assert "UTKAST" in text
    assert "4 maj 2026" in text
    assert "SNC 2026/0418" in text


def test_amounts_use_non_breaking_spaces(rendered):
    text = docx_text(rendered / "dagverksamhet-avtal.docx")
    assert "2\u00a0400\u00a0000\u00a0kr" in text
    assert "3\u00a0340\u00a0000" in text  # all parties, per year (kronor in the header)


def test_resource_totals_per_party_and_in_all(rendered):
    document, _ = docx_paragraphs(rendered / "dagverksamhet-avtal.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Part")
    rows = [[c.text for c in row.cells] for row in table.rows]
    totals = {r[0]: r[-1] for r in rows if r[0].startswith("Summa")}
    assert totals == {
        "Summa Göteborgs kommun genom socialnämnden Centrum": "2\u00a0530\u00a0000",
        "Summa Föreningen Vinternatt": "810\u00a0000",
        "Summa för alla parter": "3\u00a0340\u00a0000",
    }


def test_dates_in_running_text_are_swedish(rendered):
    text = docx_text(rendered / "dagverksamhet-avtal.docx")
    assert "från och med den 1 januari 2027 till och med den 31 december 2029" in text
    assert "den 15 september 2026" in text


def test_checklist_ticks_what_the_spec_documents(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data

    # The decisions taken, with their paragraphs: rendered after both meetings.
    data = load_canonical_data()
    data["process"]["beslut"][0]["paragraf"] = "§ 9"
    data["process"]["beslut"][1]["paragraf"] = "§ 214"
    spec = write_spec(dump(data), "beslutat.yaml")
    assert run(runner, "render", spec, "--datum", "2026-12-21").exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "beslutat-checklista.docx")
    steps = {p.text.split(".")[0][2:]: p.text[0] for p in paragraphs
             if p.style.name == "List Number"}
    assert steps["Gemensam behovsinventering"] == "☒"
    # Open: the kommun's competence is always for the officer to assess.
    assert steps["Rättslig bedömning"] == "☐"
    assert steps["Årsrapport"] == "☒"
    # Ticked from `process`: the initiative; the decisions are documented, but the day
    # the nämnd's minutes were posted is not, so the appeal deadline is still open.
    assert steps["Initiativ"] == "☒"
    assert steps["Beslut"] == "☐"
    assert steps["Dialog och avsiktsförklaring"] == "☐"
    assert steps["Undertecknande"] == "☐"
    assert steps["Granskning av organisationen"] == "☐"
    assert steps["Diarieföring och arkiv"] == "☐"
    text = "\n".join(p.text for p in paragraphs)
    assert "Föreningen Vinternatt tog initiativet den 20 april 2026." in text
    assert "socialnämnden Centrum beslutade den 15 december 2026, § 214" in text
    assert "styrelsen beslutade den 8 december 2026, § 9" in text
    assert "Ange anslagsdagen i process.beslut (anslaget)" in text


def test_checklist_states_the_last_day_for_laglighetsprovning(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    # Decided on 1 December, posted Friday 4 December 2026: three weeks later is Friday
    # 25 December (juldagen), 26 and 27 are a holiday and a Sunday, so the last day is
    # Monday 28 December.
    data["process"]["beslut"][1]["datum"] = "2026-12-01"
    data["process"]["beslut"][1]["anslaget"] = "2026-12-04"
    spec = write_spec(dump(data), "anslaget.yaml")
    assert run(runner, "render", spec, "--datum", DATE).exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "anslaget-checklista.docx")
    text = "\n".join(p.text for p in paragraphs)
    # Drafted in May: the decision and its anslag are planned, not recorded facts.
    assert "planeras att tillkännages den 4 december 2026; sista dag för överklagande blir " \
           "då den 28 december 2026" in text
    assert "Tillkännagivet" not in text
    # The association's board decision cannot be appealed that way.
    board = next(p.text for p in paragraphs if "styrelsen" in p.text and "besluta" in p.text)
    assert "laglighetsprövning" not in board
    # After the anslag the day is a fact; the step stays open until the day has passed.
    assert run(runner, "render", spec, "--datum", "2026-12-10", "--force").exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "anslaget-checklista.docx")
    step = next(p.text for p in paragraphs if "Laglighetsprövning av beslutet" in p.text)
    assert "Tillkännagivet den 4 december 2026; sista dag är den 28 december 2026." in step
    assert step.startswith("☐")


def test_checklist_for_de_minimis_has_the_steps_in_legal_order(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
    data["resurser"][0]["belopp_per_år"] = 1_000_000
    spec = write_spec(dump(data), "dm.yaml")
    assert run(runner, "render", spec, "--datum", DATE).exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "dm-checklista.docx")
    steps = [p.text for p in paragraphs if p.style.name == "List Number"]
    order = [next(i for i, s in enumerate(steps) if needle in s) for needle in (
        "Före beslutet: stöd av mindre betydelse", "Beslut.", "Undertecknande.",
        "Efter beviljandet: registrering av stödet")]
    assert order == sorted(order)
    text = "\n".join(p.text for p in paragraphs)
    assert "skriftliga försäkran om annat stöd av mindre betydelse" in text
    assert "12 a §" in text


@pytest.mark.parametrize("areas,regime", [
    (["HVB"], "lagen (2007:171)"), (["skolväsendet"], "skollagen (2010:800) 2 kap. 31 §"),
    (["LSS"], "lagen (2010:479)"), (["kultur"], "frivillig enligt lagen (2013:852)")])
def test_checklist_names_the_register_check_regime(runner, write_spec, tmp_path, areas,
                                                   regime):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["partnerskap"]["barn"] = "ja"
    data["partnerskap"]["verksamhetsområden"] = areas
    spec = write_spec(dump(data), "barn.yaml")
    assert run(runner, "render", spec, "--datum", DATE).exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "barn-checklista.docx")
    item = next(p.text for p in paragraphs if "Registerkontroll" in p.text)
    assert regime in item
    if areas == ["kultur"]:
        assert "behåller ingen kopia" in item and "den offentliga parten får inga utdrag" in item
    else:
        assert "frivillig" not in item


def test_checklist_leaves_undocumented_steps_open(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    del data["rättslig_bedömning"]
    del data["uppföljning"]["årsrapport"]
    del data["uppföljning"]["utvärdering"]
    spec = write_spec(dump(data), "oppen.yaml")
    result = run(runner, "render", spec, "--datum", DATE)
    assert result.exit_code == 0, result.output
    _, paragraphs = docx_paragraphs(tmp_path / "oppen-checklista.docx")
    steps = {p.text.split(".")[0][2:]: p.text[0] for p in paragraphs
             if p.style.name == "List Number"}
    assert steps["Rättslig bedömning"] == "☐"
    assert steps["Årsrapport"] == "☐"
    assert steps["Utvärdering"] == "☐"
    text = "\n".join(p.text for p in paragraphs)
    assert "bedömning saknas" in text


def test_checklist_marks_silenced_findings(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data
    from iopkit.check import check_file

    data = load_canonical_data()
    data["ekonomi"]["utbetalning"] = "Kvartalsvis i förskott; resor ersätts per timme."
    spec = write_spec(dump(data), "prestation.yaml")
    finding = next(f for f in check_file(spec).findings if f.path_text ==
                   "ekonomi.utbetalning")
    data["iopkit_undantag"] = [{"regel": finding.code,
                                "motivering": "Ersättningen avser bara resor."}]
    spec = write_spec(dump(data), "prestation.yaml")
    result = run(runner, "render", spec, "--datum", DATE)
    assert result.exit_code == 0, result.output
    document, _ = docx_paragraphs(tmp_path / "prestation-checklista.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Kod")
    row = next(r for r in table.rows if r.cells[0].text.startswith(finding.code))
    assert "undantagen" in row.cells[0].text
    assert "ekonomi.utbetalning" in row.cells[1].text
    assert "Motivering för undantaget: Ersättningen avser bara resor." in row.cells[2].text


def test_multi_paragraph_text_keeps_its_paragraphs(runner, write_spec, tmp_path):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["partnerskap"]["bakgrund"] = "Första stycket,\nsom fortsätter.\n\nAndra stycket."
    spec = write_spec(dump(data), "stycken.yaml")
    assert run(runner, "render", spec, "--datum", DATE).exit_code == 0
    _, paragraphs = docx_paragraphs(tmp_path / "stycken-avtal.docx")
    texts = [p.text for p in paragraphs]
    assert "Första stycket, som fortsätter." in texts
    assert "Andra stycket." in texts


def test_render_file_library_entry_point(tmp_path):
    from iopkit.render import RenderOptions, render_file

    written = render_file(EXAMPLES / "dagverksamhet.yaml", tmp_path, ("docx", "md"),
                          RenderOptions(date=dt.date(2026, 5, 4)))
    assert [p.name for p in written] == [
        "dagverksamhet-avtal.docx", "dagverksamhet-avtal.md",
        "dagverksamhet-checklista.docx", "dagverksamhet-checklista.md"]
    assert all(p.stat().st_size > 0 for p in written)
