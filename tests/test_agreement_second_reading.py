"""The second reading of three rendered agreements as a kommunjurist reads them (issue 21):
the day centre, the two-organisation paraply and the kvinnojour. Each finding is read
back from the rendered text: Markdown through the renderer, Word through python-docx."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import EXAMPLES, dump, run
from i21_specs import canonical, two_organisations
from render_helpers import docx_paragraphs, norm
from test_agreement_text import render, section


@pytest.fixture(scope="module")
def paraply(tmp_path_factory):
    return render(tmp_path_factory.mktemp("paraply"), EXAMPLES / "paraply.yaml")


@pytest.fixture(scope="module")
def kvinnojour(tmp_path_factory):
    return render(tmp_path_factory.mktemp("kvinnojour"), EXAMPLES / "kvinnojour.yaml")


# --- § Organisation och styrning: delegation -------------------------------------------


def test_delegation_names_the_deciding_body_and_onward_delegation(tmp_path: Path,
                                                                  paraply) -> None:
    text = section(render(tmp_path, canonical()), "Organisation och styrning")
    assert "Om socialnämnden Centrum får uppdra åt någon annan att fatta ett sådant beslut" \
        in text
    assert "får i sin tur uppdra åt en annan anställd att besluta, om nämnden har medgett " \
           "det (7 kap. 6 §)" in text
    # Kommunstyrelsen is a nämnd in law, but the reader sees the body the agreement names.
    text = section(paraply, "Organisation och styrning")
    assert "Om kommunstyrelsen får uppdra åt någon annan" in text
    assert "Om nämnden får uppdra" not in text


# --- § Ekonomi: återkrav ---------------------------------------------------------------


def test_återkrav_uses_the_defined_term_and_releases_withheld_money(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Ekonomi")
    assert "mottagaren" not in text
    assert "och organisationen får en skriftlig påminnelse" in text
    assert "Den offentliga parten meddelar då organisationen skriftligen vad som utreds och " \
           "vilka utbetalningar som hålls inne, och utreder saken utan dröjsmål" in text
    assert "Visar utredningen inte att medel har använts felaktigt, betalas det som har " \
           "hållits inne ut utan dröjsmål" in text
    # "inom 30 dagar från kravet; den dagen är förfallodag" could name the day of the demand.
    assert "den dagen är förfallodag" not in text
    assert "förfallodagen, som är den 30:e dagen efter den dag då kravet skickades" in text


def test_återkrav_with_several_organisations_names_the_one_that_received(tmp_path: Path
                                                                         ) -> None:
    text = section(render(tmp_path, two_organisations()), "Ekonomi")
    assert "mottagaren" not in text
    assert "betalar den organisation som har tagit emot medlen dröjsmålsränta" in text


# --- § Avtalstid: "inte längre en idéburen organisation" --------------------------------


def test_not_idéburen_lists_the_conditions_of_2022_900(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Avtalstid, förlängning och uppsägning")
    # IOP.md gives no § numbers of lag (2022:900): the law is cited without them (R3 10).
    assert "§§ i lagen" not in text and "(2 och 3 §§" not in text
    assert "uteslutande har ett allmännyttigt syfte som anges i stadgar" in text
    assert "bedriver eller har för avsikt att bedriva offentligt finansierad " \
           "välfärdsverksamhet" in text
    assert "inte har ett rättsligt bestämmande inflytande över den" in text
    # The law does not speak of "offentlig kontroll".
    assert "offentlig kontroll" not in text


# --- § Barn: registerkontroll for volunteer leaders ------------------------------------


def test_voluntary_registerkontroll_names_volunteer_leaders(paraply) -> None:
    text = section(paraply, "Barnets rättigheter och registerkontroll")
    assert "den som erbjuds anställning, uppdrag, till exempel som ideell ledare, eller " \
           "praktik" in text


# --- § Personuppgifter: a region's secrecy ---------------------------------------------


def test_region_secrecy_example_is_health_care(kvinnojour, tmp_path: Path) -> None:
    text = section(kvinnojour, "Personuppgifter och sekretess")
    assert "sekretess inom hälso- och sjukvården enligt 25 kap. 1 § OSL" in text
    assert "26 kap. 1 §" not in text
    text = section(render(tmp_path, canonical()), "Personuppgifter och sekretess")
    assert "socialtjänstsekretess enligt 26 kap. 1 § OSL" in text
    assert "25 kap. 1 §" not in text


# --- § Parter: the IVO permit ----------------------------------------------------------


def test_ivo_permit_says_what_it_covers_with_the_date_in_words(kvinnojour) -> None:
    text = section(kvinnojour, "Parter")
    assert "Tillstånd från Inspektionen för vård och omsorg (IVO) för skyddat boende, " \
           "beviljat den 12 september 2024 (diarienummer 3.5.1-04417/2024)" in text
    assert "2024-09-12" not in text


def test_ivo_permit_line_ends_the_list_in_word(tmp_path: Path, runner) -> None:
    result = run(runner, "render", EXAMPLES / "kvinnojour.yaml", "-o", tmp_path,
                 "-d", "avtal", "--datum", "2026-12-02")
    assert result.exit_code == 0, result.output
    _, paragraphs = docx_paragraphs(tmp_path / "kvinnojour-avtal.docx")
    texts = [p.text for p in paragraphs]
    permit = next(t for t in texts if t.startswith("Tillstånd från Inspektionen"))
    assert permit.endswith("(diarienummer 3.5.1-04417/2024)"), permit
    assert any(t.startswith("I avtalet kallas Kvinnojouren Lindan") for t in texts)


# --- § Resurser: no "kr" under a "Kronor per år" header -------------------------------


def test_resource_table_does_not_repeat_the_unit(tmp_path: Path, runner) -> None:
    spec = tmp_path / "avtal.yaml"
    spec.write_text(dump(canonical()), encoding="utf-8")
    result = run(runner, "render", spec, "-o", tmp_path, "-d", "avtal",
                 "--datum", "2026-12-02")
    assert result.exit_code == 0, result.output
    import docx

    document = docx.Document(str(tmp_path / "avtal-avtal.docx"))
    table = next(t for t in document.tables
                 if t.rows[0].cells[-1].text.strip() == "Kronor per år")
    cells = [norm(row.cells[-1].text) for row in table.rows[1:]]
    assert "2 400 000" in cells and "3 340 000" in cells, cells
    assert not [c for c in cells if c.endswith("kr")], cells


# --- Title page and Underskrifter agree about a decision on the draft's day ------------


def test_decision_on_the_drafts_day_is_planned_everywhere(tmp_path: Path, runner) -> None:
    spec = tmp_path / "avtal.yaml"
    spec.write_text(dump(canonical()), encoding="utf-8")
    # Socialnämnden Centrum decides on 15 December 2026, the draft's day.
    result = run(runner, "render", spec, "-o", tmp_path, "-d", "avtal", "-f", "md",
                 "--datum", "2026-12-15")
    assert result.exit_code == 0, result.output
    text = norm((tmp_path / "avtal-avtal.md").read_text(encoding="utf-8"))
    assert "**UTKAST** – 15 december 2026" in text
    signatures = text[text.index("## Underskrifter"):]
    assert "socialnämnden Centrum den 15 december 2026" in signatures
    assert "Avtalet ska godkännas av socialnämnden Centrum den 15 december 2026" in signatures \
        or "ska godkännas genom följande beslut: - Göteborgs kommun genom socialnämnden " \
           "Centrum: socialnämnden Centrum den 15 december 2026" in signatures, signatures
    assert "har godkänts av socialnämnden Centrum" not in signatures


# --- Word: a short table is not split over two pages ----------------------------------


def _kept_rows(table) -> list[bool]:
    from docx.oxml.ns import qn

    return [all(p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:keepNext"))
                is not None for p in row._tr.iter(qn("w:p")))
            for row in table.rows]


def test_short_tables_stay_on_one_page_long_ones_split(tmp_path: Path, runner) -> None:
    import docx

    for example in ("dagverksamhet", "paraply"):
        result = run(runner, "render", EXAMPLES / f"{example}.yaml", "-o", tmp_path,
                     "-d", "avtal", "--datum", "2026-12-02")
        assert result.exit_code == 0, result.output
    # The day centre's resource table (eight rows) split after its sixth row in Word and
    # LibreOffice: every row but the last is now kept with the next.
    document = docx.Document(str(tmp_path / "dagverksamhet-avtal.docx"))
    resources = next(t for t in document.tables if t.rows[0].cells[0].text == "Part")
    assert _kept_rows(resources)[:-1] == [True] * (len(resources.rows) - 1)
    # The paraply's per-year resource table (twenty rows) may split; its ordinary rows are
    # not all kept (group rows still are).
    document = docx.Document(str(tmp_path / "paraply-avtal.docx"))
    per_year = next(t for t in document.tables
                    if t.rows[0].cells[0].text == "Part och resurs")
    assert len(per_year.rows) > 12
    assert not all(_kept_rows(per_year)[:-1])


# --- § Ekonomi: the no-double-funding condition once -----------------------------------


def test_no_double_funding_is_stated_once(tmp_path: Path) -> None:
    data = canonical()
    text = section(render(tmp_path, data), "Ekonomi")
    # The canonical example's own text about other grants already says it.
    assert text.count("Samma kostnad") == 1, text
    data["ekonomi"]["andra_bidrag"] = "Bidraget ersätter föreningsbidraget."
    text = section(render(tmp_path, data, "annan.yaml"), "Ekonomi")
    assert "Samma kostnad får inte finansieras både med medel enligt detta avtal och med " \
           "andra bidrag från den offentliga parten" in text


# --- A skyddat boende in the agreement --------------------------------------------------


def test_permit_in_insatser_has_its_date_in_words(tmp_path: Path) -> None:
    from i21_specs import protected_housing

    text = section(render(tmp_path, protected_housing()), "Insatser och åtaganden")
    assert "Kvinnojouren Eken har tillstånd från IVO, beviljat den 20 juni 2024 " \
           "(diarienummer 3.5.1-01234/2024)." in text
    assert "2024-06-20" not in text


def test_report_duty_uses_the_fields_the_law_names(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Personuppgifter och sekretess")
    # Socialtjänstlagen speaks of private activity "på socialtjänstens område"; a private
    # provider is not "in" the socialtjänst.
    assert "ingår i socialtjänsten" not in text
    assert "verksamhet inom hälso- och sjukvården eller på socialtjänstens område" in text
