"""Markdown as the one intermediate form of every document, and escaping text into it.

Templates render Markdown; the converters turn it into Word and HTML. Text that comes
from a spec must never become formatting: `escape` backslash-escapes everything that
CommonMark (plus the table extension we enable) could read as markup, and `Md` marks a
string that is already Markdown so that it is passed through unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters XML 1.0 forbids (C0 controls except tab, newline, carriage return; lone
# surrogates; U+FFFE/U+FFFF). Word files are XML, so these can never be written.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Always escaped: emphasis, code, links, raw HTML/autolinks, headings, tables,
# strikethrough, and the backslash itself.
_ALWAYS = re.compile(r"([\\`*_\[\]<>#|~])")
# An entity reference such as &amp; or &#123; would be decoded: escape its ampersand.
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# At the start of a line: list markers, setext underlines, ordered list numbers.
_LINE_START = re.compile(r"^([ \t]*)([-+=])")
_ORDERED = re.compile(r"^([ \t]*\d{1,9})([.)])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class Md(str):
    """A string that is already Markdown: templates output it without escaping."""

    __slots__ = ()


def clean_text(text: str) -> str:
    """Remove characters that XML 1.0 forbids and normalise line endings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_FORBIDDEN.sub("", text)


def _escape_line(line: str) -> str:
    line = _ALWAYS.sub(r"\\\1", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _LINE_START.sub(r"\1\\\2", line)
    return _ORDERED.sub(r"\1\\\2", line)


def escape(value: Any) -> Md:
    """Spec text as Markdown that shows exactly that text.

    Paragraphs (separated by a blank line) stay paragraphs; single line breaks are
    ordinary soft breaks (shown as a space), as in any Markdown text. Leading spaces are
    dropped so that no line turns into a code block.
    """
    if isinstance(value, Md):
        return value
    text = clean_text(str(value))
    if "\n" not in text:
        # One line: keep its spaces (a template may write {{ "; " }}).
        return Md(_escape_line(text) if text.strip() else text)
    text = text.strip()
    paragraphs = []
    for paragraph in _BLANK_LINE.split(text):
        lines = [_escape_line(line.strip()) for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return Md("\n\n".join(paragraphs))


def escape_inline(value: Any) -> Md:
    """Spec text on one line, for table cells, headings and list items."""
    if isinstance(value, Md):
        return Md(" ".join(value.split("\n")))
    text = " ".join(clean_text(str(value)).split())
    return escape(text)


def finalize(value: Any) -> str:
    """Jinja `finalize`: how every `{{ … }}` is written into the Markdown."""
    if value is None:
        return ""
    if isinstance(value, Md):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return escape(value)


def tidy(markdown: str) -> str:
    """Join rendered sections: no trailing spaces, at most one blank line, one final
    newline. (Lines ending in a backslash keep it: that is a hard line break.)"""
    lines = [line.rstrip() for line in clean_text(markdown).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n"


@lru_cache(maxsize=1)
def parser() -> Any:
    """The Markdown parser shared by the converters: CommonMark with tables, no raw HTML."""
    return _new_parser()


def _new_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False,
                                     "typographer": False}).enable("table")


@lru_cache(maxsize=1)
def _chunk_parser() -> Any:
    # parser(), but an inline text it has parsed before is not parsed again (and its
    # text is joined there: markdown-it's text_join changes the tokens it joins).
    md = _new_parser()
    md.core.ruler.at("inline", _remembered_inline)
    md.disable("text_join")
    return md


def _remembered_inline(state: Any) -> None:
    for token in state.tokens:
        if token.type == "inline":
            token.children = list(inline_children(token.content))


@lru_cache(maxsize=8192)
def inline_children(content: str) -> tuple[Any, ...]:
    """The inline tokens of an inline token with this text, as `parse` gives them (its
    text alone decides them), parsed once per process. Shared: never change them."""
    from types import SimpleNamespace

    from markdown_it.rules_core.text_join import text_join
    from markdown_it.token import Token

    md = _chunk_parser()
    holder = Token("inline", "", 0, content=content, children=[])
    md.inline.parse(content, md, {}, holder.children)
    text_join(SimpleNamespace(tokens=[holder]))  # type: ignore[arg-type]
    return tuple(holder.children or ())


# A chunk starts at a line at column 0 that starts a top-level block of its own,
# whatever came before it: an ATX heading always does (it ends a paragraph, a list, a
# quote and a table), and so does any other line after a blank line, unless it is a
# list marker (which may continue the list before the blank line). Indented lines may
# continue a list item: never a start. (The first line starts the first chunk.) A match
# ends where its chunk starts; every match begins with a newline, which lets the regex
# engine skip from one newline to the next (nine times faster than without).
_CHUNK_START = re.compile(r"\n(?:(?=#{1,6}(?:[ \t]|$))"
                          r"|[ \t]*\n(?=[^ \t\n])(?!(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)))",
                          re.MULTILINE)
# What can reach across such a start: a fenced code block (whose lines are text, "#"
# or not) and a link reference definition (usable anywhere in the document). The
# escaping above keeps both out of spec text; a document with either is parsed whole.
_REACHES_ACROSS = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})|\]:", re.MULTILINE)
#: Chunks up to this size are remembered (a few thousand of them, see _parse_chunk).
_REMEMBERED_CHUNK = 2000


def parse(markdown: str) -> list[Any]:
    """The block tokens of a Markdown document (after `clean_text`), as
    `parser().parse` gives them, except that a block token's `map` (its source lines)
    counts from the start of its chunk: do not use it. The tokens are shared between
    calls: read them, never change them (copy a token to change it).

    The document is parsed a chunk of top-level blocks at a time, and a process
    remembers the chunks it has parsed: the documents of a batch repeat most of their
    text (an agreement's standard clauses), and markdown-it, in pure Python, was a
    fifth of the time of a PDF. Tokens are the same as for the whole document because a
    chunk starts only where nothing before it can reach (see _CHUNK_START)."""
    return [token for _, tokens in parse_chunks(markdown) for token in tokens]


def parse_chunks(markdown: str) -> list[tuple[str | None, tuple[Any, ...]]]:
    """`parse`, chunk by chunk: each chunk's text (None for one that is not
    remembered) and its tokens. Nothing before a chunk reaches into it, so what a
    writer makes of a remembered chunk's tokens can be remembered by the chunk's text."""
    text = clean_text(markdown)
    # (The substrings first: the pattern alone took longer than the rest of a
    # remembered document.)
    if ("```" in text or "~~~" in text or "]:" in text) and _REACHES_ACROSS.search(text):
        return [(None, tuple(parser().parse(text)))]
    return [(chunk, _parse_chunk(chunk)) if len(chunk) <= _REMEMBERED_CHUNK
            else (None, tuple(_chunk_parser().parse(chunk))) for chunk in _chunks(text)]


def _chunks(text: str) -> list[str]:
    # The newline before the text stands for a line before the first (so that the
    # first line may be blank); it is not in the text, hence the - 1.
    starts = [match.end() - 1 for match in _CHUNK_START.finditer("\n" + text)]
    starts = [start for start in starts if start > 0]
    return [text[begin:end] for begin, end in zip([0, *starts], [*starts, len(text)])]


@lru_cache(maxsize=4096)
def _parse_chunk(chunk: str) -> tuple[Any, ...]:
    return tuple(_chunk_parser().parse(chunk))


def remembered_chunk(chunk: str) -> tuple[Any, ...]:
    """The tokens of a chunk `parse_chunks` gave with its text (parsed once)."""
    return _parse_chunk(chunk)


def has_title_page(tokens: list[Any]) -> bool:
    """A document that opens with `# Title` and has a `---` before its next heading has
    a title page: the lines in between are the title page's (Word sets them in
    Subtitle; the PDF puts them on a page of their own)."""
    if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return False
    for token in tokens[3:]:
        if token.type == "hr":
            return True
        if token.type == "heading_open":
            return False
    return False
