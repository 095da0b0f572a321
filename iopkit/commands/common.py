"""Helpers shared by the commands: consoles, usage failures, checking many files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


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
    """Print a one-line Swedish error on stderr and exit (2: usage or I/O problem)."""
    sys.stderr.write(f"Fel: {message}\n")
    raise typer.Exit(code)


def check_paths(paths: list[Path], settings: Any = None):
    """Check every spec among `paths` (directories expanded). Returns results (findings
    only) and (file, message) pairs for files that could not be read at all."""
    from ..check import check_file
    from ..files import UsageProblem, expand_spec_paths
    from ..spec.loader import SpecIOError

    try:
        files = expand_spec_paths(paths)
    except UsageProblem as exc:
        fail(str(exc))
    results, io_problems = [], []
    for file in files:
        try:
            result = check_file(file, settings)
            # Only the findings are reported; keeping every parsed spec would make memory
            # grow with the size of the batch.
            result.spec = result.document = None
            results.append(result)
        except SpecIOError as exc:
            io_problems.append((str(file), str(exc)))
    return results, io_problems
