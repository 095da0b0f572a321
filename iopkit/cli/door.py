"""The door of the CLI: every way a run can end becomes a Swedish message and an exit status.

Click runs with standalone_mode=False, so its usage errors, typer's Exit and Abort,
Ctrl-C, iopkit's own errors (errors.py) and bugs all come back here:

- iopkit's errors: "Fel: <message>", the status from errors.exit_status (1, 2 or 130);
- click's usage errors: usage line, Swedish message, hint (2);
- Ctrl-C, and SIGTERM (a closed terminal, a stopped service): "Avbrutet." (130), after
  the `finally` blocks on the way have removed their temporary files;
- an OSError nobody turned into a message, such as stdout on a full disk (2);
- anything else is a bug: one Swedish line (3), with the traceback when IOPKIT_DEBUG=1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import typer

from ..errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, IopkitError, exit_status


def _click_exception(name: str) -> type[Exception]:
    """Click's exception classes without importing click's private copy inside typer:
    typer's public BadParameter derives from them (click.BadParameter -> UsageError ->
    ClickException). Raises at import if that ever changes, so the tests fail at once."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name:
            return cls
    raise ImportError(f"typer.BadParameter does not derive from click's {name}")


ClickException = _click_exception("ClickException")
ClickUsageError = _click_exception("UsageError")

INTERNAL_ERROR = ("Internt fel i iopkit: {name}. Det här är ett fel i programmet, inte i "
                  "din fil. Rapportera det gärna tillsammans med filen.")


def debugging() -> bool:
    """IOPKIT_DEBUG=1 (or any value but 0 and empty) shows the traceback of a bug."""
    return os.environ.get("IOPKIT_DEBUG", "") not in ("", "0")


def run_at_door(call: Callable[[], Any]) -> int:
    """Run the CLI and return its exit status; nothing but Swedish reaches the user, and
    it reaches them through streams.SafeStream (control characters escaped, what the
    encoding lacks replaced, a closed or broken stream silent)."""
    from ..streams import safe_streams

    with safe_streams(), _sigterm_as_interrupt():
        return _run(call)


def _run(call: Callable[[], Any]) -> int:
    from .help_sv import usage_error

    try:
        try:
            code = call()
        finally:
            _flush_stdout()
    except typer.Exit as exc:
        code = exc.exit_code
    except IopkitError as exc:
        sys.stderr.write(("\n" if exit_status(exc) == EXIT_INTERRUPTED else "Fel: ")
                         + f"{exc}\n")
        code = exit_status(exc)
    except ClickException as exc:
        usage_error(exc)
        code = int(getattr(exc, "exit_code", EXIT_USAGE))
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("\nAvbrutet.\n")
        code = EXIT_INTERRUPTED
    except OSError as exc:
        code = _os_error(exc)
    except Exception as exc:  # a bug in iopkit: say so plainly; the traceback on request
        if debugging():
            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(INTERNAL_ERROR.format(name=type(exc).__name__) + "\n")
        code = EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _os_error(exc: OSError) -> int:
    from ..files import describe_os_error

    if exc.filename:  # a path the user gave, e.g. a name over 255 bytes
        sys.stderr.write(f"Fel: {exc.filename} kan inte användas: "
                         f"{describe_os_error(exc)}. Kontrollera sökvägen.\n")
    else:  # writing to stdout, e.g. redirected to a full disk
        _silence_stdout()
        sys.stderr.write(f"Fel: utdata kunde inte skrivas: {describe_os_error(exc)}.\n")
    return EXIT_USAGE


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's own flush at exit cannot fail again
    and print an English message."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the main thread, as Ctrl-C does, so every
    `finally` and `except BaseException` on the way cleans up (staged temporary files,
    locks) before the run ends with "Avbrutet."; Python's default would end at once."""
    if threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGTERM"):
        yield
        return

    main_pid = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:  # a forked worker (render -j): end as usual
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
