"""PDF through LibreOffice: every example converts and has pages. Skipped without soffice."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, run

pytestmark = pytest.mark.libreoffice


def _soffice() -> str | None:
    from iopkit.render.pdf import find_soffice

    return find_soffice()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if _soffice() is None:
        pytest.skip("LibreOffice (soffice) är inte installerat")
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("pdf")
    result = run(CliRunner(), "render", EXAMPLES, "-o", out, "--format", "docx,pdf",
                 "--datum", "2026-05-04")
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
