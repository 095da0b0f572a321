"""The rule catalogue for people and programs: `iopkit regler` and the README table.

The README's "## Regler" section holds `rules_markdown()` between the markers
`<!-- regler:start -->` and `<!-- regler:end -->`; tests/test_rules.py keeps them equal.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import Rule, all_rules

README_START = "<!-- regler:start -->"
README_END = "<!-- regler:end -->"

SEVERITY_NOTE = ("`fel` gör att `check` misslyckas; `varning` bara med `--strict`; `info` "
                 "är en upplysning.")


def format_codes() -> list[tuple[str, str]]:
    """The model's own codes (IOP001–IOP099): always errors, never exemptable."""
    from ..spec.validation import MESSAGE_CODES

    return sorted(MESSAGE_CODES.items())


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def rules_markdown(rules: list[Rule] | None = None) -> str:
    rules = all_rules() if rules is None else rules
    lines = ["| kod | nivå | regel | när den slår till | källa |", "|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| {r.code} | {r.severity.value} | {_cell(r.title)} | "
                     f"{_cell(r.trigger)} | {_cell(r.source)} |")
    lines += ["", SEVERITY_NOTE, "",
              "Kontroller av formatet (alltid `fel`, kan inte undantas):", "",
              "| kod | vad som kontrolleras |", "|---|---|"]
    lines += [f"| {code} | {_cell(text)} |" for code, text in format_codes()]
    return "\n".join(lines) + "\n"


def rules_json() -> str:
    data: dict[str, Any] = {
        "rules": [r.to_json() for r in all_rules()],
        "format_codes": [{"code": code, "severity": "fel", "title": text}
                         for code, text in format_codes()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_rules(console: Any) -> None:
    """The catalogue as rich tables for a terminal: code, severity, and one cell with
    the title, when the rule reports and its source (readable in 80 columns)."""
    from rich.table import Table
    from rich.text import Text

    from ..report import _SEVERITY_STYLE

    table = Table(title="Regler", title_justify="left", show_lines=True)
    table.add_column("Kod", no_wrap=True)
    table.add_column("Nivå", no_wrap=True)
    table.add_column("Regel, när den slår till och källa", overflow="fold")
    for r in all_rules():
        cell = Text()
        cell.append(r.title, style="bold")
        cell.append(f"\nNär: {r.trigger}")
        cell.append(f"\nKälla: {r.source}", style="dim")
        table.add_row(r.code, Text(r.severity.value, style=_SEVERITY_STYLE[r.severity]), cell)
    console.print(table)
    console.print(SEVERITY_NOTE, markup=False)
    codes = Table(title="Kontroller av formatet (alltid fel, kan inte undantas)",
                  title_justify="left")
    codes.add_column("Kod", no_wrap=True)
    codes.add_column("Vad som kontrolleras", overflow="fold")
    for code, text in format_codes():
        codes.add_row(code, text)
    console.print(codes)
