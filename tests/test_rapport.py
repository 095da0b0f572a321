"""The follow-up file (UTFALL.md) and the annual report (`iopkit rapport`), as a user
sees them: check's located messages, and the report's figures read back from Word."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from conftest import CANONICAL, EXAMPLES, SHARED_CANONICAL, run

SHARED_OUTCOMES = SHARED_CANONICAL.parent / "exempel-utfall.yaml"
OUTCOMES = EXAMPLES / "uppfoljning" / "utfall.yaml"


def report_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows]
              for table in document.tables]
    return text, tables


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The canonical spec and its follow-up file side by side, to edit in a test."""
    shutil.copy(CANONICAL, tmp_path / "dagverksamhet.yaml")
    (tmp_path / "utfall.yaml").write_text(
        OUTCOMES.read_text(encoding="utf-8").replace("../dagverksamhet.yaml",
                                                     "dagverksamhet.yaml"), encoding="utf-8")
    return tmp_path


def edit(path: Path, change) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bundled_follow_up_is_the_shared_example():
    shared = SHARED_OUTCOMES.read_text(encoding="utf-8")
    ours = OUTCOMES.read_text(encoding="utf-8")
    assert ours == shared.replace("exempel-dagverksamhet.yaml", "../dagverksamhet.yaml")


def test_check_reads_a_follow_up_file_and_reports_the_late_report(runner):
    result = run(runner, "check", SHARED_OUTCOMES, "--datum", "2029-06-01")
    assert result.exit_code == 0, result.output
    assert "IOP308" in result.output and "2029-04-10" in result.output
    assert "2029-03-29" in result.output  # 31 March 2029 is a Saturday, 30 March Good Friday: Thursday 29 March


def test_late_is_judged_against_the_annual_reports_own_day(runner, folder):
    # The annual report is due 15 March, the redovisning 31 March: a follow-up submitted
    # on 20 March 2028 is late (the old rule took the later of the two days), and the
    # message names the key whose day it is.
    edit(folder / "dagverksamhet.yaml", lambda d: d["uppföljning"].update(
        årsrapport="Gemensam årsrapport senast den 15 mars året efter."))
    edit(folder / "utfall.yaml", lambda d: d["år"][0].update(inlämnad="2028-03-20"))
    result = run(runner, "check", folder / "utfall.yaml", "--datum", "2028-06-01")
    assert "IOP308" in result.output, result.output
    assert ("Rapporten för 2027 lämnades in 2028-03-20, efter sista dagen 2028-03-15 enligt "
            "avtalet (`uppföljning.årsrapport`)") in " ".join(result.output.split())


def test_without_any_stated_day_no_report_is_called_late(runner, folder):
    def no_days(d):
        d["uppföljning"].pop("årsrapport")
        d["ekonomi"]["redovisning"] = "Ekonomisk redovisning lämnas varje år."
    edit(folder / "dagverksamhet.yaml", no_days)
    result = run(runner, "check", folder / "utfall.yaml", "--datum", "2031-06-01")
    assert result.exit_code == 0, result.output
    assert "utfall.yaml" in result.output
    assert "IOP308" not in result.output and "IOP307" not in result.output, result.output


def test_a_past_year_without_entry_is_a_warning_only_once_its_deadline_passed(runner):
    before = run(runner, "check", SHARED_OUTCOMES, "--datum", "2030-03-01")
    assert "IOP307" not in before.output
    after = run(runner, "check", SHARED_OUTCOMES, "--datum", "2030-06-01")
    assert "IOP307" in after.output and "Ingen uppföljning för 2029" in after.output


def test_a_directory_with_both_kinds_checks_both(runner, folder):
    result = run(runner, "check", folder, "--datum", "2026-12-01")
    assert "dagverksamhet.yaml: OK" in result.output
    assert "utfall.yaml" in result.output and "IOP308" in result.output
    assert "Kontrollerade 2 filer" in result.output


@pytest.mark.parametrize("change, code, words", [
    (lambda d: d["år"][0]["indikatorer"].update({"besökare": 1}), "IOP301",
     ["besökare", "Kända indikatorer: besök, M1.2, M2.1"]),
    (lambda d: d["år"][0]["medel"]["vinternatt"].update({"använt": -5}), "IOP016",
     ["negativt"]),
    (lambda d: d["år"][0].update({"år": 2031}), "IOP302", ["2031", "2027–2029"]),
    (lambda d: d["år"][1].update({"år": 2027}), "IOP303", ["2027"]),
    (lambda d: d["år"][0]["medel"]["vinternatt"].update({"mottaget": "2400000.50"}), "IOP016",
     ["2400000.50"]),
    (lambda d: d["år"][0]["medel"].update({"goteborg": {"mottaget": 1, "använt": 1}}),
     "IOP304", ["inte en idéburen part", "vinternatt"]),
    (lambda d: d["år"][0]["ideellt_arbete_timmar"].update({"vinternat": 5}), "IOP305",
     ["Menade du `vinternatt`?"]),
    (lambda d: d["år"][0]["bedömning"].update({"M9": "x"}), "IOP306", ["M9", "M1, M2"]),
    (lambda d: d.update({"avtal": "saknas.yaml"}), "IOP300", ["saknas.yaml", "finns inte"]),
    (lambda d: d.update({"avtal": "../../etc/passwd.yaml"}), "IOP300", ["utanför"]),
    (lambda d: d.update({"avtal": "/etc/hosts"}), "IOP300", ["relativt"]),
    (lambda d: d["år"][0].update({"indikatorr": {}}), "IOP011", ["Menade du `indikatorer`?"]),
])
def test_hostile_follow_up_files_give_located_errors_and_no_report(runner, folder, change,
                                                                    code, words):
    path = edit(folder / "utfall.yaml", change)
    checked = run(runner, "check", path, "--datum", "2026-12-01")
    assert checked.exit_code == 1, checked.output
    line = next(l for l in checked.output.splitlines() if code in l)
    assert str(path) in line and ":" in line.split(str(path))[1][:6]  # file:line:column
    for word in words:
        assert word in line, line
    out = folder / "ut"
    made = run(runner, "rapport", path, "-o", out, "--datum", "2029-05-01")
    assert made.exit_code == 1 and "Ingen årsrapport har skapats" in made.output
    assert not out.exists() or not any(out.iterdir())


def test_a_broken_spec_is_named_with_its_first_error(runner, folder):
    (folder / "dagverksamhet.yaml").write_text(
        CANONICAL.read_text(encoding="utf-8").replace("typ: ideell förening", "typ: klubb"),
        encoding="utf-8")
    result = run(runner, "check", folder / "utfall.yaml", "--datum", "2026-12-01")
    assert result.exit_code == 1
    assert "IOP300" in result.output and "har 1 fel" in result.output


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> tuple[str, list[list[list[str]]]]:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("rapport")
    result = run(CliRunner(), "rapport", OUTCOMES, "-o", out, "--datum", "2029-05-01")
    assert result.exit_code == 0, result.output
    return report_text(out / "dagverksamhet-arsrapport-2028.docx")


def test_report_shows_every_value_and_target_verdict(example_report):
    text, tables = example_report
    assert "Årsrapport 2028: Dagverksamhet för EU-medborgare i utsatthet" in text
    assert "år 2 av 3 i avtalsperioden" in text
    rows = {(t[0][0], tuple(t[0])): t for t in tables}
    indicator_tables = [t for t in tables if t[0] == ["År", "Utfall", "Förändring", "Målet nått"]]
    assert [t[1:] for t in indicator_tables] == [
        [["2027", "14\u00a0200", "–", "nej"], ["2028", "16\u00a0050", "+1\u00a0850", "ja"]],
        [["2027", "246", "–", "ja"], ["2028", "244", "-2", "ja"]],
        [["2027", "580", "–", "nej"], ["2028", "655", "+75", "ja"]],
    ]
    assert "baslinje 420 (2025)" in text
    assert "Rådgivaren på bulgariska var sjukskriven i sex veckor under hösten." in text
    assert "Partnerskapsgruppens bedömning 2028: Målet nåddes." in text
    assert rows  # every table has a header row


def test_report_reconciles_the_money_and_names_the_repayment(example_report):
    text, tables = example_report
    money = next(t for t in tables if t[0][:2] == ["År", "Beviljat"])
    assert money[1] == ["2027", "2\u00a0400\u00a0000\u00a0kr", "2\u00a0400\u00a0000\u00a0kr",
                        "2\u00a0310\u00a0000\u00a0kr", "90\u00a0000\u00a0kr", "–",
                        "90\u00a0000\u00a0kr"]
    assert money[2][-1] == "–"
    assert ("Föreningen Vinternatt ska betala tillbaka 90\u00a0000\u00a0kr till Göteborgs kommun "
            "genom socialnämnden Centrum") in text
    assert "senast 30 dagar efter den offentliga partens skriftliga krav" in text


def test_report_lists_the_late_report_and_people(example_report):
    text, tables = example_report
    assert ("Rapporten för 2028 lämnades in den 10 april 2029, efter sista dagen enligt "
            "avtalet, den 29 mars 2029.") in text
    people = next(t for t in tables if t[0][:2] == ["År", "Deltagare"])
    assert people[1:] == [["2027", "310", "3\u00a0100"], ["2028", "342", "3\u00a0350"]]


def test_an_earlier_year_is_reported_with_only_the_years_before(runner, tmp_path):
    result = run(runner, "rapport", OUTCOMES, "--år", "2027", "-o", tmp_path, "-f", "md",
                 "--datum", "2028-05-01")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "dagverksamhet-arsrapport-2027.md").read_text(encoding="utf-8")
    assert "2028" not in text.split("## Mål och utfall")[1].split("## Lärdomar")[0]
    assert "Lärdomar 2027: Besökarna kommer tidigare på dagen än väntat" in text


def test_unused_money_that_may_be_kept_is_carried_and_repaid_after_the_last_year(folder):
    from iopkit.outcomes.check import check_outcomes_file
    from iopkit.outcomes.figures import reconcile

    edit(folder / "dagverksamhet.yaml",
         lambda d: d["ekonomi"].update({"outnyttjade_medel": "får behållas"}))

    def three_years(d):
        d["år"][1]["medel"]["vinternatt"] = {"mottaget": 2400000, "använt": 2450000}
        d["år"].append({"år": 2029, "medel": {"vinternatt": {"mottaget": 2300000,
                                                              "använt": 2200000}}})
    edit(folder / "utfall.yaml", three_years)
    result = check_outcomes_file(folder / "utfall.yaml")
    assert result.outcomes is not None, [f.message for f in result.findings]
    (money,) = reconcile(result.outcomes, result.spec_result.spec, [2027, 2028, 2029])
    rows = [(y.carried_in, y.unused, y.carried_out, y.to_repay, y.received_differs)
            for y in money.years]
    assert rows == [(0, 90000, 90000, 0, False), (90000, 40000, 40000, 0, False),
                    (40000, 140000, 0, 140000, True)]


def test_same_files_give_byte_identical_reports(runner, tmp_path):
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run(runner, "rapport", OUTCOMES, "-o", out, "-f", "docx,html,md",
                     "--datum", "2029-05-01")
        assert result.exit_code == 0, result.output
        digests.append(sorted(hashlib.sha256(p.read_bytes()).hexdigest()
                              for p in out.iterdir()))
    assert digests[0] == digests[1]


def test_report_refuses_to_overwrite_without_force(runner, tmp_path):
    assert run(runner, "rapport", OUTCOMES, "-o", tmp_path, "--datum", "2029-05-01").exit_code == 0
    again = run(runner, "rapport", OUTCOMES, "-o", tmp_path, "--datum", "2029-05-01")
    assert again.exit_code == 2 and "--force" in again.output
