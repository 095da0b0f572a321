"""`iopkit rapport`: the annual report from a follow-up file (utfall)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .common import (
    date_option,
    force_option,
    formats_option,
    out_dir_option,
    reference_docx_option,
    templates_option,
)


def rapport(
    outcomes_file: Path = typer.Argument(
        ..., metavar="UTFALL", show_default=False,
        help="Uppföljningsfilen (.yaml med iopkit_utfall), som pekar på avtalet."),
    year: int | None = typer.Option(
        None, "--år", metavar="ÅR", show_default=False,
        help="Året som rapporten gäller (standard: det senaste året i filen). Tidigare år "
             "visas som jämförelse."),
    out_dir: Path = out_dir_option(),
    formats: list[str] = formats_option("docx,md"),
    force: bool = force_option(),
    templates_dir: Path = templates_option("arsrapport/02-mal.md.j2"),
    reference_docx: Path = reference_docx_option(),
    date_text: str = date_option("Rapportens"),
) -> None:
    """Skapa årsrapporten från uppföljningsfilen: utfallet per mål och indikator mot
    målvärdet år för år, deltagare och ideellt arbete, medlen per mottagare (beviljat,
    mottaget, använt, outnyttjat och vad som ska betalas tillbaka) och det som är sent
    eller saknas. För utfall.yaml som följer upp avtal.yaml skrivs
    avtal-arsrapport-ÅR.docx. Ingenting skrivs över utan --force.

    Slutstatus: 0 klart, 1 fel i uppföljningsfilen, avtalet eller en mall, 2 fel i
    anropet eller i filsystemet (till exempel en fil som redan finns).
    """
    from ...files import check_output_dir, make_output_dir
    from ...documents.arsrapport.context import write_report
    from ...dates import default_date, parse_date_option
    from ...render.pipeline import RenderOptions, parse_formats

    chosen = parse_formats(formats)
    date = parse_date_option(date_text) if date_text is not None else default_date()
    options = RenderOptions(templates_dir=templates_dir, reference_docx=reference_docx,
                            date=date, force=force)
    if out_dir is not None:
        check_output_dir(out_dir)
        make_output_dir(out_dir)
    from ...outcomes.check import check_outcomes_file
    from ...report import print_findings
    from .common import EXIT_INVALID, console, fail

    if outcomes_file.is_dir():
        fail(f"{outcomes_file} är en katalog. Ange en uppföljningsfil (.yaml).")
    checked = check_outcomes_file(outcomes_file, date)
    if checked.errors or checked.outcomes is None:
        err = console(stderr=True)
        print_findings(err, checked)
        err.print(f"Ingen årsrapport har skapats: rätta felen i {outcomes_file} först "
                  "(kör iopkit check för att se alla fel).", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    for path in write_report(outcomes_file, year, out_dir, chosen, options, date,
                             checked=checked):
        typer.echo(f"Skrev {path}", err=True)
    sys.stderr.flush()
