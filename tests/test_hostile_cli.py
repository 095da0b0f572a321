"""No English reaches a user: click/typer usage errors, Jinja errors, OS errors."""

from __future__ import annotations

import errno
import re

import pytest

from conftest import CANONICAL, run

ENGLISH = re.compile(r"\b(Error|Usage|Got|unexpected|Invalid|No such|Missing|requires|"
                     r"division|argument\(s\)|is not|expected|Traceback|Aborted)\b")


@pytest.mark.parametrize("args", [
    ["uppfoljning", "A.yaml", "B.yaml"],
    ["kalender", "a.yaml", "b.yaml", "c.yaml"],
    ["check", "--finns-inte"],
    ["render"],
    ["render", "x.yaml", "--jobs", "noll"],
    ["render", "x.yaml", "--jobs", "0"],
    ["render", "x.yaml", "--format"],
    ["diff", "a.yaml"],
    ["diff", "a.yaml", "b.yaml", "--format", "pdf"],
    ["kontrollera"],
    ["new", "--typ"],
])
def test_usage_errors_are_swedish(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip(), "no message"
    assert not ENGLISH.search(result.output), result.output
    assert "Fel: " in result.stderr


def test_unknown_click_message_falls_back_to_swedish():
    from iopkit.cli.help_sv import translate_message

    assert translate_message("Some future click message.") == (
        "Anropet kunde inte tolkas. Kontrollera flaggorna och argumenten.")
    assert translate_message("Got unexpected extra argument(s) (B.yaml)").startswith(
        "Oväntade argument: B.yaml.")


@pytest.mark.parametrize("template, fragment", [
    ("{{ 1 / 0 }}", "delar med noll"),
    ("{{ 'a' + 1 }}", "fel typ"),
    ("{{ [1, 2][7] if false else range(1, 2, 0) }}", "kunde inte användas"),
    ("{% frobnicate %}", "okänd tagg"),
    ("{{ partnerskap.namn | kronor }}", "filtret kronor behöver ett tal"),
])
def test_template_errors_are_swedish(runner, tmp_path, template, fragment):
    folder = tmp_path / "mallar" / "avtal"
    folder.mkdir(parents=True)
    (folder / "99-extra.md.j2").write_text(template + "\n", encoding="utf-8")
    result = run(runner, "render", CANONICAL, "--mallar", tmp_path / "mallar", "-f", "md",
                 "-o", tmp_path)
    assert result.exit_code == 1, result.output
    assert fragment in result.stderr, result.stderr
    assert "mallen" in result.stderr and "99-extra.md.j2" in result.stderr
    message = result.stderr.split("Fel: ", 1)[1]
    assert not ENGLISH.search(message), message


def test_unlisted_os_error_is_described_in_swedish():
    from iopkit.files import describe_os_error

    assert describe_os_error(OSError(errno.ENOSPC, "No space left on device")) == \
        "disken är full"
    unusual = describe_os_error(OSError(errno.ESTALE, "Stale file handle"))
    assert unusual == "ett fel i filsystemet (ESTALE)"
