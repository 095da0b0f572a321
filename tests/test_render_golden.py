"""Golden files: the rendered documents, part by part, exactly as approved.

Input: tests/golden/partnerskap.yaml, rendered with a fixed date and a fixed list of
findings (so that a change in the rules does not change these files). Every part of
each .docx is compared as pretty-printed XML, plus the Markdown and the HTML; a
difference fails with a unified diff.

After an intended change, regenerate and review the diff in git:

    IOPKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import zipfile
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
SPEC = GOLDEN / "partnerskap.yaml"
UPDATE = os.environ.get("IOPKIT_UPDATE_GOLDEN") == "1"


def _findings():
    from iopkit.spec.findings import Finding, Severity

    return [
        Finding("IOP901", Severity.WARNING, "Ett påhittat fynd med <tecken> & *stjärnor*.",
                ("ekonomi", "ersättningsform"), line=110, column=3),
        Finding("IOP902", Severity.INFO, "Ett tystat fynd.", ("parter", 1, "namn"),
                line=30, column=5, silenced=True, silence_reason="Motiverat i ärendet."),
    ]


def _outputs() -> dict[str, str]:
    """Golden file name -> expected text, for everything iopkit renders from SPEC."""
    from lxml import etree

    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, build_outputs

    result = check_file(SPEC)
    assert result.ok
    result.findings = _findings()
    outputs = build_outputs([(result, GOLDEN / "ut")], ("docx", "md", "html"),
                            RenderOptions(date=dt.date(2026, 5, 4)))
    texts: dict[str, str] = {}
    for path, data in outputs:
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = [info.filename for info in package.infolist()]
                texts[f"{path.name}/_members.txt"] = "\n".join(names) + "\n"
                for name in names:
                    root = etree.fromstring(package.read(name),
                                            etree.XMLParser(remove_blank_text=True))
                    pretty = etree.tostring(root, pretty_print=True, encoding="unicode")
                    texts[f"{path.name}/{name.replace('/', '__')}"] = pretty
        else:
            texts[path.name] = data.decode("utf-8")
    return texts


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return _outputs()


def _golden_files() -> list[str]:
    return sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*")
                  if p.is_file() and p != SPEC)


def test_golden_files_are_complete(outputs):
    if UPDATE:
        for name, text in outputs.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for name in set(_golden_files()) - set(outputs):
            (GOLDEN / name).unlink()
    assert _golden_files() == sorted(outputs), (
        "The set of rendered files or parts changed. Regenerate with "
        "IOPKIT_UPDATE_GOLDEN=1 and review the diff.")


@pytest.mark.parametrize("name", _golden_files() or ["(none)"])
def test_matches_golden(outputs, name):
    if name == "(none)":
        if UPDATE:
            pytest.skip("golden files were just written; run again to compare")
        pytest.fail("No golden files: run with IOPKIT_UPDATE_GOLDEN=1 once.")
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = outputs.get(name)
    assert actual is not None, f"{name} is no longer rendered"
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"golden/{name}", tofile="rendered", n=2))
        pytest.fail(f"{name} differs from the golden file (IOPKIT_UPDATE_GOLDEN=1 "
                    f"regenerates it):\n{diff}", pytrace=False)
