"""Running Typst: its compilers, its folders and its threads, for typst_pdf.py.

A process keeps up to PARALLEL compilers for each set of fonts, each used by one thread
at a time; what Typst lays out is remembered by the process, so every compiler reuses
what any of them laid out. Typst's root and package folders are temporary folders of
their own, kept for the life of the process. `PdfInBackground` is a PDF being made on
a thread of its own (Typst lets go of Python's lock while it works).
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

#: How many documents a process compiles at once: one per core, at most four (Typst
#: lays out one document mostly on one core; each compiler holds its own fonts).
PARALLEL = max(1, min(4, os.cpu_count() or 1))


class _Compilers:
    """Up to PARALLEL Typst compilers for one set of fonts, each used by one thread at
    a time (the web editor's threads, `pdf_in_background`); made when first needed."""

    def __init__(self, fonts: Any):
        self.fonts = fonts
        self.idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self.made = 0
        self.lock = threading.Lock()

    def take(self) -> Any:
        with self.lock:
            if self.idle.empty() and self.made < PARALLEL:
                self.made += 1
                return new_compiler(self.fonts)
        return self.idle.get()

    def give_back(self, compiler: Any) -> None:
        self.idle.put(compiler)


@lru_cache(maxsize=8)
def compilers_for(fonts: Any) -> _Compilers:
    return _Compilers(fonts)


def new_compiler(fonts: Any) -> Any:
    """A Typst compiler for a set of fonts, kept for every document (see _Compilers).

    Typst remembers what it laid out (paragraphs, list items, table rows) between
    compiles in one process and reuses it when the same content meets the same styles;
    an agreement's standard clauses recur in every agreement of a batch. That works
    because the data are files, not `sys.inputs` (which would change Typst's standard
    library, and so invalidate everything, with every document), and because the
    template keeps each document's own title and header out of the styles that the
    body is laid out with. What Typst remembers belongs to the process, so every
    compiler of it (one per thread) reuses what any of them laid out. The PDF is the
    same, byte for byte, either way.

    The compilers' package folders are an empty directory of their own (the template
    imports no package); each compile gets a root of its own (see root_for).
    """
    import typst

    home = _compiler_home()
    return typst.Compiler(root=str(home), font_paths=fonts, ignore_system_fonts=True,
                          package_path=str(home), package_cache_path=str(home / "paket"))


#: Typst's folders, kept for the life of the process and removed when it ends (one for
#: each logo used, a handful at most): made under a lock, since a TemporaryDirectory
#: made twice by two threads at once removes its folder when the one not kept is
#: collected, under the other's compile.
_folders: dict[Any, tempfile.TemporaryDirectory[str]] = {}
_folders_lock = threading.Lock()


def _kept_folder(key: Any, files: tuple[tuple[str, bytes], ...] = ()) -> Path:
    """The folder kept for `key`, holding `files` (name, bytes); made again, or filled
    again, when a temp cleaner removed or emptied it."""
    with _folders_lock:
        folder = _folders.get(key)
        if folder is None or not Path(folder.name).is_dir():
            folder = _folders[key] = tempfile.TemporaryDirectory(prefix="iopkit-typst-")
        path = Path(folder.name)
        for name, data in files:
            if not (path / name).is_file():
                (path / name).write_bytes(data)
        return path


def _compiler_home() -> Path:
    # The compilers' package folders: an empty directory of their own.
    return _kept_folder("home")


def root_for(logo: tuple[str, bytes] | None) -> Path:
    """Typst's root: a directory of its own holding nothing but the house style's logo
    (a picture may not be text, so it is a file), kept for every compile with that logo
    (the same name and bytes)."""
    return _kept_folder(("root", logo), (logo,) if logo is not None else ())


class PdfInBackground:
    """A PDF being made on a thread of its own (see typst_pdf.pdf_in_background)."""

    def __init__(self, make: Any):
        self._done = threading.Event()
        self._pdf: bytes | None = None
        self._problem: BaseException | None = None

        def run() -> None:
            try:
                self._pdf = make()
            except BaseException as exc:  # handed to the caller of result()
                self._problem = exc
            finally:
                self._done.set()

        # A daemon thread: Ctrl-C ends the process without waiting for a compile.
        threading.Thread(target=run, name="iopkit-typst", daemon=True).start()

    def result(self) -> bytes:
        """The PDF; raises what making it raised (UsageProblem)."""
        self._done.wait()
        if self._problem is not None:
            raise self._problem
        assert self._pdf is not None
        return self._pdf
