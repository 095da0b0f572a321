"""Starting a real `iopkit serve` in a subprocess, for the CLI and browser tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)")


@contextmanager
def running_server(*args: str, cwd: Path):
    """Yield (process, url, lines printed so far); interrupt with SIGINT afterwards."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "iopkit", "serve", "--ingen-webblasare", *args], cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        url = None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = URL.search(line)
            if match:
                url = match.group(0)
        if url is None:
            process.kill()
            raise AssertionError("iopkit serve printed no address: " + "".join(lines)
                                 + process.stderr.read())
        yield process, url, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def slow_task(*args: object) -> str:
    """A check that never ends in time (run in the editor's worker process)."""
    time.sleep(60)
    return ""
