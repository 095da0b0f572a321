"""`iopkit serve`: the web editor on this computer only (see iopkit/serve)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def serve(
    file: Path = typer.Argument(
        None, metavar="FIL|KATALOG", show_default=False,
        help="Partnerskapsbeskrivningen som ska redigeras. Finns den inte skapas den när du "
             "sparar. Utan FIL kan du ladda ner YAML-filen från sidan. En KATALOG ger en "
             "lista över partnerskapen i den (som `iopkit oversikt`) att öppna."),
    typ: str = typer.Option(
        None, "--typ", "-t", metavar="TYP", show_default=False,
        help="Börja från en typ av partnerskap (samma typer som `iopkit new --lista`) när "
             "FIL inte finns. Utan --typ väljer du typ på sidan."),
    port: int = typer.Option(
        None, "--port", "-p", metavar="PORT", show_default=False, min=1, max=65535,
        help="Porten på 127.0.0.1. Standard: en ledig port."),
    no_browser: bool = typer.Option(
        False, "--ingen-webblasare",
        help="Öppna inte webbläsaren; öppna adressen som skrivs ut själv."),
) -> None:
    """Öppna webbredigeraren: ett formulär i webbläsaren för partnerskapsbeskrivningen.

    Servern svarar bara på den här datorn (127.0.0.1) och bara på adressen med den
    åtkomstnyckel som skrivs ut. Varje ändring kontrolleras med samma regler som
    `iopkit check`, och avtalsutkastet visas bredvid formuläret. Startad på en katalog
    visar sidan alla partnerskap i den (status, period, pengar, nästa frist, fel och
    varningar, stöd av mindre betydelse), och du öppnar ett i formuläret därifrån.
    Avsluta med Ctrl-C.
    Exempel: iopkit serve avtal.yaml, iopkit serve partnerskap/
    """
    from ...scaffold import get_scaffold
    from ...serve.directory import Directory
    from ...serve.server import bind, serve as run
    from ...serve.workspace import Workspace, check_startable
    from .common import fail

    if typ is not None:
        get_scaffold(typ)
    target: Workspace | Directory
    if file is not None and file.is_dir():
        if typ is not None:
            fail("--typ gäller en ny fil. Med en katalog väljer du typ på sidan när du "
                 "skapar ett nytt partnerskap.")
        target = Directory.open(file)
    else:
        if file is not None:
            check_startable(file)
            warn_if_temporary(file)
        target = Workspace(file, typ)
    try:
        sock = bind(port or 0)
    except OSError:
        fail(f"Porten {port} på 127.0.0.1 är upptagen eller inte tillåten. Välj en annan "
             "med --port, eller låt iopkit välja en ledig port.")

    if typ is not None and file is not None and file.exists():
        typer.echo(f"Obs: {file} finns redan och öppnas som den är; --typ används bara för "
                   "en ny fil.", err=True)

    def announce(address: str) -> None:
        # The address is the data a script reads (stdout); the rest is a message.
        typer.echo("Webbredigeraren är igång. Öppna adressen (den innehåller en "
                   "åtkomstnyckel; dela den inte):", err=True)
        typer.echo(f"    {address}")
        typer.echo("Avsluta med Ctrl-C.", err=True)
        sys.stdout.flush()

    try:
        run(target, sock, open_browser=not no_browser, announce=announce)
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a clean shutdown
        pass
    # uvicorn stops only on a signal (Ctrl-C or kill): either way the user interrupted it.
    # (typer would turn KeyboardInterrupt into a silent exit 130; say it in Swedish.)
    sys.stderr.write("Avbrutet.\n")
    raise typer.Exit(130)


TEMPORARY_WARNING = (
    "Obs: {file} ligger i en tillfällig mapp (till exempel en bilaga som du öppnat från "
    "Outlook). Det du sparar där kan försvinna utan förvarning. Spara filen i en vanlig "
    "mapp, till exempel Dokument, och öppna den därifrån.")


def warn_if_temporary(file: Path) -> None:
    from ...files import in_temporary_folder

    if in_temporary_folder(file):
        typer.echo(TEMPORARY_WARNING.format(file=file), err=True)
