"""The examples in examples/: realistic, valid, and clean under `iopkit check --strict`."""

from __future__ import annotations

import pytest

from conftest import CANONICAL, EXAMPLES, SHARED_CANONICAL, run
from iopkit.check import check_file
from iopkit.spec.types import luhn_valid

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
IDS = [p.name for p in EXAMPLE_FILES]

#: First digit of the organisationsnummer (gruppnummer) that fits each party type.
GROUP_DIGITS = {
    "kommun": "2", "region": "2", "statlig myndighet": "2",
    "ideell förening": "8", "stiftelse": "8", "registrerat trossamfund": "28",
    "ekonomisk förening": "7", "aktiebolag med särskild vinstutdelningsbegränsning": "5",
}


def test_there_are_at_least_four_examples_including_the_canonical_one():
    assert len(EXAMPLE_FILES) >= 4
    assert CANONICAL in EXAMPLE_FILES


def test_canonical_example_is_an_unchanged_copy():
    if not SHARED_CANONICAL.exists():
        pytest.skip("../shared/spec finns inte i den här utcheckningen")
    assert CANONICAL.read_bytes() == SHARED_CANONICAL.read_bytes()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_example_passes_check_strict_without_warnings(runner, path):
    result = run(runner, "check", "--strict", path)
    assert result.exit_code == 0, result.output
    assert "0 fel, 0 varningar" in result.stdout
    checked = check_file(path)
    assert checked.spec is not None
    assert not checked.errors and not checked.warnings


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_organisation_numbers_are_valid_and_fit_the_party_type(path):
    spec = check_file(path).spec
    for party in spec.parties:
        digits = party.org_number.replace("-", "")
        assert len(digits) == 10 and luhn_valid(digits), party.org_number
        assert party.org_number[0] in GROUP_DIGITS[party.type], (party.name, party.type)


def test_examples_cover_the_kinds_of_partnership_the_issue_names():
    specs = {p.name: check_file(p).spec for p in EXAMPLE_FILES}
    kinds = {name: {party.type for party in spec.parties} for name, spec in specs.items()}
    # A region with a women's shelter.
    assert any("region" in types for types in kinds.values())
    # Several idéburna parties with one public party (two, and an umbrella with more).
    counts = sorted(len(spec.nonprofit_parties) for spec in specs.values())
    assert counts[-1] >= 4 and 2 in counts
    # More than one legal form among the idéburna parties.
    nonprofit_types = {p.type for spec in specs.values() for p in spec.nonprofit_parties}
    assert {"ideell förening", "stiftelse", "ekonomisk förening"} <= nonprofit_types


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_example_renders(runner, tmp_path, path):
    from iopkit.cli import app

    if "render" not in {c.name for c in app.registered_commands}:
        pytest.skip("`iopkit render` finns inte ännu")
    result = run(runner, "render", path, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert any(tmp_path.iterdir())
