"""The Jinja environment: sandboxed templates that render Markdown.

Built-in templates live in `iopkit/documents/<kind>/templates/` and are named
`<kind>/<file>` (`avtal/01-titel.md.j2`), one file per section or clause,
rendered in file-name order (`01-titel.md.j2`, `02-parter.md.j2` …). A user directory
given with `--mallar` overrides any of them by the same relative name, and may add new
sections to a folder; files whose names start with `_` are not sections (use them for
macros to import). Every `{{ … }}` is escaped for Markdown (see markdown.finalize), so
spec text never turns into formatting.

Templates run in Jinja's immutable sandbox with StrictUndefined: an unknown name is an
error, a template cannot reach private attributes, modify data, read files outside the
template directories or import modules. Errors become `TemplateProblem` with a Swedish
message naming the template file and line.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import UserInputError
from ..files import describe_os_error
from .. import format as fmt
from ..writers.markdown import Md, escape, escape_inline, finalize, tidy
from .sandbox import SANDBOX_VERSION, TemplateLimit, TemplateRefused

#: The document kinds' folders; each kind's templates are in `<kind>/templates/`.
DOCUMENTS_DIR = Path(__file__).resolve().parent.parent / "documents"
SUFFIX = ".md.j2"

_lock = threading.Lock()
_environments: dict[str, Any] = {}


class TemplateProblem(UserInputError):
    """A template could not be read, compiled or rendered (exit code 1)."""


def builtin_folders() -> list[str]:
    """The template folders iopkit ships (`avtal`, `checklista` …)."""
    from .sandbox import DocumentsLoader

    return DocumentsLoader(str(DOCUMENTS_DIR)).folders()


def builtin_dir(folder: str) -> Path:
    """Where the built-in templates of `folder` (a document kind) are."""
    return DOCUMENTS_DIR / folder / "templates"


def builtin_name(path: Path) -> str | None:
    """The name of a built-in template file (`avtal/03-bakgrund.md.j2`), the same as
    its path under a `--mallar` directory; None for any other file."""
    try:
        kind, folder, *rest = path.relative_to(DOCUMENTS_DIR).parts
    except ValueError:
        return None
    return "/".join([kind, *rest]) if folder == "templates" and rest else None


#: Changes when a filter's signature changes (gemen_början is passed the context since
#: "f2"); part of the bytecode cache's file names.
FILTERS_VERSION = "f2"


def _bytecode_cache() -> Any:
    """Compiled templates are cached in the user's temp directory (Jinja's own secure
    location, one directory per user), which makes a one-off render noticeably faster.
    The cache is never required: a damaged, full or read-only cache only costs speed."""
    from jinja2 import FileSystemBytecodeCache

    class QuietBytecodeCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except Exception:
                pass

    try:
        # The name carries the sandbox's version: code compiled under other rules (for
        # example without intercepted operators) must never be loaded. So does the
        # filters' version: Jinja decides at compile time whether a filter is passed
        # the context, so code compiled for the old filters would call them wrongly.
        return QuietBytecodeCache(
            pattern=f"__iopkit_{SANDBOX_VERSION}{FILTERS_VERSION}_%s.cache")
    except Exception:  # no usable temp directory
        return None


def _filters() -> dict[str, Any]:
    def kronor(value: Any) -> str:
        return fmt.kronor(_number(value, "kronor"))

    def tal(value: Any) -> str:
        return fmt.tal(_number(value, "tal"))

    def datum(value: Any) -> str:
        return fmt.datum_lang(_date(value, "datum"))

    def datum_kort(value: Any) -> str:
        return fmt.datum_kort(_date(value, "datum_kort"))

    def datum_utan_den(value: Any) -> str:
        return fmt.datum(_date(value, "datum_utan_den"))

    def lista(values: Any, conjunction: str = "och") -> Md:
        return Md(fmt.lista([v if isinstance(v, Md) else escape_inline(v) for v in values],
                            conjunction))

    def manader(value: Any) -> str:
        return fmt.manader(int(_number(value, "månader")))

    def antal(value: Any, singular: str, plural: str) -> str:
        return fmt.antal(int(_number(value, "antal")), singular, plural)

    from jinja2 import pass_context

    @pass_context
    def gemen_borjan(context: Any, value: Any) -> Any:
        # Escaped Markdown stays escaped: only a letter changes case. A name the spec
        # writes with a capital elsewhere (the context's `egennamn`) keeps it.
        from .names import starts_with_name

        names = context.get("egennamn") or frozenset()
        if starts_with_name(str(value), names):
            return value
        text = fmt.lower_first(str(value))
        return Md(text) if isinstance(value, Md) else text

    def antal_ord(value: Any, singular: str, plural: str, one: str = "ett") -> str:
        return fmt.antal_ord(int(_number(value, "antal_ord")), singular, plural, one)

    return {
        "antal_ord": antal_ord,
        "kronor": kronor,
        "tal": tal,
        "datum": datum,
        "datum_kort": datum_kort,
        "datum_utan_den": datum_utan_den,
        "lista": lista,
        "enrad": escape_inline,
        "text": escape,
        "månader": manader,
        "manader": manader,
        "antal": antal,
        "gemen_början": gemen_borjan,
    }


def _number(value: Any, filter_name: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"filtret {filter_name} behöver ett tal, men fick {_kind(value)}")
    return value


def _date(value: Any, filter_name: str) -> Any:
    import datetime as dt

    if not isinstance(value, dt.date):
        raise TypeError(f"filtret {filter_name} behöver ett datum, men fick {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, str):
        return "en text"
    if isinstance(value, (list, tuple)):
        return "en lista"
    if isinstance(value, Mapping):
        return "en samling nycklar"
    return f"ett värde av typen {type(value).__name__}"


def _globals() -> dict[str, Any]:
    def kryss(done: Any) -> Md:
        """☒ for a step the spec documents, ☐ for an open one."""
        return Md("☒" if done else "☐")

    return {"kryss": kryss}


def make_environment(user_dir: Path | None = None) -> Any:
    """The sandboxed environment for the built-in templates, with `user_dir` (from
    `--mallar`) searched first. Cached per directory: compiled templates are reused
    when many specs are rendered in one process."""
    key = str(user_dir.resolve()) if user_dir is not None else ""
    with _lock:
        env = _environments.get(key)
        if env is None:
            env = _build_environment(user_dir)
            _environments[key] = env
        return env


def _build_environment(user_dir: Path | None) -> Any:
    from jinja2 import ChoiceLoader, StrictUndefined

    from .sandbox import BoundedSandbox, ConfinedLoader, DocumentsLoader

    loaders: list[Any] = []
    if user_dir is not None:
        loaders.append(ConfinedLoader(str(user_dir), followlinks=False))
    loaders.append(DocumentsLoader(str(DOCUMENTS_DIR)))
    cache = _bytecode_cache()
    env = BoundedSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=cache,
    )
    env.filters.update(_filters())
    env.globals.update(_globals())
    env.iopkit_user_dir = user_dir  # type: ignore[attr-defined]
    return env


def section_names(env: Any, folder: str) -> list[str]:
    """The templates that make up a document: `folder/*.md.j2`, built-in and the user's,
    in name order; names starting with `_` are helpers, not sections."""
    prefix = folder.rstrip("/") + "/"
    names = []
    for name in env.loader.list_templates():
        if not name.startswith(prefix) or not name.endswith(SUFFIX):
            continue
        rest = name[len(prefix):]
        if "/" in rest or rest.startswith("_"):
            continue
        names.append(name)
    return sorted(names)


def render_templates(env: Any, names: list[str], context: Mapping[str, Any]) -> str:
    """Render the named templates with `context` and join them into one Markdown text.
    Raises TemplateProblem with a Swedish message naming the file and line."""
    from .sandbox import render_bounded, start_render, text_size

    start_render(text_size(dict(context)))
    parts = []
    for name in names:
        try:
            template = env.get_template(name)
            parts.append(render_bounded(template, context))
        except TemplateProblem:
            raise
        except Exception as exc:
            raise TemplateProblem(describe_error(env, name, exc)) from None
    return tidy("\n\n".join(parts))


def render_folder(env: Any, folder: str, context: Mapping[str, Any]) -> str:
    """Render every section template of `folder` (see `section_names`)."""
    return render_templates(env, section_names(env, folder), context)


def unused_user_templates(user_dir: Path, folders: list[str] | None = None) -> list[Path]:
    """Template files in a `--mallar` directory that no document will use: not in one
    of the built-in folders, or not ending in .md.j2."""
    folders = folders if folders is not None else builtin_folders()
    unused = []
    for path in sorted(user_dir.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(user_dir)
        if relative.as_posix() == "grund.docx":  # the Word base `iopkit mallar` copies
            continue
        if relative.parts[0] == "typst" and len(relative.parts) == 2:
            continue  # the PDF's house style, its logo and fonts (writers/pdf/typst_pdf.py)
        if len(relative.parts) < 2 or relative.parts[0] not in folders or \
                not path.name.endswith(SUFFIX):
            unused.append(path)
    return unused


# ---------------------------------------------------------------------------------
# Error messages


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
