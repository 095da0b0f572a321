"""Rendering many specs: each spec is checked and rendered on its own, in parallel worker
processes when asked, and nothing is written until every spec has been rendered.

The work per spec (check, templates, Word conversion) is pure Python, so threads would
not help; processes do. Workers are forked after the rendering stack is imported and
warmed up, so each starts with the templates compiled and the Word base loaded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..spec.findings import CheckResult
from .pipeline import (PendingPdf, RenderOptions, SpecHasErrors, build_spec_outputs_and_notices,
                       memo_settings)

#: Below this many specs a pool costs more than it saves.
MIN_SPECS_FOR_POOL = 4


@dataclass
class SpecOutcome:
    """What happened to one spec. `result` keeps the findings but not the parsed spec,
    so that outcomes travel cheaply between processes."""

    file: str
    result: CheckResult | None = None
    outputs: list[tuple[Path, bytes | PendingPdf]] = field(default_factory=list)
    io_problem: str | None = None  # the file could not be read: exit 2
    template_problem: str | None = None  # a template failed: exit 1
    notices: list[str] = field(default_factory=list)  # warnings about the documents
    worker_problem: str | None = None  # timed out or its worker died: exit 1, others go on

    @property
    def rendered(self) -> bool:
        return self.result is not None and bool(self.outputs) and self.template_problem is None


def render_one(spec_path: Path, out_dir: Path | None, formats: Sequence[str],
               options: RenderOptions, settings: object = None) -> SpecOutcome:
    from ..check import check_file
    from ..spec.loader import SpecIOError
    from .templates import TemplateProblem

    outcome = SpecOutcome(file=str(spec_path))
    try:
        result = check_file(spec_path, settings or memo_settings(options))
    except SpecIOError as exc:
        outcome.io_problem = str(exc)
        return outcome
    if result.spec is not None:
        try:
            outcome.outputs, outcome.notices = build_spec_outputs_and_notices(
                result, out_dir, formats, options)
        except SpecHasErrors:
            pass  # no chosen document is rendered from a spec with errors
        except TemplateProblem as exc:
            outcome.template_problem = str(exc)
    outcome.result = CheckResult(file=result.file, findings=result.findings)
    return outcome


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def render_many(spec_paths: Sequence[Path], out_dir: Path | None, formats: Sequence[str],
                options: RenderOptions, jobs: int = 1, settings: object = None,
                on_done: Callable[[SpecOutcome], None] | None = None) -> list[SpecOutcome]:
    """Render every spec, in `jobs` processes; outcomes come back in input order."""
    args = [(Path(p), out_dir, tuple(formats), options, settings) for p in spec_paths]
    if jobs <= 1 or len(args) < MIN_SPECS_FOR_POOL:
        outcomes: list[SpecOutcome] = []
        for arg in args:
            outcomes.append(render_one(*arg))
            if on_done:
                on_done(outcomes[-1])
        return outcomes

    import multiprocessing
    import signal
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _warm_up(options)
    # fork shares the warmed-up modules; elsewhere (macOS, Windows) spawn still works.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    workers = min(jobs, len(args))
    outcomes = []
    # Workers ignore Ctrl-C (the terminal sends it to them too); the parent ends them at
    # once instead, so an interrupted batch leaves no process behind. A worker that dies
    # (killed, out of memory) breaks the pool: its spec and those still waiting are
    # reported, never waited for. SIGTERM to the parent ends the workers too.
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker)
    previous_term = _raise_on_sigterm(signal)
    try:
        futures = [executor.submit(_render_star, arg) for arg in args]
        for arg, future in zip(args, futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = SpecOutcome(file=str(arg[0]), worker_problem=(
                    "arbetsprocessen som renderade filen avslutades oväntat (kanske slut på "
                    "minne eller stoppad utifrån); inga filer skrevs för den. Kör om "
                    "kommandot, eller rendera filen ensam"))
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    except BaseException:
        _end_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
    return outcomes


def _raise_on_sigterm(signal: Any) -> Any:
    """In the main thread: SIGTERM raises SystemExit, so that the batch's cleanup (ending
    the workers) runs. Returns the previous handler, or None when not installed."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    if callable(signal.getsignal(signal.SIGTERM)):
        # The door's handler (SIGTERM as Ctrl-C: "Avbrutet.", 130) already raises in the
        # main thread, which ends the workers below just as well.
        return None

    def on_term(signum: int, frame: Any) -> None:
        raise SystemExit(143)

    return signal.signal(signal.SIGTERM, on_term)


def _end_workers(executor: Any) -> None:
    for process in list(getattr(executor, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):  # pragma: no cover - already gone
            pass


#: One spec's check and render in a worker; the built-in templates take well under a
#: second. A spec still running after this is reported, and the others are written.
MAX_SPEC_SECONDS = 60


class SpecTimeout(Exception):
    pass


def _init_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _render_star(arg: tuple[Any, ...]) -> SpecOutcome:
    import signal

    def on_alarm(signum: int, frame: Any) -> None:
        raise SpecTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, MAX_SPEC_SECONDS)
    try:
        return render_one(*arg)
    except SpecTimeout:
        return SpecOutcome(file=str(arg[0]), worker_problem=(
            f"filen tog mer än {MAX_SPEC_SECONDS} sekunder att kontrollera och rendera och "
            "avbröts; inga filer skrevs för den. Kontrollera den med iopkit check"))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _warm_up(options: RenderOptions) -> None:
    """Import the rendering stack and compile the templates once, before forking."""
    from ..writers import html  # noqa: F401
    from ..writers.word import docx  # noqa: F401
    from .templates import make_environment

    make_environment(options.templates_dir)


class LazyProgress:
    """A progress bar that appears only when a batch has run for about a second, and
    never when stderr is not a terminal (scripts, CI, pipes)."""

    DELAY_SECONDS = 1.0

    def __init__(self, total: int, label: str):
        self.total = total
        self.label = label
        self.done = 0
        self.started = time.monotonic()
        self.progress: Any = None  # a rich Progress once shown
        self.task: Any = None
        self.enabled = total > 1 and _stderr_is_terminal()

    def advance(self, _outcome: object = None) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.progress is None:
            if time.monotonic() - self.started < self.DELAY_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), console=Console(stderr=True),
                                     transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=self.total)
        self.progress.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _stderr_is_terminal() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
