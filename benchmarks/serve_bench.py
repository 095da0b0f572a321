#!/usr/bin/env python3
"""Benchmark the web editor as the page uses it: HTTP round-trips to a real `iopkit serve`.

Starts `iopkit serve --ingen-webblasare` in a subprocess, then times, over one kept-alive
connection as a browser does:
- the check round-trip (POST /api/check, what every change in the form costs),
- the preview round-trip (POST /api/render?dokument=avtal&format=html),
- the agreement download (POST /api/render?dokument=avtal&format=docx),
for the canonical spec (../shared/spec/exempel-dagverksamhet.yaml; when the current model
still rejects it, examples/dagverksamhet.yaml, and the report says so).

Usage:  python benchmarks/serve_bench.py [--requests 50] [--out benchmarks/RESULTS.md]
With --out the results replace the "Webbredigeraren" block of that file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from results_block import publish

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "spec" / "exempel-dagverksamhet.yaml"
FALLBACK = ROOT / "examples" / "dagverksamhet.yaml"
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)")
BEGIN, END = "<!-- serve_bench: början -->", "<!-- serve_bench: slut -->"
WARM_UP = 3


def start_server(cwd: Path) -> tuple[subprocess.Popen, int, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "iopkit", "serve", "--ingen-webblasare"], cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:
        match = URL.search(line)
        if match:
            return process, int(match.group(1)), match.group(2)
    raise SystemExit("iopkit serve printed no address: " + process.stderr.read())


def timed(connection: http.client.HTTPConnection, path: str, body: bytes,
          headers: dict[str, str]) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    return time.perf_counter() - started, response.status, data


def measure(connection, path, body, headers, count) -> list[float]:
    for _ in range(WARM_UP):
        _, status, data = timed(connection, path, body, headers)
        if status != 200:
            raise SystemExit(f"{path}: {status} {data[:300]!r}")
    return [timed(connection, path, body, headers)[0] for _ in range(count)]


def pick_spec(connection, headers) -> tuple[Path, str]:
    if SHARED.exists():
        _, status, data = timed(connection, "/api/check", SHARED.read_bytes(), headers)
        if status == 200 and json.loads(data)["summary"]["errors"] == 0:
            return SHARED, "den gemensamma exempelfilen ../shared/spec/exempel-dagverksamhet.yaml"
        return FALLBACK, ("examples/dagverksamhet.yaml (den gemensamma exempelfilen har ännu "
                          "nycklar som modellen inte känner till)")
    return FALLBACK, "examples/dagverksamhet.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    process, port, token = start_server(ROOT)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"x-iopkit-token": token, "origin": f"http://127.0.0.1:{port}",
                   "content-type": "application/yaml; charset=utf-8"}
        spec, spec_text = pick_spec(connection, headers)
        body = spec.read_bytes()
        rows = []
        for label, path, goal in (
                ("kontroll (POST /api/check)", "/api/check", 1.0),
                ("förhandsvisning (POST /api/render … format=html)",
                 "/api/render?dokument=avtal&format=html", 1.0),
                ("avtalet som .docx (POST /api/render … format=docx)",
                 "/api/render?dokument=avtal&format=docx", None)):
            samples = measure(connection, path, body, headers, args.requests)
            rows.append((label, statistics.median(samples), min(samples), max(samples), goal))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)

    lines = [
        BEGIN,
        "## Webbredigeraren (`iopkit serve`)",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} på {platform.machine()}, {os.cpu_count()} kärnor, "
        f"Python {platform.python_version()}; median av {args.requests} anrop efter "
        f"{WARM_UP} uppvärmningar, över en öppen HTTP-anslutning som webbläsaren använder. "
        f"Beskrivning: {spec_text}.",
        "",
        "| tur och retur | median | spridning | mål |",
        "|---|---|---|---|",
    ]
    for label, median, low, high, goal in rows:
        target = f"< {goal * 1000:.0f} ms" if goal else ""
        lines.append(f"| {label} | {median * 1000:.1f} ms | {low * 1000:.0f}–{high * 1000:.0f} ms "
                     f"| {target} |")
    lines.append(END)
    publish("\n".join(lines), args.out, BEGIN, END)


if __name__ == "__main__":
    main()
