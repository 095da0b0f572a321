"""`iopkit mallar KATALOG`: the templates copied out, edited and passed back."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from conftest import CANONICAL, run
from render_helpers import docx_text, norm

from iopkit.documents.kinds import KINDS


def test_round_trip_edit_one_clause_and_render_it(runner, tmp_path):
    spec = tmp_path / "dagverksamhet.yaml"
    shutil.copy(CANONICAL, spec)
    own = tmp_path / "vara-mallar"
    result = run(runner, "mallar", own)
    assert result.exit_code == 0, result.output
    assert f"--mallar {own}" in result.stderr
    # Every document kind's folder, its helpers, and the Word base.
    for kind in KINDS:
        assert list((own / kind.name).glob("*.md.j2")), kind.name
    assert (own / "avtal" / "_stod-av-mindre-betydelse.md.j2").is_file()
    assert zipfile.is_zipfile(own / "grund.docx")

    clause = own / "avtal" / "16-kommunikation.md.j2"
    text = clause.read_text(encoding="utf-8")
    edited = text.replace("## {{ paragraf(\"kommunikation\") }} Kommunikation",
                          "## {{ paragraf(\"kommunikation\") }} Kommunikation och logotyper")
    assert edited != text
    edited += "\nStrömsby kommuns grafiska profil gäller för allt gemensamt material.\n"
    clause.write_text(edited, encoding="utf-8")
    memo = own / "tjansteskrivelse" / "03-arendet.md.j2"
    memo.write_text(memo.read_text(encoding="utf-8").replace(
        "### Beslutsunderlag", "### Underlag för beslut"), encoding="utf-8")

    result = run(runner, "render", spec, "--mallar", own, "--referens-docx",
                 own / "grund.docx", "--dokument", "avtal,tjansteskrivelse",
                 "--datum", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert "används inte" not in result.output  # grund.docx is not a stray template
    agreement = norm(docx_text(spec.with_name("dagverksamhet-avtal.docx")))
    assert "Kommunikation och logotyper" in agreement
    assert "Strömsby kommuns grafiska profil gäller för allt gemensamt material." in agreement
    memo_text = norm(docx_text(spec.with_name("dagverksamhet-tjansteskrivelse.docx")))
    assert "Underlag för beslut" in memo_text and "Beslutsunderlag" not in memo_text


def test_refuses_to_overwrite_without_force(runner, tmp_path):
    own = tmp_path / "mallar"
    assert run(runner, "mallar", own).exit_code == 0
    clause = own / "avtal" / "16-kommunikation.md.j2"
    clause.write_text("egen text\n", encoding="utf-8")
    result = run(runner, "mallar", own)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr and "--force" in result.stderr
    assert clause.read_text(encoding="utf-8") == "egen text\n"
    result = run(runner, "mallar", own, "--force")
    assert result.exit_code == 0, result.output
    assert clause.read_text(encoding="utf-8") != "egen text\n"


def test_refuses_a_file_as_directory(runner, tmp_path):
    target = tmp_path / "fil.txt"
    target.write_text("x", encoding="utf-8")
    result = run(runner, "mallar", target)
    assert result.exit_code == 2 and "ingen katalog" in result.stderr


def test_never_writes_through_a_symlinked_folder(runner, tmp_path):
    outside = tmp_path / "utanfor"
    outside.mkdir()
    own = tmp_path / "mallar"
    own.mkdir()
    (own / "uppfoljning").symlink_to(outside, target_is_directory=True)
    result = run(runner, "mallar", own, "--force")
    assert result.exit_code == 2 and "symbolisk länk" in result.stderr
    assert not list(outside.iterdir())
    assert not Path(own / "checklista").exists()


def test_the_amendment_annex_uses_the_copied_templates(runner, tmp_path):
    old = tmp_path / "avtal.yaml"
    new = tmp_path / "avtal-2028.yaml"
    shutil.copy(CANONICAL, old)
    shutil.copy(CANONICAL.parent.parent / "tests" / "data" / "dagverksamhet-v2.yaml", new)
    own = tmp_path / "mallar"
    assert run(runner, "mallar", own).exit_code == 0
    clause = own / "tillagg" / "05-giltighet.md.j2"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "I övrigt gäller avtalet oförändrat.",
        "I övrigt gäller avtalet, med tidigare tillägg, oförändrat."), encoding="utf-8")
    result = run(runner, "diff", old, new, "-f", "md", "--mallar", own, "--datum",
                 "2027-11-01")
    assert result.exit_code == 0, result.output
    annex = norm(new.with_name("avtal-2028-tillagg.md").read_text(encoding="utf-8"))
    assert "I övrigt gäller avtalet, med tidigare tillägg, oförändrat." in annex
    assert "Tillägg nr 1 till avtal om idéburet offentligt partnerskap" in annex
