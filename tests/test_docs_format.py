"""docs/format.md is generated from the model and the examples, and must stay in sync."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import ROOT
from iopkit.spec.types import FREQUENCIES, PARTY_TYPES, RESOURCE_TYPES

# tools/docs.py reads the repository and is not part of the installed package.
_spec = importlib.util.spec_from_file_location("iopkit_tools_docs", ROOT / "tools" / "docs.py")
assert _spec is not None and _spec.loader is not None
docs = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = docs  # dataclasses look their module up there
_spec.loader.exec_module(docs)

FORMAT_MD = ROOT / "docs" / "format.md"


def test_committed_reference_matches_the_generated_one():
    generated = docs.format_reference()
    committed = FORMAT_MD.read_text(encoding="utf-8")
    assert committed == generated, (
        "docs/format.md är inte aktuell: kör `python tools/docs.py` och checka in filen.")


def test_every_key_of_the_model_is_documented_with_type_and_example():
    text = docs.format_reference()
    keys = docs.key_docs()
    paths = [k.path for k in keys]
    # The contract's keys, spot-checked across every level of nesting.
    for path in ("iopkit", "partnerskap.namn", "parter[].kontaktperson.epost",
                 "parter[].firmatecknare[].titel", "behovsinventering.behov[].id",
                 "mål[].indikatorer[].källa", "resurser[].belopp_per_år",
                 "rättslig_bedömning.statsstöd", "uppföljning.första_datum",
                 "avtalsperiod.uppsägningstid_månader", "personuppgifter.ansvar",
                 "villkor[].rubrik", "bilagor", "iopkit_undantag[].motivering"):
        assert path in paths
    documents = docs.example_documents()
    for key in keys:
        assert f"`{key.path}`" in text
        assert key.description, f"{key.path} has no description in the model"
        if not key.is_group or len(key.parts) == 1:
            assert docs._example_block(key, documents) is not None, (
                f"no example in examples/ uses `{key.path}`")


def test_types_required_and_allowed_values_are_stated():
    keys = {k.path: k for k in docs.key_docs()}
    assert keys["avtalsperiod.start"].type_text == "datum, ÅÅÅÅ-MM-DD"
    assert keys["avtalsperiod.start"].required == "ja"
    assert keys["avtalsperiod.förlängning"].required == "nej"
    assert keys["parter[].organisationsnummer"].type_text.startswith("organisationsnummer")
    assert keys["ekonomi.viten"].type_text == "ja eller nej"
    assert keys["ekonomi.viten"].default == "nej"
    assert keys["insatser[].ansvarig"].type_text == "id ur `parter[].id`"
    assert keys["resurser[].belopp_per_år"].required.startswith("ja, för")
    assert keys["parter[].typ"].allowed == PARTY_TYPES
    assert keys["resurser[].typ"].allowed == RESOURCE_TYPES
    assert keys["styrning.mötesfrekvens"].allowed == FREQUENCIES


def test_the_tables_of_special_keys_name_real_keys():
    paths = {k.path for k in docs.key_docs()}
    assert set(docs.REFERENCES) <= paths
    assert set(docs.REFERENCES.values()) <= paths
    assert set(docs.CONDITIONALLY_REQUIRED) <= paths


def test_examples_are_written_as_a_user_would_type_them():
    assert docs.example_yaml("start", "2027-01-01") == "start: 2027-01-01"
    assert docs.example_yaml("namn", "Stöd: för alla") == "namn: 'Stöd: för alla'"
    assert docs.example_yaml("genomförd_av", ["a", "b"]) == "genomförd_av: [a, b]"
    assert docs.example_yaml("syfte", "rad ett\nrad två\n") == "syfte: |\n  rad ett\n  rad två"


def test_regenerate_and_check_from_the_command_line(tmp_path, capsys):
    target = tmp_path / "format.md"
    assert docs.main(["--check", "--output", str(target)]) == 1  # missing
    assert "inte aktuell" in capsys.readouterr().err
    assert docs.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == docs.format_reference()
    assert docs.main(["--check", "--output", str(target)]) == 0
    target.write_text("gammal\n", encoding="utf-8")
    assert docs.main(["--check", "--output", str(target)]) == 1


def test_the_script_runs_from_the_repository(tmp_path):
    """`python tools/docs.py --check`, as the README says, from any directory."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "docs.py"), "--check"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "docs.py"), "--check",
                             "--output", str(tmp_path / "saknas.md")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "python tools/docs.py" in result.stderr
