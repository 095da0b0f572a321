"""Two versions of an agreement as one Word document with tracked changes.

`render.pipeline.tracked_agreement` renders both specs through the ordinary pipeline
(templates, --mallar, --referens-docx) and `tracked_changes_docx` merges the two documents: the new
one, with every difference from the old one as a revision by "iopkit" dated with the
render date, so that Word's Accept all gives the new agreement and Reject all the old.
Alignment is in block_alignment.py, word-level changes and paragraph revisions in
revisions.py; tables and the package are here.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from typing import Any

from .ooxml_package import part_targets, read_package, serialize, zip_package
from .block_alignment import align, canonical, row_text
from .revisions import (
    Revisions,
    map_numbering,
    mark_paragraph,
    merge_paragraph,
    settle_last_mark,
    whole_paragraph,
    wrap_runs,
)
from .wordxml import RT_NUMBERING, RT_OFFICE_DOCUMENT, el, local, w

AUTHOR = "iopkit"
_RT_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
#: The w:settings children that the schema puts before w:trackRevisions.
_BEFORE_TRACK_REVISIONS = {
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
    "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
    "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter",
    "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
    "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView"}


# ---------------------------------------------------------------------------------
# Blocks and tables


def _whole_row(tr: Any, revisions: Revisions, tag: str) -> Any:
    tr = copy.deepcopy(tr)
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = el("trPr")
        prex = tr.find(w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    trpr.append(revisions.mark(tag))
    for tc in tr.findall(w("tc")):
        paragraphs = [b for b in tc if local(b) == "p"]
        for index, p in enumerate(paragraphs):
            if tag == "del":
                map_numbering(p, revisions)
            wrap_runs(p, revisions, tag)
            if index < len(paragraphs) - 1:
                mark_paragraph(p, revisions, tag)
        for nested in [b for b in tc if local(b) == "tbl"]:
            for row in nested.findall(w("tr")):
                nested.replace(row, _whole_row(row, revisions, tag))
    return tr


def _changed_properties(old: Any, new: Any, tag: str, change_tag: str,
                        revisions: Revisions) -> Any:
    """New properties element (tcPr …) with the old one inside change_tag if different."""
    new_props = copy.deepcopy(new.find(w(tag)))
    old_props = old.find(w(tag))
    if canonical(old_props) == canonical(new_props):
        return new_props
    if new_props is None:
        new_props = el(tag)
    change = revisions.mark(change_tag)
    previous = copy.deepcopy(old_props) if old_props is not None else el(tag)
    for child in previous.findall(w(change_tag)):
        previous.remove(child)
    change.append(previous)
    new_props.append(change)
    return new_props


def _merge_row(old: Any, new: Any, revisions: Revisions) -> Any:
    tr = el("tr")
    for name, value in new.attrib.items():
        tr.set(name, value)
    for child in new:
        if local(child) != "tc":
            tr.append(copy.deepcopy(child))
    for old_tc, new_tc in zip(old.findall(w("tc")), new.findall(w("tc"))):
        tc = el("tc")
        tcpr = _changed_properties(old_tc, new_tc, "tcPr", "tcPrChange", revisions)
        if tcpr is not None:
            tc.append(tcpr)
        blocks = merge_blocks([b for b in old_tc if local(b) in ("p", "tbl")],
                              [b for b in new_tc if local(b) in ("p", "tbl")], revisions)
        settle_last_mark(blocks, revisions)
        for block in blocks:
            tc.append(block)
        tr.append(tc)
    return tr


def _merge_table(old: Any, new: Any, revisions: Revisions) -> Any:
    tbl = el("tbl")
    for child in new:
        name = local(child)
        if name == "tblGrid":
            grid = copy.deepcopy(child)
            if canonical(child) != canonical(old.find(w("tblGrid"))):
                change = revisions.mark("tblGridChange")
                for attribute in ("author", "date"):
                    del change.attrib[w(attribute)]  # tblGridChange carries only an id
                change.append(copy.deepcopy(old.find(w("tblGrid"))))
                for nested in change.iter(w("tblGridChange")):
                    if nested is not change:
                        nested.getparent().remove(nested)
                grid.append(change)
            tbl.append(grid)
        elif name != "tr":
            tbl.append(copy.deepcopy(child))
    for old_tr, new_tr in align(old.findall(w("tr")), new.findall(w("tr")),
                                key=lambda tr: row_text(tr) + "\x1d" + str(
                                    len(tr.findall(w("tc"))))):
        if old_tr is None:
            tbl.append(_whole_row(new_tr, revisions, "ins"))
        elif new_tr is None:
            tbl.append(_whole_row(old_tr, revisions, "del"))
        else:
            tbl.append(_merge_row(old_tr, new_tr, revisions))
    return tbl


def _columns(tbl: Any) -> int:
    grid = tbl.find(w("tblGrid"))
    return len(grid.findall(w("gridCol"))) if grid is not None else 0


def _whole_table(tbl: Any, revisions: Revisions, tag: str) -> Any:
    tbl = copy.deepcopy(tbl)
    for row in tbl.findall(w("tr")):
        tbl.replace(row, _whole_row(row, revisions, tag))
    return tbl


def merge_blocks(old: Sequence[Any], new: Sequence[Any], revisions: Revisions) -> list[Any]:
    """The merged blocks of a body or a table cell."""
    merged: list[Any] = []
    for o, n in align(old, new):
        if o is None:
            merged.append(_whole_table(n, revisions, "ins") if local(n) == "tbl"
                          else whole_paragraph(n, revisions, "ins"))
        elif n is None:
            merged.append(_whole_table(o, revisions, "del") if local(o) == "tbl"
                          else whole_paragraph(o, revisions, "del"))
        elif local(n) == "tbl" and _columns(o) != _columns(n):
            # A table with other columns (a year-by-year table over a longer period) is
            # not edited row by row: Reject all must give back the old grid and cells.
            merged.append(_whole_table(o, revisions, "del"))
            merged.append(_whole_table(n, revisions, "ins"))
        elif local(n) == "tbl":
            merged.append(_merge_table(o, n, revisions))
        elif local(n) == "p":
            merged.extend(merge_paragraph(o, n, revisions))
        else:  # anything else (a bookmark, a content control) is taken from the new one
            merged.append(copy.deepcopy(n))
    return merged


# ---------------------------------------------------------------------------------
# The package


def _part_names(members: dict[str, bytes]) -> tuple[str, str | None, str | None]:
    """The main document, numbering and settings parts."""
    document = next(n for t, n in part_targets(members, "").values()
                    if t == RT_OFFICE_DOCUMENT)
    related = {t: n for t, n in part_targets(members, document).values()}
    return document, related.get(RT_NUMBERING), related.get(_RT_SETTINGS)


def _track_further_edits(settings: Any) -> None:
    """Turn on Track Changes, so that what the reader changes next is tracked as well."""
    if settings.find(w("trackRevisions")) is not None:
        return
    before = [child for child in settings if local(child) in _BEFORE_TRACK_REVISIONS]
    track = el("trackRevisions")
    if before:
        before[-1].addnext(track)
    else:
        settings.insert(0, track)


def _settle_bookmarks(blocks: list[Any], revisions: Revisions) -> None:
    """The § headings' bookmarks (docx_sections.py) in the merged body: a name that both
    a deleted and a kept or inserted paragraph carry stays on the latter only (the
    references of the new text point there; a heading whose text changed has another
    name and keeps it, so Reject all gives references that still resolve). Every
    bookmark then gets an id after the revisions' ids: no w:id is used twice."""
    def end_of(start: Any) -> Any:
        # iopkit writes a bookmark's start and end in the same paragraph; ids repeat
        # between the two versions, so the end is looked up next to its start.
        return next((end for end in start.getparent().iter(w("bookmarkEnd"))
                     if end.get(w("id")) == start.get(w("id"))), None)

    def deleted(element: Any) -> bool:
        paragraph = next(element.iterancestors(w("p")), None)
        return paragraph is not None and \
            paragraph.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None

    pairs = [(start, end_of(start))
             for block in blocks for start in block.iter(w("bookmarkStart"))]
    kept: dict[str, tuple[Any, Any]] = {}
    for pair in pairs:
        name = pair[0].get(w("name"))
        other = kept.get(name)
        if other is not None:
            if deleted(other[0]) and not deleted(pair[0]):
                pair, other = other, pair
            for element in pair:
                if element is not None:
                    element.getparent().remove(element)
            pair = other
        kept[name] = pair
    for start, end in kept.values():
        new_id = str(revisions.next_id)
        revisions.next_id += 1
        start.set(w("id"), new_id)
        if end is not None:
            end.set(w("id"), new_id)


def _body_blocks(document: Any) -> list[Any]:
    body = document.find(w("body"))
    return [child for child in body if local(child) != "sectPr"]


def tracked_changes_docx(old_docx: bytes, new_docx: bytes, when: dt.date,
                         author: str = AUTHOR) -> bytes:
    """The new document with every difference from the old one as a tracked change by
    `author` dated `when` (midnight UTC, so the output is deterministic). Both
    documents should come from the same base (iopkit's, or the same --referens-docx):
    styles, header and footer are taken from the new one."""
    from lxml import etree

    old_members, new_members = dict(read_package(old_docx)), read_package(new_docx)
    new_by_name = dict(new_members)
    document_name, numbering_name, settings_name = _part_names(new_by_name)
    old_document_name, old_numbering_name, _ = _part_names(old_members)
    old_document = etree.fromstring(old_members[old_document_name])
    new_document = etree.fromstring(new_by_name[document_name])

    revisions = Revisions(author, f"{when.isoformat()}T00:00:00Z")
    if numbering_name is not None:
        revisions.numbering = etree.fromstring(new_by_name[numbering_name])
    if old_numbering_name is not None:
        old_numbering = etree.fromstring(old_members[old_numbering_name])
        revisions.old_nums = {n.get(w("numId")): n for n in old_numbering.findall(w("num"))}

    old_blocks, new_blocks = _body_blocks(old_document), _body_blocks(new_document)
    # List numbering of paragraphs present in both versions: the old list is the new one.
    for o, n in align(old_blocks, new_blocks):
        if o is not None and n is not None and local(o) == local(n) == "p":
            old_num, new_num = o.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}"), \
                n.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
            if old_num is not None and new_num is not None:
                revisions.num_map.setdefault(old_num.get(w("val")), new_num.get(w("val")))

    merged = merge_blocks(old_blocks, new_blocks, revisions)
    settle_last_mark(merged, revisions)
    _settle_bookmarks(merged, revisions)
    body = new_document.find(w("body"))
    for block in new_blocks:
        body.remove(block)
    sect_pr = body.find(w("sectPr"))
    for block in merged:
        if sect_pr is not None:
            sect_pr.addprevious(block)
        else:
            body.append(block)

    replaced = {document_name: serialize(new_document)}
    if numbering_name is not None:
        replaced[numbering_name] = serialize(revisions.numbering)
    if settings_name is not None:
        settings = etree.fromstring(new_by_name[settings_name])
        _track_further_edits(settings)
        replaced[settings_name] = serialize(settings)
    return zip_package([(name, replaced.get(name, data)) for name, data in new_members], when)

