"""`iopkit render` as a user meets it: what is written where, exit codes, messages."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import CANONICAL, EXAMPLES, dump, load_canonical_data, run
from render_helpers import docx_part, docx_text, html_text

DATE = "2026-05-04"


@pytest.fixture
def canonical(tmp_path):
    path = tmp_path / "dagverksamhet.yaml"
    path.write_text(CANONICAL.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_writes_agreement_and_checklist_next_to_the_spec(runner, canonical):
    result = run(runner, "render", canonical, "--datum", DATE)
    assert result.exit_code == 0, result.output
    agreement = canonical.with_name("dagverksamhet-avtal.docx")
    checklist = canonical.with_name("dagverksamhet-checklista.docx")
    assert agreement.is_file() and checklist.is_file()
    assert f"Skrev {agreement}" in result.stderr
    assert f"Skrev {checklist}" in result.stderr
    assert sorted(p.name for p in canonical.parent.iterdir()) == [
        "dagverksamhet-avtal.docx", "dagverksamhet-checklista.docx", "dagverksamhet.yaml"]


def test_output_directory(runner, canonical, tmp_path):
    out = tmp_path / "utkast"
    out.mkdir()
    result = run(runner, "render", canonical, "-o", out, "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dagverksamhet-avtal.docx", "dagverksamhet-checklista.docx"]


def test_missing_output_directory_is_created(runner, canonical, tmp_path):
    out = tmp_path / "ny" / "utkast"
    result = run(runner, "render", canonical, "-o", out, "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dagverksamhet-avtal.docx", "dagverksamhet-checklista.docx"]


def test_output_directory_is_not_created_for_a_spec_with_errors(runner, write_spec,
                                                                tmp_path):
    spec = write_spec("iopkit: 1\npartnerskap: [\n")
    result = run(runner, "render", spec, "-o", tmp_path / "ut")
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "ut").exists()


def test_output_directory_under_a_file_is_exit_2_and_nothing_written(runner, canonical,
                                                                     tmp_path):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    result = run(runner, "render", canonical, "-o", tmp_path / "fil" / "ut")
    assert result.exit_code == 2
    assert "Utdatakatalogen" in result.stderr and "kan inte skapas" in result.stderr
    assert "är inte en katalog" in result.stderr
    assert not list(tmp_path.glob("**/*.docx"))


@pytest.mark.parametrize("fmt,suffixes", [
    ("md", [".md"]), ("html", [".html"]), ("docx,md", [".docx", ".md"])])
def test_formats(runner, canonical, fmt, suffixes):
    result = run(runner, "render", canonical, "--format", fmt, "--datum", DATE)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in canonical.parent.iterdir() if p != canonical)
    assert written == sorted(f"dagverksamhet-{kind}{suffix}"
                             for kind in ("avtal", "checklista") for suffix in suffixes)


def test_repeated_format_option(runner, canonical):
    result = run(runner, "render", canonical, "-f", "html", "-f", "md", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert canonical.with_name("dagverksamhet-avtal.html").is_file()
    assert canonical.with_name("dagverksamhet-avtal.md").is_file()
    assert not canonical.with_name("dagverksamhet-avtal.docx").exists()


def test_unknown_format_is_exit_2(runner, canonical):
    result = run(runner, "render", canonical, "--format", "odt")
    assert result.exit_code == 2
    assert "Formatet 'odt' finns inte" in result.stderr
    assert "docx, md, html, pdf" in result.stderr


def test_html_is_swedish_and_self_contained(runner, canonical):
    assert run(runner, "render", canonical, "-f", "html", "--datum", DATE).exit_code == 0
    page = canonical.with_name("dagverksamhet-avtal.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"sv\">")
    assert "<style>" in page and "<link" not in page
    assert "<title>Dagverksamhet för EU-medborgare i utsatthet – Avtal om idéburet " \
           "offentligt partnerskap (IOP)</title>" in page


def test_spec_with_errors_is_exit_1_same_messages_as_check_nothing_written(
        runner, write_spec, tmp_path):
    data = load_canonical_data()
    data["partnerskap"]["nman"] = data["partnerskap"].pop("namn")
    spec = write_spec(dump(data), "trasig.yaml")
    check = run(runner, "check", spec)
    result = run(runner, "render", spec)
    assert result.exit_code == 1
    error_lines = [line for line in check.stdout.splitlines() if " fel IOP" in line]
    assert error_lines
    for line in error_lines:
        assert line in result.stderr
    assert "trasig.yaml har fel och har inte skapats" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trasig.yaml"]


def test_warnings_are_printed_and_rendering_goes_on(runner, write_spec, tmp_path):
    data = load_canonical_data()
    data["avtalsperiod"]["slut"] = "2031-06-30"  # longer than four years: a warning
    spec = write_spec(dump(data), "varning.yaml")
    check = run(runner, "check", spec)
    warnings = [line for line in check.stdout.splitlines() if " varning IOP" in line]
    assert warnings, check.stdout
    result = run(runner, "render", spec, "--datum", DATE)
    assert result.exit_code == 0, result.output
    for line in warnings:
        assert line in result.stderr
    assert (tmp_path / "varning-avtal.docx").is_file()


def test_payment_per_unit_is_an_error_and_nothing_is_rendered(runner, write_spec, tmp_path):
    data = load_canonical_data()
    data["ekonomi"]["ersättningsform"] = "per prestation"
    spec = write_spec(dump(data), "prestation.yaml")
    result = run(runner, "render", spec, "--datum", DATE)
    assert result.exit_code == 1
    assert "fel IOP101" in result.stderr
    assert not list(tmp_path.glob("prestation-*"))


def test_existing_output_is_not_overwritten_without_force(runner, canonical):
    target = canonical.with_name("dagverksamhet-avtal.docx")
    target.write_bytes(b"mitt eget")
    result = run(runner, "render", canonical)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == b"mitt eget"
    # Nothing at all was written: the checklist did not exist and still does not.
    assert not canonical.with_name("dagverksamhet-checklista.docx").exists()

    result = run(runner, "render", canonical, "--force", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PK")


def test_several_files_and_directories(runner, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    result = run(runner, "render", EXAMPLES, CANONICAL, "-o", out, "--datum", DATE)
    # The canonical example is named twice: both would write the same files.
    assert result.exit_code == 2
    assert "samma fil" in result.stderr
    assert not list(out.iterdir())

    result = run(runner, "render", EXAMPLES, "-o", out, "--datum", DATE)
    assert result.exit_code == 0, result.output
    for example in EXAMPLES.glob("*.yaml"):
        assert (out / f"{example.stem}-avtal.docx").is_file()
        assert (out / f"{example.stem}-checklista.docx").is_file()


def test_invalid_spec_among_valid_ones(runner, tmp_path, canonical):
    broken = tmp_path / "trasig.yaml"
    broken.write_text("iopkit: 1\npartnerskap: [\n", encoding="utf-8")
    result = run(runner, "render", canonical, broken, "--datum", DATE)
    assert result.exit_code == 1
    assert canonical.with_name("dagverksamhet-avtal.docx").is_file()
    assert not tmp_path.joinpath("trasig-avtal.docx").exists()


def test_missing_spec_file_is_exit_2(runner, tmp_path):
    result = run(runner, "render", tmp_path / "saknas.yaml")
    assert result.exit_code == 2
    assert "saknas.yaml" in result.stderr


def test_same_spec_renders_to_identical_bytes(runner, canonical, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    formats = "docx,md,html"
    assert run(runner, "render", canonical, "-o", first, "-f", formats,
               "--datum", DATE).exit_code == 0
    assert run(runner, "render", canonical, "-o", second, "-f", formats,
               "--datum", DATE).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 6
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_zip_entries_have_pinned_timestamps_and_stable_order(runner, canonical):
    assert run(runner, "render", canonical, "--datum", DATE).exit_code == 0
    data = canonical.with_name("dagverksamhet-avtal.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2026, 5, 4, 0, 0, 0)}


def test_date_option_and_source_date_epoch(runner, canonical, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01T00:00:00Z
    assert run(runner, "render", canonical, "-f", "docx,md").exit_code == 0
    markdown = canonical.with_name("dagverksamhet-avtal.md").read_text(encoding="utf-8")
    # The nämnd decided on 15 December 2026: on 1 January 2027 the agreement is the
    # approved text, no longer a draft.
    assert "UTKAST" not in markdown.split("---")[0]
    assert "Godkänt av socialnämnden Centrum den 15 december 2026" in markdown
    core = docx_part(canonical.with_name("dagverksamhet-avtal.docx").read_bytes(),
                     "docProps/core.xml").decode()
    assert "2027-01-01T00:00:00Z" in core

    assert run(runner, "render", canonical, "-f", "md", "--force",
               "--datum", "2026-12-24").exit_code == 0
    markdown = canonical.with_name("dagverksamhet-avtal.md").read_text(encoding="utf-8")
    assert "**UTKAST** – 24 december 2026" not in markdown
    assert run(runner, "render", canonical, "-f", "md", "--force",
               "--datum", "2026-12-04").exit_code == 0
    markdown = canonical.with_name("dagverksamhet-avtal.md").read_text(encoding="utf-8")
    assert "**UTKAST** – 4 december 2026" in markdown


def test_bad_date_is_exit_2(runner, canonical, monkeypatch):
    result = run(runner, "render", canonical, "--datum", "4 maj")
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD" in result.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "igår")
    result = run(runner, "render", canonical)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert not canonical.with_name("dagverksamhet-avtal.docx").exists()


def test_pdf_without_libreoffice_says_how_to_install_it(runner, canonical, monkeypatch,
                                                         tmp_path):
    monkeypatch.setenv("IOPKIT_SOFFICE", str(tmp_path / "inget-soffice"))
    result = run(runner, "render", canonical, "--format", "pdf", "--pdf-motor", "libreoffice")
    assert result.exit_code == 2
    assert "LibreOffice" in result.stderr
    assert "apt install libreoffice-writer" in result.stderr
    assert not canonical.with_name("dagverksamhet-avtal.pdf").exists()


def test_listed_in_help(runner):
    result = run(runner, "--help")
    assert " render " in result.stdout
    result = run(runner, "render", "--help")
    assert result.exit_code == 0
    for option in ("--utkatalog", "--format", "--force", "--mallar", "--referens-docx",
                   "--datum"):
        assert option in result.stdout


def test_import_of_cli_stays_light():
    probe = ("import sys, iopkit.cli, iopkit.cli.commands.render, iopkit.render; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'docx', 'jinja2', 'markdown_it', 'holidays', 'lxml'}))")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert output.stdout.strip() == "[]"


def test_rendering_never_loads_python_docx():
    probe = ("import sys, datetime\n"
             "from iopkit.render import render_file, RenderOptions\n"
             "import tempfile, pathlib\n"
             f"out = pathlib.Path(tempfile.mkdtemp())\n"
             f"render_file({str(CANONICAL)!r}, out, ('docx',), "
             "RenderOptions(date=datetime.date(2026, 5, 4)))\n"
             "print('docx' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert output.stdout.strip() == "False"


def test_html_escapes_title(runner, write_spec, tmp_path):
    data = load_canonical_data()
    data["partnerskap"]["namn"] = "Barn & unga <i> fokus"
    spec = write_spec(dump(data), "titel.yaml")
    assert run(runner, "render", spec, "-f", "html", "--datum", DATE).exit_code == 0
    page = (tmp_path / "titel-avtal.html").read_text(encoding="utf-8")
    assert "<title>Barn &amp; unga &lt;i&gt; fokus" in page
    assert "Barn & unga <i> fokus" in html_text(page)
    assert "<i>" not in page.split("<body>")[1]


def test_docx_text_of_checklist(runner, canonical):
    assert run(runner, "render", canonical, "--datum", DATE).exit_code == 0
    text = docx_text(canonical.with_name("dagverksamhet-checklista.docx"))
    assert "Checklista för IOP-processen" in text
    assert "iopkits kontroller" in text
