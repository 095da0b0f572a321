"""From checked specs to files: the agreement draft and the checklist in each format.

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
from typing import Any

from ..errors import UserInputError
from ..files import UsageProblem, prepare_targets, write_set
from ..spec.findings import CheckResult

FORMATS = ("docx", "md", "html", "pdf")
SUFFIXES = {"docx": ".docx", "md": ".md", "html": ".html", "pdf": ".pdf"}
#: The documents made from one spec: template folder, subject, right-hand header text.
DOCUMENTS = (
    ("avtal", "Avtal om idéburet offentligt partnerskap (IOP)", "UTKAST"),
    ("checklista", "Checklista för IOP-processen", "CHECKLISTA"),
)


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


@dataclass(frozen=True)
class RenderedMarkdown:
    kind: str
    markdown: str
    title: str
    subject: str
    header_text: str
    author: str = "iopkit"  # the public parties: who publishes and archives the document
    keywords: str = ""


def parse_formats(values: Iterable[str] | None) -> tuple[str, ...]:
    """`--format docx --format html` or `--format docx,html`; default docx."""
    chosen: list[str] = []
    for value in values or ():
        for item in str(value).split(","):
            name = item.strip().lower()
            if not name:
                continue
            if name not in FORMATS:
                raise UsageProblem(f"Formatet {item.strip()!r} finns inte. Välj bland "
                                   f"{', '.join(FORMATS)} (flera går att ange med komma).")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen) or ("docx",)


def spec_stem(spec_path: Path | str) -> str:
    name = Path(spec_path).name
    for suffix in (".yaml", ".yml", ".YAML", ".YML"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def output_paths(spec_path: Path | str, out_dir: Path | None,
                 formats: Sequence[str]) -> list[Path]:
    """`<spec>-avtal.docx`, `<spec>-checklista.docx` … next to the spec or in out_dir."""
    directory = out_dir if out_dir is not None else Path(spec_path).parent
    stem = spec_stem(spec_path)
    return [directory / f"{stem}-{kind}{SUFFIXES[fmt]}"
            for kind, _, _ in DOCUMENTS for fmt in formats]


def validate_options(options: RenderOptions, formats: Sequence[str]) -> list[str]:
    """Check --mallar, --referens-docx and LibreOffice before any work; returns notes
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
        from .zipcheck import check_reference_size

        check_reference_size(check_input_file(options.reference_docx, "Referensdokumentet"),
                             options.reference_docx)
        if "docx" in formats or "pdf" in formats:
            from .docx import check_reference

            check_reference(options.reference_docx)
    if "pdf" in formats:
        from .pdf import require_soffice

        require_soffice()
    return notes


def draft_date(options: RenderOptions) -> dt.date:
    from .dates import default_date

    return options.date or default_date()


def document_author(spec: Any) -> str:
    """Who publishes and archives the documents: the public parties (PDF and Word
    author)."""
    return ", ".join(" ".join(p.name.split()) for p in spec.public_parties) or "iopkit"


def render_markdown(result: CheckResult, options: RenderOptions) -> list[RenderedMarkdown]:
    """The Markdown of every document for one valid spec. Raises SpecHasErrors, and
    templates.TemplateProblem when a template fails."""
    from .agreement import render_numbered
    from .context import build_context
    from .templates import make_environment, render_folder

    if result.spec is None or not result.ok:
        raise SpecHasErrors(result)
    env = make_environment(options.templates_dir)
    name = result.spec.partnership.name
    context = build_context(result.spec, result, draft_date=draft_date(options),
                            spec_file=Path(result.file).name)
    author = document_author(result.spec)
    rendered = []
    for kind, subject, marker in DOCUMENTS:
        # Every document counts from § 1; the agreement refers to its own §§.
        markdown = render_numbered(lambda ctx: render_folder(env, kind, ctx), context)
        keywords = "; ".join(["IOP", "idéburet offentligt partnerskap", kind, name,
                              *(party.name for party in result.spec.parties)])
        rendered.append(RenderedMarkdown(kind, markdown, f"{name} – {subject}", subject,
                                         f"{name}\t{marker}", author, keywords))
    return rendered


@dataclass(frozen=True)
class PendingPdf:
    """A Word document still to be converted: all PDFs of a run go through LibreOffice
    in one call (starting it costs seconds), see `finish_pdfs`."""

    docx: bytes


def build_spec_outputs(result: CheckResult, out_dir: Path | None, formats: Sequence[str],
                       options: RenderOptions) -> list[tuple[Path, bytes | PendingPdf]]:
    """Every document of one checked spec in memory, in the order of `output_paths`."""
    from .docx import markdown_to_docx
    from .html import markdown_to_html

    when = draft_date(options)
    outputs: list[tuple[Path, bytes | PendingPdf]] = []
    paths = iter(output_paths(result.file, out_dir, formats))
    for document in render_markdown(result, options):
        docx_bytes: bytes | None = None
        for fmt in formats:
            path = next(paths)
            if fmt == "md":
                outputs.append((path, document.markdown.encode("utf-8")))
            elif fmt == "html":
                html = markdown_to_html(document.markdown, title=document.title)
                outputs.append((path, html.encode("utf-8")))
            else:
                if docx_bytes is None:
                    docx_bytes = markdown_to_docx(
                        document.markdown, title=document.title,
                        header_text=document.header_text, subject=document.subject,
                        reference_docx=options.reference_docx, date=when,
                        author=document.author, keywords=document.keywords)
                outputs.append((path, docx_bytes if fmt == "docx" else PendingPdf(docx_bytes)))
    return outputs


def finish_pdfs(outputs: Sequence[tuple[Path, bytes | PendingPdf]]) -> list[tuple[Path, bytes]]:
    """Convert every pending PDF in one LibreOffice run; other outputs pass through."""
    pending = [(index, data) for index, (_, data) in enumerate(outputs)
               if isinstance(data, PendingPdf)]
    finished: list[tuple[Path, bytes | PendingPdf]] = list(outputs)
    if pending:
        from .pdf import docx_to_pdf

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
    result = check_file(spec_path)
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
        spec_path, out_dir, formats, options, output_paths,
        lambda result, directory, chosen, opts: build_outputs([(result, directory)], chosen,
                                                              opts))
