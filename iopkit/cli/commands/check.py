"""`iopkit check`: validate specs and report every problem with its location."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    check_paths,
    fail,
    output_console,
    verbose_option,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def check(
    files: list[Path] = typer.Argument(
        ..., metavar="FIL", show_default=False,
        help="En eller flera partnerskapsbeskrivningar eller uppföljningsfiler (.yaml), "
             "eller kataloger med sådana."),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--format", "-f", case_sensitive=False,
        help="text för människor, json för skript och CI."),
    strict: bool = typer.Option(
        False, "--strict", help="Låt varningar räknas som fel (slutstatus 1)."),
    verbose: bool = verbose_option(),
    eur_rate: str | None = typer.Option(
        None, "--eurokurs", metavar="KURS", show_default=False,
        help="Kronor per euro när stödet räknas om mot de minimis-taken, till exempel "
             "11,20. Går före rättslig_bedömning.eurokurs och iopkits standardkurs."),
    date_text: str | None = typer.Option(
        None, "--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
        help="Dagen som kontrollen utgår från (standard: i dag): för uppföljningsfiler "
             "avgör den vilka år som har passerat, och för en partnerskapsbeskrivning är "
             "den tjänsteskrivelsens datum, som ska vara före sammanträdet."),
) -> None:
    """Kontrollera partnerskapsbeskrivningar och uppföljningsfiler och visa alla fel och
    varningar. En uppföljningsfil (med iopkit_utfall) kontrolleras också mot avtalet
    den följer upp.

    Slutstatus: 0 inga fel, 1 fel i någon fil (med --strict även varningar),
    2 fel i anropet eller en fil som inte kan läsas.
    """
    from ...report import Summary, json_report, print_findings
    from ...rules.settings import DEFAULT_SETTINGS, parse_eur_rate

    settings = DEFAULT_SETTINGS
    if eur_rate is not None:
        try:
            settings = settings.with_eur_rate(parse_eur_rate(eur_rate))
        except ValueError as exc:
            fail(str(exc))
    from ...dates import default_date, parse_date_option

    today = parse_date_option(date_text) if date_text is not None else default_date()
    if date_text is not None:
        # The day given is also the memo's date (IOP200); without it the check does not
        # depend on the day it runs.
        settings = settings.with_memo_date(today)
    results, io_problems = check_paths(files, settings, today)
    summary = Summary()
    for result in results:
        summary.add(result)
    summary.unreadable = [file for file, _ in io_problems]

    if output_format is OutputFormat.json:
        sys.stdout.write(json_report(results, summary, io_problems) + "\n")
    else:
        out = output_console()
        for result in results:
            print_findings(out, result, strict=strict, verbose=verbose)
        for _, message in io_problems:
            sys.stderr.write(f"Fel: {message}\n")
        out.print(summary.text(), highlight=False)

    if io_problems:
        raise typer.Exit(EXIT_USAGE)
    failed = summary.errors or (strict and summary.warnings)
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)
