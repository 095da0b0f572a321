"""Worst-case inputs found by the hostile-input rounds (issue 22), at a chosen size.

Each generator returns the text of a spec (or a pair of specs) built on the canonical
example, grown in the one place that used to cost more than linear time. The tests use
small sizes (tests/test_linear.py), `bench.py --worst` times them at 3–4 sizes to show
that the time grows linearly with the size.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = ROOT / "examples" / "dagverksamhet.yaml"


def canonical() -> str:
    return CANONICAL.read_text(encoding="utf-8")


def email_dots(size: int) -> str:
    """An e-mail address of `size` dots after the @ and a second @ at the end: the old
    pattern `[^@\\s]+@[^@\\s]+\\.[^@\\s]+$` tried every dot against every later one."""
    address = "a@" + "." * size + "@"
    return canonical().replace("epost: karin.ek@example.se", f'epost: "{address}"', 1)


def placeholder_comments(lines: int) -> str:
    """`lines` comment lines and as many lines inside a block text, each with FYLL I:
    every marked line used to look up its key path among all values of the spec."""
    comments = "# FYLL I\n" * lines
    block = "    FYLL I\n" * lines
    return comments + canonical().replace("  bakgrund: |\n", "  bakgrund: |\n" + block, 1)


def rule_hits(words: int) -> str:
    """One condition text with `words` distinct words that rules report (upphandling…,
    personnummer…, each with its own ending), and as many short texts in a list: every
    hit used to scan all value positions of the spec to find its line."""
    text = "".join(f"      upphandling{n} personnummer{n} vite{n}\n" for n in range(words))
    items = "".join(f"  - rubrik: Villkor {n}\n    text: Anbud{n} och avrop{n}.\n"
                    for n in range(min(words // 4, 2000)))
    return canonical() + "villkor:\n  - rubrik: Långt villkor\n    text: |\n" + text + items


def reworded_clauses(clauses: int) -> tuple[str, str]:
    """Two versions of a spec with `clauses` conditions, every one reworded (heading and text) in
    the new version: the diff used to compare every removed clause with every added one, word by
    word."""
    def version(word: str) -> str:
        items = "".join(
            f"  - rubrik: Villkor {n} {word}\n    text: Parterna {word} samverka kring punkt {n} "
            f"{'och följa upp arbetet ' * 6}varje kvartal {n * 7}.\n" for n in range(clauses))
        return canonical() + "villkor:\n" + items
    return version("ska"), version("bör gemensamt")
