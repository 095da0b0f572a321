"""Markdown to Word (.docx): real Word styles, numbered lists that restart, header and
footer with page fields, and byte-identical output for the same input.

The Markdown is walked as markdown-it tokens and written as WordprocessingML into a
base document:

| Markdown | Word |
|---|---|
| `# …` | Title (the first heading; when a `---` follows before the next heading, the paragraphs in between are a title page, in Subtitle) |
| `## …`, `### …`, `#### …` | Heading 1, Heading 2, Heading 3 |
| paragraphs | Normal; **bold**, *italic*; a line ending in `\\` is a line break |
| `1.` lists, `-` lists | List Number (every list starts again at its own first number), List Bullet; nested: … 2, … 3 |
| tables | Table Grid, header row repeated on every page, column alignment kept |
| `---` | page break (never at the end: no trailing blank page) |
| `> …` | Quote |

The base document (styles, A4 page, header and footer, list definitions) was prepared
with python-docx from its default template and ships with iopkit (see docx_base.py);
with `--referens-docx` the user's document is prepared the same way once per process.
Each document then only parses the small base parts and writes the body, so rendering
needs neither python-docx nor its 400 kB style sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import posixpath
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import UsageProblem, describe_os_error
from .docx_layout import finish_layout
from .markdown import clean_text, parser
from .wordxml import (
    A4_WIDTH,
    LANGUAGE,
    MARGIN,
    NSID_PREFIX,
    PKG_REL_NS,
    R_NS,
    RT_CORE_PROPERTIES,
    RT_NUMBERING,
    RT_OFFICE_DOCUMENT,
    RT_STYLES,
    XML_NS,
    el,
    insert_ppr_child,
    style_ids,
    sub,
    w,
)

# ---------------------------------------------------------------------------------
# The base document


@dataclass
class _Base:
    members: list[tuple[str, bytes]]  # the zip entries, in order
    document_name: str
    numbering_name: str
    core_name: str
    header_name: str | None  # iopkit's own header part, filled per document
    footer_name: str | None
    styles: dict[str, str]  # our style key -> styleId
    decimal_abstract: int
    bullet_abstract: int
    text_width: int  # twips

    def member(self, name: str) -> bytes:
        return next(data for member, data in self.members if member == name)


_base_lock = threading.Lock()
_bases: dict[Any, _Base] = {}


def _base_for(reference: Path | None) -> _Base:
    """The prepared base: iopkit's own, or the user's reference document (cached by
    path, modification time and size)."""
    if reference is None:
        key: Any = None
    else:
        try:
            stat = reference.stat()
        except OSError as exc:
            raise UsageProblem(f"Referensdokumentet {reference} kan inte läsas: "
                               f"{describe_os_error(exc)}.") from None
        key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    with _base_lock:
        base = _bases.get(key)
        if base is None:
            if reference is None:
                from .docx_base import SHIPPED_BASE

                try:
                    base = _load_base(SHIPPED_BASE.read_bytes(), True, True)
                except OSError:  # pragma: no cover - a broken installation
                    from .docx_base import build_base_package

                    base = _load_base(*build_base_package(None))
            else:
                from .docx_base import build_base_package

                base = _load_base(*build_base_package(reference))
            _bases[key] = base
        return base


def _rels_name(part_name: str) -> str:
    folder, name = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", name + ".rels")


def _targets(members: dict[str, bytes], part_name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name) for the part's relationships."""
    from lxml import etree

    rels = members.get(_rels_name(part_name))
    if rels is None:
        return {}
    folder = posixpath.dirname(part_name)
    result = {}
    for rel in etree.fromstring(rels).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        result[rel.get("Id")] = (rel.get("Type"), name)
    return result


def _load_base(data: bytes, own_header: bool, own_footer: bool) -> _Base:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = [(info.filename, package.read(info.filename))
                   for info in package.infolist()]
    by_name = dict(members)
    package_rels = _targets(by_name, "")
    document_name = next(n for t, n in package_rels.values() if t == RT_OFFICE_DOCUMENT)
    core_name = next(n for t, n in package_rels.values() if t == RT_CORE_PROPERTIES)
    document_rels = _targets(by_name, document_name)
    numbering_name = next(n for t, n in document_rels.values() if t == RT_NUMBERING)
    styles_name = next(n for t, n in document_rels.values() if t == RT_STYLES)

    document = etree.fromstring(by_name[document_name])
    sect_pr = document.find(f"{w('body')}/{w('sectPr')}")

    def reference_part(tag: str) -> str | None:
        for ref in sect_pr.findall(w(tag)) if sect_pr is not None else []:
            if ref.get(w("type"), "default") == "default":
                return document_rels[ref.get(f"{{{R_NS}}}id")][1]
        return None

    numbering = etree.fromstring(by_name[numbering_name])
    ours = [int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))
            if (a.find(w("nsid")) is not None and
                a.find(w("nsid")).get(w("val"), "").startswith(NSID_PREFIX))]
    width = A4_WIDTH - 2 * MARGIN
    if sect_pr is not None:
        size, margins = sect_pr.find(w("pgSz")), sect_pr.find(w("pgMar"))
        try:
            width = int(size.get(w("w"))) - int(margins.get(w("left"))) - \
                int(margins.get(w("right")))
        except (AttributeError, TypeError, ValueError):
            pass
    return _Base(
        members=members,
        document_name=document_name,
        numbering_name=numbering_name,
        core_name=core_name,
        header_name=reference_part("headerReference") if own_header else None,
        footer_name=reference_part("footerReference") if own_footer else None,
        styles=style_ids(etree.fromstring(by_name[styles_name])),
        decimal_abstract=ours[-2],
        bullet_abstract=ours[-1],
        text_width=width,
    )


class _Numbering:
    """The numbering part of one document: adds a w:num per list."""

    def __init__(self, root: Any):
        self.root = root
        ids = [int(n.get(w("numId"))) for n in root.findall(w("num"))]
        self.next_id = max(ids, default=0) + 1
        self.cleanup = root.find(w("numIdMacAtCleanup"))

    def add(self, abstract_id: int, level: int = 0, start: int | None = None) -> int:
        num = el("num", numId=str(self.next_id))
        sub(num, "abstractNumId", val=str(abstract_id))
        if start is not None:
            override = sub(num, "lvlOverride", ilvl=str(level))
            sub(override, "startOverride", val=str(start))
        if self.cleanup is not None:
            self.cleanup.addprevious(num)
        else:
            self.root.append(num)
        self.next_id += 1
        return self.next_id - 1


# ---------------------------------------------------------------------------------
# Building one document
#
# Paragraphs, runs and tables are written as XML directly (in schema order): python-docx's
# object layer is convenient but several times slower, and a batch renders thousands.

_P, _PPR, _R, _RPR, _T = w("p"), w("pPr"), w("r"), w("rPr"), w("t")
_VAL = w("val")
_SPACE = f"{{{XML_NS}}}space"


@dataclass
class _ListState:
    ordered: bool
    num_id: int
    level: int
    item_started: bool = False


@dataclass
class _Cell:
    children: list[Any]
    align: str | None
    header: bool


@dataclass
class _Paragraph:
    element: Any
    text: str = ""


@dataclass
class _Builder:
    document: Any  # the w:document element
    base: _Base
    numbering: _Numbering
    body: Any = None
    sect_pr: Any = None
    lists: list[_ListState] = field(default_factory=list)
    quote_depth: int = 0
    pending_page_break: bool = False
    title_page: bool = False
    seen_title: bool = False
    last_paragraph: _Paragraph | None = None
    after_table: bool = False
    table_rows: list[list[_Cell]] | None = None
    bullet_num: int | None = None
    lines: float = 0.0
    pages: int = 1

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
            self._new_page()
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

    def _new_page(self) -> None:
        self.pages += 1
        self.lines = 0.0

    def count_lines(self, text_length: int, chars_per_line: int, extra: float) -> None:
        """A rough page count for the cached NUMPAGES value (Word and LibreOffice
        compute the real one when they lay the document out)."""
        self.lines += max(1, math.ceil(text_length / max(chars_per_line, 8))) + extra
        while self.lines > 46:
            self.pages += 1
            self.lines -= 46

    def keep_lead_in(self, always: bool = False) -> None:
        """A paragraph that introduces a list ("Indikatorer:") or any paragraph right
        before a table stays on the same page as what follows."""
        last = self.last_paragraph
        if last is not None and (always or last.text.rstrip().endswith(":")):
            _set_ppr_flag(last.element, "keepNext")

    def start_list(self, ordered: bool, start: int) -> None:
        """Every numbered list gets its own numbering instance starting at `start`, so
        lists never continue each other's numbers; bullets share one instance."""
        if not self.lists:
            self.keep_lead_in()
        level = len(self.lists)
        if ordered:
            num_id = self.numbering.add(self.base.decimal_abstract, level, start)
        else:
            num_id = self._bullets()
        self.lists.append(_ListState(ordered, num_id, level))

    def _bullets(self) -> int:
        if self.bullet_num is None:
            self.bullet_num = self.numbering.add(self.base.bullet_abstract)
        return self.bullet_num

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
        self.count_lines(length, chars, extra)

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
            # A title page sets its title a third of the way down the page.
            spacing = paragraph.element.find(_PPR).find(w("spacing"))
            if spacing is None:
                spacing = el("spacing")
                insert_ppr_child(paragraph.element.find(_PPR), spacing)
            spacing.set(w("before"), "3600")
        self.inline(paragraph, inline.children or [])
        self.count_lines(1, 80, lines - 1)

    def page_break(self) -> None:
        self.pending_page_break = True
        self.title_page = False

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
            if text:
                _add_run(p, text, bold_on, italic_on, code)
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
                _add_break(p)
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
            _set_ppr_flag(p, "keepLines")
        return written

    # -- tables ----------------------------------------------------------------------

    def table(self, rows: list[list[_Cell]]) -> None:
        from lxml import etree

        if not rows:
            return
        self.keep_lead_in(always=True)
        columns = max(len(r) for r in rows)
        widths = self._column_widths(rows, columns)
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
                        self._new_page()
                    if align:
                        etree.SubElement(ppr, w("jc")).set(_VAL, align)
                length = self.inline(_Paragraph(p), row[c].children, bold=row[c].header)
                row_lines = max(row_lines, math.ceil(length / max(widths[c] / 105, 4)))
            self.count_lines(1, 90, row_lines - 1 + 0.25)
        self._append(tbl)
        self.after_table = True
        self.last_paragraph = None

    def _column_widths(self, rows: list[list[_Cell]], columns: int) -> list[int]:
        """Every column at least as wide as its longest word (header included); the
        rest of the text width goes to the columns with the most text."""
        per_char, padding = 118, 230  # twips per character at 10 pt, cell margins
        minimum, desired = [], []
        for c in range(columns):
            longest_word = longest_text = 0
            for row in rows:
                if c < len(row):
                    text = "".join(t.content or "" for t in row[c].children
                                   if t.type in ("text", "code_inline"))
                    bold = row[c].header or any(t.type == "strong_open"
                                                for t in row[c].children)
                    # Only ordinary spaces break a line: "2 400 000 kr" is one word.
                    words = [len(word) * (1.2 if bold else 1.0)
                             for word in re.split(r"[ \t]+", text)]
                    longest_word = max([longest_word] + words)
                    longest_text = max(longest_text, len(text))
            low = int(max(longest_word, 3) * per_char) + padding
            minimum.append(low)
            desired.append(max(low, min(longest_text, 60) * per_char + padding))
        width = self.base.text_width
        if sum(minimum) >= width:
            # Too little room for every longest word: narrow the widest columns first
            # (long names break), keep the narrow ones (numbers, short words) whole.
            cap = max(minimum)
            while cap > 1 and sum(min(m, cap) for m in minimum) > width:
                cap -= 10
            result = [min(m, cap) for m in minimum]
        else:
            extra = width - sum(minimum)
            wants = [d - m for d, m in zip(desired, minimum)]
            total = sum(wants)
            result = [m + (int(extra * want / total) if total else extra // columns)
                      for m, want in zip(minimum, wants)]
        result[-1] += width - sum(result)
        return result


def _set_ppr_flag(p: Any, tag: str) -> None:
    """Add an empty flag element (keepNext, keepLines) to a paragraph, in schema order."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    if ppr.find(w(tag)) is None:
        insert_ppr_child(ppr, el(tag))


def _add_run(p: Any, text: str, bold: bool, italic: bool, code: bool) -> None:
    from lxml import etree

    r = etree.SubElement(p, _R)
    if bold or italic or code:
        rpr = etree.SubElement(r, _RPR)
        if code:
            fonts = etree.SubElement(rpr, w("rFonts"))
            for key in ("ascii", "hAnsi", "cs"):
                fonts.set(w(key), "Consolas")
        if bold:
            etree.SubElement(rpr, w("b"))
        if italic:
            etree.SubElement(rpr, w("i"))
    for number, piece in enumerate(text.split("\t")):
        if number:
            etree.SubElement(r, w("tab"))
        if piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_SPACE, "preserve")


def _add_break(p: Any) -> None:
    from lxml import etree

    etree.SubElement(etree.SubElement(p, _R), w("br"))


def _has_title_page(tokens: list[Any]) -> bool:
    """A document that opens with `# Title` and has a `---` before its next heading has
    a title page: the paragraphs in between are set in Subtitle."""
    if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return False
    for token in tokens[3:]:
        if token.type == "hr":
            return True
        if token.type == "heading_open":
            return False
    return False


def _walk(builder: _Builder, tokens: list[Any]) -> None:
    title_page = _has_title_page(tokens)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            builder.heading(int(token.tag[1:]), tokens[index + 1], title_page)
            index += 3
            continue
        if kind == "paragraph_open":
            if builder.table_rows is None:
                builder.block_paragraph(tokens[index + 1])
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1)) if token.attrs else 1
            builder.start_list(kind == "ordered_list_open", start)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            builder.lists.pop()
        elif kind == "list_item_open":
            builder.lists[-1].item_started = False
        elif kind == "blockquote_open":
            builder.quote_depth += 1
        elif kind == "blockquote_close":
            builder.quote_depth -= 1
        elif kind == "hr":
            builder.page_break()
        elif kind in ("code_block", "fence"):
            _code(builder, token.content)
        elif kind == "table_open":
            builder.table_rows = []
        elif kind == "tr_open":
            builder.table_rows.append([])  # type: ignore[union-attr]
        elif kind in ("th_open", "td_open"):
            style = (token.attrs or {}).get("style", "")
            align = str(style).split(":", 1)[1] if ":" in str(style) else None
            inline = tokens[index + 1]
            builder.table_rows[-1].append(  # type: ignore[index]
                _Cell(list(inline.children or []), align, kind == "th_open"))
            index += 3
            continue
        elif kind == "table_close":
            builder.table(builder.table_rows or [])
            builder.table_rows = None
        index += 1


def _code(builder: _Builder, content: str) -> None:
    paragraph = builder.paragraph("normal")
    lines = content.rstrip("\n").split("\n")
    for number, line in enumerate(lines):
        if number:
            _add_break(paragraph.element)
        if line:
            _add_run(paragraph.element, clean_text(line), False, False, True)
    builder.count_lines(len(content), 80, len(lines) - 1)


# ---------------------------------------------------------------------------------
# Header, footer, properties, package


def _fill_header(root: Any, text: str) -> None:
    paragraph = root.find(_P)
    left, _, right = clean_text(text).partition("\t")
    _add_run(paragraph, " ".join(left.split()), False, False, False)
    if right:
        from lxml import etree

        etree.SubElement(etree.SubElement(paragraph, _R), w("tab"))
        _add_run(paragraph, " ".join(right.split()), True, False, False)


def _field(p: Any, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result, so that every viewer shows
    a number even before it lays the document out; Word and LibreOffice recompute it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("result", cached), ("end", None)):
        r = sub(p, "r")
        if kind == "instr":
            instr = sub(r, "instrText")
            instr.set(_SPACE, "preserve")
            instr.text = f" {text} "
        elif kind == "result":
            sub(r, "t").text = text
        else:
            sub(r, "fldChar", fldCharType=kind)


def _fill_footer(root: Any, pages: int) -> None:
    paragraph = root.find(_P)
    ppr = paragraph.find(_PPR)
    if ppr is None:
        ppr = el("pPr")
        paragraph.insert(0, ppr)
    insert_ppr_child(ppr, el("jc", val="center"))
    _add_run(paragraph, "Sida ", False, False, False)
    _field(paragraph, "PAGE", "1")
    _add_run(paragraph, " av ", False, False, False)
    _field(paragraph, "NUMPAGES", str(pages))


_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _core_xml(title: str, subject: str, when: dt.date, author: str = "iopkit",
              keywords: str = "") -> bytes:
    from lxml import etree

    nsmap = {"cp": _CP, "dc": _DC, "dcterms": _DCTERMS,
             "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": _XSI}
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap=nsmap)
    stamp = f"{when.isoformat()}T00:00:00Z"
    for ns, tag, text in ((_DC, "title", title), (_DC, "subject", subject),
                          (_DC, "creator", author), (_CP, "keywords", keywords),
                          (_CP, "lastModifiedBy", "iopkit"),
                          (_CP, "revision", "1"), (_DC, "language", LANGUAGE),
                          (_CP, "contentStatus", "Utkast"), (_DCTERMS, "created", stamp),
                          (_DCTERMS, "modified", stamp)):
        if not text:
            continue
        element = etree.SubElement(root, f"{{{ns}}}{tag}")
        element.text = " ".join(clean_text(text).split())
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    return _serialize(root)


def _serialize(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _zip(members: list[tuple[str, bytes]], when: dt.date) -> bytes:
    """The package with pinned timestamps and attributes: the bytes depend only on the
    content."""
    # Zip timestamps cover 1980–2107 only.
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)
    return out.getvalue()


def check_reference(reference: Path) -> None:
    """Prepare (and cache) the base document from a reference .docx/.dotx now, so that a
    bad file is reported before any work is done. Raises files.UsageProblem."""
    _base_for(Path(reference))


def markdown_to_docx(markdown: str, *, title: str, header_text: str, subject: str = "",
                     reference_docx: Path | None = None, date: dt.date | None = None,
                     author: str = "iopkit", keywords: str = "") -> bytes:
    """Convert Markdown (see the module docstring for what maps to what) to a .docx.

    `header_text` goes in the page header; a tab in it splits it into a left part and a
    right-aligned, bold part (`"Namn\\tUTKAST"`). The footer reads "Sida X av Y" (PAGE and
    NUMPAGES fields). With `reference_docx`, that document's styles, page setup, header
    and footer are used; its own header and footer are kept as they are when it has
    them. `date` pins every timestamp in the file (default: SOURCE_DATE_EPOCH, else
    today). `title`, `subject`, `author` and `keywords` go in the document properties
    (and from there into a PDF's metadata). Raises files.UsageProblem when the
    reference document cannot be used.
    """
    from lxml import etree

    from .dates import default_date

    when = date or default_date()
    base = _base_for(Path(reference_docx) if reference_docx is not None else None)
    document = etree.fromstring(base.member(base.document_name))
    numbering = etree.fromstring(base.member(base.numbering_name))
    builder = _Builder(document, base, _Numbering(numbering))
    tokens = parser().parse(clean_text(markdown))
    _walk(builder, tokens)
    finish_layout(builder.body, heading_style=base.styles["h1"],
                  title_page=_has_title_page(tokens) and base.header_name is not None)

    replaced = {base.document_name: _serialize(document),
                base.numbering_name: _serialize(numbering),
                base.core_name: _core_xml(title, subject, when, author, keywords)}
    if base.header_name:
        header = etree.fromstring(base.member(base.header_name))
        _fill_header(header, header_text)
        replaced[base.header_name] = _serialize(header)
    if base.footer_name:
        footer = etree.fromstring(base.member(base.footer_name))
        _fill_footer(footer, builder.pages)
        replaced[base.footer_name] = _serialize(footer)
    return _zip([(name, replaced.get(name, data)) for name, data in base.members], when)
