"""IOP192 and IOP193: dates in the spec that disagree (issue 21). Run through `iopkit
check` as a user does; the findings name the year, the amount and the key."""

from __future__ import annotations

from pathlib import Path

from conftest import dump, load_canonical_data, run


def check(runner, tmp_path: Path, data: dict):
    path = tmp_path / "spec.yaml"
    path.write_text(dump(data), encoding="utf-8")
    return run(runner, "check", path, "--strict")


def test_period_ending_one_day_into_a_new_year(runner, tmp_path: Path) -> None:
    data = load_canonical_data()
    data["avtalsperiod"]["slut"] = "2030-01-01"
    result = check(runner, tmp_path, data)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "IOP192 avtalsperiod.slut" in out
    assert "slutar 2030-01-01, en dag in i ett nytt avtalsår (2030)" in out
    # 2 400 000 kr × 1/365 of the avtalsår 2030.
    assert "Det ger 6\u00a0575 kr i ekonomiska medel för 2030" in result.output
    assert "Menade ni att perioden skulle sluta 2029-12-31?" in out


def test_short_last_avtalsår_in_a_non_calendar_period(runner, tmp_path: Path) -> None:
    data = load_canonical_data()
    data["avtalsperiod"] = {"start": "2027-03-30", "slut": "2028-04-05",
                            "uppsägningstid_månader": 3}
    data["uppföljning"]["första_datum"] = "2027-06-15"
    out = " ".join(check(runner, tmp_path, data).output.split())
    assert "IOP192" in out and "7 dagar in i ett nytt avtalsår (2028/29)" in out


def test_whole_years_do_not_warn(runner, tmp_path: Path) -> None:
    result = check(runner, tmp_path, load_canonical_data())
    assert result.exit_code == 0, result.output
    assert "IOP192" not in result.output and "IOP193" not in result.output


def test_annual_report_before_the_financial_report(runner, tmp_path: Path) -> None:
    data = load_canonical_data()
    data["uppföljning"]["årsrapport"] = "Gemensam årsrapport senast den 15 februari året efter."
    result = check(runner, tmp_path, data)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "IOP193 uppföljning.årsrapport" in out
    assert ("Årsrapporten ska lämnas senast den 15 februari, men den ekonomiska "
            "redovisningen som den bygger på lämnas först senast den 31 mars") in out


def test_amount_for_a_year_outside_the_avtalsår(runner, tmp_path: Path) -> None:
    data = load_canonical_data()
    data["avtalsperiod"] = {"start": "2027-03-30", "slut": "2028-03-29",
                            "uppsägningstid_månader": 3}
    data["uppföljning"]["första_datum"] = "2027-06-15"
    data["resurser"][0]["belopp_per_år"] = {2027: 650000, 2028: 650000}
    result = check(runner, tmp_path, data)
    assert result.exit_code == 1
    assert "IOP026" in result.output
    assert "Året 2028 ligger utanför avtalsperioden (2027)" in " ".join(result.output.split())
