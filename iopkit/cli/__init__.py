"""The command line: a thin door onto the library. Each command lives in iopkit/cli/commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer

from .. import __version__
from .help_sv import IopkitCommand, IopkitGroup
from .commands import check as _check
from .commands import diff as _diff
from .commands import kalender as _kalender
from .commands import mallar as _mallar
from .commands import new as _new
from .commands import oversikt as _oversikt
from .commands import rapport as _rapport
from .commands import regler as _regler
from .commands import render as _render
from .commands import schema as _schema
from .commands import serve as _serve
from .commands import uppfoljning as _uppfoljning


class IopkitApp(IopkitGroup):
    """The door (door.py) around the whole run, with click in standalone_mode=False so
    that every exception it would print in English comes back to the door."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        from .door import run_at_door

        code = run_at_door(lambda: super(IopkitApp, self).main(
            args, prog_name, complete_var, standalone_mode=False,
            windows_expand_args=windows_expand_args, **extra))
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="iopkit",
    cls=IopkitApp,
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
COMMANDS = (
    ("new", "Skapa en ny partnerskapsbeskrivning.", _new.new),
    ("check", "Kontrollera beskrivningar: fel och varningar.", _check.check),
    ("render", "Skapa avtalsutkast och checklista.", _render.render),
    ("serve", "Webbredigeraren: formulär i webbläsaren.", _serve.serve),
    ("regler", "Visa IOP-reglerna som check prövar.", _regler.regler),
    ("schema", "JSON Schema för editorer.", _schema.schema),
    ("diff", "Jämför två versioner; utkast till tillägg.", _diff.diff),
    ("kalender", "Uppföljningsmöten som kalenderfil (.ics).", _kalender.kalender),
    ("uppfoljning", "Mall för uppföljningsrapporten.", _uppfoljning.uppfoljning),
    ("rapport", "Årsrapport från uppföljningsfilen.", _rapport.rapport),
    ("oversikt", "Alla partnerskap: register, frister, de minimis.", _oversikt.oversikt),
    ("mallar", "Kopiera mallarna för att göra egna.", _mallar.mallar),
)
for _name, _short_help, _function in COMMANDS:
    app.command(_name, short_help=_short_help, cls=IopkitCommand)(_function)


def main() -> None:
    """Console entry point. The door (door.py) turns every ending into a Swedish message
    and an exit status; it also guards building the command from the functions above."""
    from .door import run_at_door

    sys.exit(run_at_door(lambda: app(prog_name="iopkit", standalone_mode=False)))


def serve_main() -> None:
    """`iopkit-serve FIL`: the web editor on one file, for a double-click or "Öppna med"
    (Windows passes the file as the only argument). A console window opened just for
    this closes at once, so after a failure it waits for Enter."""
    from .door import run_at_door

    code = run_at_door(lambda: app(args=["serve", *sys.argv[1:]], prog_name="iopkit-serve",
                                   standalone_mode=False))
    if code not in (0, 130) and sys.platform == "win32" and sys.stdin is not None \
            and sys.stdin.isatty():
        try:
            input("Tryck Enter för att stänga fönstret.")
        except (EOFError, OSError, KeyboardInterrupt):
            pass
    sys.exit(code)
