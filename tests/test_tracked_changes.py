"""`iopkit diff --format docx --spårade-ändringar`: the new agreement with every
difference from the old one as Word's tracked changes.

Accept all and Reject all are applied to the XML here the way Word applies them; the
results must read exactly like `iopkit render` of the new and of the old version,
paragraph by paragraph and cell by cell, with the same styles and run formatting.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import CANONICAL, EXAMPLES, ROOT, dump, load_canonical_data, run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
V2 = ROOT / "tests" / "data" / "dagverksamhet-v2.yaml"
DATE = "2026-05-04"
CHANGE_TAGS = ("rPrChange", "pPrChange", "tcPrChange", "trPrChange", "tblGridChange",
               "tblPrChange")


def body(data: bytes):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml")).find(f"{W}body")


def _mark_of(element, tag: str) -> bool:
    """The paragraph mark (pPr/rPr) or the row (trPr) carries w:ins or w:del."""
    props = element.find(f"{W}pPr/{W}rPr") if element.tag == f"{W}p" else \
        element.find(f"{W}trPr")
    return props is not None and props.find(f"{W}{tag}") is not None


def _drop_paragraph_mark(p) -> None:
    """Removing a paragraph mark joins what is left of the paragraph to the next one.
    The last mark of the body or of a table cell cannot go (Word keeps it): the
    paragraph stays, with its properties."""
    rest = [child for child in p if child.tag != f"{W}pPr"]
    following = p.getnext()
    if following is None or following.tag == f"{W}sectPr":
        p.find(f"{W}pPr/{W}rPr").clear()  # the mark stays, unrevised
        return
    if rest and following.tag == f"{W}p":
        anchor = following.find(f"{W}pPr")
        for child in reversed(rest):
            if anchor is not None:
                anchor.addnext(child)
            else:
                following.insert(0, child)
    p.getparent().remove(p)


def resolve(data: bytes, accept: bool):
    """The body after Word's Accept all (accept=True) or Reject all."""
    root = copy.deepcopy(body(data))
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for row in list(root.iter(f"{W}tr")):
        if _mark_of(row, drop):
            row.getparent().remove(row)
    for table in list(root.iter(f"{W}tbl")):  # Word removes a table whose rows all go
        if table.find(f"{W}tr") is None:
            table.getparent().remove(table)
    for wrapper in list(root.iter(f"{W}{drop}")):
        if wrapper.getparent().tag == f"{W}p":  # inline runs, not a mark
            wrapper.getparent().remove(wrapper)
    for wrapper in list(root.iter(f"{W}{keep}")):
        parent = wrapper.getparent()
        if parent.tag == f"{W}p":
            for run_ in wrapper:
                for text in run_:
                    if text.tag == f"{W}delText":
                        text.tag = f"{W}t"
                    elif text.tag == f"{W}delInstrText":  # a field in a deleted paragraph
                        text.tag = f"{W}instrText"
                wrapper.addprevious(run_)
            parent.remove(wrapper)
    for p in list(root.iter(f"{W}p")):
        if _mark_of(p, drop):
            _drop_paragraph_mark(p)
    for mark in list(root.iter(f"{W}ins", f"{W}del")):
        props = mark.getparent()
        props.remove(mark)
        if props.tag == f"{W}rPr" and len(props) == 0 and props.getparent().tag == f"{W}pPr":
            props.getparent().remove(props)
    for change in list(root.iter(*[f"{W}{tag}" for tag in CHANGE_TAGS])):
        props = change.getparent()
        if accept:
            props.remove(change)
            continue
        previous = change[0] if len(change) else None
        if change.tag == f"{W}pPrChange":
            for child in [c for c in props if c.tag not in (f"{W}rPr", f"{W}sectPr")]:
                props.remove(child)
            for child in reversed(list(previous)):
                props.insert(0, child)
        elif change.tag == f"{W}tblGridChange":
            props.getparent().replace(props, previous)
        else:  # rPrChange, tcPrChange …: the old properties element replaces the new one
            previous.tag = props.tag
            props.getparent().replace(props, previous)
    return root


def _runs_signature(p) -> list[tuple[str, str]]:
    """(formatting, text) of the paragraph's runs, neighbours with equal formatting
    joined: how the text looks, however it is split into runs."""
    from lxml import etree

    result: list[tuple[str, str]] = []
    for run_ in p.iter(f"{W}r"):
        rpr = run_.find(f"{W}rPr")
        look = etree.tostring(rpr, method="c14n", exclusive=True).decode() \
            if rpr is not None and len(rpr) else ""
        text = "".join(t.text or "" if t.tag == f"{W}t" else f"<{etree.QName(t).localname}>"
                       for t in run_ if t.tag != f"{W}rPr")
        if result and result[-1][0] == look:
            result[-1] = (look, result[-1][1] + text)
        elif text:
            result.append((look, text))
    return result


def _paragraph_signature(p) -> tuple:
    from lxml import etree

    ppr = copy.deepcopy(p.find(f"{W}pPr"))
    if ppr is not None:
        for num_id in ppr.iter(f"{W}numId"):  # list instances are renumbered
            num_id.set(f"{W}val", "N")
        look = etree.tostring(ppr, method="c14n", exclusive=True).decode() if len(ppr) else ""
    else:
        look = ""
    return ("p", look, tuple(_runs_signature(p)))


def blocks(root) -> list[tuple]:
    """Every paragraph and every table cell's paragraphs, in order, with formatting."""
    result = []
    for block in root:
        if block.tag == f"{W}p":
            result.append(_paragraph_signature(block))
        elif block.tag == f"{W}tbl":
            grid = tuple(c.get(f"{W}w") for c in block.iter(f"{W}gridCol"))
            rows = tuple(tuple(tuple(_paragraph_signature(p) for p in tc.findall(f"{W}p"))
                               for tc in tr.findall(f"{W}tc"))
                         for tr in block.findall(f"{W}tr"))
            result.append(("tbl", grid, rows))
    return result


def assert_same_blocks(actual_root, expected_data: bytes) -> None:
    actual, expected = blocks(actual_root), blocks(body(expected_data))
    for number, (a, b) in enumerate(zip(actual, expected)):
        assert a == b, f"block {number} differs"
    assert len(actual) == len(expected)


def assert_last_marks_unrevised(root) -> None:
    """Word can neither insert nor delete the last paragraph mark of the body or of a
    table cell: Reject all would leave an empty paragraph there."""
    containers = [root, *root.iter(f"{W}tc")]
    for container in containers:
        last = container.findall(f"{W}p")[-1]
        assert not _mark_of(last, "ins") and not _mark_of(last, "del")


def render_agreement(runner, spec: Path, out: Path, *extra) -> bytes:
    out.mkdir(exist_ok=True)
    result = run(runner, "render", spec, "-o", out, "--datum", DATE, *extra)
    assert result.exit_code == 0, result.output
    return (out / f"{spec.stem}-avtal.docx").read_bytes()


def tracked(runner, old: Path, new: Path, target: Path, *extra) -> bytes:
    result = run(runner, "diff", old, new, "--format", "docx", "--spårade-ändringar",
                 "-o", target, "--datum", DATE, *extra)
    assert result.exit_code == 0, result.output
    return target.read_bytes()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "avtal-2027.yaml", tmp_path / "avtal-2028.yaml"
    shutil.copy(CANONICAL, old)
    shutil.copy(V2, new)
    return old, new


def round_trip(runner, old: Path, new: Path, tmp_path: Path, *extra) -> bytes:
    """The tracked-changes document, after checking that Accept all gives `render` of
    the new version and Reject all `render` of the old one."""
    data = tracked(runner, old, new, tmp_path / "spårat.docx", *extra)
    assert_last_marks_unrevised(body(data))
    assert_same_blocks(resolve(data, accept=True),
                       render_agreement(runner, new, tmp_path / "ny", *extra))
    assert_same_blocks(resolve(data, accept=False),
                       render_agreement(runner, old, tmp_path / "gammal", *extra))
    return data


def test_accept_all_gives_new_and_reject_all_gives_old(runner, versions, tmp_path):
    round_trip(runner, *versions, tmp_path)


def test_changes_are_words_paragraphs_and_rows_by_iopkit(runner, versions, tmp_path):
    old, new = versions
    root = body(tracked(runner, old, new, tmp_path / "spårat.docx"))
    marks = list(root.iter(f"{W}ins", f"{W}del"))
    assert marks and all(m.get(f"{W}author") == "iopkit" for m in marks)
    assert {m.get(f"{W}date") for m in marks} == {f"{DATE}T00:00:00Z"}
    # (A bookmark's end repeats the id of its start.)
    ids = [m.get(f"{W}id") for m in root.iter()
           if m.get(f"{W}id") is not None and m.tag != f"{W}bookmarkEnd"]
    assert len(ids) == len(set(ids)), "every revision and bookmark has its own id"
    names = [m.get(f"{W}name") for m in root.iter(f"{W}bookmarkStart")]
    assert names and len(names) == len(set(names))
    ends = {m.get(f"{W}id") for m in root.iter(f"{W}bookmarkEnd")}
    assert ends == {m.get(f"{W}id") for m in root.iter(f"{W}bookmarkStart")}
    # Word level: "minst 15 000" -> "minst 16 000" deletes and inserts the number only.
    deleted = [("".join(t.text for t in d.iter(f"{W}delText"))) for d in root.iter(f"{W}del")]
    inserted = [("".join(t.text for t in i.iter(f"{W}t"))) for i in root.iter(f"{W}ins")]
    assert "15" in deleted and "16" in inserted
    # Track Changes stays on for the reader's own edits, after w:zoom as the schema says.
    from lxml import etree

    with zipfile.ZipFile(tmp_path / "spårat.docx") as package:
        settings = etree.fromstring(package.read("word/settings.xml"))
    names = [etree.QName(child).localname for child in settings]
    assert names.index("trackRevisions") == names.index("zoom") + 1
    # Whole table rows: the new party's resource is an inserted row (its description
    # after "personal:" in lower case).
    inserted_rows = [tr for tr in root.iter(f"{W}tr")
                     if tr.find(f"{W}trPr/{W}ins") is not None]
    assert any("sjuksköterska fyra timmar" in "".join(t.text or "" for t in tr.iter(f"{W}t"))
               for tr in inserted_rows)
    # Whole paragraphs: the removed goal M2 is a deleted paragraph (its mark too).
    deleted_paragraphs = [p for p in root.iter(f"{W}p")
                          if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]
    assert any("vägledning som stärker" in "".join(t.text for t in p.iter(f"{W}delText"))
               for p in deleted_paragraphs)
    # Deleted text is never plain text, inserted text never deleted text.
    for wrapper in root.iter(f"{W}del"):
        assert wrapper.find(f".//{W}t") is None
    for wrapper in root.iter(f"{W}ins"):
        assert wrapper.find(f".//{W}delText") is None


def _with_appendices(tmp_path: Path, name: str, appendices: list[str]) -> Path:
    data = load_canonical_data()
    data["bilagor"] = appendices
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def test_last_paragraph_removed_or_added(runner, tmp_path):
    """The agreement ends with its list of appendices: removing the last one deletes the
    document's last paragraph, adding one inserts it."""
    two = _with_appendices(tmp_path, "två.yaml", ["Verksamhetsplan", "Budget"])
    one = _with_appendices(tmp_path, "en.yaml", ["Verksamhetsplan"])
    for old, new in ((two, one), (one, two)):
        work = tmp_path / f"{old.stem}-{new.stem}"
        work.mkdir()
        data = round_trip(runner, old, new, work)
        assert body(data).find(f".//{W}delText" if old == two else f".//{W}ins") is not None


def test_formatting_only_change_is_a_formatting_revision():
    """Text that stays but changes formatting or paragraph style is rPrChange/pPrChange;
    reject restores the old formatting."""
    from iopkit.writers.word.docx import markdown_to_docx
    from iopkit.writers.word.tracked import tracked_changes_docx
    import datetime as dt

    when = dt.date(2026, 5, 4)
    old = markdown_to_docx("# T\n\nEtt viktigt villkor.\n\nRubrik\n", title="T",
                           header_text="T", date=when)
    new = markdown_to_docx("# T\n\nEtt **viktigt** villkor.\n\n## Rubrik\n", title="T",
                           header_text="T", date=when)
    data = tracked_changes_docx(old, new, when)
    root = body(data)
    assert root.find(f".//{W}rPrChange") is not None
    assert root.find(f".//{W}pPrChange") is not None
    assert root.find(f".//{W}ins") is None and root.find(f".//{W}del") is None
    assert_same_blocks(resolve(data, accept=True), new)
    assert_same_blocks(resolve(data, accept=False), old)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_any_two_agreements_round_trip(runner, tmp_path, example):
    """Generic over the documents: even two different partnerships merge so that accept
    and reject give each of them back."""
    other = CANONICAL if example != CANONICAL else EXAMPLES / "kvinnojour.yaml"
    data = round_trip(runner, other, example, tmp_path)
    # Every list paragraph, kept or deleted, refers to a list the numbering part defines.
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        numbering = etree.fromstring(package.read("word/numbering.xml"))
    defined = {n.get(f"{W}numId") for n in numbering.iter(f"{W}num")}
    used = {n.get(f"{W}val") for n in body(data).iter(f"{W}numId")}
    # numId 0 is "no list": the headings outside the § list (Underskrifter, Bilagor).
    assert used and used - {"0"} <= defined


def test_with_own_templates_and_reference_docx(runner, versions, tmp_path):
    old, new = versions
    templates = tmp_path / "mallar"
    (templates / "avtal").mkdir(parents=True)
    (templates / "avtal" / "03-bakgrund.md.j2").write_text(
        "## {{ paragraf() }} Bakgrund enligt kommunens mall\n\n"
        "Partnerskapet heter {{ partnerskap.namn }} och gäller till och med "
        "{{ avtalsperiod.slut|datum }}.\n", encoding="utf-8")
    reference = tmp_path / "brevmall.docx"
    from docx import Document

    document = Document()
    document.styles["Normal"].font.name = "Georgia"
    document.save(str(reference))
    extra = ("--mallar", templates, "--referens-docx", reference)
    data = round_trip(runner, old, new, tmp_path, *extra)
    text = "".join(t.text or "" for t in body(data).iter(f"{W}t"))
    assert "Bakgrund enligt kommunens mall" in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"Georgia" in package.read("word/styles.xml")


def test_deterministic_and_default_name(runner, versions, tmp_path):
    old, new = versions
    result = run(runner, "diff", old, new, "-f", "docx", "--spårade-ändringar",
                 "--datum", DATE)
    assert result.exit_code == 0, result.output
    target = new.with_name("avtal-2028-avtal-andringar.docx")
    assert "som spårade ändringar" in result.output
    first = target.read_bytes()
    result = run(runner, "diff", old, new, "-f", "docx", "--spårade-ändringar",
                 "--datum", DATE, "--force")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == first


def test_same_version_writes_nothing(runner, versions):
    old, _ = versions
    result = run(runner, "diff", old, old, "-f", "docx", "--spårade-ändringar")
    assert result.exit_code == 0
    assert "Inga ändringar i sak. Inget dokument har skrivits." in result.output
    assert not list(old.parent.glob("*.docx"))


def test_annex_uses_the_reference_docx_too(runner, versions, tmp_path):
    from docx import Document

    old, new = versions
    reference = tmp_path / "brevmall.docx"
    document = Document()
    document.styles["Normal"].font.name = "Georgia"
    document.save(str(reference))
    target = tmp_path / "tillagg.docx"
    result = run(runner, "diff", old, new, "-f", "docx", "-o", target,
                 "--referens-docx", reference)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as package:
        assert b"Georgia" in package.read("word/styles.xml")


def test_usage_errors_in_swedish(runner, versions, tmp_path):
    old, new = versions
    result = run(runner, "diff", old, new, "--spårade-ändringar")
    assert result.exit_code == 2 and "--format docx" in result.output
    result = run(runner, "diff", old, new, "--mallar", tmp_path)
    assert result.exit_code == 2 and "--format md eller docx" in result.output
    result = run(runner, "diff", old, new, "-f", "docx", "--spårade-ändringar",
                 "--mallar", tmp_path / "saknas")
    assert result.exit_code == 2 and "saknas" in result.output
    result = run(runner, "diff", old, new, "--referens-docx", tmp_path / "mall.docx")
    assert result.exit_code == 2 and "--format docx" in result.output
    assert not list(tmp_path.glob("*.docx"))


@pytest.mark.libreoffice
def test_opens_in_libreoffice_with_changes(runner, versions, tmp_path):
    from iopkit.writers.pdf.libreoffice import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) är inte installerat")
    old, new = versions
    tracked(runner, old, new, tmp_path / "spårat.docx")
    completed = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
         "--convert-to", "odt", "--outdir", str(tmp_path), str(tmp_path / "spårat.docx")],
        capture_output=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    with zipfile.ZipFile(tmp_path / "spårat.odt") as package:
        content = package.read("content.xml").decode()
    # LibreOffice read the revisions as its own tracked changes, by iopkit.
    assert "<text:tracked-changes" in content
    assert content.count("<text:changed-region") >= 20
    assert "iopkit" in content


def test_a_section_inserted_in_the_middle(runner, tmp_path):
    """The new version has one § more in the middle (children take part): the § headings
    after it are the same paragraphs as before (Word's list gives them their new
    numbers), and the references to them change only in their field results."""
    old, new = tmp_path / "utan-barn.yaml", tmp_path / "med-barn.yaml"
    shutil.copy(CANONICAL, old)
    new.write_text(CANONICAL.read_text(encoding="utf-8").replace("  barn: nej", "  barn: ja", 1),
                   encoding="utf-8")
    data = round_trip(runner, old, new, tmp_path)
    root = body(data)

    def text(p):
        return "".join(t.text or "" for t in p.iter(f"{W}t"))

    headings = {text(p): p for p in root.iter(f"{W}p")
                if p.find(f"{W}bookmarkStart") is not None}
    inserted = headings["Barnets rättigheter och registerkontroll"]
    assert _mark_of(inserted, "ins")
    kept = headings["Ändringar och tillägg"]
    assert not _mark_of(kept, "ins") and not _mark_of(kept, "del")
    assert kept.find(f".//{W}ins") is None and kept.find(f".//{W}del") is None
    # "enligt § 16" became "enligt § 17": inside the REF field's result only.
    name = kept.find(f"{W}bookmarkStart").get(f"{W}name")
    changed = [instr for instr in root.iter(f"{W}instrText") if name in instr.text]
    assert changed
    for instr in changed:
        paragraph = next(instr.iterancestors(f"{W}p"))
        deleted = "".join(t.text for t in paragraph.iter(f"{W}delText"))
        assert deleted.strip(), text(paragraph)
