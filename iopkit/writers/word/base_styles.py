"""The styles of the Word base document: python-docx's default styles trimmed and
given iopkit's sober look, the styles a reference document lacks brought over, and the
document language. Used by docx_base.py when it prepares a base."""

from __future__ import annotations

import copy
from typing import Any

from .wordxml import (
    child,
    LANGUAGE,
    STYLES,
    el,
    insert_ppr_child,
    order_rpr,
    order_tblpr,
    replace,
    style_name,
    sub,
    w,
)

# Styles kept from python-docx's default template besides the ones we use.
_KEEP_ALSO = ("Default Paragraph Font", "Normal Table", "No List")
_DARK = "1F3864"


def tune_default_styles(document: Any) -> None:
    """Keep only the styles we use (and what they are based on) and give them a sober,
    professional look: dark headings, no coloured rules, Swedish language."""
    styles = document.styles.element
    by_id = {s.get(w("styleId")): s for s in styles.findall(w("style"))}
    by_name = {style_name(s).lower(): s for s in styles.findall(w("style"))}
    keep: set[str] = set()
    wanted = [name.lower() for name in list(STYLES.values()) + list(_KEEP_ALSO)]
    queue = [by_name[n] for n in wanted if n in by_name]
    while queue:
        style = queue.pop()
        style_id = style.get(w("styleId"))
        if style_id in keep:
            continue
        keep.add(style_id)
        for tag in ("basedOn", "link", "next"):
            ref = style.find(w(tag))
            if ref is not None and ref.get(w("val")) in by_id:
                queue.append(by_id[ref.get(w("val"))])
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)

    doc_defaults = styles.find(w("docDefaults"))
    rpr = doc_defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    replace(rpr, "sz", val="22")
    replace(rpr, "szCs", val="22")
    ppr = child(child(doc_defaults, "pPrDefault"), "pPr")
    replace(ppr, "spacing", after="120", line="264", lineRule="auto")

    def restyle(name: str, *, size: int | None = None, color: str | None = _DARK,
                before: int | None = None, after: int | None = None, bold: bool | None = None,
                italic: bool | None = False, drop: tuple[str, ...] = ()) -> None:
        style = by_name.get(name.lower())
        if style is None:
            return
        ppr = style.find(w("pPr"))
        if ppr is None:
            ppr = el("pPr")
            rpr_existing = style.find(w("rPr"))
            if rpr_existing is not None:
                rpr_existing.addprevious(ppr)
            else:
                style.append(ppr)
        for tag in drop:
            for element in ppr.findall(w(tag)):
                ppr.remove(element)
        if before is not None or after is not None:
            spacing = ppr.find(w("spacing"))
            if spacing is None:
                spacing = el("spacing")
                insert_ppr_child(ppr, spacing)
            if before is not None:
                spacing.set(w("before"), str(before))
            if after is not None:
                spacing.set(w("after"), str(after))
        rpr = style.find(w("rPr"))
        if rpr is None:
            rpr = sub(style, "rPr")
        if color is not None:
            replace(rpr, "color", val=color)
        if size is not None:
            replace(rpr, "sz", val=str(size))
            replace(rpr, "szCs", val=str(size))
        if italic is False:
            for tag in ("i", "iCs"):
                for element in rpr.findall(w(tag)):
                    rpr.remove(element)
        if bold:
            replace(rpr, "b")
        order_rpr(rpr)

    grid = by_name.get("table grid")
    if grid is not None and grid.find(w("tblPr")) is not None:
        tblpr = grid.find(w("tblPr"))
        for old in tblpr.findall(w("tblCellMar")):
            tblpr.remove(old)
        margins = sub(tblpr, "tblCellMar")
        for side, width in (("top", 40), ("left", 108), ("bottom", 40), ("right", 108)):
            sub(margins, side, w=str(width), type="dxa")
        order_tblpr(tblpr)
        # Tables in 10 pt: the resource table has five columns.
        table_rpr = grid.find(w("rPr"))
        if table_rpr is None:
            table_rpr = el("rPr")
            grid.find(w("tblPr")).addprevious(table_rpr)
        replace(table_rpr, "sz", val="20")
        replace(table_rpr, "szCs", val="20")

    restyle("Title", size=44, before=0, after=360, drop=("pBdr",))
    restyle("Subtitle", size=26, color="404040", after=120, drop=("numPr",))
    restyle("heading 1", size=28, before=360, after=120)
    restyle("heading 2", size=24, before=240, after=80)
    restyle("heading 3", size=22, before=200, after=60, bold=True)
    restyle("Quote", color="404040", italic=None)
    for name in ("header", "footer"):
        restyle(name, size=18, color="595959", italic=None)


def import_missing_styles(document: Any, own_styles: bytes) -> None:
    """A reference document may lack a style we use (say, List Number): bring it over
    from iopkit's own base (`own_styles`, its word/styles.xml), with what it is based
    on, so every paragraph has its style."""
    from lxml import etree

    source = etree.fromstring(own_styles)
    target = document.styles.element
    source_by_id = {s.get(w("styleId")): s for s in source.findall(w("style"))}
    target_names = {style_name(s).lower() for s in target.findall(w("style"))}
    target_ids = {s.get(w("styleId")) for s in target.findall(w("style"))}
    queue = [s for s in source.findall(w("style"))
             if style_name(s).lower() in {n.lower() for n in STYLES.values()}]
    while queue:
        style = queue.pop(0)
        if style_name(style).lower() in target_names or style.get(w("styleId")) in target_ids:
            continue
        imported = copy.deepcopy(style)
        for numpr in imported.iter(w("numPr")):
            numpr.getparent().remove(numpr)
        target.append(imported)
        target_names.add(style_name(style).lower())
        target_ids.add(style.get(w("styleId")))
        based_on = style.find(w("basedOn"))
        if based_on is not None and based_on.get(w("val")) in source_by_id:
            queue.append(source_by_id[based_on.get(w("val"))])


def set_language(document: Any) -> None:
    doc_defaults = child(document.styles.element, "docDefaults", first=True)
    rpr = child(child(doc_defaults, "rPrDefault", first=True), "rPr")
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = replace(rpr, "lang")
    lang.set(w("val"), LANGUAGE)
    settings = document.settings.element
    theme_lang = settings.find(w("themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(w("val"), LANGUAGE)
