#!/usr/bin/env python3
"""Benchmark the two PDF engines side by side: Typst (the default) and LibreOffice.

A batch of 20 documents (the agreement and checklist of 10 synthetic specs from
bench.py) is rendered to Markdown and Word once; then only the PDF step is timed, in
this process, as `iopkit render -f pdf` does it:

- Typst: `typst_pdf.markdown_to_pdf` per document (after one warm-up document, which
  loads the fonts); the median over the batch and over the runs. Every run has its own
  20 documents (other specs): Typst keeps what it laid out in memory, so the same
  document twice would take a fraction of the time and flatter the result;
- LibreOffice (when installed): `pdf.docx_to_pdf` of the 20 Word files in one call
  (LibreOffice starts once per call), divided by 20; the median over the runs.

Usage:  python benchmarks/pdf_bench.py [--runs 3] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians and the ratio, not single numbers; processor time
(this process and its threads for Typst, LibreOffice's own for LibreOffice) says more
than the wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import write_specs  # noqa: E402
from results_block import publish

BEGIN, END = "<!-- pdf_bench: början -->", "<!-- pdf_bench: slut -->"
SPECS = 10


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    import datetime as dt

    from iopkit.writers.word.docx import markdown_to_docx
    from iopkit.writers.pdf.libreoffice import docx_to_pdf, find_soffice
    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    when = dt.date(2026, 5, 4)
    with tempfile.TemporaryDirectory(prefix="iopkit-pdfbench-") as tmp:
        batches, what = documents(Path(tmp), args.runs)
    docs = batches[0]
    load_before = os.getloadavg()[0]

    def typst_pdf(doc) -> bytes:
        return markdown_to_pdf(doc.markdown, title=doc.title, header_text=doc.header_text,
                               author=doc.author, keywords=doc.keywords,
                               subject=doc.subject, date=when)

    # Loads the fonts once, as the first document of a run does; a document of its own,
    # so that none of the measured ones is already laid out.
    markdown_to_pdf("# Uppvärmning\n\nEtt stycke med **fet** och *kursiv* text.\n",
                    title="Uppvärmning", date=when)
    per_document: list[float] = []
    cpu: list[float] = []
    for batch in batches:
        for doc in batch:
            started, started_cpu = time.perf_counter(), time.process_time()
            typst_pdf(doc)
            per_document.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    typst_ms = statistics.median(per_document) * 1000
    typst_cpu = statistics.median(cpu) * 1000
    rows = [(f"Typst: PDF/A-2a + PDF/UA-1, {len(docs)} dokument, ett i taget",
             f"{typst_ms:.1f} ms per dokument",
             f"{min(per_document) * 1000:.0f}–{max(per_document) * 1000:.0f} ms; "
             f"processortid {typst_cpu:.1f} ms",
             "≤ 30 ms per dokument")]
    print(rows[-1][0] + ": " + rows[-1][1], flush=True)

    office_ms = None
    if find_soffice() is not None:
        words = [(f"{n}-{doc.kind}.docx",
                  markdown_to_docx(doc.markdown, title=doc.title, header_text=doc.header_text,
                                   subject=doc.subject, date=when, author=doc.author,
                                   keywords=doc.keywords)) for n, doc in enumerate(docs)]
        import resource

        office, office_cpu = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            docx_to_pdf(words)
            office.append((time.perf_counter() - started) / len(words))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            office_cpu.append((after.ru_utime + after.ru_stime - before.ru_utime
                               - before.ru_stime) / len(words))
        office_ms = statistics.median(office) * 1000
        office_cpu_ms = statistics.median(office_cpu) * 1000
        rows.append((f"LibreOffice: PDF/A-2b från Word, {len(docs)} dokument i ett anrop",
                     f"{office_ms:.0f} ms per dokument",
                     f"{min(office) * 1000:.0f}–{max(office) * 1000:.0f} ms; "
                     f"processortid {office_cpu_ms:.0f} ms", ""))
        print(rows[-1][0] + ": " + rows[-1][1], flush=True)

    lines = [
        BEGIN,
        "## PDF: Typst och LibreOffice (`benchmarks/pdf_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; {len(docs)} dokument ({what}), "
        f"{args.runs} körningar, belastning (load average) {load_before:.1f} före och "
        f"{os.getloadavg()[0]:.1f} efter; bara "
        "PDF-steget (Markdown → PDF med Typst, Word → PDF med LibreOffice) i samma process.",
        "",
        "| motor | median | spridning | mål |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    if office_ms is not None:
        lines += ["", f"Typst är {office_ms / typst_ms:.0f} gånger snabbare än LibreOffice "
                      f"per dokument i väggtid och {office_cpu_ms / typst_cpu:.0f} gånger i "
                      "processortid (mål: minst 10)."]
    lines.append(END)
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
