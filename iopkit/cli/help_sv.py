"""Swedish help pages and usage errors, by subclassing typer's public command classes.

Click's texts are English and not translatable through gettext in the copy typer ships.
Instead of patching click or typer, `IopkitCommand` and `IopkitGroup` write the whole
help page themselves (usage line, sections, option rows, defaults and ranges) from the
parameters' public attributes, and the door (door.py) translates click's usage errors
with `translate_message`. A typer or click upgrade that changes these attributes makes
the tests fail (every command's help and usage errors are checked for English); it
cannot silently turn the CLI English.

We write plain help on purpose: typer's rich help imports rich.markdown and markdown-it,
which would cost more than the whole `iopkit --help` budget.
"""

from __future__ import annotations

import re
import sys
from enum import Enum
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import EXIT_USAGE, Interrupted

HELP_OPTION_TEXT = "Visa den här hjälpen och avsluta."
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."

# English click messages and their Swedish wording; groups carry names and values over.
_MESSAGES: list[tuple[str, str]] = [
    # Click's wording varies between versions: "No such option: --x" or "No such option
    # '--x'.", typer's and click's "Did you mean" both, or one of them.
    (r"^No such option:? '?(?P<a>[^'\s]+?)'?\.?(?: Did you mean (?P<b>\S+?)\?)?$",
     "Flaggan {a} finns inte.{did_you_mean}"),
    (r"^No such option:? '?(?P<a>[^'\s]+?)'?\.? \(Possible options: (?P<b>.*)\)$",
     "Flaggan {a} finns inte. Möjliga flaggor: {b}."),
    (r"^No such command '(?P<a>.*?)'\.(?: Did you mean (?P<b>[^?]*)\?)?"
     r"(?: \(Did you mean one of: (?P<c>[^?]*)\?\))?$",
     "Kommandot '{a}' finns inte.{did_you_mean}"),
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


# Details typer's parameter checks give after "Invalid value for X:" (pydantic-based in
# typer 0.28 and later, click's own wording before).
_DETAILS: list[tuple[str, str]] = [
    (r"^Input should be greater than or equal to (?P<n>\S+)$", "värdet måste vara minst {n}."),
    (r"^Input should be greater than (?P<n>\S+)$", "värdet måste vara större än {n}."),
    (r"^Input should be less than or equal to (?P<n>\S+)$", "värdet får vara högst {n}."),
    (r"^Input should be a valid integer.*$", "ange ett heltal."),
    (r"^Input should be a valid number.*$", "ange ett tal."),
    (r"^Input should be a valid date.*$", "ange ett datum i formen ÅÅÅÅ-MM-DD."),
    (r"^(?P<v>-?\d+) is not in the range x>=(?P<n>-?\d+)\.?$", "värdet måste vara minst {n}."),
    (r"^(?P<v>-?\d+) is not in the range x<=(?P<n>-?\d+)\.?$", "värdet får vara högst {n}."),
    (r"^(?P<v>-?\d+) is not in the range (?P<a>-?\d+)<=x<=(?P<b>-?\d+)\.?$",
     "värdet måste vara mellan {a} och {b}."),
    (r"^(?:Path|File|Directory) '(?P<p>.*)' does not exist\.$", "{p} finns inte."),
]


def _translate_detail(detail: str) -> str:
    for pattern, swedish in _DETAILS:
        match = re.match(pattern, detail.strip())
        if match:
            return swedish.format(**match.groupdict())
    return detail


def _alternatives(text: str) -> str:
    """"'check', 'schema'" -> "'check' eller 'schema'"."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]


def translate_message(message: str) -> str:
    """Click's English usage message in Swedish; an unknown one gets a general Swedish
    sentence, never English."""
    for pattern, swedish in _MESSAGES:
        match = re.match(pattern, message.strip(), re.DOTALL)
        if match:
            groups = {k: (v or "") for k, v in match.groupdict().items()}
            if pattern.endswith("(?P<b>.*)$"):
                groups["b"] = _translate_detail(groups["b"])
            suggestion = groups.get("b") or groups.get("c")
            groups["did_you_mean"] = (f" Menade du {_alternatives(suggestion)}?"
                                      if suggestion else "")
            return swedish.format(**groups)
    return "Anropet kunde inte tolkas. Kontrollera flaggorna och argumenten."


def usage_error(exc: Any) -> None:
    """A click usage error as a plain two- or three-line Swedish message on stderr."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(f"Fel: {translate_message(exc.format_message())}")
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        lines.append(f"Skriv '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.")
    sys.stderr.write("\n".join(lines) + "\n")


# --- The help page ----------------------------------------------------------------------

# Type names for options without a metavar (the commands give one to nearly all).
_TYPE_WORDS = {"integer": "HELTAL", "int": "HELTAL", "float": "TAL", "text": "TEXT",
               "str": "TEXT", "path": "SÖKVÄG", "date": "ÅÅÅÅ-MM-DD"}


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _bounds(param: Any) -> tuple[Any, Any]:
    """min and max of a numeric parameter: attributes of the parameter itself in typer
    0.28 and later, of its click type (IntRange) in 0.26 and 0.27."""
    kind = getattr(param, "type", None)
    low = getattr(param, "min", None)
    high = getattr(param, "max", None)
    if low is None and high is None and kind is not None:
        low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    return low, high


def _choices(param: Any) -> list[str] | None:
    if isinstance(param.default, Enum):
        return [str(member.value) for member in type(param.default)]
    choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(c.value if isinstance(c, Enum) else c) for c in choices] if choices else None


def _metavar(param: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    choices = _choices(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    kind = getattr(param, "type", None)
    kind_name = str(getattr(kind, "name", "") or "").lower()
    return _TYPE_WORDS.get(kind_name, "VÄRDE")


def _argument_name(param: Any) -> str:
    return str(param.metavar or (param.name or "").upper())


def _argument_usage(param: Any) -> str:
    name = _argument_name(param)
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def _extras(param: Any) -> list[str]:
    """What goes in brackets after an option's help: default, range, required."""
    extras = []
    default = param.default
    is_flag = getattr(param, "is_flag", False)
    if (getattr(param, "show_default", None) is not False and default is not None
            and not is_flag and not callable(default) and default not in ("", [], ())):
        shown = default.value if isinstance(default, Enum) else default
        extras.append(f"standard: {shown}")
    low, high = _bounds(param)
    if low is not None and high is not None:
        extras.append(f"{low}–{high}")
    elif low is not None:
        extras.append(f"minst {low}")
    elif high is not None:
        extras.append(f"högst {high}")
    if param.required:
        extras.append("krävs")
    return extras


def _with_extras(help_text: str, extras: list[str]) -> str:
    if not extras:
        return help_text
    return f"{help_text}  [{'; '.join(extras)}]".strip()


def _option_record(param: Any) -> tuple[str, str]:
    def names(opts: list[str]) -> str:
        # Short forms first, as click does: "-o, --utkatalog".
        return ", ".join(sorted(opts, key=lambda opt: len(opt) - len(opt.lstrip("-"))))

    text = names(list(param.opts))
    if param.secondary_opts:
        text += " / " + names(list(param.secondary_opts))
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        text += " " + _metavar(param)
    return text, _with_extras(getattr(param, "help", None) or "", _extras(param))


def _argument_record(param: Any) -> tuple[str, str] | None:
    help_text = getattr(param, "help", None)
    if not help_text:
        return None
    extras = ["krävs"] if param.required else []
    return _argument_name(param), _with_extras(help_text, extras)


class _SwedishHelp:
    """Help page, usage line and help option in Swedish; mixed into typer's classes."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [OPTIONS_METAVAR]
        pieces += [_argument_usage(p) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                   if _is_argument(p)]
        return pieces

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Användning: ")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)  # type: ignore[attr-defined]
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)  # type: ignore[attr-defined]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        params = [p for p in self.get_params(ctx)  # type: ignore[attr-defined]
                  if not getattr(p, "hidden", False)]
        arguments = [r for r in (_argument_record(p) for p in params if _is_argument(p))
                     if r is not None]
        options = [_option_record(p) for p in params if not _is_argument(p)]
        for title, rows in (("Argument", arguments), ("Flaggor", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class IopkitCommand(_SwedishHelp, TyperCommand):
    """Every iopkit command: Swedish help (pass as `cls=` to `app.command`)."""


class IopkitGroup(_SwedishHelp, TyperGroup):
    """The entry: Swedish help with the list of commands. The door around the whole run
    is added by cli.IopkitApp (this module sits below the door, which uses its
    usage_error)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [OPTIONS_METAVAR, SUBCOMMAND_METAVAR]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=formatter.width)))
        if rows:
            with formatter.section("Kommandon"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # `iopkit` alone: the help, as a usage message on stderr (exit 2). Click 8.2
        # raises NoArgsIsHelpError here and older click printed the help and exited 0;
        # deciding it here keeps the behaviour the same on every version.
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            sys.stderr.write(ctx.get_help() + "\n")
            raise typer.Exit(EXIT_USAGE)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        # typer turns KeyboardInterrupt into a silent exit 130; pass it to the door,
        # which says "Avbrutet.".
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None
