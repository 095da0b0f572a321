"""iopkit's own page header and footer, filled per document: the header's text, and
"Sida X av Y" in the footer."""

from __future__ import annotations

from typing import Any

from .markdown import clean_text
from .wordxml import XML_NS, add_run, el, insert_ppr_child, sub, w


def fill_header(root: Any, text: str) -> None:
    """`text` in the header's paragraph; a tab splits it into a left part and a
    right-aligned (by the header style's tab stop), bold part."""
    paragraph = root.find(w("p"))
    left, _, right = clean_text(text).partition("\t")
    add_run(paragraph, " ".join(left.split()))
    if right:
        sub(sub(paragraph, "r"), "tab")
        add_run(paragraph, " ".join(right.split()), bold=True)


def _field(p: Any, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result, so that every viewer shows
    a number even before it lays the document out; Word and LibreOffice recompute it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("result", cached), ("end", None)):
        r = sub(p, "r")
        if kind == "instr":
            instr = sub(r, "instrText")
            instr.set(f"{{{XML_NS}}}space", "preserve")
            instr.text = f" {text} "
        elif kind == "result":
            sub(r, "t").text = text
        else:
            sub(r, "fldChar", fldCharType=kind)


def fill_footer(root: Any, pages: int) -> None:
    """"Sida X av Y", centred; `pages` is the cached page count."""
    paragraph = root.find(w("p"))
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        paragraph.insert(0, ppr)
    insert_ppr_child(ppr, el("jc", val="center"))
    add_run(paragraph, "Sida ")
    _field(paragraph, "PAGE", "1")
    add_run(paragraph, " av ")
    _field(paragraph, "NUMPAGES", str(pages))
