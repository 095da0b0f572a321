"""`iopkit oversikt`: the register of all partnerships, their deadlines and de minimis
aid per organisation across agreements, read back as a user opens the files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html.parser
import io
import time
from pathlib import Path

import pytest
import yaml

from conftest import CANONICAL, run


def agreement(folder: Path, name: str, *, case: str, start: str, end: str, amount: int,
              decided: str | None, reservation: bool = False, ground: str | None =
              "stöd av mindre betydelse") -> Path:
    data = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    data["partnerskap"]["namn"] = name
    data["partnerskap"]["diarienummer"] = case
    data["avtalsperiod"].update({"start": start, "slut": end})
    data["resurser"][0]["belopp_per_år"] = amount
    data["ekonomi"]["budgetförbehåll"] = reservation
    if ground:
        data["rättslig_bedömning"]["statsstöd_grund"] = ground
        data["rättslig_bedömning"]["statsstöd"] = (
            "Dagverksamheten kan vara ekonomisk verksamhet. Stödet lämnas som stöd av mindre "
            "betydelse enligt kommissionens förordning (EU) 2023/2831.")
    data["process"]["beslut"] = [{"part": "goteborg", "organ": "socialnämnden Centrum",
                                  "datum": decided}] if decided else []
    path = folder / f"{case.replace(' ', '-').replace('/', '-')}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def kommun(tmp_path: Path) -> Path:
    folder = tmp_path / "avtal"
    (folder / "2027").mkdir(parents=True)
    agreement(folder, "Dagcentret", case="SNC 2026/1", start="2027-01-01", end="2029-12-31",
              amount=600000, decided="2026-12-15")
    agreement(folder / "2027", "Rådgivningen", case="SNC 2027/2", start="2027-07-01",
              end="2029-12-31", amount=600000, decided="2027-06-01")
    agreement(folder, "Kulturhuset", case="SNC 2026/3", start="2025-01-01", end="2026-06-30",
              amount=100000, decided="2024-12-01", ground="ingen ekonomisk verksamhet")
    (folder / "trasig.yaml").write_text("iopkit: 1\npartnerskap: [\n", encoding="utf-8")
    return folder


def test_two_agreements_together_pass_the_ceiling_and_the_warning_names_both(runner, kommun,
                                                                             tmp_path):
    out = tmp_path / "ut"
    result = run(runner, "oversikt", kommun, "-o", out, "--datum", "2027-08-01")
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if line.startswith("Varning"))
    assert "802461-3575" in warning and "Dagcentret" in warning and "Rådgivningen" in warning
    assert "300 000 euro" in warning and "andra givare" in warning
    assert "trasig.yaml: 1 fel, inte med i översikten. Första: rad" in result.output
    assert "3 avtal" in result.output


def test_each_agreement_alone_is_below_the_ceiling(runner, kommun, tmp_path):
    (kommun / "2027" / "SNC-2027-2.yaml").unlink()
    result = run(runner, "oversikt", kommun, "-o", tmp_path / "ut", "--datum", "2027-08-01")
    assert result.exit_code == 0 and "Varning" not in result.output


def test_a_budget_reservation_counts_each_later_year_when_its_budget_is_decided(
        runner, tmp_path):
    folder = tmp_path / "avtal"
    folder.mkdir()
    long = agreement(folder, "Långt avtal", case="A 1", start="2027-01-01", end="2031-12-31",
                     amount=500000, decided="2026-12-15")
    agreement(folder, "Kort avtal", case="B 2", start="2027-07-01", end="2027-12-31",
              amount=2000000, decided="2027-06-01")
    with_all_at_signing = run(runner, "oversikt", folder, "-o", tmp_path / "a",
                              "--datum", "2027-08-01")
    assert "Varning" in with_all_at_signing.output
    data = yaml.safe_load(long.read_text(encoding="utf-8"))
    data["ekonomi"]["budgetförbehåll"] = True
    long.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    reserved = run(runner, "oversikt", folder, "-o", tmp_path / "b", "--datum", "2027-08-01")
    assert reserved.exit_code == 0, reserved.output
    assert "Varning" not in reserved.output
    rows = list(csv.reader(io.StringIO((tmp_path / "b" / "de-minimis-registret.csv")
                                       .read_text(encoding="utf-8-sig")), delimiter=";"))
    dates = sorted(r[5] for r in rows[1:] if r[10] == "Långt avtal")
    assert dates == ["2026-12-15", "2028-01-01", "2029-01-01", "2030-01-01", "2031-01-01"]


@pytest.mark.parametrize("day, expected", [
    ("2026-11-01", {"Dagcentret": "utkast", "Rådgivningen": "utkast",
                    "Kulturhuset": "avslutad"}),
    ("2026-12-20", {"Dagcentret": "beslutad", "Rådgivningen": "utkast"}),
    ("2027-08-01", {"Dagcentret": "pågår", "Rådgivningen": "pågår"}),
    ("2030-01-01", {"Dagcentret": "avslutad"}),
])
def test_status_follows_the_date(runner, kommun, tmp_path, day, expected):
    from openpyxl import load_workbook

    out = tmp_path / day
    assert run(runner, "oversikt", kommun, "-o", out, "--datum", day).exit_code == 0
    sheet = load_workbook(out / "oversikt.xlsx")["Avtal"]
    header = [c.value for c in sheet[1]]
    status = {row[0]: row[header.index("Status")] for row in sheet.iter_rows(min_row=2,
                                                                             values_only=True)}
    for name, value in expected.items():
        assert status[name] == value


def test_workbook_has_typed_cells_formats_frozen_header_and_filters(runner, kommun, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "ut"
    assert run(runner, "oversikt", kommun, "-o", out, "--datum", "2027-08-01").exit_code == 0
    book = load_workbook(out / "oversikt.xlsx")
    assert book.sheetnames == ["Avtal", "Frister 90 dagar", "Stöd av mindre betydelse"]
    sheet = book["Avtal"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold for c in sheet[1])
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Dagcentret")
    start = row[header.index("Start")]
    assert isinstance(start.value, dt.datetime) and start.value.date() == dt.date(2027, 1, 1)
    money = row[header.index("2028 (kr)")]
    assert money.value == 600000 and money.number_format == '#,##0 "kr"'
    assert row[header.index("Totalt (kr)")].value == 1800000
    assert sheet.column_dimensions["A"].width >= 12
    deadlines = book["Frister 90 dagar"]
    dates = [r[0] for r in deadlines.iter_rows(min_row=2, values_only=True)]
    assert dates == sorted(dates) and dates
    assert all(dt.date(2027, 8, 1) <= d.date() <= dt.date(2027, 10, 30) for d in dates)


def test_csv_opens_in_a_swedish_excel_and_html_is_self_contained(runner, kommun, tmp_path):
    out = tmp_path / "ut"
    result = run(runner, "oversikt", kommun, "-o", out, "-f", "csv,html,md,ics",
                 "--datum", "2027-08-01")
    assert result.exit_code == 0, result.output
    raw = (out / "oversikt.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Partnerskap", "Diarienummer", "Offentliga parter"]
    assert {r[0] for r in rows[1:]} == {"Dagcentret", "Rådgivningen", "Kulturhuset"}

    class Parser(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.external = 0, []

        def handle_starttag(self, tag, attrs):
            self.tables += tag == "table"
            self.external += [v for k, v in attrs if k in ("src", "href") and v]

    parser = Parser()
    parser.feed((out / "oversikt.html").read_text(encoding="utf-8"))
    assert parser.tables == 3 and parser.external == []
    assert "BEGIN:VCALENDAR" in (out / "oversikt-frister.ics").read_text(encoding="utf-8")
    assert "| Dagcentret |" in (out / "oversikt.md").read_text(encoding="utf-8")


def test_spec_text_never_becomes_a_formula_or_markup(runner, tmp_path):
    folder = tmp_path / "avtal"
    folder.mkdir()
    path = agreement(folder, "=HYPERLINK(\"http://x\") <script>alert(1)</script>", case="X 1",
                     start="2027-01-01", end="2027-12-31", amount=100000, decided=None)
    assert path.exists()
    out = tmp_path / "ut"
    assert run(runner, "oversikt", folder, "-o", out, "-f", "xlsx,html,csv",
               "--datum", "2027-02-01").exit_code == 0
    from openpyxl import load_workbook

    cell = load_workbook(out / "oversikt.xlsx")["Avtal"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    page = (out / "oversikt.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_same_input_and_date_give_identical_files(runner, kommun, tmp_path):
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run(runner, "oversikt", kommun, "-o", out, "-f", "xlsx,csv,html,md,ics",
                   "--datum", "2027-08-01").exit_code == 0
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in out.iterdir()})
        time.sleep(1.1)  # a clock-stamped file would now differ
    assert digests[0] == digests[1] and len(digests[0]) == 6


def test_existing_files_are_not_overwritten_without_force(runner, kommun, tmp_path):
    out = tmp_path / "ut"
    assert run(runner, "oversikt", kommun, "-o", out, "--datum", "2027-08-01").exit_code == 0
    again = run(runner, "oversikt", kommun, "-o", out, "--datum", "2027-08-01")
    assert again.exit_code == 2 and "--force" in again.output
    assert run(runner, "oversikt", kommun, "-o", out, "--datum", "2027-08-01",
               "--force").exit_code == 0


def test_no_yaml_files_is_a_usage_error(runner, tmp_path):
    result = run(runner, "oversikt", tmp_path, "-o", tmp_path / "ut")
    assert result.exit_code == 2 and "Inga .yaml-filer" in result.output


def test_a_spec_whose_check_runs_too_long_is_listed_and_the_others_go_on(kommun, monkeypatch):
    from iopkit.register import collect

    slow = str(kommun / "SNC-2026-1.yaml")
    real = collect._check_one

    def check(path: str, today: dt.date):  # stands in for a spec that never finishes
        if path == slow:
            time.sleep(5)
        return real(path, today)

    monkeypatch.setattr(collect, "_check_one", check)
    monkeypatch.setattr(collect, "MAX_SPEC_SECONDS", 0.3)
    today = dt.date(2027, 8, 1)
    kind, file, _, _, _, message = collect._check_bounded(slow, today)
    assert (kind, file) == ("unreadable", slow)
    assert "tog mer än 0.3 sekunder" in message and f"iopkit check {slow}" in message
    other = str(kommun / "2027" / "SNC-2027-2.yaml")
    assert collect._check_bounded(other, today)[0] == "spec"


def test_deadlines_are_the_two_reports_each_per_avtalsår(runner, kommun, tmp_path):
    # The ekonomisk redovisning and the annual report are two deadlines (iopkit.schedule),
    # both "senast den 31 mars året efter" in the canonical example. Rådgivningen's first
    # avtalsår runs to 30 June 2028, so its first reports are due on 31 March 2029 (as its
    # agreement states), not in 2028.
    out = tmp_path / "ut"
    result = run(runner, "oversikt", kommun, "-o", out, "-f", "md", "--datum", "2028-03-20",
                 "--dagar", "30")
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in (out / "oversikt.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| 2028-")]
    deadlines = {(row[0], row[1], row[3]) for row in rows}
    assert ("2028-03-31", "Dagcentret", "ekonomisk redovisning för 2027") in deadlines
    assert ("2028-03-31", "Dagcentret", "årsrapport för 2027") in deadlines
    assert not any(row[1] == "Rådgivningen" and "för 2027" in row[3] for row in rows), rows
