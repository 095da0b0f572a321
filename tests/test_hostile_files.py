"""Hostile file systems: what is at an output path, outputs that are inputs, full disks,
Ctrl-C and inputs that are not regular files. Real FIFOs, sockets, symlinks, hard links
and subprocesses wherever the behaviour depends on them."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CANONICAL, run


@pytest.fixture
def spec(tmp_path: Path, canonical_text: str) -> Path:
    path = tmp_path / "avtal.yaml"
    path.write_text(canonical_text, encoding="utf-8")
    return path


def leftovers(directory: Path) -> list[str]:
    """Temporary or backup files a write left behind."""
    return sorted(p.name for p in directory.iterdir()
                  if p.name.startswith(".") and p.name.endswith((".tmp", ".old")))


# --- What stands at the output path --------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def make_directory(path: Path) -> None:
    path.mkdir()
    (path / "viktig.txt").write_text("kvar", encoding="utf-8")


def make_device_link(path: Path) -> None:
    path.symlink_to("/dev/null")


@pytest.mark.parametrize("make, kind", [
    (make_fifo, "FIFO"), (make_socket, "socket"), (make_directory, "katalog"),
    (make_device_link, "enhetsfil")])
def test_force_never_replaces_what_is_not_a_regular_file(runner, spec, tmp_path, make, kind):
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "avtal-avtal.md"
    make(target)
    before = os.lstat(target)
    result = run(runner, "render", spec, "-o", out, "-f", "md", "--force")
    assert result.exit_code == 2, result.output
    assert kind in result.stderr and "inte heller med --force" in result.stderr
    assert "Filen finns redan" not in result.stderr
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert not (out / "avtal-checklista.md").exists()  # nothing of the set was written
    assert leftovers(out) == []


def test_existing_directory_without_force_says_it_is_a_directory(runner, spec, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    (out / "avtal-avtal.md").mkdir()
    result = run(runner, "render", spec, "-o", out, "-f", "md")
    assert result.exit_code == 2
    assert "är en katalog" in result.stderr and "Filen finns redan" not in result.stderr


def test_symlink_loop_at_output_is_named_as_a_loop(runner, spec, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    (out / "avtal-avtal.md").symlink_to(out / "avtal-avtal.md")
    result = run(runner, "render", spec, "-o", out, "-f", "md", "--force")
    assert result.exit_code == 2
    assert "länkslinga" in result.stderr and "finns inte" not in result.stderr


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_that_is_the_input_spec_is_refused(runner, spec, tmp_path, link):
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "avtal-avtal.md"
    if link == "symlink":
        target.symlink_to(spec)
    else:
        os.link(spec, target)
    original = spec.read_bytes()
    result = run(runner, "render", spec, "-o", out, "-f", "md", "--force")
    assert result.exit_code == 2, result.output
    assert "är samma fil som" in result.stderr and str(spec) in result.stderr
    assert spec.read_bytes() == original


def test_output_that_is_the_reference_docx_is_refused(runner, spec, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    assert run(runner, "render", spec, "-o", out).exit_code == 0
    reference = out / "avtal-avtal.docx"
    original = reference.read_bytes()
    result = run(runner, "render", spec, "-o", out, "--force", "--referens-docx", reference)
    assert result.exit_code == 2, result.output
    assert "är samma fil som" in result.stderr
    assert reference.read_bytes() == original


def test_output_inside_the_template_directory_is_refused(runner, spec, tmp_path):
    templates = tmp_path / "mallar" / "avtal"
    templates.mkdir(parents=True)
    section = templates / "99-extra.md.j2"
    section.write_text("Extra.\n", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    os.link(section, out / "avtal-avtal.md")
    result = run(runner, "render", spec, "-o", out, "-f", "md", "--force",
                 "--mallar", tmp_path / "mallar")
    assert result.exit_code == 2, result.output
    assert section.read_text(encoding="utf-8") == "Extra.\n"


@pytest.mark.parametrize("command", [
    ["kalender", "{spec}", "-o", "{spec}", "--force"],
    ["diff", "{spec}", "{spec}", "-f", "md", "-o", "{spec}", "--force"],
])
def test_single_output_commands_refuse_their_input(runner, spec, command):
    original = spec.read_bytes()
    result = run(runner, *[part.format(spec=spec) for part in command])
    assert result.exit_code in (0, 2), result.output
    assert spec.read_bytes() == original
    if result.exit_code == 2:
        assert "samma fil" in result.stderr


def test_new_with_schema_that_cannot_be_written_writes_nothing(runner, tmp_path):
    os.mkfifo(tmp_path / "iopkit.schema.json")
    result = run(runner, "new", tmp_path / "avtal.yaml", "--schema", "--force")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "avtal.yaml").exists()
    assert leftovers(tmp_path) == []


LONG = "å" * 200  # 400 bytes in UTF-8: over the 255 a file name may have


@pytest.mark.parametrize("args", [
    ["new", "{dir}/" + LONG + ".yaml"],
    ["check", "{dir}/" + LONG + ".yaml"],
    ["render", "{dir}/" + LONG + ".yaml"],
    ["render", "{spec}", "-o", "{dir}/" + LONG],
    ["render", "{spec}", "--mallar", "{dir}/" + LONG],
    ["render", "{spec}", "--referens-docx", "{dir}/" + LONG + ".docx"],
    ["kalender", "{spec}", "-o", "{dir}/" + LONG + ".ics"],
    ["uppfoljning", "{spec}", "-o", "{dir}/" + LONG],
    ["schema", "-o", "{dir}/" + LONG + ".json"],
])
def test_file_name_component_over_255_bytes_is_exit_2(runner, tmp_path, spec, args):
    result = run(runner, *[a.format(dir=tmp_path, spec=spec) for a in args])
    assert result.exit_code == 2, result.output
    assert "för lång" in result.stderr, result.stderr
    assert "Traceback" not in result.output and "Internt fel" not in result.output


def test_output_directory_without_permission_is_exit_2(runner, spec, tmp_path):
    out = tmp_path / "låst"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("körs som root utan behörighetskontroll; prövas i underprocess nedan")
        result = run(runner, "render", spec, "-o", out)
        assert result.exit_code == 2
        assert "behörighet saknas" in result.stderr
    finally:
        out.chmod(0o700)


def test_output_directory_without_permission_as_unprivileged_user(tmp_path, spec):
    """Root may write anywhere; run as 'nobody' where that is possible."""
    if os.geteuid() != 0:
        pytest.skip("prövas av testet ovan när testerna inte körs som root")
    out = tmp_path / "låst"
    out.mkdir()
    for path in (tmp_path, spec):
        path.chmod(0o755 if path.is_dir() else 0o644)
    out.chmod(0o555)

    def demote() -> None:
        os.setgid(65534)
        os.setuid(65534)

    try:
        subprocess.run([sys.executable, "-c", "import iopkit"], preexec_fn=demote, check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("användaren nobody kan inte köra den här Python-miljön")
    result = subprocess.run([sys.executable, "-m", "iopkit", "render", str(spec), "-o", str(out)],
                            capture_output=True, text=True, preexec_fn=demote,
                            cwd="/", env={**os.environ, "HOME": "/nonexistent"}, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "behörighet saknas" in result.stderr
    assert "Traceback" not in result.stderr


def test_directory_refusing_writes_is_exit_2(runner, spec, tmp_path, monkeypatch):
    """What an unwritable directory does to the write itself (root passes os.access)."""
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(out)):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    out = tmp_path / "ut"
    out.mkdir()
    monkeypatch.setattr(os, "open", refuse)
    result = run(runner, "render", spec, "-o", out)
    assert result.exit_code == 2, result.output
    assert "behörighet saknas" in result.stderr and "Ingenting har skrivits" in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", [["schema"], ["regler"], ["check", str(CANONICAL)],
                                     ["new", "--lista"]])
def test_stdout_on_a_full_device_is_exit_2(command):
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full finns inte på det här systemet")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "iopkit", *command], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "disken är full" in result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


# --- All old or all new ------------------------------------------------------------


def render_twice(runner, spec: Path, out: Path, canonical_text: str):
    """Render once, change the spec so the next render differs, and return the old
    files' contents."""
    assert run(runner, "render", spec, "-o", out, "-f", "docx,md,html").exit_code == 0
    spec.write_text(canonical_text.replace("Dagverksamhet för EU-medborgare",
                                           "Dagöppen verksamhet för EU-medborgare"),
                    encoding="utf-8")
    return {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize("failing_call", [1, 3, 6])
def test_disk_full_while_replacing_keeps_every_old_file(runner, spec, tmp_path, canonical_text,
                                                         monkeypatch, failing_call):
    out = tmp_path / "ut"
    out.mkdir()
    old = render_twice(runner, spec, out, canonical_text)
    calls = []
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == failing_call:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = run(runner, "render", spec, "-o", out, "-f", "docx,md,html", "--force")
    assert result.exit_code == 2, result.output
    assert "disken är full" in result.stderr and "Ingenting har ändrats" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def test_disk_full_while_staging_writes_nothing(runner, spec, tmp_path, canonical_text,
                                                monkeypatch):
    out = tmp_path / "ut"
    out.mkdir()
    old = render_twice(runner, spec, out, canonical_text)
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run(runner, "render", spec, "-o", out, "-f", "docx,md,html", "--force")
    assert result.exit_code == 2, result.output
    assert "disken är full" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def test_success_after_force_is_all_new_without_leftovers(runner, spec, tmp_path,
                                                          canonical_text):
    out = tmp_path / "ut"
    out.mkdir()
    old = render_twice(runner, spec, out, canonical_text)
    result = run(runner, "render", spec, "-o", out, "-f", "docx,md,html", "--force")
    assert result.exit_code == 0, result.output
    new = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(new) == sorted(old)
    assert all(new[name] != old[name] for name in new)


def test_ctrl_c_while_replacing_restores_every_old_file(runner, spec, tmp_path,
                                                        canonical_text, monkeypatch):
    out = tmp_path / "ut"
    out.mkdir()
    old = render_twice(runner, spec, out, canonical_text)
    calls = []
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = run(runner, "render", spec, "-o", out, "-f", "docx,md,html", "--force")
    assert result.exit_code == 130, result.output
    assert "Avbrutet." in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def test_new_with_schema_keeps_nothing_when_the_schema_write_fails(runner, tmp_path,
                                                                   monkeypatch):
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".json"):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = run(runner, "new", tmp_path / "avtal.yaml", "--schema")
    assert result.exit_code == 2, result.output
    assert "läs- eller skrivfel" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 1 MB file system, where mounting one is allowed (root in a container)."""
    mount = tmp_path / "liten"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("att montera ett tmpfs kräver root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("tmpfs kunde inte monteras här")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_real_full_disk_keeps_every_old_file(runner, spec, tmp_path, canonical_text,
                                             small_tmpfs):
    out = small_tmpfs
    old = render_twice(runner, spec, out, canonical_text)
    largest = max(len(data) for data in old.values())
    # Leave room for about one new file, not for the set.
    free = os.statvfs(out).f_bavail * os.statvfs(out).f_frsize
    (out / "fyllnad.bin").write_bytes(b"\0" * max(0, free - largest - 8192))
    result = run(runner, "render", spec, "-o", out, "-f", "docx,md,html", "--force")
    assert result.exit_code == 2, result.output
    assert "disken är full" in result.stderr
    (out / "fyllnad.bin").unlink()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


# --- Ctrl-C ----------------------------------------------------------------------


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="behöver Linux /proc")
def test_ctrl_c_during_parallel_render(tmp_path, canonical_text):
    specs = tmp_path / "specar"
    specs.mkdir()
    for index in range(80):
        (specs / f"p{index:02d}.yaml").write_text(
            canonical_text.replace("SRN 2026/0418", f"SRN 2026/{index:04d}"), encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "iopkit", "render", str(specs), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = children_of(process.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "inga arbetsprocesser startade"
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Avbrutet." in stderr and "Traceback" not in stderr
    time.sleep(1.0)
    assert not any(alive(pid) for pid in workers)
    assert list(out.iterdir()) == []  # nothing written, no temporary files


# --- Inputs that are not files ----------------------------------------------------


def test_fifo_as_spec_is_refused_at_once(tmp_path):
    fifo = tmp_path / "avtal.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "iopkit", "check", str(fifo)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "inte en vanlig fil" in result.stderr


def test_device_as_spec_is_refused_at_once(runner):
    result = run(runner, "check", "/dev/zero")
    assert result.exit_code == 2
    assert "inte en vanlig fil" in result.stderr


def test_fifo_as_reference_docx_is_refused_at_once(tmp_path, spec):
    fifo = tmp_path / "mall.docx"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "iopkit", "render", str(spec),
                             "--referens-docx", str(fifo), "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result.stderr
    assert "inte en vanlig fil" in result.stderr


def test_symlink_loop_as_spec_is_named_as_a_loop(runner, tmp_path):
    loop = tmp_path / "slinga.yaml"
    loop.symlink_to(loop)
    result = run(runner, "check", loop)
    assert result.exit_code == 2
    assert "länkslinga" in result.stderr and "finns inte" not in result.stderr


def test_check_directory_reports_an_unreadable_file_and_goes_on(runner, tmp_path,
                                                                canonical_text):
    specs = tmp_path / "specar"
    specs.mkdir()
    (specs / "a.yaml").write_text(canonical_text, encoding="utf-8")
    (specs / "b.yaml").write_text("iopkit: 1\nx: " + "[" * 30_000 + "\n", encoding="utf-8")
    (specs / "c.yaml").symlink_to(specs / "c.yaml")
    (specs / "d.yaml").write_text(canonical_text, encoding="utf-8")
    os.mkfifo(specs / "e.yaml")  # would block forever if it were opened
    result = run(runner, "check", specs)
    assert "Traceback" not in result.output
    assert "b.yaml" in result.stdout and "för djupt nästlad" in result.stdout
    assert "c.yaml" in result.stderr and "länkslinga" in result.stderr
    assert "d.yaml: OK" in result.stdout
    assert "e.yaml" in result.stderr and "FIFO" in result.stderr
    assert "Kontrollerade 3 filer" in result.stdout and "2 filer kunde inte läsas" in result.stdout
    assert result.exit_code == 2
