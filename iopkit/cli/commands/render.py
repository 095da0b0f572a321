"""`iopkit render`: agreement draft and checklist from specs, as Word, Markdown, HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ...documents.kinds import kind_names
from .common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    date_option,
    fail,
    force_option,
    formats_option,
    out_dir_option,
    pdf_engine_option,
    output_console,
    reference_docx_option,
    templates_option,
    verbose_option,
)


def render(
    files: list[Path] = typer.Argument(
        ..., metavar="FIL", show_default=False,
        help="En eller flera partnerskapsbeskrivningar (.yaml), eller kataloger med sådana."),
    out_dir: Path = out_dir_option(),
    formats: list[str] = formats_option("docx,html"),
    force: bool = force_option(),
    templates_dir: Path = templates_option("avtal/03-bakgrund.md.j2"),
    reference_docx: Path = reference_docx_option(),
    pdf_engine: str = pdf_engine_option(),
    date_text: str = date_option("Utkastets"),
    documents: list[str] = typer.Option(
        None, "--dokument", "-d", metavar="DOKUMENT", show_default=False,
        help="Vilka dokument som skapas, med komma emellan: "
             f"{', '.join(kind_names('render'))} (tjansteskrivelse: underlaget till "
             "nämndens beslut). Standard: avtal,checklista."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", metavar="N", show_default=False, min=1,
        help="Antal processer som arbetar samtidigt när flera beskrivningar renderas. "
             "Standard: antalet processorkärnor."),
    verbose: bool = verbose_option(),
) -> None:
    """Skapa avtalsutkast och checklista från partnerskapsbeskrivningar.

    För beskrivningen avtal.yaml skrivs avtal-avtal.docx och avtal-checklista.docx.
    Med --dokument väljs andra dokument, till exempel tjänsteskrivelsen till nämnden:
    --dokument tjansteskrivelse ger avtal-tjansteskrivelse.docx.
    En beskrivning med fel skapas inte (samma meddelanden som iopkit check); varningar
    visas och filerna skapas ändå. Ingenting skrivs över utan --force.

    Slutstatus: 0 klart, 1 fel i en beskrivning eller mall, 2 fel i anropet eller i
    filsystemet (till exempel en fil som redan finns).
    """
    from ...files import (
        check_output_dir,
        expand_spec_paths,
        make_output_dir,
        prepare_targets,
        write_set,
    )
    from ...render.batch import LazyProgress, default_jobs, render_many
    from ...dates import default_date, parse_date_option
    from ...writers.pdf.libreoffice import parse_engine
    from ...documents.kinds import parse_documents
    from ...render.pipeline import (
        RenderOptions,
        finish_pdfs,
        parse_formats,
        run_inputs,
        validate_options,
    )
    from ...report import print_findings

    chosen = parse_formats(formats)
    date = parse_date_option(date_text) if date_text is not None else default_date()
    options = RenderOptions(templates_dir=templates_dir, reference_docx=reference_docx,
                            date=date, force=force, documents=parse_documents(documents),
                            pdf_engine=parse_engine(pdf_engine))
    if out_dir is not None:
        check_output_dir(out_dir)
    notes = validate_options(options, chosen)
    spec_files = expand_spec_paths(files)
    for note in notes:
        sys.stderr.write(note + "\n")

    progress = LazyProgress(len(spec_files), "Renderar")
    try:
        outcomes = render_many(spec_files, out_dir, chosen, options,
                               jobs=jobs or default_jobs(), on_done=progress.advance)
    finally:
        progress.close()

    # The documents are render's output; findings and "Skrev …" are messages: stderr.
    out = output_console(stderr=True)
    invalid = 0
    io_problems = 0
    template_problems = []
    for outcome in outcomes:
        if outcome.io_problem:
            io_problems += 1
            sys.stderr.write(f"Fel: {outcome.io_problem}\n")
            continue
        if outcome.worker_problem:
            invalid += 1
            sys.stderr.write(f"Fel: {outcome.file}: {outcome.worker_problem}.\n")
            continue
        if outcome.result is None:
            continue
        if outcome.result.active():
            print_findings(out, outcome.result, verbose=verbose)
        for notice in outcome.notices:
            out.print(f"{outcome.file}: varning: {notice}", highlight=False, soft_wrap=True)
        if not outcome.result.ok:
            invalid += 1
            if outcome.rendered:
                sys.stderr.write(f"Fel: {outcome.file} har fel. Bara tjänsteskrivelsen har "
                                 "skapats; den anger att ärendet inte är klart för beslut. "
                                 "Rätta felen ovan och kör iopkit render igen.\n")
            else:
                sys.stderr.write(f"Fel: {outcome.file} har fel och har inte skapats. Rätta "
                                 "felen ovan och kör iopkit render igen.\n")
        elif outcome.template_problem:
            template_problems.append(outcome.template_problem)
    if template_problems:
        fail(template_problems[0], EXIT_INVALID)

    pending = [output for outcome in outcomes if outcome.rendered
               for output in outcome.outputs]
    targets = [path for path, _ in pending]
    if out_dir is not None and pending:
        make_output_dir(out_dir)
    prepare_targets(targets, force, run_inputs(spec_files, options))
    finished = finish_pdfs(pending)
    write_set(finished, force)
    for path, _ in finished:
        out.print(f"Skrev {path}", highlight=False, soft_wrap=True)

    if io_problems:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_INVALID if invalid else EXIT_OK)

