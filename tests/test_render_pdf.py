"""PDF through LibreOffice (--pdf-motor libreoffice): every example converts and has pages.
Skipped without soffice. The default engine, Typst, is tested in test_render_typst.py."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, run

pytestmark = pytest.mark.libreoffice


def _soffice() -> str | None:
    from iopkit.writers.pdf.libreoffice import find_soffice

    return find_soffice()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if _soffice() is None:
        pytest.skip("LibreOffice (soffice) är inte installerat")
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("pdf")
    result = run(CliRunner(), "render", EXAMPLES, "-o", out, "--format", "docx,pdf",
                 "--datum", "2026-05-04", "--pdf-motor", "libreoffice")
    assert result.exit_code == 0, result.output
    return out


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_converts_to_pdf_with_pages(pdfs, example):
    agreement = (pdfs / f"{example.stem}-avtal.pdf").read_bytes()
    checklist = (pdfs / f"{example.stem}-checklista.pdf").read_bytes()
    assert agreement.startswith(b"%PDF") and checklist.startswith(b"%PDF")
    # A title page, the sections and the signatures: several pages, never a blank tail.
    assert _pages(agreement) >= 4
    assert _pages(checklist) >= 1


def test_docx_converts_with_soffice_headless_directly(pdfs, tmp_path):
    """The plain LibreOffice command a user would run works on iopkit's Word files."""
    import subprocess

    source = pdfs / "dagverksamhet-avtal.docx"
    completed = subprocess.run(
        [_soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    assert _pages((tmp_path / "dagverksamhet-avtal.pdf").read_bytes()) >= 4


def test_page_count_estimate_matches_libreoffice(pdfs):
    """The cached NUMPAGES value is an estimate; it should be close to the real count."""
    from render_helpers import docx_part

    data = (pdfs / "dagverksamhet-avtal.docx").read_bytes()
    footer = docx_part(data, "word/footer1.xml").decode()
    cached = int(re.findall(r"<w:t>(\d+)</w:t>", footer)[-1])
    real = _pages((pdfs / "dagverksamhet-avtal.pdf").read_bytes())
    assert abs(cached - real) <= 2


def _structure_types(node, found: set[str]) -> set[str]:
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            _structure_types(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            _structure_types(node.K, found)
    return found


@pytest.mark.parametrize("kind", ["avtal", "checklista"])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_pdf_is_tagged_pdfa_for_the_archive(pdfs, example, kind):
    """PDF/A-2 in XMP, tagged (marked, a structure tree with headings, lists and tables),
    Swedish, with title, author (the public party), subject and keywords."""
    pikepdf = pytest.importorskip("pikepdf")
    from iopkit.check import check_file

    spec = check_file(example).spec
    with pikepdf.open(pdfs / f"{example.stem}-{kind}.pdf") as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "2"
            assert xmp.get("pdfaid:conformance") in ("A", "B")
            assert xmp.get("dc:title", "").startswith(" ".join(spec.partnership.name.split()))
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "sv-SE"
        types = _structure_types(root.StructTreeRoot.K, set())
        assert {"/H1", "/Table", "/TH", "/TD"} <= types or kind == "checklista"
        assert "/H1" in types and ("/L" in types or "/Table" in types)
        info = pdf.docinfo
        assert str(info.Title).startswith(" ".join(spec.partnership.name.split()))
        public = [p.name for p in spec.public_parties]
        assert all(name in str(info.Author) for name in public)
        assert "IOP" in str(info.Keywords) and str(info.Subject)
        assert root.ViewerPreferences.DisplayDocTitle is True


def test_pdf_bookmarks_are_the_paragraph_headings(pdfs):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(pdfs / "dagverksamhet-avtal.pdf") as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title.replace("\u00a0", " ") for item in outline.root]
    assert titles[:3] == ["§ 1 Parter", "§ 2 Bakgrund", "§ 3 Gemensam behovsinventering"]
    assert sum(title.startswith("§ ") for title in titles) >= 15


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_font_is_embedded(pdfs, example):
    """What pdffonts shows as "emb yes" for every font: a font file in its descriptor."""
    pikepdf = pytest.importorskip("pikepdf")
    for kind in ("avtal", "checklista"):
        with pikepdf.open(pdfs / f"{example.stem}-{kind}.pdf") as pdf:
            fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                     and obj.get("/Type") == pikepdf.Name.Font]
            assert fonts
            for font in fonts:
                if font.get("/Subtype") in (pikepdf.Name.Type0, pikepdf.Name.Type3):
                    continue  # a composite font embeds in its descendant; Type3 is drawn
                descriptor = font.FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                         "/FontFile3")), str(font.BaseFont)
