"""The command line: a thin door onto the library. Each command lives in iopkit/commands."""

from __future__ import annotations

import sys

import typer

from . import __version__
from .cli_sv import IopkitGroup
from .cli_sv import install as _install_swedish
from .commands import check as _check
from .commands import diff as _diff
from .commands import kalender as _kalender
from .commands import mallar as _mallar
from .commands import new as _new
from .commands import regler as _regler
from .commands import render as _render
from .commands import schema as _schema
from .commands import serve as _serve
from .commands import uppfoljning as _uppfoljning

_install_swedish()

app = typer.Typer(
    name="iopkit",
    cls=IopkitGroup,
    help=(
        "iopkit hjälper kommuner, regioner och idéburna organisationer att ta fram avtal "
        "om idéburet offentligt partnerskap (IOP): kontrollera en partnerskapsbeskrivning "
        "i YAML och skapa avtalsutkast och checklistor."
    ),
    no_args_is_help=True,
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
    options_metavar="[FLAGGOR]",
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"iopkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_show_version, is_eager=True,
        help="Visa versionen och avsluta."),
) -> None:
    """iopkit: avtal om idéburet offentligt partnerskap (IOP)."""


# In the order a user meets them; the short help is what `iopkit --help` lists.
app.command("new", short_help="Skapa en ny partnerskapsbeskrivning.")(_new.new)
app.command("check", short_help="Kontrollera beskrivningar: fel och varningar.")(_check.check)
app.command("render", short_help="Skapa avtalsutkast och checklista.")(_render.render)
app.command("serve", short_help="Webbredigeraren: formulär i webbläsaren.")(_serve.serve)
app.command("regler", short_help="Visa IOP-reglerna som check prövar.")(_regler.regler)
app.command("schema", short_help="JSON Schema för editorer.")(_schema.schema)
app.command("diff", short_help="Jämför två versioner; utkast till tillägg.")(_diff.diff)
app.command("kalender", short_help="Uppföljningsmöten som kalenderfil (.ics).")(
    _kalender.kalender)
app.command("uppfoljning", short_help="Mall för uppföljningsrapporten.")(
    _uppfoljning.uppfoljning)
app.command("mallar", short_help="Kopiera mallarna för att göra egna.")(_mallar.mallar)


def main() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        app(prog_name="iopkit")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("Avbrutet.\n")
        sys.exit(130)
    except Exception as exc:  # a bug in iopkit: say so plainly, without a traceback
        sys.stderr.write(
            "Internt fel i iopkit: " + type(exc).__name__ + ". Det här är ett fel i "
            "programmet, inte i din fil. Rapportera det gärna tillsammans med filen.\n")
        sys.exit(3)
