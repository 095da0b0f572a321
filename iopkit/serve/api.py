"""The API behind the page: check, render, schema, start data, scaffolds, save.

Every endpoint reuses the library the commands use (check_text + json_report for
`iopkit check --format json`, the render pipeline, the schema, the scaffolds), so the
page and the command line can never disagree. Request parameters are only ever compared
with fixed lists; none of them reaches the file system. Errors are JSON `{"fel": text}`
in Swedish.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..files import UsageProblem
from .workspace import Conflict, Workspace, plain_data, version_of

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


async def _body_text(request: Request) -> str:
    """The request body as text, decoded the way a spec file is (UTF-8, BOMs)."""
    return (await request.body()).decode("utf-8", errors="replace")


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


def check_json(data: bytes, file: str) -> str:
    """The text `iopkit check --format json FIL` prints for a file holding `data`."""
    from ..report import Summary, json_report

    with _PIPELINE:
        result = check_bytes(data, file)
    summary = Summary()
    summary.add(result)
    return json_report([result], summary, [])


async def check(request: Request) -> Response:
    body = await request.body()
    text = await run_in_threadpool(check_json, body, _workspace(request).display_name)
    return Response(text, media_type="application/json; charset=utf-8")


async def schema(request: Request) -> Response:
    from ..spec.schema import schema_json

    return Response(schema_json(), media_type="application/schema+json; charset=utf-8")


def _documents() -> tuple[str, ...]:
    from ..render.pipeline import DOCUMENTS

    return tuple(kind for kind, _, _ in DOCUMENTS)


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
    from ..render.pipeline import FORMATS, SpecHasErrors, spec_stem
    from ..render.templates import TemplateProblem

    kind = request.query_params.get("dokument", "avtal")
    fmt = request.query_params.get("format", "docx")
    if kind not in _documents():
        return error(400, f"Okänt dokument. Välj ett av: {', '.join(_documents())}.")
    if fmt not in FORMATS:
        return error(400, f"Okänt format. Välj ett av: {', '.join(FORMATS)}.")
    file = _workspace(request).display_name
    body = await request.body()
    try:
        content = await run_in_threadpool(render_document, body, file, kind, fmt)
    except SpecHasErrors as exc:
        count = len(exc.result.errors)
        return error(422, f"Beskrivningen har {count} fel och kan inte bli ett dokument "
                          "ännu. Rätta felen i formuläret först.",
                     findings=[f.to_json() for f in exc.result.errors])
    except (TemplateProblem, UsageProblem) as exc:
        return error(500, str(exc))
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


async def parse(request: Request) -> Response:
    """YAML to the page's object (the page edits data, the file stays YAML)."""
    parsed, problem = parse_yaml(await request.body(), _workspace(request).display_name)
    if problem is not None:
        return error(422, problem.message, findings=[problem.to_json()])
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
        current = space.read()
    except UsageProblem as exc:
        return error(500, str(exc))
    payload: dict[str, Any] = {
        "fil": str(space.path) if space.path is not None else None,
        "kan_spara": space.path is not None,
        "pdf": True,  # PDF is made with Typst, which iopkit always has
        "typer": _scaffold_choices(),
        "version": version_of(current),
        "text": None, "data": None, "kommentarer": [], "fel": None,
    }
    if current is not None:
        payload["text"] = current.decode("utf-8", errors="replace")
        parsed, problem = parse_yaml(current, space.display_name)
        payload.update(parsed or {})
        if problem is not None:
            payload["fel"] = (f"{space.display_name} kunde inte läsas: {problem.message} "
                              "Rätta filen i en textredigerare och starta om.")
    elif space.scaffold is not None:
        payload.update(_scaffold_payload(space.scaffold, space.display_name))
    return JSONResponse(payload)


async def save(request: Request) -> Response:
    space = _workspace(request)
    loaded = request.headers.get(VERSION_HEADER, "")
    text = await _body_text(request)
    try:
        version = await run_in_threadpool(space.save, text, loaded)
    except Conflict as conflict:
        return error(409, f"{space.display_name} har ändrats på disken sedan du öppnade den. "
                          "Välj vilken version som ska gälla.",
                     disk=conflict.disk_text, version=conflict.disk_version)
    except UsageProblem as exc:
        return error(409 if space.path is None else 500, str(exc))
    return JSONResponse({"version": version, "fil": str(space.path),
                         "backup": str(space.backup_path)})
