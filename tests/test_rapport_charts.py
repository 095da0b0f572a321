"""The annual report's charts as a reader gets them, read back from every format: a
picture with alternative text in Word, inline SVG with aria-label in HTML, a tagged
Figure with /Alt in the PDF, the text alternative in Markdown; the values those carry
are the follow-up file's; user text in an indicator's name is never markup."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
import yaml

from conftest import CANONICAL, SHARED_CANONICAL, run

SHARED_OUTCOMES = SHARED_CANONICAL.parent / "exempel-utfall.yaml"
DATE = "2029-05-01"
FORMATS = "docx,md,html,pdf"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
HOSTILE = ['#read("/etc/passwd")', "<script>alert(1)</script>", "$x$",
           "![bild](iopkit-diagram:1)", "*fet* & &amp;"]


def tal(value: float) -> str:
    """A number as the report writes it: groups of three with a non-breaking space."""
    return f"{int(value):,}".replace(",", "\u00a0")


def expected_alt_texts(outcomes_path: Path, spec_path: Path) -> list[str]:
    """Each indicator's chart in words, built here from the two files by hand: the
    values of every year in the follow-up file, the target and the baseline."""
    outcomes = yaml.safe_load(outcomes_path.read_text(encoding="utf-8"))
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    texts = []
    for goal in spec["mål"]:
        for number, indicator in enumerate(goal.get("indikatorer", []), 1):
            refs = {indicator.get("id"), f"{goal['id']}.{number}"}
            values = []
            for entry in outcomes["år"]:
                for ref, value in (entry.get("indikatorer") or {}).items():
                    if ref in refs:
                        value = value["värde"] if isinstance(value, dict) else value
                        values.append(f"{entry['år']}: {tal(value)}")
            text = f"Stapeldiagram: {indicator['beskrivning']}. " + "; ".join(values) + "."
            target = re.sub(r"^minst |^högst ", "", indicator.get("målvärde", ""))
            if target:
                text += f" Målvärde: {tal(int(target.replace(' ', '')))}."
            if "baslinje" in indicator:
                text += f" Baslinje: {tal(indicator['baslinje'])}."
            texts.append(text)
    return texts


def docx_pictures(path: Path) -> list[str]:
    """The alternative text of each picture in the body, in order."""
    document = docx.Document(str(path))
    return [shape._inline.find(WP_DOCPR).get("descr") for shape in document.inline_shapes]


def pdf_figures(path: Path) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return found


def html_svgs(path: Path) -> list[str]:
    from lxml import html as lxml_html

    page = lxml_html.fromstring(path.read_bytes())
    return [svg.get("aria-label") for svg in page.iter("svg")]


@pytest.fixture(scope="module")
def shared_report(tmp_path_factory) -> dict[str, Path]:
    """The shared example follow-up's report in every format."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("diagram")
    result = run(CliRunner(), "rapport", SHARED_OUTCOMES, "-o", out, "-f", FORMATS,
                 "--datum", DATE)
    assert result.exit_code == 0, result.output
    return {fmt: out / f"exempel-dagverksamhet-arsrapport-2028.{fmt}"
            for fmt in FORMATS.split(",")}


def test_every_format_has_a_chart_per_indicator_with_the_files_values(shared_report):
    expected = expected_alt_texts(SHARED_OUTCOMES, SHARED_CANONICAL)
    assert len(expected) == 3
    assert docx_pictures(shared_report["docx"]) == expected
    assert html_svgs(shared_report["html"]) == expected
    assert pdf_figures(shared_report["pdf"]) == expected
    markdown = shared_report["md"].read_text(encoding="utf-8")
    assert "iopkit-diagram" not in markdown
    for number, text in enumerate(expected, 1):
        assert text in markdown
        assert f"Diagram {number}: " in markdown


def test_word_picture_is_a_png_with_a_caption_above_it(shared_report):
    document = docx.Document(str(shared_report["docx"]))
    texts = [p.text for p in document.paragraphs]
    assert "Diagram 1: Antal besök per år" in texts
    caption = texts.index("Diagram 1: Antal besök per år")
    assert document.paragraphs[caption + 1]._p.xpath(".//w:drawing")
    with zipfile.ZipFile(shared_report["docx"]) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(media) == 3
        assert all(package.read(n).startswith(b"\x89PNG\r\n\x1a\n") for n in media)
        assert 'Extension="png"' in package.read("[Content_Types].xml").decode()
    text_width = document.sections[0].page_width - document.sections[0].left_margin \
        - document.sections[0].right_margin
    assert all(0 < shape.width <= text_width for shape in document.inline_shapes)


def test_word_report_with_charts_is_valid_against_the_schema(shared_report):
    from ooxml_schema import docx_schema_errors

    assert docx_schema_errors(shared_report["docx"].read_bytes()) == {}


def test_html_svg_is_only_drawing_and_names_itself(shared_report):
    from lxml import html as lxml_html

    page = lxml_html.fromstring(shared_report["html"].read_bytes())
    figures = page.findall(".//figure")
    assert [f.findtext("figcaption") for f in figures] == [
        "Diagram 1: Antal besök per år", "Diagram 2: Antal öppetdagar per år",
        "Diagram 3: Antal vägledningssamtal per år"]
    ids = []
    for svg in page.iter("svg"):
        assert svg.get("role") == "img"
        assert svg.find("title").text == svg.get("aria-label")
        tags = {element.tag for element in svg.iter() if isinstance(element.tag, str)}
        assert tags <= {"svg", "title", "g", "path", "use", "defs", "symbol", "clippath"}
        for element in svg.iter():
            assert not any(name.startswith("on") for name in element.attrib)
            href = element.get("href")
            assert href is None or href.startswith("#iopkit-diagram-")
            if element.get("id"):
                ids.append(element.get("id"))
    assert len(ids) == len(set(ids))  # two charts never share an id in one page
    assert "<script" not in shared_report["html"].read_text(encoding="utf-8")


def test_safe_svg_drops_what_a_drawing_does_not_need():
    from iopkit.writers.chart_refs import safe_svg

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
           ' viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
           '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
           '<a href="https://example.org"><path d="M 0 0"/></a>'
           '<use xlink:href="https://example.org/x.svg#a"/><use xlink:href="#g1"/>'
           '<path id="g1" d="M 0 0" fill="url(https://example.org)" style="x"/>'
           '<g transform="matrix(1 0 0 -1 0 7)"/></svg>')
    out = safe_svg(svg, 2, 'Etikett <med> "citat"')
    assert "script" not in out and "foreignObject" not in out and "onload" not in out
    assert "example.org" not in out and "style=" not in out
    assert 'href="#iopkit-diagram-2-g1"' in out and 'id="iopkit-diagram-2-g1"' in out
    assert 'transform="matrix(1 0 0 -1 0 7)"' in out  # drawing attributes stay
    assert 'aria-label="Etikett &lt;med&gt; &quot;citat&quot;"' in out


def test_pdf_charts_are_vector_figures(shared_report):
    with pikepdf.open(shared_report["pdf"]) as pdf:
        images = [obj for obj in pdf.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert len(pdf_figures(shared_report["pdf"])) == 3
    assert images == []  # drawn as paths, not pasted pictures


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> dict[str, Path]:
    """A report whose indicator names carry Typst, HTML, LaTeX and Markdown syntax and
    a chart reference of its own."""
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("elak")
    spec = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    spec["mål"][0]["indikatorer"][0]["beskrivning"] = "Besök " + " ".join(HOSTILE)
    (folder / "dagverksamhet.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outcomes = SHARED_OUTCOMES.read_text(encoding="utf-8").replace(
        "exempel-dagverksamhet.yaml", "dagverksamhet.yaml")
    (folder / "utfall.yaml").write_text(outcomes, encoding="utf-8")
    result = run(CliRunner(), "rapport", folder / "utfall.yaml", "-o", folder / "ut", "-f",
                 FORMATS, "--datum", DATE)
    assert result.exit_code == 0, result.output
    return {fmt: folder / "ut" / f"dagverksamhet-arsrapport-2028.{fmt}"
            for fmt in FORMATS.split(",")}


NAME = "Besök " + " ".join(HOSTILE)


def test_markup_in_an_indicator_name_prints_literally_in_word(hostile_report):
    document = docx.Document(str(hostile_report["docx"]))
    texts = [p.text for p in document.paragraphs]
    assert f"Diagram 1: {NAME}" in texts
    assert any(t.startswith(f"{NAME} (målvärde") for t in texts)
    pictures = docx_pictures(hostile_report["docx"])
    assert len(pictures) == 3  # the name's own reference drew no chart
    assert pictures[0].startswith(f"Stapeldiagram: {NAME}. 2027: 14\u00a0200")


def test_markup_in_an_indicator_name_prints_literally_in_html(hostile_report):
    from lxml import html as lxml_html

    source = hostile_report["html"].read_text(encoding="utf-8")
    assert "<script" not in source
    page = lxml_html.fromstring(source.encode("utf-8"))
    assert page.findall(".//figure")[0].findtext("figcaption") == f"Diagram 1: {NAME}"
    assert html_svgs(hostile_report["html"])[0].startswith(f"Stapeldiagram: {NAME}.")
    assert len(html_svgs(hostile_report["html"])) == 3
    assert any(p.text_content().startswith(NAME) for p in page.iter("p"))


def test_markup_in_an_indicator_name_prints_literally_in_pdf(hostile_report):
    figures = pdf_figures(hostile_report["pdf"])
    assert len(figures) == 3 and figures[0].startswith(f"Stapeldiagram: {NAME}.")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext är inte installerat")
    text = subprocess.run(["pdftotext", str(hostile_report["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "root:" not in flat
    for needle in HOSTILE:
        assert needle in flat, needle


def test_markup_in_an_indicator_name_prints_literally_in_markdown(hostile_report):
    from markdown_it import MarkdownIt

    source = hostile_report["md"].read_text(encoding="utf-8")
    shown = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
    # Rendered by any Markdown viewer, the name is its own text: no tag, no image.
    assert "<script" not in shown and "<img" not in shown and "<em>fet</em>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "![bild](iopkit-diagram:1)" in shown and "$x$" in shown


def test_the_same_files_give_the_same_bytes_in_every_format(runner, tmp_path):
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run(runner, "rapport", SHARED_OUTCOMES, "-o", out, "-f", FORMATS,
                     "--datum", DATE)
        assert result.exit_code == 0, result.output
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in out.iterdir()})
    assert len(digests[0]) == 4 and digests[0] == digests[1]


def test_an_indicator_without_any_value_has_no_chart_but_says_so(runner, tmp_path):
    shutil.copy(SHARED_CANONICAL, tmp_path / "exempel-dagverksamhet.yaml")
    data = yaml.safe_load(SHARED_OUTCOMES.read_text(encoding="utf-8"))
    for entry in data["år"]:
        entry["indikatorer"].pop("M1.2", None)
    (tmp_path / "utfall.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    result = run(runner, "rapport", tmp_path / "utfall.yaml", "-o", tmp_path / "ut",
                 "-f", "docx", "--datum", DATE)
    assert result.exit_code == 0, result.output
    path = tmp_path / "ut" / "exempel-dagverksamhet-arsrapport-2028.docx"
    pictures = docx_pictures(path)
    assert len(pictures) == 2 and not any("öppetdagar" in p for p in pictures)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Diagram 2: Antal vägledningssamtal per år" in texts


def test_chart_images_are_the_same_bytes_twice():
    from iopkit.writers.pdf.typst_chart import Series, chart_png, chart_pngs, chart_svg, chart_svgs

    first = Series("Besök", "", {2027: 14200, 2028: 16050}, target=15000)
    second = Series("Samtal", "", {2027: 580}, baseline=420)
    assert chart_pngs([first, second]) == [chart_png(first), chart_png(second)]
    assert chart_svgs([first, second]) == [chart_svg(first), chart_svg(second)]
    assert io.BytesIO(chart_png(first)).read(8) == b"\x89PNG\r\n\x1a\n"


def test_safe_svg_keeps_all_of_typsts_drawing():
    from lxml import etree

    from iopkit.writers.chart_refs import safe_svg
    from iopkit.writers.pdf.typst_chart import Series, chart_svg

    raw = chart_svg(Series("Besök", "", {2027: 14200, 2028: 16050}, target=15000,
                           baseline=12000))
    safe = safe_svg(raw, 1, "Besök")

    def shape(svg: str) -> list[tuple[str, tuple[str, ...]]]:
        root = etree.fromstring(svg.encode("utf-8"))
        return [(etree.QName(e).localname, tuple(sorted(
                    (etree.QName(k).localname, v.replace("iopkit-diagram-1-", ""))
                    for k, v in e.attrib.items() if k not in ("role", "aria-label"))))
                for e in root.iter() if etree.QName(e).localname != "title"]

    assert shape(safe) == shape(raw)


def test_an_image_in_a_users_template_is_its_text_in_html():
    from iopkit.writers.html import markdown_to_html

    page = markdown_to_html("Se ![kartan](https://example.org/karta.png) och "
                            "![diagram](iopkit-diagram:1).\n", title="T")
    assert "<img" not in page and "example.org" not in page
    assert "Se kartan och diagram." in page
