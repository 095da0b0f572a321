"""Documents every reader can use: the WCAG 2.1 AA criteria that apply to a static
document, checked on the rendered .html and .docx of every example.

axe-core is not available offline; these are the same rules written out: language of
the page (3.1.1), page title (2.4.2), info and relationships (1.3.1: landmarks, headings
in order, table headers with scope, Word heading styles forming an outline, repeated
header rows), use of colour (1.4.1) and contrast (1.4.3, computed from the colours).
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
DOCUMENTS = [(spec, kind) for spec in sorted(EXAMPLES.glob("*.yaml"))
             for kind in ("avtal", "checklista")]
IDS = [f"{spec.stem}-{kind}" for spec, kind in DOCUMENTS]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("a11y")
    result = run(CliRunner(), "render", EXAMPLES, "-o", out, "-f", "docx,html",
                 "--datum", "2026-05-04")
    assert result.exit_code == 0, result.output
    return out


# ---------------------------------------------------------------------------------
# Contrast (WCAG 2.1 relative luminance)


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = []
    for index in range(0, 6, 2):
        value = int(colour[index:index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA


def _css_rules(stylesheet: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, block in re.findall(r"([^{}]+)\{([^{}]*)\}", stylesheet):
        declarations = {}
        for declaration in block.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append((selector.split("{")[-1].strip(), declarations))
    return rules


def test_stylesheet_text_colours_have_aa_contrast():
    """Every text colour on its own background, or on the page's (white), and the body
    text on every background a rule sets (table header cells): at least 4.5:1."""
    from iopkit.writers.html import STYLESHEET

    rules = _css_rules(STYLESHEET)
    body_colour = next(d["color"] for s, d in rules if s == "body")
    checked = 0
    for selector, declarations in rules:
        background = declarations.get("background", declarations.get("background-color",
                                                                      "#ffffff"))
        if not background.startswith("#"):
            continue
        colour = declarations.get("color", body_colour)
        assert contrast(colour, background) >= 4.5, (selector, colour, background)
        checked += 1
    assert checked >= 5


# ---------------------------------------------------------------------------------
# HTML


class _Outline(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.body_children: list[str] = []
        self.headings: list[int] = []
        self.header_cells: list[dict[str, str | None]] = []
        self.landmark_of_heading: list[str] = []
        self.html_lang: str | None = None
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        if self.stack and self.stack[-1] == "body":
            self.body_children.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
            self.landmark_of_heading.append(next(
                (t for t in reversed(self.stack) if t in ("header", "main")), ""))
        if tag == "th":
            self.header_cells.append(dict(attrs))
        self.in_title = tag == "title"
        if tag not in ("meta", "hr", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


@pytest.mark.parametrize(("spec", "kind"), DOCUMENTS, ids=IDS)
def test_html_page_is_accessible(rendered, spec, kind):
    page = (rendered / f"{spec.stem}-{kind}.html").read_text(encoding="utf-8")
    outline = _Outline()
    outline.feed(page)
    assert outline.html_lang == "sv"
    assert outline.title.strip()
    assert outline.body_children == ["header", "main"]
    # Headings: one h1, in the header; then never a level skipped.
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert outline.landmark_of_heading[0] == "header"
    assert all(level == "main" for level in outline.landmark_of_heading[1:])
    for before, after in zip(outline.headings, outline.headings[1:]):
        assert after <= before + 1, outline.headings
    assert all(cell.get("scope") in ("col", "row") for cell in outline.header_cells)
    if kind == "avtal":
        assert outline.header_cells, "the agreement has tables with column headers"


# ---------------------------------------------------------------------------------
# Word


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _styles(parts: dict[str, bytes]) -> dict[str, object]:
    from lxml import etree

    return {s.get(f"{W}styleId"): s
            for s in etree.fromstring(parts["word/styles.xml"]).iter(f"{W}style")}


def _inherited(styles, style_id: str | None, path: str):
    """A style's property, following basedOn."""
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = styles.get(style_id)
        if style is None:
            return None
        found = style.find(path)
        if found is not None:
            return found
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    return None


def _size(styles, style_id: str | None) -> int:
    size = _inherited(styles, style_id, f"{W}rPr/{W}sz")
    return int(size.get(f"{W}val")) if size is not None else 22


@pytest.mark.parametrize(("spec", "kind"), DOCUMENTS, ids=IDS)
def test_word_document_is_accessible(rendered, spec, kind):
    from lxml import etree

    parts = _parts((rendered / f"{spec.stem}-{kind}.docx").read_bytes())
    styles = _styles(parts)
    body = etree.fromstring(parts["word/document.xml"]).find(f"{W}body")
    paragraphs = body.findall(f"{W}p")
    style_of = [(p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
                 if p.find(f"{W}pPr/{W}pStyle") is not None else "Normal") for p in paragraphs]

    # A title first, then real heading styles (outline levels) without a level skipped.
    assert styles[style_of[0]].find(f"{W}name").get(f"{W}val") == "Title"
    levels = []
    for style_id in style_of:
        level = _inherited(styles, style_id, f"{W}pPr/{W}outlineLvl")
        if level is not None:
            levels.append(int(level.get(f"{W}val")))
    assert levels and levels[0] == 0
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels

    # Tables: the first row is a header row repeated on every page. The signature
    # blocks side by side are a layout table: no table style, no borders, no header
    # row, and alternative text instead.
    for table in body.iter(f"{W}tbl"):
        if table.find(f"{W}tblPr/{W}tblStyle") is None:
            assert table.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == "Underskrifter"
            assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is None
            continue
        assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None

    # Language: Swedish by default, and no run says otherwise.
    default = etree.fromstring(parts["word/styles.xml"]).find(
        f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "sv-SE"
    assert {lang.get(f"{W}val") for lang in body.iter(f"{W}lang")} <= {"sv-SE"}

    # A title in the document properties, alt text on every image.
    core = etree.fromstring(parts["docProps/core.xml"])
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    assert title is not None and title.text.strip()
    assert all(d.get("descr") for d in body.iter(f"{WP}docPr"))

    # Colour: every coloured text has AA contrast on white and is never distinguished by
    # colour alone (its style is also bold or larger than body text).
    normal = _size(styles, "Normal")
    for style_id in set(style_of):
        colour = _inherited(styles, style_id, f"{W}rPr/{W}color")
        if colour is None or colour.get(f"{W}val") in (None, "auto"):
            continue
        assert contrast("#" + colour.get(f"{W}val"), "#ffffff") >= 4.5, style_id
        bold = _inherited(styles, style_id, f"{W}rPr/{W}b")
        assert bold is not None or _size(styles, style_id) > normal, style_id
    for colour in body.iter(f"{W}color"):
        assert colour.get(f"{W}val") == "auto", "no run is coloured by hand"
