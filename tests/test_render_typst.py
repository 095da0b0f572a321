"""PDF with Typst, the default engine: archive-grade (PDF/A-2a and PDF/UA-1), tagged,
Swedish, byte-identical, without LibreOffice, and no spec text ever read as markup."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest

from conftest import CANONICAL, dump, load_canonical_data, run

pikepdf = pytest.importorskip("pikepdf")

DATE = "2026-05-04"
KINDS = ("avtal", "checklista", "tjansteskrivelse")
INJECTIONS = ['#read("/etc/passwd")', "$x^2$", "*fet*", '#import "@preview/cetz:0.3.0"',
              "@etikett", "<etikett>", "a\\b", "#{1+1}", "]]"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The canonical example as PDF, with LibreOffice made unreachable."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("typst")
    mp = pytest.MonkeyPatch()
    mp.setenv("IOPKIT_SOFFICE", str(out / "inget-soffice"))
    try:
        result = run(CliRunner(), "render", CANONICAL, "-o", out, "--format", "pdf,md",
                     "--datum", DATE, "--dokument", ",".join(KINDS))
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return out


def _pdf(rendered, kind: str):
    return pikepdf.open(rendered / f"dagverksamhet-{kind}.pdf")


def _structure(node, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if isinstance(node, pikepdf.Array):
        for child in node:
            _structure(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append((str(node.S), str(node.get("/Alt", ""))))
        if "/K" in node:
            _structure(node.K, found)
    return found


def _text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext är inte installerat")
    completed = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                               check=True, timeout=60)
    return completed.stdout.decode("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_a2a_and_pdf_ua1_in_the_metadata(rendered, kind):
    with _pdf(rendered, kind) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "2"
            assert xmp.get("pdfaid:conformance") == "A"
            assert xmp.get("pdfuaid:part") == "1"
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "sv-SE"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_title_author_and_real_keywords(rendered):
    from iopkit.check import check_file

    spec = check_file(CANONICAL).spec
    with _pdf(rendered, "avtal") as pdf:
        info = pdf.docinfo
        assert str(info.Title).startswith(" ".join(spec.partnership.name.split()))
        assert all(party.name in str(info.Author) for party in spec.public_parties)
        keywords = [word.strip() for word in str(info.Keywords).split(",")]
        assert "IOP" in keywords and "idéburet offentligt partnerskap" in keywords
        # Whole names, not the title cut into words.
        assert spec.partnership.name in keywords
        assert str(info.Subject).startswith("Avtal om idéburet offentligt partnerskap")


def test_tagged_structure_headings_lists_tables_with_header_cells(rendered):
    with _pdf(rendered, "avtal") as pdf:
        types = {kind for kind, _ in _structure(pdf.Root.StructTreeRoot.K, [])}
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD"} <= types


def test_one_bookmark_per_paragraph(rendered):
    markdown = (rendered / "dagverksamhet-avtal.md").read_text(encoding="utf-8")
    sections = [line[3:].replace("\u00a0", " ") for line in markdown.splitlines()
                if line.startswith("## ")]
    with _pdf(rendered, "avtal") as pdf, pdf.open_outline() as outline:
        titles = [item.title.replace("\u00a0", " ") for item in outline.root]
        assert all(not item.children for item in outline.root)
    assert titles == sections
    assert sum(title.startswith("§ ") for title in titles) >= 15


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_embedded_and_only_the_shipped_ones(rendered, kind):
    with _pdf(rendered, kind) as pdf:
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                 and obj.get("/Type") == pikepdf.Name.Font]
        assert fonts
        for font in fonts:
            name = str(font.BaseFont).split("+")[-1]
            # iopkit's fonts, or the fallback fonts inside the typst package itself
            # (symbols such as ☐): never a font of the computer.
            assert name.split("-")[0] in ("Carlito", "Caladea", "DejaVuSansMono", "NewCMMath",
                                          "NewCM10", "LibertinusSerif"), name
            if font.get("/Subtype") == pikepdf.Name.Type0:
                font = font.DescendantFonts[0]
            assert any(key in font.FontDescriptor
                       for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


@pytest.mark.parametrize("kind", KINDS)
def test_no_javascript_or_actions(rendered, kind):
    data = (rendered / f"dagverksamhet-{kind}.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert "/JS" not in obj and obj.get("/S") != pikepdf.Name.JavaScript


def test_house_style_title_page_header_and_swedish_page_numbers(rendered):
    text = _text(rendered / "dagverksamhet-avtal.pdf")
    pages = text.split("\f")[:-1]
    total = len(pages)
    assert total >= 4
    # The title page has no running header and no page number; every other page has both.
    assert "UTKAST" in pages[0] and "(" + str(total) + ")" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"{number} ({total})" in page
        header = page.strip().splitlines()[0]
        assert header.startswith("Dagverksamhet för EU-medborgare i utsatthet")
        assert header.endswith("UTKAST")
    with _pdf(rendered, "avtal") as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
    assert (round(box[2]), round(box[3])) == (595, 842)  # A4


def test_without_a_title_page_the_first_page_has_the_header_and_number(tmp_path):
    """A document with no title page (no `---` after its title): page 1 is numbered
    "1 (3)" and has the running header, like every page after it."""
    import datetime as dt

    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    markdown = "# Minnesanteckning\n\n" + "\n\n".join(
        f"## {n} § Punkt\n\n" + "Text som fyller sidan. " * 60 for n in range(1, 9)) + "\n"
    path = tmp_path / "m.pdf"
    path.write_bytes(markdown_to_pdf(markdown, title="Minnesanteckning",
                                     header_text="Namn\tUTKAST", date=dt.date(2026, 5, 4)))
    pages = _text(path).split("\f")[:-1]
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        assert re.match(r"\s*Namn\s+UTKAST", page)
        assert f"{number} (3)" in page.strip().splitlines()[-1]
    assert "Minnesanteckning" in pages[0]


def test_running_header_with_diarienummer_as_the_word_writer_reads_it(tmp_path):
    """"Namn\tDnr …\tUTKAST": the name on the left, the rest on the right."""
    import datetime as dt

    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    markdown = "# Titel\n\nUndertitel\n\n---\n\n## § 1 Parter\n\nText.\n"
    path = tmp_path / "h.pdf"
    path.write_bytes(markdown_to_pdf(markdown, title="Titel",
                                     header_text="Namn\tDnr SNC 2026/0418\tUTKAST",
                                     date=dt.date(2026, 5, 4)))
    pages = _text(path).split("\f")
    assert "Dnr" not in pages[0] and "UTKAST" not in pages[0]
    assert re.match(r"\s*Namn\s+Dnr SNC 2026/0418\s+UTKAST", pages[1])
    assert "2 (2)" in pages[1]


def test_text_is_set_as_word_sets_it_without_kerning_or_ligatures():
    """Word kerns and joins letters only where a style asks for it, and iopkit's Word
    styles do not: the PDF sets the same text glyph by glyph, with no kerning shifts, so
    it takes the room it takes in Word (Carlito has Calibri's widths)."""
    import datetime as dt

    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    line = "AVTAL Tv Wa fil office"
    pdf = markdown_to_pdf(line, title="T", date=dt.date(2026, 5, 4))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        shown = [operands[0] for operands, operator
                 in pikepdf.parse_content_stream(document.pages[0]) if str(operator) == "TJ"]
    body = next(array for array in shown
                if sum(len(bytes(item)) for item in array
                       if isinstance(item, pikepdf.String)) == 2 * len(line))
    assert all(isinstance(item, pikepdf.String) for item in body)  # no kerning shifts


def test_same_bytes_every_time(tmp_path, runner):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run(runner, "render", CANONICAL, "-o", out, "-f", "pdf", "--datum", DATE)
        assert result.exit_code == 0, result.output
    for kind in ("avtal", "checklista"):
        name = f"dagverksamhet-{kind}.pdf"
        assert (first / name).read_bytes() == (second / name).read_bytes()


_SHARED = "".join(f"## § {n} Villkor\n\nParterna ska samverka enligt punkt {n}.\n\n"
                  for n in range(1, 30))
_AFTER_OTHERS = ("# Avtal B\n\nUndertitel B\n\n---\n\n" + _SHARED,
                 dict(title="Avtal B", header_text="Partnerskap B\tUTKAST", author="Nämnd B"))
_FRESH_PROCESS = """
import datetime as dt, sys
from iopkit.writers.pdf.typst_pdf import markdown_to_pdf
from test_render_typst import _AFTER_OTHERS
markdown, fields = _AFTER_OTHERS
sys.stdout.buffer.write(markdown_to_pdf(markdown, date=dt.date(2026, 5, 4), **fields))
"""


def test_a_document_after_others_in_the_process_is_the_one_made_alone(tmp_path):
    """Typst reuses what it laid out for earlier documents of the process (the same
    clauses recur in every agreement): the document is still the one a fresh process
    makes, with its own title, running header and page count, not an earlier one's."""
    import datetime as dt
    import os
    import sys
    from pathlib import Path

    from iopkit.writers.pdf.typst_pdf import markdown_to_pdf

    when = dt.date(2026, 5, 4)
    for letter, clauses in (("A", 40), ("C", 10)):
        markdown_to_pdf(f"# Avtal {letter}\n\nUndertitel {letter}\n\n---\n\n"
                        + _SHARED.replace("punkt 29.", f"punkt 29.\n\n{'Mer. ' * clauses}"),
                        title=f"Avtal {letter}", header_text=f"Partnerskap {letter}\tUTKAST",
                        author=f"Nämnd {letter}", date=when)
    markdown, fields = _AFTER_OTHERS
    after_others = markdown_to_pdf(markdown, date=when, **fields)
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests.parent), str(tests)])}
    alone = subprocess.run([sys.executable, "-c", _FRESH_PROCESS], capture_output=True,
                           check=True, timeout=120, env=env).stdout
    assert after_others == alone
    path = tmp_path / "b.pdf"
    path.write_bytes(after_others)
    pages = _text(path).split("\f")
    assert re.match(r"\s*Partnerskap B\s+UTKAST", pages[1])
    assert "Partnerskap A" not in _text(path) and "Partnerskap C" not in _text(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.open_metadata().get("dc:title")) == "Avtal B"
        count = len(pdf.pages)
    assert f"2 ({count})" in pages[1]


_ONE_AT_A_TIME = """
import datetime as dt, hashlib, sys
from iopkit.check import check_file
from iopkit.render.pipeline import RenderOptions, render_markdown
from iopkit.writers.pdf.typst_pdf import markdown_to_pdf
options = RenderOptions(date=dt.date(2026, 5, 4),
                        documents=("avtal", "checklista", "tjansteskrivelse"))
for doc in render_markdown(check_file(sys.argv[1]), options):
    pdf = markdown_to_pdf(doc.markdown, title=doc.title, header_text=doc.header_text,
                          author=doc.author, keywords=doc.keywords, subject=doc.subject,
                          date=options.date)
    print(hashlib.sha256(pdf).hexdigest())
"""


def test_pdfs_laid_out_at_once_are_those_made_one_at_a_time(tmp_path, runner):
    """`render` lays out a spec's PDFs on every core at once (one Typst compiler per
    thread, sharing what they laid out): each PDF is still, byte for byte, the one a
    fresh process makes alone, one document after the other."""
    import hashlib
    import os
    import sys
    from pathlib import Path

    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "--datum", DATE,
                 "-d", "avtal,checklista,tjansteskrivelse")
    assert result.exit_code == 0, result.output
    at_once = [hashlib.sha256((tmp_path / f"dagverksamhet-{kind}.pdf").read_bytes())
               .hexdigest() for kind in ("avtal", "checklista", "tjansteskrivelse")]
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests.parent), str(tests)])}
    alone = subprocess.run([sys.executable, "-c", _ONE_AT_A_TIME, str(CANONICAL)],
                           capture_output=True, text=True, check=True, timeout=300,
                           env=env).stdout.split()
    assert at_once == alone


def test_source_date_epoch_sets_the_creation_date(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "-d", "avtal")
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "dagverksamhet-avtal.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20260528")


def test_spec_text_is_never_typst_markup(tmp_path, runner):
    data = load_canonical_data()
    data["partnerskap"]["namn"] = "Namn " + " ".join(INJECTIONS)
    data["partnerskap"]["bakgrund"] = "\n\n".join(INJECTIONS)
    spec = tmp_path / "elak.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    result = run(runner, "render", spec, "-o", tmp_path, "-f", "pdf", "--datum", DATE)
    assert result.exit_code == 0, result.output
    pdf_path = tmp_path / "elak-avtal.pdf"
    text = " ".join(_text(pdf_path).split())
    for needle in INJECTIONS:
        assert needle in text, needle
    assert "root:" not in text
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.docinfo.Title).startswith("Namn " + " ".join(INJECTIONS))


def test_chart_renders_as_figure_with_alt_text_png_and_svg():
    import datetime as dt

    from iopkit.writers.pdf.typst_chart import Series, alt_text, chart_block, chart_png, chart_svg
    from iopkit.writers.pdf.typst_pdf import blocks_to_pdf, document_tree

    series = Series("Antal besök #read(\"/etc/passwd\")", "besök",
                    {2027: 14200, 2028: 15900, 2029: 16500}, target=15000, baseline=12000)
    alt = alt_text(series)
    assert alt.startswith("Stapeldiagram: Antal besök #read")
    assert "2028: 15\u00a0900 besök" in alt and "Målvärde: 15\u00a0000 besök" in alt
    tree = document_tree("# Årsrapport\n\n## Besök\n\nSå många kom.\n")
    tree.blocks.append(chart_block(series))
    data = blocks_to_pdf(tree, title="Årsrapport", date=dt.date(2028, 3, 1))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        figures = [a for kind, a in _structure(pdf.Root.StructTreeRoot.K, [])
                   if kind == "/Figure"]
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    assert figures == [alt]
    png = chart_png(series)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == chart_png(series)
    assert chart_svg(series).startswith("<svg")


def test_chart_refuses_values_it_cannot_draw():
    from iopkit.files import UsageProblem
    from iopkit.writers.pdf.typst_chart import Series

    with pytest.raises(UsageProblem, match="inte är negativt"):
        Series("Besök", "st", {2027: -1})
    with pytest.raises(UsageProblem, match="inga värden"):
        Series("Besök", "st", {})


def test_edited_house_style_is_used(tmp_path, runner):
    own = tmp_path / "mallar"
    result = run(runner, "mallar", own)
    assert result.exit_code == 0, result.output
    style = own / "typst" / "stil.toml"
    assert (own / "typst" / "logotyp.svg").is_file()
    text = style.read_text(encoding="utf-8")
    text = text.replace('fil = ""', 'fil = "logotyp.svg"')
    text = text.replace('beskrivning = ""', 'beskrivning = "Kommunens logotyp"')
    text = text.replace('rubriker = "Carlito"', 'rubriker = "Caladea"')
    style.write_text(text, encoding="utf-8")
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "-d", "avtal",
                 "--mallar", own, "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert "används inte" not in result.output
    with pikepdf.open(tmp_path / "dagverksamhet-avtal.pdf") as pdf:
        figures = [a for kind, a in _structure(pdf.Root.StructTreeRoot.K, [])
                   if kind == "/Figure"]
        fonts = {str(obj.BaseFont).split("+")[-1] for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font}
    assert figures == ["Kommunens logotyp"]
    assert not any(name.startswith("Carlito") for name in fonts)


def test_logo_is_read_after_the_temp_folder_was_emptied_and_when_it_changes(tmp_path, runner):
    """Typst's root (a folder of its own holding only the logo) is kept for the process,
    as the web editor keeps its process for days: a logo edited in between is the one
    used, and a temp folder emptied by a cleaner does not break the next PDF."""
    import datetime as dt

    from iopkit.writers.pdf import typst_engine, typst_pdf

    own = tmp_path / "mallar"
    assert run(runner, "mallar", own).exit_code == 0
    style = own / "typst" / "stil.toml"
    style.write_text(style.read_text(encoding="utf-8")
                     .replace('fil = ""', 'fil = "logotyp.svg"')
                     .replace('beskrivning = ""', 'beskrivning = "Kommunens logotyp"'),
                     encoding="utf-8")
    markdown = "# Titel\n\nUndertitel\n\n---\n\n## § 1 Parter\n\nText.\n"

    def pdf() -> bytes:
        return typst_pdf.markdown_to_pdf(markdown, title="Titel", date=dt.date(2026, 5, 4),
                                         templates_dir=own)

    first = pdf()
    logo = own / "typst" / "logotyp.svg"
    shutil.rmtree(typst_engine.root_for(("logotyp.svg", logo.read_bytes())))  # a cleaner
    assert pdf() == first
    logo.write_text(logo.read_text(encoding="utf-8").replace("</svg>",
                    '<circle cx="5" cy="5" r="4"/></svg>'), encoding="utf-8")
    assert pdf() != first


@pytest.mark.parametrize("edit, message", [
    (('storlek_pt = 11', 'storlek_pt = "stor"'), "teckensnitt.storlek_pt ska vara ett tal"),
    (('rubriker = "1F3864"', 'rubriker = "blå"'), "färger.rubriker ska vara en färg"),
    (('"brödtext" = "Caladea"', '"brödtext" = "Comic Sans"'), "teckensnittet 'Comic Sans'"),
    (('fil = ""', 'fil = "../../etc/passwd.png"'), "logotyp.fil ska vara namnet på en bild"),
    (('[sida]', '[sida]\nfarg = 1'), "sida.farg är ingen inställning"),
    (('[sida]', '[sida'), "kan inte läsas som TOML"),
])
def test_bad_house_style_is_a_swedish_error_naming_the_file(tmp_path, runner, edit, message):
    own = tmp_path / "mallar"
    assert run(runner, "mallar", own).exit_code == 0
    style = own / "typst" / "stil.toml"
    style.write_text(style.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "--mallar", own,
                 "--datum", DATE)
    assert result.exit_code == 2
    assert message in result.stderr and str(style) in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_engine_choice(tmp_path, runner, monkeypatch):
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "--pdf-motor", "x")
    assert result.exit_code == 2 and "PDF-motorn 'x' finns inte" in result.stderr
    # A PDF that must mirror a reference Word document goes through LibreOffice.
    monkeypatch.setenv("IOPKIT_SOFFICE", str(tmp_path / "inget-soffice"))
    reference = tmp_path / "ref.docx"
    from iopkit.render.template_export import WORD_BASE

    reference.write_bytes(WORD_BASE.read_bytes())
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf",
                 "--referens-docx", reference)
    assert result.exit_code == 2 and "kräver LibreOffice" in result.stderr
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "-f", "pdf", "-d", "avtal",
                 "--referens-docx", reference, "--pdf-motor", "typst", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dagverksamhet-avtal.pdf").read_bytes().startswith(b"%PDF-")


def test_followup_report_as_pdf(tmp_path, runner):
    result = run(runner, "uppfoljning", CANONICAL, "-o", tmp_path, "-f", "pdf",
                 "--datum", DATE)
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "dagverksamhet-uppfoljning.pdf") as pdf:
        types = {kind for kind, _ in _structure(pdf.Root.StructTreeRoot.K, [])}
    assert {"/Table", "/TH"} <= types
