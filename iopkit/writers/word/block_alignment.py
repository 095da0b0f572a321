"""Aligning the body blocks of two Word documents, for the tracked-changes merge.

Blocks are first matched on identical text (difflib); among the rest, blocks of the
same kind that are similar enough are paired (order kept, greatest total similarity),
so that revisions.py can compare them word by word, and tables row by row. What stays
unpaired is a whole inserted or deleted block. Nothing here knows of agreements.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .wordxml import local, w

#: Blocks of the same kind at least this similar are compared word by word; less
#: similar ones are shown as a whole deletion followed by a whole insertion.
SIMILAR = 0.5
#: Up to this many candidate pairs in one changed stretch, the pairing with the greatest
#: total similarity is found (comparing every block with every other); above it each
#: block is compared only with the blocks near its own place (NEAR_PLACES on either
#: side), so that a wholly rewritten document of thousands of paragraphs costs time in
#: proportion to its length, not to its square.
MAX_PAIRINGS = 10_000
NEAR_PLACES = 6
#: From this many blocks on, a block text that is more than 1 % of all is "popular".
POPULAR_FROM_BLOCKS = 1000


def paragraph_runs(p: Any) -> list[Any]:
    return [child for child in p if local(child) == "r"]


def _text(block: Any) -> str:
    if local(block) == "p":
        parts = []
        for run in paragraph_runs(block):
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
    text: bytes = etree.tostring(element, method="c14n", exclusive=True)
    return text.decode()


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
    if not n or not m:
        return [(o, None) for o in old] + [(None, b) for b in new]
    if n * m > MAX_PAIRINGS:
        return _pair_near(old, new)
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


def _pair_near(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Order-keeping pairs for a long stretch: each old block, in order, takes the most
    similar new block not yet passed within NEAR_PLACES of its own place."""
    n, m = len(old), len(new)
    new_shapes = [_shape(b) for b in new]
    pairs: list[tuple[Any, Any]] = []
    next_new = 0
    for i, block in enumerate(old):
        shape = _shape(block)
        centre = round(i * m / n)
        best, best_j = SIMILAR, -1
        for j in range(max(next_new, centre - NEAR_PLACES), min(m, centre + NEAR_PLACES + 1)):
            similarity = _similarity(shape, new_shapes[j])
            if similarity >= best and (best_j < 0 or similarity > best):
                best, best_j = similarity, j
        if best_j < 0:
            pairs.append((block, None))
            continue
        pairs += [(None, b) for b in new[next_new:best_j]]
        pairs.append((block, new[best_j]))
        next_new = best_j + 1
    pairs += [(None, b) for b in new[next_new:]]
    return pairs


def align(old: Sequence[Any], new: Sequence[Any],
          key: Callable[[Any], str] = _key) -> list[tuple[Any, Any]]:
    """(old, new) pairs in document order; None on one side for a block that exists
    only in the other version."""
    # In a document of thousands of blocks, blocks that recur very often (the same
    # sentence a thousand times) would make difflib compare each with each: there they
    # only extend matches, as difflib's "popular" items do.
    matcher = difflib.SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new],
                                      autojunk=len(new) >= POPULAR_FROM_BLOCKS)
    pairs: list[tuple[Any, Any]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2]))
        else:
            pairs.extend(_pair_similar(old[i1:i2], new[j1:j2]))
    return pairs


# ---------------------------------------------------------------------------------
