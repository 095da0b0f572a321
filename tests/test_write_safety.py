"""Writing outputs (issues 22 and 28): one run's files are one set even when two runs
write into one directory, an interrupted run leaves no temporary file (and a later run
removes what a killed one left), a replaced file keeps its permissions, and Windows'
file-system habits (no hard links on FAT, a file open in Word) lose nothing."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CANONICAL, run

DATE = ("--datum", "2026-01-15")


def iopkit_process(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "iopkit", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture
def two_specs(tmp_path, canonical_text) -> tuple[Path, Path]:
    """Two partnerships whose outputs have the same names (avtal-avtal.md …)."""
    first, second = tmp_path / "a" / "avtal.yaml", tmp_path / "b" / "avtal.yaml"
    for path, number in ((first, "1111"), (second, "2222")):
        path.parent.mkdir()
        path.write_text(canonical_text.replace("SNC 2026/0418", f"SNC 2026/{number}"),
                        encoding="utf-8")
    return first, second


def _origin(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    found = {number for number in ("1111", "2222") if f"2026/{number}" in text}
    assert len(found) == 1, (path, found)
    return found.pop()


@pytest.mark.parametrize("force", [False, True])
def test_two_runs_into_one_directory_never_mix_their_sets(two_specs, tmp_path, force):
    out = tmp_path / "ut"
    out.mkdir()
    for _ in range(3):
        for existing in out.iterdir():
            existing.unlink()
        extra = ["--force"] if force else []
        runs = [iopkit_process("render", spec, "-o", out, "-f", "md", *DATE, *extra)
                for spec in two_specs]
        results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in runs]  # type: ignore[union-attr]
        codes = sorted(code for code, _ in results)
        if force:
            assert codes == [0, 0], results
        else:
            assert codes == [0, 2], results  # never both "Skrev" without --force
            assert any("finns redan" in err for _, err in results)
        names = sorted(p.name for p in out.iterdir())
        assert names == ["avtal-avtal.md", "avtal-checklista.md"], names
        assert len({_origin(out / name) for name in names}) == 1  # one run's set


def test_a_file_that_appears_while_rendering_is_not_replaced(runner, tmp_path, monkeypatch):
    """'Exists' is decided when the file is put in place, not only at the start."""
    from iopkit import files

    out = tmp_path / "ut"
    real_stage = files._stage

    def stage_then_intrude(target, data):
        name = real_stage(target, data)
        if target.name.endswith("checklista.md"):
            target.write_text("någon annans fil", encoding="utf-8")
        return name

    monkeypatch.setattr(files, "_stage", stage_then_intrude)
    result = run(runner, "render", CANONICAL, "-o", out, "-f", "md", *DATE)
    assert result.exit_code == 2, result.output
    assert "finns redan" in result.stderr and "Ingenting har skrivits" in result.stderr
    assert [p.name for p in out.iterdir()] == ["dagverksamhet-checklista.md"]
    assert (out / "dagverksamhet-checklista.md").read_text(encoding="utf-8") == \
        "någon annans fil"


SIGTERM_WHILE_STAGING = """
import os, signal, sys
real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd)
    os.kill(os.getpid(), signal.SIGTERM)
os.fsync = fsync
sys.argv = ["iopkit", *sys.argv[1:]]
from iopkit.cli import main
main()
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_signal_while_staging_leaves_no_temporary_file(tmp_path, sig):
    out = tmp_path / "ut"
    out.mkdir()
    script = SIGTERM_WHILE_STAGING.replace("SIGTERM)", f"{sig})")
    result = subprocess.run([sys.executable, "-c", script, "render", str(CANONICAL), "-o",
                             str(out), "-f", "md,html", *DATE], capture_output=True,
                            timeout=120)
    assert result.returncode == 130, result.stderr
    assert "Avbrutet." in result.stderr.decode() and b"Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_sigterm_in_a_real_run_leaves_no_temporary_files(tmp_path, canonical_text):
    specs = tmp_path / "specar"
    specs.mkdir()
    for index in range(30):
        (specs / f"p{index:02d}.yaml").write_text(
            canonical_text.replace("SNC 2026/0418", f"SNC 2026/{index:04d}"), encoding="utf-8")
    out = tmp_path / "ut"
    process = iopkit_process("render", specs, "-o", out, "-f", "docx,md,html", *DATE)
    time.sleep(1.5)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode in (0, 130)
    if out.exists():
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_later_run_removes_the_temporary_files_a_killed_run_left(runner, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    dead = out / f".dagverksamhet-avtal.md.iopkit-{_dead_pid()}-0123abcd.tmp"
    old = out / f".dagverksamhet-avtal.md.iopkit-{os.getppid()}-89abcdef.tmp"
    alive = out / f".annan.md.iopkit-{os.getpid()}-fedcba98.tmp"
    users = out / ".min-egen.tmp"
    for path in (dead, old, alive, users):
        path.write_text("rester", encoding="utf-8")
    young_orphan = out / f".dagverksamhet-avtal.md.iopkit-{_dead_pid()}-01234567.tmp"
    young_orphan.write_text("en körning på en annan dator, just nu", encoding="utf-8")
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (day_ago, day_ago))
    hour_ago = time.time() - 3600
    os.utime(dead, (hour_ago, hour_ago))
    result = run(runner, "render", CANONICAL, "-o", out, "-f", "md", *DATE)
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in out.iterdir())
    assert dead.name not in left and old.name not in left
    assert alive.name in left and users.name in left and young_orphan.name in left


def test_force_keeps_the_mode_of_a_private_file(runner, tmp_path):
    out = tmp_path / "ut"
    assert run(runner, "render", CANONICAL, "-o", out, "-f", "md", *DATE).exit_code == 0
    agreement = out / "dagverksamhet-avtal.md"
    agreement.chmod(0o600)
    agreement.write_text("gammalt", encoding="utf-8")
    result = run(runner, "render", CANONICAL, "-o", out, "-f", "md", "--force", *DATE)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(agreement.stat().st_mode) == 0o600
    assert agreement.read_text(encoding="utf-8") != "gammalt"


def test_new_files_follow_the_umask(runner, tmp_path):
    old = os.umask(0o027)
    try:
        result = run(runner, "render", CANONICAL, "-o", tmp_path / "ut", "-f", "md", *DATE)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "ut").iterdir()} == {0o640}


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EXDEV, errno.EPERM, errno.ENOTSUP,
                                  errno.EACCES, errno.EIO])
def test_no_hard_links_means_backup_by_copy(runner, tmp_path, monkeypatch, code):
    """FAT and exFAT (a USB stick) refuse hard links with EINVAL on Windows; other
    systems and shares with other codes. --force must still work, and a failure half
    way must still put every old file back."""
    out = tmp_path / "ut"
    assert run(runner, "render", CANONICAL, "-o", out, "-f", "md", *DATE).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}

    def no_links(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    real_replace = os.replace
    replaced: list[str] = []

    def replace_then_fail(src, dst, *args, **kwargs):
        if str(dst).endswith("checklista.md") and not str(src).endswith(".old"):
            raise OSError(errno.EIO, "Input/output error")
        replaced.append(str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    result = run(runner, "render", CANONICAL, "-o", out, "-f", "md", "--force",
                 "--datum", "2026-02-20")
    assert result.exit_code == 2, result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old  # all put back
    monkeypatch.setattr(os, "replace", real_replace)
    result = run(runner, "render", CANONICAL, "-o", out, "-f", "md", "--force",
                 "--datum", "2026-02-20")
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} != old


def _sharing_violation(winerror: int) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file because it is "
                          "being used by another process")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize("winerror", [32, 33])
@pytest.mark.parametrize("where", ["replace", "link"])
def test_a_file_open_in_word_gets_a_clear_message_and_nothing_is_lost(
        runner, tmp_path, monkeypatch, winerror, where):
    out = tmp_path / "ut"
    assert run(runner, "render", CANONICAL, "-o", out, *DATE).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    real = getattr(os, where)

    def locked(src, dst, *args, **kwargs):
        if "checklista" in str(dst if where == "replace" else src) \
                and not str(src).endswith(".old"):
            raise _sharing_violation(winerror)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, where, locked)
    if where == "link":  # the copy that follows a refused link meets the lock too
        real_open = open

        def open_locked(file, *args, **kwargs):
            name = str(file)
            if name.startswith(str(out)) and "checklista" in name \
                    and not name.endswith((".tmp", ".old")):
                raise _sharing_violation(winerror)
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", open_locked)
    result = run(runner, "render", CANONICAL, "-o", out, "--force", "--datum", "2026-02-20")
    assert result.exit_code == 2, result.output
    assert ("Filen används av ett annat program (till exempel Word). Stäng den och försök "
            "igen.") in result.stderr
    assert "behörighet" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
