"""Who may talk to the local server: a pure ASGI middleware in front of every route.

A local web server is reachable by every web page the user opens, so each request must
prove it comes from the page iopkit printed:
- `Host` is 127.0.0.1 or localhost with our port (a DNS-rebinding page has its own name);
- the random token is present: as `?token=` on the first load, then in the
  `X-Iopkit-Token` header the page sends (it keeps the token in sessionStorage, which
  is per port). Every API call needs it. A browser sends cookies to every port of
  127.0.0.1, so another local server would receive any cookie of ours: the one cookie
  (HttpOnly, SameSite=Strict, Path=/, its name bound to the port and a per-start
  secret) holds no token and opens only the page and its static files, which hold no
  data, and only with a matching Host and, when sent, Origin;
- headers over MAX_HEADER_BYTES are refused before any of them is parsed (Python's
  cookie parser is slow on hostile input, CVE-2024-7592; we parse no cookie with it);
- every POST carries an `Origin` that is this server (a foreign page cannot forge it);
- request bodies over the limit are refused with 413, counting the bytes as they
  arrive (a `Content-Length` can lie or be absent).
Every refusal is a short Swedish text, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 2 * 1024 * 1024
#: All request headers together; the page sends well under 2 kB.
MAX_HEADER_BYTES = 8 * 1024
TOKEN_HEADER = "x-iopkit-token"
#: What the cookie opens: the page and its static files, nothing with data.
PAGE_PATHS = ("/", "/static/")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _derived(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def cookie_name(port: int, token: str) -> str:
    """Cookies are shared by every port of a host: one name per server and start."""
    return f"iopkit_{port}_{_derived(token, 'name')[:12]}"


def cookie_value(port: int, token: str) -> str:
    """Not the token: a value that only says "this browser loaded the page"."""
    return _derived(token, f"page:{port}")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class LocalOnly:
    """Wraps the app; see the module docstring for the rules."""

    def __init__(self, app: ASGIApp, token: str, port: int,
                 max_body: int = MAX_BODY_BYTES, pages: tuple[str, ...] = ()):
        self.app = app
        self.token = token
        self.port = port
        self.max_body = max_body
        #: Further path prefixes of pages (no data in them) the cookie opens, such as
        #: the editor pages of `iopkit serve KATALOG`.
        self.pages = pages

    @property
    def origins(self) -> set[str]:
        return {f"http://127.0.0.1:{self.port}", f"http://localhost:{self.port}"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return  # websockets are not served
        try:
            headers = _headers(scope)
            self._check_host(headers)
            from_query = self._check_token(scope, headers)
            if scope["method"] not in ("GET", "HEAD", "POST"):
                raise Refused(405, "Metoden är inte tillåten.")
            if scope["method"] == "POST":
                self._check_origin(headers)
                receive = await self._read_limited(headers, receive)
        except Refused as refusal:
            await _plain(send, refusal.status, refusal.message)
            return
        if from_query and scope["method"] == "GET" and scope.get("path") == "/":
            # The first load: the page takes the token from the address (and removes it
            # from the address bar); the cookie lets a reload fetch the page again.
            await self.app(scope, receive, self._with_cookie(send))
            return
        await self.app(scope, receive, send)

    def _check_host(self, headers: dict[str, str]) -> None:
        if headers.get("host", "") not in {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}:
            raise Refused(421, "Okänd serveradress. Webbredigeraren svarar bara på "
                               f"http://127.0.0.1:{self.port}/ (eller localhost).")

    def _check_token(self, scope: Scope, headers: dict[str, str]) -> bool:
        """True when the token came as a query parameter (first load)."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        candidates = [(query.get("token") or [""])[0], headers.get(TOKEN_HEADER, "")]
        for index, candidate in enumerate(candidates):
            if candidate and secrets.compare_digest(candidate.encode(), self.token.encode()):
                return index == 0
        if self._page_cookie(scope, headers):
            return False
        raise Refused(403, "Åtkomst nekad: adressen saknar rätt åtkomstnyckel. Öppna "
                           "adressen som `iopkit serve` skrev ut, med ?token=… på slutet.")

    def _page_cookie(self, scope: Scope, headers: dict[str, str]) -> bool:
        """The cookie opens only GET of the page and its files, and only from this
        server's own pages (a cross-site request says so in Origin or Sec-Fetch-Site)."""
        path = str(scope.get("path", ""))
        if scope["method"] not in ("GET", "HEAD") or not (
                path == "/" or path.startswith(("/static/", *self.pages))):
            return False
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return False
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        wanted = cookie_name(self.port, self.token)
        expected = cookie_value(self.port, self.token).encode()
        for part in headers.get("cookie", "").split(";"):  # plain split: linear, no regex
            name, _, value = part.strip().partition("=")
            if name == wanted and secrets.compare_digest(value.encode(), expected):
                return True
        return False

    def _check_origin(self, headers: dict[str, str]) -> None:
        if headers.get("origin", "") not in self.origins:
            raise Refused(403, "Åtkomst nekad: anropet kommer inte från webbredigerarens "
                               "egen sida.")

    async def _read_limited(self, headers: dict[str, str], receive: Receive) -> Receive:
        too_large = Refused(413, "Innehållet är för stort. Webbredigeraren tar emot högst "
                                 f"{self.max_body // (1024 * 1024)} MB.")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise too_large
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refused(400, "Anslutningen bröts.")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay

    def _with_cookie(self, send: Send) -> Send:
        cookie = (f"{cookie_name(self.port, self.token)}={cookie_value(self.port, self.token)}"
                  "; Path=/; HttpOnly; SameSite=Strict")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                   (b"set-cookie", cookie.encode("latin-1"))]}
            await send(message)

        return sending


def _headers(scope: Scope) -> dict[str, str]:
    raw = scope.get("headers", [])
    if sum(len(name) + len(value) + 4 for name, value in raw) > MAX_HEADER_BYTES:
        raise Refused(431, "Anropets huvuden är för stora (mer än "
                           f"{MAX_HEADER_BYTES // 1024} kB). Ta bort kakorna för 127.0.0.1 "
                           "i webbläsaren och ladda om sidan.")
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in raw}


async def _plain(send: Send, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
