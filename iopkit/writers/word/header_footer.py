"""iopkit's own page header and footer, filled per document: the header's text, and the
page number in the Swedish form "2 (10)" in the footer."""

from __future__ import annotations

from typing import Any

from ..markdown import clean_text
from .wordxml import add_field, add_run, el, insert_ppr_child, sub, w


def fill_header(root: Any, text: str) -> None:
    """`text` in the header's paragraph. A tab splits it into a left part and a
    right-aligned part (by the header style's tab stop) whose last tab-separated piece
    is bold: "Namn\\tUTKAST", or "Namn\\tDnr SNC 2026/0418\\tUTKAST" with the
    diarienummer before the marker."""
    paragraph = root.find(w("p"))
    left, *right = clean_text(text).split("\t")
    add_run(paragraph, " ".join(left.split()))
    right = [" ".join(piece.split()) for piece in right]
    right = [piece for piece in right if piece]
    if right:
        sub(sub(paragraph, "r"), "tab")
        for piece in right[:-1]:
            add_run(paragraph, piece + "\u2003")
        add_run(paragraph, right[-1], bold=True)


def fill_footer(root: Any, pages: int) -> None:
    """"2 (10)" (PAGE and NUMPAGES fields), centred; `pages` is the cached page count."""
    paragraph = root.find(w("p"))
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        paragraph.insert(0, ppr)
    insert_ppr_child(ppr, el("jc", val="center"))
    add_field(paragraph, "PAGE", "1")
    add_run(paragraph, " (")
    add_field(paragraph, "NUMPAGES", str(pages))
    add_run(paragraph, ")")
