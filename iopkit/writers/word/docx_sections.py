"""The agreement's §§ as Word numbers them: headings in a multilevel list, references as
fields, so that a jurist who inserts or moves a section in Word gets every number right.

The Markdown writes the numbers as text ("## § 7 Ekonomi", "enligt § 7", the number
after a no-break space as documents/avtal/context.py writes it). In Word:

- the § headings (Heading 1) are numbered by a list of their own whose level text is
  "§ %1"; the list is bound to the Heading 1 style (the style's numPr and the level's
  pStyle), so a Heading 1 the user inserts is numbered too. Other Heading 1 paragraphs of
  such a document ("Underskrifter", "Bilagor") switch the numbering off (numId 0);
- each § heading carries a bookmark (a hidden one, "_Ref…", as Word's own
  cross-references use), named after the heading's text so that the same section keeps
  its name between two versions of an agreement (tracked changes compare them);
- "§ 7" in the text becomes a REF field to that bookmark with the \\r switch (the
  heading's paragraph number, as Word's cross-reference dialog inserts it). The field's
  result is written as well ("§ 7"), so Word and LibreOffice show the right number
  without updating fields and Word does not ask to update them on opening; after an
  edit, Word renumbers the headings at once and the references when fields are updated
  (F9, or printing).

Only a document whose § headings run 1, 2, 3 … in order is converted (a user's
template might number otherwise): the list would then show other numbers than the text.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Any

from .wordxml import NSID_PREFIX, add_field, add_run, el, insert_ppr_child, sub, w

#: A § heading as the agreement's templates write it: "§ 7 Ekonomi".
_HEADING = re.compile(r"§[\u00a0 ](\d{1,4})[\u00a0 ]+(\S.*)", re.DOTALL)
#: A reference in running text: "§ 7" with the no-break space the templates write.
REFERENCE = re.compile(r"§\u00a0(\d{1,4})(?!\d)")
#: The list's nsid (hex): our prefix and 0xA7, the code point of "§".
SECTION_NSID = f"{NSID_PREFIX}A7"
#: The longest bookmark name Word keeps.
_MAX_BOOKMARK = 40


@dataclass
class Sections:
    """The § headings of one document and the Word objects that number them."""

    titles: dict[int, str]  # § number -> the heading's text after the number
    num_id: int = 0  # the w:num of the section list (set by the writer)
    bookmarks: dict[int, str] = field(default_factory=dict)  # § number -> bookmark name
    bookmark_ids: set[int] = field(default_factory=set)

    @property
    def active(self) -> bool:
        return bool(self.titles)

    def heading(self, text: str) -> tuple[int, str] | None:
        """(number, title) when `text` is one of this document's § headings."""
        match = _HEADING.fullmatch(text.strip())
        if match is None or not self.active:
            return None
        number = int(match.group(1))
        return (number, match.group(2)) if number in self.titles else None

    def bookmark(self, number: int) -> str:
        name = self.bookmarks.get(number)
        if name is None:
            name = _bookmark_name(self.titles[number], set(self.bookmarks.values()))
            self.bookmarks[number] = name
        return name


def find_sections(tokens: list[Any]) -> Sections:
    """The § headings among `##` headings (Heading 1) of a token stream: all of them
    when they are numbered 1, 2, 3 … in order, else none."""
    titles: dict[int, str] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h2":
            continue
        match = _HEADING.fullmatch((tokens[index + 1].content or "").strip())
        if match is None:
            continue
        number = int(match.group(1))
        if number != len(titles) + 1:
            return Sections({})
        titles[number] = match.group(2)
    return Sections(titles)


def _bookmark_name(title: str, taken: set[str]) -> str:
    """A hidden bookmark name from a heading's text: "_Ref_Parternas_resurser" (ASCII
    letters, digits and underscores, at most 40 characters, unique in the document)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    stem = ("_Ref_" + "_".join(words))[:_MAX_BOOKMARK - 3].rstrip("_")
    if stem == "_Ref":
        stem = "_Ref_Paragraf"
    name, count = stem, 1
    while name in taken:
        count += 1
        name = f"{stem}_{count}"
    return name


def add_section_list(numbering: Any, heading_style: str, num_id: int) -> None:
    """The section list (abstractNum "§ %1", bound to `heading_style`) and its instance
    `num_id`, in the numbering part `numbering`."""
    abstract_id = max((int(a.get(w("abstractNumId")))
                       for a in numbering.findall(w("abstractNum"))), default=-1) + 1
    abstract = el("abstractNum", abstractNumId=str(abstract_id))
    sub(abstract, "nsid", val=SECTION_NSID)
    sub(abstract, "multiLevelType", val="multilevel")
    lvl = sub(abstract, "lvl", ilvl="0")
    sub(lvl, "start", val="1")
    sub(lvl, "numFmt", val="decimal")
    sub(lvl, "pStyle", val=heading_style)
    sub(lvl, "suff", val="space")
    sub(lvl, "lvlText", val="§\u00a0%1")
    sub(lvl, "lvlJc", val="left")
    sub(sub(lvl, "pPr"), "ind", left="0", firstLine="0")
    first_num = numbering.find(w("num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = el("num", numId=str(num_id))
    sub(num, "abstractNumId", val=str(abstract_id))
    from .numbering import append_num

    append_num(numbering, num)


def bind_heading_style(styles: Any, heading_style: str, num_id: int) -> None:
    """Give the Heading 1 style the section list (w:numPr in the style's w:pPr), so that
    a heading the user adds in Word is numbered."""
    for style in styles.findall(w("style")):
        if style.get(w("styleId")) != heading_style:
            continue
        ppr = style.find(w("pPr"))
        if ppr is None:
            ppr = el("pPr")
            after = [c for c in style if c.tag in (w("rPr"), w("tblPr"), w("trPr"),
                                                   w("tcPr"), w("tblStylePr"))]
            if after:
                after[0].addprevious(ppr)
            else:
                style.append(ppr)
        for old in ppr.findall(w("numPr")):
            ppr.remove(old)
        numpr = el("numPr")
        sub(numpr, "numId", val=str(num_id))
        insert_ppr_child(ppr, numpr)
        return


def number_heading(ppr: Any, num_id: int) -> None:
    """The heading paragraph's own numPr (level 0 of the section list, or numId 0: no
    number), written out as well as inherited from the style for viewers that look at
    the paragraph only."""
    numpr = el("numPr")
    if num_id:
        sub(numpr, "ilvl", val="0")
    sub(numpr, "numId", val=str(num_id))
    insert_ppr_child(ppr, numpr)


def bookmark_heading(p: Any, sections: Sections, number: int) -> None:
    """Wrap the heading's runs (written already) in its bookmark."""
    name = sections.bookmark(number)
    # The id follows from the name, not from the heading's place: the same heading has
    # the same paragraph XML in two versions of an agreement (tracked.py compares them).
    value = zlib.crc32(name.encode()) % 1_000_000_000
    while value in sections.bookmark_ids:
        value += 1
    sections.bookmark_ids.add(value)
    bookmark_id = str(value)
    start = el("bookmarkStart", id=bookmark_id, name=name)
    runs = p.findall(w("r"))
    if runs:
        runs[0].addprevious(start)
    else:
        p.append(start)
    p.append(el("bookmarkEnd", id=bookmark_id))


def add_text_with_references(p: Any, text: str, sections: Sections, bold: bool,
                             italic: bool) -> None:
    """`text` as runs, every "§ N" of a § heading in it as a REF field with the cached
    result "§ N"."""
    position = 0
    for match in REFERENCE.finditer(text):
        number = int(match.group(1))
        if number not in sections.titles:
            continue
        if match.start() > position:
            add_run(p, text[position:match.start()], bold, italic)
        add_field(p, f"REF {sections.bookmark(number)} \\r \\h", match.group(0),
                  bold=bold, italic=italic)
        position = match.end()
    if position < len(text):
        add_run(p, text[position:], bold, italic)
