"""Swedish wording for the parts of the help and usage errors that typer/click write.

Click's texts are English and not translatable through gettext in the copy typer ships,
so we replace the few that users meet. Every patch is guarded: if typer's internals
change, the CLI still works and those texts merely fall back to English.
"""

from __future__ import annotations

import re
import sys
from typing import Any


# English click messages and their Swedish wording; groups carry names and values over.
_MESSAGES: list[tuple[str, str]] = [
    (r"^No such option: (?P<a>\S+)(?: Did you mean (?P<b>\S+)\?)?$",
     "Flaggan {a} finns inte.{did_you_mean}"),
    (r"^No such option: (?P<a>\S+) \(Possible options: (?P<b>.*)\)$",
     "Flaggan {a} finns inte. Möjliga flaggor: {b}."),
    (r"^No such command '(?P<a>.*)'\.$", "Kommandot '{a}' finns inte."),
    (r"^Missing argument '(?P<a>.*)'\.$", "Argumentet {a} saknas."),
    (r"^Missing option '(?P<a>.*)'\.$", "Flaggan {a} saknas."),
    (r"^Missing command\.$", "Ange ett kommando."),
    (r"^Option '(?P<a>.*)' requires an argument\.$", "Flaggan {a} behöver ett värde."),
    (r"^Option '(?P<a>.*)' requires (?P<b>\d+) arguments\.$",
     "Flaggan {a} behöver {b} värden."),
    (r"^Option '(?P<a>.*)' does not take a value\.$", "Flaggan {a} tar inget värde."),
    (r"^Got unexpected extra arguments?(?:\(s\))? \((?P<a>.*)\)$",
     "Oväntade argument: {a}. Kommandot tar inte fler filer än hjälpen visar."),
    (r"^Invalid value for '(?P<a>[^']*)'.*?: (?:Value error, )?'(?P<b>.*)' is not one of "
     r"(?P<c>.*?)\.?$", "Ogiltigt värde för {a}: '{b}'. Välj ett av {c}."),
    (r"^Invalid value for '(?P<a>[^']*)'.*?: (?:Value error, )?'(?P<b>.*)' is not a valid "
     r"(?:integer|int).*$", "Ogiltigt värde för {a}: '{b}' är inte ett heltal."),
    (r"^Invalid value for '(?P<a>[^']*)'.*?: (?:Value error, )?(?P<b>.*)$",
     "Ogiltigt värde för {a}: {b}"),
]


# Details typer's pydantic-based parameter checks give after "Invalid value for X:".
_DETAILS: list[tuple[str, str]] = [
    (r"^Input should be greater than or equal to (?P<n>\S+)$", "värdet måste vara minst {n}."),
    (r"^Input should be greater than (?P<n>\S+)$", "värdet måste vara större än {n}."),
    (r"^Input should be less than or equal to (?P<n>\S+)$", "värdet får vara högst {n}."),
    (r"^Input should be a valid integer.*$", "ange ett heltal."),
    (r"^Input should be a valid number.*$", "ange ett tal."),
    (r"^Input should be a valid date.*$", "ange ett datum i formen ÅÅÅÅ-MM-DD."),
    (r"^(?:Path|File|Directory) '(?P<p>.*)' does not exist\.$", "{p} finns inte."),
]


def _translate_detail(detail: str) -> str:
    for pattern, swedish in _DETAILS:
        match = re.match(pattern, detail.strip())
        if match:
            return swedish.format(**match.groupdict())
    return detail


def translate_message(message: str) -> str:
    for pattern, swedish in _MESSAGES:
        match = re.match(pattern, message.strip(), re.DOTALL)
        if match:
            groups = {k: (v or "") for k, v in match.groupdict().items()}
            if pattern.endswith("(?P<b>.*)$"):
                groups["b"] = _translate_detail(groups["b"])
            suggestion = groups.get("b")
            groups["did_you_mean"] = f" Menade du {suggestion}?" if suggestion else ""
            return swedish.format(**groups)
    if message.strip().startswith(("Kommandot ", "Ange ett kommando", "Avbrutet")):
        return message  # already Swedish through _GETTEXT
    # Never English: a message we do not know gets a general Swedish one.
    return "Anropet kunde inte tolkas. Kontrollera flaggorna och argumenten."


def usage_error(exc: Any) -> None:
    """A click usage error as a plain two- or three-line Swedish message on stderr."""
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(f"Fel: {translate_message(exc.format_message())}")
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        lines.append(f"Skriv '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.")
    sys.stderr.write("\n".join(lines) + "\n")


# Type labels typer shows beside options; flags and arguments (whose name says it) get none.
_TYPE_WORDS = {"bool": None, "boolean": None, "Path": None, "path": None, "list[Path]": None,
               "str": "TEXT", "text": "TEXT", "int": "HELTAL", "integer": "HELTAL",
               "float": "TAL", "list[str]": "TEXT"}


def _swedish_type(label: Any) -> Any:
    if not isinstance(label, str):
        return label
    bare = label.strip("<>")
    if bare in _TYPE_WORDS:
        return _TYPE_WORDS[bare]
    return label


def _patch_typer_parameters() -> None:
    from typer import core as typer_core

    for cls_name in ("TyperArgument", "TyperOption"):
        cls = getattr(typer_core, cls_name, None)
        original = getattr(cls, "display_type_rich", None)
        if cls is None or original is None:
            continue

        def display_type_rich(self: Any, ctx: Any, _original: Any = original) -> Any:
            if getattr(self, "is_flag", False) and not getattr(self, "metavar", None):
                return None
            return _swedish_type(_original(self, ctx))

        cls.display_type_rich = display_type_rich

    argument = getattr(typer_core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "_usage_display_name"):
        def usage_name(self: Any) -> str:
            name = self.display_name_raw
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 else "")

        argument._usage_display_name = usage_name


# Section titles and notes typer's plain help formatter passes through gettext.
_GETTEXT = {
    "Arguments": "Argument",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "(dynamic)": "(beräknas)",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Ange ett kommando.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
}


def _gettext(message: str) -> str:
    return _GETTEXT.get(message, message)


def install() -> None:
    """Patch typer's plain (non-rich) help and error output to Swedish.

    We use the plain formatter on purpose: typer's rich help imports rich.markdown and
    markdown-it, which would cost more than the whole `iopkit --help` budget.
    """
    try:
        _patch_typer_parameters()
    except Exception:  # pragma: no cover - typer internals changed
        pass
    try:
        from typer._click import core as click_core
        from typer._click import formatting
    except Exception:  # pragma: no cover - typer that does not vendor click
        return
    original_write_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_write_usage(self, prog, args, "Användning: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    from typer import core as typer_core

    if hasattr(typer_core, "_"):
        typer_core._ = _gettext

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = "Visa den här hjälpen och avsluta."
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    original_pieces = click_core.Command.collect_usage_pieces
    usage_words = {"[OPTIONS]": "[FLAGGOR]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]..."}

    def collect_usage_pieces(self: Any, ctx: Any) -> list[str]:
        return [usage_words.get(piece, piece) for piece in original_pieces(self, ctx)]

    click_core.Command.collect_usage_pieces = collect_usage_pieces  # type: ignore[method-assign]


class Interrupted(Exception):
    """Ctrl-C inside a command. typer would turn KeyboardInterrupt into a silent exit 130;
    this passes it to the door instead, which says "Avbrutet."."""


def _door_class() -> Any:
    from typer.core import TyperGroup

    class IopkitGroup(TyperGroup):
        """The entry: click runs with standalone_mode=False and every exception it would
        print in English is caught here and said in Swedish."""

        def invoke(self, ctx: Any) -> Any:
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                raise Interrupted() from None

        def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
                 standalone_mode: bool = True, **extra: Any) -> Any:
            code = run_at_door(lambda: super(IopkitGroup, self).main(
                args, prog_name, complete_var, standalone_mode=False, **extra))
            if standalone_mode:
                sys.exit(code)
            return code

    return IopkitGroup


def run_at_door(call: Any) -> int:
    """Run the CLI and return its exit status: usage errors in Swedish (2), Ctrl-C (130),
    output that cannot be written, such as stdout on a full disk (2)."""
    from typer._click import exceptions as click_exceptions
    from typer.exceptions import Abort, Exit

    try:
        try:
            code = call()
        finally:
            _flush_stdout()
    except Exit as exc:
        code = exc.exit_code
    except click_exceptions.ClickException as exc:
        usage_error(exc)
        code = exc.exit_code
    except (Abort, Interrupted, KeyboardInterrupt):
        sys.stderr.write("\nAvbrutet.\n")
        code = 130
    except OSError as exc:
        from .files import describe_os_error

        if exc.filename:  # a path the user gave, e.g. a name over 255 bytes
            sys.stderr.write(f"Fel: {exc.filename} kan inte användas: "
                             f"{describe_os_error(exc)}. Kontrollera sökvägen.\n")
        else:  # writing to stdout, e.g. redirected to a full disk
            _silence_stdout()
            sys.stderr.write(f"Fel: utdata kunde inte skrivas: {describe_os_error(exc)}.\n")
        code = 2
    return code if isinstance(code, int) else 0


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's own flush at exit cannot fail again
    and print an English message."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass


IopkitGroup = _door_class()
