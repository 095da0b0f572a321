"""How long `iopkit oversikt` takes for a kommun's whole folder: N generated specs (the
canonical example with its name, case number, organisation and amount varied), the
whole call from reading the folder to the written workbook and CSV files, median of a
few runs, with the processor time of this process and its worker processes.

    python benchmarks/register_bench.py [--runs 3] [--out benchmarks/RESULTS.md] [N ...]

With --out the results replace the "register_bench" block of that file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from results_block import publish

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEGIN, END = "<!-- register_bench: början -->", "<!-- register_bench: slut -->"
ORG_NUMBERS = ["802461-3575", "802476-5300", "802459-8727", "802488-1297", "802547-3185",
               "802512-6635"]


def generate(folder: Path, count: int) -> None:
    base = yaml.safe_load((ROOT / "examples" / "dagverksamhet.yaml").read_text(encoding="utf-8"))
    for n in range(count):
        data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))
        data["partnerskap"]["namn"] = f"Partnerskap {n}"
        data["partnerskap"]["diarienummer"] = f"SN 2026/{n:04d}"
        data["parter"][1]["organisationsnummer"] = ORG_NUMBERS[n % len(ORG_NUMBERS)]
        data["resurser"][0]["belopp_per_år"] = 100000 + 1000 * (n % 50)
        data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
        sub = folder / f"{n // 100:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"avtal-{n:04d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers, joined
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from iopkit.register.outputs import write_register

    rows = []
    load_before = os.getloadavg()[0]
    print("specar  median s  processortid s  s per 1000")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "avtal"
            folder.mkdir()
            generate(folder, size)
            times, cpu = [], []
            for run in range(args.runs):
                start, start_cpu = time.perf_counter(), _cpu_seconds()
                write_register([folder], Path(tmp) / f"ut{run}", ["xlsx", "csv"],
                               dt.date(2027, 8, 1))
                times.append(time.perf_counter() - start)
                cpu.append(_cpu_seconds() - start_cpu)
            median = statistics.median(times)
            # Peak resident memory (MB) so far: this process (which holds every checked
            # spec) and the largest worker; ru_maxrss is in kB on Linux.
            peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
            rows.append((size, median, min(times), max(times), statistics.median(cpu), peak))
            print(f"{size:6d}  {median:8.2f}  {statistics.median(cpu):14.2f}  "
                  f"{median / size * 1000:10.2f}", flush=True)
    lines = [
        BEGIN,
        "## Registret (`iopkit oversikt`, `benchmarks/register_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; median av {args.runs} körningar, "
        "från katalogen till skriven arbetsbok och CSV (xlsx, csv och de minimis-registrets "
        f"CSV), i samma process; belastning (load average) {load_before:.1f} före och "
        f"{os.getloadavg()[0]:.1f} efter.",
        "",
        "| beskrivningar | median | spridning | processortid (alla processer) | "
        "minne (topp: huvudprocessen, största arbetsprocessen) | mål |",
        "|---|---|---|---|---|---|",
        *[f"| {size} | {median:.2f} s | {low:.2f}–{high:.2f} s | {cpu:.2f} s | "
          f"{own:.0f} MB, {worker:.0f} MB | {'< 10 s' if size == 1000 else ''} |"
          for size, median, low, high, cpu, (own, worker) in rows],
        END,
    ]
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
