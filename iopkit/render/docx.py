"""Markdown to Word (.docx): real Word styles, numbered lists that restart, header and
footer with page fields, and byte-identical output for the same input.

The Markdown is walked as markdown-it tokens and written with python-docx:

| Markdown | Word |
|---|---|
| `# …` | Title (a document's first heading; the paragraphs after it up to the first `---` are its title page, in Subtitle) |
| `## …`, `### …`, `#### …` | Heading 1, Heading 2, Heading 3 |
| paragraphs | Normal; **bold**, *italic*; a line ending in `\\` is a line break |
| `1.` lists, `-` lists | List Number (restarting for every list), List Bullet; nested: … 2, … 3 |
| tables | Table Grid, header row repeated on every page, column alignment kept |
| `---` | page break (never at the end: no trailing blank page) |
| `> …` | Quote |

The base document (styles, page setup, header and footer, numbering definitions) is
prepared once per process and per reference document and then reused, so rendering
many documents does not parse python-docx's template again for each.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import UsageProblem
from .markdown import clean_text, parser

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_CTS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)

# A4, in twentieths of a point (twips); margins 2.5 cm, header and footer 1.25 cm.
A4_WIDTH, A4_HEIGHT = 11906, 16838
MARGIN = 1418
HEADER_DISTANCE = 709
LANGUAGE = "sv-SE"

# Our name for each style -> the built-in Word style name (compared case-insensitively).
STYLES = {
    "normal": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "h1": "heading 1",
    "h2": "heading 2",
    "h3": "heading 3",
    "list_number": "List Number",
    "list_number_2": "List Number 2",
    "list_number_3": "List Number 3",
    "list_bullet": "List Bullet",
    "list_bullet_2": "List Bullet 2",
    "list_bullet_3": "List Bullet 3",
    "list_continue": "List Continue",
    "list_continue_2": "List Continue 2",
    "list_continue_3": "List Continue 3",
    "quote": "Quote",
    "table": "Table Grid",
    "header": "header",
    "footer": "footer",
}
# Styles kept from python-docx's default template besides the ones above.
_KEEP_ALSO = ("Default Paragraph Font", "Normal Table", "No List")
_DARK = "1F3864"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(_w(key), str(value))
    return element


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    element = _el(tag, **attrs)
    parent.append(element)
    return element


# ---------------------------------------------------------------------------------
# The base document


@dataclass
class _Base:
    data: bytes
    styles: dict[str, str]  # our style key -> styleId
    own_header: bool
    own_footer: bool
    decimal_abstract: int
    bullet_abstract: int
    text_width: int  # twips


_base_lock = threading.RLock()  # reentrant: a reference base imports from the default
_bases: dict[Any, _Base] = {}


def _base_for(reference: Path | None) -> _Base:
    if reference is None:
        key: Any = None
    else:
        try:
            stat = reference.stat()
        except OSError as exc:
            raise UsageProblem(f"Referensdokumentet {reference} kan inte läsas: "
                               f"{exc.strerror or exc}.") from None
        key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    with _base_lock:
        base = _bases.get(key)
        if base is None:
            base = _build_base(reference)
            _bases[key] = base
        return base


def _open_reference(reference: Path) -> Any:
    """python-docx Document for a .docx or .dotx the user gave with --referens-docx."""
    import docx

    try:
        data = reference.read_bytes()
    except OSError as exc:
        raise UsageProblem(f"Referensdokumentet {reference} kan inte läsas: "
                           f"{exc.strerror or exc}.") from None
    try:
        data = _as_document_package(data)
        return docx.Document(io.BytesIO(data))
    except Exception:
        raise UsageProblem(f"{reference} är inget Word-dokument (.docx eller .dotx). Ange ett "
                           "dokument som sparats från Word eller LibreOffice i formatet "
                           "Word (.docx).") from None


def _as_document_package(data: bytes) -> bytes:
    """A Word template (.dotx) is a document with another content type: relabel it."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").decode("utf-8")
        if not any(ct in types for ct in TEMPLATE_CTS):
            return data
        for ct in TEMPLATE_CTS:
            types = types.replace(ct, DOCX_CT)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = types.encode("utf-8") if info.filename == "[Content_Types].xml" \
                    else source.read(info.filename)
                target.writestr(info.filename, content)
        return out.getvalue()


def _build_base(reference: Path | None) -> _Base:
    import docx

    if reference is None:
        document = docx.Document()
        _slim_default_package(document)
        _tune_default_styles(document)
    else:
        document = _open_reference(reference)
        _import_missing_styles(document)
    styles = _style_ids(document)
    _set_language(document)

    body = document.element.body
    for child in list(body):
        if child.tag != _w("sectPr"):
            body.remove(child)
    sect_pr = body.find(_w("sectPr"))
    section = document.sections[0]
    if reference is None or sect_pr is None:
        _page_setup(section)
    text_width = _text_width(section)

    own_header = not _has_reference(section, "headerReference")
    own_footer = not _has_reference(section, "footerReference")
    if own_header:
        section.header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = styles["header"]
        _set_tabs(paragraph, text_width, document.styles.element)
    if own_footer:
        section.footer.is_linked_to_previous = False
        paragraph = section.footer.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = styles["footer"]
        _set_tabs(paragraph, text_width, document.styles.element)

    decimal_abstract, bullet_abstract = _add_abstract_numbering(document)

    out = io.BytesIO()
    document.save(out)
    return _Base(out.getvalue(), styles, own_header, own_footer, decimal_abstract,
                 bullet_abstract, text_width)


def _slim_default_package(document: Any) -> None:
    """Drop what python-docx's template carries but a generated document does not need
    (a thumbnail of an empty page, customXml, a second copy of the styles)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/"
                                          "relationships/stylesWithEffects"):
            part.drop_rel(rel_id)
    package = part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'extended-properties"><Application>iopkit</Application></Properties>')
    settings = document.settings.element
    for tag in ("rsids", "proofState", "attachedTemplate"):
        for element in settings.findall(_w(tag)):
            settings.remove(element)


def _tune_default_styles(document: Any) -> None:
    """Keep only the styles we use (and what they are based on) and give them a sober,
    professional look: dark headings, no coloured rules, Swedish language."""
    styles = document.styles.element
    by_id = {s.get(_w("styleId")): s for s in styles.findall(_w("style"))}
    by_name = {_style_name(s).lower(): s for s in styles.findall(_w("style"))}
    keep: set[str] = set()
    wanted = [name.lower() for name in list(STYLES.values()) + list(_KEEP_ALSO)]
    queue = [by_name[n] for n in wanted if n in by_name]
    while queue:
        style = queue.pop()
        style_id = style.get(_w("styleId"))
        if style_id in keep:
            continue
        keep.add(style_id)
        for tag in ("basedOn", "link", "next"):
            ref = style.find(_w(tag))
            if ref is not None and ref.get(_w("val")) in by_id:
                queue.append(by_id[ref.get(_w("val"))])
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)

    doc_defaults = styles.find(_w("docDefaults"))
    rpr = doc_defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
    _replace(rpr, "sz", val="22")
    _replace(rpr, "szCs", val="22")
    ppr_default = doc_defaults.find(_w("pPrDefault"))
    if ppr_default is None:
        ppr_default = _sub(doc_defaults, "pPrDefault")
    ppr = ppr_default.find(_w("pPr"))
    if ppr is None:
        ppr = _sub(ppr_default, "pPr")
    _replace(ppr, "spacing", after="120", line="264", lineRule="auto")

    def restyle(name: str, *, size: int | None = None, color: str | None = _DARK,
                before: int | None = None, after: int | None = None, bold: bool | None = None,
                italic: bool | None = False, drop: tuple[str, ...] = ()) -> None:
        style = by_name.get(name.lower())
        if style is None:
            return
        ppr = style.find(_w("pPr"))
        if ppr is None:
            ppr = _el("pPr")
            rpr_existing = style.find(_w("rPr"))
            if rpr_existing is not None:
                rpr_existing.addprevious(ppr)
            else:
                style.append(ppr)
        for tag in drop:
            for element in ppr.findall(_w(tag)):
                ppr.remove(element)
        if before is not None or after is not None:
            spacing = ppr.find(_w("spacing"))
            if spacing is None:
                spacing = _el("spacing")
                _insert_ppr_child(ppr, spacing)
            if before is not None:
                spacing.set(_w("before"), str(before))
            if after is not None:
                spacing.set(_w("after"), str(after))
        rpr = style.find(_w("rPr"))
        if rpr is None:
            rpr = _sub(style, "rPr")
        if color is not None:
            _replace(rpr, "color", val=color)
        if size is not None:
            _replace(rpr, "sz", val=str(size))
            _replace(rpr, "szCs", val=str(size))
        if italic is False:
            for tag in ("i", "iCs"):
                for element in rpr.findall(_w(tag)):
                    rpr.remove(element)
        if bold:
            _replace(rpr, "b")
        _order_rpr(rpr)

    grid = by_name.get("table grid")
    if grid is not None and grid.find(_w("tblPr")) is not None:
        tblpr = grid.find(_w("tblPr"))
        for old in tblpr.findall(_w("tblCellMar")):
            tblpr.remove(old)
        margins = _sub(tblpr, "tblCellMar")
        for side, width in (("top", 40), ("left", 108), ("bottom", 40), ("right", 108)):
            _sub(margins, side, w=str(width), type="dxa")
        _sort_tblpr(tblpr)

    restyle("Title", size=44, before=2400, after=360, drop=("pBdr",))
    restyle("Subtitle", size=26, color="404040", after=120, drop=("numPr",))
    restyle("heading 1", size=28, before=360, after=120)
    restyle("heading 2", size=24, before=240, after=80)
    restyle("heading 3", size=22, before=200, after=60, bold=True)
    restyle("Quote", color="404040", italic=None)
    for name in ("header", "footer"):
        restyle(name, size=18, color="595959", italic=None)


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]


def _local(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _order_rpr(rpr: Any) -> None:
    """Schema order matters to Word: sort run properties into the order it expects."""
    children = list(rpr)
    children.sort(key=lambda c: _RPR_ORDER.index(_local(c)) if _local(c) in _RPR_ORDER else 99)
    for child in children:
        rpr.append(child)


def _insert_ppr_child(ppr: Any, element: Any) -> None:
    ppr.append(element)
    children = list(ppr)
    children.sort(key=lambda c: _PPR_ORDER.index(_local(c)) if _local(c) in _PPR_ORDER else 99)
    for child in children:
        ppr.append(child)


def _replace(parent: Any, tag: str, **attrs: str) -> Any:
    for element in parent.findall(_w(tag)):
        parent.remove(element)
    element = _sub(parent, tag, **attrs)
    if _local(parent) == "rPr":
        _order_rpr(parent)
    return element


def _style_name(style: Any) -> str:
    name = style.find(_w("name"))
    return name.get(_w("val")) if name is not None else ""


def _style_ids(document: Any) -> dict[str, str]:
    """Our style key -> styleId in this document (a Swedish Word names its styles'
    ids Rubrik1 and so on; the names stay the built-in English ones)."""
    styles = document.styles.element
    by_name = {}
    for style in styles.findall(_w("style")):
        by_name.setdefault(_style_name(style).lower(), style.get(_w("styleId")))
    ids = {}
    for key, name in STYLES.items():
        ids[key] = by_name.get(name.lower())
    # Fall back to the nearest style that exists.
    fallbacks = {"subtitle": "normal", "h3": "h2", "list_number_2": "list_number",
                 "list_number_3": "list_number_2", "list_bullet_2": "list_bullet",
                 "list_bullet_3": "list_bullet_2", "list_continue_2": "list_continue",
                 "list_continue_3": "list_continue_2", "quote": "normal",
                 "header": "normal", "footer": "normal"}
    for key, fallback in fallbacks.items():
        if ids.get(key) is None:
            ids[key] = ids.get(fallback)
    return ids


def _import_missing_styles(document: Any) -> None:
    """A reference document may lack a style we use (say, List Number): bring it over
    from iopkit's own base, with what it is based on, so every paragraph has its style."""
    default = _base_for(None)
    import docx

    source = docx.Document(io.BytesIO(default.data)).styles.element
    target = document.styles.element
    source_by_id = {s.get(_w("styleId")): s for s in source.findall(_w("style"))}
    target_names = {_style_name(s).lower() for s in target.findall(_w("style"))}
    target_ids = {s.get(_w("styleId")) for s in target.findall(_w("style"))}
    queue = [s for s in source.findall(_w("style"))
             if _style_name(s).lower() in {n.lower() for n in STYLES.values()}]
    while queue:
        style = queue.pop(0)
        if _style_name(style).lower() in target_names or style.get(_w("styleId")) in target_ids:
            continue
        imported = copy.deepcopy(style)
        for numpr in imported.iter(_w("numPr")):
            numpr.getparent().remove(numpr)
        target.append(imported)
        target_names.add(_style_name(style).lower())
        target_ids.add(style.get(_w("styleId")))
        based_on = style.find(_w("basedOn"))
        if based_on is not None and based_on.get(_w("val")) in source_by_id:
            queue.append(source_by_id[based_on.get(_w("val"))])


def _set_language(document: Any) -> None:
    styles = document.styles.element
    doc_defaults = styles.find(_w("docDefaults"))
    if doc_defaults is None:
        doc_defaults = _el("docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = _el("rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = _sub(rpr_default, "rPr")
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = _replace(rpr, "lang")
    lang.set(_w("val"), LANGUAGE)
    settings = document.settings.element
    theme_lang = settings.find(_w("themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(_w("val"), LANGUAGE)


def _page_setup(section: Any) -> None:
    from docx.shared import Twips

    section.page_width, section.page_height = Twips(A4_WIDTH), Twips(A4_HEIGHT)
    section.left_margin = section.right_margin = Twips(MARGIN)
    section.top_margin = section.bottom_margin = Twips(MARGIN)
    section.header_distance = section.footer_distance = Twips(HEADER_DISTANCE)
    section.gutter = Twips(0)


def _text_width(section: Any) -> int:
    try:
        width = section.page_width - section.left_margin - section.right_margin
        return int(width / 635)  # EMU -> twips
    except TypeError:
        return A4_WIDTH - 2 * MARGIN


def _has_reference(section: Any, tag: str) -> bool:
    return any(ref.get(_w("type"), "default") == "default"
               for ref in section._sectPr.findall(_w(tag)))


def _set_tabs(paragraph: Any, width: int, styles: Any) -> None:
    """One right-aligned tab stop at the right margin, clearing the style's own stops
    (Word's header style has a centre stop that would catch the tab first)."""
    ppr = paragraph._p.get_or_add_pPr()
    tabs = _el("tabs")
    style_id = ppr.style
    for style in styles.findall(_w("style")):
        if style.get(_w("styleId")) == style_id:
            for tab in style.iterfind(f"{_w('pPr')}/{_w('tabs')}/{_w('tab')}"):
                if tab.get(_w("pos")) != str(width):
                    _sub(tabs, "tab", val="clear", pos=tab.get(_w("pos")))
    _sub(tabs, "tab", val="right", pos=str(width))
    _insert_ppr_child(ppr, tabs)


def _add_abstract_numbering(document: Any) -> tuple[int, int]:
    """Two list definitions of our own (numbers, bullets); every numbered list gets its
    own w:num pointing at the first, so each list starts again at 1."""
    numbering = document.part.numbering_part.element
    existing = [int(a.get(_w("abstractNumId"))) for a in numbering.findall(_w("abstractNum"))]
    first = max(existing, default=-1) + 1
    formats = {
        first: [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3.")],
        first + 1: [("bullet", "•"), ("bullet", "–"), ("bullet", "▪")],
    }
    for abstract_id, levels in formats.items():
        abstract = _el("abstractNum", abstractNumId=str(abstract_id))
        _sub(abstract, "nsid", val=f"{0x10C0B0A0 + abstract_id:08X}")
        _sub(abstract, "multiLevelType", val="multilevel")
        for level, (num_fmt, text) in enumerate(levels):
            lvl = _sub(abstract, "lvl", ilvl=str(level))
            _sub(lvl, "start", val="1")
            _sub(lvl, "numFmt", val=num_fmt)
            _sub(lvl, "lvlText", val=text)
            _sub(lvl, "lvlJc", val="left")
            ppr = _sub(lvl, "pPr")
            _sub(ppr, "ind", left=str(360 * (level + 1)), hanging="360")
        # abstractNum elements must precede every w:num.
        first_num = numbering.find(_w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    return first, first + 1


# ---------------------------------------------------------------------------------
# Building one document


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
class _Builder:
    document: Any
    base: _Base
    lists: list[_ListState] = field(default_factory=list)
    quote_depth: int = 0
    pending_page_break: bool = False
    title_page: bool = False
    seen_title: bool = False
    last_paragraph: Any = None
    after_table: bool = False
    table_rows: list[list[_Cell]] | None = None
    bullet_num: int | None = None
    lines: float = 0.0
    pages: int = 1

    # -- blocks ----------------------------------------------------------------------

    def paragraph(self, style_key: str, ilvl: int | None = None, num_id: int | None = None) -> Any:
        paragraph = self.document.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        ppr.style = self.base.styles[style_key]
        if num_id is not None:
            numpr = ppr.get_or_add_numPr()
            numpr.get_or_add_ilvl().val = ilvl or 0
            numpr.get_or_add_numId().val = num_id
        if self.pending_page_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_page_break = False
            self._new_page()
        if self.after_table:
            if not style_key.startswith(("h", "title")):
                paragraph.paragraph_format.space_before = _pt(8)
            self.after_table = False
        self.last_paragraph = paragraph
        return paragraph

    def _new_page(self) -> None:
        self.pages += 1
        self.lines = 0.0

    def count_lines(self, text_length: int, chars_per_line: int, extra: float) -> None:
        self.lines += max(1, math.ceil(text_length / max(chars_per_line, 8))) + extra
        while self.lines > 46:
            self.pages += 1
            self.lines -= 46

    def keep_lead_in(self) -> None:
        """A paragraph that introduces a list or table ("Indikatorer:") stays with it."""
        last = self.last_paragraph
        if last is not None and last.text.rstrip().endswith(":"):
            last.paragraph_format.keep_with_next = True

    def start_list(self, ordered: bool, start: int) -> None:
        """Every numbered list gets its own numbering instance starting at `start`, so
        lists never continue each other's numbers; bullets share one instance."""
        if not self.lists:
            self.keep_lead_in()
        level = len(self.lists)
        if ordered:
            numbering = self.document.part.numbering_part.element
            num = numbering.add_num(self.base.decimal_abstract)
            num.add_lvlOverride(ilvl=level).add_startOverride(start)
            num_id = num.numId
        else:
            num_id = self._bullets()
        self.lists.append(_ListState(ordered, num_id, level))

    def _bullets(self) -> int:
        if self.bullet_num is None:
            numbering = self.document.part.numbering_part.element
            self.bullet_num = numbering.add_num(self.base.bullet_abstract).numId
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

    def heading(self, level: int, inline: Any) -> None:
        if level == 1 and not self.seen_title:
            key, lines = "title", 4.0
            self.seen_title = True
            self.title_page = True
        else:
            key = {1: "h1", 2: "h1", 3: "h2"}.get(level, "h3")
            self.title_page = False
            lines = 2.5 if key == "h1" else 1.8
        paragraph = self.paragraph(key)
        self.inline(paragraph, inline.children or [])
        self.count_lines(1, 80, lines - 1)

    def page_break(self) -> None:
        self.pending_page_break = True
        self.title_page = False

    # -- inline ----------------------------------------------------------------------

    def inline(self, paragraph: Any, children: list[Any], bold: bool = False) -> int:
        """Write inline tokens as runs; returns the number of characters written."""
        state = {"b": bold, "i": False, "code": False}
        buffer: list[str] = []
        written = 0
        has_break = False

        def flush() -> None:
            nonlocal written
            if buffer:
                text = clean_text("".join(buffer))
                run = paragraph.add_run(text)
                if state["b"]:
                    run.bold = True
                if state["i"]:
                    run.italic = True
                if state["code"]:
                    run.font.name = "Consolas"
                written += len(text)
                buffer.clear()

        for child in children:
            kind = child.type
            if kind == "text":
                buffer.append(child.content)
            elif kind == "softbreak":
                buffer.append(" ")
            elif kind == "hardbreak":
                flush()
                paragraph.add_run().add_break()
                written += 90
                has_break = True
            elif kind in ("strong_open", "strong_close"):
                flush()
                state["b"] = kind == "strong_open" or bold
            elif kind in ("em_open", "em_close"):
                flush()
                state["i"] = kind == "em_open"
            elif kind == "code_inline":
                flush()
                state["code"] = True
                buffer.append(child.content)
                flush()
                state["code"] = False
            elif kind == "image":
                buffer.append(child.content or "")
            elif kind in ("link_open", "link_close"):
                continue
            else:
                buffer.append(child.content or "")
        flush()
        if has_break:
            paragraph.paragraph_format.keep_together = True
        return written

    # -- tables ----------------------------------------------------------------------

    def table(self, rows: list[list[_Cell]]) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if not rows:
            return
        self.keep_lead_in()
        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        tbl = table._tbl
        tbl.tblPr.style = self.base.styles["table"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        widths = self._column_widths(rows, columns)
        for grid_col, width in zip(tbl.tblGrid.findall(_w("gridCol")), widths):
            grid_col.set(_w("w"), str(width))
        layout = _el("tblLayout", type="fixed")
        tbl.tblPr.append(layout)
        _sort_tblpr(tbl.tblPr)

        cells = table._cells
        for r, row in enumerate(rows):
            tr = tbl.tr_lst[r]
            trpr = tr.get_or_add_trPr()
            _sub(trpr, "cantSplit")
            if row and row[0].header:
                _sub(trpr, "tblHeader")
            row_lines = 1
            for c in range(columns):
                cell = cells[r * columns + c]
                cell.width = _twips(widths[c])
                if c >= len(row):
                    continue
                paragraph = cell.paragraphs[0]
                if row[c].align == "right":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif row[c].align == "center":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                length = self.inline(paragraph, row[c].children, bold=row[c].header)
                row_lines = max(row_lines, math.ceil(length / max(widths[c] / 105, 4)))
            self.count_lines(1, 90, row_lines - 1 + 0.25)
        if self.pending_page_break:  # a page break right before a table
            first = cells[0].paragraphs[0]
            first.paragraph_format.page_break_before = True
            self.pending_page_break = False
            self._new_page()
        self.after_table = True
        self.last_paragraph = None

    def _column_widths(self, rows: list[list[_Cell]], columns: int) -> list[int]:
        """Every column at least as wide as its longest word (header included); the
        rest of the text width goes to the columns with the most text."""
        per_char, padding = 125, 230
        minimum, desired = [], []
        for c in range(columns):
            longest_word = longest_text = 0
            for row in rows:
                if c < len(row):
                    text = "".join(t.content or "" for t in row[c].children
                                   if t.type in ("text", "code_inline"))
                    longest_word = max([longest_word] + [len(w) for w in text.split()])
                    longest_text = max(longest_text, len(text))
            low = max(longest_word, 3) * per_char + padding
            minimum.append(low)
            desired.append(max(low, min(longest_text, 60) * per_char + padding))
        width = self.base.text_width
        if sum(minimum) >= width:
            result = [int(width * m / sum(minimum)) for m in minimum]
        else:
            extra = width - sum(minimum)
            wants = [d - m for d, m in zip(desired, minimum)]
            total = sum(wants)
            result = [m + (int(extra * w / total) if total else extra // columns)
                      for m, w in zip(minimum, wants)]
        result[-1] += width - sum(result)
        return result


def _sort_tblpr(tblpr: Any) -> None:
    order = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
             "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
             "shd", "tblLayout", "tblCellMar", "tblLook"]
    children = list(tblpr)
    children.sort(key=lambda c: order.index(_local(c)) if _local(c) in order else 99)
    for child in children:
        tblpr.append(child)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _twips(value: int) -> Any:
    from docx.shared import Twips

    return Twips(value)


def _walk(builder: _Builder, tokens: list[Any]) -> None:
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            builder.heading(int(token.tag[1:]), tokens[index + 1])
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
        run = paragraph.add_run(clean_text(line))
        run.font.name = "Consolas"
        if number < len(lines) - 1:
            run.add_break()
    builder.count_lines(len(content), 80, len(lines) - 1)


# ---------------------------------------------------------------------------------
# Header, footer, properties, package


def _fill_header(document: Any, base: _Base, text: str) -> None:
    if not base.own_header:
        return
    paragraph = document.sections[0].header.paragraphs[0]
    left, _, right = clean_text(text).partition("\t")
    paragraph.add_run(" ".join(left.split()))
    if right:
        paragraph.add_run().add_tab()
        paragraph.add_run(" ".join(right.split())).bold = True


def _field(paragraph: Any, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result, so that every viewer shows
    a number even before it lays the document out; Word and LibreOffice recompute it."""
    p = paragraph._p
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("result", cached), ("end", None)):
        r = _sub(p, "r")
        if kind == "instr":
            instr = _sub(r, "instrText")
            instr.set(f"{{{XML_NS}}}space", "preserve")
            instr.text = f" {text} "
        elif kind == "result":
            t = _sub(r, "t")
            t.text = text
        else:
            _sub(r, "fldChar", fldCharType=kind)


def _fill_footer(document: Any, base: _Base, pages: int) -> None:
    if not base.own_footer:
        return
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Sida ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" av ")
    _field(paragraph, "NUMPAGES", str(pages))


def _core_properties(document: Any, title: str, subject: str, when: dt.date) -> None:
    props = document.core_properties
    stamp = dt.datetime(when.year, when.month, when.day)
    props.title = " ".join(clean_text(title).split())
    props.subject = " ".join(clean_text(subject).split())
    props.language = LANGUAGE
    props.author = "iopkit"
    props.last_modified_by = "iopkit"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = "Utkast"
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    element = props._element
    printed = element.find("{http://schemas.openxmlformats.org/package/2006/metadata/"
                           "core-properties}lastPrinted")
    if printed is not None:
        element.remove(printed)


def _package_bytes(document: Any, when: dt.date) -> bytes:
    """Write the package ourselves (the same parts python-docx would write, in the same
    order) with pinned zip timestamps and attributes, so the bytes depend only on the
    content."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        def write(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)

        write(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        write(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            write(part.partname.membername, part.blob)
            if len(part.rels):
                write(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()


def check_reference(reference: Path) -> None:
    """Prepare (and cache) the base document from a reference .docx/.dotx now, so that a
    bad file is reported before any work is done. Raises files.UsageProblem."""
    _base_for(Path(reference))


def markdown_to_docx(markdown: str, *, title: str, header_text: str, subject: str = "",
                     reference_docx: Path | None = None, date: dt.date | None = None) -> bytes:
    """Convert Markdown (see the module docstring for what maps to what) to a .docx.

    `header_text` goes in the page header; a tab in it splits it into a left part and a
    right-aligned, bold part (`"Namn\\tUTKAST"`). The footer reads "Sida X av Y".
    With `reference_docx`, that document's styles, page setup, header and footer are
    used (its header and footer are kept as they are when it has them). `date` pins
    every timestamp in the file (default: SOURCE_DATE_EPOCH, else today).
    Raises files.UsageProblem when the reference document cannot be used.
    """
    import docx

    from .dates import default_date

    when = date or default_date()
    base = _base_for(Path(reference_docx) if reference_docx is not None else None)
    document = docx.Document(io.BytesIO(base.data))
    builder = _Builder(document, base)
    _walk(builder, parser().parse(clean_text(markdown)))
    _fill_header(document, base, header_text)
    _fill_footer(document, base, builder.pages)
    _core_properties(document, title, subject, when)
    return _package_bytes(document, when)
