"""The API behind the page: check, render, schema, start data, scaffolds, save.

Every endpoint reuses the library the commands use (check_text + json_report for
`iopkit check --format json`, the render pipeline, the schema, the scaffolds), so the
page and the command line can never disagree. Request parameters are only ever compared
with fixed lists; none of them reaches the file system. Errors are JSON `{"fel": text}`
in Swedish.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..files import UsageProblem
from . import worker
from .workspace import Conflict, ReadOnly, Workspace, plain_data, version_of

#: The check and render pipeline shares cached templates and parsers: one at a time.
_PIPELINE = threading.Lock()

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
VERSION_HEADER = "x-iopkit-version"


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"fel": message, **extra}, status_code=status)


def _workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


class BadBody(Exception):
    pass


def _strict_text(data: bytes) -> str:
    """A request body the page sends is UTF-8; anything else is refused, never guessed
    (a replacement character for every å, ä and ö would be saved)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(f"Innehållet är inte giltig UTF-8 (fel vid byte {exc.start}). "
                      "Ingenting har sparats. Ladda om sidan och försök igen.") from None


def _too_slow(what: str, exc: worker.TooSlow) -> JSONResponse:
    return error(503, f"{what} tog för lång tid (mer än {exc.seconds:g} sekunder) och "
                      "avbröts. Något i beskrivningen är ovanligt tungt att behandla, till "
                      "exempel en mycket lång text eller kommentar. Korta den och försök igen.")


def _worker_failed(what: str) -> JSONResponse:
    return error(500, f"{what} avbröts oväntat (arbetsprocessen avslutades). Försök igen; "
                      "ingenting har ändrats.")


async def bounded(function: Any, *args: Any, seconds: float) -> Any:
    """`function(*args)` in the worker process, off the event loop, within `seconds`."""
    return await run_in_threadpool(worker.WORKER.run, function, *args, seconds=seconds)


def check_bytes(data: bytes, file: str) -> Any:
    """Check spec bytes exactly as `iopkit check` checks a file with these bytes."""
    from ..check import check_text
    from ..spec.findings import CheckResult
    from ..spec.loader import SpecLoadError, decode_spec_bytes

    try:
        text = decode_spec_bytes(data, file)
    except SpecLoadError as exc:
        return CheckResult(file=file, findings=[exc.finding])
    return check_text(text, file)


def check_json_task(data: bytes, file: str) -> str:
    """The text `iopkit check --format json FIL` prints for a file holding `data`."""
    from ..report import Summary, json_report

    with _PIPELINE:
        result = check_bytes(data, file)
    summary = Summary()
    summary.add(result)
    return json_report([result], summary, [])


def check_json(data: bytes, file: str) -> str:
    """check_json_task in the worker, within CHECK_SECONDS (called from a thread)."""
    return str(worker.WORKER.run(check_json_task, data, file, seconds=worker.CHECK_SECONDS))


async def check(request: Request) -> Response:
    body = await request.body()
    try:
        text = await run_in_threadpool(check_json, body, _workspace(request).display_name)
    except worker.TooSlow as exc:
        return _too_slow("Kontrollen", exc)
    except worker.WorkerFailed:
        return _worker_failed("Kontrollen")
    return Response(text, media_type="application/json; charset=utf-8")


async def schema(request: Request) -> Response:
    from ..spec.schema import schema_json

    return Response(schema_json(), media_type="application/schema+json; charset=utf-8")


def _documents() -> tuple[str, ...]:
    from ..render.pipeline import DOCUMENTS

    return tuple(kind for kind, _, _ in DOCUMENTS)


def render_task(data: bytes, file: str, kind: str, fmt: str) -> tuple[str, Any]:
    """render_document for the worker: ("ok", bytes), ("errors", [finding json]) or
    ("problem", message); plain values travel back safely."""
    from ..render.pipeline import SpecHasErrors
    from ..render.templates import TemplateProblem

    try:
        return "ok", render_document(data, file, kind, fmt)
    except SpecHasErrors as exc:
        return "errors", [f.to_json() for f in exc.result.errors]
    except (TemplateProblem, UsageProblem) as exc:
        return "problem", str(exc)


def render_document(data: bytes, file: str, kind: str, fmt: str) -> bytes:
    """One document (`avtal`, `checklista`) in one format, exactly as `iopkit render`
    would write it. Raises SpecHasErrors, TemplateProblem or UsageProblem."""
    from ..render.pipeline import (
        SUFFIXES,
        RenderOptions,
        SpecHasErrors,
        build_spec_outputs,
        finish_pdfs,
        spec_stem,
    )

    with _PIPELINE:
        result = check_bytes(data, file)
        if not result.ok:
            raise SpecHasErrors(result)
        outputs = build_spec_outputs(result, None, (fmt,), RenderOptions())
    wanted = f"{spec_stem(file)}-{kind}{SUFFIXES[fmt]}"
    chosen = [(path, content) for path, content in outputs if path.name == wanted]
    return finish_pdfs(chosen)[0][1]


async def render(request: Request) -> Response:
    from ..render.pipeline import FORMATS, spec_stem

    kind = request.query_params.get("dokument", "avtal")
    fmt = request.query_params.get("format", "docx")
    if kind not in _documents():
        return error(400, f"Okänt dokument. Välj ett av: {', '.join(_documents())}.")
    if fmt not in FORMATS:
        return error(400, f"Okänt format. Välj ett av: {', '.join(FORMATS)}.")
    file = _workspace(request).display_name
    body = await request.body()
    try:
        status, content = await bounded(render_task, body, file, kind, fmt,
                                        seconds=worker.RENDER_SECONDS)
    except worker.TooSlow as exc:
        return _too_slow("Dokumentet", exc)
    except worker.WorkerFailed:
        return _worker_failed("Dokumentet")
    if status == "errors":
        return error(422, f"Beskrivningen har {len(content)} fel och kan inte bli ett "
                          "dokument ännu. Rätta felen i formuläret först.", findings=content)
    if status == "problem":
        return error(500, content)
    name = f"{spec_stem(file)}-{kind}.{fmt}"
    return Response(content, media_type=MEDIA_TYPES[fmt], headers={
        "content-disposition": f"attachment; filename*=UTF-8''{_quote(name)}"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def parse_yaml(data: bytes, file: str) -> tuple[dict[str, Any] | None, Any]:
    """({"data": JSON-ready values, "kommentarer": end-of-line comments}, None), or
    (None, the finding that stops the parse)."""
    from ..spec.loader import SpecLoadError, decode_spec_bytes, parse_spec_text
    from .comments import trailing_comments

    try:
        text = decode_spec_bytes(data, file)
        document = parse_spec_text(text, file)
    except SpecLoadError as exc:
        return None, exc.finding
    return {"data": plain_data(document.data), "kommentarer": trailing_comments(text)}, None


def parse_task(data: bytes, file: str) -> tuple[dict[str, Any] | None, Any]:
    """parse_yaml for the worker: the finding travels as (message, its JSON)."""
    parsed, problem = parse_yaml(data, file)
    return parsed, None if problem is None else (problem.message, problem.to_json())


async def _parsed(data: bytes, file: str) -> tuple[dict[str, Any] | None, Any]:
    result: tuple[dict[str, Any] | None, Any] = await bounded(
        parse_task, data, file, seconds=worker.CHECK_SECONDS)
    return result


async def parse(request: Request) -> Response:
    """YAML to the page's object (the page edits data, the file stays YAML)."""
    try:
        parsed, problem = await _parsed(await request.body(),
                                        _workspace(request).display_name)
    except worker.TooSlow as exc:
        return _too_slow("Inläsningen", exc)
    except worker.WorkerFailed:
        return _worker_failed("Inläsningen")
    if problem is not None:
        return error(422, problem[0], findings=[problem[1]])
    return JSONResponse(parsed)


def _scaffold_choices() -> list[dict[str, str]]:
    from ..scaffold import SCAFFOLDS

    return [{"namn": s.name, "beskrivning": s.description} for s in SCAFFOLDS]


def _scaffold_payload(name: str, file: str) -> dict[str, Any]:
    from pathlib import PurePath

    from ..scaffold import scaffold_text

    text = scaffold_text(name, PurePath(file).name)
    parsed, _ = parse_yaml(text.encode("utf-8"), file)
    return {"text": text, **(parsed or {})}


async def scaffold(request: Request) -> Response:
    name = request.query_params.get("typ", "")
    if name not in [choice["namn"] for choice in _scaffold_choices()]:
        return error(400, "Okänd typ. Välj en av: "
                          + ", ".join(c["namn"] for c in _scaffold_choices()) + ".")
    return JSONResponse(_scaffold_payload(name, _workspace(request).display_name))


async def start(request: Request) -> Response:
    """What the page needs first: the file (or the chosen scaffold), its version, the
    scaffold kinds, whether saving and PDF are possible."""
    space = _workspace(request)
    try:
        current = await run_in_threadpool(space.read)
    except UsageProblem as exc:
        return error(409, str(exc))
    payload: dict[str, Any] = {
        "fil": str(space.path) if space.path is not None else None,
        "kan_spara": space.path is not None,
        "pdf": True,  # PDF is made with Typst, which iopkit always has
        "typer": _scaffold_choices(), "mall": space.scaffold,
        "version": version_of(current),
        "text": None, "data": None, "kommentarer": [], "fel": None,
    }
    if current is not None:
        payload["text"] = current.decode("utf-8", errors="replace")
        try:
            parsed, problem = await _parsed(current, space.display_name)
        except worker.TooSlow as exc:
            return _too_slow("Inläsningen", exc)
        except worker.WorkerFailed:
            return _worker_failed("Inläsningen")
        payload.update(parsed or {})
        if problem is not None:
            payload["fel"] = (f"{space.display_name} kunde inte läsas: {problem[0]} "
                              "Rätta filen i en textredigerare och starta om.")
    elif space.scaffold is not None:
        payload.update(_scaffold_payload(space.scaffold, space.display_name))
    return JSONResponse(payload)


def _scaffold_base(name: Any, file: str) -> str | None:
    """The starting text of a new file: the scaffold the page began from, with its
    comments (names are only compared with the fixed list)."""
    from pathlib import PurePath

    from ..scaffold import SCAFFOLDS, scaffold_text

    if isinstance(name, str) and name in [s.name for s in SCAFFOLDS]:
        return scaffold_text(name, PurePath(file).name)
    return None


def merge_task(current: bytes | None, data: Any, file: str, scaffold: Any) -> bytes:
    from .lossless import merge

    return merge(current, data, file, _scaffold_base(scaffold, file))


def _page_data(body: bytes) -> tuple[Any, Any]:
    """The page's save request: JSON {"data": the edited object, "mall": the scaffold
    a new file started from}."""
    try:
        request = json.loads(_strict_text(body))
    except (ValueError, RecursionError):
        raise BadBody("Innehållet är inte giltig JSON. Ingenting har sparats. Ladda om "
                      "sidan och försök igen.") from None
    if not isinstance(request, dict) or not isinstance(request.get("data"), dict):
        raise BadBody("Innehållet saknar formulärets data. Ingenting har sparats.")
    return request["data"], request.get("mall")


async def yaml_file(request: Request) -> Response:
    """The YAML file the page would save, for downloading: the same lossless merge onto
    the file on disk (or the scaffold a new file starts from); nothing is written."""
    space = _workspace(request)
    try:
        data, scaffold_name = _page_data(await request.body())
        current = await run_in_threadpool(space.read)
        content = await bounded(merge_task, current, data, space.display_name,
                                scaffold_name, seconds=worker.CHECK_SECONDS)
    except BadBody as exc:
        return error(400, str(exc))
    except worker.TooSlow as exc:
        return _too_slow("YAML-filen", exc)
    except worker.WorkerFailed:
        return _worker_failed("YAML-filen")
    except UsageProblem as exc:
        return error(409, str(exc))
    return Response(content, media_type="application/yaml; charset=utf-8")


async def save(request: Request) -> Response:
    """Save: the page sends its data as JSON and only what differs from the file on
    disk is changed in it (see lossless.py); a YAML body (scripts) replaces the text."""
    space = _workspace(request)
    loaded = request.headers.get(VERSION_HEADER, "")
    body = await request.body()
    file = space.display_name
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            data, scaffold_name = _page_data(body)

            def content(current: bytes | None) -> bytes:
                result: bytes = worker.WORKER.run(merge_task, current, data, file,
                                                  scaffold_name, seconds=worker.CHECK_SECONDS)
                return result

            version = await run_in_threadpool(space.save, content, loaded)
        else:
            version = await run_in_threadpool(space.save,
                                              _strict_text(body).encode("utf-8"), loaded)
    except BadBody as exc:
        return error(400, str(exc))
    except Conflict as conflict:
        return error(409, f"{file} har ändrats på disken sedan du öppnade den. "
                          "Välj vilken version som ska gälla.",
                     disk=conflict.disk_text, version=conflict.disk_version)
    except ReadOnly as exc:
        return error(403, str(exc))
    except worker.TooSlow as exc:
        return _too_slow("Sparandet", exc)
    except worker.WorkerFailed:
        return _worker_failed("Sparandet")
    except UsageProblem as exc:
        return error(409 if space.path is None else 500, str(exc))
    return JSONResponse({"version": version, "fil": str(space.path),
                         "backup": str(space.backup_path)})
