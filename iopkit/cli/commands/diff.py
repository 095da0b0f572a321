"""`iopkit diff`: what changed between two versions of a partnership, in Swedish."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import typer

from .common import (
    EXIT_INVALID,
    EXIT_OK,
    fail,
    load_valid_results,
    reference_docx_option,
    templates_option,
)


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    docx = "docx"


def diff(
    old_file: Path = typer.Argument(
        ..., metavar="GAMMAL", show_default=False,
        help="Den tidigare versionen av partnerskapsbeskrivningen (.yaml)."),
    new_file: Path = typer.Argument(
        ..., metavar="NY", show_default=False,
        help="Den nya versionen av partnerskapsbeskrivningen (.yaml)."),
    output_format: DiffFormat = typer.Option(
        DiffFormat.text, "--format", "-f", case_sensitive=False,
        help="text: en läsbar lista över ändringarna. md eller docx: ett utkast till "
             "tillägg till avtalet (\"Ändringar och tillägg\") att skriva under."),
    output: Path = typer.Option(
        None, "--output", "-o", metavar="FIL", show_default=False,
        help="Filen att skriva. Standard för md och docx: NY-tillagg.md eller "
             "NY-tillagg.docx bredvid NY; text visas annars på skärmen."),
    number: int = typer.Option(
        1, "--nummer", "-n", min=1, metavar="N",
        help="Tilläggets nummer: \"Tillägg nr N till avtal om …\"."),
    date: str = typer.Option(
        None, "--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
        help="Utkastets datum (md och docx). Standard: SOURCE_DATE_EPOCH om den är satt, "
             "annars dagens datum."),
    tracked: bool = typer.Option(
        False, "--spårade-ändringar",
        help="Med --format docx: skriv hela det nya avtalet med varje skillnad mot det "
             "gamla som spårade ändringar i Word (Granska > Godkänn alla ger det nya avtalet, "
             "Avvisa alla det gamla). Standardnamn: NY-avtal-andringar.docx."),
    templates_dir: Path = templates_option("tillagg/04-andringar.md.j2"),
    reference_docx: Path = reference_docx_option(),
    effective: str = typer.Option(
        None, "--gäller-från", "--galler-fran", metavar="ÅÅÅÅ-MM-DD", show_default=False,
        help="Dagen då ändringarna börjar gälla (md och docx). Standard: dagen efter det "
             "senaste beslutet i den nya versionens process.beslut, om det är senare än "
             "besluten i den gamla; annars dagen efter att alla parter har undertecknat."),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil."),
    exit_code: bool = typer.Option(
        False, "--exit-code",
        help="Avsluta med status 1 om det finns ändringar och 0 om det inte gör det, "
             "som git diff --exit-code (för skript)."),
) -> None:
    """Visa vad som har ändrats mellan två versioner av ett partnerskap.

    Jämför i sak, inte rad för rad: parter, belopp per part och totalt (med
    skillnaden), datum och avtalsperiod, mål, indikatorer, insatser och villkor som
    har lagts till, tagits bort eller fått ny lydelse. Med --format md eller docx
    skrivs ändringarna som ett utkast till tillägg till avtalet: varje ändring som en
    numrerad punkt som anger vilken paragraf i avtalet den ändrar och från vilken dag
    den gäller, underskrifter för alla firmatecknare i den nya versionen och till sist
    anmärkningarna från iopkit check på den nya versionen. Med --format docx
    --spårade-ändringar skrivs i stället hela det nya avtalet med ändringarna som
    spårade ändringar i Word.

    Slutstatus: 0 klart (med eller utan ändringar; se --exit-code), 1 fel i någon av
    filerna, 2 fel i anropet eller en fil som inte kan läsas eller skrivas.
    """
    from ...documents.tillagg.context import default_effective_date, finding_lines
    from ...diff import NO_CHANGES, count_text, diff_specs, render_text
    from ...files import check_can_write, portable_name, write_atomic
    from ...dates import default_date, parse_date_option

    # Decided once: mypy narrows an enum wrongly across the `and` tests below.
    is_docx = output_format is DiffFormat.docx
    is_text = output_format is DiffFormat.text
    if tracked and not is_docx:
        fail("--spårade-ändringar ger ett Word-dokument: ange också --format docx.")
    if templates_dir is not None and is_text:
        fail("--mallar används bara med --format md eller docx.")
    if reference_docx is not None and not is_docx:
        fail("--referens-docx används bara med --format docx.")
    draft_date = effective_date = None
    options = None
    if not is_text:
        from ...render.pipeline import RenderOptions, validate_options

        draft_date = parse_date_option(date) if date is not None else default_date()
        options = RenderOptions(templates_dir=templates_dir,
                                reference_docx=reference_docx, date=draft_date)
        for note in validate_options(options, ["docx"]):
            typer.echo(note, err=True)
        if effective is not None:
            effective_date = parse_date_option(effective, "--gäller-från")
    old_result, new_result = load_valid_results([old_file, new_file])
    old, new = old_result.spec, new_result.spec
    findings = finding_lines(new_result)
    changes = diff_specs(old, new)
    status = EXIT_INVALID if exit_code and changes else EXIT_OK

    if is_text:
        text = render_text(changes, str(old_file), str(new_file), findings=findings)
        if output is None:
            typer.echo(text, nl=False)
            raise typer.Exit(status)
        data: bytes | str = text
    else:
        if not changes:
            what = "Inget dokument" if tracked else "Inget tillägg"
            typer.echo(f"{NO_CHANGES} {what} har skrivits.", err=True)
            raise typer.Exit(status)
        if output is None:
            suffix = "avtal-andringar" if tracked else "tillagg"
            output = new_file.with_name(
                f"{portable_name(new_file.stem)}-{suffix}.{output_format.value}")
        if tracked:
            data = _tracked_docx(old_result, new_result, options)
        else:
            data = _annex(changes, old, new, number, output_format, options,
                          effective_date or default_effective_date(old, new), findings)
    check_can_write([output], force, inputs=[old_file, new_file])
    write_atomic(output, data, force=force)
    how = ", som spårade ändringar" if tracked else ""
    typer.echo(f"Skrev {output} ({count_text(changes)}{how}).", err=True)
    raise typer.Exit(status)


def _tracked_docx(old: Any, new: Any, options: Any) -> bytes:
    from ...render.pipeline import tracked_agreement

    return tracked_agreement(old, new, options)


def _annex(changes: Any, old: Any, new: Any, number: int, output_format: DiffFormat,
           options: Any, effective: Any, findings: list[str]) -> bytes:
    """The annex (document kind `tillagg`) as Markdown or Word."""
    from ...documents.tillagg.context import render_annex
    from ...render.pipeline import document_outputs

    document = render_annex(changes, old, new, number, options.date,
                            effective=effective, findings=findings, options=options)
    fmt = output_format.value
    ((_, data),) = document_outputs(document, [Path(f"tillagg.{fmt}")], [fmt], options)
    assert isinstance(data, bytes)
    return data
