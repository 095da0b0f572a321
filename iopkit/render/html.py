"""Markdown to a self-contained HTML page in Swedish (lang="sv"), with a small
stylesheet that also prints well (a `---` is a page break on paper)."""

from __future__ import annotations

import html

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


def markdown_to_html(markdown: str, *, title: str) -> str:
    """A complete HTML document for `markdown`, titled `title`."""
    body = parser().render(clean_text(markdown))
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
