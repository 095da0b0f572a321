"""CPU work of the editor (check, render, parse, the lossless merge) in a worker process
with a time bound.

A thread is not enough: a slow regular expression holds the interpreter lock, so the
event loop (every other request, and Ctrl-C) would wait for it. The worker is one
long-lived process (started on first use, with `forkserver` where there is one, else
`spawn`, so it never inherits the server's threads); the server thread waiting for it
holds no lock. A task over its time bound ends the worker; the next task starts a new
one. Tasks run one at a time (the pipeline caches are not shared between tasks anyway).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

#: Seconds a check (or parse, or merge) may take; a 2 MB spec checks in about 2 s.
CHECK_SECONDS = 30.0
#: Seconds a document may take (PDF goes through LibreOffice).
RENDER_SECONDS = 120.0


class TooSlow(Exception):
    """The task did not finish within its time bound; the worker was ended."""

    def __init__(self, seconds: float):
        super().__init__(f"over {seconds:g} s")
        self.seconds = seconds


class WorkerFailed(Exception):
    """The worker process died (killed, out of memory)."""


def _serve(connection: Connection) -> None:
    """The worker's loop: (function, args) in, ("ok", result) or ("error", exc) out."""
    while True:
        try:
            function, args, environment = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if environment != dict(os.environ):  # the task runs as if in the server
            os.environ.clear()
            os.environ.update(environment)
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except KeyboardInterrupt:
            return
        except BaseException as exc:  # sent back and raised in the server
            reply = ("error", exc)
        try:
            connection.send(reply)
        except Exception as exc:  # an unpicklable result or error
            connection.send(("error", RuntimeError(type(exc).__name__)))


class Worker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None

    def _context(self) -> Any:
        methods = multiprocessing.get_all_start_methods()
        return multiprocessing.get_context("forkserver" if "forkserver" in methods
                                           else "spawn")

    def _start(self) -> Connection:
        alive = self._connection
        if self._process is not None and self._process.is_alive() and alive is not None:
            return alive
        self._stop()
        context = self._context()
        pipe: tuple[Connection, Connection] = context.Pipe()
        ours, theirs = pipe
        process = context.Process(target=_serve, args=(theirs,), daemon=True,
                                  name="iopkit-serve-worker")
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        return ours

    def _stop(self) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()
        if process is not None and process.is_alive():
            process.kill()
            process.join(5)

    def run(self, function: Callable[..., Any], *args: Any, seconds: float) -> Any:
        """`function(*args)` in the worker; raises what it raised, TooSlow or
        WorkerFailed. Blocks the calling thread only (call it from a thread)."""
        with self._lock:
            connection = self._start()
            try:
                connection.send((function, args, dict(os.environ)))
                if not connection.poll(seconds):
                    self._stop()
                    raise TooSlow(seconds)
                status, value = connection.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._stop()
                raise WorkerFailed() from None
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        with self._lock:
            self._stop()


#: One worker per server process.
WORKER = Worker()
