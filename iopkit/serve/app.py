"""The Starlette application: the page, its static files and the API, behind LocalOnly.

Static files are served from a fixed list read from the package, never from a path in
the request. The Content-Security-Policy allows only this server's own scripts, so even
text in a spec that slipped into the page as markup could not run.
"""

from __future__ import annotations

from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api
from .security import LocalOnly
from .workspace import Workspace

#: Every file the page may load, with its media type.
STATIC_FILES = {
    "index.html": "text/html; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "yaml.js": "text/javascript; charset=utf-8",
    "model.js": "text/javascript; charset=utf-8",
    "form.js": "text/javascript; charset=utf-8",
    "guide.js": "text/javascript; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def static_bytes(name: str) -> bytes:
    return (resources.files("iopkit.serve") / "static" / name).read_bytes()


async def page(request: Request) -> Response:
    return _static("index.html")


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        return PlainTextResponse("Filen finns inte.", status_code=404)
    return _static(name)


def _static(name: str) -> Response:
    return Response(static_bytes(name), media_type=STATIC_FILES[name])


async def _not_found(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("Sidan finns inte.", status_code=404)


async def _internal(request: Request, exc: Exception) -> Response:
    return api.error(500, "Internt fel i iopkit: " + type(exc).__name__ + ". Det här är "
                          "ett fel i programmet, inte i din beskrivning.")


def create_app(workspace: Workspace, token: str, port: int) -> ASGIApp:
    """The ASGI application for one server: `port` is the port it listens on (the
    Host and Origin checks need it). The security headers wrap everything, refusals
    (403, 413, 421, 431) included."""
    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/start", api.start),
        Route("/api/schema", api.schema),
        Route("/api/mall", api.scaffold),
        Route("/api/parse", api.parse, methods=["POST"]),
        Route("/api/check", api.check, methods=["POST"]),
        Route("/api/render", api.render, methods=["POST"]),
        Route("/api/save", api.save, methods=["POST"]),
        Route("/api/yaml", api.yaml_file, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 500: _internal})
    app.state.workspace = workspace
    return _with_headers(LocalOnly(app, token, port))


def _with_headers(app: ASGIApp) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
