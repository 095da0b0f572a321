"""Hostile templates (--mallar) and reference documents (--referens-docx): nothing outside
the template directory is read, and no template or document costs unbounded time or
memory. Each attack runs in a subprocess under a memory limit and a timeout, so a
regression is a killed or hung process, not a slow suite."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from conftest import CANONICAL


def run_limited(args: list[str], cwd: Path, memory_mb: int = 768, timeout: float = 60):
    from test_hostile import run_limited as run_under_limit

    return run_under_limit(args, cwd, memory_mb=memory_mb, timeout=timeout)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "avtal.yaml").write_bytes(CANONICAL.read_bytes())
    (tmp_path / "mallar" / "avtal").mkdir(parents=True)
    (tmp_path / "ut").mkdir()
    return tmp_path


def render_with(work: Path, template: str, name: str = "99-extra.md.j2"):
    (work / "mallar" / "avtal" / name).write_text(template, encoding="utf-8")
    return run_limited(["render", "avtal.yaml", "--mallar", "mallar", "-f", "md", "-o", "ut"],
                       work)


def assert_refused(result, work: Path, fragment: str, template: str = "99-extra.md.j2"):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"mallen mallar/avtal/{template}" in result.stderr, result.stderr
    assert fragment in result.stderr, result.stderr
    assert list((work / "ut").iterdir()) == []


SECRET = "hemligt-innehåll-utanför-mallkatalogen"


@pytest.fixture
def secret(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("utanför") / "hemlig.md.j2"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("include", ["../../hemlig.md.j2", "avtal/../../../hemlig.md.j2",
                                     "{secret}", "..\\\\..\\\\hemlig.md.j2"])
def test_include_outside_the_directory_is_refused(work, secret, include):
    (work / "hemlig.md.j2").write_text(SECRET, encoding="utf-8")
    result = render_with(work, "{% include '" + include.format(secret=secret) + "' %}\n")
    assert_refused(result, work, "utanför mallkatalogen")
    assert SECRET not in result.stdout + result.stderr


def test_symlinked_include_pointing_outside_is_refused(work, secret):
    (work / "mallar" / "avtal" / "_hemlig.md.j2").symlink_to(secret)
    result = render_with(work, "{% include 'avtal/_hemlig.md.j2' %}\n")
    assert_refused(result, work, "symbolisk länk som pekar utanför")


def test_symlinked_section_pointing_outside_is_refused(work, secret):
    (work / "mallar" / "avtal" / "03-bakgrund.md.j2").symlink_to(secret)
    result = run_limited(["render", "avtal.yaml", "--mallar", "mallar", "-f", "md", "-o", "ut"],
                         work)
    assert_refused(result, work, "symbolisk länk som pekar utanför", "03-bakgrund.md.j2")


def test_symlinked_folder_pointing_outside_is_never_read(work, secret):
    folder = secret.parent / "avtal"
    folder.mkdir()
    (folder / "03-bakgrund.md.j2").write_text(SECRET, encoding="utf-8")
    (work / "mallar" / "avtal").rmdir()
    (work / "mallar" / "avtal").symlink_to(folder)
    result = run_limited(["render", "avtal.yaml", "--mallar", "mallar", "-f", "md", "-o", "ut"],
                         work)
    assert result.returncode == 1, result.stderr
    assert "utanför mallkatalogen" in result.stderr
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in (work / "ut").iterdir())


def test_fifo_as_template_is_refused_at_once(work):
    os.mkfifo(work / "mallar" / "avtal" / "99-extra.md.j2")
    result = run_limited(["render", "avtal.yaml", "--mallar", "mallar", "-f", "md", "-o", "ut"],
                         work, timeout=30)
    assert_refused(result, work, "ingen vanlig fil")


def test_huge_template_file_is_refused(work):
    result = render_with(work, "x" * 2_000_000)
    assert_refused(result, work, "större än 1 MB")


def test_symlink_inside_the_directory_is_fine(work):
    (work / "mallar" / "avtal" / "_del.md.j2").write_text("Inifrån.\n", encoding="utf-8")
    (work / "mallar" / "avtal" / "_länk.md.j2").symlink_to("_del.md.j2")
    result = render_with(work, "{% include 'avtal/_länk.md.j2' %}\n")
    assert result.returncode == 0, result.stderr
    assert "Inifrån." in (work / "ut" / "avtal-avtal.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("template, fragment", [
    ("{{ 'x' * 10**10 }}", "upprepning"),
    ("{{ [1] * 10**9 }}", "upprepning"),
    ("{% for i in range(10**6) %}{% endfor %}", "range()"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     "loopa i loopar"),
    ("{{ 10**10**10 }}", "orimligt stort tal"),
    ("{{ 'a'|center(10**9) }}", "center"),
    ("{{ 'a'.ljust(10**9) }}", "ljust"),
    ("{{ '%0999999999d' % 1 }}", "bredd"),
    ("{{ '{:>999999999}'.format(1) }}", "bredd"),
    ("{{ '{:>{}}'.format(1, 10**9) }}", "bredd"),
    ("{{ 'abc'|replace('', 'x' * 900000) }}", "replace"),
    ("{{ ('a\\n' * 5000)|indent('x' * 5000, first=true) }}", "indent"),
    ("{{ ('a\\n' * 5000)|indent(width='x' * 5000) }}", "indent"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}"
     "{% endfor %}{{ ns.x }}", "namespace"),
    ("{% macro f(s, n) %}{{ f(s ~ s, n - 1) if n else s }}{% endmacro %}{{ f('ab', 60) }}",
     "argument"),
    ("{% for i in range(9000) %}{{ 'x' * 900000 }}{% endfor %}", "miljoner tecken"),
])
def test_template_cannot_take_unbounded_time_or_memory(work, template, fragment):
    result = render_with(work, template + "\n")
    assert_refused(result, work, fragment)
    assert "går över en gräns för mallar" in result.stderr


def test_lipsum_is_not_available(work):
    result = render_with(work, "{{ lipsum(10**6) }}\n")
    assert_refused(result, work, "`lipsum` finns inte")


def test_ordinary_template_arithmetic_still_works(work):
    result = render_with(work, "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ '%05d' % 42 }} "
                               "{{ '{:>6}'.format('x') }} {{ range(3)|list|length }}\n")
    assert result.returncode == 0, result.stderr
    text = (work / "ut" / "avtal-avtal.md").read_text(encoding="utf-8")
    assert "ababab 1024 00042      x 3" in text


# --- --referens-docx ----------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_reference_is_refused_before_unpacking(work):
    bomb = work / "bomb.docx"
    bomb.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": b"\0" * (300 * 1024 * 1024)}))
    assert bomb.stat().st_size < 1024 * 1024
    result = run_limited(["render", "avtal.yaml", "--referens-docx", "bomb.docx", "-o", "ut"],
                         work, memory_mb=400)
    assert result.returncode == 2, result.stderr
    assert "zip-bomb" in result.stderr and "bomb.docx" in result.stderr
    assert list((work / "ut").iterdir()) == []


def test_reference_that_unpacks_too_large_is_refused(work):
    members = {"[Content_Types].xml": b"<Types/>"}
    members.update({f"word/media/bild{i}.bin": os.urandom(1024 * 1024) for i in range(3)})
    big = work / "stor.docx"
    big.write_bytes(zip_bytes(members))
    from iopkit.writers.word import zipcheck

    # the limits scaled down, so the test does not need 100 MB
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipcheck, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
        from iopkit.files import UsageProblem

        with pytest.raises(UsageProblem, match="uppackat"):
            zipcheck.check_reference_package(big.read_bytes(), big)


def test_huge_reference_file_is_refused_by_size(work):
    huge = work / "enorm.docx"
    with huge.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)
    result = run_limited(["render", "avtal.yaml", "--referens-docx", "enorm.docx", "-o", "ut"],
                         work, memory_mb=400)
    assert result.returncode == 2, result.stderr
    assert "MB" in result.stderr and "högst 20 MB" in result.stderr


@pytest.mark.parametrize("part", ["../../utanför.xml", "/etc/passwd"])
def test_reference_with_parts_outside_the_package_is_refused(work, part):
    bad = work / "konstig.docx"
    bad.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>", part: b"x"}))
    result = run_limited(["render", "avtal.yaml", "--referens-docx", "konstig.docx", "-o", "ut"],
                         work)
    assert result.returncode == 2, result.stderr
    assert "pekar utanför dokumentet" in result.stderr and part in result.stderr


@pytest.mark.parametrize("body", ["{{ a[:0] }}", ""])
def test_template_time_is_bounded(runner, work, monkeypatch, body):
    """Loops over the spec's own data, with work the hooks see or with none (the timer
    sees that): stopped after the time limit, here shortened to half a second."""
    from conftest import run
    from iopkit.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    spec = work / "avtal.yaml"
    items = "".join(f"    - Underlag {i}\n" for i in range(2000))
    spec.write_text(spec.read_text(encoding="utf-8").replace("  underlag:\n",
                                                             "  underlag:\n" + items, 1),
                    encoding="utf-8")
    loop = ("{% set l = behovsinventering.underlag %}{% for a in l %}{% for b in l %}"
            "{% for c in l %}" + body + "{% endfor %}{% endfor %}{% endfor %}\n")
    (work / "mallar" / "avtal" / "99-extra.md.j2").write_text(loop, encoding="utf-8")
    result = run(runner, "render", spec, "--mallar", work / "mallar", "-f", "md",
                 "-o", work / "ut")
    assert result.exit_code == 1, result.output
    assert "mallarna har arbetat i mer än" in result.stderr
    assert "mallar/avtal/99-extra.md.j2" in result.stderr
    assert list((work / "ut").iterdir()) == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "\\\\server\\share\\bild.png"])
def test_reference_linking_a_file_outside_is_not_followed(work, target):
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/image" '
            f'Target="{target}" TargetMode="External"/></Relationships>').encode()
    bad = work / "länkad.docx"
    bad.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>",
                               "word/_rels/document.xml.rels": rels}))
    result = run_limited(["render", "avtal.yaml", "--referens-docx", "länkad.docx", "-o", "ut"],
                         work)
    # The link is dropped, never followed (tests/test_reference_links.py); this package
    # has no document at all, so it is refused as not being a Word document.
    assert result.returncode == 2, result.stderr
    assert "inget Word-dokument" in result.stderr
