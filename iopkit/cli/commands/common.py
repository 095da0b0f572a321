"""Helpers shared by the commands: consoles, usage failures, checking many files.

Commands let iopkit's errors (errors.py) pass: the door (door.py) prints them and maps
them to exit codes. A command's own complaint goes through `fail`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

# The statuses commands end with, re-exported for them.
from ...errors import EXIT_INVALID as EXIT_INVALID
from ...errors import EXIT_OK as EXIT_OK
from ...errors import EXIT_USAGE as EXIT_USAGE
from ...errors import UsageError, UserInputError

if TYPE_CHECKING:
    from ...spec.findings import CheckResult


def console(stderr: bool = False) -> Any:
    from ...streams import safe_console

    return safe_console(stderr=stderr, highlight=False, soft_wrap=True)


class PlainConsole:
    """The few Console.print features the commands use, as plain text. Used when output
    is not a terminal (editors, CI, scripts): no colours are wanted there, and not
    importing rich saves a noticeable part of `iopkit check`'s start-up."""

    is_terminal = False

    def __init__(self, stream: Any):
        self.stream = stream

    def print(self, *objects: Any, end: str = "\n", **_: Any) -> None:
        self.stream.write(" ".join(str(o) for o in objects) + end)


def output_console(stderr: bool = False) -> Any:
    """A rich Console on a terminal, else plain text: for findings and file lists."""
    stream = sys.stderr if stderr else sys.stdout
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return console(stderr) if terminal else PlainConsole(stream)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Stop the command with a one-line Swedish error: a usage or I/O problem (exit 2),
    or with code=EXIT_INVALID a problem in what the user wrote (exit 1)."""
    raise (UserInputError if code == EXIT_INVALID else UsageError)(message)


def check_paths(paths: list[Path], settings: Any = None, today: Any = None,
                ) -> tuple[list["CheckResult"], list[tuple[str, str]]]:
    """Check every spec and follow-up file among `paths` (directories expanded). Returns
    results (findings only) and (file, message) pairs for files that could not be read
    at all. `today` decides which follow-up years have passed."""
    from ...check import check_any_file
    from ...files import expand_spec_paths
    from ...spec.findings import CheckResult
    from ...spec.loader import SpecIOError

    files = expand_spec_paths(paths)
    results: list[CheckResult] = []
    io_problems: list[tuple[str, str]] = []
    for file in files:
        try:
            result = check_any_file(file, settings, today)
            # Only the findings are reported; keeping every parsed spec would make memory
            # grow with the size of the batch.
            result.spec = result.document = None
            results.append(result)
        except SpecIOError as exc:
            io_problems.append((str(file), str(exc)))
    return results, io_problems


# Options shared by the commands that write documents (render, uppfoljning), so that
# they read and behave the same everywhere.


def out_dir_option() -> Any:
    return typer.Option(
        None, "--utkatalog", "-o", metavar="KATALOG", show_default=False,
        help="Skriv filerna här i stället för bredvid beskrivningen. Katalogen skapas om den inte "
             "finns.")


def formats_option(example: str) -> Any:
    return typer.Option(
        None, "--format", "-f", metavar="FORMAT", show_default=False,
        help="docx (standard), md, html eller pdf (PDF/A och PDF/UA, se --pdf-motor). Ange "
             f"flaggan flera gånger eller med komma: --format {example}.")


def pdf_engine_option() -> Any:
    return typer.Option(
        None, "--pdf-motor", metavar="MOTOR", show_default=False,
        help="Hur PDF-filen skapas: typst (standard, inbyggt, inget annat program behövs) "
             "eller libreoffice (från Word-filen, med formatmallarna i --referens-docx; "
             "kräver LibreOffice). Standard med --referens-docx: libreoffice.")


def force_option() -> Any:
    return typer.Option(False, "--force", help="Skriv över filer som redan finns.")


def verbose_option() -> Any:
    return typer.Option(
        False, "--utförligt", "-v",
        help="Visa varje anmärkning för sig, också när samma regel ger många.")


def templates_option(example: str) -> Any:
    return typer.Option(
        None, "--mallar", metavar="KATALOG", show_default=False,
        help="Katalog med egna mallar som ersätter de inbyggda med samma namn, till exempel "
             f"KATALOG/{example}.")


def reference_docx_option() -> Any:
    return typer.Option(
        None, "--referens-docx", metavar="FIL", show_default=False,
        help="Ett eget Word-dokument (.docx eller .dotx) vars formatmallar, sidhuvud och "
             "sidfot används, till exempel organisationens brevmall.")


def date_option(whose: str) -> Any:
    return typer.Option(
        None, "--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
        help=f"{whose} datum. Standard: SOURCE_DATE_EPOCH om den är satt, annars dagens "
             "datum.")


def load_valid_specs(paths: list[Path]) -> list[Any]:
    """Check every file; return their `Spec`s when all are valid (see
    `load_valid_results`)."""
    return [result.spec for result in load_valid_results(paths)]


def load_valid_results(paths: list[Path]) -> list[Any]:
    """Check every file; return their `CheckResult`s when all are valid.

    A file that cannot be read: a Swedish error, exit 2. A file with errors: its
    findings exactly as `iopkit check` prints them (on stderr, since stdout may be the
    command's output), then exit 1 with nothing produced. Warnings do not stop.
    """
    from ...check import check_file
    from ...report import print_findings

    results = []
    for path in paths:
        if path.is_dir():
            fail(f"{path} är en katalog. Ange en partnerskapsbeskrivning (.yaml).")
        results.append(check_file(path))
    failed = [r for r in results if r.errors or r.spec is None]
    if failed:
        err = console(stderr=True)
        for result in failed:
            print_findings(err, result)
        names = ", ".join(r.file for r in failed)
        err.print(f"Ingenting har skapats: rätta felen i {names} först "
                  "(kör iopkit check för att se alla fel).", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    return results
