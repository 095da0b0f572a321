"""Start-up stays light: --version, --help and check never load the rendering stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CANONICAL

HEAVY = ("docx", "jinja2", "markdown_it", "holidays", "icalendar", "lxml", "starlette",
         "uvicorn", "anyio")

PROBE = """
import json, sys
sys.argv = ["iopkit", *json.loads(sys.argv[1])]
from iopkit.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[2]))
sys.stderr.write("LOADED=" + json.dumps(heavy) + "\\n")
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", str(CANONICAL)],
                                  ["check", "--format", "json", str(CANONICAL)]],
                         ids=["version", "help", "check", "check-json"])
def test_command_does_not_import_rendering_libraries(args):
    # The probe's own argv is replaced, so pass our lists as extra argv entries.
    result = subprocess.run([sys.executable, "-c", PROBE.replace(
        'json.loads(sys.argv[1])', repr(args)).replace('json.loads(sys.argv[2])', repr(HEAVY))],
        capture_output=True, text=True, timeout=60)
    line = [entry for entry in result.stderr.splitlines() if entry.startswith("LOADED=")]
    assert line, result.stderr
    assert json.loads(line[0][len("LOADED="):]) == []
