"""Running the editor: a free port on 127.0.0.1, the address with its token, uvicorn."""

from __future__ import annotations

import asyncio
import socket
import sys
import webbrowser
from collections.abc import Callable

from .app import create_app
from .directory import Directory
from .security import new_token
from .workspace import Workspace

HOST = "127.0.0.1"
#: Seconds a connection may take to send a request's headers (slow clients).
HEADER_SECONDS = 10.0
#: Seconds an idle connection is kept open between requests.
KEEP_ALIVE_SECONDS = 5
#: The header block the HTTP parser accepts at most; the app refuses over 8 kB itself.
MAX_HEADER_BLOCK = 32 * 1024
#: Connections at once; more get 503 instead of holding memory.
MAX_CONNECTIONS = 64


def header_timeout_protocol() -> type:
    """uvicorn's h11 protocol with a bound on the time to the end of the headers: a
    client that sends them slowly (or never) is disconnected, not held forever."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class BoundedH11(H11Protocol):
        _header_timer: object = None

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(HEADER_SECONDS, self._too_slow)

        def _disarm(self) -> None:
            timer = self._header_timer
            if timer is not None:
                timer.cancel()  # type: ignore[attr-defined]
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()  # the headers are in: the app has the request

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

    return BoundedH11


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1; port 0 lets the system choose a free one. Binding
    here (not in uvicorn) means the port is known before the app is built."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        _exclusive(sock)
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def _exclusive(sock: socket.socket) -> None:
    """A port another program listens on is refused on every system. Windows lets two
    sockets share a port unless SO_EXCLUSIVEADDRUSE is set (and SO_REUSEADDR there means
    taking it over); BSD and macOS let SO_REUSEADDR bind 127.0.0.1 beside a wildcard
    listener. Only Linux gets SO_REUSEADDR: there it merely allows a restart while old
    connections linger, and a listening port is still refused."""
    exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
    if exclusive is not None:
        sock.setsockopt(socket.SOL_SOCKET, exclusive, 1)
    elif sys.platform.startswith("linux"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


def url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/?token={token}"


def serve(workspace: Workspace | Directory, sock: socket.socket, *,
          token: str | None = None, open_browser: bool = True,
          announce: Callable[[str], None] = print) -> None:
    """Serve one file (a Workspace) or a folder's partnerships (a Directory) until
    interrupted. KeyboardInterrupt propagates to the command."""
    import uvicorn

    token = token or new_token()
    port = sock.getsockname()[1]
    if isinstance(workspace, Directory):
        from .directory_app import create_directory_app

        app = create_directory_app(workspace, token, port)
    else:
        app = create_app(workspace, token, port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, date_header=False,
                            http=header_timeout_protocol(),
                            timeout_keep_alive=KEEP_ALIVE_SECONDS,
                            h11_max_incomplete_event_size=MAX_HEADER_BLOCK,
                            limit_concurrency=MAX_CONNECTIONS)
    server = uvicorn.Server(config)
    address = url(port, token)
    announce(address)
    if open_browser:
        webbrowser.open(address)
    from .worker import WORKER

    try:
        server.run(sockets=[sock])
    finally:
        WORKER.close()
