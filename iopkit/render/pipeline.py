"""From checked specs to files: every document kind (`documents.kinds`) in each format.

`render_file` is the one-call library entry point. The CLI uses the steps separately
(`output_paths`, `build_outputs`) so that it can check every target before anything is
written. Rendering many specs in one process is cheap: the Jinja environment, the
compiled templates, the Markdown parser and the Word base document are created once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserInputError
from ..files import UsageProblem, prepare_targets, write_set
from ..spec.findings import CheckResult
from ..documents.kinds import DEFAULT_DOCUMENTS, KINDS, kind

if TYPE_CHECKING:
    from ..writers.pdf.typst_engine import PdfInBackground

FORMATS = ("docx", "md", "html", "pdf")
SUFFIXES = {"docx": ".docx", "md": ".md", "html": ".html", "pdf": ".pdf"}
#: The documents `render` makes by default: template folder, subject, header marker
#: (kept for callers that predate the registry in documents.kinds).
DOCUMENTS = tuple((k.name, k.subject, k.marker) for k in KINDS if k.name in DEFAULT_DOCUMENTS)


class SpecHasErrors(UserInputError):
    """The spec has errors; nothing is rendered from it (exit code 1)."""

    def __init__(self, result: CheckResult):
        super().__init__(f"{result.file} har fel och skapas inte.")
        self.result = result


@dataclass(frozen=True)
class RenderOptions:
    templates_dir: Path | None = None  # --mallar
    reference_docx: Path | None = None  # --referens-docx
    date: dt.date | None = None  # --datum; None: SOURCE_DATE_EPOCH, else today
    force: bool = False
    documents: tuple[str, ...] = DEFAULT_DOCUMENTS  # --dokument: kinds in documents.kinds
    pdf_engine: str | None = None  # --pdf-motor; None: see pdf.choose_engine

    @property
    def engine(self) -> str:
        """The PDF engine of the run: "typst" or "libreoffice" (writers/pdf/libreoffice.py)."""
        from ..writers.pdf.libreoffice import choose_engine

        return choose_engine(self.pdf_engine, self.reference_docx)


@dataclass(frozen=True)
class RenderedMarkdown:
    kind: str
    markdown: str
    title: str
    subject: str
    header_text: str
    author: str = "iopkit"  # the public parties: who publishes and archives the document
    keywords: str = ""
    #: Warnings about the rendered text that `render` prints (render.notices).
    notices: tuple[str, ...] = ()
    #: The charts the Markdown refers to (chart_refs.py; typst_chart.Series).
    charts: tuple[Any, ...] = ()


def parse_formats(values: Iterable[str] | None, formats: Sequence[str] = FORMATS,
                  default: tuple[str, ...] = ("docx",)) -> tuple[str, ...]:
    """`--format docx --format html` or `--format docx,html`, each one of `formats`;
    `default` when none is given (docx for the documents)."""
    chosen: list[str] = []
    for value in values or ():
        for item in str(value).split(","):
            name = item.strip().lower()
            if not name:
                continue
            if name not in formats:
                raise UsageProblem(f"Formatet {item.strip()!r} finns inte. Välj bland "
                                   f"{', '.join(formats)} (flera går att ange med komma).")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen) or default


def spec_stem(spec_path: Path | str) -> str:
    """The start of every output name: the spec's name without .yaml, made valid on
    Windows too (files.portable_name)."""
    from ..files import portable_name

    name = Path(spec_path).name
    for suffix in (".yaml", ".yml", ".YAML", ".YML"):
        if name.endswith(suffix):
            return portable_name(name[: -len(suffix)])
    return portable_name(Path(name).stem)


def output_paths(spec_path: Path | str, out_dir: Path | None, formats: Sequence[str],
                 documents: Sequence[str] = DEFAULT_DOCUMENTS) -> list[Path]:
    """`<spec>-avtal.docx`, `<spec>-checklista.docx` … next to the spec or in out_dir."""
    directory = out_dir if out_dir is not None else Path(spec_path).parent
    stem = spec_stem(spec_path)
    return [directory / f"{stem}-{name}{SUFFIXES[fmt]}"
            for name in documents for fmt in formats]


def validate_options(options: RenderOptions, formats: Sequence[str]) -> list[str]:
    """Check --mallar, --referens-docx and the PDF engine before any work; returns notes
    (Swedish) about template files that will not be used. Raises UsageProblem."""
    notes = []
    if options.templates_dir is not None:
        directory = options.templates_dir
        if not directory.is_dir():
            raise UsageProblem(f"Mallkatalogen {directory} finns inte eller är ingen katalog. "
                               "Ange en katalog med egna mallar med --mallar.")
        from .templates import builtin_folders, unused_user_templates

        folders = builtin_folders()
        for path in unused_user_templates(directory, folders):
            notes.append(f"Obs: {path} används inte. Egna mallar ska ligga i en av "
                         f"underkatalogerna {', '.join(folders)} och sluta på .md.j2, "
                         "med samma namn som den inbyggda mall de ersätter.")
    if options.reference_docx is not None:
        from ..files import check_input_file
        from ..writers.word.zipcheck import check_reference_size

        check_reference_size(check_input_file(options.reference_docx, "Referensdokumentet"),
                             options.reference_docx)
        if "docx" in formats or "pdf" in formats:
            from ..writers.word.docx import check_reference

            check_reference(options.reference_docx)
    if "pdf" in formats:
        if options.engine == "libreoffice":
            from ..writers.pdf.libreoffice import require_soffice

            require_soffice()
        else:
            from ..writers.pdf.typst_style import check_style

            check_style(options.templates_dir)
    return notes


def memo_settings(options: RenderOptions) -> Any:
    """The rule settings of a render: the memo and the checklist carry the draft's date,
    which IOP200 compares with the meeting."""
    from ..rules.settings import DEFAULT_SETTINGS

    if not {"tjansteskrivelse", "checklista"} & set(options.documents):
        return DEFAULT_SETTINGS
    return DEFAULT_SETTINGS.with_memo_date(draft_date(options))


def draft_date(options: RenderOptions) -> dt.date:
    from ..dates import default_date

    return options.date or default_date()


def document_author(spec: Any) -> str:
    """Who publishes and archives the documents: the public parties (PDF and Word
    author)."""
    return ", ".join(" ".join(p.name.split()) for p in spec.public_parties) or "iopkit"


def spec_context(result: CheckResult, options: RenderOptions) -> dict[str, Any]:
    """The context of the documents made from one spec (avtal, checklista): the spec
    under its Swedish keys, the findings of `check` and the draft date."""
    from ..documents.base import build_context

    assert result.spec is not None
    return build_context(result.spec, result, draft_date=draft_date(options),
                         spec_file=Path(result.file).name)


def render_document(name: str, context: dict[str, Any], spec: Any, options: RenderOptions,
                    *, title: str | None = None, marker: str | None = None,
                    charts: Sequence[Any] = ()) -> RenderedMarkdown:
    """One document kind rendered from its `context` with the templates of its folder
    (the user's from --mallar first). `title` and `marker` replace the kind's own
    (the amendment annex carries its number); `charts` are the charts the context's
    references point to (chart_refs.py). Raises templates.TemplateProblem."""
    from ..documents.avtal.context import render_numbered
    from .templates import make_environment, render_folder

    entry = kind(name)
    env = make_environment(options.templates_dir)
    if entry.numbered:
        # Every numbered document counts from § 1; the agreement refers to its own §§.
        markdown = render_numbered(lambda ctx: render_folder(env, name, ctx), context)
        if name == "avtal":
            # The signed text cites each law in full once, then short (skrivregler); the
            # checklist's points are read one by one and keep their full citations.
            from .citations import cite_laws_once

            markdown = cite_laws_once(markdown)
    else:
        markdown = render_folder(env, name, context)
    from .notices import placeholder_notices

    partnership = " ".join(spec.partnership.name.split())
    keywords = "; ".join(["IOP", "idéburet offentligt partnerskap", name,
                          spec.partnership.name, *(party.name for party in spec.parties)])
    # The running header: the partnership, the public party's diarienummer, the marker
    # (an approved agreement is no longer an "UTKAST": the context's `sidhuvud`).
    case = " ".join((spec.partnership.case_number or "").split())
    shown_marker = marker or (context.get("sidhuvud") or {}).get(name) or entry.marker
    header = "\t".join([partnership, *([f"Dnr {case}"] if case else []), shown_marker])
    notices = (*context.get("renderingsvarningar", ()), *placeholder_notices(name, markdown))
    return RenderedMarkdown(name, markdown, f"{partnership} – {title or entry.title_end}",
                            entry.subject, header, document_author(spec), keywords,
                            tuple(notices), tuple(charts))


def render_markdown(result: CheckResult, options: RenderOptions) -> list[RenderedMarkdown]:
    """The Markdown of every chosen document (options.documents) for one valid spec.
    A spec whose rules found errors still gives the documents that say so
    (`DocumentKind.with_errors`: the memo states that the matter is not ready). Raises
    SpecHasErrors when nothing can be rendered, and templates.TemplateProblem when a
    template fails."""
    if result.spec is None:
        raise SpecHasErrors(result)
    chosen = [n for n in options.documents if result.ok or kind(n).with_errors]
    if not chosen:
        raise SpecHasErrors(result)
    rendered = []
    for name in chosen:
        context = kind(name).context_builder()(result, options)
        rendered.append(render_document(name, context, result.spec, options))
    return rendered


def document_outputs(document: RenderedMarkdown, paths: Sequence[Path],
                     formats: Sequence[str], options: RenderOptions
                     ) -> list[tuple[Path, bytes | PendingPdf]]:
    """One rendered document in each format, at `paths` (one per format)."""
    return _finished(_started_outputs(document, paths, formats, options))


_Started = list[tuple[Path, "bytes | PendingPdf | PdfInBackground"]]


def _finished(outputs: _Started) -> list[tuple[Path, bytes | PendingPdf]]:
    """The outputs with every PDF still being made by Typst waited for."""
    from ..writers.pdf.typst_engine import PdfInBackground

    return [(path, data.result() if isinstance(data, PdfInBackground) else data)
            for path, data in outputs]


def _started_outputs(document: RenderedMarkdown, paths: Sequence[Path],
                     formats: Sequence[str], options: RenderOptions) -> _Started:
    """`document_outputs`, with a Typst PDF still being made on a thread of its own (so
    the PDFs of a spec's documents are laid out at once, see _finished)."""
    from ..writers.word.docx import markdown_to_docx
    from ..writers.html import markdown_to_html

    outputs: _Started = []
    docx_bytes: bytes | None = None
    for path, fmt in zip(paths, formats):
        if fmt == "md":
            from ..writers.chart_refs import readable_markdown

            text = readable_markdown(document.markdown, document.charts)
            outputs.append((path, text.encode("utf-8")))
        elif fmt == "html":
            html = markdown_to_html(document.markdown, title=document.title,
                                    charts=document.charts)
            outputs.append((path, html.encode("utf-8")))
        elif fmt == "pdf" and options.engine == "typst":
            from ..writers.pdf.typst_pdf import pdf_in_background

            outputs.append((path, pdf_in_background(
                document.markdown, title=document.title, header_text=document.header_text,
                author=document.author, keywords=document.keywords,
                subject=document.subject, date=draft_date(options),
                templates_dir=options.templates_dir, charts=document.charts)))
        else:
            if docx_bytes is None:
                docx_bytes = markdown_to_docx(
                    document.markdown, title=document.title,
                    header_text=document.header_text, subject=document.subject,
                    reference_docx=options.reference_docx, date=draft_date(options),
                    author=document.author, keywords=document.keywords,
                    charts=document.charts)
            outputs.append((path, docx_bytes if fmt == "docx" else PendingPdf(docx_bytes)))
    return outputs


@dataclass(frozen=True)
class PendingPdf:
    """A Word document still to be converted (--pdf-motor libreoffice): all PDFs of a run
    go through LibreOffice in one call (starting it costs seconds), see `finish_pdfs`."""

    docx: bytes


def build_spec_outputs(result: CheckResult, out_dir: Path | None, formats: Sequence[str],
                       options: RenderOptions) -> list[tuple[Path, bytes | PendingPdf]]:
    """Every chosen document of one checked spec in memory, in the order of
    `output_paths`."""
    return build_spec_outputs_and_notices(result, out_dir, formats, options)[0]


def build_spec_outputs_and_notices(
        result: CheckResult, out_dir: Path | None, formats: Sequence[str],
        options: RenderOptions) -> tuple[list[tuple[Path, bytes | PendingPdf]], list[str]]:
    """`build_spec_outputs` and the warnings about the rendered documents
    (render.notices), which `render` prints."""
    outputs: _Started = []
    notices: list[str] = []
    for document in render_markdown(result, options):
        paths = output_paths(result.file, out_dir, formats, (document.kind,))
        outputs.extend(_started_outputs(document, paths, formats, options))
        notices.extend(n for n in document.notices if n not in notices)
    return _finished(outputs), notices


def finish_pdfs(outputs: Sequence[tuple[Path, bytes | PendingPdf]]) -> list[tuple[Path, bytes]]:
    """Convert every pending PDF in one LibreOffice run; other outputs pass through."""
    pending = [(index, data) for index, (_, data) in enumerate(outputs)
               if isinstance(data, PendingPdf)]
    finished: list[tuple[Path, bytes | PendingPdf]] = list(outputs)
    if pending:
        from ..writers.pdf.libreoffice import docx_to_pdf

        names = [(f"{n}-{outputs[index][0].stem}.docx", data.docx)
                 for n, (index, data) in enumerate(pending)]
        for (index, _), pdf in zip(pending, docx_to_pdf(names)):
            finished[index] = (outputs[index][0], pdf)
    return [(path, data) for path, data in finished if isinstance(data, bytes)]


def build_outputs(jobs: Sequence[tuple[CheckResult, Path | None]], formats: Sequence[str],
                  options: RenderOptions) -> list[tuple[Path, bytes]]:
    """Render every document of every job (a checked spec and its output directory) in
    memory, in the order of `output_paths`. Nothing is written here."""
    outputs = [output for result, out_dir in jobs
               for output in build_spec_outputs(result, out_dir, formats, options)]
    return finish_pdfs(outputs)


def run_inputs(spec_paths: Iterable[Path], options: RenderOptions) -> list[Path]:
    """Every file a render reads, which no output may replace."""
    extra = [options.templates_dir, options.reference_docx]
    return [*spec_paths, *(path for path in extra if path is not None)]


def check_and_write(spec_path: Path | str, out_dir: Path | None, formats: Sequence[str],
                    options: RenderOptions | None,
                    paths_for: Callable[[Path | str, Path | None, Sequence[str]], list[Path]],
                    build: Callable[[CheckResult, Path | None, Sequence[str], RenderOptions],
                                    list[tuple[Path, bytes]]]) -> list[Path]:
    """The one-call shape shared by `render_file` and the follow-up report: check the
    spec, refuse before any work if an output exists, build every output in memory,
    then write them atomically. Returns the paths written.

    Raises SpecHasErrors (the spec has errors: exit 1), templates.TemplateProblem (a
    template failed: exit 1) or files.UsageProblem (exit 2: an output exists and
    options.force is not set, the directory is missing, LibreOffice is missing …).
    """
    from ..check import check_file

    options = options or RenderOptions()
    formats = parse_formats(formats)
    validate_options(options, formats)
    result = check_file(spec_path, memo_settings(options))
    if not result.ok:
        raise SpecHasErrors(result)
    prepare_targets(paths_for(spec_path, out_dir, formats), options.force,
                    run_inputs([Path(spec_path)], options))
    outputs = build(result, out_dir, formats, options)
    write_set(outputs, options.force)
    return [path for path, _ in outputs]


def render_file(spec_path: Path | str, out_dir: Path | None = None,
                formats: Sequence[str] = ("docx",),
                options: RenderOptions | None = None) -> list[Path]:
    """Check `spec_path` and write its agreement draft and checklist in `formats` next to
    it (or in `out_dir`). Returns the paths written; raises as `check_and_write`."""
    return check_and_write(
        spec_path, out_dir, formats, options,
        lambda path, directory, chosen: output_paths(
            path, directory, chosen, (options or RenderOptions()).documents),
        lambda result, directory, chosen, opts: build_outputs([(result, directory)], chosen,
                                                              opts))


def tracked_agreement(old: Any, new: Any, options: Any) -> bytes:
    """The agreement of the `new` CheckResult with its differences from the `old` one as
    tracked changes; `options` is a RenderOptions. Raises
    templates.TemplateProblem and files.UsageProblem as rendering does."""
    from ..writers.word.docx import markdown_to_docx
    from ..writers.word.tracked import tracked_changes_docx

    when = draft_date(options)
    documents = []
    for result in (old, new):
        agreement = next(document for document in render_markdown(result, options)
                         if document.kind == "avtal")
        documents.append(markdown_to_docx(
            agreement.markdown, title=agreement.title, header_text=agreement.header_text,
            subject=agreement.subject, reference_docx=options.reference_docx, date=when,
            author=agreement.author, keywords=agreement.keywords))
    return tracked_changes_docx(documents[0], documents[1], when)
