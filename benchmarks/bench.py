#!/usr/bin/env python3
"""Benchmark iopkit as a user runs it: whole processes, medians of several runs.

Uses only the standard library and iopkit itself (with its dependencies). It generates
synthetic specs of realistic size (more parties, needs, goals and clauses than the
canonical example), then times:

- `iopkit --version` (start-up),
- `iopkit check` of one spec, and of N specs in one call (per spec),
- `iopkit render` of one spec to docx,
- batch render of N specs to docx with 1 and 2 jobs (per spec), for each N,
- peak memory (max RSS of iopkit and its worker processes) of each batch,
- when pandoc is installed, pandoc converting the same rendered Markdown to docx,
- when LibreOffice is installed, `render --format pdf --pdf-motor libreoffice` of 10 specs
  (20 documents, tagged PDF/A) in one call, which starts LibreOffice once: seconds per
  document. (Both PDF engines side by side: pdf_bench.py.)

Usage:  python benchmarks/bench.py [--n 50 200] [--runs 5] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians and ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

import worst_cases

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = ROOT / "examples" / "dagverksamhet.yaml"


def find_iopkit() -> list[str]:
    beside = Path(sys.executable).with_name("iopkit")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("iopkit")
    return [found] if found else [sys.executable, "-m", "iopkit"]


def luhn_digit(body: str) -> str:
    """The Luhn check digit of `body` (as an organisationsnummer's last digit)."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def valid_orgnr(rng: random.Random, group: str) -> str:
    """A random organisationsnummer in `group` (8: ideella föreningar) with a valid check digit."""
    body = group + "".join(str(rng.randint(0, 9)) for _ in range(8))
    body = body[:2] + str(rng.randint(2, 9)) + body[3:]
    number = body + luhn_digit(body)
    return f"{number[:6]}-{number[6:]}"


#: The worst cases of issue 22, each at four sizes: seconds should grow with the size
#: (ratio of seconds about the ratio of sizes), not with its square.
WORST_CASES = [
    ("`check`, e-postadress av punkter", "tecken", [250_000, 500_000, 1_000_000, 2_000_000],
     lambda n: (worst_cases.email_dots(n),), "check"),
    ("`check`, FYLL I på varje rad", "rader", [25_000, 50_000, 100_000, 200_000],
     lambda n: (worst_cases.placeholder_comments(n // 2),), "check"),
    ("`check`, många regelträffar", "ord", [4_500, 9_000, 18_000, 36_000],
     lambda n: (worst_cases.rule_hits(n),), "check"),
    ("`diff`, omformulerade villkor", "villkor", [150, 300, 600, 1200],
     lambda n: worst_cases.reworded_clauses(n), "diff"),
    ("`diff --spårade-ändringar`, omformulerade villkor", "villkor", [75, 150, 300, 600],
     lambda n: worst_cases.reworded_clauses(n), "tracked"),
]


def worst_case_rows(iopkit: list[str], work: Path, runs: int) -> list[str]:
    lines = ["", "## Värsta fall (issue 22): tid mot storlek", "",
             "Median av körningar per storlek, hela processer; kvoten är tiden mot den "
             "minsta storleken. Linjärt: kvoten följer storleken (×2, ×4, ×8).", "",
             "| fall | storlek | sekunder | kvot |", "|---|---|---|---|"]
    for label, unit, sizes, make, kind in WORST_CASES:
        first = None
        for size in sizes:
            texts = make(size)
            paths = []
            for index, text in enumerate(texts):
                path = work / f"worst-{index}.yaml"
                path.write_text(text, encoding="utf-8")
                paths.append(str(path))
            if kind == "check":
                command = [*iopkit, "check", paths[0]]
            else:
                command = [*iopkit, "diff", *paths]
                if kind == "tracked":
                    command += ["-f", "docx", "--spårade-ändringar", "-o",
                                str(work / "worst.docx"), "--force", "--datum", "2027-01-01"]
            seconds = median_run(command, work, runs)["median"]
            first = first or seconds
            lines.append(f"| {label} | {size} {unit} ({len(texts[-1].encode()) // 1024} kB) | "
                         f"{seconds:.2f} | ×{seconds / first:.1f} |")
            print(lines[-1], flush=True)
    return lines


def synthetic_spec(index: int) -> dict:
    """A spec about three times the size of the canonical example, deterministic per index."""
    rng = random.Random(index)
    data = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    data["partnerskap"]["namn"] = f"Syntetiskt partnerskap nr {index}"
    data["partnerskap"]["diarienummer"] = f"SRN 2026/{1000 + index}"
    nonprofits = []
    for n in range(rng.randint(2, 4)):
        party_id = f"forening{n}"
        nonprofits.append(party_id)
        data["parter"].append({
            "id": party_id, "namn": f"Föreningen Exempel {index}-{n}", "typ": "ideell förening",
            "organisationsnummer": valid_orgnr(rng, "8"), "registrerad_idéburen": True,
            "verksamhetsidé": "Föreningen arbetar för gemenskap och stöd. " * 3,
            "adress": f"Exempelgatan {n + 1}, 411 0{n} Göteborg",
            "kontaktperson": {"namn": f"Kontakt {n}", "titel": "Verksamhetsledare",
                              "epost": f"kontakt{n}@example.org", "telefon": "070-000 00 00"},
            "firmatecknare": [{"namn": f"Ordförande {n}", "titel": "Ordförande"},
                              {"namn": f"Kassör {n}", "titel": "Kassör"}]})
    needs = data["behovsinventering"]["behov"]
    for n in range(3, 3 + rng.randint(3, 6)):
        needs.append({"id": f"B{n}", "beskrivning": f"Behov nummer {n}: " + "stöd och " * 8})
    for n, need in enumerate(needs[2:], start=3):
        data["mål"].append({
            "id": f"M{n}", "beskrivning": f"Mål {n}: målgruppen får bättre stöd året runt.",
            "behov": [need["id"]],
            "indikatorer": [{"beskrivning": f"Indikator {n}.{k}", "målvärde": f"minst {k * 100}",
                             "källa": "Egen uppföljning"} for k in range(1, 4)]})
        data["insatser"].append({
            "id": f"I{n + 1}", "beskrivning": f"Insats för mål {n}: " + "aktiviteter och " * 6,
            "mål": [f"M{n}"], "ansvarig": rng.choice(nonprofits)})
    for party_id in nonprofits:
        data["resurser"].append({"part": party_id, "typ": "ideell tid",
                                 "beskrivning": "Volontärer", "timmar_per_år": 1500,
                                 "värde_per_år": 225000})
        data["resurser"].append({"part": party_id, "typ": "kompetens",
                                 "beskrivning": "Erfarenhet av målgruppen",
                                 "värde_per_år": 80000})
    data["styrning"]["partnerskapsgrupp"] += nonprofits
    # With several idéburna parties, money and premises from a public party name their
    # recipient (state aid is counted per recipient), or the spec has errors.
    public = {p["id"] for p in data["parter"] if p.get("typ") in ("kommun", "region")}
    first_nonprofit = next(p["id"] for p in data["parter"] if p["id"] not in public)
    for resource in data["resurser"]:
        if resource["part"] in public:
            resource.setdefault("mottagare", first_nonprofit)
    data["villkor"] = [{"rubrik": f"Särskilt villkor {n}", "text": "Parterna ska " + "samverka " * 20}
                       for n in range(1, 5)]
    return data


def write_specs(directory: Path, count: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"spec{index:04d}.yaml"
        path.write_text(yaml.safe_dump(synthetic_spec(index), allow_unicode=True,
                                       sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """Seconds, exit code and peak RSS (KiB) of the command and its waited-for children."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL).returncode\n"
        "elapsed = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([elapsed, code, rss]))\n")
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd,
                         capture_output=True, text=True, check=True)
    elapsed, code, rss = json.loads(out.stdout)
    return elapsed, code, rss


def median_run(command: list[str], cwd: Path, runs: int, before=None) -> dict:
    times, peaks, codes = [], [], set()
    for _ in range(runs):
        if before:
            before()
        elapsed, code, rss = timed(command, cwd)
        times.append(elapsed)
        peaks.append(rss)
        codes.add(code)
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "peak_kib": max(peaks), "codes": sorted(codes)}


def has_render(iopkit: list[str]) -> bool:
    out = subprocess.run([*iopkit, "--help"], capture_output=True, text=True)
    return " render " in out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--worst", action="store_true",
                        help="time only the worst cases of issue 22 and add them to --out")
    args = parser.parse_args()
    if args.worst:
        work = Path(tempfile.mkdtemp(prefix="iopkit-worst-"))
        try:
            lines = worst_case_rows(find_iopkit(), work, args.runs)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        marker = "\n## Värsta fall (issue 22)"
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        before, found, after = old.partition(marker)
        rest = after.split("\n<!-- ", 1)
        tail = "\n<!-- " + rest[1] if found and len(rest) > 1 else ""
        args.out.write_text(before.rstrip("\n") + "\n" + "\n".join(lines) + "\n" + tail,
                            encoding="utf-8")
        return 0

    iopkit = find_iopkit()
    work = Path(tempfile.mkdtemp(prefix="iopkit-bench-"))
    rows: list[tuple[str, str, str, str]] = []

    def row(label: str, result: dict, per: int = 1, target: str = "") -> None:
        per_ms = result["median"] * 1000 / per
        spread = f"{result['min'] * 1000 / per:.0f}–{result['max'] * 1000 / per:.0f}"
        rows.append((label, f"{per_ms:.1f} ms" + (" per spec" if per > 1 else ""),
                     f"{spread} ms; {result['peak_kib'] / 1024:.0f} MB topp", target))
        print(f"{label}: {per_ms:.1f} ms (spridning {spread}), topp {result['peak_kib'] / 1024:.0f} MB",
              flush=True)

    try:
        specs = write_specs(work / "specs", max(args.n))
        one = specs[0]
        row("`iopkit --version`", median_run([*iopkit, "--version"], work, args.runs),
            target="≤ 120 ms")
        row("`iopkit check` en spec", median_run([*iopkit, "check", str(one)], work, args.runs),
            target="≤ 250 ms")
        for n in args.n:
            batch_dir = work / f"batch{n}"
            batch_dir.mkdir()
            for spec in specs[:n]:
                shutil.copy(spec, batch_dir / spec.name)
            row(f"`iopkit check` {n} specar i ett anrop",
                median_run([*iopkit, "check", str(batch_dir)], work, args.runs), per=n,
                target="≤ 10 ms per spec" if n == 200 else "")

        pandoc_ms = None
        if has_render(iopkit):
            out_dir = work / "out1"
            out_dir.mkdir()
            row("`iopkit render` en spec till docx",
                median_run([*iopkit, "render", str(one), "-o", str(out_dir), "--force"],
                           work, args.runs), target="≤ 450 ms")
            for n in args.n:
                batch_dir = work / f"batch{n}"
                for jobs in (1, 2):
                    out = work / f"out{n}-{jobs}"
                    out.mkdir()
                    row(f"`iopkit render` {n} specar, {jobs} jobb",
                        median_run([*iopkit, "render", str(batch_dir), "-o", str(out),
                                    "--force", "--jobs", str(jobs)], work, max(1, args.runs // 2)),
                        per=n, target="≤ 40 ms per spec, ≤ 150 MB" if jobs == 2 else "")
            if shutil.which("pandoc"):
                md_dir = work / "md"
                md_dir.mkdir()
                subprocess.run([*iopkit, "render", str(one), "-o", str(md_dir), "--format", "md",
                                "--force"], check=True, capture_output=True)
                markdown = sorted(md_dir.glob("*-avtal.md"))[0]
                result = median_run(["pandoc", str(markdown), "-o", str(work / "pandoc.docx")],
                                    work, args.runs)
                pandoc_ms = result["median"] * 1000
                row("`pandoc` färdig Markdown → docx (samma avtal)", result)
            if shutil.which("soffice") or shutil.which("libreoffice"):
                pdf_dir = work / "pdf-specs"
                pdf_dir.mkdir()
                for spec in specs[:10]:
                    shutil.copy(spec, pdf_dir / spec.name)
                out = work / "out-pdf"
                out.mkdir()
                result = median_run([*iopkit, "render", str(pdf_dir), "-o", str(out), "-f",
                                     "pdf", "--pdf-motor", "libreoffice", "--force"], work,
                                    max(1, args.runs // 2))
                documents = 2 * len(list(pdf_dir.glob("*.yaml")))
                seconds = result["median"] / documents
                label = (f"`iopkit render -f pdf` {documents} dokument i ett anrop "
                         "(LibreOffice startas en gång)")
                rows.append((label, f"{seconds:.2f} s per dokument",
                             f"{result['min'] / documents:.2f}–{result['max'] / documents:.2f}"
                             f" s; {result['peak_kib'] / 1024:.0f} MB topp",
                             ""))
                print(f"{label}: {seconds:.2f} s per dokument", flush=True)
        else:
            print("iopkit saknar render; bara start och check mäts.")

        lines = [
            f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, "
            f"{os.cpu_count()} kärnor, Python {platform.python_version()}; "
            f"median av {args.runs} körningar (batcher {max(1, args.runs // 2)}), hela processer.",
            "",
            "| mätning | median | spridning och minne | mål |",
            "|---|---|---|---|",
            *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        ]
        if pandoc_ms is not None:
            batch = [r for r in rows if "2 jobb" in r[0]]
            if batch:
                per_spec = float(batch[-1][1].split()[0])
                lines += ["", f"Batch med 2 jobb: {per_spec:.1f} ms per dokumentpar (avtal och "
                              f"checklista) mot {pandoc_ms:.0f} ms för pandoc per dokument: "
                              f"kvot {pandoc_ms / per_spec:.1f}."]
        text = "\n".join(lines) + "\n"
        args.out.write_text(text, encoding="utf-8")
        print()
        print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
