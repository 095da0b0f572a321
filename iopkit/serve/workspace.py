"""The one file `iopkit serve` edits: loading it, and saving it without losing work.

Saving writes atomically, keeps the previous content as `<fil>.bak`, and refuses when
the file on disk is no longer the version the page loaded (another program or another
tab changed it): the caller gets the disk version back so the user can choose. No
request ever names a file; the path is fixed when the server starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import UsageProblem, describe_os_error, write_atomic

#: The version of a file that does not exist yet.
NO_FILE = "ingen-fil"
BACKUP_SUFFIX = ".bak"


def version_of(data: bytes | None) -> str:
    return NO_FILE if data is None else hashlib.sha256(data).hexdigest()


def plain_data(value: Any) -> Any:
    """Parsed YAML as JSON-ready data: dates become ÅÅÅÅ-MM-DD text, as the user wrote."""
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class Conflict(Exception):
    """The file changed on disk since the page loaded it."""

    def __init__(self, disk_text: str, disk_version: str):
        super().__init__("conflict")
        self.disk_text = disk_text
        self.disk_version = disk_version


@dataclass
class Workspace:
    """`path` is None when the server was started without a file (download only)."""

    path: Path | None
    scaffold: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path is not None else "avtal.yaml"

    @property
    def backup_path(self) -> Path | None:
        return None if self.path is None else self.path.with_name(
            self.path.name + BACKUP_SUFFIX)

    def read(self) -> bytes | None:
        """The file's bytes, or None when there is no file (yet)."""
        if self.path is None or not self.path.exists():
            return None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise UsageProblem(f"Det går inte att läsa {self.path}: "
                               f"{describe_os_error(exc)}.") from None

    def save(self, text: str, loaded_version: str) -> str:
        """Write `text` if the disk still holds `loaded_version`; returns the new
        version. Raises Conflict, or UsageProblem (no file, or the disk refused)."""
        if self.path is None:
            raise UsageProblem("Webbredigeraren startades utan fil, så det finns ingen fil "
                               "att spara i. Ladda ner YAML-filen i stället, eller starta "
                               "om med `iopkit serve FIL`.")
        data = text.encode("utf-8")
        with self._lock:  # two tabs saving at once must not both pass the check
            current = self.read()
            if version_of(current) != loaded_version:
                raise Conflict(_decode(current), version_of(current))
            backup = self.backup_path
            if current is not None and backup is not None:
                write_atomic(backup, current, force=True)
            write_atomic(self.path, data, force=True)
        return version_of(data)


def _decode(data: bytes | None) -> str:
    if data is None:
        return ""
    return data.decode("utf-8", errors="replace")


def check_startable(path: Path) -> None:
    """Before the server starts: the file is a regular file or does not exist yet, and
    its directory exists. Raises UsageProblem."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UsageProblem(f"{path} är ingen vanlig fil. Ange en partnerskapsbeskrivning "
                           "(.yaml), eller ett nytt filnamn.")
    if not path.parent.is_dir() and str(path.parent):
        raise UsageProblem(f"Katalogen {path.parent} finns inte. Skapa den först eller "
                           "välj en annan plats.")
