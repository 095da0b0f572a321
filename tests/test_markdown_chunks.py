"""The Markdown is parsed a chunk at a time and the chunks are remembered
(writers/markdown.py `parse`): the tokens must be those of the whole document, for
every document iopkit writes and for Markdown written to catch a wrong chunk start,
and writing Word and PDF must leave the remembered tokens as they were."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from iopkit.check import check_file
from iopkit.documents.kinds import KINDS
from iopkit.render.pipeline import RenderOptions, render_markdown
from iopkit.writers.markdown import _chunks, clean_text, parse, parser

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
RENDERED_KINDS = tuple(kind.name for kind in KINDS if "render" in kind.commands)


def signature(token: Any) -> tuple[Any, ...]:
    """Everything of a token but its source lines (which count from the chunk)."""
    return (token.type, token.tag, token.nesting, token.attrs, token.content, token.markup,
            token.info, token.level, token.block, token.hidden, token.meta,
            tuple(signature(child) for child in token.children or ()))


def whole(markdown: str) -> list[tuple[Any, ...]]:
    return [signature(token) for token in parser().parse(clean_text(markdown))]


def chunked(markdown: str) -> list[tuple[Any, ...]]:
    return [signature(token) for token in parse(markdown)]


@pytest.fixture(scope="module")
def documents() -> list[str]:
    options = RenderOptions(date=dt.date(2026, 5, 4), documents=RENDERED_KINDS)
    texts = []
    for spec in EXAMPLES:
        result = check_file(spec)
        kinds = RENDERED_KINDS if result.ok else ("tjansteskrivelse",)
        texts.extend(doc.markdown for doc in render_markdown(
            result, RenderOptions(date=options.date, documents=kinds)))
    assert len(texts) > len(EXAMPLES)
    return texts


def test_every_document_is_parsed_as_a_whole_would_be(documents: list[str]) -> None:
    for text in documents:
        assert len(_chunks(clean_text(text))) > 5  # really parsed in chunks
        assert chunked(text) == whole(text)
        assert chunked(text) == whole(text)  # and again, from what was remembered


TRICKY = [
    # A loose list, a paragraph after it, a list again (a new one after the paragraph).
    "- a\n\n- b\n\nText efter listan.\n\n- c\n",
    # An ordered list with a paragraph in an item, then a heading with no blank line.
    "1. ett\n\n   mer om ett\n2. två\n## Rubrik\nText\n",
    # A lead-in, a table after a blank line, text after it, a quote, a rule.
    "Följande gäller:\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\nEfter tabellen.\n\n> citat\n"
    "fortsatt citat\n\n> nytt citat\n\n---\n\n***\n",
    # Setext headings, and what looks like one after a blank line.
    "Rubrik\n======\n\nText\n\n===\n\nText\n---\n",
    # A heading that interrupts a paragraph, a list and a table.
    "Stycke\n# Rubrik\n- punkt\n## Rubrik 2\n| a |\n|---|\n| b |\n### Rubrik 3\n",
    # Hard breaks, emphasis over lines, escaped markup, an indented continuation.
    "Rad ett\\\nrad två **fet\növer rader** \\# inte rubrik\n\n    indragen kod\n\nslut\n",
    # A fenced code block holding '#' lines and blank lines: parsed whole.
    "Text\n\n```\n# inte en rubrik\n\nnej\n```\n\n## Rubrik\n",
    # A reference definition used in another chunk: parsed whole.
    "## A\n\nSe [länken][1].\n\n## B\n\n[1]: https://example.org\n",
    # Lines that start with a list marker-like number, tabs and spaces-only lines.
    "2026 var året.\n\n2026. är en lista\n\n\t\n  \nText\n\n+ plus\n\n* stjärna\n",
    "",
    "\n\n\n",
    "#\n\n####### sju\n\n#rubrik utan mellanslag\n",
    # Blank lines (one of spaces) before the first text, a heading right after text.
    "   \nText\n\n# Rubrik\nText\n#\tRubrik med tabb\n",
    # A paragraph chunk before a table chunk, and one before a list in its own chunk.
    "Se tabellen\n\n| a |\n|---|\n| b |\n\nFöljande:\n- ett\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_that_could_split_wrongly_is_parsed_as_a_whole(text: str) -> None:
    assert chunked(text) == whole(text)


def whole_tree(text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The PDF's document tree made from the whole document's tokens, walked at once."""
    from iopkit.writers.pdf import typst_pdf

    with monkeypatch.context() as patch:
        patch.setattr(typst_pdf, "parse_chunks",
                      lambda markdown: [(None, tuple(parser().parse(clean_text(markdown))))])
        return json.loads(json.dumps(typst_pdf.document_tree(text).__dict__))


def chunked_tree(text: str) -> dict[str, Any]:
    from iopkit.writers.pdf.typst_pdf import document_tree

    return json.loads(json.dumps(document_tree(text).__dict__))


def test_every_pdf_tree_is_the_tree_of_the_whole_document(
        documents: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The blocks of remembered chunks are remembered too (typst_pdf._remembered_blocks).
    for text in documents + TRICKY:
        expected = whole_tree(text, monkeypatch)
        assert chunked_tree(text) == expected
        assert chunked_tree(text) == expected  # and again, from what was remembered


def test_a_remembered_paragraph_keeps_with_a_table_only_where_one_follows() -> None:
    # The paragraph is a chunk of its own, remembered; the table after it in the first
    # document must not mark it for the second, where a paragraph follows.
    lead_in = "## Resurser\n\nSe tabellen nedan\n\n"
    with_table = chunked_tree(lead_in + "| a | b |\n|---|---|\n| 1 | 2 |\n")
    without = chunked_tree(lead_in + "Ett stycke till.\n")
    assert [block.get("keep") for block in with_table["blocks"]] == [None, True, None]
    assert [block.get("keep") for block in without["blocks"]] == [None, None, None]
    assert [block.get("keep") for block in chunked_tree(
        lead_in + "| a | b |\n|---|---|\n| 1 | 2 |\n")["blocks"]] == [None, True, None]


def test_writing_word_and_pdf_leaves_the_remembered_tokens_unchanged(
        documents: list[str]) -> None:
    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf
    from iopkit.writers.word.docx import markdown_to_docx

    text = next(doc for doc in documents if "☐" in doc or "§" in doc)
    before = chunked(text)
    markdown_to_docx(text, title="T", header_text="T\tUTKAST", date=dt.date(2026, 5, 4))
    markdown_to_pdf(text, title="T", header_text="T\tUTKAST", date=dt.date(2026, 5, 4))
    assert chunked(text) == before == whole(text)
