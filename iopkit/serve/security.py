"""Who may talk to the local server: a pure ASGI middleware in front of every route.

A local web server is reachable by every web page the user opens, so each request must
prove it comes from the page iopkit printed:
- `Host` is 127.0.0.1 or localhost with our port (a DNS-rebinding page has its own name);
- the random token is present, as `?token=` on the first load (it then becomes an
  HttpOnly, SameSite=Strict cookie), or in the cookie or the `X-Iopkit-Token` header;
- every POST carries an `Origin` that is this server (a foreign page cannot forge it);
- request bodies over the limit are refused with 413, counting the bytes as they
  arrive (a `Content-Length` can lie or be absent).
Every refusal is a short Swedish text, never a traceback.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 2 * 1024 * 1024
TOKEN_HEADER = "x-iopkit-token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: one name per server."""
    return f"iopkit_token_{port}"


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class LocalOnly:
    """Wraps the app; see the module docstring for the rules."""

    def __init__(self, app: ASGIApp, token: str, port: int,
                 max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.token = token
        self.port = port
        self.max_body = max_body

    @property
    def origins(self) -> set[str]:
        return {f"http://127.0.0.1:{self.port}", f"http://localhost:{self.port}"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return  # websockets are not served
        headers = _headers(scope)
        try:
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
            # The token came in the address: keep it in a cookie and drop it from the
            # address bar (and the browser history) by redirecting to the page.
            await self._redirect_with_cookie(send)
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
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is just no cookie
            pass
        morsel = cookie.get(cookie_name(self.port))
        candidates.append(morsel.value if morsel else "")
        for index, candidate in enumerate(candidates):
            if candidate and secrets.compare_digest(candidate.encode(), self.token.encode()):
                return index == 0
        raise Refused(403, "Åtkomst nekad: adressen saknar rätt åtkomstnyckel. Öppna "
                           "adressen som `iopkit serve` skrev ut, med ?token=… på slutet.")

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

    async def _redirect_with_cookie(self, send: Send) -> None:
        cookie = (f"{cookie_name(self.port)}={self.token}; Path=/; HttpOnly; "
                  "SameSite=Strict")
        await send({"type": "http.response.start", "status": 303, "headers": [
            (b"location", b"/"),  # never a path from the request: no open redirect
            (b"set-cookie", cookie.encode("latin-1")),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", [])}


async def _plain(send: Send, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
