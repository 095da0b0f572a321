"""Values at the edges are user errors with a key and a range, never internal errors; and
a spec that `check` passes never fails in a later command."""

from __future__ import annotations

import re

import pytest
from pydantic import TypeAdapter, ValidationError

from conftest import run


def replace_once(text: str, pattern: str, new: str) -> str:
    changed, count = re.subn(pattern, new, text, count=1, flags=re.M)
    assert count == 1, pattern
    return changed


CASES = {
    "uppsägningstid_månader: 100000": (r"uppsägningstid_månader: \d+",
                                       "uppsägningstid_månader: 100000",
                                       "avtalsperiod.uppsägningstid_månader", "0–120 månader"),
    "slut 9999-12-31": (r"slut: \d{4}-\d\d-\d\d", "slut: 9999-12-31", "avtalsperiod.slut",
                        "mellan år 1900 och 2199"),
    "start år 1": (r"start: \d{4}-\d\d-\d\d", "start: 0001-01-01", "avtalsperiod.start",
                   "mellan år 1900 och 2199"),
    "belopp med 27 siffror": (r"belopp_per_år: \d+", "belopp_per_år: " + "9" * 27,
                              "belopp_per_år", "27 siffror"),
    "belopp strax över gränsen": (r"belopp_per_år: \d+", "belopp_per_år: 1000000000001",
                                  "belopp_per_år", "0–1\u00a0000\u00a0000\u00a0000\u00a0000"),
    "eurokurs med 400 siffror": (r"^rättslig_bedömning:\n", "rättslig_bedömning:\n  eurokurs: "
                                 + "9" * 400 + "\n", "rättslig_bedömning.eurokurs",
                                 "mellan 1 och 100"),
    "eurokurs 1000": (r"^rättslig_bedömning:\n", "rättslig_bedömning:\n  eurokurs: 1000\n",
                      "rättslig_bedömning.eurokurs", "mellan 1 och 100"),
    "eurokurs 1e400": (r"^rättslig_bedömning:\n", "rättslig_bedömning:\n  eurokurs: "
                       "1" + "0" * 18 + "\n", "rättslig_bedömning.eurokurs", "mellan 1 och 100"),
    "första_datum år 9999": (r"första_datum: \d{4}-\d\d-\d\d", "första_datum: 9999-12-31",
                             "uppföljning.första_datum", "mellan år 1900 och 2199"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_out_of_range_is_a_finding_with_key_and_range(runner, write_spec, canonical_text,
                                                            name):
    pattern, new, key, fragment = CASES[name]
    spec = write_spec(replace_once(canonical_text, pattern, new))
    result = run(runner, "check", spec)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stdout.splitlines() if " fel " in line]
    assert errors, result.stdout
    assert any(key in line and fragment in line for line in errors), errors
    assert "Internt fel" not in result.output and "Traceback" not in result.output


def edge_spec(canonical_text: str) -> str:
    """Every bounded value at its largest accepted value."""
    text = replace_once(canonical_text, r"start: \d{4}-\d\d-\d\d", "start: 1900-01-01")
    text = replace_once(text, r"slut: \d{4}-\d\d-\d\d", "slut: 2199-12-31")
    text = replace_once(text, r"belopp_per_år: \d+", "belopp_per_år: 1000000000000")
    text = replace_once(text, r"uppsägningstid_månader: \d+", "uppsägningstid_månader: 120")
    return replace_once(text, r"^rättslig_bedömning:\n",
                        "rättslig_bedömning:\n  eurokurs: 100\n")


def test_what_check_passes_every_command_handles(runner, write_spec, canonical_text, tmp_path):
    spec = write_spec(edge_spec(canonical_text), "kant.yaml")
    result = run(runner, "check", spec)
    assert result.exit_code == 0, result.output
    out = tmp_path / "ut"
    out.mkdir()
    for args in (["render", spec, "-o", out, "-f", "docx,md,html"],
                 ["kalender", spec, "-o", out / "k.ics", "--partnerskapsgrupp"],
                 ["uppfoljning", spec, "-o", out, "-f", "docx,md"],
                 ["diff", write_spec(canonical_text, "gammal.yaml"), spec, "-f", "md",
                  "-o", out / "t.md"]):
        result = run(runner, *args)
        assert result.exit_code == 0, (args[0], result.output)
        assert "Internt fel" not in result.output


def test_bounded_int_type_for_reuse():
    from iopkit.spec.types import BoundedInt, Year

    months = TypeAdapter(BoundedInt(120, "månader"))
    assert months.validate_python("120") == 120
    with pytest.raises(ValidationError) as info:
        months.validate_python("121")
    assert "121 månader ligger utanför det rimliga intervallet 0–120 månader" in \
        str(info.value)
    year = TypeAdapter(Year)
    assert year.validate_python("2027") == 2027
    with pytest.raises(ValidationError, match="1\u00a0900–2\u00a0199"):
        year.validate_python("20270")
    with pytest.raises(ValidationError, match="siffror"):
        year.validate_python("9" * 4000)
