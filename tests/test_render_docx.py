"""The Word output looks professional: real styles, A4, Swedish, header and footer with
page fields, lists that restart, clean tables, no trailing blank page; --referens-docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from conftest import CANONICAL, run
from render_helpers import W, docx_paragraphs, docx_part

DATE = dt.date(2026, 5, 4)


def _render(markdown: str | None = None, **kwargs) -> bytes:
    from iopkit.writers.word.docx import markdown_to_docx

    if markdown is None:
        return _agreement(**kwargs)
    return markdown_to_docx(markdown, title="Titel", header_text="Rubrik\tUTKAST",
                            date=DATE, **kwargs)


def _agreement(**kwargs) -> bytes:
    from iopkit.check import check_file
    from iopkit.writers.word.docx import markdown_to_docx
    from iopkit.render.pipeline import RenderOptions, render_markdown

    result = check_file(CANONICAL)
    document = render_markdown(result, RenderOptions(date=DATE))[0]
    return markdown_to_docx(document.markdown, title=document.title,
                            header_text=document.header_text, subject=document.subject,
                            date=DATE, **kwargs)


@pytest.fixture(scope="module")
def agreement() -> bytes:
    return _agreement()


def _xml(data: bytes, part: str):
    from lxml import etree

    return etree.fromstring(docx_part(data, part))


def test_a4_with_swedish_margins(agreement):
    import docx

    section = docx.Document(io.BytesIO(agreement)).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    for margin in (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin):
        assert margin.cm == pytest.approx(2.5, abs=0.01)


def test_document_language_is_swedish(agreement):
    styles = _xml(agreement, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "sv-SE"


def test_core_properties(agreement):
    import docx

    props = docx.Document(io.BytesIO(agreement)).core_properties
    assert props.title == ("Dagverksamhet för EU-medborgare i utsatthet – Avtal om idéburet "
                           "offentligt partnerskap (IOP)")
    assert props.subject == "Avtal om idéburet offentligt partnerskap (IOP)"
    assert props.language == "sv-SE"
    # python-docx before 1.2 reads the W3CDTF value without its time zone.
    expected = dt.datetime(2026, 5, 4, tzinfo=dt.timezone.utc)
    for stamp in (props.created, props.modified):
        assert (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)) == expected
    assert props.author == "iopkit"


def test_real_word_styles_are_used(agreement):
    document, paragraphs = docx_paragraphs(agreement)
    used = {p.style.name for p in paragraphs}
    for style in ("Title", "Heading 1", "Heading 2", "List Number", "List Bullet", "Normal"):
        assert style in used, style
    # Table Grid for tables, none for the layout table of the signature blocks.
    assert {t.style.name for t in document.tables} == {"Table Grid", "Normal Table"}
    # No direct font or size formatting on body text: the styles carry the look.
    body = _xml(agreement, "word/document.xml")
    assert body.findall(f".//{W}r/{W}rPr/{W}sz") == []
    assert body.findall(f".//{W}r/{W}rPr/{W}rFonts") == []


def test_header_has_partnership_name_and_utkast(agreement):
    import docx

    header = docx.Document(io.BytesIO(agreement)).sections[0].header
    assert header.paragraphs[0].text == ("Dagverksamhet för EU-medborgare i utsatthet\t"
                                         "Dnr SNC 2026/0418\u2003UTKAST")


def test_footer_page_of_pages_fields_with_cached_numbers(agreement):
    footer = _xml(agreement, "word/footer1.xml")
    paragraph = footer.find(f"{W}p")
    instructions = [t.text.strip() for t in paragraph.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    # Each field: begin, instruction, separate, a cached result, end: "1 (9)".
    runs = list(paragraph.iter(f"{W}r"))
    kinds = []
    for r in runs:
        char = r.find(f"{W}fldChar")
        text = r.find(f"{W}t")
        if char is not None:
            kinds.append(char.get(f"{W}fldCharType"))
        elif r.find(f"{W}instrText") is not None:
            kinds.append("instr")
        else:
            kinds.append(text.text)
    page_field = kinds[0:5]
    assert page_field[:3] == ["begin", "instr", "separate"] and page_field[4] == "end"
    assert page_field[3] == "1"
    assert kinds[5] == " ("
    assert kinds[6:9] == ["begin", "instr", "separate"] and kinds[10] == "end"
    assert kinds[9].isdigit() and int(kinds[9]) >= 2
    assert kinds[11:] == [")"]


def test_numbered_lists_restart(agreement):
    body = _xml(agreement, "word/document.xml")
    numbering = _xml(agreement, "word/numbering.xml")
    _, paragraphs = docx_paragraphs(agreement)
    numbered = [p for p in paragraphs if p.style.name == "List Number"]
    num_ids = []
    for paragraph in numbered:
        num_id = paragraph._p.pPr.numPr.numId.val
        if not num_ids or num_ids[-1] != num_id:
            num_ids.append(num_id)
    assert len(num_ids) >= 1
    assert len(set(num_ids)) == len(num_ids)  # every list its own numbering instance
    for num_id in num_ids:
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        start = num.find(f"{W}lvlOverride/{W}startOverride")
        assert start is not None and start.get(f"{W}val") == "1"
    assert body is not None


def test_two_numbered_lists_get_separate_numbering():
    data = _render("Först:\n\n1. a\n2. b\n\nSedan:\n\n1. c\n2. d\n\nSist:\n\n5. fem\n6. sex\n")
    numbering = _xml(data, "word/numbering.xml")
    _, paragraphs = docx_paragraphs(data)
    ids = [p._p.pPr.numPr.numId.val for p in paragraphs if p.style.name == "List Number"]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] == ids[5]
    assert len({ids[0], ids[2], ids[4]}) == 3
    starts = [numbering.find(f"{W}num[@{W}numId='{i}']/{W}lvlOverride/{W}startOverride")
              .get(f"{W}val") for i in (ids[0], ids[2], ids[4])]
    assert starts == ["1", "1", "5"]


def test_nested_lists_use_level_two_styles():
    data = _render("- ett\n  - under\n- två\n")
    _, paragraphs = docx_paragraphs(data)
    assert [(p.text, p.style.name) for p in paragraphs] == [
        ("ett", "List Bullet"), ("under", "List Bullet 2"), ("två", "List Bullet")]


def test_no_empty_paragraphs_around_tables(agreement):
    body = _xml(agreement, "word/document.xml").find(f"{W}body")
    for table in body.findall(f"{W}tbl"):
        for neighbour in (table.getprevious(), table.getnext()):
            assert neighbour is not None and neighbour.tag == f"{W}p"
            assert "".join(neighbour.itertext()).strip(), "empty paragraph next to a table"


def test_no_empty_paragraphs_at_all(agreement):
    body = _xml(agreement, "word/document.xml").find(f"{W}body")
    for paragraph in body.findall(f"{W}p"):
        assert "".join(paragraph.itertext()).strip()


def test_one_page_break_after_the_title_page_and_none_at_the_end(agreement):
    body = _xml(agreement, "word/document.xml").find(f"{W}body")
    breaks = body.findall(f".//{W}pageBreakBefore")
    assert len(breaks) == 1
    first_after_title = breaks[0].getparent().getparent()
    # § 1: the number is Word's (a list), the text the heading's.
    assert "".join(first_after_title.itertext()) == "Parter"
    assert first_after_title.find(f"{W}pPr/{W}numPr/{W}numId") is not None
    assert body.findall(f".//{W}br[@{W}type='page']") == []
    assert body[-1].tag == f"{W}sectPr"


def test_trailing_rule_makes_no_blank_page():
    data = _render("Text\n\n---\n")
    body = _xml(data, "word/document.xml").find(f"{W}body")
    assert body.findall(f".//{W}pageBreakBefore") == []
    assert len(body.findall(f"{W}p")) == 1


def test_table_header_repeats_and_alignment_is_kept():
    data = _render("| Part | Belopp |\n|---|--:|\n| A | 1 kr |\n")
    document, _ = docx_paragraphs(data)
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right


def test_inline_formatting_and_line_breaks():
    data = _render("Vanlig **fet** och *kursiv*\\\nny rad\n")
    _, paragraphs = docx_paragraphs(data)
    runs = paragraphs[0].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs if r.text.strip()] == [
        ("Vanlig ", False, False), ("fet", True, False), (" och ", False, False),
        ("kursiv", False, True), ("ny rad", False, False)]
    assert paragraphs[0].text == "Vanlig fet och kursiv\nny rad"


def test_xml_forbidden_characters_are_dropped():
    data = _render("Text med \x01kontroll\x0btecken\ufffe.\n")
    _, paragraphs = docx_paragraphs(data)
    assert paragraphs[0].text == "Text med kontrolltecken."


def test_deterministic():
    assert _render("# T\n\nText\n") == _render("# T\n\nText\n")


# ----------------------------------------------------------------------------------
# --referens-docx


def _reference(tmp_path: Path, *, with_header: bool, drop_list_number: bool = False,
               template: bool = False) -> Path:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Garamond"
    normal.font.size = Pt(12)
    section = document.sections[0]
    section.left_margin = Cm(3.5)
    if with_header:
        section.header.paragraphs[0].text = "Sundbybergs stad – brevmall"
        section.footer.paragraphs[0].text = "Box 1, 172 00 Sundbyberg"
    document.add_paragraph("Mallens egen brödtext som inte ska följa med.")
    if drop_list_number:
        style = document.styles["List Number"].element
        style.getparent().remove(style)
    path = tmp_path / ("mall.dotx" if template else "mall.docx")
    document.save(path)
    if template:
        buffer = io.BytesIO()
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    content = content.replace(
                        b"wordprocessingml.document.main+xml",
                        b"wordprocessingml.template.main+xml")
                target.writestr(info.filename, content)
        path.write_bytes(buffer.getvalue())
    return path


def test_reference_docx_styles_header_and_footer_are_used(runner, tmp_path):
    import docx

    reference = _reference(tmp_path, with_header=True)
    out = tmp_path / "ut"
    out.mkdir()
    result = run(runner, "render", CANONICAL, "-o", out, "--referens-docx", reference,
                 "--datum", "2026-05-04")
    assert result.exit_code == 0, result.output
    document = docx.Document(out / "dagverksamhet-avtal.docx")
    assert document.styles["Normal"].font.name == "Garamond"
    section = document.sections[0]
    assert section.left_margin.cm == pytest.approx(3.5, abs=0.01)
    assert section.header.paragraphs[0].text == "Sundbybergs stad – brevmall"
    assert section.footer.paragraphs[0].text == "Box 1, 172 00 Sundbyberg"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Mallens egen brödtext" not in text
    assert "Dagverksamhet för EU-medborgare i utsatthet" in text
    assert {p.style.name for p in document.paragraphs} >= {"Title", "Heading 1",
                                                            "List Number", "List Bullet"}


def test_reference_without_header_gets_iopkit_header_and_page_numbers(tmp_path):
    import docx

    data = _agreement(reference_docx=_reference(tmp_path, with_header=False))
    document = docx.Document(io.BytesIO(data))
    header = document.sections[0].header.paragraphs[0].text
    assert header == ("Dagverksamhet för EU-medborgare i utsatthet\t"
                      "Dnr SNC 2026/0418\u2003UTKAST")
    assert b"NUMPAGES" in docx_part(data, "word/footer1.xml")


def test_reference_missing_a_style_gets_it_from_iopkit(tmp_path):
    data = _agreement(reference_docx=_reference(tmp_path, with_header=False,
                                                drop_list_number=True))
    _, paragraphs = docx_paragraphs(data)
    assert "List Number" in {p.style.name for p in paragraphs}


def test_reference_may_be_a_word_template(tmp_path):
    import docx

    data = _agreement(reference_docx=_reference(tmp_path, with_header=True, template=True))
    assert docx.Document(io.BytesIO(data)).styles["Normal"].font.name == "Garamond"
    content_types = docx_part(data, "[Content_Types].xml")
    assert b"document.main+xml" in content_types and b"template.main" not in content_types


def test_reference_that_is_not_word_is_exit_2(runner, tmp_path):
    bad = tmp_path / "mall.docx"
    bad.write_text("inte ett Word-dokument", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    result = run(runner, "render", CANONICAL, "-o", out, "--referens-docx", bad)
    assert result.exit_code == 2
    assert "inget Word-dokument" in result.stderr
    assert not list(out.iterdir())
    result = run(runner, "render", CANONICAL, "-o", out, "--referens-docx",
                 tmp_path / "saknas.docx")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr


def test_reference_renders_deterministically(tmp_path):
    reference = _reference(tmp_path, with_header=True)
    assert _agreement(reference_docx=reference) == _agreement(reference_docx=reference)


def test_shipped_base_is_what_the_code_produces():
    """iopkit/templates/_word/grund.docx is generated: `python -m iopkit.writers.word.docx_base`."""
    from iopkit.writers.word.docx_base import SHIPPED_BASE, build_base_package

    built, own_header, own_footer = build_base_package(None)
    assert own_header and own_footer

    def members(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {i.filename: package.read(i.filename) for i in package.infolist()}

    assert members(built) == members(SHIPPED_BASE.read_bytes()), (
        "Kör `python -m iopkit.writers.word.docx_base` för att skapa om grund.docx.")


def test_two_tables_in_a_row_stay_two_tables():
    import io

    import docx

    from iopkit.writers.word.docx import markdown_to_docx

    data = markdown_to_docx("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n",
                            title="T", header_text="T")
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 2
    body = document.element.body
    tables = body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl")
    between = tables[0].getnext()
    assert between.tag.endswith("}p"), "an empty paragraph keeps Word from joining them"
