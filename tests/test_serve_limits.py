"""`iopkit serve` under load and hostile requests: slow CPU work, slow clients, oversize
headers, and the security headers on every answer."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from starlette.testclient import TestClient

import serve_helpers
from conftest import EXAMPLES
from iopkit.serve import api, worker
from iopkit.serve.app import create_app
from iopkit.serve.workspace import Workspace
from serve_helpers import running_server

PORT = 48767
TOKEN = "test-token-limits"
ORIGIN = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def client(tmp_path) -> TestClient:
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    return TestClient(create_app(Workspace(spec), TOKEN, PORT),
                      base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False)


def authed(**extra: str) -> dict[str, str]:
    return {"x-iopkit-token": TOKEN, "origin": ORIGIN, **extra}


@pytest.mark.parametrize("case", ["403", "413", "421", "431", "404", "200-page", "200-cookie"])
def test_security_headers_on_every_answer(client, case):
    big_cookie = "a=" + "\\" * 14_000
    if case == "403":
        response = client.get("/api/start")
    elif case == "413":
        response = client.post("/api/check", content=b"#" * (3 * 1024 * 1024), headers=authed())
    elif case == "421":
        response = client.get("/api/start", headers=authed(host="evil.example"))
    elif case == "431":
        response = client.get("/api/start", headers=authed(cookie=big_cookie))
    elif case == "404":
        response = client.get("/finns-inte", headers=authed())
    elif case == "200-page":
        response = client.get(f"/?token={TOKEN}")
    else:
        client.get(f"/?token={TOKEN}")
        response = client.get("/")
    assert response.status_code == int(case[:3])
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_oversize_cookie_is_refused_before_it_is_parsed(client, monkeypatch):
    import http.cookies

    def never(*args, **kwargs):
        raise AssertionError("the cookie parser ran")

    monkeypatch.setattr(http.cookies.SimpleCookie, "load", never)
    started = time.process_time()
    for _ in range(24):
        response = client.get("/", headers={"cookie": "a=" + "\\" * 14_000})
        assert response.status_code == 431 and "för stora" in response.text
    assert time.process_time() - started < 5  # generous: 24 requests, not 10 s of CPU


def test_a_slow_check_is_stopped_and_other_requests_are_served_meanwhile(client, monkeypatch):
    monkeypatch.setattr(api, "check_json_task", serve_helpers.slow_task)
    monkeypatch.setattr(worker, "CHECK_SECONDS", 3.0)
    result: dict[str, object] = {}

    def slow() -> None:
        result["response"] = client.post("/api/check", content=b"iopkit: 1\n", headers=authed())

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    quick = client.get("/api/schema", headers=authed())  # served while the check runs
    assert quick.status_code == 200 and "response" not in result
    thread.join(30)
    response = result["response"]
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert "tog för lång tid" in response.json()["fel"]  # type: ignore[attr-defined]
    # The worker was ended and a new one answers the next check.
    monkeypatch.undo()
    again = client.post("/api/check", content=b"iopkit: 1\n", headers=authed())
    assert again.status_code == 200 and "findings" in again.json()


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def test_eight_slow_connections_do_not_stop_a_ninth(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _lines):
        port = int(url.split(":")[2].split("/")[0])
        token = url.split("token=")[1]
        slow = [_connect(port) for _ in range(8)]
        try:
            for sock in slow:  # headers that never end
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-A: " % port)
            ninth = _connect(port)
            ninth.sendall(f"GET /api/schema HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          f"X-Iopkit-Token: {token}\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while True:
                chunk = ninth.recv(65536)
                if not chunk:
                    break
                answer += chunk
            ninth.close()
            assert answer.startswith(b"HTTP/1.1 200")
        finally:
            for sock in slow:
                sock.close()


@pytest.mark.slow
def test_a_connection_that_never_finishes_its_headers_is_closed(tmp_path):
    from iopkit.serve.server import HEADER_SECONDS

    with running_server(cwd=tmp_path) as (_, url, _lines):
        port = int(url.split(":")[2].split("/")[0])
        sock = _connect(port)
        sock.settimeout(HEADER_SECONDS + 10)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        while True:  # one byte now and then: still closed after the header time
            try:
                sock.sendall(b"X")
                if sock.recv(1, socket.MSG_DONTWAIT) == b"":
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            if time.monotonic() - started > HEADER_SECONDS + 10:
                break
            time.sleep(0.5)
        assert time.monotonic() - started < HEADER_SECONDS + 5
        sock.close()
