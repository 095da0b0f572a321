"""What reaches the terminal, a redirected file or a pipe (issues 22 and 28): control
characters from a spec are shown escaped, an encoding that lacks a character gets a
replacement instead of a crash, a closed or broken stream ends the run quietly, and on
Windows a redirected stream is UTF-8."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CANONICAL

ESC = "\x1b"
HOSTILE = f"{ESC}[2J{ESC}]0;titel\x07\u202e"


def iopkit(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
           **kwargs):
    return subprocess.run([sys.executable, "-m", "iopkit", *map(str, args)],
                          capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})}, **kwargs)


@pytest.fixture
def lodz(tmp_path, canonical_text) -> Path:
    """A spec named Łódź whose organisation number is wrong (a finding quotes it)."""
    path = tmp_path / "Łódź.yaml"
    path.write_text(canonical_text.replace("802461-3575", "Łódź 80246"), encoding="utf-8")
    return path


def test_control_characters_in_names_and_values_are_shown_escaped(tmp_path, canonical_text):
    hostile = tmp_path / f"a{HOSTILE}.yaml"
    hostile.write_text(canonical_text, encoding="utf-8")
    changed = tmp_path / "ny.yaml"
    line = "  namn: Dagverksamhet för EU-medborgare i utsatthet\n"
    assert line in canonical_text
    changed.write_text(canonical_text.replace(
        line, '  namn: "Dagverksamhet \\e[2J\\e]0;titel\\a\\u202e"\n'), encoding="utf-8")
    for args in (["check", hostile], ["diff", hostile, changed], ["diff", CANONICAL, changed],
                 ["check", "-v", changed]):
        result = iopkit(*args)
        shown = result.stdout.decode() + result.stderr.decode()
        assert ESC not in shown and "\x07" not in shown and "\u202e" not in shown, args
        assert "Internt fel" not in shown
    assert "\\u001b[2J" in iopkit("check", hostile).stdout.decode()


def test_rich_output_on_a_terminal_keeps_its_colours_but_not_the_specs_codes():
    from rich.text import Text

    from iopkit.streams import safe_console

    buffer = io.StringIO()
    console = safe_console(file=buffer, force_terminal=True, color_system="standard")
    line = Text()
    line.append("fil.yaml: ", style="bold")
    line.append(f"värdet {HOSTILE} slut", style="red")
    console.print(line)
    console.print(f"Skrev {HOSTILE}")
    out = buffer.getvalue()
    assert f"{ESC}[2J" not in out and f"{ESC}]0" not in out and "\u202e" not in out
    assert "\\u001b[2J" in out and "\\u202e" in out
    assert f"{ESC}[1m" in out  # rich's own bold is still there


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp437", "cp1252"])
def test_any_stdout_encoding_gets_replacements_not_a_crash(encoding, lodz, tmp_path):
    other = tmp_path / "Gdańsk.yaml"
    other.write_text(CANONICAL.read_text(encoding="utf-8"), encoding="utf-8")
    env = {"PYTHONIOENCODING": encoding}
    for args in (["check", lodz], ["regler"], ["schema"], ["diff", other, lodz],
                 ["check", "--format", "json", lodz]):
        result = iopkit(*args, env=env)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert b"Internt fel" not in result.stderr and b"Traceback" not in result.stderr
        result.stdout.decode(encoding)  # what was written is valid in that encoding
    check = iopkit("check", lodz, env=env).stdout.decode(encoding)
    assert "d?.yaml:" in check  # "Łódź" with "?" for what the encoding lacks
    assert "IOP015" in check


def test_redirect_to_a_file_keeps_utf8_on_linux(lodz, tmp_path):
    target = tmp_path / "fel.txt"
    with open(target, "wb") as handle:
        result = subprocess.run([sys.executable, "-m", "iopkit", "check", lodz],
                                stdout=handle, stderr=subprocess.PIPE, timeout=120,
                                env={k: v for k, v in os.environ.items()
                                     if k != "PYTHONIOENCODING"})
    assert result.returncode == 1
    assert "Łódź.yaml" in target.read_text(encoding="utf-8")


def _closed(fd: int, *args: str | Path):
    """Run iopkit with file descriptor `fd` closed, as `>&-` or `2>&-` does."""
    return subprocess.run(
        ["sh", "-c", f'exec "$0" -m iopkit "$@" {fd}>&-', sys.executable, *map(str, args)],
        capture_output=True, timeout=120)


def test_closed_stdout_is_not_an_internal_error(lodz):
    result = _closed(1, "check", CANONICAL)
    assert result.returncode in (0, 1) and result.stderr == b""
    assert _closed(1, "check", lodz).returncode == 1
    assert _closed(1, "regler").returncode == 0


def test_render_with_closed_stderr_succeeds(tmp_path):
    out = tmp_path / "ut"
    result = _closed(2, "render", CANONICAL, "-o", out, "-f", "md", "--datum", "2026-01-15")
    assert result.returncode == 0, result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["dagverksamhet-avtal.md",
                                                      "dagverksamhet-checklista.md"]


def test_a_reader_that_goes_away_ends_the_run_quietly():
    process = subprocess.Popen([sys.executable, "-m", "iopkit", "regler"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0 and stderr == b""


def test_windows_redirect_is_utf8(monkeypatch):
    """On Windows a redirected stdout is cp1252 by default: iopkit makes it UTF-8."""
    from iopkit import streams

    monkeypatch.setattr(streams, "on_windows", lambda: True)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    raw = io.BytesIO()
    fake = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", fake)
    with streams.safe_streams():
        sys.stdout.write("Łódź: fel\n")
        sys.stdout.flush()
    assert raw.getvalue().decode("utf-8") == "Łódź: fel\n"


def test_windows_honours_an_explicit_encoding_and_replaces(monkeypatch):
    from iopkit import streams

    monkeypatch.setattr(streams, "on_windows", lambda: True)
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    with streams.safe_streams():
        sys.stdout.write("Łódź\n")
        sys.stdout.flush()
    assert raw.getvalue().decode("cp1252") == "?ód?\n"


def test_visible_escapes_every_control_character_but_newline_and_tab():
    from iopkit.streams import visible

    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("\x00\x1b\x7f\x9b\u202e\u2066") == \
        "\\u0000\\u001b\\u007f\\u009b\\u202e\\u2066"
    assert visible("å ä ö – ”citat”") == "å ä ö – ”citat”"
