"""Find and check every partnership spec under the folders the user names.

Each file is checked as `iopkit check` would; a spec with errors is listed with its error
count and first error, never silently dropped. Many files are checked in two worker
processes (the machine's cores, at most two), so a thousand specs take seconds.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

#: More files than any kommun has agreements: a mistake (the whole disk named).
MAX_FILES = 5000
SUFFIXES = (".yaml", ".yml")


@dataclass
class Broken:
    file: str
    errors: int
    first: str  # "rad 12: message"


@dataclass
class Collection:
    specs: list[tuple[str, Any]] = field(default_factory=list)  # (file, Spec)
    outcomes: list[tuple[str, Any, str]] = field(default_factory=list)  # (file, Outcomes, spec file)
    broken: list[Broken] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def find_files(paths: list[Path]) -> list[Path]:
    """Every *.yaml under `paths` (files as given), sorted, hidden folders skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
            continue
        if not path.is_dir():
            raise UsageError(f"{path} finns inte. Ange en katalog med partnerskapsbeskrivningar.")
        for root, dirs, files in os.walk(path):  # does not follow links to folders
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                    found.append(Path(root) / name)
                    if len(found) > MAX_FILES:
                        raise UsageError(
                            f"Fler än {MAX_FILES} .yaml-filer under {path}. Ange katalogen "
                            "med kommunens partnerskap, inte en hel disk.")
    return sorted(dict.fromkeys(found))


def _check_one(path: str, today: dt.date) -> tuple[str, str, Any, Any, int, str]:
    """(kind, file, model, spec file, error count, first error) for one file; runs in a
    worker process."""
    from ..check import check_any_file
    from ..errors import UsageError as _Usage
    from ..outcomes.check import OutcomesResult

    try:
        result = check_any_file(path, None, today)
    except _Usage as exc:
        return ("unreadable", path, None, None, 0, str(exc))
    errors = result.errors
    if errors:
        first = errors[0]
        return ("broken", path, None, None, len(errors), f"rad {first.line}: {first.message}")
    if isinstance(result, OutcomesResult):
        spec_file = result.spec_result.file if result.spec_result else ""
        return ("outcomes", path, result.outcomes, spec_file, 0, "")
    return ("spec", path, result.spec, None, 0, "")


#: One spec's check in a worker takes milliseconds (issue 22 made every check linear);
#: a file still being checked after this is listed as unreadable, the others go on.
MAX_SPEC_SECONDS = 60


class _SpecTimeout(Exception):
    pass


def _check_bounded(path: str, today: dt.date) -> tuple[str, str, Any, Any, int, str]:
    """`_check_one` in a worker process, stopped after MAX_SPEC_SECONDS (where the
    system has interval timers; Windows has none, and there the check runs unbounded)."""
    import signal

    if not hasattr(signal, "setitimer"):
        return _check_one(path, today)

    def on_alarm(signum: int, frame: Any) -> None:
        raise _SpecTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, MAX_SPEC_SECONDS)
    try:
        return _check_one(path, today)
    except _SpecTimeout:
        return ("unreadable", path, None, None, 0,
                f"Kontrollen tog mer än {MAX_SPEC_SECONDS} sekunder och avbröts. "
                f"Kontrollera filen ensam med iopkit check {path}.")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def collect(paths: list[Path], today: dt.date, workers: int | None = None) -> Collection:
    files = [str(p) for p in find_files(paths)]
    if not files:
        raise UsageError("Inga .yaml-filer hittades. Ange en katalog med "
                         "partnerskapsbeskrivningar.")
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers > 1 and len(files) > 40:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            checked = list(pool.map(_check_bounded, files, [today] * len(files),
                                    chunksize=max(1, len(files) // (workers * 8))))
    else:
        checked = [_check_one(f, today) for f in files]
    collection = Collection()
    for kind, file, model, spec_file, count, first in checked:
        if kind == "spec":
            collection.specs.append((file, model))
        elif kind == "outcomes":
            collection.outcomes.append((file, model, str(spec_file)))
        elif kind == "broken":
            collection.broken.append(Broken(file, count, first))
        else:
            collection.unreadable.append((file, first))
    return collection
