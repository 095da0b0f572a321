"""A chart in the Markdown intermediate form: a fixed image reference the writers draw.

A document that has charts (the annual report) passes them beside its Markdown as a
sequence of `typst_chart.Series`; the Markdown only says where each one goes, with an
image whose destination is `iopkit-diagram:N` (N counts from 1 in that sequence):

    ![Stapeldiagram: Antal besök. 2027: 14 200 besök.](iopkit-diagram:1)

The reference is made here (`chart_reference`) from data of the template context,
never from text a user wrote: spec text is escaped into the Markdown (markdown.escape
turns `![` into `!\\[`), so it can never become a reference. What the chart shows, its
title and its text alternative come from the Series, not from the Markdown.

Each writer draws a paragraph that is only a reference (`paragraph_chart`): Word as an
inline PNG picture with its alternative text (docx_body), HTML as inline SVG
(`html_figure`), the Typst PDF as a vector Figure with /Alt (typst_pdf), Markdown as the
text alternative (`readable_markdown`). A reference anywhere else, or to a chart that
was not passed, is shown as its alternative text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from .markdown import Md, escape, escape_inline
from .pdf.typst_chart import Series, alt_text

SCHEME = "iopkit-diagram:"
_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
#: A reference as `chart_reference` writes it (the alt text is escaped Markdown: any
#: bracket in it is preceded by a backslash).
_REFERENCE = re.compile(r"!\[((?:\\.|[^\\\]\n]){0,4000})\]\(iopkit-diagram:([1-9][0-9]{0,5})\)")
#: The caption's word before its number in every format.
CAPTION_WORD = "Diagram"


def chart_reference(number: int, series: Series) -> Md:
    """The Markdown reference to chart `number` (from 1) of the document's charts."""
    return Md(f"![{escape_inline(alt_text(series))}]({SCHEME}{int(number)})")


def chart_number(src: str) -> int | None:
    """N for a destination `iopkit-diagram:N`, else None."""
    if not src.startswith(SCHEME):
        return None
    rest = src[len(SCHEME):]
    return int(rest) if _NUMBER.fullmatch(rest) else None


def chart_for(src: str, charts: Sequence[Series]) -> tuple[int, Series] | None:
    """The number and chart a destination refers to, when it is one of `charts`."""
    number = chart_number(src)
    if number is None or number > len(charts):
        return None
    return number, charts[number - 1]


def paragraph_chart(inline: Any, charts: Sequence[Series]) -> tuple[int, Series] | None:
    """The chart when a paragraph's inline token is only a reference to one of `charts`
    (spaces around it allowed)."""
    children = [c for c in (inline.children or [])
                if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
    if len(children) != 1 or children[0].type != "image":
        return None
    return chart_for(str(children[0].attrs.get("src", "")), charts)


def charts_in_order(tokens: list[Any], charts: Sequence[Series]) -> list[Series]:
    """The charts the writers draw, in the order they appear (a chart referred to twice
    is drawn twice): the k-th is "Diagram k" in every format."""
    if not charts:
        return []
    return [found[1] for index, token in enumerate(tokens[:-1])
            if token.type == "paragraph_open"
            and (found := paragraph_chart(tokens[index + 1], charts)) is not None]


def caption(number: int, series: Series) -> str:
    """"Diagram 2: Antal besök" (plain text; the writers escape it for their format)."""
    title = " ".join(series.title.split())
    return f"{CAPTION_WORD} {number}: {title}"


def readable_markdown(markdown: str, charts: Sequence[Series]) -> str:
    """The Markdown a person reads (the .md output): every chart reference replaced by
    its caption and text alternative as a paragraph, so that nothing points at an image
    that does not exist."""
    shown = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal shown
        found = chart_for(SCHEME + match[2], charts)
        if found is None:
            return match[1]
        shown += 1
        series = found[1]
        return f"*{escape_inline(caption(shown, series))}.* {escape(alt_text(series))}"

    if SCHEME not in markdown:
        return markdown
    return _REFERENCE.sub(replace, markdown)


# ---------------------------------------------------------------------------------
# HTML: inline SVG that only Typst made, with nothing in it but drawing

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
#: What Typst's SVG of a chart is made of; anything else is dropped.
_SVG_ELEMENTS = frozenset({"svg", "g", "path", "use", "defs", "symbol", "clipPath",
                           "rect", "line", "polyline", "polygon", "circle", "ellipse"})
_SVG_ATTRIBUTES = frozenset({
    "d", "fill", "fill-rule", "fill-opacity", "height", "id", "overflow", "stroke",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-width", "stroke-opacity", "transform", "viewBox",
    "width", "x", "y", "x1", "x2", "y1", "y2", "points", "cx", "cy", "r", "rx", "ry",
    "clip-path", "clip-rule", "opacity"})
_LOCAL_URL = re.compile(r"url\(#([A-Za-z0-9_-]{1,200})\)")


def safe_svg(svg: str, number: int, label: str) -> str:
    """Typst's SVG of chart `number` for inline use in a page: only drawing elements and
    attributes (no script, style, text, foreign content or outside reference), ids
    prefixed per chart (two charts share glyph ids), role="img" with the text
    alternative as aria-label and title."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    root = etree.fromstring(svg.encode("utf-8"), parser)
    prefix = f"iopkit-diagram-{number}-"
    href = f"{{{_XLINK_NS}}}href"
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{_SVG_NS}}}") \
                or etree.QName(element).localname not in _SVG_ELEMENTS:
            element.getparent().remove(element)
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name]
            if name in (href, "href"):
                del element.attrib[name]
                if value.startswith("#") and re.fullmatch(r"#[A-Za-z0-9_-]{1,200}", value):
                    element.set("href", "#" + prefix + value[1:])
                continue
            if name not in _SVG_ATTRIBUTES or (
                    "url(" in value.lower() and not _LOCAL_URL.fullmatch(value)):
                del element.attrib[name]
            elif name == "id":
                element.set("id", prefix + value)
            elif _LOCAL_URL.fullmatch(value):
                element.set(name, _LOCAL_URL.sub(lambda m: f"url(#{prefix}{m[1]})", value))
    root.set("role", "img")
    root.set("aria-label", label)
    title = etree.Element(f"{{{_SVG_NS}}}title")
    title.text = label
    root.insert(0, title)
    etree.cleanup_namespaces(root, top_nsmap={None: _SVG_NS})
    text: str = etree.tostring(root, encoding="unicode")
    return text.replace(f' xmlns:xlink="{_XLINK_NS}"', "")


def html_figure(number: int, series: Series, svg: str) -> str:
    """The chart as an HTML figure: inline SVG and its caption."""
    return (f'<figure class="diagram">\n'
            f"<figcaption>{html.escape(caption(number, series))}</figcaption>\n"
            f"{safe_svg(svg, number, alt_text(series))}\n</figure>\n")


def html_tokens(tokens: list[Any], charts: Sequence[Series]) -> list[Any]:
    """markdown-it tokens with every paragraph that is only a chart reference replaced by
    the chart as an HTML figure (inline SVG); other references stay images, which
    `html_image_rule` writes as their text."""
    shown = charts_in_order(tokens, charts)
    if not shown:
        return tokens
    from markdown_it.token import Token

    from .pdf.typst_chart import chart_svgs

    svgs = chart_svgs(shown)
    out: list[Any] = []
    index, number = 0, 0
    while index < len(tokens):
        token = tokens[index]
        found = paragraph_chart(tokens[index + 1], charts) \
            if token.type == "paragraph_open" and index + 1 < len(tokens) else None
        if found is not None:
            block = Token("html_block", "", 0)
            block.content = html_figure(number + 1, found[1], svgs[number])
            out.append(block)
            number += 1
            index += 3
            continue
        out.append(token)
        index += 1
    return out


def html_image_rule(tokens: Any, index: int, options: Any, env: Any) -> str:
    """An image in the HTML: its text only (iopkit's documents have no other pictures
    than charts, and a page never loads anything from elsewhere)."""
    token = tokens[index]
    return html.escape("".join(child.content for child in token.children or []))
