"""Markdown to a self-contained HTML page in Swedish (lang="sv"), with a small
stylesheet that also prints well (a `---` is a page break on paper).

The page is written for every reader (WCAG 2.1 AA for a static document): language,
title, landmarks (the title and any title page in `<header>`, the rest in `<main>`),
column headers with `scope`, headings in order (the templates' Markdown levels), and
text colours with at least 4.5:1 contrast (tests/test_accessibility.py computes them).
A chart (chart_refs.py) is a figure with its caption and inline SVG that names itself
(role="img", aria-label and title: its text alternative).
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .chart_refs import SCHEME, html_image_rule, html_tokens
from .markdown import clean_text, parser
from .pdf.typst_chart import Series

STYLESHEET = """
:root { color-scheme: light; }
body { font-family: Calibri, Carlito, "Segoe UI", "Helvetica Neue", Arial, sans-serif;
       font-size: 11pt; line-height: 1.45; color: #1a1a1a; max-width: 46em;
       margin: 2.5em auto; padding: 0 1.5em; }
h1 { font-size: 2em; color: #1f3864; margin: 1.5em 0 .5em; }
h2 { font-size: 1.35em; color: #1f3864; margin: 1.6em 0 .4em; }
h3 { font-size: 1.1em; color: #1f3864; margin: 1.2em 0 .3em; }
h4 { font-size: 1em; margin: 1em 0 .2em; }
p { margin: 0 0 .6em; }
ul, ol { margin: 0 0 .8em; padding-left: 1.6em; }
li { margin: .15em 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #808080; padding: .25em .5em; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
blockquote { margin: 0 0 .8em; padding-left: 1em; border-left: 3px solid #ccc; color: #404040; }
hr { border: 0; border-top: 1px solid #ccc; margin: 2em 0; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  hr { border: 0; margin: 0; page-break-after: always; break-after: page; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
}
@page { size: A4; margin: 25mm; }
""".strip()
#: Added to the stylesheet of a page with charts only (other pages stay as they were).
CHART_STYLES = """
figure.diagram { margin: .6em 0 1em; }
figure.diagram svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; margin-bottom: .3em; }
""".strip()


@lru_cache(maxsize=1)
def _renderer() -> Any:
    """markdown-it's HTML renderer with images as their text (html_image_rule)."""
    renderer = copy.copy(parser().renderer)
    renderer.rules = {**renderer.rules, "image": html_image_rule}
    return renderer


def _render(markdown: str, charts: Sequence[Series]) -> tuple[str, bool]:
    """The body's HTML, and whether it has a chart."""
    md = parser()
    env: dict[str, Any] = {}
    parsed = md.parse(markdown, env)
    tokens = html_tokens(parsed, charts) if SCHEME in markdown else parsed
    return str(_renderer().render(tokens, md.options, env)), tokens is not parsed


_HEADER_CELL = re.compile(r"<th(?=[ >])")
_HEADING = re.compile(r"<h[1-6]>")


def _landmarks(body: str) -> str:
    """A leading `# Title` (with the title page up to its `---`, when there is one) is
    the page's header; everything else is its main content."""
    if not body.startswith("<h1>"):
        return f"<main>\n{body}</main>\n"
    end = body.index("</h1>\n") + len("</h1>\n")
    rule, heading = body.find("<hr />\n", end), _HEADING.search(body, end)
    if rule != -1 and (heading is None or rule < heading.start()):
        end = rule + len("<hr />\n")
    return f"<header>\n{body[:end]}</header>\n<main>\n{body[end:]}</main>\n"


def markdown_to_html(markdown: str, *, title: str, charts: Sequence[Series] = ()) -> str:
    """A complete HTML document for `markdown`, titled `title`; `charts` are the charts
    the Markdown refers to (chart_refs.py), drawn as inline SVG."""
    rendered, has_charts = _render(clean_text(markdown), charts)
    chart_styles = CHART_STYLES + "\n" if has_charts else ""
    body = _landmarks(_HEADER_CELL.sub('<th scope="col"', rendered))
    safe_title = html.escape(" ".join(clean_text(title).split()))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="sv">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="iopkit">\n'
        f"<title>{safe_title}</title>\n"
        f"<style>\n{STYLESHEET}\n{chart_styles}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )
