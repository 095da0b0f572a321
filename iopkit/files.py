"""Finding the spec files a command was given, and writing outputs safely.

Outputs are written to a temporary file in the target directory and renamed into
place, so a failure half way never leaves a partial file or a damaged old one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml")


_ERRNO_SWEDISH = {
    errno.ENOENT: "filen eller katalogen finns inte",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EISDIR: "det är en katalog",
    errno.ENOTDIR: "en del av sökvägen är ingen katalog",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EBUSY: "filen används av ett annat program",
}


def describe_os_error(exc: OSError) -> str:
    """A short Swedish description of a file-system error (strerror is English)."""
    return _ERRNO_SWEDISH.get(exc.errno, exc.strerror or str(exc))


class UsageProblem(Exception):
    """A problem with what the user asked for or with the file system: exit code 2."""


def expand_spec_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the *.yaml and *.yml files directly in it."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
            if not found:
                raise UsageProblem(
                    f"Katalogen {path} innehåller inga .yaml-filer. Ange en "
                    "partnerskapsbeskrivning eller en katalog med sådana.")
            result.extend(found)
        else:
            result.append(path)
    return result


def ensure_output_dir(directory: Path) -> None:
    if not directory.exists():
        raise UsageProblem(f"Utdatakatalogen {directory} finns inte. Skapa den först eller "
                           "ange en annan med -o.")
    if not directory.is_dir():
        raise UsageProblem(f"{directory} är inte en katalog. Ange en katalog med -o.")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: behörighet "
                           "saknas. Ange en annan katalog med -o.")


def check_can_write(targets: list[Path], force: bool) -> None:
    """Refuse before any work is done if an output exists and --force was not given."""
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        raise UsageProblem(f"Filen finns redan: {names}. Ingenting har skrivits. Använd "
                           "--force för att skriva över, eller ange en annan katalog med -o.")
    for target in existing:
        if target.is_dir():
            raise UsageProblem(f"{target} är en katalog; det går inte att skriva en fil där.")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_targets(targets: list[Path], force: bool) -> None:
    """Before anything is written or rendered further: no two outputs share a file, every
    target directory exists and is writable, and no target exists unless `force`."""
    seen: set[Path] = set()
    for target in targets:
        key = target.resolve()
        if key in seen:
            raise UsageProblem(f"Två beskrivningar skulle skriva till samma fil, {target}. "
                               "Ge filerna olika namn eller rendera dem var för sig med -o.")
        seen.add(key)
    for directory in sorted({t.parent for t in targets}, key=str):
        ensure_output_dir(directory)
    check_can_write(targets, force)


def write_atomic(target: Path, data: bytes | str, force: bool = False) -> None:
    """Write `data` to `target` through a temporary file in the same directory."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if target.exists() and not force:
        raise UsageProblem(f"Filen {target} finns redan. Använd --force för att skriva över.")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageProblem(f"Katalogen {directory} finns inte. Skapa den först eller välj "
                           "en annan plats.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=directory)
    except OSError as exc:
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: "
                           f"{describe_os_error(exc)}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o666 & ~_current_umask())
        os.replace(tmp_name, target)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise UsageProblem(f"Det gick inte att skriva {target}: "
                               f"{describe_os_error(exc)}.") from None
        raise
