#!/usr/bin/env python3
"""Benchmark the two PDF engines side by side: Typst (the default) and LibreOffice.

A batch of 20 documents (the agreement and checklist of 10 synthetic specs from
bench.py) is rendered to Markdown and Word once; then only the PDF step is timed, in
this process, as `iopkit render -f pdf` does it:

- Typst: `typst_pdf.markdown_to_pdf` per document (after one warm-up document, which
  loads the fonts); the median over the batch and over the runs;
- LibreOffice (when installed): `pdf.docx_to_pdf` of the 20 Word files in one call
  (LibreOffice starts once per call), divided by 20; the median over the runs.

Usage:  python benchmarks/pdf_bench.py [--runs 3] [--out benchmarks/RESULTS.md]
The machine is noisy: compare medians and the ratio, not single numbers.
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

BEGIN, END = "<!-- pdf_bench: början -->", "<!-- pdf_bench: slut -->"
SPECS = 10


def documents(directory: Path) -> tuple[list, str]:
    """The rendered Markdown (with title, header, author …) of 20 documents, and what
    they are. The synthetic specs of bench.py when they pass the current rules, else the
    examples' documents (every kind) taken in turn."""
    import datetime as dt
    import itertools

    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, SpecHasErrors, render_markdown

    options = RenderOptions(date=dt.date(2026, 5, 4))
    try:
        rendered = []
        for spec in write_specs(directory, SPECS):
            rendered.extend(render_markdown(check_file(spec), options))
        return rendered, f"avtal och checklista för {SPECS} syntetiska beskrivningar"
    except SpecHasErrors:
        pass
    kinds = ("avtal", "checklista", "tjansteskrivelse", "uppfoljning")
    everything = []
    for spec in sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml")):
        result = check_file(spec)
        if result.ok:
            everything.extend(render_markdown(result, RenderOptions(date=options.date,
                                                                    documents=kinds)))
    return (list(itertools.islice(itertools.cycle(everything), 2 * SPECS)),
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
        docs, what = documents(Path(tmp))

    def typst_pdf(doc) -> bytes:
        return markdown_to_pdf(doc.markdown, title=doc.title, header_text=doc.header_text,
                               author=doc.author, keywords=doc.keywords,
                               subject=doc.subject, date=when)

    typst_pdf(docs[0])  # loads the fonts once, as the first document of a run does
    per_document: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        for doc in docs:
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

        batches, office_cpu = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            docx_to_pdf(words)
            batches.append((time.perf_counter() - started) / len(words))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            office_cpu.append((after.ru_utime + after.ru_stime - before.ru_utime
                               - before.ru_stime) / len(words))
        office_ms = statistics.median(batches) * 1000
        rows.append((f"LibreOffice: PDF/A-2b från Word, {len(docs)} dokument i ett anrop",
                     f"{office_ms:.0f} ms per dokument",
                     f"{min(batches) * 1000:.0f}–{max(batches) * 1000:.0f} ms; "
                     f"processortid {statistics.median(office_cpu) * 1000:.0f} ms", ""))
        print(rows[-1][0] + ": " + rows[-1][1], flush=True)

    lines = [
        BEGIN,
        "## PDF: Typst och LibreOffice (`benchmarks/pdf_bench.py`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} "
        f"kärnor, Python {platform.python_version()}; {len(docs)} dokument ({what}), "
        f"{args.runs} körningar, belastning (load average) {os.getloadavg()[0]:.1f}; bara "
        "PDF-steget (Markdown → PDF med Typst, Word → PDF med LibreOffice) i samma process.",
        "",
        "| motor | median | spridning | mål |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    if office_ms is not None:
        lines += ["", f"Typst är {office_ms / typst_ms:.0f} gånger snabbare än LibreOffice "
                      "per dokument (mål: minst 10)."]
    lines.append(END)
    block = "\n".join(lines)
    print(block)
    if args.out is not None:
        text = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
