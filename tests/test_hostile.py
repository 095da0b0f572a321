"""Hostile and broken inputs: each gets a clear Swedish message, never a traceback.

The small inputs live in tests/hostile/ (one file each); the large ones are generated
here. Large inputs run in a separate process with a memory limit and a timeout, so a
regression shows up as a killed or hung process rather than a slow test suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run

HOSTILE = Path(__file__).parent / "hostile"

# file name -> (exit code, finding code or None, line, fragment of the message)
EXPECTED = {
    "tom.yaml": (1, "IOP003", 1, "Filen är tom"),
    "bara-kommentarer.yaml": (1, "IOP003", 1, "bara kommentarer"),
    "lista-som-rot.yaml": (1, "IOP003", 1, "översta nivå är en lista"),
    "latin1.yaml": (1, "IOP002", 3, "Latin-1"),
    "tabbar.yaml": (1, "IOP001", 3, "tabbtecken"),
    "nul-tecken.yaml": (1, "IOP002", 3, "NUL-tecken"),
    "styrtecken.yaml": (1, "IOP001", 3, "styrtecken"),
    "alias-bomb.yaml": (1, "IOP001", 1, "för många värden"),
    "flera-dokument.yaml": (1, "IOP001", 2, "flera YAML-dokument"),
    "nyckel-som-lista.yaml": (1, "IOP001", 2, "En nyckel måste vara ett ord"),
    "oavslutat-citat.yaml": (1, "IOP001", 4, "citattecken"),
    "bom-crlf.yaml": (0, None, None, "OK"),
    "utf16-med-bom.yaml": (0, None, None, "OK"),
    "utf16-utan-bom.yaml": (0, None, None, "OK"),
    "xml-forbjudna-tecken.yaml": (0, None, None, "OK"),
}


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(runner, name):
    exit_code, code, line, fragment = EXPECTED[name]
    path = HOSTILE / name
    result = run(runner, "check", path)
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if code is None:
        assert f"{path}: {fragment}" in result.stdout
        return
    [finding] = [line_ for line_ in result.stdout.splitlines() if f" {code} " in line_]
    assert finding.startswith(f"{path}:{line}:"), finding
    assert fragment in finding


def run_limited(args: list[str], cwd: Path, memory_mb: int = 1024, timeout: float = 60):
    """Run iopkit in its own process under an address-space limit and a hang guard."""

    def limit() -> None:
        limit_bytes = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "iopkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


def test_fifty_megabyte_file(tmp_path):
    big = tmp_path / "stor.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("iopkit: 1\npartnerskap:\n  bakgrund: |\n")
        line = "    " + "text " * 20 + "\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    result = run_limited(["check", str(big)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "IOP003" in result.stdout and "50.0 MB" in result.stdout
    assert "Traceback" not in result.stderr


def test_ten_thousand_levels_of_nesting(tmp_path):
    deep = tmp_path / "djup.yaml"
    deep.write_text("iopkit: 1\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    result = run_limited(["check", str(deep)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "för djupt nästlad" in result.stdout
    assert "Traceback" not in result.stderr


def test_deep_block_nesting(tmp_path):
    deep = tmp_path / "djup-block.yaml"
    deep.write_text("iopkit: 1\nx:\n" + "".join(" " * i + "- \n" for i in range(1, 3000))
                    , encoding="utf-8")
    result = run_limited(["check", str(deep)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_alias_bomb_in_separate_process_is_bounded(tmp_path):
    result = run_limited(["check", str(HOSTILE / "alias-bomb.yaml")], tmp_path, memory_mb=512)
    assert result.returncode == 1
    assert "för många värden" in result.stdout


def test_directory_given_as_spec_with_no_yaml(runner, tmp_path):
    result = run(runner, "check", tmp_path)
    assert result.exit_code == 2
    assert "inga .yaml-filer" in result.stderr


def test_missing_file(runner, tmp_path):
    result = run(runner, "check", tmp_path / "saknas.yaml")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr


def test_very_long_value_is_not_echoed(runner, tmp_path, canonical_text):
    secret = "Konfidentiell uppgift om en enskild person. " * 500
    spec = tmp_path / "lang.yaml"
    spec.write_text(canonical_text.replace("typ: ideell förening", f"typ: {secret}"),
                    encoding="utf-8")
    result = run(runner, "check", spec)
    assert result.exit_code == 1
    assert len(result.output) < 2000
    assert "Konfidentiell uppgift om en enskild person. Konfidentiell" not in result.output


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_through_render(runner, tmp_path, name):
    """render answers like check; an unreadable spec writes nothing, a readable one
    writes documents without the characters XML forbids."""
    exit_code = EXPECTED[name][0]
    out = tmp_path / "ut"
    out.mkdir()
    result = run(runner, "render", HOSTILE / name, "-o", out, "--format", "docx,md,html")
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    written = sorted(out.iterdir())
    if exit_code:
        assert written == []
        return
    assert len(written) == 6
    import zipfile

    for path in written:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                parts = [archive.read(n) for n in archive.namelist() if n.endswith(".xml")]
        else:
            parts = [path.read_bytes()]
        for data in parts:
            assert not any(c in data for c in (b"\x00", b"\x0b", b"\x1b")), path.name
    if name == "xml-forbjudna-tecken.yaml":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(out / (Path(name).stem +
                                                                  "-avtal.docx"))).paragraphs)
        assert "DagcenterVäst" in text


def test_internal_error_is_exit_3_without_traceback(monkeypatch, capsys):
    """A bug in iopkit is reported plainly, never as a traceback (slutstatus 3)."""
    import iopkit.check
    from iopkit import cli

    def broken(*args, **kwargs):
        raise RuntimeError("simulerat programfel")

    monkeypatch.setattr(iopkit.check, "check_file", broken)
    # `check` reads specs and follow-up files alike through check_any_file.
    monkeypatch.setattr(iopkit.check, "check_any_file", broken)
    monkeypatch.setattr(sys, "argv", ["iopkit", "check", str(HOSTILE / "tom.yaml")])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "Internt fel i iopkit" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("opener", ["[", "{"])
def test_deep_nesting_in_a_batch_names_the_place_and_the_batch_goes_on(tmp_path, opener):
    """25,000 levels in 50 KB once crashed the interpreter and took the batch down."""
    specs = tmp_path / "specar"
    specs.mkdir()
    canonical = Path(__file__).resolve().parent.parent / "examples" / "dagverksamhet.yaml"
    (specs / "a.yaml").write_bytes(canonical.read_bytes())
    (specs / "djup.yaml").write_text("iopkit: 1\npartnerskap:\n  namn: " + opener * 25_000 +
                                     "\n", encoding="utf-8")
    (specs / "c.yaml").write_bytes(canonical.read_bytes())
    result = run_limited(["check", str(specs)], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [finding] = [line for line in result.stdout.splitlines() if "djup.yaml:" in line]
    assert finding.startswith(f"{specs / 'djup.yaml'}:3:"), finding
    assert "för djupt nästlad på rad 3, kolumn" in finding
    assert f"{specs / 'a.yaml'}: OK" in result.stdout
    assert f"{specs / 'c.yaml'}: OK" in result.stdout


def test_deep_nesting_in_render_batch_renders_the_others(tmp_path):
    specs = tmp_path / "specar"
    specs.mkdir()
    canonical = Path(__file__).resolve().parent.parent / "examples" / "dagverksamhet.yaml"
    (specs / "a.yaml").write_bytes(canonical.read_bytes())
    (specs / "djup.yaml").write_text("iopkit: 1\nx: " + "{a: " * 25_000 + "\n",
                                     encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    result = run_limited(["render", str(specs), "-o", str(out), "-f", "md"], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "för djupt nästlad" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a-avtal.md", "a-checklista.md"]
