"""The one file `iopkit serve` edits: loading it, and saving it without losing work.

Reading checks the file's type and size on every read, on the open file itself (a FIFO
or a link to /dev/zero swapped in after the start gives a Swedish error, never a hang or
a huge read). Saving is a compare-and-swap on the content: the file on disk is moved
aside in one rename, compared with the version the page loaded, and the new content is
linked into place only if the name is still free. An outside edit that lands at any
moment therefore either makes the save a conflict or is still there afterwards: no
success is reported while an outside edit is lost. What was on disk becomes `<fil>.bak`
(the same inode, so its mode and owner are kept). The new content is written to a
temporary file first with the old file's mode; a full disk fails there, before anything
is changed. No request ever names a file; the path is fixed when the server starts.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import secrets
import stat
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import UsageProblem, describe_os_error
from ..spec.loader import MAX_FILE_BYTES

#: The version of a file that does not exist yet.
NO_FILE = "ingen-fil"
BACKUP_SUFFIX = ".bak"
_MB = MAX_FILE_BYTES // (1024 * 1024)


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


class ReadOnly(UsageProblem):
    """The file is write-protected: the user protected it, so we do not replace it."""


def read_regular_bounded(path: Path) -> bytes | None:
    """The bytes of `path`, or None when it does not exist. Refuses (UsageProblem) what
    is not a regular file, a symbolic link, and anything over MAX_FILE_BYTES, deciding
    on the opened file (no gap between the check and the read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise UsageProblem(_not_regular(path, "en symbolisk länk")) from None
        raise UsageProblem(f"Det går inte att läsa {path}: {describe_os_error(exc)}.") \
            from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageProblem(_not_regular(path, _kind(info.st_mode)))
        if info.st_size > MAX_FILE_BYTES:
            raise UsageProblem(_too_big(path, info.st_size))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:  # it grew while we read
            raise UsageProblem(_too_big(path, size))
        return b"".join(chunks)
    except OSError as exc:
        raise UsageProblem(f"Det går inte att läsa {path}: {describe_os_error(exc)}.") \
            from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en katalog"
    if stat.S_ISFIFO(mode):
        return "en namngiven rörledning (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "ingen vanlig fil"


def _not_regular(path: Path, kind: str) -> str:
    return (f"{path} är nu {kind}, inte en vanlig fil, och kan inte läsas eller sparas. "
            "Lägg tillbaka partnerskapsbeskrivningen som en vanlig fil och ladda om sidan.")


def _too_big(path: Path, size: int) -> str:
    return (f"{path} är {size / 1024 / 1024:.1f} MB. Webbredigeraren, liksom iopkit check, "
            f"läser högst {_MB} MB; en partnerskapsbeskrivning är normalt några kilobyte. "
            "Kontrollera att det är rätt fil.")


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
        """The file's bytes, or None when there is no file (yet). UsageProblem when it
        is no regular file, too big or unreadable."""
        if self.path is None:
            return None
        return read_regular_bounded(self.path)

    def save(self, new_content: bytes | Callable[[bytes | None], bytes],
             loaded_version: str) -> str:
        """Write the new content if the disk still holds `loaded_version`; returns the
        new version. `new_content` is the bytes, or a function from the bytes on disk to
        the bytes to write (the lossless merge). Raises Conflict, ReadOnly, or
        UsageProblem (no file, or the disk refused: then nothing has changed)."""
        if self.path is None:
            raise UsageProblem("Webbredigeraren startades utan fil, så det finns ingen fil "
                               "att spara i. Ladda ner YAML-filen i stället, eller starta "
                               "om med `iopkit serve FIL`.")
        path = self.path
        with self._lock:  # two tabs of this server: one at a time
            current = self.read()
            if version_of(current) != loaded_version:
                raise Conflict(_decode(current), version_of(current))
            data = new_content(current) if callable(new_content) else new_content
            if current is not None:
                _refuse_read_only(path)
                if data == current:
                    return version_of(current)  # nothing changed: the file is not touched
            mode = _mode_of(path) if current is not None else None
            staged = _stage(path, data, mode)
            try:
                _swap(path, staged, current, self.backup_path)
            finally:
                _remove_quietly(staged)
        return version_of(data)


def _refuse_read_only(path: Path) -> None:
    try:
        mode = os.stat(path, follow_symlinks=False).st_mode
    except OSError:
        return  # gone meanwhile: the swap finds out and reports a conflict
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnly(f"{path} är skrivskyddad, så webbredigeraren sparar inte över den. "
                       "Ta bort skrivskyddet (i Utforskaren: Egenskaper → avmarkera "
                       "Skrivskyddad) och spara igen, eller ladda ner YAML-filen i stället.")


def _mode_of(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        return None


def write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd` (a separate function so that tests can fill the disk)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _stage(path: Path, data: bytes, mode: int | None) -> str:
    """The new content in a temporary file beside `path`, on disk, with the old file's
    mode (owner too where we may). A full disk fails here: nothing has changed yet."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp",
                                    dir=directory)
    except OSError as exc:
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: "
                           f"{describe_os_error(exc)}. Ingenting har ändrats.") from None
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
            elif mode is not None:  # Windows: only the read-only bit exists
                os.chmod(name, mode)
            _copy_owner(fd, path)
        finally:
            os.close(fd)
    except OSError as exc:
        _remove_quietly(name)
        raise UsageProblem(f"Det gick inte att spara {path}: {describe_os_error(exc)}. "
                           "Ingenting har ändrats; filen och säkerhetskopian är orörda.") \
            from None
    except BaseException:
        _remove_quietly(name)
        raise
    return name


def _copy_owner(fd: int, path: Path) -> None:
    if not hasattr(os, "fchown"):
        return
    try:
        info = os.stat(path, follow_symlinks=False)
        os.fchown(fd, info.st_uid, info.st_gid)
    except OSError:
        pass  # not ours to give away: the new file keeps our owner


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(path: Path, staged: str, current: bytes | None, backup: Path | None) -> None:
    """Compare-and-swap: put `staged` at `path` only if `path` still holds `current`
    (or, when `current` is None, does not exist). The old file becomes `backup`."""
    if current is None:
        _link_if_free(path, staged, None)
        return
    aside = str(path.parent / f".{path.name[:200]}.{secrets.token_hex(4)}.old")
    try:
        os.rename(path, aside)  # one step: whatever is on disk now is ours to compare
    except FileNotFoundError:
        raise Conflict("", NO_FILE) from None
    except OSError as exc:
        raise UsageProblem(f"Det gick inte att spara {path}: {describe_os_error(exc)}. "
                           "Ingenting har ändrats.") from None
    taken = _read_quietly(aside)
    if taken != current:  # an outside edit landed just before: put it back, report it
        _put_back(aside, path)
        disk = read_regular_bounded(path) if os.path.lexists(path) else taken
        raise Conflict(_decode(disk), version_of(disk))
    _link_if_free(path, staged, aside)
    if backup is not None:
        try:
            os.replace(aside, backup)
            return
        except OSError:
            pass
    _remove_quietly(aside)


def _link_if_free(path: Path, staged: str, aside: str | None) -> None:
    """`staged` appears at `path` only if nothing is there (an outside program may have
    written a new file meanwhile: then that one stays and the save is a conflict)."""
    try:
        try:
            os.link(staged, path)
        except OSError as exc:
            if exc.errno in (errno.EEXIST,):
                raise
            # No hard links here (FAT, some network shares): the name is free unless an
            # outside program wrote in the last moment; replace is the best there is.
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "exists") from None
            os.replace(staged, path)
    except FileExistsError:
        disk = read_regular_bounded(path)
        if aside is not None:
            _keep_as_backup(aside, path)
        raise Conflict(_decode(disk), version_of(disk)) from None
    except OSError as exc:
        if aside is not None:
            _put_back(aside, path)
        raise UsageProblem(f"Det gick inte att spara {path}: {describe_os_error(exc)}. "
                           "Ingenting har ändrats.") from None


def _put_back(aside: str, path: Path) -> None:
    """Return the moved-aside file to its name, unless an outside program has written a
    new one there meanwhile; then the moved one is kept as the backup."""
    try:
        os.link(aside, path)
        _remove_quietly(aside)
    except OSError:
        if os.path.lexists(path):
            _keep_as_backup(aside, path)
        else:
            try:
                os.replace(aside, path)
            except OSError:
                pass


def _keep_as_backup(aside: str, path: Path) -> None:
    try:
        os.replace(aside, path.with_name(path.name + BACKUP_SUFFIX))
    except OSError:
        pass


def _read_quietly(name: str) -> bytes | None:
    try:
        return read_regular_bounded(Path(name))
    except UsageProblem:
        return None


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


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
