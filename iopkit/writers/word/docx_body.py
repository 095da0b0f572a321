"""The body of a Word document, written from markdown-it tokens: paragraphs in Word's
styles, lists, tables, quotes and page breaks (see docx.py for what maps to what).

Paragraphs, runs and tables are written as XML directly (in schema order): python-docx's
object layer is convenient but several times slower, and a batch renders thousands.

Why one module of some 500 lines: it is one writer, `BodyWriter`, a walk over the
markdown-it tokens whose state (the list numbering, a pending page break, the title
page, whether the block before was a table) every kind of block reads and changes;
split by block, that state would be shared across modules.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..chart_refs import caption, paragraph_chart
from .docx_pictures import Pictures, first_drawing_id, picture_run
from .docx_sections import (
    Sections,
    add_text_with_references,
    bookmark_heading,
    number_heading,
)
from ..markdown import clean_text, has_title_page
from .numbering import Numbering
from .pages import PageEstimate, cell_lines
from ..table_columns import Cell, column_widths
from .word_base import Base
from .wordxml import add_break, add_run, el, insert_ppr_child, set_ppr_flag, w

if TYPE_CHECKING:
    from ..pdf.typst_chart import Series

_P, _PPR, _VAL = w("p"), w("pPr"), w("val")


@dataclass
class _ListState:
    ordered: bool
    num_id: int
    level: int
    item_started: bool = False


@dataclass
class _Paragraph:
    element: Any
    text: str = ""


@dataclass
class BodyWriter:
    document: Any  # the w:document element
    base: Base
    numbering: Numbering
    body: Any = None
    sect_pr: Any = None
    lists: list[_ListState] = field(default_factory=list)
    quote_depth: int = 0
    pending_page_break: bool = False
    title_page: bool = False
    seen_title: bool = False
    last_paragraph: _Paragraph | None = None
    after_table: bool = False
    table_rows: list[list[Cell]] | None = None
    bullet_num: int | None = None
    pages: PageEstimate = field(default_factory=PageEstimate)
    sections: Sections = field(default_factory=lambda: Sections({}))
    #: The document's charts (chart_refs) and their PNGs in order of appearance.
    charts: Sequence[Series] = ()
    chart_pngs: Sequence[bytes] = ()
    chart_ppi: float = 200.0
    pictures: Pictures = field(default_factory=Pictures)

    def __post_init__(self) -> None:
        self.body = self.document.find(w("body"))
        self.sect_pr = self.body.find(w("sectPr"))

    def _append(self, element: Any) -> None:
        if self.sect_pr is not None:
            self.sect_pr.addprevious(element)
        else:
            self.body.append(element)

    # -- blocks ----------------------------------------------------------------------

    def paragraph(self, style_key: str, ilvl: int | None = None,
                  num_id: int | None = None) -> _Paragraph:
        from lxml import etree

        p = etree.Element(_P)
        ppr = etree.SubElement(p, _PPR)
        etree.SubElement(ppr, w("pStyle")).set(_VAL, self.base.styles[style_key])
        if self.pending_page_break:
            etree.SubElement(ppr, w("pageBreakBefore"))
            self.pending_page_break = False
            self.pages.new_page()
        if num_id is not None:
            numpr = etree.SubElement(ppr, w("numPr"))
            etree.SubElement(numpr, w("ilvl")).set(_VAL, str(ilvl or 0))
            etree.SubElement(numpr, w("numId")).set(_VAL, str(num_id))
        if self.after_table:
            if not style_key.startswith(("h", "title")):
                etree.SubElement(ppr, w("spacing")).set(w("before"), "160")
            self.after_table = False
        self._append(p)
        paragraph = _Paragraph(p)
        self.last_paragraph = paragraph
        return paragraph

    def keep_lead_in(self, always: bool = False) -> None:
        """A paragraph that introduces a list ("Indikatorer:") or any paragraph right
        before a table stays on the same page as what follows."""
        last = self.last_paragraph
        if last is not None and (always or last.text.rstrip().endswith(":")):
            set_ppr_flag(last.element, "keepNext")

    def start_list(self, ordered: bool, start: int) -> None:
        """Every numbered list gets its own numbering instance starting at `start`, so
        lists never continue each other's numbers; bullets share one instance."""
        if not self.lists:
            self.keep_lead_in()
        level = len(self.lists)
        if ordered:
            num_id = self.numbering.add(self.base.decimal_abstract, level, start)
        else:
            if self.bullet_num is None:
                self.bullet_num = self.numbering.add(self.base.bullet_abstract)
            num_id = self.bullet_num
        self.lists.append(_ListState(ordered, num_id, level))

    def block_paragraph(self, inline: Any) -> None:
        if self.lists:
            state = self.lists[-1]
            level = min(state.level, 2)
            suffix = "" if level == 0 else f"_{level + 1}"
            if not state.item_started:
                state.item_started = True
                key = ("list_number" if state.ordered else "list_bullet") + suffix
                paragraph = self.paragraph(key, ilvl=level, num_id=state.num_id)
            else:
                paragraph = self.paragraph("list_continue" + suffix)
            chars, extra = 84 - 4 * level, 0.15
        elif self.quote_depth:
            paragraph = self.paragraph("quote")
            chars, extra = 80, 0.4
        elif self.title_page:
            paragraph = self.paragraph("subtitle")
            chars, extra = 70, 0.4
        else:
            paragraph = self.paragraph("normal")
            chars, extra = 90, 0.4
        length = self.inline(paragraph, inline.children or [])
        self.pages.count_lines(length, chars, extra)

    def heading(self, level: int, inline: Any, title_page: bool) -> None:
        if level == 1 and not self.seen_title:
            key, lines = "title", 4.0
            self.seen_title = True
            self.title_page = title_page
        else:
            key = {1: "h1", 2: "h1", 3: "h2"}.get(level, "h3")
            lines = 2.5 if key == "h1" else 1.8
            self.title_page = False
        paragraph = self.paragraph(key)
        if key == "title" and self.title_page:
            # A title page sets its title a third of the way down the page. (A title
            # never has spacing of its own: paragraph() adds none to headings.)
            insert_ppr_child(paragraph.element.find(_PPR), el("spacing", before="3600"))
        children = list(inline.children or [])
        section = self.sections.heading(inline.content or "") if key == "h1" else None
        if key == "h1" and self.sections.active:
            # In a document with § headings every Heading 1 is in the section list
            # (bound to the style): the § headings at their level, the others unnumbered.
            number_heading(paragraph.element.find(_PPR), self.sections.num_id
                           if section is not None else 0)
        if section is not None:
            children = _without_number(children)
        self.inline(paragraph, children)
        if section is not None:
            bookmark_heading(paragraph.element, self.sections, section[0])
        self.pages.count_lines(1, 80, lines - 1)

    def chart(self, series: Series) -> None:
        """A chart: its caption ("Diagram 2: …", kept with the picture), then the picture
        with the text alternative as its alternative text."""
        from ..pdf.typst_chart import alt_text

        index = len(self.pictures.media)
        number = index + 1
        label = self.paragraph("normal")
        set_ppr_flag(label.element, "keepNext")
        add_run(label.element, clean_text(caption(number, series)), italic=True)
        label.text = caption(number, series)
        rel_id, _ = self.pictures.add(self.chart_pngs[index])
        holder = self.paragraph("normal")
        holder.element.append(picture_run(
            rel_id, first_drawing_id(index), f"Diagram {number}", alt_text(series),
            self.chart_pngs[index], self.chart_ppi, self.base.text_width))
        self.pages.count_lines(1, 80, 14)

    def page_break(self) -> None:
        self.pending_page_break = True
        self.title_page = False

    def code(self, content: str) -> None:
        paragraph = self.paragraph("normal")
        lines = content.rstrip("\n").split("\n")
        for number, line in enumerate(lines):
            if number:
                add_break(paragraph.element)
            if line:
                add_run(paragraph.element, clean_text(line), code=True)
        self.pages.count_lines(len(content), 80, len(lines) - 1)

    # -- inline ----------------------------------------------------------------------

    def inline(self, paragraph: _Paragraph, children: list[Any], bold: bool = False) -> int:
        """Write inline tokens as runs; returns the number of characters written."""
        bold_on, italic_on, written, has_break = bold, False, 0, False
        buffer: list[str] = []
        p = paragraph.element

        def flush(code: bool = False) -> None:
            nonlocal written
            text = clean_text("".join(buffer))
            buffer.clear()
            if text and self.sections.active and not code:
                add_text_with_references(p, text, self.sections, bold_on, italic_on)
            elif text:
                add_run(p, text, bold_on, italic_on, code)
            if text:
                paragraph.text += text
                written += len(text)

        for child in children:
            kind = child.type
            if kind == "text":
                buffer.append(child.content)
            elif kind == "softbreak":
                buffer.append(" ")
            elif kind == "hardbreak":
                flush()
                add_break(p)
                paragraph.text += "\n"
                written += 90
                has_break = True
            elif kind in ("strong_open", "strong_close"):
                flush()
                bold_on = kind == "strong_open" or bold
            elif kind in ("em_open", "em_close"):
                flush()
                italic_on = kind == "em_open"
            elif kind == "code_inline":
                flush()
                buffer.append(child.content)
                flush(code=True)
            elif kind in ("link_open", "link_close"):
                continue
            else:
                buffer.append(child.content or "")
        flush()
        if has_break:
            set_ppr_flag(p, "keepLines")
        return written

    # -- tables ----------------------------------------------------------------------

    def signature_table(self, blocks: list[Any]) -> None:
        """Signature blocks two by two, side by side, in a table without borders (the
        layout of a signed agreement). No row splits, and the rows and the heading above
        ("För …") stay on one page."""
        from lxml import etree

        if self.after_table:
            self._append(etree.Element(_P))
            self.after_table = False
        self.keep_lead_in(always=True)
        half = self.base.text_width // 2
        tbl = etree.Element(w("tbl"))
        tblpr = etree.SubElement(tbl, w("tblPr"))
        tblw = etree.SubElement(tblpr, w("tblW"))
        tblw.set(w("w"), str(2 * half))
        tblw.set(w("type"), "dxa")
        borders = etree.SubElement(tblpr, w("tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            etree.SubElement(borders, w(side)).set(_VAL, "nil")
        etree.SubElement(tblpr, w("tblLayout")).set(w("type"), "fixed")
        margins = etree.SubElement(tblpr, w("tblCellMar"))
        for side in ("left", "right"):
            margin = etree.SubElement(margins, w(side))
            margin.set(w("w"), "0")
            margin.set(w("type"), "dxa")
        look = etree.SubElement(tblpr, w("tblLook"))
        for key, value in (("val", "0000"), ("firstRow", "0"), ("lastRow", "0"),
                           ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "1"),
                           ("noVBand", "1")):
            look.set(w(key), value)
        # A layout table: no header row, and its alternative text says what it holds.
        etree.SubElement(tblpr, w("tblCaption")).set(_VAL, "Underskrifter")
        grid = etree.SubElement(tbl, w("tblGrid"))
        for _ in range(2):
            etree.SubElement(grid, w("gridCol")).set(w("w"), str(half))
        page_break = self.pending_page_break
        self.pending_page_break = False
        rows = [blocks[i:i + 2] for i in range(0, len(blocks), 2)]
        for number, row in enumerate(rows):
            tr = etree.SubElement(tbl, w("tr"))
            etree.SubElement(etree.SubElement(tr, w("trPr")), w("cantSplit"))
            row_lines = 1
            for column in range(2):
                tc = etree.SubElement(tr, w("tc"))
                tcw = etree.SubElement(etree.SubElement(tc, w("tcPr")), w("tcW"))
                tcw.set(w("w"), str(half))
                tcw.set(w("type"), "dxa")
                p = etree.SubElement(tc, _P)
                ppr = etree.SubElement(p, _PPR)
                if number < len(rows) - 1:
                    etree.SubElement(ppr, w("keepNext"))
                if page_break:
                    etree.SubElement(ppr, w("pageBreakBefore"))
                    page_break = False
                    self.pages.new_page()
                # Room between the rows of blocks; the cell's right edge is the gap
                # between the two blocks of a row.
                if number:
                    etree.SubElement(ppr, w("spacing")).set(w("before"), "360")
                # The dotted lines to write on end at the cell's edge: a tab with a
                # dotted leader, whatever the font (the dots would wrap in half a page).
                tab = etree.SubElement(etree.SubElement(ppr, w("tabs")), w("tab"))
                for key, value in (("val", "right"), ("leader", "dot"),
                                   ("pos", str(half - _SIGNATURE_GAP))):
                    tab.set(w(key), value)
                etree.SubElement(ppr, w("ind")).set(w("right"), str(_SIGNATURE_GAP))
                if column < len(row):
                    self.inline(_Paragraph(p), _dots_as_tabs(row[column].children or []))
                    row_lines = max(row_lines, 1 + sum(
                        1 for c in row[column].children or [] if c.type == "hardbreak"))
            self.pages.count_table_row(row_lines + 1)
        self._append(tbl)
        self.after_table = True
        self.last_paragraph = None

    def table(self, rows: list[list[Cell]]) -> None:
        from lxml import etree

        if not rows:
            return
        if self.after_table:
            # Word joins two tables that touch into one: keep an empty paragraph between.
            self._append(etree.Element(_P))
            self.after_table = False
        self.keep_lead_in(always=True)
        columns = max(len(r) for r in rows)
        widths = column_widths(rows, columns, self.base.text_width)
        tbl = etree.Element(w("tbl"))
        tblpr = etree.SubElement(tbl, w("tblPr"))
        etree.SubElement(tblpr, w("tblStyle")).set(_VAL, self.base.styles["table"])
        tblw = etree.SubElement(tblpr, w("tblW"))
        tblw.set(w("w"), str(sum(widths)))
        tblw.set(w("type"), "dxa")
        etree.SubElement(tblpr, w("tblLayout")).set(w("type"), "fixed")
        look = etree.SubElement(tblpr, w("tblLook"))
        for key, value in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"),
                           ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "0"),
                           ("noVBand", "1")):
            look.set(w(key), value)
        grid = etree.SubElement(tbl, w("tblGrid"))
        for width in widths:
            etree.SubElement(grid, w("gridCol")).set(w("w"), str(width))
        page_break = self.pending_page_break
        self.pending_page_break = False
        for row in rows:
            tr = etree.SubElement(tbl, w("tr"))
            trpr = etree.SubElement(tr, w("trPr"))
            etree.SubElement(trpr, w("cantSplit"))
            if row and row[0].header:
                etree.SubElement(trpr, w("tblHeader"))
            row_lines = 1
            for c in range(columns):
                tc = etree.SubElement(tr, w("tc"))
                tcw = etree.SubElement(etree.SubElement(tc, w("tcPr")), w("tcW"))
                tcw.set(w("w"), str(widths[c]))
                tcw.set(w("type"), "dxa")
                p = etree.SubElement(tc, _P)
                if c >= len(row):
                    continue
                align = {"right": "right", "center": "center"}.get(row[c].align or "")
                if align or page_break:
                    ppr = etree.SubElement(p, _PPR)
                    if page_break:
                        etree.SubElement(ppr, w("pageBreakBefore"))
                        page_break = False
                        self.pages.new_page()
                    if align:
                        etree.SubElement(ppr, w("jc")).set(_VAL, align)
                length = self.inline(_Paragraph(p), row[c].children, bold=row[c].header)
                row_lines = max(row_lines, cell_lines(length, widths[c]))
            self.pages.count_table_row(row_lines)
        self._append(tbl)
        self.after_table = True
        self.last_paragraph = None


#: The signature line of a signature block: dots or underscores only.
_SIGNATURE_LINE = frozenset("….·_ ")


#: The space between two signature blocks side by side (twips: 1 cm).
_SIGNATURE_GAP = 567
_DOTS = re.compile(r"[….]{3,}")


def _dots_as_tabs(children: list[Any]) -> list[Any]:
    """A signature block's dotted lines as tabs (to a stop with a dotted leader)."""
    out = []
    for child in children:
        if child.type == "text" and _DOTS.search(child.content):
            child = copy.copy(child)
            child.content = _DOTS.sub("\t", child.content)
        out.append(child)
    return out


def is_signature_block(inline: Any) -> bool:
    """A paragraph that is a signature block as the agreement writes it: lines (hard
    breaks) of which one is only a signature line ("……………")."""
    children = inline.children or []
    breaks = sum(1 for c in children if c.type == "hardbreak")
    return breaks >= 2 and any(
        c.type == "text" and len(c.content.strip()) >= 10
        and set(c.content) <= _SIGNATURE_LINE for c in children)


def _without_number(children: list[Any]) -> list[Any]:
    """A § heading's inline tokens without the leading "§ 7 " (Word's list numbers it)."""
    if not children or children[0].type != "text":
        return children
    first = copy.copy(children[0])
    first.content = re.sub(r"^§[\u00a0 ]\d+[\u00a0 ]+", "", first.content)
    return [first, *children[1:]]


def write_body(writer: BodyWriter, tokens: list[Any]) -> None:
    """Walk the block tokens of a Markdown document and write them."""
    title_page = has_title_page(tokens)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            writer.heading(int(token.tag[1:]), tokens[index + 1], title_page)
            index += 3
            continue
        chart = paragraph_chart(tokens[index + 1], writer.charts) \
            if kind == "paragraph_open" and writer.table_rows is None else None
        if chart is not None:
            writer.chart(chart[1])
            index += 3
            continue
        if kind == "paragraph_open" and writer.table_rows is None and not writer.lists \
                and not writer.quote_depth and is_signature_block(tokens[index + 1]):
            blocks = []
            while (index < len(tokens) and tokens[index].type == "paragraph_open"
                   and is_signature_block(tokens[index + 1])):
                blocks.append(tokens[index + 1])
                index += 3
            writer.signature_table(blocks)
            continue
        if kind == "paragraph_open":
            if writer.table_rows is None:
                writer.block_paragraph(tokens[index + 1])
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if token.attrs else 1
            writer.start_list(kind == "ordered_list_open", start)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            writer.lists.pop()
        elif kind == "list_item_open":
            writer.lists[-1].item_started = False
        elif kind == "blockquote_open":
            writer.quote_depth += 1
        elif kind == "blockquote_close":
            writer.quote_depth -= 1
        elif kind == "hr":
            writer.page_break()
        elif kind in ("code_block", "fence"):
            writer.code(token.content)
        elif kind == "table_open":
            writer.table_rows = []
        elif kind == "tr_open":
            writer.table_rows.append([])  # type: ignore[union-attr]
        elif kind in ("th_open", "td_open"):
            style = (token.attrs or {}).get("style", "")
            align = str(style).split(":", 1)[1] if ":" in str(style) else None
            inline = tokens[index + 1]
            writer.table_rows[-1].append(  # type: ignore[index]
                Cell(list(inline.children or []), align, kind == "th_open"))
            index += 3
            continue
        elif kind == "table_close":
            writer.table(writer.table_rows or [])
            writer.table_rows = None
        index += 1
