"""The one place iopkit's text reaches a terminal, a file or a pipe.

The door (door.py) puts a `SafeStream` in front of stdout and stderr for the whole run:

- control characters from a spec (ESC sequences that clear the screen, hide lines or
  change the title, bidi overrides that reorder a line) are shown as escapes such as
  `\\u001b`, never sent to the terminal;
- a character the stream's encoding lacks (ASCII, Latin-1, cp437, cp1252) is replaced,
  never an UnicodeEncodeError; on Windows a redirected stream is UTF-8 (the console
  itself takes Unicode through its own API);
- a closed stream (`>&-`, `2>&-`) or one whose reader has gone (`| head`) swallows what
  follows: the run ends as it would have, without an English message.

rich writes its colour codes through `rich_proxied_file` (an attribute rich looks up on
the file it is given), which skips the escaping; what rich prints is made visible by
`SafeConsole` first.
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings,
#: overrides and isolates (a terminal would reorder the rest of the line).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written as an escape (`\\u001b`, `\\u202e`)."""
    return _CONTROL.sub(_escape, text)


def on_windows() -> bool:
    return sys.platform == "win32"


def _gone(exc: BaseException) -> bool:
    """A stream nobody reads any more: a closed pipe, a closed file, a vanished console."""
    if isinstance(exc, (BrokenPipeError, ValueError)):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.EBADF,
                                                      errno.EINVAL)


class _RawView:
    """Writes to the stream as given (rich's colour codes), with the same encoding and
    closed-stream handling as the SafeStream it belongs to."""

    def __init__(self, owner: SafeStream):
        self._owner = owner

    def write(self, text: str) -> int:
        self._owner.write_raw(text)
        return len(text)

    def flush(self) -> None:
        self._owner.flush()

    def isatty(self) -> bool:
        return self._owner.isatty()

    def fileno(self) -> int:
        return self._owner.fileno()

    @property
    def encoding(self) -> str:
        return self._owner.encoding


class SafeStream(io.TextIOBase):
    """A text stream in front of `inner` (None when the descriptor was closed at start)."""

    def __init__(self, inner: TextIO | None):
        super().__init__()
        self.inner = inner
        self.broken = inner is None
        self.rich_proxied_file = _RawView(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.inner, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return bool(self.inner is not None and not self.broken and self.inner.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def fileno(self) -> int:
        if self.inner is None:
            raise io.UnsupportedOperation("no file descriptor")
        return self.inner.fileno()

    def write(self, text: str) -> int:
        self.write_raw(visible(text))
        return len(text)

    def write_raw(self, text: str) -> None:
        if self.broken or self.inner is None:
            return
        try:
            try:
                self.inner.write(text)
            except UnicodeEncodeError:
                encoding = self.encoding
                self.inner.write(text.encode(encoding, "replace").decode(encoding))
        except Exception as exc:  # noqa: BLE001 - only the stream's own failures
            if not _gone(exc):
                raise
            self._give_up()

    def flush(self) -> None:
        if self.broken or self.inner is None:
            return
        try:
            self.inner.flush()
        except Exception as exc:  # noqa: BLE001
            if not _gone(exc):
                raise
            self._give_up()

    def _give_up(self) -> None:
        """From now on nothing is written; the descriptor points at the null device, so
        that Python's own flush at exit finds nothing to complain about."""
        self.broken = True
        inner, self.inner = self.inner, None
        try:
            if inner is not None:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, inner.fileno())
                os.close(null)
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            pass


def _prepare(stream: TextIO | None) -> TextIO | None:
    """Replace what the encoding lacks; on Windows, UTF-8 when redirected to a file or a
    pipe (the console's code page is not the file's: Notepad and Excel read UTF-8)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if stream is None or reconfigure is None:
        return stream
    try:
        if on_windows() and not stream.isatty() and not os.environ.get("PYTHONIOENCODING"):
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        pass
    return stream


@contextmanager
def safe_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr as SafeStreams for the duration (nested calls reuse the
    outer ones)."""
    old_out, old_err = sys.stdout, sys.stderr
    if isinstance(old_out, SafeStream) and isinstance(old_err, SafeStream):
        yield
        return
    out = old_out if isinstance(old_out, SafeStream) else SafeStream(_prepare(old_out))
    err = old_err if isinstance(old_err, SafeStream) else SafeStream(_prepare(old_err))
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        for stream in (out, err):
            stream.flush()
        sys.stdout, sys.stderr = old_out, old_err


def safe_console(stderr: bool = False, **options: Any) -> Any:
    """A rich Console whose printed text is made `visible` first (rich passes ESC on)."""
    from rich.console import Console
    from rich.text import Text

    class SafeConsole(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            super().print(*(_visible_renderable(self, o, Text) for o in objects), **kwargs)

    return SafeConsole(stderr=stderr, **options)


def _visible_renderable(console: Any, item: Any, text_class: Any) -> Any:
    if isinstance(item, str):
        return visible(item)
    if isinstance(item, text_class) and _CONTROL.search(item.plain):
        copy = text_class()
        for segment in item.render(console, end=""):
            copy.append(visible(segment.text), segment.style)
        return copy
    return item
