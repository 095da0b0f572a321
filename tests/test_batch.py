"""Batch rendering: many specs and directories, in parallel processes, all or nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import CANONICAL, run


def make_batch(directory: Path, count: int, text: str) -> list[Path]:
    directory.mkdir()
    paths = []
    for index in range(count):
        path = directory / f"partnerskap{index}.yaml"
        path.write_text(text.replace("SRN 2026/0418", f"SRN 2026/{index:04d}"), encoding="utf-8")
        paths.append(path)
    return paths


def test_parallel_render_equals_serial_render(runner, tmp_path, canonical_text):
    specs = tmp_path / "specar"
    make_batch(specs, 6, canonical_text)
    serial, parallel = tmp_path / "serie", tmp_path / "parallell"
    serial.mkdir()
    parallel.mkdir()
    result = run(runner, "render", specs, "-o", serial, "--jobs", "1", "--datum", "2026-11-01")
    assert result.exit_code == 0, result.output
    result = run(runner, "render", specs, "-o", parallel, "--jobs", "2", "--datum",
                 "2026-11-01")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in serial.iterdir())
    assert len(names) == 12
    assert names == sorted(p.name for p in parallel.iterdir())
    for name in names:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name
    assert "Renderar" not in result.output  # no progress bar when not on a terminal


def test_invalid_spec_in_a_batch_is_skipped_and_fails_the_run(runner, tmp_path, canonical_text):
    specs = tmp_path / "specar"
    make_batch(specs, 4, canonical_text)
    (specs / "trasig.yaml").write_text(canonical_text.replace("802461-3575", "802461-3576"),
                                       encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    result = run(runner, "render", specs, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert "trasig.yaml har fel och har inte skapats" in result.stderr
    assert " IOP015 " in result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 8
    assert not any(name.startswith("trasig") for name in written)


def test_existing_output_stops_the_whole_batch(runner, tmp_path, canonical_text):
    specs = tmp_path / "specar"
    make_batch(specs, 5, canonical_text)
    out = tmp_path / "ut"
    out.mkdir()
    existing = out / "partnerskap3-avtal.docx"
    existing.write_bytes(b"mitt eget dokument")
    result = run(runner, "render", specs, "-o", out, "--jobs", "2")
    assert result.exit_code == 2
    assert "finns redan" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["partnerskap3-avtal.docx"]
    assert existing.read_bytes() == b"mitt eget dokument"


def test_jobs_must_be_positive(runner, tmp_path):
    result = run(runner, "render", CANONICAL, "-o", tmp_path, "--jobs", "0")
    assert result.exit_code == 2
    assert "Ogiltigt värde för --jobs: värdet måste vara minst 1." in result.stderr


def test_library_render_many_keeps_input_order(tmp_path, canonical_text):
    from iopkit.render.batch import render_many
    from iopkit.render.pipeline import RenderOptions

    paths = make_batch(tmp_path / "specar", 5, canonical_text)
    outcomes = render_many(list(reversed(paths)), tmp_path, ("md",), RenderOptions(), jobs=2)
    assert [o.file for o in outcomes] == [str(p) for p in reversed(paths)]
    assert all(o.rendered and len(o.outputs) == 2 for o in outcomes)


def test_progress_bar_only_on_a_terminal_and_after_a_delay(monkeypatch):
    from iopkit.render import batch

    monkeypatch.setattr(batch, "_stderr_is_terminal", lambda: False)
    quiet = batch.LazyProgress(10, "Renderar")
    quiet.started -= 5  # long-running, but not a terminal
    quiet.advance()
    assert quiet.progress is None

    monkeypatch.setattr(batch, "_stderr_is_terminal", lambda: True)
    fast = batch.LazyProgress(10, "Renderar")
    fast.advance()  # well under a second: nothing shown yet
    assert fast.progress is None

    slow = batch.LazyProgress(10, "Renderar")
    slow.started -= 5
    slow.advance()
    slow.advance()
    try:
        assert slow.progress is not None
        assert slow.progress.tasks[0].completed == 2
        assert slow.progress.tasks[0].total == 10
    finally:
        slow.close()


def test_failure_half_way_leaves_existing_files_untouched(runner, tmp_path, canonical_text):
    """The agreement renders, the checklist's template fails: even with --force nothing
    is written, and the previous agreement stays as it was."""
    spec = tmp_path / "avtal.yaml"
    spec.write_text(canonical_text, encoding="utf-8")
    templates = tmp_path / "mallar" / "checklista"
    templates.mkdir(parents=True)
    (templates / "02-processen.md.j2").write_text("## Trasig\n{{ finns_inte }}\n",
                                                encoding="utf-8")
    previous = tmp_path / "avtal-avtal.docx"
    previous.write_bytes(b"forra versionen")
    result = run(runner, "render", spec, "--force", "--mallar", tmp_path / "mallar",
                 "--format", "docx,md")
    assert result.exit_code == 1, result.output
    assert "02-processen.md.j2" in result.stderr
    assert previous.read_bytes() == b"forra versionen"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avtal-avtal.docx", "avtal.yaml",
                                                          "mallar"]
