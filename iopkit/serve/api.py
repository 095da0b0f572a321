"""The API behind the page: check, render, schema, start data, scaffolds, save.

Every endpoint reuses the library the commands use (check_text + json_report for
`iopkit check --format json`, the render pipeline, the schema, the scaffolds), so the
page and the command line can never disagree (a spec with errors gets more in the page:
the rules that can already judge it, partial.py). Request parameters are only ever compared
with fixed lists; none of them reaches the file system. Errors are JSON `{"fel": text}`
in Swedish.

Longer than 450 lines: one short handler per endpoint of the page's contract, which
reads best in one place.
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
    "ics": "text/calendar; charset=utf-8",
}
VERSION_HEADER = "x-iopkit-version"
#: The draft a save makes unnecessary (removed once the file is saved).
DRAFT_HEADER = "x-iopkit-utkast"


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
    """The text `iopkit check --format json FIL` prints for a file holding `data`; for
    a file with errors, plus the findings of the rules that can already judge the part
    that is filled in (partial.py), so that the page shows warnings from the start."""
    from ..report import Summary, json_report
    from .partial import with_partial_rules

    with _PIPELINE:
        result = with_partial_rules(check_bytes(data, file))
    summary = Summary()
    summary.add(result)
    return json_report([result], summary, [])


def check_json(data: bytes, file: str) -> str:
    """check_json_task in the worker, within CHECK_SECONDS (called from a thread)."""
    return str(worker.WORKER.run(check_json_task, data, file, seconds=worker.CHECK_SECONDS))


async def check(request: Request) -> Response:
    body = await request.body()
    try:
        text = await run_in_threadpool(check_json, body, _spec_name(request))
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


def _spec_name(request: Request) -> str:
    """The name documents are named after: the server's file, or (`?namn=`) the file
    the user opened from the computer in the page, only as a label (never a path)."""
    from pathlib import PurePath

    given = request.query_params.get("namn", "")
    name = PurePath(given.replace("\\", "/")).name
    if given and name == given and len(name) <= 120 and name.lower().endswith(
            (".yaml", ".yml")) and name.isprintable() and ":" not in name:
        return name
    return _workspace(request).display_name


async def render(request: Request) -> Response:
    """A document for downloading (or the preview): ?dokument= one of the page's
    documents (documents.py), ?format= one of its formats."""
    from . import documents

    space = _workspace(request)
    kind = request.query_params.get("dokument", "avtal")
    # The folder is searched for a follow-up file only when the annual report is asked
    # for (the preview renders on every change).
    outcomes = (await run_in_threadpool(documents.find_outcomes_file, space.path)
                if kind == documents.REPORT[0] else None)
    names = [entry["namn"] for entry in documents.catalogue(outcomes)]
    if kind not in names:
        return error(400, f"Okänt dokument. Välj ett av: {', '.join(names)}.")
    formats = documents.formats_of(kind)
    fmt = request.query_params.get("format", formats[0])
    if fmt not in formats:
        return error(400, f"Okänt format. Välj ett av: {', '.join(formats)}.")
    body = await request.body()
    try:
        if kind == "arsrapport":
            answer = await bounded(documents.report_task, str(outcomes), fmt,
                                   seconds=worker.RENDER_SECONDS)
        else:
            answer = await bounded(documents.spec_document_task, body, _spec_name(request),
                                   kind, fmt, seconds=worker.RENDER_SECONDS)
    except worker.TooSlow as exc:
        return _too_slow("Dokumentet", exc)
    except worker.WorkerFailed:
        return _worker_failed("Dokumentet")
    if answer[0] == "errors":
        where = (f"Uppföljningsfilen {outcomes}" if kind == "arsrapport"
                 else "Beskrivningen")
        what = ("Rätta dem i uppföljningsfilen och försök igen." if kind == "arsrapport"
                else "Rätta felen i formuläret först.")
        return error(422, f"{where} har {len(answer[1])} fel och kan inte bli ett "
                          f"dokument ännu. {what}", findings=answer[1])
    if answer[0] == "problem":
        return error(500, answer[1])
    _, name, content = answer
    return Response(content, media_type=MEDIA_TYPES[fmt], headers={
        "content-disposition": f"attachment; filename*=UTF-8''{_quote(name)}",
        "x-iopkit-filnamn": _quote(name)})


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
        parsed, problem = await _parsed(await request.body(), _spec_name(request))
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
        # The kind of a new partnership still to be filled in: a file `iopkit new` made
        # with a question left (fresh.py), or the scaffold of a file not written yet.
        "ny": None, "läge": None,
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
        else:
            from .fresh import new_scaffold_kind

            payload["ny"] = new_scaffold_kind(payload["text"], payload.get("data"))
            from .drafts import key_for, saved_mode

            # The mode of the last save from the page, while the file is that save.
            payload["läge"] = await run_in_threadpool(saved_mode, key_for(space.path),
                                                      payload["version"])
    elif space.scaffold is not None:
        # `iopkit serve NY.yaml --typ X`, or "Nytt partnerskap" in a folder's list: the
        # file does not exist yet, so it starts as a fresh `iopkit new` file does.
        payload.update(_scaffold_payload(space.scaffold, space.display_name))
        payload["ny"] = space.scaffold
    payload.update(await run_in_threadpool(_start_extras, space))
    return JSONResponse(payload)


def _start_extras(space: Workspace) -> dict[str, Any]:
    """The documents the page offers, and the draft to continue from: the newest draft
    of this file (or of work without a file) saved after the file was last changed."""
    from . import documents
    from .drafts import Drafts, drafts_folder, key_for

    outcomes = documents.find_outcomes_file(space.path)
    latest = Drafts(key_for(space.path)).latest()
    if latest is not None and space.path is not None:
        try:
            if space.path.stat().st_mtime >= latest.saved.timestamp():
                latest = None  # the file was saved after the draft: nothing to continue
        except OSError:
            pass
    return {"dokument": documents.catalogue(outcomes),
            "uppfoljningsfil": str(outcomes) if outcomes is not None else None,
            "utkast": latest.summary() if latest is not None else None,
            "utkastmapp": str(drafts_folder())}


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(_strict_text(body))
    except (ValueError, RecursionError):
        raise BadBody("Innehållet är inte giltig JSON.") from None
    if not isinstance(value, dict):
        raise BadBody("Innehållet ska vara ett JSON-objekt.")
    return value


async def draft_save(request: Request) -> Response:
    """Keep the page's work as a draft: {"id": the draft's id or null, "data", "mall",
    "kommentarer", "version": the file version the work started from, "utan_fil": true
    for work that is not the server's file (a file opened in the page), "namn", "plats":
    the guide page or step the user was on, "exempel": the empty fields' examples,
    "mallvarden": the scaffold values behind them, "bekräftade": the key paths whose
    FYLL I note the user has cleared (a save drops it from the file)}."""
    from .drafts import NO_FILE_KEY, Drafts, examples_of, key_for, place_of, template_values_of

    space = _workspace(request)
    try:
        body = _json_body(await request.body())
        if not isinstance(body.get("data"), dict):
            raise BadBody("Utkastet saknar formulärets data.")
        key = NO_FILE_KEY if body.get("utan_fil") else key_for(space.path)
        content = {"fil": None if key == NO_FILE_KEY or space.path is None
                   else str(space.path),
                   "data": body["data"], "mall": body.get("mall"),
                   "kommentarer": body.get("kommentarer") or [],
                   "version": body.get("version"),
                   "namn": body.get("namn") if isinstance(body.get("namn"), str) else None,
                   "grund": body.get("grund") if isinstance(body.get("grund"), str) else None,
                   "plats": place_of(body.get("plats")),
                   "exempel": examples_of(body.get("exempel")),
                   "mallvarden": template_values_of(body.get("mallvarden")),
                   "bekräftade": confirmed_paths(body.get("bekräftade"))}
        draft = await run_in_threadpool(Drafts(key).save, body.get("id"), content)
    except BadBody as exc:
        return error(400, f"{exc} Utkastet sparades inte.")
    except UsageProblem as exc:
        return error(507, str(exc))
    return JSONResponse({"id": draft.id, "sparad": draft.saved.isoformat(),
                         "sparad_text": draft.summary()["sparad_text"]})


async def draft_discard(request: Request) -> Response:
    """Throw a draft away: {"id", "utan_fil"}; the id only ever matches a fixed pattern."""
    from .drafts import NO_FILE_KEY, Drafts, key_for

    space = _workspace(request)
    try:
        body = _json_body(await request.body())
    except BadBody as exc:
        return error(400, str(exc))
    key = NO_FILE_KEY if body.get("utan_fil") else key_for(space.path)
    removed = await run_in_threadpool(Drafts(key).discard, body.get("id"))
    return JSONResponse({"borttaget": removed})


async def alive(request: Request) -> Response:
    """The page asks now and then, so that a stopped server is noticed at once."""
    return JSONResponse({"ok": True})


def _scaffold_base(name: Any, file: str) -> str | None:
    """The starting text of a new file: the scaffold the page began from, with its
    comments (names are only compared with the fixed list)."""
    from pathlib import PurePath

    from ..scaffold import SCAFFOLDS, scaffold_text

    if isinstance(name, str) and name in [s.name for s in SCAFFOLDS]:
        return scaffold_text(name, PurePath(file).name)
    return None


def merge_task(current: bytes | None, data: Any, file: str, scaffold: Any,
               confirmed: list[list[str | int]] | None = None) -> bytes:
    from .lossless import merge

    return merge(current, data, file, _scaffold_base(scaffold, file), confirmed or [])


#: More key paths than any spec has values; a longer list is not the page's.
_MAX_CONFIRMED = 10_000
_MAX_PATH_DEPTH = 64


def confirmed_paths(value: Any) -> list[list[str | int]]:
    """The key paths whose FYLL I note the user has cleared (filled in, or "Stämmer"),
    from the page's "bekräftade"; anything that is not a path is left out."""
    if not isinstance(value, list):
        return []
    paths: list[list[str | int]] = []
    for path in value[:_MAX_CONFIRMED]:
        if isinstance(path, list) and 0 < len(path) <= _MAX_PATH_DEPTH and all(
                isinstance(part, str) or (isinstance(part, int) and not isinstance(part, bool)
                                          and part >= 0) for part in path):
            paths.append(path)
    return paths


def _page_data(body: bytes) -> tuple[Any, Any, list[list[str | int]]]:
    """The page's save request: JSON {"data": the edited object, "mall": the scaffold
    a new file started from, "bekräftade": the key paths whose FYLL I note the user has
    cleared, "läge": the mode the page is in (drafts.remember_mode)}."""
    try:
        request = json.loads(_strict_text(body))
    except (ValueError, RecursionError):
        raise BadBody("Innehållet är inte giltig JSON. Ingenting har sparats. Ladda om "
                      "sidan och försök igen.") from None
    if not isinstance(request, dict) or not isinstance(request.get("data"), dict):
        raise BadBody("Innehållet saknar formulärets data. Ingenting har sparats.")
    return request["data"], request.get("mall"), confirmed_paths(request.get("bekräftade"))


async def yaml_file(request: Request) -> Response:
    """The YAML file the page would save, for downloading: the same lossless merge onto
    the file on disk (or the scaffold a new file starts from); nothing is written."""
    space = _workspace(request)
    try:
        body = await request.body()
        data, scaffold_name, confirmed = _page_data(body)
        opened = json.loads(body).get("grund")  # a file opened in the page: its text
        current = (opened.encode("utf-8") if isinstance(opened, str)
                   else await run_in_threadpool(space.read))
        content = await bounded(merge_task, current, data, space.display_name,
                                scaffold_name, confirmed, seconds=worker.CHECK_SECONDS)
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
            data, scaffold_name, confirmed = _page_data(body)

            def content(current: bytes | None) -> bytes:
                result: bytes = worker.WORKER.run(merge_task, current, data, file,
                                                  scaffold_name, confirmed,
                                                  seconds=worker.CHECK_SECONDS)
                return result

            mine = content
            version = await run_in_threadpool(space.save, content, loaded)
        else:
            mine = None
            version = await run_in_threadpool(space.save,
                                              _strict_text(body).encode("utf-8"), loaded)
    except BadBody as exc:
        return error(400, str(exc))
    except Conflict as conflict:
        changes = await _conflict_changes(conflict.disk_text, mine, body, file)
        return error(409, f"{file} har ändrats på disken sedan du öppnade den. "
                          "Välj vilken version som ska gälla.",
                     disk=conflict.disk_text, version=conflict.disk_version, **changes)
    except ReadOnly as exc:
        return error(403, str(exc))
    except worker.TooSlow as exc:
        return _too_slow("Sparandet", exc)
    except worker.WorkerFailed:
        return _worker_failed("Sparandet")
    except UsageProblem as exc:
        return error(409 if space.path is None else 500, str(exc))
    from .drafts import Drafts, key_for, remember_mode

    await run_in_threadpool(Drafts(key_for(space.path)).discard,
                            request.headers.get(DRAFT_HEADER))  # saved: the draft is done
    if mine is not None:
        await run_in_threadpool(remember_mode, key_for(space.path), version,
                                json.loads(body).get("läge"))
    return JSONResponse({"version": version, "fil": str(space.path),
                         "backup": str(space.backup_path)})


async def _conflict_changes(disk_text: str, mine: Any, body: bytes, file: str
                            ) -> dict[str, Any]:
    """What keeping one's own version would change in the file on disk, in iopkit's
    own words (`iopkit diff`): {"ändringar": [{"avsnitt", "mening"}], "min": YAML}, or
    {"jämförelse": why the versions cannot be compared in substance}."""
    from .conflict import changes_task

    disk = disk_text.encode("utf-8")
    try:
        mine_bytes = (await run_in_threadpool(mine, disk) if mine is not None
                      else _strict_text(body).encode("utf-8"))
        result: dict[str, Any] = await bounded(changes_task, disk, mine_bytes, file,
                                               seconds=worker.CHECK_SECONDS)
        return result
    except (worker.TooSlow, worker.WorkerFailed, UsageProblem, BadBody):
        return {"jämförelse": "Versionerna kunde inte jämföras i sak."}
