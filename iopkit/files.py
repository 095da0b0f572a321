"""Finding the spec files a command was given, and writing outputs safely.

Outputs are written to a temporary file in the target directory and renamed into
place, so a failure half way never leaves a partial file or a damaged old one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

# UsageProblem (exit 2: what was asked or the file system) and InputProblem (an input is
# missing or not a regular file) live with the other errors; imported from here too.
from .errors import InputProblem as InputProblem
from .errors import UsageProblem as UsageProblem

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
    errno.ELOOP: "en symbolisk länk pekar på sig själv (en länkslinga)",
    errno.EEXIST: "filen finns redan",
    errno.EFBIG: "filen blir för stor för filsystemet",
    errno.EIO: "ett läs- eller skrivfel på disken",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer i systemet",
    errno.ETXTBSY: "filen används av ett program som körs",
    errno.EXDEV: "filerna ligger på olika filsystem",
    errno.ENXIO: "enheten finns inte",
    errno.EPIPE: "mottagaren har slutat läsa",
    errno.ENOTEMPTY: "katalogen är inte tom",
    errno.EAGAIN: "resursen är tillfälligt upptagen",
}


def describe_os_error(exc: OSError) -> str:
    """A short Swedish description of a file-system error (strerror is English)."""
    if exc.errno in _ERRNO_SWEDISH:
        return _ERRNO_SWEDISH[exc.errno]
    code = errno.errorcode.get(exc.errno or 0)
    return f"ett fel i filsystemet ({code})" if code else "ett fel i filsystemet"



def check_input_file(path: Path, what: str = "Filen", directory_hint: str = "") -> int:
    """Refuse an input that is not a regular file at once (a FIFO would block, a device
    never ends, a directory is not a file). Returns its size in bytes."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputProblem(f"{what} {path} är en symbolisk länk till något som inte finns. "
                               "Kontrollera länken.") from None
        raise InputProblem(f"{what} {path} finns inte. Kontrollera sökvägen och "
                           "filnamnet.") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputProblem(f"{path} är en symbolisk länk som pekar på sig själv (en "
                               "länkslinga). Ange filen som länken borde peka på.") from None
        raise InputProblem(f"{what} {path} kan inte läsas: {describe_os_error(exc)}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputProblem(f"{path} är en katalog, inte en fil. {directory_hint}".rstrip())
    if not stat.S_ISREG(info.st_mode):
        raise InputProblem(f"{path} är {_kind_of(info.st_mode)}, inte en vanlig fil. Ange en "
                           "vanlig fil.")
    return info.st_size


def expand_spec_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the *.yaml and *.yml files directly in it."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Everything named *.yaml except directories: a broken link or a FIFO is then
            # reported by name (and the rest checked) instead of silently skipped.
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in SPEC_SUFFIXES and not p.is_dir())
            if not found:
                raise UsageProblem(
                    f"Katalogen {path} innehåller inga .yaml-filer. Ange en "
                    "partnerskapsbeskrivning eller en katalog med sådana.")
            result.extend(found)
        else:
            result.append(path)
    return result


def check_output_dir(directory: Path) -> None:
    """Refuse an -o directory before any work is done: it must be a directory we can
    write in, or one we can create (`make_output_dir` creates it when there is
    something to write, so a spec with errors leaves no empty directory behind)."""
    if directory.exists():
        ensure_output_dir(directory)
        return
    if os.path.lexists(directory):
        raise UsageProblem(f"Utdatakatalogen {directory} är en symbolisk länk till något som "
                           "inte finns. Ta bort länken eller ange en annan katalog med -o.")
    ancestor = directory.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageProblem(f"Utdatakatalogen {directory} kan inte skapas: {ancestor} är inte "
                           "en katalog. Ange en annan katalog med -o.")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise UsageProblem(f"Utdatakatalogen {directory} kan inte skapas: behörighet saknas "
                           f"i {ancestor}. Ange en annan katalog med -o.")


def make_output_dir(directory: Path) -> None:
    """Create the -o directory (and its missing parents) if it does not exist yet."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageProblem(f"Utdatakatalogen {directory} kunde inte skapas: "
                           f"{describe_os_error(exc)}. Ange en annan katalog med -o.") from None
    ensure_output_dir(directory)


def ensure_output_dir(directory: Path) -> None:
    """An existing directory we can write in, or a Swedish UsageProblem."""
    if not directory.exists():
        raise UsageProblem(f"Utdatakatalogen {directory} finns inte. Skapa den först eller "
                           "ange en annan med -o.")
    if not directory.is_dir():
        raise UsageProblem(f"{directory} är inte en katalog. Ange en katalog med -o.")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: behörighet "
                           "saknas. Ange en annan katalog med -o.")


def check_can_write(targets: list[Path], force: bool,
                    inputs: Iterable[Path] = ()) -> None:
    """Refuse before any work is done: an output path holding anything but a regular
    file (even with --force), an output that is one of the run's inputs, or an
    existing output without --force."""
    for target in targets:
        _refuse_non_regular(target)
    _refuse_inputs(targets, inputs)
    existing = [t for t in targets if os.path.lexists(t)]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        raise UsageProblem(f"Filen finns redan: {names}. Ingenting har skrivits. Använd "
                           "--force för att skriva över, eller ange en annan katalog med -o.")


def _refuse_non_regular(target: Path) -> None:
    try:
        info = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        # Nothing there, or a dangling link (replacing it is harmless); a missing or
        # wrong directory is named by ensure_output_dir.
        return
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageProblem(
                f"{target} är en symbolisk länk som pekar på sig själv (en länkslinga). Ta "
                "bort länken eller välj en annan plats.") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise UsageProblem(f"Filnamnet {target} är för långt (högst 255 byte per "
                               "namn). Välj ett kortare namn.") from None
        raise UsageProblem(f"Det går inte att skriva {target}: "
                           f"{describe_os_error(exc)}.") from None
    if stat.S_ISREG(info.st_mode):
        return
    kind = _kind_of(info.st_mode)
    raise UsageProblem(f"{target} är {kind}, inte en vanlig fil. iopkit skriver aldrig över "
                       "något annat än vanliga filer, inte heller med --force. Ingenting har "
                       "skrivits; välj en annan plats med -o.")


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en katalog"
    if stat.S_ISFIFO(mode):
        return "en namngiven rörledning (FIFO)"
    if stat.S_ISSOCK(mode):
        return "en socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    return "en speciell fil"


#: An input directory (--mallar) is compared file by file; beyond this many files it is
#: certainly not a template directory, and we stop looking.
_MAX_INPUT_DIR_FILES = 10_000


def _identities(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    found: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found[(info.st_dev, info.st_ino)] = path
        if stat.S_ISDIR(info.st_mode):
            for count, inner in enumerate(path.rglob("*")):
                if count >= _MAX_INPUT_DIR_FILES:
                    break
                try:
                    inner_info = inner.stat()
                except OSError:
                    continue
                found[(inner_info.st_dev, inner_info.st_ino)] = inner
    return found


def _refuse_inputs(targets: list[Path], inputs: Iterable[Path]) -> None:
    """An output must never replace an input, also not through a symlink or hard link:
    the same file is the same device and inode."""
    identities = _identities(inputs)
    if not identities:
        return
    for target in targets:
        try:
            info = target.stat()
        except OSError:
            continue
        source = identities.get((info.st_dev, info.st_ino))
        if source is not None:
            raise UsageProblem(f"Utdatafilen {target} är samma fil som {source}, som iopkit "
                               "läser i den här körningen. Ingenting har skrivits; välj en "
                               "annan utkatalog med -o eller ett annat filnamn.")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_targets(targets: list[Path], force: bool, inputs: Iterable[Path] = ()) -> None:
    """Before anything is written or rendered further: no two outputs share a file, every
    target directory exists and is writable, no target is anything but a regular file
    or one of the run's `inputs`, and no target exists unless `force`."""
    seen: set[Path] = set()
    for target in targets:
        _refuse_non_regular(target)
        key = Path(os.path.realpath(target))
        if key in seen:
            raise UsageProblem(f"Två beskrivningar skulle skriva till samma fil, {target}. "
                               "Ge filerna olika namn eller rendera dem var för sig med -o.")
        seen.add(key)
    for directory in sorted({t.parent for t in targets}, key=str):
        ensure_output_dir(directory)
    check_can_write(targets, force, inputs)


def write_atomic(target: Path, data: bytes | str, force: bool = False) -> None:
    """Write `data` to `target` through a temporary file in the same directory."""
    write_set([(target, data)], force)


def write_set(outputs: Sequence[tuple[Path, bytes | str]], force: bool = False) -> None:
    """Write every output or none: each goes to a temporary file first; only when all are
    on disk do they replace the targets, and if a replacement fails the old files are
    put back. No temporary file remains, whatever happens (disk full, Ctrl-C)."""
    for target, _ in outputs:
        _refuse_non_regular(target)
        if os.path.lexists(target) and not force:
            raise UsageProblem(f"Filen {target} finns redan. Använd --force för att skriva "
                               "över.")
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise UsageProblem(f"Katalogen {directory} finns inte. Skapa den först eller "
                               "välj en annan plats.")
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in outputs:
            staged.append((_stage(target, data), target))
        with _signals_deferred():
            _commit(staged)
    except BaseException:
        for tmp_name, _ in staged:
            _remove_quietly(tmp_name)
        raise


def _stage(target: Path, data: bytes | str) -> str:
    """The data in a temporary file beside `target`, flushed to disk; returns its name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp",
                                        dir=directory)
    except OSError as exc:
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: "
                           f"{describe_os_error(exc)}. Ingenting har skrivits.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o666 & ~_current_umask())
    except BaseException as exc:
        _remove_quietly(tmp_name)
        if isinstance(exc, OSError):
            raise UsageProblem(f"Det gick inte att skriva {target}: {describe_os_error(exc)}. "
                               "Ingenting har skrivits; de filer som fanns är orörda.") from None
        raise
    return tmp_name


def _commit(staged: list[tuple[str, Path]]) -> None:
    """Move staged files into place, keeping each old file as a backup until all are in
    place; on failure, restore every old file and remove every new one."""
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for _, target in staged:
            backup = _backup(target) if os.path.lexists(target) else None
            if backup is not None:
                backups[target] = backup
        for tmp_name, target in staged:
            os.replace(tmp_name, target)
            replaced.append(target)
    except BaseException as exc:
        for target in reversed(replaced):
            try:
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        for backup in backups.values():
            _remove_quietly(backup)
        if isinstance(exc, OSError):
            failed = staged[len(replaced)][1] if len(replaced) < len(staged) else staged[-1][1]
            raise UsageProblem(f"Det gick inte att skriva {failed}: {describe_os_error(exc)}. "
                               "Ingenting har ändrats; de filer som fanns är orörda.") from None
        raise
    for backup in backups.values():
        _remove_quietly(backup)


def _backup(target: Path) -> str | None:
    """A hard link to the old file under a free temporary name (the old file stays in
    place meanwhile). None where the file system has no hard links (FAT, some network
    shares): there each file is still replaced atomically, only not the set."""
    for _ in range(100):
        name = str(target.parent / f".{target.name[:200]}.{secrets.token_hex(4)}.old")
        try:
            os.link(target, name, follow_symlinks=False)
            return name
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK):
                return None
            raise
    raise FileExistsError(errno.EEXIST, "no free backup name")


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C waits until the files are all replaced or all restored: the set is never
    left half-written. The interrupt is delivered right after."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
