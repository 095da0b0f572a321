"""The server of `iopkit serve KATALOG`: the list of the folder's partnerships, its
downloads, and the editor on any one of them, all behind the same LocalOnly rules as
the single-file editor (token, Host, Origin on POST, bounded bodies and headers).

The editor page is the single-file editor's own page and scripts, unchanged. Its
scripts call `/api/...` for the one file a server edits; here each partnership is an
editor of its own (`create_app` on a Workspace for that file), and the page names its
file in the `X-Iopkit-Fil` header, which `static/katalog-redigerare.js` adds to every
API call of the page (and a link back to the list). A name from a header or an address
is only ever looked up through `Directory.resolve`.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..files import UsageProblem
from . import worker
from .app import STATIC_FILES, _with_headers, create_app, static_bytes
from .directory import DOWNLOADS, Directory, OutsideDirectory, download_task, list_task
from .security import LocalOnly
from .workspace import Workspace

FILE_HEADER = "x-iopkit-fil"
KIND_HEADER = "x-iopkit-typ"
#: Where the editor on one partnership is: /avtal/<its name in the folder>.
EDITOR_PREFIX = "/avtal/"
#: Seconds listing the folder may take (every file is checked the first time).
LIST_SECONDS = 120.0
MAX_DAYS = 3660

DIRECTORY_FILES = {
    "katalog.html": "text/html; charset=utf-8",
    "katalog.css": "text/css; charset=utf-8",
    "katalog.js": "text/javascript; charset=utf-8",
    "katalog-redigerare.js": "text/javascript; charset=utf-8",
}
DOWNLOAD_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"fel": message}, status_code=status)


def _directory(request: Request) -> Directory:
    directory: Directory = request.app.state.directory
    return directory


async def page(request: Request) -> Response:
    return Response(static_bytes("katalog.html"), media_type=DIRECTORY_FILES["katalog.html"])


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name in DIRECTORY_FILES:
        return Response(static_bytes(name), media_type=DIRECTORY_FILES[name])
    if name in STATIC_FILES:
        return Response(static_bytes(name), media_type=STATIC_FILES[name])
    return PlainTextResponse("Filen finns inte.", status_code=404)


def editor_page() -> bytes:
    """The editor's page with the script that names the file, before the editor's
    own scripts (they are deferred, this one is not, so it runs first)."""
    html = static_bytes("index.html")
    tag = (b'<link rel="stylesheet" href="/static/katalog.css">\n'
           b'<script src="/static/katalog-redigerare.js"></script>\n')
    at = html.find(b"<script")
    if at < 0:
        at = html.find(b"</head>")
    return html[:at] + tag + html[at:] if at >= 0 else tag + html


async def editor(request: Request) -> Response:
    try:
        _directory(request).resolve(request.path_params["key"], may_be_new=True)
    except OutsideDirectory as exc:
        return PlainTextResponse(f"{exc} Gå tillbaka till listan: http://"
                                 f"{request.headers.get('host', '')}/", status_code=404)
    return Response(editor_page(), media_type="text/html; charset=utf-8")


def _date_and_days(request: Request) -> tuple[dt.date, int]:
    """`?datum=ÅÅÅÅ-MM-DD&dagar=N` from the page, else today and 90 days."""
    from ..dates import default_date

    text = request.query_params.get("datum", "")
    if text:
        try:
            today = dt.date.fromisoformat(text)
        except ValueError:
            raise UsageProblem(f"Datumet ”{text[:20]}” är inget datum. Skriv det som "
                               "ÅÅÅÅ-MM-DD, till exempel 2027-03-01.") from None
    else:
        today = default_date()
    days_text = request.query_params.get("dagar", "90")
    if not days_text.isdigit() or int(days_text) > MAX_DAYS:
        raise UsageProblem(f"Antalet dagar ”{days_text[:20]}” ska vara ett heltal från 0 "
                           f"till {MAX_DAYS}, till exempel 90.")
    return today, int(days_text)


async def _in_worker(what: str, function: Any, *args: Any) -> Any:
    """`function(*args)` in the worker within LIST_SECONDS; a JSONResponse on failure."""
    try:
        return await run_in_threadpool(worker.WORKER.run, function, *args,
                                       seconds=LIST_SECONDS)
    except worker.TooSlow as exc:
        return _error(503, f"{what} tog för lång tid (mer än {exc.seconds:g} sekunder) och "
                           "avbröts. Finns det mycket stora eller väldigt många filer i "
                           "katalogen? Flytta dem som inte är partnerskap och ladda om.")
    except worker.WorkerFailed:
        return _error(500, f"{what} avbröts oväntat (arbetsprocessen avslutades). Ladda "
                           "om sidan och försök igen.")
    except UsageProblem as exc:
        return _error(409, str(exc))


async def listing(request: Request) -> Response:
    try:
        today, days = _date_and_days(request)
    except UsageProblem as exc:
        return _error(400, str(exc))
    result = await _in_worker("Listan", list_task, str(_directory(request).root), today,
                              days)
    if isinstance(result, Response):
        return result
    from ..scaffold import SCAFFOLDS

    result["typer"] = [{"namn": s.name, "beskrivning": s.description} for s in SCAFFOLDS]
    return JSONResponse(result)


async def download(request: Request) -> Response:
    choice = request.query_params.get("format", "")
    if choice not in DOWNLOADS:
        return _error(400, "Okänt format. Välj ett av: " + ", ".join(DOWNLOADS) + ".")
    try:
        today, days = _date_and_days(request)
    except UsageProblem as exc:
        return _error(400, str(exc))
    result = await _in_worker("Översikten", download_task, str(_directory(request).root),
                              today, days, choice)
    if isinstance(result, Response):
        return result
    name, content = result
    from urllib.parse import quote

    return Response(content, media_type=DOWNLOAD_TYPES[DOWNLOADS[choice]], headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"})


async def new_partnership(request: Request) -> Response:
    """{"namn": file name, "typ": scaffold} → {"adress": the editor on the new file}.
    Nothing is written: the editor creates the file when the user saves."""
    from urllib.parse import quote

    from ..scaffold import SCAFFOLDS

    try:
        wanted = json.loads((await request.body()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "Innehållet är inte giltig JSON. Ladda om sidan och försök igen.")
    if not isinstance(wanted, dict) or not isinstance(wanted.get("namn"), str):
        return _error(400, "Skriv ett filnamn för det nya partnerskapet.")
    kind = wanted.get("typ")
    kinds = [s.name for s in SCAFFOLDS]
    if kind not in kinds:
        return _error(400, "Välj en typ av partnerskap: " + ", ".join(kinds) + ".")
    try:
        key = _directory(request).new_file(wanted["namn"])
    except OutsideDirectory as exc:
        return _error(400, str(exc))
    return JSONResponse({"fil": key, "adress": EDITOR_PREFIX + quote(key) + "?typ="
                         + quote(str(kind), safe="")})


class EditorsByFile:
    """One single-file editor per partnership, made on first use and kept (the
    Workspace's lock makes two tabs on the same file save one at a time)."""

    def __init__(self, token: str, port: int):
        self.token = token
        self.port = port
        self._apps: dict[tuple[str, str | None], ASGIApp] = {}
        self._lock = threading.Lock()

    def get(self, path: Any, kind: str | None) -> ASGIApp:
        key = (str(path), kind)
        with self._lock:
            app = self._apps.get(key)
            if app is None:
                if len(self._apps) > 4 * 5000:  # never more than the folder's files
                    self._apps.clear()
                app = create_app(Workspace(path, kind), self.token, self.port)
                self._apps[key] = app
            return app


class Dispatch:
    """`/api/...` calls of an editor page go to that file's editor; the rest (the list,
    its API and the pages) to the folder's own routes."""

    def __init__(self, folder_app: Starlette, directory: Directory, editors: EditorsByFile):
        self.folder_app = folder_app
        self.directory = directory
        self.editors = editors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith("/api/") \
                or path == "/api/katalog" or path.startswith("/api/katalog/"):
            await self.folder_app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        key = unquote(headers.get(FILE_HEADER, ""))
        if not key:
            await _error(400, "Anropet säger inte vilket partnerskap det gäller. Gå "
                              "tillbaka till listan och öppna partnerskapet där.")(
                scope, receive, send)
            return
        try:
            file = self.directory.resolve(key, may_be_new=True)
        except OutsideDirectory as exc:
            await _error(404, str(exc))(scope, receive, send)
            return
        from ..scaffold import SCAFFOLDS

        kind: str | None = unquote(headers.get(KIND_HEADER, ""))
        if kind not in [s.name for s in SCAFFOLDS]:
            kind = None
        await self.editors.get(file, kind)(scope, receive, send)


def create_directory_app(directory: Directory, token: str, port: int) -> ASGIApp:
    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route(EDITOR_PREFIX + "{key:path}", editor),
        Route("/api/katalog", listing),
        Route("/api/katalog/hamta", download),
        Route("/api/katalog/nytt", new_partnership, methods=["POST"]),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Sidan finns inte.", status_code=404)

    async def internal(request: Request, exc: Exception) -> Response:
        return _error(500, "Internt fel i iopkit: " + type(exc).__name__ + ". Det här är ett "
                           "fel i programmet, inte i dina filer.")

    folder_app = Starlette(routes=routes,
                           exception_handlers={404: not_found, 500: internal})
    folder_app.state.directory = directory
    dispatch = Dispatch(folder_app, directory, EditorsByFile(token, port))
    return _with_headers(LocalOnly(dispatch, token, port, pages=(EDITOR_PREFIX,)))
