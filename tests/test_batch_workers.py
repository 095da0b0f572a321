"""`render -j`: a spec that hangs or a worker that dies does not stop the batch, and no
worker outlives the parent (issue 22)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run
from iopkit.render import batch
from iopkit.render.pipeline import RenderOptions

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and signals")


def specs(tmp_path: Path, canonical_text: str, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = tmp_path / f"spec{n}.yaml"
        path.write_text(canonical_text, encoding="utf-8")
        paths.append(path)
    return paths


def misbehave_on(name: str, how: str):
    real = batch.render_one

    def render_one(spec_path: Path, *rest):
        if spec_path.name == name:
            if how == "die":
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(30)
        return real(spec_path, *rest)

    return render_one


@pytest.mark.parametrize("how", ["die", "hang"])
def test_a_lost_spec_is_reported_and_the_others_rendered(monkeypatch, tmp_path,
                                                         canonical_text, how):
    monkeypatch.setattr(batch, "render_one", misbehave_on("spec1.yaml", how))
    monkeypatch.setattr(batch, "MAX_SPEC_SECONDS", 2)
    paths = specs(tmp_path, canonical_text, 6)
    outcomes = batch.render_many(paths, tmp_path / "ut", ("docx",),
                                 RenderOptions(date=dt.date(2027, 1, 1)), jobs=2)
    assert [Path(o.file).name for o in outcomes] == [p.name for p in paths]
    lost = outcomes[1]
    assert lost.worker_problem and not lost.rendered
    assert ("avslutades oväntat" if how == "die" else "mer än 2 sekunder") in lost.worker_problem
    if how == "hang":  # the pool still works: every other spec is rendered
        assert all(o.rendered for i, o in enumerate(outcomes) if i != 1)
    else:  # a dead worker breaks the pool; what was lost is reported, nothing waits
        assert all(o.rendered or o.worker_problem for o in outcomes)


def test_the_cli_writes_the_others_and_exits_1(monkeypatch, runner, tmp_path, canonical_text):
    monkeypatch.setattr(batch, "render_one", misbehave_on("spec2.yaml", "hang"))
    monkeypatch.setattr(batch, "MAX_SPEC_SECONDS", 2)
    specs(tmp_path, canonical_text, 5)
    out = tmp_path / "ut"
    result = run(runner, "render", tmp_path, "-o", out, "-j", "2", "--datum", "2027-01-01")
    assert result.exit_code == 1, result.output
    assert "spec2.yaml: filen tog mer än 2 sekunder" in result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 4 * 2 and not any(name.startswith("spec2") for name in written)


def test_sigterm_to_the_parent_ends_every_worker(tmp_path, canonical_text):
    for n in range(8):
        (tmp_path / f"s{n}.yaml").write_text(canonical_text.replace(
            "iopkit: 1\n", "iopkit: 1\n" + "# fyllnad\n" * 20000, 1), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "iopkit", "render", str(tmp_path), "-o",
                                str(tmp_path / "ut"), "-j", "2", "--datum", "2027-01-01"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[str] = []
    deadline = time.monotonic() + 30
    while len(children) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()
    assert children, "the batch ended before its workers could be seen"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
        time.sleep(0.2)
    alive = [c for c in children if Path(f"/proc/{c}").exists()
             and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2]]
    assert not alive
