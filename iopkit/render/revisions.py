"""Word's tracked changes between two rendered documents: alignment and paragraphs.

The result is the whole NEW document in which every difference from the OLD one is a
revision by one author at one date: inserted and deleted text (`w:ins`, `w:del` with
`w:delText`), inserted and deleted paragraphs and table rows (the paragraph mark's
`w:rPr/w:ins|w:del`, `w:trPr/w:ins|w:del`) and formatting-only changes (`w:rPrChange`,
`w:pPrChange`, `w:tcPrChange`, `w:tblGridChange`). Word's *Accept all* then gives the
new document and *Reject all* the old one.

The merge knows nothing of agreements: it aligns the body blocks (paragraphs and tables)
of any two documents made from the same base, so it keeps working when the templates
change. Blocks are first matched on identical text (difflib); among the rest, blocks
of the same kind that are similar enough are paired and compared word by word, and
tables row by row and cell by cell. What is left is a whole inserted or deleted block.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .wordxml import insert_ppr_child, local, w

#: Blocks of the same kind at least this similar are compared word by word; less
#: similar ones are shown as a whole deletion followed by a whole insertion.
SIMILAR = 0.5
#: Above this many candidate pairs in one changed stretch, pairing is skipped (the
#: stretch is then replaced whole): keeps the merge fast on wholly rewritten documents.
MAX_PAIRINGS = 250_000

_WORD = re.compile(r"\w+|\s+|[^\w\s]")


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

    def mark(self, tag: str) -> Any:
        from lxml import etree

        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


# ---------------------------------------------------------------------------------
# Reading blocks


def _runs(p: Any) -> list[Any]:
    return [child for child in p if local(child) == "r"]


def _plain_paragraph(p: Any) -> bool:
    """Only properties and runs: what can be compared word by word."""
    return all(local(child) in ("pPr", "r") for child in p)


def _tokens(p: Any) -> list[_Token]:
    tokens = []
    for run in _runs(p):
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


def _text(block: Any) -> str:
    if local(block) == "p":
        parts = []
        for run in _runs(block):
            for child in run:
                name = local(child)
                if name == "t":
                    parts.append(child.text or "")
                elif name == "tab":
                    parts.append("\t")
                elif name in ("br", "cr"):
                    parts.append("\n")
        return "".join(parts)
    if local(block) == "tbl":
        return "\x1e".join(row_text(tr) for tr in block.findall(w("tr")))
    return canonical(block)


def row_text(tr: Any) -> str:
    return "\x1f".join("\n".join(_text(b) for b in tc if local(b) in ("p", "tbl"))
                       for tc in tr.findall(w("tc")))


def canonical(element: Any) -> str:
    from lxml import etree

    if element is None:
        return ""
    return etree.tostring(element, method="c14n", exclusive=True).decode()


def _key(block: Any) -> str:
    return f"{local(block)}:{_text(block)}"


# ---------------------------------------------------------------------------------
# Alignment


@dataclass
class _Shape:
    """What pairing compares: the kind of block, its columns, and its words as a bag
    (order-free, so that comparing every candidate pair stays cheap)."""

    kind: str
    columns: int
    words: Counter[str]
    size: int


_BAG_WORD = re.compile(r"\w+|[^\w\s]")


def _shape(block: Any) -> _Shape:
    kind = local(block)
    if kind == "tr":
        columns, text = len(block.findall(w("tc"))), row_text(block)
    else:
        columns, text = (len(_grid(block)) if kind == "tbl" else 0), _text(block)
    words = Counter(_BAG_WORD.findall(text))
    return _Shape(kind, columns, words, sum(words.values()))


def _similarity(old: _Shape, new: _Shape) -> float:
    if old.kind != new.kind or old.kind not in ("p", "tbl", "tr") or \
            old.columns != new.columns:
        return 0.0
    if not old.size and not new.size:
        ratio = 1.0
    else:
        common = sum((old.words & new.words).values())
        ratio = 2 * common / (old.size + new.size)
    # Tables with the same columns are always compared row by row.
    return 0.5 + 0.5 * ratio if old.kind == "tbl" else ratio


def _grid(tbl: Any) -> list[Any]:
    grid = tbl.find(w("tblGrid"))
    return [] if grid is None else grid.findall(w("gridCol"))


def _pair_similar(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Order-keeping pairs of similar blocks with the greatest total similarity."""
    n, m = len(old), len(new)
    if not n or not m or n * m > MAX_PAIRINGS:
        return [(o, None) for o in old] + [(None, b) for b in new]
    new_shapes = [_shape(b) for b in new]
    sim = [[_similarity(shape, other) for other in new_shapes] for shape in map(_shape, old)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= SIMILAR else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    pairs: list[tuple[Any, Any]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= SIMILAR and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((old[i], None))
            i += 1
        else:
            pairs.append((None, new[j]))
            j += 1
    pairs += [(o, None) for o in old[i:]] + [(None, b) for b in new[j:]]
    return pairs


def align(old: Sequence[Any], new: Sequence[Any],
          key: Callable[[Any], str] = _key) -> list[tuple[Any, Any]]:
    """(old, new) pairs in document order; None on one side for a block that exists
    only in the other version."""
    matcher = difflib.SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new],
                                      autojunk=False)
    pairs: list[tuple[Any, Any]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2]))
        else:
            pairs.extend(_pair_similar(old[i1:i2], new[j1:j2]))
    return pairs


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
        rpr = w_element("rPr")
        insert_ppr_child(ppr, rpr)
    rpr.insert(0, revisions.mark(tag))


def w_element(tag: str) -> Any:
    from lxml import etree

    return etree.Element(w(tag))


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
    runs = _runs(p)
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
    ids = [int(n.get(w("numId"))) for n in numbering.findall(w("num"))]
    new_id = str(max(ids, default=0) + 1)
    num = copy.deepcopy(source)
    num.set(w("numId"), new_id)
    cleanup = numbering.find(w("numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)
    return new_id


def _bare(ppr: Any) -> Any:
    """A copy of paragraph properties without the mark's run properties, a section
    break or a recorded change: what w:pPrChange may hold."""
    bare = copy.deepcopy(ppr) if ppr is not None else w_element("pPr")
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
        ppr = w_element("pPr")
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

    run = w_element("r")
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
            run_rpr = copy.deepcopy(first.rpr) if first.rpr is not None else w_element("rPr")
            change = revisions.mark("rPrChange")
            change.append(copy.deepcopy(first.old_rpr) if first.old_rpr is not None
                          else w_element("rPr"))
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
    p = w_element("p")
    for name, value in new.attrib.items():
        p.set(name, value)
    ppr = _paragraph_properties(old, new, revisions)
    if ppr is not None:
        p.append(ppr)
    old_tokens, new_tokens = _tokens(old), _tokens(new)
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
