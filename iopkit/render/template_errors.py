"""A Swedish message for an error in a template: which template (the user's file under
`--mallar`, or "den inbyggda mallen avtal/03-bakgrund.md.j2"), which line, and what is
wrong in words a template writer understands, for Jinja's syntax errors, unknown names,
the sandbox's refusals and limits, and errors while a template runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..files import describe_os_error
from .sandbox import TemplateLimit, TemplateRefused
from .templates import SUFFIX, builtin_dir, builtin_folders, builtin_name


def _display_name(env: Any, filename: str | None, name: str | None) -> str:
    """How a template is named in a message: "mallen <the user's path>" or "den inbyggda
    mallen avtal/03-bakgrund.md.j2"."""
    if filename:
        path = Path(filename).resolve()
        user_dir = getattr(env, "iopkit_user_dir", None)
        if user_dir is not None:
            try:
                return f"mallen {Path(user_dir) / path.relative_to(Path(user_dir).resolve())}"
            except ValueError:
                pass
        builtin = builtin_name(path)
        return f"den inbyggda mallen {builtin}" if builtin else f"mallen {filename}"
    return f"mallen {name or '<okänd>'}"


def _template_frame(env: Any, exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback (Jinja rewrites frames so
    they carry the template's file name and line)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    roots = [str(builtin_dir(folder)) for folder in builtin_folders()]
    user_dir = getattr(env, "iopkit_user_dir", None)
    if user_dir is not None:
        roots.append(str(Path(user_dir)))
        roots.append(str(Path(user_dir).resolve()))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(SUFFIX) or any(filename.startswith(r) for r in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def describe_error(env: Any, name: str, exc: BaseException) -> str:
    """A Swedish one-paragraph message: which template, which line, what is wrong."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, TemplateSyntaxError):
        where = _display_name(env, exc.filename, exc.name or name)
        line: int | None = exc.lineno
        what = "syntaxfel: " + _syntax_message(exc.message or str(exc))
    else:
        filename, line = _template_frame(env, exc)
        if filename is None:
            filename = _filename_of(env, name)
        where = _display_name(env, filename, name)
        if isinstance(exc, TemplateRefused) and filename == _filename_of(env, name) and \
                exc.name == name:
            what = f"mallen får inte läsas: {exc.why}."
            user_dir = getattr(env, "iopkit_user_dir", None)
            if user_dir is not None:
                where = f"mallen {Path(user_dir) / name}"
        elif isinstance(exc, TemplateRefused):
            what = (f"mallen får inte hämta {exc.name!s}: {exc.why}. Mallar kan bara läsa "
                    "filer i sin egen mallkatalog.")
        elif isinstance(exc, TemplateLimit):
            what = (f"mallen går över en gräns för mallar: {exc}. Gränserna skyddar mot "
                    "mallar som tar orimligt lång tid eller mycket minne (se README, "
                    "\"Gränser\").")
        elif isinstance(exc, TemplateNotFound):
            what = (f"mallen {exc.name!s} som den hämtar (include, import eller extends) finns "
                    "inte. Mallar kan bara hämta andra mallar i samma mallkatalog.")
        elif isinstance(exc, UndefinedError):
            what = _undefined_message(str(exc))
        elif isinstance(exc, SecurityError):
            what = ("mallen försöker använda något som inte är tillåtet i en mall "
                    f"({_security_message(str(exc))}). Mallar kan bara läsa uppgifterna "
                    "från partnerskapsbeskrivningen.")
        elif isinstance(exc, UnicodeDecodeError):
            what = "filen är inte sparad som UTF-8. Spara om den med teckenkodningen UTF-8."
        elif isinstance(exc, OSError):
            what = f"filen kunde inte läsas ({describe_os_error(exc)})."
        else:
            what = _runtime_message(exc)
    location = f"{where}, rad {line}" if line else where
    message = f"Fel i {location}: {what}"
    if not message.endswith("."):
        message += "."
    return message


_RUNTIME = {
    ZeroDivisionError: "mallen delar med noll",
    OverflowError: "ett tal i mallen blev för stort",
    RecursionError: "mallen anropar sig själv för många gånger (en makro utan slut)",
    MemoryError: "mallen behöver för mycket minne",
    TypeError: "ett värde har fel typ för det mallen gör med det (till exempel text plus "
               "tal, eller ett anrop av något som inte är en funktion)",
    ValueError: "ett värde kunde inte användas (till exempel text som inte är ett tal)",
    KeyError: "en nyckel som mallen hämtar finns inte",
    IndexError: "mallen hämtar en post utanför listan",
    AttributeError: "mallen hämtar något som inte finns",
}


def _runtime_message(exc: BaseException) -> str:
    """Swedish for an error while a template runs; Python's own text is English."""
    text = str(exc)
    if text.startswith("filtret "):  # our filters already explain in Swedish
        return text + "."
    for kind, swedish in _RUNTIME.items():
        if isinstance(exc, kind):
            return swedish + "."
    return f"mallen kunde inte köras ({type(exc).__name__})."


def _filename_of(env: Any, name: str) -> str | None:
    try:
        _, filename, _ = env.loader.get_source(env, name)
        return str(filename) if filename is not None else None
    except Exception:
        return None


#: Jinja's messages quote names from the template; a longer one is not a real name.
MAX_MESSAGE_CHARS = 2000


def _undefined_message(message: str) -> str:
    message = message[:MAX_MESSAGE_CHARS]  # the patterns below backtrack over long text
    match = re.match(r"^'(.+)' is undefined$", message)
    if match:
        return (f"`{match.group(1)}` finns inte. Kontrollera stavningen; vilka namn mallarna "
                "kan använda står i README under \"Egna mallar\".")
    match = re.match(r"^'(.+)' has no attribute '(.+)'$", message)
    if match:
        owner = match.group(1)
        if owner == "None":
            return (f"det finns ingen uppgift att hämta `{match.group(2)}` från (värdet är "
                    "tomt). Kontrollera först med {% if … %} att uppgiften finns.")
        return (f"nyckeln `{match.group(2)}` finns inte. Kontrollera stavningen; vilka nycklar "
                "som finns står i README under \"Egna mallar\".")
    return f"ett värde saknas ({message})."


def _security_message(message: str) -> str:
    message = message[:MAX_MESSAGE_CHARS]  # the patterns below backtrack over long text
    match = re.match(r"^access to attribute '(.+)' of '(.+)' object is unsafe\.?$", message)
    if match:
        return f"attributet `{match.group(1)}`"
    return message.rstrip(".")


_SYNTAX: list[tuple[str, Callable[..., str]]] = [
    (r"^Unexpected end of template\. Jinja was looking for the following tags: (.+)\. "
     r"The innermost block that needs to be closed is '(.+)'\.$",
     lambda tags, block: f"mallen tar slut innan blocket `{block}` är avslutat. Lägg till "
                         f"{{% end{block} %}} där blocket ska sluta"),
    (r"^unexpected end of template, expected '(.+)'\.$",
     lambda expected: "mallen tar slut mitt i ett uttryck. Kontrollera att varje {{ har sitt "
                      "}} och varje {% sitt %}"),
    (r"^Encountered unknown tag '(.+?)'\..*$", lambda tag: f"okänd tagg `{tag}`"),
    (r"^No filter named '(.+)'\.$", lambda name: f"filtret `{name}` finns inte"),
    (r"^No test named '(.+)'\.$", lambda name: f"testet `{name}` finns inte"),
    (r"^unexpected '(.+)'$", lambda token: f"oväntat `{token}`"),
    (r"^Expected an expression, got '(.+)'$", lambda got: "här saknas ett uttryck"),
]


def _syntax_message(message: str) -> str:
    message = message[:MAX_MESSAGE_CHARS]  # the patterns below backtrack over long text
    for pattern, swedish in _SYNTAX:
        match = re.match(pattern, message, re.S)
        if match:
            return str(swedish(*match.groups()))
    return ("Kontrollera taggarna på raden: varje {% … %} och {{ … }} ska vara hel och "
            "skriven som i de inbyggda mallarna")
