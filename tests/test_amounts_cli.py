"""Amounts as people write them, through the CLI: the same readings the web editor makes
("400 000" and "400 000 kr" are 400000), one amount per avtalsår in the map form, and a
message that shows the accepted form for anything ambiguous."""

from __future__ import annotations

import json

import pytest

from conftest import line_of, run

AMOUNT_LINE = "    belopp_per_år: 2400000\n"


def with_amount(canonical_text: str, written: str) -> str:
    assert AMOUNT_LINE in canonical_text
    return canonical_text.replace(AMOUNT_LINE, f"    belopp_per_år: {written}\n", 1)


def amounts_in(render_dir, runner, path) -> str:
    result = run(runner, "render", path, "--format", "md", "--utkatalog", render_dir,
                 "--datum", "2026-11-02")
    assert result.exit_code == 0, result.output
    return (render_dir / "spec-avtal.md").read_text(encoding="utf-8").replace("\u00a0", " ")


@pytest.mark.parametrize("written", ["400 000", "400 000 kr", '"400 000 kr"', "400000 kronor"])
def test_an_amount_written_with_spaces_and_kr_is_read_as_the_number(runner, write_spec,
                                                                    canonical_text, written):
    path = write_spec(with_amount(canonical_text, written))
    result = run(runner, "check", "--format", "json", path)
    assert result.exit_code == 0, result.output
    assert not [f for f in json.loads(result.stdout)["findings"] if f["code"] == "IOP016"]
    from iopkit.check import check_file

    assert check_file(path).spec.resources[0].amount_per_year == 400_000


def test_one_amount_per_year_in_the_map_form(runner, write_spec, canonical_text, tmp_path):
    written = '{2027: "400 000 kr", 2028: 450000, 2029: "500 000"}'
    path = write_spec(with_amount(canonical_text, written))
    result = run(runner, "check", path)
    assert result.exit_code == 0, result.output
    agreement = amounts_in(tmp_path / "ut", runner, path)
    for shown in ("400 000", "450 000", "500 000"):
        assert f"| {shown} |" in agreement


def test_an_ambiguous_amount_shows_the_accepted_form(runner, write_spec, canonical_text):
    text = with_amount(canonical_text, '"400.000 kr"')
    path = write_spec(text)
    result = run(runner, "check", path)
    assert result.exit_code == 1
    message = next(m for m in result.stdout.splitlines() if " IOP016 " in m)
    assert message.startswith(f"{path}:{line_of(text, 'belopp_per_år:')}:")
    assert '"2 400 000 kr"' in message


def test_an_end_date_one_day_into_a_new_year_is_a_warning(runner, write_spec, canonical_text):
    text = canonical_text.replace("  slut: 2029-12-31\n", "  slut: 2030-01-01\n", 1)
    result = run(runner, "check", write_spec(text))
    assert " IOP192 " in result.stdout
    assert "Menade ni att perioden skulle sluta 2029-12-31?" in result.stdout
