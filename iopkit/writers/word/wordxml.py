"""WordprocessingML helpers shared by the base-document preparation and the writer:
names, element creation with lxml, and the schema order Word insists on."""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"

RT_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "officeDocument")
RT_CORE_PROPERTIES = ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                      "core-properties")
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"

# A4, in twentieths of a point (twips); margins 2.5 cm, header and footer 1.25 cm.
A4_WIDTH, A4_HEIGHT = 11906, 16838
MARGIN = 1418
HEADER_DISTANCE = 709
LANGUAGE = "sv-SE"

# Our name for each style -> the built-in Word style name (compared case-insensitively;
# a Swedish Word keeps these names and only translates the style ids).
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
# When a document lacks a style, the nearest one that it has.
STYLE_FALLBACKS = {
    "subtitle": "normal", "h3": "h2", "list_number_2": "list_number",
    "list_number_3": "list_number_2", "list_bullet_2": "list_bullet",
    "list_bullet_3": "list_bullet_2", "list_continue_2": "list_continue",
    "list_continue_3": "list_continue_2", "quote": "normal", "header": "normal",
    "footer": "normal",
}
#: Our list definitions carry nsid values starting with this prefix.
NSID_PREFIX = "10C0B0"

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
_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook"]


def w(tag: str) -> str:
    """Clark notation for a w: element or attribute name."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, **attrs: str) -> Any:
    from lxml import etree

    element = etree.Element(w(tag))
    for key, value in attrs.items():
        element.set(w(key), str(value))
    return element


def sub(parent: Any, tag: str, **attrs: str) -> Any:
    element = el(tag, **attrs)
    parent.append(element)
    return element


def local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _sort(parent: Any, order: list[str]) -> None:
    children = list(parent)
    children.sort(key=lambda c: order.index(local(c)) if local(c) in order else len(order))
    for child in children:
        parent.append(child)


def order_rpr(rpr: Any) -> None:
    _sort(rpr, _RPR_ORDER)


def order_tblpr(tblpr: Any) -> None:
    _sort(tblpr, _TBLPR_ORDER)


def insert_ppr_child(ppr: Any, element: Any) -> None:
    """Add a child to w:pPr in the order the schema prescribes."""
    ppr.append(element)
    _sort(ppr, _PPR_ORDER)


def child(parent: Any, tag: str, first: bool = False) -> Any:
    """The w:`tag` child of `parent`, added (last, or first) when missing."""
    element = parent.find(w(tag))
    if element is None:
        element = el(tag)
        if first:
            parent.insert(0, element)
        else:
            parent.append(element)
    return element


def replace(parent: Any, tag: str, **attrs: str) -> Any:
    """Set a single child element (removing any existing ones)."""
    for element in parent.findall(w(tag)):
        parent.remove(element)
    element = sub(parent, tag, **attrs)
    if local(parent) == "rPr":
        order_rpr(parent)
    return element


def style_name(style: Any) -> str:
    name = style.find(w("name"))
    return name.get(w("val")) if name is not None else ""


def style_ids(styles_root: Any) -> dict[str, str]:
    """Our style key -> the styleId this document uses for it (with fallbacks)."""
    by_name: dict[str, str] = {}
    for style in styles_root.findall(w("style")):
        by_name.setdefault(style_name(style).lower(), style.get(w("styleId")))
    ids = {key: by_name.get(name.lower()) for key, name in STYLES.items()}
    for key, fallback in STYLE_FALLBACKS.items():
        if ids.get(key) is None:
            ids[key] = ids.get(fallback)
    return ids  # type: ignore[return-value]


def set_ppr_flag(p: Any, tag: str) -> None:
    """Add an empty flag element (keepNext, keepLines) to a paragraph, in schema order."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    if ppr.find(w(tag)) is None:
        insert_ppr_child(ppr, el(tag))


def add_run(p: Any, text: str, bold: bool = False, italic: bool = False,
            code: bool = False) -> None:
    """A run of text (a tab in it becomes w:tab) at the end of paragraph `p`."""
    from lxml import etree

    r = etree.SubElement(p, w("r"))
    if bold or italic or code:
        rpr = etree.SubElement(r, w("rPr"))
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
            t = etree.SubElement(r, w("t"))
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(f"{{{XML_NS}}}space", "preserve")


def add_field(p: Any, instruction: str, cached: str, bold: bool = False,
              italic: bool = False) -> None:
    """A complex field (PAGE, NUMPAGES, REF) with its result already written, so that
    every viewer shows it before (or without) updating fields; Word and LibreOffice
    recompute it when they update fields."""
    from lxml import etree

    for kind in ("begin", "instr", "separate", "result", "end"):
        r = etree.SubElement(p, w("r"))
        if bold or italic:
            rpr = etree.SubElement(r, w("rPr"))
            if bold:
                etree.SubElement(rpr, w("b"))
            if italic:
                etree.SubElement(rpr, w("i"))
        if kind == "instr":
            instr = etree.SubElement(r, w("instrText"))
            instr.set(f"{{{XML_NS}}}space", "preserve")
            instr.text = f" {instruction} "
        elif kind == "result":
            etree.SubElement(r, w("t")).text = cached
        else:
            etree.SubElement(r, w("fldChar")).set(w("fldCharType"), kind)


def add_break(p: Any) -> None:
    """A line break at the end of paragraph `p`."""
    from lxml import etree

    etree.SubElement(etree.SubElement(p, w("r")), w("br"))
