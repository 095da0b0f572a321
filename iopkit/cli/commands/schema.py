"""`iopkit schema`: the JSON Schema of the format, for editors' completion and help."""

from __future__ import annotations

from pathlib import Path

import typer


def schema(
    output: Path = typer.Option(
        None, "--output", "-o", metavar="FIL",
        help="Skriv schemat till en fil i stället för att visa det."),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil."),
) -> None:
    """Skriv ut ett JSON Schema för formatet, så att en editor kan föreslå nycklar och
    visa hjälptexter (till exempel VS Code med YAML-tillägget)."""
    from ...files import write_atomic
    from ...spec.schema import schema_json

    text = schema_json()
    if output is None:
        typer.echo(text)
        return
    write_atomic(output, text, force=force)
    typer.echo(f"Skrev {output}.", err=True)
