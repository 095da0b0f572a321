"""Hostile text inside a spec: characters that reverse reading order, line separators
that YAML counts as line breaks, keys in decomposed Unicode, and the fuzz-like
structures that once crashed the parser."""

from __future__ import annotations

import re

import pytest

from conftest import line_of, run

BIDI = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"]


@pytest.mark.parametrize("char", BIDI)
def test_bidi_control_in_a_text_is_a_warning_naming_the_key(runner, write_spec, canonical_text,
                                                            char):
    text = canonical_text.replace("kortnamn: Dagcenter Väst",
                                  f"kortnamn: Dagcenter {char}tsäV", 1)
    spec = write_spec(text)
    result = run(runner, "check", spec)
    assert result.exit_code == 0, result.output
    line = line_of(text, "kortnamn:")
    expected = f"{spec}:{line}:13: varning IOP170 partnerskap.kortnamn:"
    assert expected in result.stdout, result.stdout
    assert f"U+{ord(char):04X}" in result.stdout and "läsriktningen" in result.stdout
    strict = run(runner, "check", "--strict", spec)
    assert strict.exit_code == 1


def test_bidi_control_deep_in_the_spec(runner, write_spec, canonical_text):
    text = canonical_text.replace("namn: Göteborgs kommun", "namn: Göteborgs \u2067kommun", 1)
    spec = write_spec(text)
    result = run(runner, "check", spec)
    assert "varning IOP170 parter[0].namn: Texten innehåller" in result.stdout, result.stdout


def test_bidi_control_in_an_unknown_key_is_named_in_the_error(runner, write_spec,
                                                              canonical_text):
    text = canonical_text.replace("  kortnamn: Dagcenter Väst",
                                  "  kortnamn: Dagcenter Väst\n  anteckning\u202e: x", 1)
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert "fel IOP011 partnerskap.anteckning" in result.stdout


def test_clean_spec_has_no_bidi_warning(runner, write_spec, canonical_text):
    result = run(runner, "check", write_spec(canonical_text))
    assert "IOP170" not in result.stdout


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029"])
def test_line_separator_in_a_value_does_not_shift_later_lines(runner, write_spec,
                                                              canonical_text, separator):
    text = canonical_text.replace("kortnamn: Dagcenter Väst",
                                  f"kortnamn: \"Dagcenter{separator}Väst\"", 1)
    text = text.replace("802461-3575", "802461-3576", 1)  # an error further down
    spec = write_spec(text)
    result = run(runner, "check", spec)
    assert result.exit_code == 1
    # Count lines as an editor does: only \\n ends a line (str.splitlines would not).
    line = text[:text.index("802461-3576")].count("\n") + 1
    assert re.search(rf"{re.escape(str(spec))}:{line}:\d+: fel IOP015", result.stdout), \
        result.stdout


def test_decomposed_key_is_the_key_it_looks_like(runner, write_spec, canonical_text):
    """macOS tools may save å as a + ring (NFD); the key is still `målgrupp`."""
    text = canonical_text.replace("målgrupp:", "ma\u030algrupp:", 1)
    assert "målgrupp:" not in text.split("partnerskap:")[1].split("parter:")[0]
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 0, result.output
    assert "Menade du" not in result.stdout and "IOP01" not in result.stdout


def test_decomposed_and_composed_key_together_are_a_duplicate(runner, write_spec,
                                                              canonical_text):
    text = canonical_text.replace("  kortnamn: Dagcenter Väst",
                                  "  kortnamn: Dagcenter Väst\n  ma\u030algrupp: x", 1)
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert "förekommer två gånger" in result.stdout
