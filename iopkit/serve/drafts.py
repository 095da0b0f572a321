"""Drafts: the web editor keeps every change in a folder of the user's own, so that a
reload, a closed tab or a crash loses nothing.

The folder is `platformdirs.user_data_dir("iopkit")/utkast` (Windows:
%LOCALAPPDATA%\\iopkit\\utkast; macOS: ~/Library/Application Support/iopkit/utkast;
Linux: $XDG_DATA_HOME or ~/.local/share/iopkit/utkast), or the folder the environment
variable IOPKIT_UTKAST names (tests, and IT departments that want them elsewhere). Never
the repository, never beside the user's files: a draft holds the names and contact
details the form holds, so the folder and its files are the user's alone (0700/0600).

A draft belongs to a key: the resolved path of the file the server edits, or "no file"
(started without one, or a file opened from the computer in the page). Its name is
`<key hash>-<id>.json`; the id is made here and only ever compared with a fixed pattern,
so nothing a request says names a path. Writes are atomic (a temporary file, fsync,
rename). At most MAX_DRAFTS drafts of at most MAX_DRAFT_BYTES each are kept, none older
than MAX_AGE_DAYS: the oldest go first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import UsageProblem, describe_os_error

ENV_FOLDER = "IOPKIT_UTKAST"
MAX_DRAFTS = 40
MAX_DRAFT_BYTES = 2 * 1024 * 1024
MAX_AGE_DAYS = 90
FORMAT = 1
_ID = re.compile(r"[0-9a-f]{16}")
_NAME = re.compile(r"([0-9a-f]{16}|utan-fil)-([0-9a-f]{16})\.json")
NO_FILE_KEY = "utan-fil"

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")


def drafts_folder() -> Path:
    """Where drafts live: $IOPKIT_UTKAST, else the user's data folder for iopkit."""
    chosen = os.environ.get(ENV_FOLDER, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("iopkit", appauthor=False)) / "utkast"


def key_for(path: Path | None) -> str:
    """The key of the drafts of `path` (its resolved path, hashed: the name says nothing
    about the file), or of work without a file."""
    if path is None:
        return NO_FILE_KEY
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def valid_id(value: Any) -> str | None:
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def new_id() -> str:
    return secrets.token_hex(8)


def when_text(moment: dt.datetime) -> str:
    """"den 2 december 2026 kl. 03.40" in the computer's local time."""
    local = moment.astimezone()
    return (f"den {local.day} {_MONTHS[local.month - 1]} {local.year} "
            f"kl. {local.hour:02d}.{local.minute:02d}")


_MODES = ("guide", "alla")


def place_of(value: Any) -> dict[str, str] | None:
    """Where the user was: {"läge": "guide" or "alla", "steg": the page's key}, or None.
    Only ever compared with the page's own keys, never used as a path."""
    if not isinstance(value, dict):
        return None
    mode, step = value.get("läge"), value.get("steg")
    if mode not in _MODES or not isinstance(step, str) or not 0 < len(step) <= 100:
        return None
    return {"läge": mode, "steg": step}


def examples_of(value: Any) -> dict[str, str]:
    """The examples the page shows in the empty fields of a new partnership, by key
    path ({"partnerskap.namn": "t.ex. …"}): kept so that a draft reopens as it was."""
    if not isinstance(value, dict):
        return {}
    return {key: text for key, text in value.items()
            if isinstance(key, str) and isinstance(text, str) and len(key) <= 500
            and len(text) <= 2000}


def template_values_of(value: Any) -> dict[str, Any]:
    """The scaffold's values behind those empty fields (texts, numbers, yes/no, lists of
    texts), by key path: a save puts them back where the field is still empty."""
    if not isinstance(value, dict):
        return {}

    def plain(item: Any) -> bool:
        return (isinstance(item, (int, float, bool)) or
                (isinstance(item, str) and len(item) <= 2000))

    return {key: item for key, item in value.items()
            if isinstance(key, str) and len(key) <= 500 and (
                plain(item) or (isinstance(item, list) and len(item) <= 100
                                and all(isinstance(i, str) and len(i) <= 2000 for i in item)))}


#: The mode each file was last saved in ({key: {"version", "läge"}}), beside the drafts.
MODES_FILE = "lagen.json"
MAX_MODES = 500


def remember_mode(key: str, version: str, mode: Any, folder: Path | None = None) -> None:
    """Keep the mode ("guide" or "alla") the page was in when it saved `version` of the
    file with `key`, so that the file reopens there although the draft is gone. Only a
    convenience: when the folder cannot be written, nothing is said (the save is done)."""
    if mode not in _MODES:
        return
    folder = folder if folder is not None else drafts_folder()
    modes = _read_modes(folder)
    modes.pop(key, None)
    modes[key] = {"version": version, "läge": mode}
    while len(modes) > MAX_MODES:  # the oldest entry first (dicts keep their order)
        modes.pop(next(iter(modes)))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomic(folder / MODES_FILE,
                      json.dumps(modes, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def saved_mode(key: str, version: str, folder: Path | None = None) -> str | None:
    """The mode the file was saved in, if what is on disk is still that save (a change
    made elsewhere since then makes the page judge the file afresh)."""
    entry = _read_modes(folder if folder is not None else drafts_folder()).get(key)
    if isinstance(entry, dict) and entry.get("version") == version \
            and entry.get("läge") in _MODES:
        return str(entry["läge"])
    return None


def _read_modes(folder: Path) -> dict[str, Any]:
    path = folder / MODES_FILE
    try:
        if path.is_symlink() or path.stat().st_size > MAX_MODES * 200:
            return {}
        value = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Draft:
    id: str
    saved: dt.datetime
    content: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "sparad": self.saved.isoformat(),
                "sparad_text": when_text(self.saved), **self.content}


class Drafts:
    """The drafts of one key in one folder."""

    def __init__(self, key: str, folder: Path | None = None):
        self.key = key
        self.folder = folder if folder is not None else drafts_folder()

    def _path(self, draft_id: str) -> Path:
        return self.folder / f"{self.key}-{draft_id}.json"

    def save(self, draft_id: str | None, content: dict[str, Any]) -> Draft:
        """Write (or overwrite) a draft; returns it. Raises UsageProblem (Swedish) when
        the folder cannot be written or the draft is too big."""
        draft_id = valid_id(draft_id) or new_id()
        saved = dt.datetime.now(dt.timezone.utc)
        payload = json.dumps({"format": FORMAT, "sparad": saved.isoformat(), **content},
                             ensure_ascii=False, sort_keys=True).encode("utf-8")
        if len(payload) > MAX_DRAFT_BYTES:
            raise UsageProblem(f"Utkastet är för stort ({len(payload) // 1024} kB; högst "
                               f"{MAX_DRAFT_BYTES // (1024 * 1024)} MB) och sparades inte.")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_atomic(self._path(draft_id), payload)
        except OSError as exc:
            raise UsageProblem(f"Utkastet kunde inte sparas i {self.folder}: "
                               f"{describe_os_error(exc)}.") from None
        self.prune(keep=draft_id)
        return Draft(draft_id, saved, content)

    def latest(self) -> Draft | None:
        """The newest readable draft of this key."""
        for path in sorted(self._own(), key=_mtime, reverse=True):
            draft = _read(path)
            if draft is not None:
                return draft
        return None

    def discard(self, draft_id: str | None) -> bool:
        draft_id = valid_id(draft_id)
        if draft_id is None:
            return False
        try:
            self._path(draft_id).unlink()
        except OSError:
            return False
        return True

    def _own(self) -> list[Path]:
        return [p for p in _all(self.folder) if p.name.startswith(self.key + "-")]

    def prune(self, keep: str | None = None) -> None:
        """Remove drafts older than MAX_AGE_DAYS, then the oldest beyond MAX_DRAFTS
        (of every key: the folder stays bounded), never the one just written."""
        now = dt.datetime.now().timestamp()
        files = sorted(_all(self.folder), key=_mtime, reverse=True)
        for index, path in enumerate(files):
            if keep is not None and path.name == f"{self.key}-{keep}.json":
                continue
            if index >= MAX_DRAFTS or now - _mtime(path) > MAX_AGE_DAYS * 86400:
                try:
                    path.unlink()
                except OSError:
                    pass


def _all(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries
                    if _NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read(path: Path) -> Draft | None:
    match = _NAME.fullmatch(path.name)
    try:
        if match is None or path.stat().st_size > MAX_DRAFT_BYTES:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
        saved = dt.datetime.fromisoformat(data.pop("sparad"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
        return None
    return Draft(match.group(2), saved, data)


def _write_atomic(target: Path, data: bytes) -> None:
    fd, name = tempfile.mkstemp(prefix=".utkast-", suffix=".tmp", dir=target.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
        os.replace(name, target)
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise
