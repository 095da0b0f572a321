"""Windows conditions simulated on Linux (issue 28): output names Windows accepts,
LibreOffice in Program Files, an exclusive port, a template time limit without SIGALRM,
and opening a file by double-click (`iopkit-serve FIL`), warned when it lies in a
temporary folder such as Outlook's attachment cache."""

from __future__ import annotations

import ntpath
import re
import signal
import socket
import sys
import threading
from pathlib import Path

import pytest

from conftest import CANONICAL, run

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
             *(f"LPT{n}" for n in range(1, 10))}


def valid_on_windows(name: str) -> bool:
    """What Windows' CreateFile accepts as one path component."""
    if not name or name != ntpath.basename(name) or name.endswith((".", " ")):
        return False
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        return False
    return name.split(".", 1)[0].rstrip(" ").upper() not in _RESERVED


HOSTILE_STEMS = ["CON", "aux", "nul.tar", "COM1", "lpt9.x", "a:b", 'a<b>c"d|e?f*g', "slut.",
                 "slut ", "tab\tnamn", "back\\slash", "  ", "..", "Łódź"]


@pytest.mark.parametrize("stem", HOSTILE_STEMS)
def test_output_names_are_valid_on_windows(stem):
    from iopkit.files import portable_name
    from iopkit.render.pipeline import output_paths

    assert valid_on_windows(portable_name(stem))
    for path in output_paths(f"/data/{stem}.yaml", None, ["docx", "md", "pdf"],
                             ["avtal", "checklista"]):
        assert valid_on_windows(path.name), path.name
    assert portable_name("Łódź") == "Łódź" and portable_name("avtal-2026") == "avtal-2026"


def test_render_of_a_spec_with_a_windows_hostile_name(runner, tmp_path, canonical_text):
    spec = tmp_path / 'avtal: "utkast"?.yaml'
    spec.write_text(canonical_text, encoding="utf-8")
    result = run(runner, "render", spec, "-o", tmp_path / "ut", "-f", "md",
                 "--datum", "2026-01-15")
    assert result.exit_code == 0, result.output
    names = [p.name for p in (tmp_path / "ut").iterdir()]
    assert len(names) == 2 and all(valid_on_windows(n) for n in names), names


@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramFiles(x86)"])
def test_libreoffice_is_found_in_program_files(monkeypatch, variable):
    from iopkit.writers.pdf import libreoffice as pdf

    root = r"D:\Program"
    expected = root + r"\LibreOffice\program\soffice.exe"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.delenv("IOPKIT_SOFFICE", raising=False)
    for name in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        monkeypatch.setenv(name, r"C:\ingenting")
    monkeypatch.setenv(variable, root)

    class FakePath(type(Path())):  # type: ignore[misc]
        def is_file(self) -> bool:
            return str(self) == expected

    monkeypatch.setattr(pdf, "Path", FakePath)
    assert pdf.find_soffice() == expected
    monkeypatch.setenv(variable, r"C:\ingenting")
    assert pdf.find_soffice() is None


def test_the_default_program_files_location_without_variables(monkeypatch):
    from iopkit.writers.pdf import libreoffice as pdf

    expected = r"C:\Program Files\LibreOffice\program\soffice.exe"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    for name in ("IOPKIT_SOFFICE", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        monkeypatch.delenv(name, raising=False)

    class FakePath(type(Path())):  # type: ignore[misc]
        def is_file(self) -> bool:
            return str(self) == expected

    monkeypatch.setattr(pdf, "Path", FakePath)
    assert pdf.find_soffice() == expected


def test_a_port_in_use_is_refused(runner):
    from iopkit.serve.server import bind

    for host in ("127.0.0.1", "0.0.0.0"):
        other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            other.bind((host, 0))
            other.listen(1)
            port = other.getsockname()[1]
            with pytest.raises(OSError):
                bind(port).close()
            result = run(runner, "serve", "--port", port, "--ingen-webblasare")
            assert result.exit_code == 2 and "upptagen" in result.stderr
        finally:
            other.close()


def test_the_bind_is_exclusive_on_windows(monkeypatch):
    """Windows: SO_EXCLUSIVEADDRUSE and never SO_REUSEADDR (which there takes a port
    over from another program)."""
    from iopkit.serve import server

    options: list[tuple[int, int]] = []
    real = socket.socket

    class Recording(real):  # type: ignore[misc, valid-type]
        def setsockopt(self, level, option, value, *rest):  # type: ignore[override]
            options.append((level, option))
            if option != EXCLUSIVE:
                super().setsockopt(level, option, value, *rest)

    EXCLUSIVE = -5
    monkeypatch.setattr(socket, "SO_EXCLUSIVEADDRUSE", EXCLUSIVE, raising=False)
    monkeypatch.setattr(server.socket, "socket", Recording)
    server.bind(0).close()
    assert (socket.SOL_SOCKET, EXCLUSIVE) in options
    assert (socket.SOL_SOCKET, socket.SO_REUSEADDR) not in options


def _invisible_loop():
    from iopkit.render.sandbox import BoundedSandbox

    return BoundedSandbox().from_string(
        "{% for a in l %}{% for b in l %}{% for c in l %}{% endfor %}{% endfor %}"
        "{% endfor %}")


def test_template_time_limit_without_sigalrm(monkeypatch):
    """Windows has no SIGALRM or setitimer: a loop the sandbox's hooks never see is
    still stopped at the time limit."""
    from iopkit.render import sandbox

    monkeypatch.delattr(signal, "setitimer")
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    sandbox.start_render()
    with pytest.raises(sandbox.TemplateLimit, match="mallarna har arbetat i mer än"):
        sandbox.render_bounded(_invisible_loop(), {"l": list(range(700))})
    # Nothing fires later: a fast render right after is untouched.
    sandbox.start_render()
    assert sandbox.render_bounded(sandbox.BoundedSandbox().from_string("{{ 1 + 1 }}"),
                                  {}) == "2"
    threading.Event().wait(0.5)


def test_template_time_limit_in_a_worker_thread(monkeypatch):
    """The web editor renders in worker threads, where no signal can be delivered."""
    from iopkit.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    outcome: list[BaseException | str] = []

    def work() -> None:
        sandbox.start_render()
        try:
            outcome.append(sandbox.render_bounded(_invisible_loop(), {"l": list(range(700))}))
        except sandbox.TemplateLimit as exc:
            outcome.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], sandbox.TemplateLimit)


@pytest.mark.parametrize("folder", [
    r"AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\ABC123",
    r"AppData\Local\Microsoft\Windows\Temporary Internet Files\Content.Outlook\X",
    r"AppData\Local\Temp"])
def test_temporary_folders_are_recognised(folder, monkeypatch, tmp_path):
    from iopkit.files import in_temporary_folder

    path = Path("/home/anna").joinpath(*folder.split("\\")) / "avtal.yaml"
    assert in_temporary_folder(path)
    assert not in_temporary_folder(Path("/home/anna/Dokument/IOP/avtal.yaml"))
    monkeypatch.setenv("TEMP", str(tmp_path / "t"))
    assert in_temporary_folder(tmp_path / "t" / "bilaga.yaml")


def test_iopkit_serve_takes_the_file_and_warns_about_a_temporary_folder(tmp_path,
                                                                       monkeypatch):
    """`iopkit-serve FIL` is what a double-click runs; here the file lies in Outlook's
    cache and the port is busy, so the command ends right after the warning."""
    from iopkit import cli

    cache = tmp_path / "INetCache" / "Content.Outlook" / "Q1W2E3"
    cache.mkdir(parents=True)
    spec = cache / "avtal.yaml"
    spec.write_bytes(CANONICAL.read_bytes())
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    monkeypatch.setattr(sys, "argv", ["iopkit-serve", str(spec), "--port",
                                      str(busy.getsockname()[1]), "--ingen-webblasare"])
    try:
        with pytest.raises(SystemExit) as ended:
            cli.serve_main()
    finally:
        busy.close()
    assert ended.value.code == 2


def test_iopkit_serve_warning_text(runner, tmp_path):
    cache = tmp_path / "INetCache" / "Content.Outlook" / "Q1W2E3"
    cache.mkdir(parents=True)
    spec = cache / "avtal.yaml"
    spec.write_bytes(CANONICAL.read_bytes())
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        result = run(runner, "serve", spec, "--port", busy.getsockname()[1],
                     "--ingen-webblasare")
    finally:
        busy.close()
    assert "ligger i en tillfällig mapp" in result.stderr and "Outlook" in result.stderr


def test_iopkit_serve_is_an_entry_point():
    import tomllib

    scripts = tomllib.loads((CANONICAL.parents[1] / "pyproject.toml").read_text(
        encoding="utf-8"))["project"]["scripts"]
    assert scripts["iopkit-serve"] == "iopkit.cli:serve_main"
