"""Two versions of an agreement as one Word document with tracked changes.

`tracked_agreement` renders both specs through the ordinary pipeline (templates,
--mallar, --referens-docx) and `tracked_changes_docx` merges the two documents: the new
one, with every difference from the old one as a revision by "iopkit" dated with the
render date, so that Word's Accept all gives the new agreement and Reject all the old.
The merge itself (alignment, word-level changes, table rows) is in revisions.py.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from .revisions import Revisions, align, merge_blocks
from .wordxml import RT_NUMBERING, RT_OFFICE_DOCUMENT, local, w

AUTHOR = "iopkit"


# ---------------------------------------------------------------------------------
# The package


def _package(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info.filename)) for info in package.infolist()]


def _part_names(members: dict[str, bytes]) -> tuple[str, str | None]:
    from .docx import _targets

    document = next(n for t, n in _targets(members, "").values() if t == RT_OFFICE_DOCUMENT)
    numbering = next((n for t, n in _targets(members, document).values()
                      if t == RT_NUMBERING), None)
    return document, numbering


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

    from .docx import _serialize, _zip

    old_members, new_members = dict(_package(old_docx)), _package(new_docx)
    new_by_name = dict(new_members)
    document_name, numbering_name = _part_names(new_by_name)
    old_document_name, old_numbering_name = _part_names(old_members)
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
    body = new_document.find(w("body"))
    for block in new_blocks:
        body.remove(block)
    sect_pr = body.find(w("sectPr"))
    for block in merged:
        if sect_pr is not None:
            sect_pr.addprevious(block)
        else:
            body.append(block)

    replaced = {document_name: _serialize(new_document)}
    if numbering_name is not None:
        replaced[numbering_name] = _serialize(revisions.numbering)
    return _zip([(name, replaced.get(name, data)) for name, data in new_members], when)


def tracked_agreement(old: Any, new: Any, options: Any) -> bytes:
    """The agreement of the `new` CheckResult with its differences from the `old` one as
    tracked changes; `options` is a pipeline.RenderOptions. Raises
    templates.TemplateProblem and files.UsageProblem as rendering does."""
    from .docx import markdown_to_docx
    from .pipeline import draft_date, render_markdown

    when = draft_date(options)
    documents = []
    for result in (old, new):
        agreement = next(document for document in render_markdown(result, options)
                         if document.kind == "avtal")
        documents.append(markdown_to_docx(
            agreement.markdown, title=agreement.title, header_text=agreement.header_text,
            subject=agreement.subject, reference_docx=options.reference_docx, date=when,
            author=agreement.author, keywords=agreement.keywords))
    return tracked_changes_docx(documents[0], documents[1], when)
