"""Word as a jurist uses it: the agreement's § headings are numbered by a Word list bound
to the heading style, references to them are REF fields to bookmarks with the right
cached numbers, page numbers read "2 (10)", the diarienummer is in the running header,
and signature blocks stand two by two in a table without borders."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import CANONICAL, run
from render_helpers import W, docx_part

DATE = dt.date(2026, 5, 4)
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def rendered():
    """The canonical agreement: its Markdown and its .docx."""
    from iopkit.check import check_file
    from iopkit.writers.word.docx import markdown_to_docx
    from iopkit.render.pipeline import RenderOptions, render_markdown

    document = render_markdown(check_file(CANONICAL), RenderOptions(date=DATE))[0]
    data = markdown_to_docx(document.markdown, title=document.title,
                            header_text=document.header_text, subject=document.subject,
                            date=DATE)
    return document.markdown, data


def _xml(data: bytes, part: str):
    from lxml import etree

    return etree.fromstring(docx_part(data, part))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _markdown_sections(markdown: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2))
            for m in re.finditer(rf"^## §{NBSP}(\d+) (.+)$", markdown, re.MULTILINE)]


def _section_list(data: bytes):
    """(abstractNum, numId) of the list whose level text is "§ %1"."""
    numbering = _xml(data, "word/numbering.xml")
    for abstract in numbering.findall(f"{W}abstractNum"):
        text = abstract.find(f"{W}lvl/{W}lvlText")
        if text is not None and text.get(f"{W}val") == f"§{NBSP}%1":
            abstract_id = abstract.get(f"{W}abstractNumId")
            nums = [n.get(f"{W}numId") for n in numbering.findall(f"{W}num")
                    if n.find(f"{W}abstractNumId").get(f"{W}val") == abstract_id]
            return abstract, nums
    raise AssertionError("no § list in numbering.xml")


def _heading_style_id(data: bytes) -> str:
    styles = _xml(data, "word/styles.xml")
    for style in styles.findall(f"{W}style"):
        if style.find(f"{W}name").get(f"{W}val").lower() == "heading 1":
            return style.get(f"{W}styleId")
    raise AssertionError("no Heading 1")


def _heading_paragraphs(data: bytes, style_id: str):
    body = _xml(data, "word/document.xml").find(f"{W}body")
    return [p for p in body.findall(f"{W}p")
            if p.find(f"{W}pPr/{W}pStyle") is not None
            and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == style_id]


def test_section_list_is_bound_to_heading_1(rendered):
    _, data = rendered
    abstract, nums = _section_list(data)
    style_id = _heading_style_id(data)
    lvl = abstract.find(f"{W}lvl")
    assert lvl.get(f"{W}ilvl") == "0"
    assert lvl.find(f"{W}numFmt").get(f"{W}val") == "decimal"
    assert lvl.find(f"{W}start").get(f"{W}val") == "1"
    assert lvl.find(f"{W}pStyle").get(f"{W}val") == style_id
    assert len(nums) == 1
    # The style itself carries the list: a Heading 1 inserted in Word is numbered.
    styles = _xml(data, "word/styles.xml")
    style = next(s for s in styles.findall(f"{W}style") if s.get(f"{W}styleId") == style_id)
    assert style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") == nums[0]


def test_headings_are_numbered_by_the_list_not_by_text(rendered):
    markdown, data = rendered
    expected = _markdown_sections(markdown)
    assert len(expected) >= 15
    _, (num_id,) = _section_list(data)
    numbered, unnumbered = [], []
    for p in _heading_paragraphs(data, _heading_style_id(data)):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        (numbered if num == num_id else unnumbered).append(p)
        assert num in (num_id, "0")
    assert [_text(p) for p in numbered] == [title.replace("\\", "") for _, title in expected]
    for p in numbered:
        assert p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val") == "0"
        assert "§" not in _text(p)
    # The headings without a number ("Underskrifter", "Bilagor") switch the list off.
    assert [_text(p) for p in unnumbered] == ["Underskrifter", "Bilagor"]


def _bookmarks(data: bytes) -> dict[str, str]:
    """Bookmark name -> the text of the paragraph it is in."""
    body = _xml(data, "word/document.xml")
    out = {}
    for start in body.iter(f"{W}bookmarkStart"):
        out[start.get(f"{W}name")] = _text(start.getparent())
    return out


def _ref_fields(data: bytes) -> list[tuple[str, str]]:
    """(instruction, cached result) of every complex field in the body."""
    body = _xml(data, "word/document.xml")
    fields, current, state = [], None, ""
    for run_ in body.iter(f"{W}r"):
        char = run_.find(f"{W}fldChar")
        if char is not None:
            kind = char.get(f"{W}fldCharType")
            if kind == "begin":
                current, state = ["", ""], "instr"
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                fields.append((current[0].strip(), current[1]))
                current, state = None, ""
            continue
        if current is None:
            continue
        instr = run_.find(f"{W}instrText")
        if instr is not None and state == "instr":
            current[0] += instr.text or ""
        elif state == "result":
            current[1] += _text(run_)
    return fields


def test_references_are_ref_fields_with_the_right_numbers(rendered):
    markdown, data = rendered
    titles = {number: title.replace("\\", "") for number, title in _markdown_sections(markdown)}
    bookmarks = _bookmarks(data)
    assert sorted(bookmarks.values()) == sorted(titles.values())
    assert all(name.startswith("_Ref") and len(name) <= 40 for name in bookmarks)
    fields = _ref_fields(data)
    assert fields, "no REF fields"
    for instruction, cached in fields:
        name, switches = re.fullmatch(r"REF (\S+) (.*)", instruction).groups()
        assert switches == r"\r \h"
        number = int(cached.removeprefix(f"§{NBSP}"))
        # The cached number is the number of the heading the bookmark is on.
        assert bookmarks[name] == titles[number], (instruction, cached)
    # Every "§ N" of the Markdown's running text is a field: none is left as plain text.
    references = len(re.findall(rf"§{NBSP}\d+", markdown)) - len(titles)
    assert len(fields) == references
    body = _xml(data, "word/document.xml")
    plain = [t.text for t in body.iter(f"{W}t")
             if re.search(rf"§{NBSP}\d", t.text or "")
             and t.getparent().getprevious() is None]
    assert plain == []


def test_bookmark_names_survive_renumbering():
    """The bookmark is named after the heading, not its number: inserting a section
    before it leaves the heading paragraph the same (tracked changes stay small)."""
    from iopkit.writers.word.docx import markdown_to_docx

    def bookmarks(markdown):
        return sorted(_bookmarks(markdown_to_docx(markdown, title="T", header_text="T",
                                                  date=DATE)).items())

    one = f"## §{NBSP}1 Parter\n\nText enligt §{NBSP}2.\n\n## §{NBSP}2 Ekonomi\n\nText.\n"
    two = (f"## §{NBSP}1 Parter\n\nText enligt §{NBSP}3.\n\n## §{NBSP}2 Nytt\n\nX.\n\n"
           f"## §{NBSP}3 Ekonomi\n\nText.\n")
    assert dict(bookmarks(one))["_Ref_Ekonomi"] == "Ekonomi"
    assert dict(bookmarks(two))["_Ref_Ekonomi"] == "Ekonomi"


def test_other_numbers_stay_text():
    """Statute citations ("6 kap. 37 §"), a § number no heading has, and a document
    whose § headings do not run 1, 2, 3 … are not turned into fields."""
    from iopkit.writers.word.docx import markdown_to_docx

    data = markdown_to_docx(f"## §{NBSP}1 Parter\n\nEnligt 6 kap. 37 § och §{NBSP}9.\n",
                            title="T", header_text="T", date=DATE)
    assert _ref_fields(data) == []
    assert "Enligt 6 kap. 37 § och §\u00a09." in _text(_xml(data, "word/document.xml"))
    skipping = markdown_to_docx(f"## §{NBSP}1 A\n\nSe §{NBSP}3.\n\n## §{NBSP}3 B\n",
                                title="T", header_text="T", date=DATE)
    assert _ref_fields(skipping) == []
    assert f"§{NBSP}3 B" in _text(_xml(skipping, "word/document.xml"))
    numbering = docx_part(skipping, "word/numbering.xml").decode()
    assert "%1" not in numbering or f"§{NBSP}%1" not in numbering


def test_no_update_fields_prompt(rendered):
    """Cached results instead of w:updateFields, which makes Word ask on opening."""
    _, data = rendered
    assert b"updateFields" not in docx_part(data, "word/settings.xml")
    assert b"w:dirty" not in docx_part(data, "word/document.xml")


def test_footer_reads_page_of_pages(rendered):
    _, data = rendered
    footer = _xml(data, "word/footer1.xml")
    paragraph = footer.find(f"{W}p")
    instructions = [t.text.strip() for t in paragraph.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    pieces = []
    for r in paragraph.iter(f"{W}r"):
        char, text = r.find(f"{W}fldChar"), r.find(f"{W}t")
        if char is not None:
            pieces.append(f"<{char.get(f'{W}fldCharType')}>")
        elif text is not None:
            pieces.append(text.text)
    shown = re.sub(r"<begin><separate>(.*?)<end>", r"\1", "".join(pieces))
    assert re.fullmatch(r"1 \(\d+\)", shown), shown
    assert int(shown[3:-1]) >= 4


def test_running_header_has_name_diarienummer_and_marker(rendered):
    import io

    import docx

    _, data = rendered
    header = docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0]
    assert header.text == ("Dagverksamhet för EU-medborgare i utsatthet\t"
                           "Dnr SNC 2026/0418\u2003UTKAST")
    bold = [r.text for r in header.runs if r.bold]
    assert bold == ["UTKAST"]
    # The title page has none (as before): a different first page.
    assert _xml(data, "word/document.xml").find(f".//{W}sectPr/{W}titlePg") is not None


def test_header_without_diarienummer(tmp_path, runner):
    import docx

    spec = CANONICAL.read_text(encoding="utf-8").replace("  diarienummer: SNC 2026/0418\n",
                                                         "", 1)
    assert "SNC 2026/0418" in spec
    path = tmp_path / "utan.yaml"
    path.write_text(spec, encoding="utf-8")
    result = run(runner, "render", path, "-o", tmp_path / "ut", "--datum", "2026-05-04")
    assert result.exit_code == 0, result.output
    header = docx.Document(tmp_path / "ut" / "utan-avtal.docx").sections[0].header
    assert header.paragraphs[0].text == "Dagverksamhet för EU-medborgare i utsatthet\tUTKAST"


def _signature_tables(data: bytes):
    body = _xml(data, "word/document.xml").find(f"{W}body")
    return [t for t in body.findall(f"{W}tbl") if "Ort och datum" in _text(t)
            and t.find(f"{W}tblPr/{W}tblStyle") is None]


def test_signature_blocks_side_by_side(rendered):
    import yaml

    _, data = rendered
    spec = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    tables = _signature_tables(data)
    assert len(tables) == len(spec["parter"])
    for table, party in zip(tables, spec["parter"]):
        signatories = [p["namn"] for p in party["firmatecknare"]]
        rows = table.findall(f"{W}tr")
        assert len(rows) == (len(signatories) + 1) // 2
        cells = [_text(tc) for tr in rows for tc in tr.findall(f"{W}tc")]
        for index, name in enumerate(signatories):
            assert name in cells[index] and "Ort och datum" in cells[index]
        for tr in rows:
            assert len(tr.findall(f"{W}tc")) == 2
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
        # Kept together: every row but the last keeps with the next one.
        for tr in rows[:-1]:
            assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p"))
        borders = table.find(f"{W}tblPr/{W}tblBorders")
        assert {b.get(f"{W}val") for b in borders} == {"nil"}
        # The lines to write on are tabs to a dotted leader at the cell's edge (dots as
        # text would wrap in half a page).
        for p in table.iter(f"{W}p"):
            if _text(p):
                stop = p.find(f"{W}pPr/{W}tabs/{W}tab")
                assert stop.get(f"{W}leader") == "dot" and stop.get(f"{W}val") == "right"
                assert len(p.findall(f".//{W}tab")) == 3  # the stop, two lines
        assert "…" not in _text(table)
        # The heading "För …" above stays with the table.
        heading = table.getprevious()
        assert _text(heading) == f"För {party['namn']}"
    # "Bilagor" never stands alone on the last page: the last row keeps with it.
    last_row = tables[-1].findall(f"{W}tr")[-1]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last_row.iter(f"{W}p"))
    assert _text(tables[-1].getnext()) == "Bilagor"


def test_two_signatories_share_a_row():
    from iopkit.writers.word.docx import markdown_to_docx

    block = "Ort och datum: ……………\\\n\\\n……………………………………\\\n{}\n"
    markdown = "### För A\n\n" + "\n".join(block.format(n) for n in ("Eva", "Bo", "Li"))
    tables = _signature_tables(markdown_to_docx(markdown, title="T", header_text="T",
                                                date=DATE))
    assert len(tables) == 1
    rows = [[_text(tc) for tc in tr.findall(f"{W}tc")] for tr in tables[0].findall(f"{W}tr")]
    assert [[c.rsplit(":", 1)[-1].strip() for c in row] for row in rows] == [["Eva", "Bo"], ["Li", ""]]


@pytest.mark.libreoffice
def test_pdf_shows_the_same_numbers(rendered, tmp_path):
    """LibreOffice lays the document out with Word's numbers: the § headings and the
    references in the text read as in the Markdown, the footer "2 (N)"."""
    import subprocess

    from iopkit.writers.pdf.libreoffice import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) är inte installerat")
    markdown, data = rendered
    source = tmp_path / "avtal.docx"
    source.write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=300, check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "avtal.pdf"), "-"],
                          capture_output=True, check=True, text=True).stdout
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    flat = " ".join(text.split())
    for number, title in _markdown_sections(markdown):
        title = " ".join(title.replace("\\", "").split())
        assert f"§ {number} {title}" in flat, title
    # References: every sentence with "§ N" in the Markdown reads the same in the PDF.
    for sentence in ("de resurser som anges i § 6", "enligt villkoren i § 7",
                     "följs upp enligt § 9", "(§ 8 och § 15)"):
        if sentence in " ".join(markdown.replace(NBSP, " ").split()):
            assert sentence in flat, sentence
    for index, page in enumerate(pages[1:], start=2):
        assert f"{index} ({len(pages)})" in page, index


@pytest.mark.libreoffice
def test_inserting_a_section_renumbers_headings_and_references(rendered, tmp_path):
    """What a jurist does in Word: a new Heading 1 paragraph (the style only, as Word's
    style gallery gives it) before § 7. LibreOffice, laying the file out with fields
    updated, numbers the new heading § 7 and Ekonomi § 8, and every reference to
    Ekonomi reads § 8: the numbers come from the list and the bookmarks, not the text
    (the cached results are even blanked out here)."""
    import subprocess

    from lxml import etree

    from iopkit.writers.word.ooxml_package import read_package, zip_package
    from iopkit.writers.pdf.libreoffice import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) är inte installerat")
    _, data = rendered
    style_id = _heading_style_id(data)
    members = read_package(data)
    document = etree.fromstring(dict(members)["word/document.xml"])
    ekonomi = next(p for p in _heading_paragraphs(data, style_id) if _text(p) == "Ekonomi")
    target = next(p for p in document.iter(f"{W}p") if _text(p) == "Ekonomi"
                  and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == style_id)
    assert _text(ekonomi) == _text(target)
    new = etree.fromstring(f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:pStyle w:val="{style_id}"/>'
                           '</w:pPr><w:r><w:t>Ny paragraf</w:t></w:r></w:p>')
    target.addprevious(new)
    for instr in document.iter(f"{W}instrText"):
        if "REF" in instr.text:
            result = instr.getparent().getnext().getnext().find(f"{W}t")
            result.text = "?"
    edited = zip_package([(name, etree.tostring(document, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
                           if name == "word/document.xml" else content)
                          for name, content in members], DATE)
    source = tmp_path / "redigerat.docx"
    source.write_bytes(edited)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=300, check=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "redigerat.pdf"), "-"],
                          capture_output=True, check=True, text=True).stdout
    flat = " ".join(text.split())
    assert "§ 7 Ny paragraf" in flat and "§ 8 Ekonomi" in flat
    assert "§ 9 Organisation och styrning" in flat
    assert "enligt villkoren i § 8" in flat and "(§ 9 och § 17)" in flat
    assert "?" not in flat
