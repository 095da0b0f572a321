"""Inputs that used to take more than linear time (issue 22).

Each test runs a worst case at a size where the old, quadratic code took minutes, in its
own process with a hang guard (not a timing assertion: benchmarks/bench.py --worst
measures the time). The `slow` variants use the largest file `check` accepts (2 MB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import worst_cases  # noqa: E402

#: Far more than any of these needs when linear (about a second), far less than the
#: minutes or hours they took before.
HANG_GUARD_SECONDS = 120


def iopkit(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "iopkit", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True,
                          timeout=HANG_GUARD_SECONDS)


def check_json(path: Path) -> list[dict]:
    result = iopkit("check", "-f", "json", path, cwd=path.parent)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return list(json.loads(result.stdout)["findings"])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("dots", [200_000, pytest.param(2_000_000, marks=pytest.mark.slow)])
def test_email_of_dots(tmp_path, dots):
    findings = check_json(write(tmp_path, worst_cases.email_dots(dots)))
    [email] = [f for f in findings if f["code"] == "IOP013"]
    assert (email["line"], email["path"]) == (34, "parter[0].kontaktperson.epost")
    assert "ser inte ut som en e-postadress" in email["message"]


@pytest.mark.parametrize("address, good", [
    ("karin.ek@example.se", True), ("a@b.c", True), ("a@.c", False), ("a@b.", False),
    ("a@bc", False), ("@b.c", False), ("a@b@c.d", False), ("a b@c.d", False),
    ("a@b\u2003c.d", False), ("förnamn.efternamn@kommun.se", True)])
def test_email_check_keeps_its_meaning(runner, write_spec, canonical_text, address, good):
    from conftest import run

    text = canonical_text.replace("epost: karin.ek@example.se", f'epost: "{address}"', 1)
    result = run(runner, "check", write_spec(text))
    assert ("IOP013" in result.stdout) is not good, result.stdout


@pytest.mark.parametrize("lines", [20_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_placeholder_on_every_line(tmp_path, lines):
    findings = check_json(write(tmp_path, worst_cases.placeholder_comments(lines)))
    marked = [f for f in findings if f["code"] == "IOP160"]
    # One finding per line up to the bound, then one saying there are more.
    assert len(marked) == 501
    assert [f["line"] for f in marked[:3]] == [1, 2, 3]
    assert "fler ställen med samma anmärkning" in marked[-1]["message"]
    assert "de första 500" in marked[-1]["message"]


def test_placeholder_inside_a_block_text_names_the_text(tmp_path, canonical_text):
    text = canonical_text.replace(
        "  bakgrund: |\n", "  bakgrund: |\n    Första raden.\n    FYLL I: mer om bakgrunden\n", 1)
    path = write(tmp_path, "# FYLL I: en kommentar\n" + text)
    marked = [f for f in check_json(path) if f["code"] == "IOP160"]
    assert [(f["line"], f["path"]) for f in marked] == [
        (1, ""), (text.splitlines().index("    FYLL I: mer om bakgrunden") + 2,
                  "partnerskap.bakgrund")]


@pytest.mark.parametrize("words", [6_000, pytest.param(37_000, marks=pytest.mark.slow)])
def test_many_rule_hits(tmp_path, words):
    text = worst_cases.rule_hits(words)
    findings = check_json(write(tmp_path, text))
    procurement = [f for f in findings if f["code"] == "IOP104"]
    assert len(procurement) == 501
    lines = text.split("\n")
    first = next(n for n, line in enumerate(lines, start=1) if "upphandling0 " in line)
    # Every word is pointed at where it stands, in file order.
    assert (procurement[0]["line"], procurement[0]["column"]) == (first, 7)
    assert (procurement[1]["line"], procurement[1]["column"]) == (first, 34)
    assert (procurement[2]["line"], procurement[2]["column"]) == (first + 1, 7)
    assert all(f["path"] == "villkor[0].text" for f in procurement[:500])
    assert "fler ställen" in procurement[-1]["message"]


def test_word_in_a_quoted_text_with_escapes_is_found(tmp_path, canonical_text):
    """The words are found in the file's text; an escape before the word does not move
    the line, and a word written with an escape falls back to the text's start."""
    text = canonical_text + (
        'villkor:\n  - rubrik: A\n    text: "Ett \\u00e4rende.\\nParterna\n'
        '      undviker vite och \\u0061nbud."\n')
    findings = [f for f in check_json(write(tmp_path, text)) if f["code"] == "IOP104"]
    lines = text.split("\n")
    start = lines.index("  - rubrik: A") + 2
    assert [(f["line"], f["column"]) for f in findings] == [(start, 11), (start + 1, 16)]


@pytest.mark.slow
def test_what_check_accepts_also_renders(tmp_path):
    """A clause of 1.8 million characters passes check, so render must not stop at the
    template limits (they grow with the spec's texts)."""
    text = worst_cases.canonical() + ("villkor:\n  - rubrik: Långt\n    text: "
                                      + "Parterna samverkar. " * 90_000 + "\n")
    path = write(tmp_path, text)
    assert iopkit("check", path, cwd=tmp_path).returncode == 0
    result = iopkit("render", path, "-o", tmp_path / "ut", "-f", "md", "--datum",
                    "2027-01-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    agreement = (tmp_path / "ut" / "spec-avtal.md").read_text(encoding="utf-8")
    assert agreement.count("Parterna samverkar.") >= 90_000
