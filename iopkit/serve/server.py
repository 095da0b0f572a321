"""Running the editor: a free port on 127.0.0.1, the address with its token, uvicorn."""

from __future__ import annotations

import socket
import sys
import webbrowser
from collections.abc import Callable

from .app import create_app
from .security import new_token
from .workspace import Workspace

HOST = "127.0.0.1"


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


def serve(workspace: Workspace, sock: socket.socket, *, token: str | None = None,
          open_browser: bool = True, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted. KeyboardInterrupt propagates to the command."""
    import uvicorn

    token = token or new_token()
    port = sock.getsockname()[1]
    app = create_app(workspace, token, port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, date_header=False)
    server = uvicorn.Server(config)
    address = url(port, token)
    announce(address)
    if open_browser:
        webbrowser.open(address)
    server.run(sockets=[sock])
