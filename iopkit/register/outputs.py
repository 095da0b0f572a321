"""`iopkit oversikt` as a library call: collect, build the register, write its files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from ..errors import UsageError
from .collect import collect
from .tables import Register, build_register

FORMATS = ("xlsx", "csv", "html", "md", "ics")
DEFAULT_FORMATS = ("xlsx",)
STEM = "oversikt"
CENTRAL_REGISTER_FILE = "de-minimis-registret.csv"


def parse_register_formats(values: Sequence[str] | None) -> tuple[str, ...]:
    from ..render.pipeline import parse_formats

    return parse_formats(values, FORMATS, DEFAULT_FORMATS)


def register_outputs(register: Register, out_dir: Path, formats: Sequence[str]
                     ) -> list[tuple[Path, bytes]]:
    from . import writers

    makers = {"xlsx": writers.to_xlsx, "csv": writers.to_csv, "html": writers.to_html,
              "md": writers.to_markdown}
    outputs: list[tuple[Path, bytes]] = []
    for fmt in formats:
        if fmt == "ics":
            outputs.append((out_dir / f"{STEM}-frister.ics", writers.to_ics(register)))
        else:
            outputs.append((out_dir / f"{STEM}.{fmt}", makers[fmt](register)))
    outputs.append((out_dir / CENTRAL_REGISTER_FILE, writers.central_register_csv(register)))
    return outputs


def write_register(paths: list[Path], out_dir: Path, formats: Sequence[str],
                   today: dt.date, days: int = 90, force: bool = False,
                   workers: int | None = None) -> tuple[Register, list[Path]]:
    """Read every spec under `paths`, write the register's files in `out_dir`; returns
    the register and the paths written. Raises UsageError (exit 2)."""
    from ..files import make_output_dir, prepare_targets, write_set

    if not 0 <= days <= 3660:
        raise UsageError(f"--dagar {days} ligger utanför 0–3660. Ange antal dagar framåt, "
                         "till exempel --dagar 90.")
    chosen = parse_register_formats(formats)
    register = build_register(collect(paths, today, workers), today, days)
    outputs = register_outputs(register, out_dir, chosen)
    make_output_dir(out_dir)
    prepare_targets([p for p, _ in outputs], force)
    write_set(outputs, force)
    return register, [p for p, _ in outputs]
