"""Word's tracked changes between two rendered documents: the revision marks.

The result is the whole NEW document in which every difference from the OLD one is a
revision by one author at one date: inserted and deleted text (`w:ins`, `w:del` with
`w:delText`), inserted and deleted paragraphs and table rows (the paragraph mark's
`w:rPr/w:ins|w:del`, `w:trPr/w:ins|w:del`) and formatting-only changes (`w:rPrChange`,
`w:pPrChange`, `w:tcPrChange`, `w:tblGridChange`). Word's *Accept all* then gives the
new document and *Reject all* the old one.

block_alignment.py pairs the blocks of the two versions; this module writes paragraphs
(whole, or compared word by word) with their revisions; tracked.py does tables and the
package.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .block_alignment import canonical, paragraph_runs
from .numbering import append_num, next_num_id
from .wordxml import el, insert_ppr_child, local, w

_WORD = re.compile(r"\w+|\s+|[^\w\s]")
#: The word-by-word comparison of two paragraphs costs up to the product of their
#: lengths in tokens (words, spaces, punctuation). Above this product for one paragraph
#: (about 600 words on each side), or when the whole document has used up
#: MAX_WORD_DIFF_TOTAL, a changed paragraph is shown as deleted and inserted whole.
MAX_WORD_DIFF = 1_500_000
MAX_WORD_DIFF_TOTAL = 30_000_000


@dataclass
class _Token:
    key: str  # what is compared: a word, a space, or a marker for a tab, break, field …
    rpr: Any  # the run's w:rPr (or None)
    element: Any  # a run child other than w:t, or None for text
    text: str = ""


@dataclass
class Revisions:
    """Hands out the w:id, author and date every revision element carries."""

    author: str
    date: str
    next_id: int = 1
    numbering: Any = None  # the merged document's w:numbering
    num_map: dict[str, str] = field(default_factory=dict)  # old numId -> new numId
    old_nums: dict[str, Any] = field(default_factory=dict)  # old numId -> old w:num
    #: What word-by-word comparison may still cost in this document (see MAX_WORD_DIFF).
    word_diff_budget: int = MAX_WORD_DIFF_TOTAL

    def mark(self, tag: str) -> Any:
        from lxml import etree

        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


def _plain_paragraph(p: Any) -> bool:
    """Only properties and runs: what can be compared word by word."""
    return all(local(child) in ("pPr", "r") for child in p)


def _tokens(p: Any) -> list[_Token]:
    tokens = []
    for run in paragraph_runs(p):
        rpr = run.find(w("rPr"))
        for child in run:
            name = local(child)
            if name == "rPr":
                continue
            if name == "t":
                for word in _WORD.findall(child.text or ""):
                    tokens.append(_Token(word, rpr, None, word))
            else:
                tokens.append(_Token("\x00" + canonical(child), rpr, child))
    return tokens


# ---------------------------------------------------------------------------------
# Writing revisions


def _properties(parent: Any, tag: str) -> Any:
    """The properties child (pPr, trPr, rPr …), created when missing."""
    from lxml import etree

    props = parent.find(w(tag))
    if props is None:
        props = etree.Element(w(tag))
        parent.insert(0, props)
    return props


def mark_paragraph(p: Any, revisions: Revisions, tag: str) -> None:
    """Mark the paragraph mark inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    ppr = _properties(p, "pPr")
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = el("rPr")
        insert_ppr_child(ppr, rpr)
    rpr.insert(0, revisions.mark(tag))


def _as_deleted(run: Any) -> Any:
    """A run's text as deleted text (w:t -> w:delText, w:instrText -> w:delInstrText)."""
    for child in run:
        if local(child) == "t":
            child.tag = w("delText")
        elif local(child) == "instrText":
            child.tag = w("delInstrText")
    return run


def wrap_runs(p: Any, revisions: Revisions, tag: str) -> None:
    """Put every run of the paragraph inside one w:ins or w:del."""
    runs = paragraph_runs(p)
    if not runs:
        return
    wrapper = revisions.mark(tag)
    runs[0].addprevious(wrapper)
    for run in runs:
        wrapper.append(_as_deleted(run) if tag == "del" else run)


def whole_paragraph(p: Any, revisions: Revisions, tag: str) -> Any:
    """A paragraph inserted or deleted as a whole: its runs and its mark."""
    p = copy.deepcopy(p)
    if tag == "del":
        map_numbering(p, revisions)
    wrap_runs(p, revisions, tag)
    mark_paragraph(p, revisions, tag)
    return p


def map_numbering(element: Any, revisions: Revisions) -> None:
    """An old paragraph's list numbering, in terms of the merged numbering part."""
    for num_id in element.iter(w("numId")):
        old = num_id.get(w("val"))
        if old is None or old == "0":
            continue
        if old not in revisions.num_map:
            revisions.num_map[old] = _import_num(old, revisions)
        num_id.set(w("val"), revisions.num_map[old])


def _import_num(old_id: str, revisions: Revisions) -> str:
    numbering = revisions.numbering
    source = revisions.old_nums.get(old_id)
    if source is None or numbering is None:
        return old_id
    new_id = str(next_num_id(numbering))
    num = copy.deepcopy(source)
    num.set(w("numId"), new_id)
    append_num(numbering, num)
    return new_id


def _bare(ppr: Any) -> Any:
    """A copy of paragraph properties without the mark's run properties, a section
    break or a recorded change: what w:pPrChange may hold."""
    bare = copy.deepcopy(ppr) if ppr is not None else el("pPr")
    for tag in ("rPr", "sectPr", "pPrChange"):
        for child in bare.findall(w(tag)):
            bare.remove(child)
    return bare


def _same(a: Any, b: Any) -> bool:
    return (canonical(a) if len(a) else "") == (canonical(b) if len(b) else "")


def with_ppr_change(ppr: Any, old_bare: Any, revisions: Revisions) -> Any:
    """`ppr` (created when None) with a w:pPrChange holding `old_bare` when the
    paragraph's properties were different before."""
    if ppr is None:
        ppr = el("pPr")
    if _same(_bare(ppr), old_bare):
        return ppr
    change = revisions.mark("pPrChange")
    change.append(old_bare)
    insert_ppr_child(ppr, change)
    return ppr


def _paragraph_properties(old: Any, new: Any, revisions: Revisions) -> Any:
    """The new w:pPr, with a w:pPrChange holding the old one when they differ."""
    previous = _bare(old.find(w("pPr")))
    map_numbering(previous, revisions)
    new_ppr = copy.deepcopy(new.find(w("pPr")))
    if new_ppr is None and not len(previous):
        return None
    return with_ppr_change(new_ppr, previous, revisions)


def _mark_revision(p: Any) -> str | None:
    """"ins" or "del" when the paragraph mark is inserted or deleted."""
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    for tag in ("ins", "del"):
        if rpr is not None and rpr.find(w(tag)) is not None:
            return tag
    return None


def _unmark(p: Any) -> Any:
    """Take the revision off the paragraph mark; returns the paragraph's pPr."""
    ppr = p.find(w("pPr"))
    rpr = ppr.find(w("rPr"))
    for child in [c for c in rpr if local(c) in ("ins", "del")]:
        rpr.remove(child)
    if not len(rpr):
        ppr.remove(rpr)
    return ppr


def settle_last_mark(blocks: list[Any], revisions: Revisions) -> None:
    """Word can neither insert nor delete the last paragraph mark of the body or of a
    table cell (Reject all would leave an empty paragraph). When the last paragraph's
    mark is revised, the revision moves to the paragraph before the revised ones at
    the end, as Word does, and the last paragraph records both versions' properties.
    Reject all and Accept all join the text of the paragraphs whose marks they remove
    to the next paragraph, so every text still ends up where it was."""
    if not blocks or local(blocks[-1]) != "p":
        return
    last, kind = blocks[-1], _mark_revision(blocks[-1])
    if kind is None:
        return
    # The paragraph before the closing run of paragraphs revised the same way.
    index = len(blocks) - 1
    while index and local(blocks[index - 1]) == "p" and \
            _mark_revision(blocks[index - 1]) == kind:
        index -= 1
    if not index or local(blocks[index - 1]) != "p":
        return
    before = blocks[index - 1]
    previous = _mark_revision(before)
    if kind == "ins" and previous == "del":
        # One paragraph: the deleted text, then the inserted text, under the new mark.
        old = _bare(before.find(w("pPr")))
        ppr = with_ppr_change(_unmark(last), old, revisions)
        anchor = ppr.getnext()
        for child in [c for c in before if local(c) != "pPr"]:
            if anchor is not None:
                anchor.addprevious(child)
            else:
                last.append(child)
        blocks.remove(before)
    elif previous is None:
        if kind == "del":  # what is left of `before` joins the last mark on Accept
            accepted = copy.deepcopy(_bare(before.find(w("pPr"))))
            old = _bare(_unmark(last))
            last.replace(last.find(w("pPr")), with_ppr_change(accepted, old, revisions))
        else:  # on Reject, `before` joins the last mark and keeps its properties
            ppr = before.find(w("pPr"))
            change = ppr.find(w("pPrChange")) if ppr is not None else None
            old = _bare(change.find(w("pPr")) if change is not None else ppr)
            with_ppr_change(_unmark(last), old, revisions)
        mark_paragraph(before, revisions, kind)


def _run(rpr: Any, tokens: Sequence[_Token], deleted: bool) -> Any:
    from lxml import etree

    run = el("r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    text: list[str] = []

    def flush() -> None:
        if text:
            t = etree.SubElement(run, w("delText" if deleted else "t"))
            t.text = "".join(text)
            if t.text != t.text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.clear()

    for token in tokens:
        if token.element is None:
            text.append(token.text)
        else:
            flush()
            run.append(_as_deleted(copy.deepcopy(token.element)) if deleted
                       else copy.deepcopy(token.element))
    flush()
    return run


@dataclass
class _Piece:
    status: str  # "" (unchanged text), "ins" or "del"
    rpr: Any  # the run properties the text has (the new ones for unchanged text)
    token: _Token
    old_rpr: Any = None  # for unchanged text whose formatting changed: the old rPr
    restyled: bool = False

    def group(self) -> tuple[str, str, str, bool]:
        return self.status, canonical(self.rpr), canonical(self.old_rpr), self.restyled


def _emit(p: Any, pieces: list[_Piece], revisions: Revisions) -> None:
    """Write the pieces as runs, consecutive ones of the same kind joined in one run,
    consecutive insertions (deletions) in one w:ins (w:del)."""
    index = 0
    wrapper: Any = None
    while index < len(pieces):
        first = pieces[index]
        end = index + 1
        while end < len(pieces) and pieces[end].group() == first.group():
            end += 1
        run_rpr = first.rpr
        if first.restyled:
            run_rpr = copy.deepcopy(first.rpr) if first.rpr is not None else el("rPr")
            change = revisions.mark("rPrChange")
            change.append(copy.deepcopy(first.old_rpr) if first.old_rpr is not None
                          else el("rPr"))
            run_rpr.append(change)
        run = _run(run_rpr, [piece.token for piece in pieces[index:end]],
                   first.status == "del")
        if first.status:
            if wrapper is None or local(wrapper) != first.status:
                wrapper = revisions.mark(first.status)
                p.append(wrapper)
            wrapper.append(run)
        else:
            wrapper = None
            p.append(run)
        index = end


def merge_paragraph(old: Any, new: Any, revisions: Revisions) -> list[Any]:
    if not (_plain_paragraph(old) and _plain_paragraph(new)):
        if canonical(old) == canonical(new):
            return [copy.deepcopy(new)]
        return [whole_paragraph(old, revisions, "del"), whole_paragraph(new, revisions, "ins")]
    p = el("p")
    for name, value in new.attrib.items():
        p.set(name, value)
    ppr = _paragraph_properties(old, new, revisions)
    if ppr is not None:
        p.append(ppr)
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    work = len(old_tokens) * len(new_tokens)
    if work > MAX_WORD_DIFF or work > revisions.word_diff_budget:
        # Too long to compare word by word (difflib's work grows with the product of
        # the lengths): the paragraph reads as replaced, which is still exact.
        return [whole_paragraph(old, revisions, "del"), whole_paragraph(new, revisions, "ins")]
    revisions.word_diff_budget -= work
    matcher = difflib.SequenceMatcher(None, [t.key for t in old_tokens],
                                      [t.key for t in new_tokens], autojunk=False)
    pieces: list[_Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old_tokens[i1:i2], new_tokens[j1:j2]):
                restyled = canonical(a.rpr) != canonical(b.rpr)
                pieces.append(_Piece("", b.rpr, b, a.rpr if restyled else None, restyled))
        else:
            pieces.extend(_Piece("del", a.rpr, a) for a in old_tokens[i1:i2])
            pieces.extend(_Piece("ins", b.rpr, b) for b in new_tokens[j1:j2])
    _emit(p, pieces, revisions)
    return [p]
