"""Preparing the Word base document: styles, page setup, header and footer scaffolding
and list definitions, with no body. python-docx does this work; it is imported only here.

The default base is prepared once, from python-docx's own template, and shipped as
iopkit/templates/_word/grund.docx, so that rendering never has to load python-docx:
regenerate it with `python -m iopkit.writers.word.docx_base` after changing this module (a test
checks that the shipped file is what this code produces). A user's reference document
(`--referens-docx`) is prepared the same way when it is first used.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from ...files import UsageProblem, describe_os_error
from .base_styles import import_missing_styles, set_language, tune_default_styles
from .wordxml import (
    A4_HEIGHT,
    A4_WIDTH,
    HEADER_DISTANCE,
    MARGIN,
    NSID_PREFIX,
    STYLES,
    el,
    insert_ppr_child,
    style_name,
    sub,
    w,
)

SHIPPED_BASE = Path(__file__).resolve().parent.parent.parent / "templates" / "_word" / "grund.docx"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_CTS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)
#: Zip timestamp of the shipped base (any fixed value; 1980-01-01 is the zip epoch).
_BASE_DATE = dt.date(1980, 1, 1)


def build_base_package(reference: Path | None = None) -> tuple[bytes, bool, bool]:
    """The base package (bytes) and whether its header and footer are iopkit's own (to be
    filled per document) rather than the reference document's."""
    import docx

    if reference is None:
        document = docx.Document()
        _slim_default_package(document)
        tune_default_styles(document)
    else:
        document = _open_reference(reference)
        import_missing_styles(document, _own_styles())
    set_language(document)
    document.core_properties.title = ""  # makes sure the package has core properties

    body = document.element.body
    for child in list(body):
        if child.tag != w("sectPr"):
            body.remove(child)
    sect_pr = body.find(w("sectPr"))
    section = document.sections[0]
    if reference is None or sect_pr is None:
        _page_setup(section)
    text_width = _text_width(section)
    styles_root = document.styles.element
    ids = {key: _style_id(styles_root, name) for key, name in STYLES.items()}

    own_header = not _has_reference(section, "headerReference")
    own_footer = not _has_reference(section, "footerReference")
    if own_header:
        section.header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        _set_paragraph_style(paragraph, ids["header"] or ids["normal"])
        _set_tabs(paragraph, text_width, styles_root)
    if own_footer:
        section.footer.is_linked_to_previous = False
        paragraph = section.footer.paragraphs[0]
        _set_paragraph_style(paragraph, ids["footer"] or ids["normal"])
    _add_abstract_numbering(document)

    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue()), own_header, own_footer


def normalise_zip(data: bytes) -> bytes:
    """The same members in the same order, with fixed timestamps and attributes."""
    from .ooxml_package import read_package, zip_package

    return zip_package(read_package(data), _BASE_DATE)


def _own_styles() -> bytes:
    """word/styles.xml of iopkit's own base."""
    if SHIPPED_BASE.is_file():
        base = SHIPPED_BASE.read_bytes()
    else:  # pragma: no cover - only while the shipped file is being regenerated
        base, _, _ = build_base_package(None)
    with zipfile.ZipFile(io.BytesIO(base)) as package:
        return package.read("word/styles.xml")


def _style_id(styles_root: Any, name: str) -> str | None:
    for style in styles_root.findall(w("style")):
        if style_name(style).lower() == name.lower():
            style_id: str | None = style.get(w("styleId"))
            return style_id
    return None


def _set_paragraph_style(paragraph: Any, style_id: str | None) -> None:
    if style_id:
        paragraph._p.get_or_add_pPr().style = style_id


def _open_reference(reference: Path) -> Any:
    """python-docx Document for a .docx or .dotx the user gave with --referens-docx."""
    import docx

    from ...files import check_input_file
    from .zipcheck import MAX_REFERENCE_BYTES, check_reference_package, clean_reference_package

    check_input_file(reference, "Referensdokumentet")
    try:
        with reference.open("rb") as handle:
            data = handle.read(MAX_REFERENCE_BYTES + 1)
    except OSError as exc:
        raise UsageProblem(f"Referensdokumentet {reference} kan inte läsas: "
                           f"{describe_os_error(exc)}.") from None
    check_reference_package(data, reference)
    try:
        data = _as_document_package(clean_reference_package(data))
        return docx.Document(io.BytesIO(data))
    except Exception:
        raise UsageProblem(f"{reference} är inget Word-dokument (.docx eller .dotx). Ange ett "
                           "dokument som har sparats från Word eller LibreOffice i formatet "
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
        for element in settings.findall(w(tag)):
            settings.remove(element)
    # python-docx's template says <w:zoom w:val="bestFit"/>, but the schema requires
    # w:percent (the zoom to use where "best fit" cannot be computed); Word writes 100.
    for zoom in settings.findall(w("zoom")):
        if zoom.get(w("percent")) is None:
            zoom.set(w("percent"), "100")


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
    return any(ref.get(w("type"), "default") == "default"
               for ref in section._sectPr.findall(w(tag)))


def _set_tabs(paragraph: Any, width: int, styles: Any) -> None:
    """One right-aligned tab stop at the right margin, clearing the style's own stops
    (Word's header style has a centre stop that would catch the tab first)."""
    ppr = paragraph._p.get_or_add_pPr()
    tabs = el("tabs")
    style_id = ppr.style
    for style in styles.findall(w("style")):
        if style.get(w("styleId")) == style_id:
            for tab in style.iterfind(f"{w('pPr')}/{w('tabs')}/{w('tab')}"):
                if tab.get(w("pos")) != str(width):
                    sub(tabs, "tab", val="clear", pos=tab.get(w("pos")))
    sub(tabs, "tab", val="right", pos=str(width))
    insert_ppr_child(ppr, tabs)


def _add_abstract_numbering(document: Any) -> tuple[int, int]:
    """Two list definitions of our own (numbers, bullets); every numbered list gets its
    own w:num pointing at the first, so each list starts again at 1."""
    numbering = document.part.numbering_part.element
    existing = [int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))]
    first = max(existing, default=-1) + 1
    formats = {
        first: [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3.")],
        first + 1: [("bullet", "•"), ("bullet", "–"), ("bullet", "▪")],
    }
    for abstract_id, levels in formats.items():
        abstract = el("abstractNum", abstractNumId=str(abstract_id))
        sub(abstract, "nsid", val=f"{NSID_PREFIX}{abstract_id % 256:02X}")
        sub(abstract, "multiLevelType", val="multilevel")
        for level, (num_fmt, text) in enumerate(levels):
            lvl = sub(abstract, "lvl", ilvl=str(level))
            sub(lvl, "start", val="1")
            sub(lvl, "numFmt", val=num_fmt)
            sub(lvl, "lvlText", val=text)
            sub(lvl, "lvlJc", val="left")
            ppr = sub(lvl, "pPr")
            # Numbers need room for "10."; bullets less.
            step = 454 if num_fmt != "bullet" else 360
            sub(ppr, "ind", left=str(step * (level + 1)), hanging=str(step))
        # abstractNum elements must precede every w:num.
        first_num = numbering.find(w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    return first, first + 1


def main() -> None:
    """Regenerate the shipped base document."""
    data, _, _ = build_base_package(None)
    SHIPPED_BASE.parent.mkdir(parents=True, exist_ok=True)
    SHIPPED_BASE.write_bytes(data)
    print(f"Skrev {SHIPPED_BASE}")


if __name__ == "__main__":
    main()
