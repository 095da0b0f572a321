"""Finding the spec files a command was given, and writing outputs safely.

Outputs are written to a temporary file in the target directory and renamed into
place, so a failure half way never leaves a partial file or a damaged old one.

Why one module of some 680 lines: most of it is one protocol that every command and the
web editor write through (refuse what must not be overwritten, stage in temporary
files, lock the directory, commit with backups and roll back, defer signals meanwhile),
and its steps rely on each other's names and invariants (the temporary names that
`remove_stale_temporaries` recognises, the lock `write_set` holds). It sits on the
bottom floor and some thirty modules import it; the few input checks beside the
protocol share its error messages (`describe_os_error`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
import time
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
    if getattr(exc, "winerror", None) in (32, 33):  # see file_in_use
        return "filen används av ett annat program (till exempel Word); stäng den först"
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
    put back. No temporary file remains, whatever happens (disk full, Ctrl-C, SIGTERM).

    The set is published under a lock on each target directory, so two runs into one
    directory never mix their files; whether a target exists is decided at the moment
    it is published (without `force` a file that appeared meanwhile is never replaced).
    A replaced file keeps its permissions (and owner, where allowed); a new one follows
    the umask."""
    directories: set[Path] = set()
    for target, _ in outputs:
        _refuse_non_regular(target)
        if os.path.lexists(target) and not force:
            raise UsageProblem(f"Filen {target} finns redan. Använd --force för att skriva "
                               "över.")
        directory = _directory_of(target)
        if not directory.is_dir():
            raise UsageProblem(f"Katalogen {directory} finns inte. Skapa den först eller "
                               "välj en annan plats.")
        directories.add(directory)
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in outputs:
            staged.append((_stage(target, data), target))
        with contextlib.ExitStack() as locks:
            for directory in sorted(directories, key=str):
                locks.enter_context(directory_lock(directory))
                remove_stale_temporaries(directory)
            with _signals_deferred():
                _commit(staged, force)
    except BaseException:
        for tmp_name, _ in staged:
            _remove_quietly(tmp_name)
        raise


def _directory_of(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


#: Temporary and backup files are named `.<target>.iopkit-<pid>-<random>.tmp` (or
#: `.old`): a later run recognises the ones a killed run left behind.
_TEMP_NAME = re.compile(r"^\..*\.iopkit-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")
#: A temporary file this old is stale whatever its process (process ids are reused).
STALE_AFTER_SECONDS = 24 * 3600
#: One whose process has gone is stale after this long: a run on another computer
#: (a shared folder: its process id means nothing here) finishes its set well within.
STALE_ORPHAN_SECONDS = 600


def _temp_name(target: Path, suffix: str) -> str:
    return str(_directory_of(target) / (f".{target.name[:180]}.iopkit-{os.getpid()}-"
                                        f"{secrets.token_hex(4)}{suffix}"))


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    if sys.platform == "win32":  # os.kill would end the process there: go by age only
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Remove the temporary files of iopkit runs that ended without cleaning up (killed,
    power cut): named as `_temp_name` makes them, and either their process gone and
    older than STALE_ORPHAN_SECONDS, or older than STALE_AFTER_SECONDS. Returns what was
    removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        if age > STALE_AFTER_SECONDS or (age > STALE_ORPHAN_SECONDS
                                         and _process_gone(int(match["pid"]))):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


LOCK_NAME = ".iopkit.lock"
#: How long a run waits for another run writing into the same directory.
LOCK_WAIT_SECONDS = 60.0


@contextlib.contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Only one iopkit run publishes into `directory` at a time. On POSIX a lock on the
    directory itself (nothing is left behind); on Windows, where a directory cannot be
    locked, on a file `.iopkit.lock` in it. Waits up to LOCK_WAIT_SECONDS."""
    if sys.platform == "win32":
        lock_path = directory / LOCK_NAME
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
    else:
        lock_path = directory
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(lock_path, flags)
    except OSError as exc:
        raise UsageProblem(f"Det går inte att skriva i katalogen {directory}: "
                           f"{describe_os_error(exc)}. Ingenting har skrivits.") from None
    try:
        _acquire(fd, directory)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, directory: Path) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            if sys.platform == "win32":
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
                return  # a file system without locks (some network shares): go on
        if time.monotonic() > deadline:
            raise UsageProblem(f"En annan körning av iopkit skriver i katalogen {directory} "
                               "och blir inte klar. Vänta tills den är klar och försök "
                               "igen. Ingenting har skrivits.")
        time.sleep(0.05)


def _release(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


#: Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: another program (Word,
#: Excel, a preview pane) has the file open.
_WINDOWS_IN_USE = (32, 33)
IN_USE_MESSAGE = ("Filen används av ett annat program (till exempel Word). Stäng den och "
                  "försök igen.")


def file_in_use(exc: OSError) -> bool:
    return getattr(exc, "winerror", None) in _WINDOWS_IN_USE


def write_failure(target: Path, exc: OSError, consequence: str) -> UsageProblem:
    """The Swedish message for a failed write of `target` (exit 2)."""
    if file_in_use(exc):
        return UsageProblem(f"Det gick inte att skriva {target}. {IN_USE_MESSAGE} "
                            f"{consequence}")
    return UsageProblem(f"Det gick inte att skriva {target}: {describe_os_error(exc)}. "
                        f"{consequence}")


def _stage(target: Path, data: bytes | str) -> str:
    """The data in a temporary file beside `target`, flushed to disk; returns its name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    directory = _directory_of(target)
    tmp_name = ""
    try:
        for _ in range(100):
            tmp_name = _temp_name(target, ".tmp")
            try:
                fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o600)
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name")
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
            raise write_failure(target, exc, "Ingenting har skrivits; de filer som fanns är "
                                "orörda.") from None
        raise
    return tmp_name


def _commit(staged: list[tuple[str, Path]], force: bool = True) -> None:
    """Move staged files into place, keeping each old file as a backup until all are in
    place; on failure, restore every old file and remove every new one. Without
    `force`, a target that exists now (another program wrote it since the run began)
    stops the set."""
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    current = staged[0][1] if staged else Path(".")
    try:
        for _, target in staged:
            current = target
            if os.path.lexists(target):
                if not force:
                    raise FileExistsError(errno.EEXIST, "exists", str(target))
                backups[target] = _backup(target)
        for tmp_name, target in staged:
            current = target
            if target in backups or force:
                _keep_mode_and_owner(tmp_name, target)
                os.replace(tmp_name, target)
            else:
                _publish_new(tmp_name, target)
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
        if isinstance(exc, FileExistsError) and exc.filename:
            raise UsageProblem(f"Filen {exc.filename} finns redan (den skrevs medan iopkit "
                               "arbetade). Ingenting har skrivits. Använd --force för att "
                               "skriva över.") from None
        if isinstance(exc, OSError):
            raise write_failure(current, exc, "Ingenting har ändrats; de filer som fanns är "
                                "orörda.") from None
        raise
    for backup in backups.values():
        _remove_quietly(backup)


def _publish_new(tmp_name: str, target: Path) -> None:
    """Put a new file in place only if nothing is there: an O_EXCL placeholder claims
    the name (it fails if another program wrote the file meanwhile), and the staged
    file replaces our own placeholder. Works where hard links do not (FAT, exFAT)."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
    try:
        os.replace(tmp_name, target)
    except BaseException:
        _remove_quietly(str(target))
        raise


def _keep_mode_and_owner(tmp_name: str, target: Path) -> None:
    """The new file gets the permissions of the one it replaces (a 0600 file stays
    private), and its owner and group where we may set them."""
    try:
        info = os.stat(target)
    except OSError:
        return
    try:
        os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
    except OSError:
        pass
    if hasattr(os, "chown"):
        try:
            current = os.stat(tmp_name)
            if (current.st_uid, current.st_gid) != (info.st_uid, info.st_gid):
                os.chown(tmp_name, info.st_uid, info.st_gid)
        except OSError:
            pass


def _backup(target: Path) -> str:
    """The old file under a free temporary name while it stays in place: a hard link,
    or a copy where a hard link is refused for any reason (FAT and exFAT say EINVAL,
    other file systems EPERM, ENOTSUP or EXDEV; a network share may say anything)."""
    for _ in range(100):
        name = _temp_name(target, ".old")
        try:
            os.link(target, name, follow_symlinks=False)
            return name
        except FileExistsError:
            continue
        except OSError:
            break
    for _ in range(100):
        name = _temp_name(target, ".old")
        try:
            with open(target, "rb") as source, open(name, "xb") as copy:
                shutil.copyfileobj(source, copy)
            return name
        except FileExistsError:
            continue
        except BaseException:
            _remove_quietly(name)
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


#: Names Windows reserves for devices, with any extension ("CON.docx", "aux.yaml").
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{d}{n}" for d in ("COM", "LPT") for n in "123456789"]
    + [f"{d}{n}" for d in ("COM", "LPT") for n in "\u00b9\u00b2\u00b3"])
_WINDOWS_REFUSED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def portable_name(name: str, fallback: str = "iopkit") -> str:
    """`name` as a file name every system accepts, Windows too: the characters Windows
    refuses become "_", trailing dots and spaces go, and a reserved device name (CON,
    AUX, COM1 … with any extension) gets a "_" in front. Used for every output name
    derived from a spec."""
    cleaned = _WINDOWS_REFUSED.sub("_", name).rstrip(". ")
    if not cleaned:
        return fallback
    base = cleaned.split(".", 1)[0].rstrip(" ").upper()
    if base in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned


#: Folders whose files the system or a program removes on its own: an attachment opened
#: from Outlook lands in Content.Outlook (under INetCache or Temporary Internet Files).
_TEMPORARY_PARTS = ("content.outlook", "inetcache", "temporary internet files", "temp",
                    "tmp")


def in_temporary_folder(path: Path) -> bool:
    """True when `path` lies in a temporary folder (%TEMP%, /tmp, Outlook's attachment
    cache): what is saved there can vanish without a word."""
    try:
        resolved = Path(os.path.abspath(path))
    except (OSError, ValueError):
        return False
    roots = {tempfile.gettempdir(), os.environ.get("TEMP", ""), os.environ.get("TMP", ""),
             os.environ.get("TMPDIR", "")}
    for root in filter(None, roots):
        root_path = Path(os.path.abspath(root))
        if resolved.is_relative_to(root_path) and str(root_path) not in ("/", ""):
            return True
    return any(part.lower() in _TEMPORARY_PARTS for part in resolved.parent.parts)
