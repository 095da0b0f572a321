#!/usr/bin/env python3
"""Benchmark the two PDF engines side by side: Typst (the default) and LibreOffice.

Every run has a batch of its own 20 documents (the agreement and checklist of 10
synthetic specs from bench.py, other specs in every run), rendered to Markdown before
the clock starts. Both engines are timed from there, from the document's Markdown to its
PDF, as `iopkit render -f pdf` makes it with each engine, and each engine's own step
alone as well; each engine gets the same fresh batch in that run:

- Typst, one at a time in one process, as `iopkit render` of many specs does it with
  one worker (and the web editor, which keeps its process): `typst_pdf.document_tree`
  (the Markdown read into the document tree) and `typst_pdf.blocks_to_pdf` (Typst) per
  document, timed apart, after one warm-up document of its own, which loads the fonts;
- Typst on two threads of one process, as `iopkit render` makes a spec's documents
  (`typst_pdf.pdf_in_background`: all 20 started at once, one Typst compiler per core,
  sharing what they laid out); the PDFs must be the ones made one at a time;
- Typst in two worker processes, as `iopkit render` of many specs does it (one worker
  per core, `render/batch.py`): the same 20 documents shared between two warmed-up
  workers; the batch's wall time divided by 20, and the processor time the workers
  report for their documents. The PDFs must be byte for byte the ones made one at a
  time, or the benchmark stops;
- LibreOffice (when installed), as `render -f pdf --pdf-motor libreoffice` does it: the
  Word file of each document (`markdown_to_docx`, one at a time in one warmed-up
  process, and again shared between two, as `render` of many specs makes them), then
  `pdf.docx_to_pdf` of the batch's 20 Word files in one call (LibreOffice starts once
  per call), divided by 20; LibreOffice's processor time is that of the finished child
  processes (soffice and what it starts), from getrusage(RUSAGE_CHILDREN).

Typst keeps what it laid out in memory and reuses it for the same content in a later
document of the same process (an agreement's standard clauses recur in every agreement
of a batch; typst_pdf.py keeps that possible), and the Markdown reader remembers the
blocks it has read (writers/markdown.py `parse`), for Word as for Typst. So every run
starts new processes for every row: a batch is timed from cold, as one `iopkit render`
of ten specs runs it, and an earlier run's documents do not make a later run look faster.

Each row is the median over the runs of the batch's time divided by 20, in wall time
and processor time; the ratios compare those medians.

Usage:  python benchmarks/pdf_bench.py [--runs 3] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians and the ratio, not single numbers; processor time
says more than the wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
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
    return _typst_pdf_timed(fields)[0]


def _typst_pdf_timed(fields: tuple[str, str, str, str, str, str]
                     ) -> tuple[bytes, float, float]:
    """The PDF, and the wall time of its two steps: the Markdown read into the document
    tree, and Typst (what `markdown_to_pdf` does, timed apart)."""
    from iopkit.writers.pdf.typst_pdf import blocks_to_pdf, document_tree

    markdown, title, header_text, author, keywords, subject = fields
    began = time.perf_counter()
    tree = document_tree(markdown)
    read = time.perf_counter()
    pdf = blocks_to_pdf(tree, title=title, header_text=header_text, author=author,
                        keywords=keywords, subject=subject, date=WHEN)
    return pdf, read - began, time.perf_counter() - read


def _word(fields: tuple[str, str, str, str, str, str]) -> bytes:
    from iopkit.writers.word.docx import markdown_to_docx

    markdown, title, header_text, author, keywords, subject = fields
    return markdown_to_docx(markdown, title=title, header_text=header_text, subject=subject,
                            date=WHEN, author=author, keywords=keywords)


#: Every font face and kind of block the measured documents use (title page, headings,
#: bold, italic, lists, a table, a check box), with text of its own: a process loads
#: each font once, at its first use, and the measured documents should not pay for
#: that, while none of their own text is laid out in advance.
_WARM_UP = ("# Uppvärmning\n\nUndertitel\n\n---\n\n## 1 § Rubrik\n\n### Underrubrik\n\n"
            "Ett stycke med **fet**, *kursiv* och ***fet kursiv*** text, `kod` och ☐ ≥ – ”.\n\n"
            "- en punkt\n- en till\n\n1. ett\n2. två\n\n| A | B |\n|---|--:|\n| **c** | 1 |\n")
_WARM_UP_FIELDS = (_WARM_UP, "Uppvärmning", "Uppvärmning\tUTKAST", "iopkit", "", "")


def _warm_up() -> None:
    _typst_pdf(_WARM_UP_FIELDS)


def _warm_up_word() -> None:
    _word(_WARM_UP_FIELDS)


def _one_by_one(batch: list[tuple[str, str, str, str, str, str]]
                ) -> tuple[list[bytes], list[float], float, float, float]:
    """The batch one document at a time in this process: the PDFs, each document's wall
    time, the batch's wall time and processor time (all of Typst's threads), and the
    part of the wall time that was the Markdown read into the tree."""
    started, started_cpu = time.perf_counter(), time.process_time()
    pdfs, seconds, reading = [], [], 0.0
    for fields in batch:
        pdf, read, typst = _typst_pdf_timed(fields)
        pdfs.append(pdf)
        seconds.append(read + typst)
        reading += read
    return pdfs, seconds, time.perf_counter() - started, time.process_time() - started_cpu, \
        reading


def _at_once(batch: list[tuple[str, str, str, str, str, str]]
             ) -> tuple[list[bytes], float, float]:
    """The batch started at once in this process (`typst_pdf.pdf_in_background`, as
    `render` starts a spec's documents), on as many threads as cores: the PDFs, and the
    batch's wall time and processor time."""
    from iopkit.writers.pdf.typst_pdf import pdf_in_background

    started, started_cpu = time.perf_counter(), time.process_time()
    jobs = [pdf_in_background(markdown, title=title, header_text=header_text, author=author,
                              keywords=keywords, subject=subject, date=WHEN)
            for markdown, title, header_text, author, keywords, subject in batch]
    pdfs = [job.result() for job in jobs]
    return pdfs, time.perf_counter() - started, time.process_time() - started_cpu


def _words_one_by_one(batch: list[tuple[str, str, str, str, str, str]]
                      ) -> tuple[list[bytes], float, float]:
    """The batch's Word files one at a time in this process, with wall and processor time."""
    started, started_cpu = time.perf_counter(), time.process_time()
    words = [_word(fields) for fields in batch]
    return words, time.perf_counter() - started, time.process_time() - started_cpu


def _warm_pool(workers: int, initializer: Any = _warm_up) -> Any:
    """`workers` new processes, each warmed up, none with a measured document in memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: fresh processes (nothing laid out yet), as on Windows and macOS.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer)
    # A worker answers only after its warm-up, so this ends when every one is warm (a
    # worker still starting would otherwise add its start to the first documents).
    answered: set[int] = set()
    while len(answered) < workers:
        answered |= set(pool.map(_worker_ready, [0.2] * (workers * 2)))
    return pool


def _timed(make: Any, fields: tuple[str, str, str, str, str, str]) -> tuple[bytes, float]:
    """One file made in a worker process (`make(fields)`: `_typst_pdf` or `_word`), and
    the processor time it took there."""
    started = time.process_time()
    made = make(fields)
    return made, time.process_time() - started


def _worker_ready(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _office(words: list[bytes]) -> tuple[float, float]:
    """LibreOffice's wall and processor time for the batch's Word files in one call."""
    from iopkit.writers.pdf.libreoffice import docx_to_pdf

    before = _children_cpu()
    started = time.perf_counter()
    docx_to_pdf([(f"{n}.docx", word) for n, word in enumerate(words)])
    return time.perf_counter() - started, _children_cpu() - before


#: The rows of the table: (key, label, target).
ROWS = [
    ("one", "Typst, ett dokument i taget i en process", "≤ 30 ms per dokument"),
    ("threads", f"Typst, alla dokument på en gång i en process, {WORKERS} trådar (som "
                "`render` gör en beskrivnings dokument)", "≤ 30 ms per dokument"),
    ("pool", f"Typst, samma dokument i {WORKERS} arbetsprocesser (som `render` av många "
             "beskrivningar)", "≤ 30 ms per dokument"),
    ("office_one", "LibreOffice, Word-filerna en i taget i en process, sedan alla i ett "
                   "anrop till LibreOffice", ""),
    ("office_pool", f"LibreOffice, Word-filerna i {WORKERS} arbetsprocesser (som `render` "
                    "av många beskrivningar), sedan alla i ett anrop till LibreOffice", ""),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from iopkit.writers.pdf.libreoffice import find_soffice

    with tempfile.TemporaryDirectory(prefix="iopkit-pdfbench-") as tmp:
        batches, what = documents(Path(tmp), args.runs)
    size = len(batches[0])
    office_present = find_soffice() is not None
    load_before = os.getloadavg()[0]
    # Per row: wall and processor time per document, one value per run.
    rows: dict[str, tuple[list[float], list[float]]] = {
        name: ([], []) for name in ("one", "threads", "pool", "office_one", "office_pool", "reading",
                                    "typst_alone", "word_one", "word_pool", "office")}
    per_document: list[float] = []

    def add(name: str, wall: float, cpu: float | None = None) -> None:
        rows[name][0].append(wall / size)
        if cpu is not None:
            rows[name][1].append(cpu / size)

    for run, batch in enumerate(batches):
        fields = [_pdf_fields(doc) for doc in batch]
        with _warm_pool(1) as single:
            one_by_one, seconds, wall, cpu, reading = single.submit(_one_by_one, fields).result()
        per_document.extend(seconds)
        add("one", wall, cpu)
        add("reading", reading)
        add("typst_alone", wall - reading)

        with _warm_pool(1) as single:
            at_once, wall, cpu = single.submit(_at_once, fields).result()
        add("threads", wall, cpu)
        if at_once != one_by_one:
            raise SystemExit("Typst på flera trådar gav andra PDF-filer än ett i taget.")

        with _warm_pool(WORKERS) as pool:
            started = time.perf_counter()
            shared = list(pool.map(functools.partial(_timed, _typst_pdf), fields))
            add("pool", time.perf_counter() - started, sum(cpu for _, cpu in shared))
        if [pdf for pdf, _ in shared] != one_by_one:
            raise SystemExit("Typst i två processer gav andra PDF-filer än ett i taget.")

        if office_present:
            with _warm_pool(1, _warm_up_word) as single:
                words, word_wall, word_cpu = single.submit(_words_one_by_one, fields).result()
            with _warm_pool(WORKERS, _warm_up_word) as pool:
                started = time.perf_counter()
                pooled = list(pool.map(functools.partial(_timed, _word), fields))
                pool_wall = time.perf_counter() - started
            if [word for word, _ in pooled] != words:
                raise SystemExit("Word-filerna från två processer skiljer sig från en i taget.")
            pool_cpu = sum(cpu for _, cpu in pooled)
            office_wall, office_cpu = _office(words)
            add("word_one", word_wall, word_cpu)
            add("word_pool", pool_wall, pool_cpu)
            add("office", office_wall, office_cpu)
            add("office_one", word_wall + office_wall, word_cpu + office_cpu)
            add("office_pool", pool_wall + office_wall, pool_cpu + office_cpu)
        print(f"körning {run + 1}: " + ", ".join(
            f"{name} {values[0][-1] * 1000:.0f} ms" for name, values in rows.items()
            if values[0]), flush=True)
    load_after = os.getloadavg()[0]

    def ms(name: str, column: int = 0) -> float:
        return statistics.median(rows[name][column]) * 1000

    def spread(name: str) -> str:
        wall = rows[name][0]
        return f"{min(wall) * 1000:.0f}–{max(wall) * 1000:.0f} ms"

    parts = {
        "one": f"Markdown till dokumentträd {ms('reading'):.1f} ms, Typst {ms('typst_alone'):.1f} ms",
        "threads": "",
        "pool": "",
        "office_one": f"Word-filen {ms('word_one'):.1f} ms, LibreOffice {ms('office'):.1f} ms",
        "office_pool": f"Word-filen {ms('word_pool'):.1f} ms, LibreOffice {ms('office'):.1f} ms",
    }
    lines = [
        BEGIN,
        "## PDF: Typst och LibreOffice (`benchmarks/pdf_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; {args.runs} körningar med "
        f"{size} nya dokument var ({what}); båda motorerna får samma dokument i varje "
        f"körning, och varje rad nya processer. Belastning (load average) "
        f"{load_before:.1f} före och {load_after:.1f} efter. Från dokumentets Markdown "
        "till PDF-filen, som `iopkit render -f pdf` gör den med varje motor: med Typst "
        "läses Markdown till ett dokumentträd som Typst sätter, med LibreOffice görs "
        "först Word-filen, som LibreOffice gör till PDF; tiden för hela satsen delad med "
        f"{size}, median över körningarna. Processortiden räknar allt: Typsts alla "
        "trådar, LibreOffices egna processer.",
        "",
        "| motor | median väggtid | varav | median processortid | spridning (väggtid) | mål |",
        "|---|---|---|---|---|---|",
    ]
    shown = [row for row in ROWS if office_present or not row[0].startswith("office")]
    for name, label, target in shown:
        spreading = spread(name)
        if name == "one":
            spreading += (f" (enskilda dokument {min(per_document) * 1000:.0f}–"
                          f"{max(per_document) * 1000:.0f} ms)")
        lines.append(f"| {label} | {ms(name):.1f} ms per dokument | {parts[name]} | "
                     f"{ms(name, 1):.1f} ms per dokument | {spreading} | {target} |")
    if office_present:
        lines += [
            "",
            "| jämfört med LibreOffice | väggtid | processortid |",
            "|---|---|---|",
            f"| Typst ett i taget mot LibreOffice med Word-filerna en i taget | "
            f"{ms('office_one') / ms('one'):.1f} gånger snabbare | "
            f"{ms('office_one', 1) / ms('one', 1):.1f} gånger mindre |",
            f"| Typst på {WORKERS} trådar i en process mot LibreOffice med Word-filerna i "
            f"{WORKERS} arbetsprocesser | {ms('office_pool') / ms('threads'):.1f} gånger "
            f"snabbare | {ms('office_pool', 1) / ms('threads', 1):.1f} gånger mindre |",
            f"| Typst i {WORKERS} arbetsprocesser mot LibreOffice med Word-filerna i "
            f"{WORKERS} | {ms('office_pool') / ms('pool'):.1f} gånger snabbare | "
            f"{ms('office_pool', 1) / ms('pool', 1):.1f} gånger mindre |",
            f"| bara motorn: Typst ({ms('typst_alone'):.1f} ms, ett i taget) mot "
            f"LibreOffice ({ms('office'):.1f} ms, Word till PDF) | "
            f"{ms('office') / ms('typst_alone'):.1f} gånger snabbare | |",
            "",
            "Mål: minst 10 gånger snabbare än LibreOffice.",
        ]
    lines.append(END)
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
