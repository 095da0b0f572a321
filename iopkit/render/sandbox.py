"""Bounds on what a template may cost and read, on top of Jinja's immutable sandbox.

A template from `--mallar` is untrusted: it may come with a shared template pack. Jinja's
sandbox already stops attribute tricks and writes; here we add what it does not bound:

* reading: a template is found only inside its own directory, never through `..`, an
  absolute path, or a symbolic link that points outside the directory;
* time: `range()` is small, and all ranges of one render together are bounded, so nested
  loops cannot spin for hours;
* memory: repetition (`'x' * 10**10`), powers, `%`-formatting and padding widths are
  checked before they are computed, and every template's output is bounded.

A template that crosses a limit fails with `TemplateLimit` (or `TemplateRefused` for a
path), which template_errors.describe_error turns into a Swedish message naming the template.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

#: Part of the bytecode cache's name: bump when the rules change how code compiles.
SANDBOX_VERSION = "s1"
#: A template file; the built-in ones are a few kilobytes each.
MAX_TEMPLATE_BYTES = 1_000_000
#: One section's output; a whole agreement is some tens of kilobytes.
MAX_OUTPUT_CHARS = 2_000_000
#: The longest text or list an expression may build.
MAX_TEXT = 1_000_000
#: One range() and all range() items of one render together.
MAX_RANGE = 10_000
MAX_RANGE_TOTAL = 200_000
#: Padding and width arguments (center, indent, format widths …).
MAX_WIDTH = 10_000
#: Integers a template computes with (bits): far beyond any amount in kronor.
MAX_INT_BITS = 256
#: One document's templates; the built-in ones take a few milliseconds.
MAX_SECONDS = 10.0


class TemplateLimit(Exception):
    """A template crossed a limit of the sandbox; the message is Swedish."""


class TemplateRefused(Exception):
    """A template asked for a file outside its directory. Not a TemplateNotFound, so
    that a ChoiceLoader does not go on to look elsewhere."""

    def __init__(self, name: str, why: str):
        super().__init__(name)
        self.name = name
        self.why = why


#: The text and output limits grow with the texts the templates are given, so that
#: every spec `check` accepts (up to 2 MB) also renders: a clause of 1.7 million
#: characters is joined and written like any other. Still linear in the input.
TEXT_PER_INPUT_CHAR = 4
OUTPUT_PER_INPUT_CHAR = 10

_range_used: contextvars.ContextVar[list[int]] = contextvars.ContextVar("range_used")
_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=0.0)
_text_limit: contextvars.ContextVar[int] = contextvars.ContextVar("text_limit",
                                                                  default=MAX_TEXT)
_output_limit: contextvars.ContextVar[int] = contextvars.ContextVar("output_limit",
                                                                    default=MAX_OUTPUT_CHARS)


def start_render(input_chars: int = 0) -> None:
    """Reset the range and time budgets: call before rendering one document.
    `input_chars` is the size of the texts in the context (see TEXT_PER_INPUT_CHAR)."""
    _range_used.set([0])
    _deadline.set(time.monotonic() + MAX_SECONDS)
    _text_limit.set(max(MAX_TEXT, TEXT_PER_INPUT_CHAR * input_chars))
    _output_limit.set(max(MAX_OUTPUT_CHARS, OUTPUT_PER_INPUT_CHAR * input_chars))


def text_size(value: Any, budget: int = 10_000_000) -> int:
    """Characters in the strings of a context (dicts, lists, tuples and strings; other
    objects count as nothing), counting at most `budget`."""
    total = 0
    stack = [value]
    seen: set[int] = set()  # the context shares parts (a party in several places)
    while stack and total < budget:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (dict, list, tuple)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return min(total, budget)


def check_time() -> None:
    """Called from the sandbox's hooks (attribute access, calls, operators, output):
    loops over large data that do anything at all pass through here."""
    deadline = _deadline.get()
    if deadline and time.monotonic() > deadline:
        raise TemplateLimit(_time_message())


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimit(f"range() med {len(result)} steg; en mall får räkna högst "
                            f"{MAX_RANGE} steg i en loop")
    used = _range_used.get(None)
    if used is None:
        used = [0]
        _range_used.set(used)
    used[0] += len(result)
    if used[0] > MAX_RANGE_TOTAL:
        raise TemplateLimit(f"looparna med range() tar för många steg tillsammans (mer än "
                            f"{MAX_RANGE_TOTAL}); mallarna får inte loopa i loopar så här")
    return result


def _check_count(count: int, what: str) -> None:
    limit = _text_limit.get()
    if count > limit:
        raise TemplateLimit(f"{what} blir {count} tecken eller element; högst {limit} "
                            "är tillåtet")


def _check_size(value: Any, what: str) -> Any:
    if isinstance(value, (str, list, tuple, bytes)):
        _check_count(len(value), what)
    return value


# Widths or precisions of five digits or more, `%*d`, and widths taken from an argument
# ("{:{}}"), in %-formatting and str.format alike.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\d{5,}|\*)|\.\d{5,}|\{[^{}]*:[^{}]*(?:\d{5,}|\{)")


def _check_format(pattern: Any) -> None:
    if isinstance(pattern, str) and _WIDE_FORMAT.search(pattern):
        raise TemplateLimit("ett format med en bredd eller precision på tiotusentals tecken")


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and \
            value.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(f"{what} ger ett orimligt stort tal")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)  # can produce any amount of text
        self.globals["namespace"] = BoundedNamespace
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded_filter(name, function)

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_time()
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    _check_count(len(seq) * count, "en upprepning")
            if isinstance(left, int) and isinstance(right, int):
                _check_int(1 << (left.bit_length() + right.bit_length()), "en multiplikation")
        elif operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, int) and \
                    abs(right) * max(1, int(abs(left)).bit_length()) > MAX_INT_BITS:
                raise TemplateLimit("en upphöjning ger ett orimligt stort tal")
        elif operator == "%":
            _check_format(left)
        result = super().call_binop(context, operator, left, right)
        return _check_size(result, "ett uttryck")

    def wrap_str_format(self, value: Any) -> Any:
        if getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(getattr(value, "__self__", None))
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_time()
        # Arguments too: a macro that calls itself with `s ~ s` doubles its text.
        for arg in (*args, *kwargs.values()):
            _check_size(arg, "ett argument")
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in {"center", "ljust", "rjust", "zfill", "expandtabs"}:
                for arg in (*args, *kwargs.values()):
                    if isinstance(arg, int) and arg > MAX_WIDTH:
                        raise TemplateLimit(f"{name}() med bredden {arg}")
            if name in {"format", "format_map"}:
                _check_format(owner)
            if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and \
                    isinstance(args[1], str):
                hits = owner.count(args[0]) if args[0] else len(owner) + 1
                _check_count(len(owner) + hits * len(args[1]), "en ersättning")
        result = super().call(__context, __obj, *args, **kwargs)
        return _check_size(result, f"{name or 'ett anrop'}()")


#: Filters whose number arguments are widths or counts of what they build.
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice"}


class BoundedNamespace(Namespace):
    """namespace() whose values cannot grow without bound (`ns.x = ns.x ~ ns.x` in a
    loop doubles a text each time)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value, f"namespace-värdet {name}")
        super().__setitem__(name, value)


def _bounded_filter(name: str, function: Any) -> Any:
    import functools

    # Filters marked pass_context/pass_environment get that first, then the value.
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _WIDTH_FILTERS:
            for arg in (*args[skip:], *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_WIDTH:
                    raise TemplateLimit(f"filtret {name} med talet {arg}; högst {MAX_WIDTH} "
                                        "är tillåtet")
        if name == "indent" and len(args) >= skip and isinstance(args[skip - 1], str):
            width = args[skip] if len(args) > skip else kwargs.get("width", 4)
            if isinstance(width, str):  # a prefix string, repeated on every line
                _check_count(len(args[skip - 1]) + len(width) * (args[skip - 1].count("\n") + 1),
                             "filtret indent")
        if name == "format" and len(args) >= skip:
            _check_format(args[skip - 1])
        if name == "replace" and len(args) >= skip + 2 and \
                all(isinstance(a, str) for a in args[skip - 1:skip + 2]):
            text, old, new = args[skip - 1:skip + 2]
            hits = text.count(old) if old else len(text) + 1
            _check_count(len(text) + hits * len(new), "filtret replace")
        return _check_size(function(*args, **kwargs), f"filtret {name}")

    return bounded


def render_bounded(template: Any, context: Any) -> str:
    """Render, stopping as soon as the output passes MAX_OUTPUT_CHARS or the document's
    time is up."""
    parts: list[str] = []
    size = 0
    with _alarm():
        for chunk in template.generate(context):
            check_time()
            size += len(chunk)
            if size > _output_limit.get():
                raise TemplateLimit(f"mallen skriver mer än {_output_limit.get() // 1_000_000} "
                                    "miljoner tecken")
            parts.append(chunk)
    return "".join(parts)


@contextlib.contextmanager
def _alarm() -> Iterator[None]:
    """A deadline for what the hooks cannot see (a loop that neither outputs nor calls
    anything): a timer signal in the main thread where the system has one, otherwise
    (Windows, a worker thread, a caller's own timer running) a watchdog thread."""
    import signal
    import threading

    deadline = _deadline.get()
    if not deadline:
        yield
        return
    if not hasattr(signal, "setitimer") or not hasattr(signal, "SIGALRM") or \
            threading.current_thread() is not threading.main_thread() or \
            signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        with _watchdog(deadline):
            yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise TemplateLimit(_time_message())

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(0.01, deadline - time.monotonic()))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _time_message() -> str:
    return f"mallarna har arbetat i mer än {MAX_SECONDS:.0f} sekunder"


class _Deadline(TemplateLimit):
    """Raised in the rendering thread by the watchdog (CPython delivers it between two
    bytecodes, as it does a signal handler's exception)."""

    def __init__(self, *args: Any):
        super().__init__(*(args or (_time_message(),)))


@contextlib.contextmanager
def _watchdog(deadline: float) -> Iterator[None]:
    """Without POSIX timer signals: a thread that, at the deadline, raises _Deadline in
    the thread that renders (PyThreadState_SetAsyncExc, in every CPython on every
    system). A lock makes sure it never fires after the block has ended."""
    import ctypes
    import threading

    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}
    # Own prototypes (not pythonapi's shared one): raise a class, or NULL to withdraw.
    set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
        ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
    clear_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
        ("PyThreadState_SetAsyncExc", ctypes.pythonapi))

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                set_async_exc(target, _Deadline)

    timer = threading.Timer(max(0.01, deadline - time.monotonic()), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                # Not yet delivered (the block ended first): withdraw it, raise it here.
                clear_async_exc(target, None)
        if state["fired"]:
            raise _Deadline()


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that refuses names with `..`, absolute names, and files whose
    real path (after symbolic links) lies outside the search path."""

    def get_source(self, environment: Any, template: str) -> Any:
        name = template.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise TemplateRefused(template, "sökvägen går utanför mallkatalogen (.. eller en "
                                            "absolut sökväg)")
        for root in self.searchpath:  # before opening: a FIFO would block, a device never ends
            candidate = os.path.join(root, *name.split("/"))
            try:
                info = os.stat(candidate)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                raise TemplateRefused(template, "det är ingen vanlig fil")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(template, f"filen är större än "
                                                f"{MAX_TEMPLATE_BYTES // 1_000_000} MB")
            break
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        roots = [os.path.realpath(p) for p in self.searchpath]
        if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep)
                   for root in roots):
            raise TemplateRefused(template, "filen är en symbolisk länk som pekar utanför "
                                            "mallkatalogen")
        return source, filename, uptodate


class DocumentsLoader(BaseLoader):
    """The built-in templates, one folder per document kind: the name `<kind>/<file>`
    (the same name a `--mallar` directory and `iopkit mallar` use) is the file
    `<root>/<kind>/templates/<file>`, read with the confinement of ConfinedLoader."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._loaders: dict[str, ConfinedLoader] = {}

    def folders(self) -> list[str]:
        return sorted(entry for entry in os.listdir(self.root)
                      if not entry.startswith(("_", ".")) and
                      os.path.isdir(os.path.join(self.root, entry, "templates")))

    def _loader(self, folder: str) -> ConfinedLoader:
        loader = self._loaders.get(folder)
        if loader is None:
            loader = ConfinedLoader(os.path.join(self.root, folder, "templates"))
            self._loaders[folder] = loader
        return loader

    def get_source(self, environment: Any, template: str) -> Any:
        name = template.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise TemplateRefused(template, "sökvägen går utanför mallkatalogen (.. eller en "
                                            "absolut sökväg)")
        folder, _, rest = name.partition("/")
        if not rest or folder not in self.folders():
            raise TemplateNotFound(template)
        try:
            return self._loader(folder).get_source(environment, rest)
        except TemplateNotFound:
            raise TemplateNotFound(template) from None
        except TemplateRefused as exc:  # named as the template asked for it
            raise TemplateRefused(template, exc.why) from None

    def list_templates(self) -> list[str]:
        return sorted(f"{folder}/{name}" for folder in self.folders()
                      for name in self._loader(folder).list_templates())
