"""The CLI door: Swedish help and usage errors for every command (by subclassing typer, no
patches), and one mapping from iopkit's errors to exit codes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import CANONICAL, run

ENGLISH = re.compile(r"\b(Usage|Options|Arguments|Commands|default|required|Show this|"
                     r"message|TEXT|INTEGER|BOOLEAN|PATH|FLOAT|env var|dynamic|Error|Got|"
                     r"unexpected|Invalid|No such|Missing|requires|Did you mean|is not|"
                     r"Traceback|Aborted)\b")


def command_names() -> list[str]:
    from iopkit.cli import COMMANDS

    return [name for name, _, _ in COMMANDS]


def test_every_command_uses_the_swedish_command_class():
    import typer.main

    from iopkit.cli import app
    from iopkit.cli.help_sv import IopkitCommand, IopkitGroup

    group = typer.main.get_command(app)
    assert isinstance(group, IopkitGroup)
    assert sorted(group.commands) == sorted(command_names())
    for name, command in group.commands.items():
        assert isinstance(command, IopkitCommand), name


@pytest.mark.parametrize("name", ["(root)"] + command_names())
def test_every_help_page_is_swedish(runner, name):
    args = ["--help"] if name == "(root)" else [name, "--help"]
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    page = result.stdout
    prefix = "Användning: iopkit" + ("" if name == "(root)" else f" {name}")
    assert page.startswith(prefix + " [FLAGGOR]"), page
    assert "\nFlaggor:\n" in page
    assert "-h, --help" in page and "Visa den här hjälpen och avsluta." in page
    assert not ENGLISH.search(page), ENGLISH.search(page)
    assert result.stderr == ""
    # Every argument is listed with its help (typer < 0.19 with click 8.3 lost it).
    if name != "(root)":
        import typer.main

        from iopkit.cli import app

        command = typer.main.get_command(app).commands[name]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        if arguments:
            section = page.split("\nArgument:\n", 1)[1].split("\nFlaggor:\n", 1)[0]
            for argument in arguments:
                assert f"  {argument.metavar}  " in section, section


def test_help_shows_defaults_ranges_and_requirements_in_swedish(runner):
    page = run(runner, "diff", "-h").stdout
    assert "[standard: 1; minst 1]" in page
    assert "-f, --format [text|md|docx]" in page
    assert "[standard: text]" in page
    assert "Användning: iopkit diff [FLAGGOR] GAMMAL NY" in page
    assert "[1–65535]" in run(runner, "serve", "-h").stdout
    assert "Användning: iopkit new [FLAGGOR] [FIL]" in run(runner, "new", "-h").stdout
    page = run(runner, "--help").stdout
    assert "Kommandon:" in page and "uppfoljning  Mall för uppföljningsrapporten." in page


# A usage error for every command: Swedish, with the usage line and a hint, exit 2.
USAGE_ERRORS = [
    (["new", "--typ"], "Flaggan --typ behöver ett värde."),
    (["check"], "Argumentet FIL saknas."),
    (["check", "a.yaml", "--format", "xml"], "Ogiltigt värde för --format: 'xml'."),
    (["render", "a.yaml", "--jobs", "0"], "värdet måste vara minst 1."),
    (["serve", "--port", "70000"], "Ogiltigt värde för --port"),
    (["regler", "--format", "pdf"], "Ogiltigt värde för --format: 'pdf'."),
    (["schema", "extra.yaml"], "Oväntade argument: extra.yaml."),
    (["diff", "a.yaml"], "Argumentet NY saknas."),
    (["kalender", "a.yaml", "--nej"], "Flaggan --nej finns inte."),
    (["uppfoljning", "A.yaml", "B.yaml"], "Oväntade argument: B.yaml."),
    (["rapport", "U.yaml", "--år", "tjugo"], "--år"),
    (["oversikt", "KATALOG", "--dagar", "många"], "--dagar"),
    (["mallar"], "Argumentet KATALOG saknas."),
    (["chek"], "Kommandot 'chek' finns inte. Menade du 'check' eller 'schema'?"),
]


@pytest.mark.parametrize("args, message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in
                                                              USAGE_ERRORS])
def test_usage_errors_of_every_command_are_swedish(runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert "Fel: " in result.stderr and message in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    if lines[0].startswith("Användning: iopkit"):  # click knew the command (nearly always)
        assert lines[-1].startswith("Skriv 'iopkit") and lines[-1].endswith("för hjälp.")
    assert not ENGLISH.search(result.stderr), result.stderr
    assert result.stdout == ""


def test_every_command_has_a_usage_error_case():
    assert {args[0] for args, _ in USAGE_ERRORS} >= set(command_names())


def test_iopkit_alone_shows_the_help_on_stderr(runner):
    result = run(runner)
    assert result.exit_code == 2
    assert result.stderr.startswith("Användning: iopkit [FLAGGOR] KOMMANDO")
    assert "Kommandon:" in result.stderr and result.stdout == ""


def test_click_classes_are_found_through_typers_public_names():
    import typer

    from iopkit.cli.door import ClickException, ClickUsageError

    assert issubclass(typer.BadParameter, ClickUsageError)
    assert issubclass(ClickUsageError, ClickException)


# --- One mapping from errors to exit codes ------------------------------------------------


@pytest.fixture
def failing_check(monkeypatch):
    """Make `iopkit check` raise the given exception."""
    import iopkit.check

    def install(error: BaseException) -> None:
        def broken(*args, **kwargs):
            raise error

        # `check` reads specs and follow-up files alike through check_any_file.
        monkeypatch.setattr(iopkit.check, "check_file", broken)
        monkeypatch.setattr(iopkit.check, "check_any_file", broken)

    return install


@pytest.mark.parametrize("error_name, code, prefix", [
    ("UserInputError", 1, "Fel: "),
    ("UsageError", 2, "Fel: "),
    ("InputProblem", 2, "Fel: "),
    ("SpecIOError", 2, "Fel: "),
])
def test_iopkit_errors_become_their_exit_code(runner, failing_check, error_name, code,
                                               prefix):
    from iopkit import errors

    failing_check(getattr(errors, error_name)("Filen x.yaml är trasig. Gör om den."))
    result = run(runner, "check", CANONICAL)
    assert result.exit_code == code, result.output
    assert result.stderr.endswith(prefix + "Filen x.yaml är trasig. Gör om den.\n")


def test_template_and_spec_errors_are_user_input_errors():
    from iopkit.errors import UsageError, UserInputError, exit_status
    from iopkit.files import InputProblem, UsageProblem
    from iopkit.render.pipeline import SpecHasErrors
    from iopkit.render.templates import TemplateProblem
    from iopkit.spec.loader import SpecIOError, SpecLoadError

    for kind in (TemplateProblem, SpecHasErrors, SpecLoadError):
        assert issubclass(kind, UserInputError)
    for kind in (UsageProblem, InputProblem, SpecIOError):
        assert issubclass(kind, UsageError)
    assert exit_status(TemplateProblem("x")) == 1
    assert exit_status(UsageProblem("x")) == 2
    assert exit_status(RuntimeError("x")) == 3


def test_ctrl_c_in_a_command_is_130(runner, failing_check):
    failing_check(KeyboardInterrupt())
    result = run(runner, "check", CANONICAL)
    assert result.exit_code == 130
    assert result.stderr.strip() == "Avbrutet."


def test_internal_error_is_one_swedish_line(runner, failing_check, monkeypatch):
    monkeypatch.delenv("IOPKIT_DEBUG", raising=False)
    failing_check(RuntimeError("simulerat programfel"))
    result = run(runner, "check", CANONICAL)
    assert result.exit_code == 3
    assert result.stderr.startswith("Internt fel i iopkit: RuntimeError.")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_iopkit_debug_shows_the_traceback_of_an_internal_error(runner, failing_check,
                                                              monkeypatch):
    monkeypatch.setenv("IOPKIT_DEBUG", "1")
    failing_check(RuntimeError("simulerat programfel"))
    result = run(runner, "check", CANONICAL)
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: simulerat programfel" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Internt fel i iopkit")


def test_the_console_script_uses_the_door(tmp_path):
    """`python -m iopkit` (the installed entry point's path) maps errors the same way."""
    result = subprocess.run([sys.executable, "-m", "iopkit", "check", "--format", "xml",
                             str(CANONICAL)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "Ogiltigt värde för --format: 'xml'." in result.stderr


# --- Data to stdout, messages to stderr ---------------------------------------------------


def test_commands_that_write_files_print_messages_only_on_stderr(runner, tmp_path):
    """render, uppfoljning, kalender, new, schema -o and diff -f md write files; what they
    say about them (findings, "Skrev …", next steps) is a message: stdout stays empty."""
    new = tmp_path / "ny.yaml"
    calls = [
        ("new", new, "--typ", "dagverksamhet"),
        ("render", CANONICAL, "-o", tmp_path / "ut", "-f", "md"),
        ("render", new, "-o", tmp_path / "ut2", "-f", "md"),  # with warnings (FYLL I)
        ("uppfoljning", CANONICAL, "-o", tmp_path / "ut", "-f", "md"),
        ("kalender", CANONICAL, "-o", tmp_path / "k.ics"),
        ("schema", "-o", tmp_path / "s.json"),
        ("diff", CANONICAL, new, "-f", "md", "-o", tmp_path / "t.md"),
    ]
    for args in calls:
        result = run(runner, *args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout == "", (args, result.stdout)
        assert result.stderr.strip(), args


def test_commands_whose_output_is_data_print_it_on_stdout(runner, tmp_path):
    for args, start in [
        (("check", CANONICAL), f"{CANONICAL}: OK"),
        (("check", "-f", "json", CANONICAL), "{"),
        (("regler", "-f", "json"), "{"),
        (("regler",), ""),
        (("schema",), "{"),
        (("diff", CANONICAL, CANONICAL), ""),
        (("new", "--lista"), "Typer för iopkit new --typ:"),
    ]:
        result = run(runner, *args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip() and result.stdout.startswith(start), (args, result.stdout)
        assert result.stderr == "", (args, result.stderr)
