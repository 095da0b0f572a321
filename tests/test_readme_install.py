"""The README's install lines (issue 28): one per system, each valid in that system's
shell, and the Linux ones exactly what CI (.ci/run) runs."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def getting_started() -> str:
    return README.split("## Kom igång", 1)[1].split("\n## ", 1)[0]


def install_lines() -> list[tuple[str, str, str]]:
    """(label, language, command) for every code block in "Kom igång", the label being
    the paragraph line just above it ("Windows (PowerShell):", "Linux:" …)."""
    found = []
    for match in re.finditer(r"(?m)^(?P<label>[^\n]+)\n\n```(?P<lang>\w+)\n(?P<body>.*?)\n```",
                             getting_started(), re.DOTALL):
        body = match["body"].strip()
        assert "\n" not in body, f"one line per system: {body!r}"
        found.append((match["label"], match["lang"], body))
    return found


def system_of(label: str) -> set[str]:
    return {name for name in ("Windows", "macOS", "Linux") if name in label}


def test_there_is_an_install_line_per_system_and_a_test_line():
    lines = install_lines()
    systems = [system_of(label) for label, _, _ in lines]
    for name in ("Windows", "macOS", "Linux"):
        assert any(name in s for s in systems), name
    render_lines = [c for _, _, c in lines if "iopkit render examples" in c]
    test_lines = [c for _, _, c in lines if "pytest" in c]
    assert len(render_lines) == 3 and len(test_lines) == 2


@pytest.mark.parametrize("label,lang,command",
                         [line for line in install_lines() if "Windows" in line[0]])
def test_windows_lines_work_in_powershell_5(label, lang, command):
    assert lang == "powershell"
    for posix_only in ("&&", "||", "/bin/", "python3", "export ", "source ", "Activate.ps1"):
        assert posix_only not in command, (posix_only, command)
    steps = re.split(r";\s+", command)  # "a;b" inside the quoted PATH stays one
    assert steps[0].startswith("py -m venv .venv")
    assert all(step.startswith((".venv\\Scripts\\", "py ", "$env:Path", "iopkit "))
               for step in steps), steps
    assert ".venv\\Scripts\\python -m pip install" in command
    if "iopkit render" in command:  # iopkit is on PATH for the rest of the window
        path_step = next(step for step in steps if step.startswith("$env:Path"))
        assert path_step == '$env:Path = "$PWD\\.venv\\Scripts;$env:Path"'
        assert steps.index(path_step) < steps.index(next(s for s in steps
                                                         if s.startswith("iopkit ")))


@pytest.mark.parametrize("label,lang,command",
                         [line for line in install_lines() if "Windows" not in line[0]])
def test_posix_lines_work_in_sh(label, lang, command):
    assert lang == "sh"
    assert "\\Scripts" not in command and "$env:" not in command
    steps = [shlex.split(step) for step in command.split(" && ")]
    assert steps[0][:4] == ["python3", "-m", "venv", ".venv"]
    for step in steps[1:]:
        assert step[0].startswith(".venv/bin/") or step[0] in ("export", "iopkit"), step
    if "iopkit render" in command:
        assert 'export PATH="$PWD/.venv/bin:$PATH"' in command


def test_ci_runs_the_linux_lines_exactly():
    linux = [command for label, _, command in install_lines() if "Linux" in label]
    assert len(linux) == 2
    ci_lines = [line.strip() for line in CI.splitlines()]
    for command in linux:
        assert command in ci_lines, f".ci/run does not run the README's line: {command}"


def test_ci_installs_the_wheel_with_uv_tool_into_a_clean_directory():
    assert re.search(r'UV_TOOL_DIR="\$tools/[^"]+" UV_TOOL_BIN_DIR="\$tools/bin"', CI)
    assert '/bin/uv" tool install "$work"/dist/iopkit-*.whl' in CI
    for step in ("iopkit --version", "iopkit check", "iopkit render"):
        assert f"\n  {step}" in CI, step


def test_later_commands_are_written_as_iopkit():
    """After "Kom igång" every command is `iopkit …`, which the install line put on
    PATH; none assumes a venv path for iopkit itself."""
    rest = README.split("## Kommandon", 1)[1]
    for block in re.findall(r"```(?:sh|powershell)\n(.*?)```", rest, re.DOTALL):
        for line in block.splitlines():
            assert ".venv/bin/iopkit" not in line and "python -m iopkit" not in line, line
