"""Markdown to PDF with Typst: PDF/A-2a and PDF/UA-1, byte-identical, no other program.

The document never becomes Typst markup. The Markdown is walked as markdown-it tokens
into a JSON tree of blocks (headings, paragraphs, lists, tables, quotes, page breaks,
charts) and inline runs (text with bold, italic, code, line breaks); a fixed template
that ships with iopkit (`iopkit/data/typst/dokument.typ`) reads that tree from JSON
files given to Typst in memory and places every string as a string, so `#read(...)`,
`$x$`, `*`, `@`, `<` or `\\` in a spec print as written.

Typst runs with a root that is a temporary directory of its own holding nothing but the
logo of the house style, when there is one: nothing outside it can be read.
Fonts come only from iopkit's own folder (Carlito and Caladea, metric-compatible with
the Word theme's Calibri and Cambria, under the SIL Open Font License) and the style's
folder; system fonts are ignored, and the creation date is the draft date, so the same
input gives the same bytes on every computer.

The house style (fonts, colours, margins, logo) is data too: `stil.toml`, read by
`typst_style.py`, exported by `iopkit mallar` to `KATALOG/typst/` and read from there with
`--mallar KATALOG`.

This module knows Markdown and page layout only, nothing of the documents' subject.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...files import UsageProblem
from ..markdown import (clean_text, has_title_page, inline_children, parse_chunks,
                        remembered_chunk)
from ..table_columns import Cell, column_widths
from .typst_engine import PdfInBackground, compilers_for, root_for
from .typst_style import DATA_DIR, Style, fonts_for, load_style

if TYPE_CHECKING:
    from .typst_chart import Series

TEMPLATE = DATA_DIR / "dokument.typ"

#: PDF/A-2a (archive, tagged) together with PDF/UA-1 (accessible).
PDF_STANDARDS = ["a-2a", "ua-1"]
#: Text width of an A4 page with 25 mm margins, in twips (for table column widths).
_TEXT_WIDTH_TWIPS = 9070


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def compile_typst(payload: dict[str, Any], style: Style, *, when: dt.date,
                  output: str = "pdf", ppi: float | None = None) -> bytes:
    """Compile the fixed template over `payload` (meta, blocks): PDF (PDF/A-2a and
    PDF/UA-1), or PNG or SVG of the first page. Raises UsageProblem if Typst fails."""
    return compile_pages(payload, style, when=when, output=output, ppi=ppi)[0]


def compile_pages(payload: dict[str, Any], style: Style, *, when: dt.date,
                  output: str = "pdf", ppi: float | None = None) -> list[bytes]:
    """`compile_typst`, with every page of a PNG or SVG (one compile for many charts);
    a PDF is one item."""
    timestamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    # The template and the data go to Typst in memory, as files of their own (see
    # typst_engine.new_compiler): the title and running header in meta.json, the blocks
    # in blocks.json.
    files = {"main.typ": _template_bytes(),
             "meta.json": _json_bytes(payload["meta"]),
             "style.json": _json_bytes(style.as_input()),
             "blocks.json": _json_bytes(payload["blocks"])}
    logo = (style.logo.name, style.logo.read_bytes()) if style.logo is not None else None
    root = root_for(logo)
    compilers = compilers_for(fonts_for(style))
    compiler = compilers.take()
    try:
        result = compiler.compile(input=files, root=str(root), format=output, ppi=ppi,
                                  pdf_standards=PDF_STANDARDS if output == "pdf" else [],
                                  timestamp=timestamp)
    except RuntimeError as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise UsageProblem(f"PDF-filen kunde inte skapas med Typst: {message}. Kontrollera "
                           "stilfilen (stil.toml), eller välj --pdf-motor libreoffice.") \
            from None
    finally:
        compilers.give_back(compiler)
    pages = result if isinstance(result, list) else [result]
    assert pages and all(isinstance(page, bytes) for page in pages)
    return pages


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------
# Markdown to the document tree


Runs = list[dict[str, Any]]


def inline_runs(children: list[Any], bold: bool = False) -> Runs:
    """markdown-it inline tokens as runs: {"x": text, "b": bold, "i": italic, "code"}
    and {"br": True} for a hard line break. Adjacent text of one format is joined."""
    runs: Runs = []
    strong, italic = bold, False

    def add(text: str, code: bool = False) -> None:
        text = clean_text(text)
        if not text:
            return
        run: dict[str, Any] = {"x": text}
        if strong:
            run["b"] = True
        if italic:
            run["i"] = True
        if code:
            run["code"] = True
        last = runs[-1] if runs else None
        if last is not None and "x" in last and not code and \
                {k: v for k, v in last.items() if k != "x"} == \
                {k: v for k, v in run.items() if k != "x"}:
            last["x"] += text
        else:
            runs.append(run)

    for child in children:
        kind = child.type
        if kind == "text":
            add(child.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            runs.append({"br": True})
        elif kind in ("strong_open", "strong_close"):
            strong = kind == "strong_open" or bold
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind == "code_inline":
            add(child.content, code=True)
        elif kind in ("link_open", "link_close", "image"):
            if kind == "image":
                add(child.content or "")
        else:
            add(child.content or "")
    return runs


def token_runs(token: Any) -> Runs:
    """`inline_runs` of an inline token, remembered by its text (which alone decides its
    runs: see markdown.inline_children). The runs are shared: never change them."""
    return list(_runs_of_text(token.content))


@lru_cache(maxsize=8192)
def _runs_of_text(content: str) -> tuple[dict[str, Any], ...]:
    return tuple(inline_runs(list(inline_children(content))))


def runs_text(runs: Runs) -> str:
    return "".join(run.get("x", "\n") for run in runs)


@dataclass
class DocumentTree:
    """The JSON the template walks: the title (and title page lines) and the blocks."""

    title_runs: Runs = field(default_factory=list)
    title_lines: list[Runs] = field(default_factory=list)
    title_page: bool = False
    blocks: list[dict[str, Any]] = field(default_factory=list)


def document_tree(markdown: str, charts: Sequence[Series] = ()) -> DocumentTree:
    """The Markdown document as a tree of blocks (see the module docstring); a paragraph
    that is only a reference to one of `charts` (chart_refs.py) is that chart.

    The blocks of a chunk the Markdown reader remembers (`markdown.parse_chunks`) are
    remembered too, by the chunk's text: in a batch most chunks recur. They are shared
    between trees: read them, never change them."""
    chunks = parse_chunks(markdown)
    tokens = [token for _, chunk_tokens in chunks for token in chunk_tokens]
    tree = DocumentTree(title_page=has_title_page(tokens))
    index = 0
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        tree.title_runs = token_runs(tokens[1])
        index = 3
        if tree.title_page:
            while tokens[index].type != "hr":
                if tokens[index].type == "inline":
                    tree.title_lines.append(token_runs(tokens[index]))
                index += 1
            index += 1
    # The title's tokens (index of them) are not blocks; the chunk they end in is walked
    # from where they end, the chunks after it whole.
    position = 0
    for chunk, chunk_tokens in chunks:
        first = max(index - position, 0)
        position += len(chunk_tokens)
        if first >= len(chunk_tokens):
            continue
        blocks: Sequence[dict[str, Any]]
        if chunk is not None and first == 0 and not charts:
            blocks, table_first = _remembered_blocks(chunk)
        else:
            blocks, table_first = _blocks(chunk_tokens[first:], charts)
        if table_first:
            # A table right after the previous chunk's paragraph keeps that with it.
            _keep_lead_in(tree.blocks, always=True)
        tree.blocks.extend(blocks)
    return tree


@lru_cache(maxsize=4096)
def _remembered_blocks(chunk: str) -> tuple[tuple[dict[str, Any], ...], bool]:
    blocks, table_first = _blocks(remembered_chunk(chunk), ())
    return tuple(blocks), table_first


def _blocks(tokens: Sequence[Any], charts: Sequence[Series]
            ) -> tuple[list[dict[str, Any]], bool]:
    """The blocks of top-level block tokens, and whether the first of them is a table
    (which keeps the paragraph before it, in an earlier chunk, on its page)."""
    from ..chart_refs import paragraph_chart
    from .typst_chart import chart_block

    blocks: list[dict[str, Any]] = []
    table_first = False
    stack: list[list[dict[str, Any]]] = [blocks]
    lists: list[dict[str, Any]] = []
    table: dict[str, Any] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        current = stack[-1]
        if kind == "heading_open":
            level = {1: 1, 2: 1, 3: 2}.get(int(token.tag[1:]), 3)
            current.append({"t": "heading", "level": level,
                            "c": token_runs(tokens[index + 1])})
            index += 3
            continue
        chart = paragraph_chart(tokens[index + 1], charts) \
            if kind == "paragraph_open" and charts else None
        if chart is not None:
            current.append(chart_block(chart[1]))
            index += 3
            continue
        if kind == "paragraph_open":
            runs = token_runs(tokens[index + 1])
            block: dict[str, Any] = {"t": "par", "c": runs}
            if any("br" in run for run in runs):
                block["lines"] = True
            current.append(block)
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if token.attrs else 1
            entry = {"t": "list", "ordered": kind == "ordered_list_open", "start": start,
                     "items": []}
            _keep_lead_in(current)
            current.append(entry)
            lists.append(entry)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item: list[dict[str, Any]] = []
            lists[-1]["items"].append(item)
            stack.append(item)
        elif kind == "list_item_close":
            stack.pop()
        elif kind == "blockquote_open":
            quote: dict[str, Any] = {"t": "quote", "c": []}
            current.append(quote)
            stack.append(quote["c"])
        elif kind == "blockquote_close":
            stack.pop()
        elif kind == "hr":
            current.append({"t": "pagebreak"})
        elif kind in ("code_block", "fence"):
            current.append({"t": "code", "text": clean_text(token.content.rstrip("\n"))})
        elif kind == "table_open":
            table = {"rows": []}
        elif kind == "tr_open":
            assert table is not None
            table["rows"].append([])
        elif kind in ("th_open", "td_open"):
            assert table is not None
            style = str((token.attrs or {}).get("style", ""))
            align = style.split(":", 1)[1] if ":" in style else None
            table["rows"][-1].append(Cell(list(tokens[index + 1].children or []), align,
                                          kind == "th_open"))
            index += 3
            continue
        elif kind == "table_close":
            assert table is not None
            table_first = table_first or current is blocks and not blocks
            _keep_lead_in(current, always=True)
            current.append(_table_block(table["rows"]))
            table = None
        index += 1
    return blocks, table_first


def _keep_lead_in(blocks: list[dict[str, Any]], always: bool = False) -> None:
    """A paragraph that introduces a list ("… följande:") or stands right before a
    table stays on the page of what follows. (A new block: the last one may be a
    remembered chunk's.)"""
    if blocks and blocks[-1]["t"] == "par" and (
            always or runs_text(blocks[-1]["c"]).rstrip().endswith(":")):
        blocks[-1] = {**blocks[-1], "keep": True}


def _table_block(rows: list[list[Cell]]) -> dict[str, Any]:
    columns = max((len(row) for row in rows), default=1)
    widths = column_widths(rows, columns, _TEXT_WIDTH_TWIPS)
    header = rows[0] if rows and rows[0] and rows[0][0].header else []
    body = rows[1:] if header else rows
    aligns = [next((row[c].align for row in rows if c < len(row) and row[c].align), None)
              or "left" for c in range(columns)]

    def cells(row: list[Cell]) -> list[Runs]:
        return [inline_runs(row[c].children) if c < len(row) else [] for c in range(columns)]

    total = sum(widths) or 1
    return {"t": "table", "widths": [round(w / total, 4) for w in widths],
            "align": aligns, "header": cells(header) if header else [],
            "rows": [cells(row) for row in body]}


# ---------------------------------------------------------------------------------
# Documents


def header_parts(header_text: str) -> tuple[str, list[str]]:
    """The running header as the Word writer reads it: the text before the first tab on
    the left, the tab-separated pieces after it on the right, the last one bold
    ("Namn\tUTKAST", or "Namn\tDnr SNC 2026/0418\tUTKAST")."""
    left, *right = clean_text(header_text).split("\t")
    pieces = [" ".join(piece.split()) for piece in right]
    return " ".join(left.split()), [piece for piece in pieces if piece]


def document_meta(tree: DocumentTree, *, title: str, header_text: str, author: str,
                  keywords: str, subject: str = "") -> dict[str, Any]:
    left, right = header_parts(header_text)
    words = [" ".join(word.split()) for word in clean_text(keywords).split(";")]
    return {"title": " ".join(clean_text(title).split()) or "Dokument",
            "author": " ".join(clean_text(author).split()) or "iopkit",
            "subject": " ".join(clean_text(subject).split()),
            "keywords": [word for word in words if word],
            "header_left": left, "header_right": right, "title_page": tree.title_page,
            "title_runs": tree.title_runs, "title_lines": tree.title_lines}


def blocks_to_pdf(tree: DocumentTree, *, title: str, header_text: str = "",
                  author: str = "iopkit", keywords: str = "", subject: str = "",
                  date: dt.date | None = None, templates_dir: Path | None = None) -> bytes:
    """A document tree (from `document_tree`, perhaps with chart blocks added) as PDF."""
    from ...dates import default_date

    meta = document_meta(tree, title=title, header_text=header_text, author=author,
                         keywords=keywords, subject=subject)
    return compile_typst({"meta": meta, "blocks": tree.blocks}, load_style(templates_dir),
                         when=date or default_date())


def markdown_to_pdf(markdown: str, *, title: str, header_text: str = "",
                    author: str = "iopkit", keywords: str = "", subject: str = "",
                    date: dt.date | None = None, templates_dir: Path | None = None,
                    charts: Sequence[Series] = ()) -> bytes:
    """Markdown as a PDF/A-2a and PDF/UA-1 file in the house style.

    `title`, `author`, `subject` and `keywords` (separated by ";") go in the metadata;
    `header_text` is the running header (see `header_parts`);
    pages are numbered "2 (10)". A document opening with `# Title` and a `---` before
    its next heading gets a title page (no header or page number on it). `date` pins
    the creation date (default: SOURCE_DATE_EPOCH, else today); `templates_dir` is the
    --mallar directory whose typst/stil.toml is used; `charts` are the charts the
    Markdown refers to, drawn as vector Figures with their text alternative. Raises
    UsageProblem.
    """
    return blocks_to_pdf(document_tree(markdown, charts), title=title, header_text=header_text,
                         author=author, keywords=keywords, subject=subject, date=date,
                         templates_dir=templates_dir)


def pdf_in_background(markdown: str, **fields: Any) -> PdfInBackground:
    """`markdown_to_pdf(markdown, **fields)` on a thread of its own, so that the
    documents of one `render` are laid out on every core at once (Typst lets go of
    Python's lock while it works; at most PARALLEL compile at a time, the others wait).
    The PDF is the one `markdown_to_pdf` makes, byte for byte."""
    return PdfInBackground(lambda: markdown_to_pdf(markdown, **fields))
