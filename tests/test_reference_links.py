"""--referens-docx: nothing the reference points at outside itself reaches the agreement,
and no field but page numbers and bookmark references survives (issue 22)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import CANONICAL, run

REL = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

#: The nine spellings of an outside target from the issue, as written in a .rels part.
SPELLINGS = [
    f'<Relationship Id="rX1" Type="{IMAGE}" Target="file:///etc/passwd" TargetMode="External"/>',
    f"<Relationship Id='rX2' Type='{IMAGE}' Target='file:///etc/hosts' TargetMode='External'/>",
    f'<Relationship Id = "rX3" Type = "{IMAGE}" Target = "file:///x.png" TargetMode = "External"/>',
    f'<Relationship Id="rX4" Type="{IMAGE}" Target="&#102;ile:///x.png" TargetMode="External"/>',
    f'<Relationship Id="rX5" Type="{IMAGE}" Target="&#92;&#92;server\\share\\x.png" '
    'TargetMode="External"/>',
    f'<p:Relationship xmlns:p="{REL}" Id="rX6" Type="{IMAGE}" Target="file:///y.png" '
    'TargetMode="External"/>',
    f'<Relationship Id="rX7" Type="{IMAGE}" Target="http://example.com/x.png" '
    'TargetMode="External"/>',
    f'<Relationship Id="rX8" Type="{IMAGE}" Target="../../x.png"/>',
    f'<Relationship Id="rX9" Type="{IMAGE}" Target="mhtml:file:///x.mht!x.png" '
    'TargetMode="External"/>',
]

FIELDS = (
    '<w:p><w:fldSimple w:instr=\' INCLUDEPICTURE "http://example.com/a.png" \\d \'>'
    '<w:r><w:t>bild</w:t></w:r></w:fldSimple></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDETEXT '
    '"\\\\\\\\server\\\\share\\\\a.docx" </w:instrText></w:r><w:r><w:fldChar '
    'w:fldCharType="separate"/></w:r><w:r><w:t>text</w:t></w:r><w:r><w:fldChar '
    'w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO c:\\\\'
    'windows\\\\system32\\\\cmd.exe "/k calc" </w:instrText></w:r><w:r><w:fldChar '
    'w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:t>Sida </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
    '</w:fldSimple></w:p>'
)


def hostile_reference(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Brevhuvud"
    document.add_paragraph("Brödtext")
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>",
                                    "".join(SPELLINGS).encode() + b"</Relationships>")
            if info.filename.startswith("word/header") and info.filename.endswith(".xml"):
                data = data.replace(b"</w:hdr>", FIELDS.encode() + b"</w:hdr>")
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + FIELDS.encode())
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def package_text(docx_path: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx_path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist() if name.endswith((".xml", ".rels"))}


def test_nothing_outside_the_reference_reaches_the_agreement(runner, tmp_path):
    reference = hostile_reference(tmp_path / "mall.docx")
    out = tmp_path / "ut"
    result = run(runner, "render", CANONICAL, "-o", out, "--referens-docx", reference,
                 "--datum", "2027-01-01", "--dokument", "avtal")
    assert result.exit_code == 0, result.output
    [agreement] = out.glob("*-avtal.docx")
    parts = package_text(agreement)
    everything = "\n".join(parts.values())
    for needle in ("External", "file:", "passwd", "example.com", "server", "mhtml", "../../",
                   "INCLUDEPICTURE", "INCLUDETEXT", "DDEAUTO", "cmd.exe"):
        assert needle not in everything, needle
    headers = [text for name, text in parts.items() if name.startswith("word/header")]
    assert any("Brevhuvud" in text for text in headers)
    assert any(re.search(r'w:instr=" PAGE "', text) for text in headers)  # page numbers stay
    import docx

    docx.Document(str(agreement))  # still a Word document


def test_cleaning_keeps_internal_relationships():
    from iopkit.writers.word.zipcheck import clean_reference_package

    import docx

    document = docx.Document()
    buffer = io.BytesIO()
    document.save(buffer)
    cleaned = clean_reference_package(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "styles.xml" in rels and "numbering.xml" in rels


@pytest.mark.libreoffice
@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed")
def test_pdf_embeds_nothing_from_outside(runner, tmp_path):
    import pikepdf

    reference = hostile_reference(tmp_path / "mall.docx")
    out = tmp_path / "ut"
    result = run(runner, "render", CANONICAL, "-o", out, "--referens-docx", reference,
                 "--datum", "2027-01-01", "--dokument", "avtal", "--format", "pdf")
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*-avtal.pdf")
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            images = [k for k, v in page.images.items()]
            assert not images
