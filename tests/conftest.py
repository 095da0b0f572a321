"""Shared fixtures: a CLI runner with stable output, example specs, spec mutation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CANONICAL = EXAMPLES / "dagverksamhet.yaml"
SHARED_CANONICAL = ROOT.parent / "shared" / "spec" / "exempel-dagverksamhet.yaml"

# Stable rich output: no colours, a fixed width.
os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "200"
os.environ.pop("FORCE_COLOR", None)
# Subprocesses (`python -m iopkit …`, `iopkit serve` for the browser tests) import the
# iopkit of this tree, not the one the virtual environment has installed (which in a
# git worktree is another checkout's).
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def canonical_text() -> str:
    return CANONICAL.read_text(encoding="utf-8")


@pytest.fixture
def write_spec(tmp_path: Path):
    """Write text (or bytes) to a spec file in tmp_path and return its path."""

    def write(content: str | bytes, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def load_canonical_data() -> dict:
    return yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def run(runner: CliRunner, *args: str):
    from iopkit.cli import app

    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def _drafts_in_a_temporary_folder(tmp_path_factory, monkeypatch):
    """The web editor's drafts (serve/drafts.py) go to a folder of the test's own, never
    to the real home folder; servers started by a test inherit it."""
    monkeypatch.setenv("IOPKIT_UTKAST", str(tmp_path_factory.mktemp("utkast")))
