"""`iopkit new`: write a new spec for a common kind of IOP, optionally by asking questions."""

from __future__ import annotations

from pathlib import Path

import typer


def new(
    file: Path = typer.Argument(
        None, metavar="FIL", show_default=False,
        help="Filen som ska skapas, till exempel avtal.yaml."),
    typ: str = typer.Option(
        None, "--typ", "-t", metavar="TYP", show_default=False,
        help="Vilken sorts partnerskap filen ska förberedas för (se --lista). Standard: tom."),
    lista: bool = typer.Option(
        False, "--lista", help="Visa vilka typer som finns, med en kort beskrivning."),
    interaktiv: bool = typer.Option(
        False, "--interaktiv", "-i",
        help="Fråga efter de viktigaste uppgifterna (parter, kontaktpersoner, datum, "
             "belopp) och fyll i dem."),
    schema: bool = typer.Option(
        False, "--schema",
        help="Skriv också JSON Schemat iopkit.schema.json bredvid filen, för editorstöd."),
    force: bool = typer.Option(False, "--force", help="Skriv över filer som redan finns."),
) -> None:
    """Skapa en ny partnerskapsbeskrivning som förklarar sig själv.

    Filen går igenom `iopkit check` direkt, så att `iopkit render` fungerar med en gång.
    Rader som du behöver fylla i är märkta FYLL I; `iopkit check` visar var de står.
    Exempel: iopkit new avtal.yaml --typ dagverksamhet
    """
    from ...files import UsageProblem, write_set
    from ...scaffold import (
        DEFAULT_SCAFFOLD,
        SCHEMA_FILE_NAME,
        describe_placeholders,
        get_scaffold,
        interview,
        scaffold_list,
        scaffold_names,
        scaffold_text,
    )
    from .common import fail

    if lista:
        typer.echo("Typer för iopkit new --typ:")
        typer.echo(scaffold_list())
        return
    if file is None:
        fail("Ange filen som ska skapas, till exempel: iopkit new avtal.yaml --typ "
             "dagverksamhet. `iopkit new --lista` visar vilka typer som finns.")
    if typ is not None:
        get_scaffold(typ)
    if file.is_dir():
        raise UsageProblem(f"{file} är en katalog. Ange ett filnamn, till exempel "
                           f"{file / 'avtal.yaml'}.")
    if file.exists() and not force:
        raise UsageProblem(f"Filen {file} finns redan. Ingenting har skrivits. Använd "
                           "--force för att skriva över den, eller ange ett annat "
                           "filnamn.")
    schema_target, schema_text = None, ""
    if schema:
        from ...spec.schema import schema_json

        schema_target, schema_text = file.parent / SCHEMA_FILE_NAME, schema_json()
        if _same_content(schema_target, schema_text):
            schema_target = None  # already there and current: nothing to write
        elif schema_target.exists() and not force:
            raise UsageProblem(
                f"Filen {schema_target} finns redan men innehåller inte det aktuella "
                "schemat. Ingenting har skrivits. Använd --force för att skriva över "
                "den, eller skapa filen utan --schema.")

    if interaktiv:
        try:
            if typ is None:
                typ = _ask_type(scaffold_names(), DEFAULT_SCAFFOLD, scaffold_list())
            text = interview(
                scaffold_text(typ, file.name),
                ask=lambda prompt, default: typer.prompt(
                    prompt, default=default, show_default=bool(default)),
                say=typer.echo)
        except typer.Abort:
            typer.echo("", err=True)
            fail("Frågorna avbröts. Ingen fil har skrivits.")
    else:
        text = scaffold_text(typ or DEFAULT_SCAFFOLD, file.name)

    # Both or neither: a schema that cannot be written leaves no spec behind either.
    outputs = [(file, text)]
    if schema_target is not None:
        outputs.append((schema_target, schema_text))
    write_set(outputs, force)

    # The file is the output; what was written and what to do next are messages.
    typer.echo(f"Skrev {file}" + (f" och {schema_target}" if schema_target else "") + ".",
               err=True)
    typer.echo(describe_placeholders(text), err=True)
    typer.echo(f"Nästa steg: `iopkit check {file}` visar vad som återstår, och "
               f"`iopkit render {file}` skapar ett avtalsutkast.", err=True)


def _same_content(path: Path, text: str) -> bool:
    if not path.is_file():  # never open a FIFO or device: it would block or never end
        return False
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _ask_type(names: list[str], default: str, listing: str) -> str:
    typer.echo("Vilken sorts partnerskap gäller det?")
    typer.echo(listing)
    while True:
        answer = str(typer.prompt("Typ", default=default)).strip()
        if answer in names:
            return answer
        typer.echo(f"  \"{answer}\" finns inte. Skriv ett av namnen i listan ovan.")
