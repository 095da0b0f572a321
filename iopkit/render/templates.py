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
message naming the template file and line (template_errors.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UserInputError
from .. import format as fmt
from ..writers.markdown import Md, escape, escape_inline, finalize, tidy
from .sandbox import SANDBOX_VERSION

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
            from .template_errors import describe_error

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
