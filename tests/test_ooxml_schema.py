"""Every Word document iopkit writes is valid WordprocessingML: its document, styles,
numbering (and settings, header, footer, font table) parts validate against the
ECMA-376 Transitional schemas checked in under tests/schemas/.

Word repairs or refuses a file whose elements are out of schema order or lack a
required attribute; LibreOffice is more forgiving, so only the schema catches these.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import CANONICAL, EXAMPLES, ROOT, run
from ooxml_schema import docx_schema_errors, schema_errors, wordprocessingml_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2026-05-04"
V2 = ROOT / "tests" / "data" / "dagverksamhet-v2.yaml"
SPECS = sorted(EXAMPLES.glob("*.yaml")) + [ROOT / "tests" / "golden" / "partnerskap.yaml"]
MAIN_PARTS = {"word/document.xml", "word/styles.xml", "word/numbering.xml"}

#: Everything the Markdown writer maps (see iopkit/writers/word/docx.py), in one document.
EVERY_BLOCK = """# Avtal om samverkan

Mellan parterna

---

## 1. Parter

Text med **fetstil**, *kursiv*, `kod` och en [länk](https://example.org).\\
Ny rad i samma stycke.

Indikatorer:

1. Första
   - punkt
     1. djupt
2. Andra

   Fortsättning på andra punkten.

> Ett citat.

```
kod rad 1
kod rad 2
```

---

| Part | Belopp | Andel |
|:-----|-------:|:-----:|
| Kommunen | 2 400 000 kr | 60 % |
| Föreningen | 1 600 000 kr | 40 % |

Efter tabellen.

#### Underrubrik
"""


def assert_valid(data: bytes, what: str) -> None:
    assert MAIN_PARTS <= wordprocessingml_parts(data), what
    errors = docx_schema_errors(data)
    assert not errors, f"{what} följer inte ECMA-376:\n" + "\n".join(
        f"{part}: {message}" for part, messages in errors.items() for message in messages)


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_agreement_checklist_and_followup_are_valid(runner, tmp_path, spec):
    result = run(runner, "render", spec, "-o", tmp_path, "--datum", DATE)
    assert result.exit_code == 0, result.output
    result = run(runner, "uppfoljning", spec, "-o", tmp_path, "--datum", DATE)
    assert result.exit_code == 0, result.output
    for kind in ("avtal", "checklista", "uppfoljning"):
        path = tmp_path / f"{spec.stem}-{kind}.docx"
        assert_valid(path.read_bytes(), path.name)


def test_amendment_annex_is_valid(runner, tmp_path):
    target = tmp_path / "tillagg.docx"
    result = run(runner, "diff", CANONICAL, V2, "--format", "docx", "-o", target,
                 "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert_valid(target.read_bytes(), target.name)


@pytest.mark.parametrize("old, new", [(CANONICAL, V2), (V2, CANONICAL),
                                      (EXAMPLES / "kvinnojour.yaml",
                                       EXAMPLES / "paraply.yaml")],
                         ids=["v1-v2", "v2-v1", "kvinnojour-paraply"])
def test_tracked_changes_document_is_valid(runner, tmp_path, old, new):
    target = tmp_path / "spårat.docx"
    result = run(runner, "diff", old, new, "--format", "docx", "--spårade-ändringar",
                 "-o", target, "--datum", DATE)
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    document = _part(data, "word/document.xml")
    assert b"<w:ins " in document and b"<w:del " in document  # revisions are checked
    assert b"<w:trackRevisions/>" in _part(data, "word/settings.xml")
    assert_valid(data, target.name)


def test_every_markdown_block_and_its_tracked_changes_are_valid():
    from iopkit.writers.word.docx import markdown_to_docx
    from iopkit.writers.word.tracked import tracked_changes_docx

    when = dt.date(2026, 5, 4)
    old = markdown_to_docx(EVERY_BLOCK, title="T", header_text="Kommunen\tUTKAST",
                           date=when)
    changed = (EVERY_BLOCK.replace("Ett citat.", "Ett **citat**.")
               .replace("| Föreningen |", "| Föreningen Hjälpande Händer i Norr |")
               .replace("40 % |", "40 % |\n| Staten | 0 kr | 0 % |")
               .replace("Efter tabellen.", "## Efter tabellen"))
    new = markdown_to_docx(changed, title="T", header_text="Kommunen", date=when)
    assert_valid(old, "Markdown-dokumentet")
    tracked = tracked_changes_docx(old, new, when)
    document = _part(tracked, "word/document.xml")
    for tag in (b"<w:rPrChange ", b"<w:pPrChange ", b"<w:tblGridChange ",
                b"<w:tcPrChange ", b"<w:ins "):
        assert tag in document, tag
    assert_valid(tracked, "spårade ändringar i Markdown-dokumentet")


def test_the_schema_check_finds_order_and_missing_attributes(runner, tmp_path):
    """The check can fail: what Word would repair is reported."""
    from lxml import etree

    result = run(runner, "render", CANONICAL, "-o", tmp_path, "--datum", DATE)
    assert result.exit_code == 0, result.output
    data = (tmp_path / f"{CANONICAL.stem}-avtal.docx").read_bytes()

    document = etree.fromstring(_part(data, "word/document.xml"))
    ppr = next(p for p in document.iter(f"{W}pPr") if len(p) > 1)
    ppr.append(ppr.find(f"{W}pStyle"))  # pStyle must come first
    assert any("pStyle" in e and "not expected" in e
               for e in schema_errors(etree.tostring(document)))

    numbering = etree.fromstring(_part(data, "word/numbering.xml"))
    del numbering.find(f"{W}num").attrib[f"{W}numId"]
    assert any("numId" in e and "required" in e for e in schema_errors(etree.tostring(numbering)))

    styles = etree.fromstring(_part(data, "word/styles.xml"))
    styles.find(f"{W}style").set(f"{W}type", "kapitel")
    assert any("kapitel" in e for e in schema_errors(etree.tostring(styles)))
