"""`iopkit oversikt`: the register of all partnerships, deadlines and de minimis."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .common import date_option, force_option


def oversikt(
    folders: list[Path] = typer.Argument(
        ..., metavar="KATALOG", show_default=False,
        help="En eller flera kataloger med partnerskapsbeskrivningar (även underkataloger)."),
    out_dir: Path = typer.Option(
        Path("."), "-o", "--utdata", metavar="KATALOG",
        help="Katalogen där översikten skrivs (standard: den aktuella)."),
    formats: list[str] = typer.Option(
        None, "--format", "-f", metavar="FORMAT", show_default=False,
        help="xlsx (standard), csv, html, md och ics (fristerna som kalender); flera med "
             "komma."),
    days: int = typer.Option(
        90, "--dagar", metavar="N", help="Frister de närmaste N dagarna (standard 90)."),
    force: bool = force_option(),
    date_text: str = date_option("Översiktens"),
) -> None:
    """Skapa en översikt över alla partnerskap i katalogerna: ett register med ett avtal
    per rad (parter, beslutande organ, period, status, pengar per år och nästa frist),
    fristerna de närmaste dagarna och stöd av mindre betydelse per organisation över alla
    avtal, med varning när en organisation tillsammans går över ett tak. Raderna till det
    centrala registret för stöd av mindre betydelse skrivs som de-minimis-registret.csv.
    Beskrivningar med fel räknas upp med antal fel och det första felet.

    Slutstatus: 0 klart, 2 fel i anropet eller i filsystemet.
    """
    from ...register.outputs import write_register
    from ...dates import default_date, parse_date_option

    date = parse_date_option(date_text) if date_text is not None else default_date()
    register, written = write_register(folders, out_dir, formats, date, days, force)
    err = sys.stderr
    err.write(f"{len(register.agreements)} avtal, {len(register.organisations)} "
              f"organisationer med stöd av mindre betydelse, {len(register.deadlines)} "
              f"frister de närmaste {days} dagarna, {len(register.warnings)} varningar.\n")
    for warning in register.warnings:
        err.write(f"Varning: {warning}\n")
    for broken in register.broken:
        err.write(f"Fel: {broken.file}: {broken.errors} fel, inte med i översikten. "
                  f"Första: {broken.first}\n")
    for file, message in register.unreadable:
        err.write(f"Fel: {file}: {message}\n")
    for path in written:
        err.write(f"Skrev {path}\n")
