#!/usr/bin/env python3
"""Benchmark the annual report (`iopkit rapport`): md, docx, html and pdf side by side.

The follow-up of a synthetic partnership is written first: the canonical example with
a five-year period and ten indicators (one chart each), and a follow-up file with a
value for every indicator in each of the five years. Then, in one run:

- in this process, `documents.arsrapport.context.build_report_outputs` per format (the
  check of the two files is done once before; after one warm-up report, which loads the
  fonts and templates): the median over the runs, and the processor time;
- the whole process, `iopkit rapport UTFALL -f FORMAT` as a user starts it (Python,
  imports, the check of both files, rendering, writing): the median over the runs, per
  format and for all four formats in one call.

Usage:  python benchmarks/report_bench.py [--runs 5] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians side by side, not single numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from results_block import publish

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = ROOT / "examples" / "dagverksamhet.yaml"
BEGIN, END = "<!-- report_bench: början -->", "<!-- report_bench: slut -->"
FORMATS = ("md", "docx", "html", "pdf")
YEARS = range(2027, 2032)
INDICATORS = 10
DATE = dt.date(2032, 5, 2)
TARGET_SECONDS = 1.0


def write_follow_up(directory: Path) -> Path:
    """The five-year spec with ten indicators and its follow-up file; returns the
    follow-up file."""
    spec = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    spec["avtalsperiod"]["slut"] = dt.date(YEARS[-1], 12, 31)
    goals = spec["mål"]
    names = ["Antal besök", "Antal öppetdagar", "Antal vägledningssamtal", "Antal duschar",
             "Antal tvättar", "Antal frukostar", "Antal hänvisningar till vården",
             "Antal språkcaféer", "Antal ideella pass", "Andel nöjda besökare"]
    for goal in goals:
        goal["indikatorer"] = []
    for number, name in enumerate(names[:INDICATORS]):
        indicator = {"id": f"ind{number + 1}", "beskrivning": f"{name} per år",
                     "målvärde": f"minst {1000 + 250 * number}"}
        if number % 3 == 0:
            indicator["baslinje"] = 800 + 100 * number
            indicator["baslinje_år"] = 2025
        goals[number % len(goals)]["indikatorer"].append(indicator)
    spec_path = directory / "partnerskap.yaml"
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    recipient = next(p["id"] for p in spec["parter"] if p.get("typ") != "kommun"
                     and p.get("roll", "") != "offentlig")
    entries = []
    for offset, year in enumerate(YEARS):
        entries.append({
            "år": year, "inlämnad": dt.date(year + 1, 3, 20),
            "indikatorer": {f"ind{n + 1}": 900 + 250 * n + 120 * offset
                            for n in range(INDICATORS)},
            "deltagare": 300 + 20 * offset,
            "ideellt_arbete_timmar": {recipient: 3000 + 100 * offset},
            "medel": {recipient: {"mottaget": 2400000, "använt": 2400000 - 10000 * offset}},
            "bedömning": {goal["id"]: "Målet nåddes i huvudsak." for goal in goals},
            "lärdomar": "Besökarna kommer tidigare på dagen än väntat.",
            "förslag": "Fler ideella på förmiddagen.",
        })
    outcomes_path = directory / "utfall.yaml"
    outcomes_path.write_text(yaml.safe_dump(
        {"iopkit_utfall": 1, "avtal": spec_path.name, "år": entries}, allow_unicode=True,
        sort_keys=False), encoding="utf-8")
    return outcomes_path


def count_charts(outcomes_path: Path) -> int:
    """How many pictures the Word report has (one per indicator is expected)."""
    import io
    import zipfile

    from iopkit.outcomes.check import check_outcomes_file
    from iopkit.documents.arsrapport.context import build_report_outputs, report_year
    from iopkit.render.pipeline import RenderOptions

    result = check_outcomes_file(outcomes_path, DATE)
    ((_, data),) = build_report_outputs(result, report_year(result, None),
                                        outcomes_path.parent, ("docx",),
                                        RenderOptions(date=DATE))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return sum(name.startswith("word/media/") for name in package.namelist())


def in_process(outcomes_path: Path, runs: int) -> dict[str, tuple[float, float, float, float]]:
    """Per format: median, fastest, slowest wall time and median processor time (s)."""
    from iopkit.outcomes.check import check_outcomes_file
    from iopkit.documents.arsrapport.context import build_report_outputs, report_year
    from iopkit.render.pipeline import RenderOptions

    options = RenderOptions(date=DATE)
    result = check_outcomes_file(outcomes_path, DATE)
    if result.errors:
        raise SystemExit(f"Den syntetiska uppföljningen har fel: {result.errors}")
    year = report_year(result, None)
    build_report_outputs(result, year, outcomes_path.parent, FORMATS, options)  # warm-up
    timings: dict[str, tuple[float, float, float, float]] = {}
    for fmt in FORMATS:
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            build_report_outputs(result, year, outcomes_path.parent, (fmt,), options)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        timings[fmt] = (statistics.median(wall), min(wall), max(wall),
                        statistics.median(cpu))
        print(f"i processen, {fmt}: {timings[fmt][0] * 1000:.0f} ms", flush=True)
    return timings


def whole_process(outcomes_path: Path, runs: int,
                  formats: str) -> tuple[float, float, float, float]:
    """`iopkit rapport` as a new process: median, fastest and slowest wall time and the
    median processor time of the process (s)."""
    import resource

    command = [sys.executable, "-m", "iopkit", "rapport", str(outcomes_path), "-f", formats,
               "--datum", DATE.isoformat(), "--force", "-o",
               str(outcomes_path.parent / "ut")]
    # As on a user's computer, where pip has compiled the package to bytecode: the
    # modules' .pyc files are kept (in the benchmark's own folder, not the source tree)
    # and written by one untimed run first. Without them (PYTHONDONTWRITEBYTECODE, set
    # in some shells and CI) every run compiles every module, about 0.1 s more.
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(outcomes_path.parent / "pyc")
    subprocess.run(command, capture_output=True, env=env)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if completed.returncode != 0:
            raise SystemExit(f"iopkit rapport misslyckades:\n{completed.stdout}"
                             f"{completed.stderr}")
    print(f"hela processen, {formats}: {statistics.median(times) * 1000:.0f} ms", flush=True)
    return statistics.median(times), min(times), max(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="iopkit-reportbench-") as tmp:
        outcomes_path = write_follow_up(Path(tmp))
        charts = count_charts(outcomes_path)
        if charts != INDICATORS:
            raise SystemExit(f"Rapporten har {charts} diagram, inte {INDICATORS}.")
        inside = in_process(outcomes_path, args.runs)
        outside = {fmt: whole_process(outcomes_path, args.runs, fmt)
                   for fmt in (*FORMATS, ",".join(FORMATS))}

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    rows = []
    for fmt in FORMATS:
        median, low, high, cpu = inside[fmt]
        whole = outside[fmt]
        rows.append(f"| {fmt} | {ms(median)} | {ms(low)}–{ms(high)}; processortid {ms(cpu)} "
                    f"| {ms(whole[0])} | {ms(whole[1])}–{ms(whole[2])}; processortid {ms(whole[3])} "
                    "| < 1 s |")
    together = outside[",".join(FORMATS)]
    rows.append(f"| alla fyra i ett anrop |  |  | {ms(together[0])} | "
                f"{ms(together[1])}–{ms(together[2])}; processortid {ms(together[3])} |  |")
    lines = [
        BEGIN,
        "## Årsrapporten (`benchmarks/report_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; median av {args.runs} körningar, "
        f"belastning (load average) {os.getloadavg()[0]:.1f}. Uppföljningen: fem år "
        f"({YEARS[0]}–{YEARS[-1]}), {INDICATORS} indikatorer med ett diagram var, en "
        "mottagare. \"I processen\": rapporten byggs i minnet efter en första rapport "
        "(teckensnitt och mallar laddade), filerna redan kontrollerade. \"Hela processen\": "
        "`iopkit rapport UTFALL -f FORMAT` som ny process (start, kontroll av båda filerna, "
        "rapport, skrivning), med modulerna kompilerade till bytekod som efter en "
        "installation med pip (en första körning som inte räknas skriver den).",
        "",
        "| format | i processen | spridning | hela processen | spridning | mål (hela processen) |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    slowest = max(FORMATS, key=lambda fmt: outside[fmt][0])
    wall, cpu = outside[slowest][0], outside[slowest][3]
    lines += ["", f"Långsammaste formatet som hel process: {slowest}, {ms(wall)} väggtid "
                  f"({'under' if wall < TARGET_SECONDS else 'över'} målet "
                  f"{TARGET_SECONDS:.0f} s) och {ms(cpu)} processortid "
                  f"({'under' if cpu < TARGET_SECONDS else 'över'} målet)."]
    lines.append(END)
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
