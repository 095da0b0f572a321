"""`iopkit uppfoljning`: a follow-up report template to fill in at each review."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .common import (
    date_option,
    force_option,
    formats_option,
    out_dir_option,
    pdf_engine_option,
    reference_docx_option,
    templates_option,
)


def uppfoljning(
    spec_file: Path = typer.Argument(
        ..., metavar="FIL", show_default=False,
        help="Partnerskapsbeskrivningen (.yaml)."),
    out_dir: Path = out_dir_option(),
    formats: list[str] = formats_option("docx,md"),
    force: bool = force_option(),
    templates_dir: Path = templates_option("uppfoljning/05-fragor.md.j2"),
    reference_docx: Path = reference_docx_option(),
    pdf_engine: str = pdf_engine_option(),
    date_text: str = date_option("Mallens"),
) -> None:
    """Skapa en mall för uppföljningsrapporten som partnerskapsgruppen fyller i.

    För varje mål visas indikatorerna och målvärdena med tomma kolumner för utfall och
    kommentar, sedan insatserna, resurstabellen med en kolumn för vad som faktiskt har
    använts, och frågorna som gruppen besvarar vid uppföljningen. För avtal.yaml skrivs
    avtal-uppfoljning.docx (och .md med --format md). Ingenting skrivs över utan --force.

    Slutstatus: 0 klart, 1 fel i beskrivningen eller en mall, 2 fel i anropet eller i
    filsystemet (till exempel en fil som redan finns).
    """
    from ...files import check_output_dir, make_output_dir, prepare_targets, write_set
    from ...documents.uppfoljning.context import build_followup_outputs, output_paths
    from ...dates import default_date, parse_date_option
    from ...writers.pdf.libreoffice import parse_engine
    from ...render.pipeline import RenderOptions, parse_formats, run_inputs, validate_options
    from .common import load_valid_results

    chosen = parse_formats(formats)
    date = parse_date_option(date_text) if date_text is not None else default_date()
    options = RenderOptions(templates_dir=templates_dir, reference_docx=reference_docx,
                            date=date, force=force, pdf_engine=parse_engine(pdf_engine))
    if out_dir is not None:
        check_output_dir(out_dir)
    notes = validate_options(options, chosen)
    for note in notes:
        sys.stderr.write(note + "\n")

    # Exit 1 with check's findings when the spec has errors, 2 when it cannot be read.
    (result,) = load_valid_results([spec_file])
    if out_dir is not None:
        make_output_dir(out_dir)
    prepare_targets(output_paths(spec_file, out_dir, chosen), force,
                    run_inputs([spec_file], options))
    outputs = build_followup_outputs(result, out_dir, chosen, options)
    write_set(outputs, force)
    for path, _ in outputs:
        typer.echo(f"Skrev {path}", err=True)
