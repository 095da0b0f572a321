"""`iopkit regler`: list every rule the checker knows, with its code and source."""

from __future__ import annotations

import sys
from enum import Enum

import typer


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def regler(
    output_format: RulesFormat = typer.Option(
        RulesFormat.text, "--format", "-f", case_sensitive=False,
        help="text för människor, json för skript, markdown för dokumentation."),
) -> None:
    """Visa reglerna som check använder, med kod och källa.

    För varje regel: kod, allvarlighetsgrad (fel, varning, info), när den slår till och
    vilken lag, förordning eller vägledning den bygger på.

    En regel kan undantas i en beskrivning med `iopkit_undantag`, till exempel
    [{regel: IOP104, motivering: ...}].
    """
    from ...rules.catalog import print_rules, rules_json, rules_markdown

    if output_format is RulesFormat.json:
        sys.stdout.write(rules_json() + "\n")
    elif output_format is RulesFormat.markdown:
        sys.stdout.write(rules_markdown())
    else:
        from .common import console

        print_rules(console())
