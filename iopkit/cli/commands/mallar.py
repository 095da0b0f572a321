"""`iopkit mallar`: copy the built-in templates and the Word base document out to edit."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import fail, force_option


def mallar(
    directory: Path = typer.Argument(
        ..., metavar="KATALOG", show_default=False,
        help="Katalogen som mallarna kopieras till. Den skapas om den inte finns."),
    force: bool = force_option(),
) -> None:
    """Kopiera de inbyggda mallarna och Word-grunden till en katalog att redigera.

    Varje dokument får en underkatalog (avtal, checklista, tjansteskrivelse,
    uppfoljning, tillagg) med en mall per avsnitt, Word-grunden (formatmallar,
    sidhuvud och sidfot) skrivs som grund.docx och PDF-filens husstil (teckensnitt,
    färger, marginaler, logotyp) som typst/stil.toml, med en exempellogotyp bredvid.
    Ändra det ni vill, ta gärna bort de mallar ni inte ändrar, och använd dem med
    iopkit render avtal.yaml --mallar KATALOG --referens-docx KATALOG/grund.docx
    (PDF-filen följer då grund.docx; utan --referens-docx följer den stil.toml).
    Ingenting skrivs över utan --force.

    Slutstatus: 0 klart, 2 fel i anropet eller i filsystemet (till exempel en fil som
    redan finns).
    """
    from ...files import UsageProblem
    from ...render.template_export import export_templates

    try:
        written = export_templates(directory, force)
    except UsageProblem as exc:
        fail(str(exc))
    typer.echo(f"Skrev {len(written)} filer i {directory}. Använd dem med --mallar "
               f"{directory} och --referens-docx {directory / 'grund.docx'}. PDF-filens "
               f"husstil står i {directory / 'typst' / 'stil.toml'}.", err=True)
