#!/usr/bin/env python3
"""Benchmark the two PDF engines side by side: Typst (the default) and LibreOffice.

Every run has a batch of its own 20 documents (the agreement and checklist of 10
synthetic specs from bench.py, other specs in every run), rendered to Markdown and Word
before the clock starts; then only the PDF step is timed, and each engine gets the same
fresh batch in that run:

- Typst, one at a time in one process, as `iopkit render` of many specs does it with
  one worker (and the web editor, which keeps its process): `typst_pdf.markdown_to_pdf`
  per document (after one warm-up document of its own, which loads the fonts);
- Typst in two worker processes, as `iopkit render` of many specs does it (one worker
  per core, `render/batch.py`): the same 20 documents shared between two warmed-up
  workers; the batch's wall time divided by 20, and the processor time the workers
  report for their documents. The PDFs must be byte for byte the ones made one at a
  time, or the benchmark stops;
- LibreOffice (when installed): `pdf.docx_to_pdf` of the batch's 20 Word files in one
  call (LibreOffice starts once per call, as `render -f pdf --pdf-motor libreoffice`
  does), divided by 20; its processor time is that of the finished child processes
  (soffice and what it starts), from getrusage(RUSAGE_CHILDREN).

Typst keeps what it laid out in memory and reuses it for the same content in a later
document of the same process (an agreement's standard clauses recur in every agreement
of a batch; typst_pdf.py keeps that possible). So every run starts new processes for
both Typst rows: a batch is timed from cold, as one `iopkit render` of ten specs runs
it, and an earlier run's documents do not make a later run look faster.

Each row is the median over the runs of the batch's time divided by 20, in wall time
and processor time; the ratios compare those medians.

Usage:  python benchmarks/pdf_bench.py [--runs 3] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians and the ratio, not single numbers; processor time
says more than the wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The iopkit of this checkout, not an installed one (and so also in the spawned workers,
# which get this sys.path): a branch measures its own code.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import write_specs  # noqa: E402
from results_block import publish

BEGIN, END = "<!-- pdf_bench: början -->", "<!-- pdf_bench: slut -->"
SPECS = 10
WHEN = dt.date(2026, 5, 4)


def documents(directory: Path, runs: int = 1) -> tuple[list[list], str]:
    """The rendered Markdown (with title, header, author …) of 20 documents for each
    run, and what they are. The synthetic specs of bench.py (other ones in every run)
    when they pass the current rules, else the examples' documents (every kind) taken in
    turn, the same in every run."""
    import datetime as dt
    import itertools

    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, SpecHasErrors, render_markdown

    options = RenderOptions(date=dt.date(2026, 5, 4))
    try:
        specs = write_specs(directory, SPECS * runs)
        batches = []
        for run in range(runs):
            rendered = []
            for spec in specs[run * SPECS:(run + 1) * SPECS]:
                rendered.extend(render_markdown(check_file(spec), options))
            batches.append(rendered)
        return batches, (f"avtal och checklista för {SPECS} syntetiska beskrivningar, "
                         "andra i varje körning")
    except SpecHasErrors:
        pass
    kinds = ("avtal", "checklista", "tjansteskrivelse", "uppfoljning")
    everything = []
    for spec in sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml")):
        result = check_file(spec)
        if result.ok:
            everything.extend(render_markdown(result, RenderOptions(date=options.date,
                                                                    documents=kinds)))
    batch = list(itertools.islice(itertools.cycle(everything), 2 * SPECS))
    return ([batch] * runs,
            f"exemplens dokument ({', '.join(kinds)}) i tur och ordning")


#: One Typst worker per core, as render/batch.py starts them.
WORKERS = 2


def _pdf_fields(doc: Any) -> tuple[str, str, str, str, str, str]:
    return (doc.markdown, doc.title, doc.header_text, doc.author, doc.keywords, doc.subject)


def _typst_pdf(fields: tuple[str, str, str, str, str, str]) -> bytes:
    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    markdown, title, header_text, author, keywords, subject = fields
    return markdown_to_pdf(markdown, title=title, header_text=header_text, author=author,
                           keywords=keywords, subject=subject, date=WHEN)


#: Every font face and kind of block the measured documents use (title page, headings,
#: bold, italic, lists, a table, a check box), with text of its own: a process loads
#: each font once, at its first use, and the measured documents should not pay for
#: that, while none of their own text is laid out in advance.
_WARM_UP = ("# Uppvärmning\n\nUndertitel\n\n---\n\n## 1 § Rubrik\n\n### Underrubrik\n\n"
            "Ett stycke med **fet**, *kursiv* och ***fet kursiv*** text, `kod` och ☐ ≥ – ”.\n\n"
            "- en punkt\n- en till\n\n1. ett\n2. två\n\n| A | B |\n|---|--:|\n| **c** | 1 |\n")


def _warm_up() -> None:
    _typst_pdf((_WARM_UP, "Uppvärmning", "Uppvärmning\tUTKAST", "iopkit", "", ""))


def _one_by_one(batch: list[tuple[str, str, str, str, str, str]]
                ) -> tuple[list[bytes], list[float], float, float]:
    """The batch one document at a time in this process: the PDFs, each document's wall
    time, and the batch's wall time and processor time (all of Typst's threads)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    pdfs, seconds = [], []
    for fields in batch:
        began = time.perf_counter()
        pdfs.append(_typst_pdf(fields))
        seconds.append(time.perf_counter() - began)
    return pdfs, seconds, time.perf_counter() - started, time.process_time() - started_cpu


def _warm_pool(workers: int) -> Any:
    """`workers` new processes, each warmed up, none with a measured document in memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: fresh processes (nothing laid out yet), as on Windows and macOS.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_warm_up)
    # A worker answers only after its warm-up, so this ends when every one is warm (a
    # worker still starting would otherwise add its start to the first documents).
    answered: set[int] = set()
    while len(answered) < workers:
        answered |= set(pool.map(_worker_ready, [0.2] * (workers * 2)))
    return pool


def _worker_pdf(fields: tuple[str, str, str, str, str, str]) -> tuple[bytes, float]:
    """One PDF in a worker process, and the processor time it took there."""
    started = time.process_time()
    pdf = _typst_pdf(fields)
    return pdf, time.process_time() - started


def _worker_ready(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from iopkit.writers.pdf.libreoffice import docx_to_pdf, find_soffice
    from iopkit.writers.word.docx import markdown_to_docx

    with tempfile.TemporaryDirectory(prefix="iopkit-pdfbench-") as tmp:
        batches, what = documents(Path(tmp), args.runs)
    size = len(batches[0])
    office_present = find_soffice() is not None
    load_before = os.getloadavg()[0]
    rows: dict[str, tuple[list[float], list[float]]] = {
        "one": ([], []), "pool": ([], []), "office": ([], [])}
    per_document: list[float] = []
    for run, batch in enumerate(batches):
        fields = [_pdf_fields(doc) for doc in batch]
        with _warm_pool(1) as single:
            one_by_one, seconds, wall, cpu = single.submit(_one_by_one, fields).result()
        per_document.extend(seconds)
        rows["one"][0].append(wall / size)
        rows["one"][1].append(cpu / size)

        with _warm_pool(WORKERS) as pool:
            started = time.perf_counter()
            shared = list(pool.map(_worker_pdf, fields))
            rows["pool"][0].append((time.perf_counter() - started) / size)
        rows["pool"][1].append(sum(cpu for _, cpu in shared) / size)
        if [pdf for pdf, _ in shared] != one_by_one:
            raise SystemExit("Typst i två processer gav andra PDF-filer än ett i taget.")

        if office_present:
            words = [(f"{n}-{doc.kind}.docx",
                      markdown_to_docx(doc.markdown, title=doc.title,
                                       header_text=doc.header_text, subject=doc.subject,
                                       date=WHEN, author=doc.author, keywords=doc.keywords))
                     for n, doc in enumerate(batch)]
            before = _children_cpu()
            started = time.perf_counter()
            docx_to_pdf(words)
            rows["office"][0].append((time.perf_counter() - started) / size)
            rows["office"][1].append((_children_cpu() - before) / size)
        print(f"körning {run + 1}: " + ", ".join(
            f"{name} {values[0][-1] * 1000:.0f} ms" for name, values in rows.items()
            if values[0]), flush=True)
    load_after = os.getloadavg()[0]

    def median_ms(name: str, column: int) -> float:
        return statistics.median(rows[name][column]) * 1000

    def spread(name: str) -> str:
        wall = rows[name][0]
        return f"{min(wall) * 1000:.0f}–{max(wall) * 1000:.0f} ms"

    table = [
        (f"Typst: PDF/A-2a + PDF/UA-1, ett dokument i taget i en process", "one",
         f"{spread('one')} (enskilda dokument {min(per_document) * 1000:.0f}–"
         f"{max(per_document) * 1000:.0f} ms)", "≤ 30 ms per dokument"),
        (f"Typst: samma dokument i {WORKERS} arbetsprocesser (som `render` av många "
         "beskrivningar)", "pool", spread("pool"), "≤ 30 ms per dokument"),
    ]
    if office_present:
        table.append(("LibreOffice: PDF/A-2b från Word, alla dokument i ett anrop", "office",
                      spread("office"), ""))
    lines = [
        BEGIN,
        "## PDF: Typst och LibreOffice (`benchmarks/pdf_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; {args.runs} körningar med "
        f"{size} nya dokument var ({what}); båda motorerna får samma dokument i varje "
        f"körning. Belastning (load average) {load_before:.1f} före och {load_after:.1f} "
        "efter. Bara PDF-steget (Markdown → PDF med Typst, Word → PDF med LibreOffice); "
        f"tiden för hela satsen delad med {size}, median över körningarna. Processortiden "
        "räknar allt motorn gör: Typsts alla trådar, LibreOffices egna processer.",
        "",
        "| motor | median väggtid | median processortid | spridning (väggtid) | mål |",
        "|---|---|---|---|---|",
        *[f"| {label} | {median_ms(name, 0):.1f} ms per dokument | "
          f"{median_ms(name, 1):.1f} ms per dokument | {spreading} | {target} |"
          for label, name, spreading, target in table],
    ]
    if office_present:
        office_wall, office_cpu = median_ms("office", 0), median_ms("office", 1)
        lines += [
            "",
            "| jämfört med LibreOffice | väggtid | processortid |",
            "|---|---|---|",
            *[f"| {label} | {office_wall / median_ms(name, 0):.1f} gånger snabbare | "
              f"{office_cpu / median_ms(name, 1):.1f} gånger mindre |"
              for label, name in (("Typst, ett i taget", "one"),
                                  (f"Typst, {WORKERS} arbetsprocesser", "pool"))],
            "",
            "Mål: minst 10 gånger snabbare än LibreOffice.",
        ]
    lines.append(END)
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
