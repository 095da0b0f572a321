"""Markdown to a self-contained HTML page in Swedish (lang="sv"), with a small
stylesheet that also prints well (a `---` is a page break on paper).

The page is written for every reader (WCAG 2.1 AA for a static document): language,
title, landmarks (the title and any title page in `<header>`, the rest in `<main>`),
column headers with `scope`, headings in order (the templates' Markdown levels), and
text colours with at least 4.5:1 contrast (tests/test_accessibility.py computes them).
"""

from __future__ import annotations

import html
import re

from .markdown import clean_text, parser

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


def markdown_to_html(markdown: str, *, title: str) -> str:
    """A complete HTML document for `markdown`, titled `title`."""
    rendered = parser().render(clean_text(markdown))
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
        f"<style>\n{STYLESHEET}\n</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )
