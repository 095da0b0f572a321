"""Markdown to Word (.docx): real Word styles, numbered lists that restart, header and
footer with page fields, and byte-identical output for the same input.

The Markdown is walked as markdown-it tokens and written as WordprocessingML into a
base document:

| Markdown | Word |
|---|---|
| `# …` | Title (the first heading; when a `---` follows before the next heading, the paragraphs in between are a title page, in Subtitle) |
| `## …`, `### …`, `#### …` | Heading 1, Heading 2, Heading 3; `## § 7 Rubrik` numbered by a Word list, "§ 7" in the text a cross-reference (docx_sections.py) |
| signature blocks (lines, one of them "……") | two by two in a table without borders |
| paragraphs | Normal; **bold**, *italic*; a line ending in `\\` is a line break |
| `1.` lists, `-` lists | List Number (every list starts again at its own first number), List Bullet; nested: … 2, … 3 |
| tables | Table Grid, header row repeated on every page, column alignment kept |
| `---` | page break (never at the end: no trailing blank page) |
| a paragraph that is only `![…](iopkit-diagram:N)` | the chart as an inline picture (PNG) with its text alternative, after its caption "Diagram N: …" (chart_refs.py, docx_pictures.py) |
| `> …` | Quote |

The base document (styles, A4 page, header and footer, list definitions) was prepared
with python-docx from its default template and ships with iopkit (see docx_base.py);
with `--referens-docx` the user's document is prepared the same way once per process.
Each document then only parses the small base parts and writes the body, so rendering
needs neither python-docx nor its 400 kB style sheet.

This module composes the parts: word_base.py (the prepared base), docx_body.py (the
body, with numbering.py, table_columns.py and pages.py), header_footer.py and
ooxml_package.py (core properties and the zip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..chart_refs import charts_in_order
from .docx_body import BodyWriter, write_body
from .docx_pictures import package_with_pictures
from .docx_layout import finish_layout
from .docx_sections import add_section_list, bind_heading_style, find_sections
from .header_footer import fill_footer, fill_header
from ..markdown import has_title_page, parse
from .numbering import Numbering
from .ooxml_package import core_properties_xml, serialize, zip_package
from ..pdf.typst_chart import DEFAULT_PPI as CHART_PPI
from ..pdf.typst_chart import Series, chart_pngs
from .word_base import base_for


def check_reference(reference: Path) -> None:
    """Prepare (and cache) the base document from a reference .docx/.dotx now, so that a
    bad file is reported before any work is done. Raises files.UsageProblem."""
    base_for(Path(reference))


def markdown_to_docx(markdown: str, *, title: str, header_text: str, subject: str = "",
                     reference_docx: Path | None = None, date: dt.date | None = None,
                     author: str = "iopkit", keywords: str = "",
                     charts: Sequence[Series] = ()) -> bytes:
    """Convert Markdown (see the module docstring for what maps to what) to a .docx.

    `header_text` goes in the page header; a tab in it splits it into a left part and a
    right-aligned part whose last piece is bold (`"Namn\\tUTKAST"`,
    `"Namn\\tDnr 12\\tUTKAST"`). The footer reads "2 (10)" (PAGE and NUMPAGES fields).
    § headings and references to them are Word numbering and fields (docx_sections.py).
    With `reference_docx`, that document's styles, page setup, header and footer are
    used; its own header and footer are kept as they are when it has them. `date` pins
    every timestamp in the file (default: SOURCE_DATE_EPOCH, else today). `title`, `subject`, `author` and `keywords` go in the document properties
    (and from there into a PDF's metadata). `charts` are the charts the Markdown
    refers to (chart_refs.py): each becomes a picture with its alternative text. Raises files.UsageProblem when the
    reference document cannot be used.
    """
    from lxml import etree

    from ...dates import default_date

    when = date or default_date()
    base = base_for(Path(reference_docx) if reference_docx is not None else None)
    document = etree.fromstring(base.member(base.document_name))
    numbering = etree.fromstring(base.member(base.numbering_name))
    lists = Numbering(numbering)
    tokens = parse(markdown)
    sections = find_sections(tokens)
    replaced: dict[str, bytes] = {}
    if sections.active:
        sections.num_id = lists.next_id
        lists.next_id += 1
        add_section_list(numbering, base.styles["h1"], sections.num_id)
        styles = etree.fromstring(base.member(base.styles_name))
        bind_heading_style(styles, base.styles["h1"], sections.num_id)
        replaced[base.styles_name] = serialize(styles)
    shown = charts_in_order(tokens, charts)
    pngs = chart_pngs(shown, CHART_PPI) if shown else []
    writer = BodyWriter(document, base, lists, sections=sections, charts=charts,
                        chart_pngs=pngs, chart_ppi=CHART_PPI)
    write_body(writer, tokens)
    finish_layout(writer.body, heading_style=base.styles["h1"],
                  title_page=has_title_page(tokens) and base.header_name is not None)

    replaced.update({base.document_name: serialize(document),
                     base.numbering_name: serialize(numbering),
                     base.core_name: core_properties_xml(title, subject, when, author,
                                                         keywords)})
    if base.header_name:
        header = etree.fromstring(base.member(base.header_name))
        fill_header(header, header_text)
        replaced[base.header_name] = serialize(header)
    if base.footer_name:
        footer = etree.fromstring(base.member(base.footer_name))
        fill_footer(footer, writer.pages.pages)
        replaced[base.footer_name] = serialize(footer)
    members = [(name, replaced.get(name, data)) for name, data in base.members]
    return zip_package(package_with_pictures(members, base.document_name, writer.pictures),
                       when)
