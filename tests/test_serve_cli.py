"""`iopkit serve` as a user starts and stops it."""

from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request

import pytest

from conftest import EXAMPLES, run
from serve_helpers import URL, running_server


def test_serve_prints_the_address_serves_the_page_and_ctrl_c_exits_130(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server("avtal.yaml", cwd=tmp_path) as (process, url, lines):
        port, token = URL.search(url).groups()
        assert [line.strip() for line in lines] == [url]  # the address alone on stdout
        assert len(token) >= 32
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/start",
                                         headers={"x-iopkit-token": token})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert b'"fil":"avtal.yaml"' in response.read()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/start", timeout=10)
            raise AssertionError("a request without the token was served")
        except urllib.error.HTTPError as refused:
            assert refused.code == 403
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 130
        stderr = process.stderr.read()
        assert stderr.count("Avbrutet.") == 1 and stderr.strip().endswith("Avbrutet.")
        assert "åtkomstnyckel" in stderr and "Avsluta med Ctrl-C." in stderr
        assert "Traceback" not in stderr


def test_two_servers_get_different_ports_and_tokens(tmp_path):
    with running_server(cwd=tmp_path) as (_, first, _), \
            running_server(cwd=tmp_path) as (_, second, _):
        assert URL.search(first).groups() != URL.search(second).groups()
        assert URL.search(first).group(1) != URL.search(second).group(1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO saknas")
def test_serve_refuses_what_is_neither_a_file_nor_a_folder(runner, tmp_path):
    # A folder is served as the list of its partnerships (test_serve_directory.py).
    fifo = tmp_path / "ror.yaml"
    os.mkfifo(fifo)
    result = run(runner, "serve", fifo, "--ingen-webblasare")
    assert result.exit_code == 2
    assert "är ingen vanlig fil" in result.output


def test_serve_refuses_an_unknown_kind(runner, tmp_path):
    result = run(runner, "serve", tmp_path / "ny.yaml", "--typ", "okänd", "--ingen-webblasare")
    assert result.exit_code == 2
    assert "Okänd typ" in result.output and "dagverksamhet" in result.output


def test_serve_refuses_a_busy_port(runner, tmp_path):
    from iopkit.serve.server import bind

    sock = bind(0)
    try:
        port = sock.getsockname()[1]
        result = run(runner, "serve", "--port", port, "--ingen-webblasare")
        assert result.exit_code == 2
        assert f"Porten {port}" in result.output and "upptagen" in result.output
    finally:
        sock.close()


def test_serve_is_listed_in_help(runner):
    result = run(runner, "--help")
    assert "serve" in result.output and "Webbredigeraren" in result.output


def test_kind_with_an_existing_file_says_the_file_wins(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server("avtal.yaml", "--typ", "tom", cwd=tmp_path) as (process, _, _):
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 130
        assert "avtal.yaml finns redan och öppnas som den är" in process.stderr.read()
