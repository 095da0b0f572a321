"""Page layout touches applied to a finished Word body (after the Markdown is converted).

- The last section of a document (an agreement's "Bilagor") never stands alone on a
  nearly empty last page: the paragraph before its heading is kept with it, so at least
  the last signature block moves along.
  When that paragraph is the last row of signature blocks (a table), the row is kept.
- A group row in a table (a party's name over its resources: text in the first cell
  only) stays on the page of the row after it (rows themselves never split: docx.py).
- A short data table (`SHORT_TABLE_ROWS`) is kept on one page.
  Tables without a table style (the signature blocks) keep their rows themselves.
- A document with a title page gets a different first page (`w:titlePg`): the running
  header ("Namn … UTKAST") and the footer start on page 2 and do not repeat what the
  title page already says. Only when the header is iopkit's own: a user's reference
  document keeps its own first-page setting.
"""

from __future__ import annotations

from typing import Any

from .wordxml import el, set_ppr_flag, w

#: The elements that follow w:titlePg in a w:sectPr (ECMA-376 schema order).
_AFTER_TITLE_PG = ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
                   "sectPrChange")


def finish_layout(body: Any, *, title_page: bool, heading_style: str) -> None:
    """Apply the layout touches above to the w:body element `body`; `heading_style` is
    the style id of the section headings (Heading 1)."""
    _keep_last_section_with_previous(body, heading_style)
    for table in body.iter(w("tbl")):
        if table.find(f"{w('tblPr')}/{w('tblStyle')}") is not None:
            rows = table.findall(w("tr"))
            for row in rows:
                _keep_row(row)
            if len(rows) <= SHORT_TABLE_ROWS:
                _keep_table_together(rows)
    if title_page:
        _different_first_page(body)


def _keep_last_section_with_previous(body: Any, heading_style: str) -> None:
    paragraphs = body.findall(w("p"))
    for index in range(len(paragraphs) - 1, 0, -1):
        style = paragraphs[index].find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None and style.get(w("val")) == heading_style:
            previous = paragraphs[index].getprevious()
            if previous is not None and previous.tag == w("p"):
                set_ppr_flag(previous, "keepNext")
            elif previous is not None and previous.tag == w("tbl"):
                rows = previous.findall(w("tr"))
                for paragraph in rows[-1].iter(w("p")) if rows else ():
                    set_ppr_flag(paragraph, "keepNext")
            return


#: A data table with at most this many rows (header included) fits on a page: it is kept
#: on one page rather than split after a few rows (a longer one splits, with its header
#: row repeated).
SHORT_TABLE_ROWS = 12


def _keep_table_together(rows: list[Any]) -> None:
    """Word's way to keep a table on one page: every row but the last is kept with the
    next (rows themselves never split)."""
    for row in rows[:-1]:
        for paragraph in row.iter(w("p")):
            set_ppr_flag(paragraph, "keepNext")


def _keep_row(row: Any) -> None:
    cells = row.findall(w("tc"))
    texts = ["".join(t.text or "" for t in cell.iter(w("t"))).strip() for cell in cells]
    if len(cells) > 1 and texts[0] and not any(texts[1:]):
        for paragraph in row.iter(w("p")):
            set_ppr_flag(paragraph, "keepNext")




def _different_first_page(body: Any) -> None:
    sect_pr = body.find(w("sectPr"))
    if sect_pr is None or sect_pr.find(w("titlePg")) is not None:
        return
    flag = el("titlePg")
    for tag in _AFTER_TITLE_PG:
        following = sect_pr.find(w(tag))
        if following is not None:
            following.addprevious(flag)
            return
    sect_pr.append(flag)
