"""`iopkit serve KATALOG`: the partnerships of one folder, as the register shows them.

The folder is fixed when the server starts. A request names a partnership only by its
path relative to the folder (`sub/avtal.yaml`), and `Directory.resolve` accepts a name
only if it stays inside: no absolute paths, no `..`, no hidden parts, no symbolic link on
the way, and the real path under the folder's real path. Files are read with the same
bounded, no-link read as the single-file editor.

The list and the downloads reuse the register (`iopkit oversikt`): the same checks, the
same `build_register`, the same writers; only the reading differs (bounded, no links,
follow-up files are counted but their spec references are not followed, since they may
point outside the folder). The work runs in the editor's worker process, where each
file's check is kept by its content hash, so listing again rechecks only what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..files import UsageProblem
from ..register.collect import MAX_FILES, SUFFIXES, Broken, Collection
from .workspace import read_regular_bounded

#: Longest relative name a request may give (a real one is a few dozen characters).
MAX_KEY_CHARS = 500


class OutsideDirectory(Exception):
    """A name from a request that does not lead to a partnership in the folder; the
    message is Swedish and says what to do."""


@dataclass(frozen=True)
class Directory:
    root: Path  # absolute, resolved when the server starts

    @classmethod
    def open(cls, folder: Path) -> "Directory":
        if not folder.is_dir():
            raise UsageProblem(f"{folder} är ingen katalog. Ange katalogen med "
                               "partnerskapsbeskrivningarna, eller en fil.")
        return cls(folder.resolve())

    def files(self) -> list[tuple[str, Path]]:
        """(name relative to the folder, path) of every *.yaml below it, sorted; hidden
        files and folders and symbolic links are skipped (a link may lead anywhere)."""
        found: list[tuple[str, Path]] = []
        for base, dirs, names in os.walk(self.root):  # never follows links to folders
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not os.path.islink(os.path.join(base, d)))
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                    continue
                path = Path(base) / name
                if os.path.islink(path):
                    continue
                found.append((path.relative_to(self.root).as_posix(), path))
                if len(found) > MAX_FILES:
                    raise UsageProblem(
                        f"Fler än {MAX_FILES} .yaml-filer under {self.root}. Starta "
                        "webbredigeraren på katalogen med partnerskapen, inte en hel disk.")
        return sorted(found)

    def resolve(self, key: str, *, may_be_new: bool = False) -> Path:
        """The file a request's name stands for. Raises OutsideDirectory unless the
        name is a relative `.yaml` name inside the folder, through real folders only,
        and is a regular file (or, with `may_be_new`, does not exist yet)."""
        refused = OutsideDirectory(
            f"”{key[:80]}” är inget partnerskap i katalogen {self.root}. Välj ett "
            "partnerskap i listan.")
        if (not key or len(key) > MAX_KEY_CHARS or "\\" in key or "\x00" in key
                or key.startswith("/") or ":" in key):
            raise refused
        parts = key.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise refused
        if not parts[-1].lower().endswith(SUFFIXES):
            raise OutsideDirectory(f"”{parts[-1][:80]}” slutar inte på .yaml. En "
                                   "partnerskapsbeskrivning är en .yaml-fil.")
        current = self.root
        for part in parts[:-1]:
            current = current / part
            if not _is_real_folder(current):
                raise refused
        path = current / parts[-1]
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            if not may_be_new:
                raise refused from None
            mode = None
        except OSError:
            raise refused from None
        if mode is not None and not stat.S_ISREG(mode):
            raise refused  # a link, a folder, a device: never opened
        if os.path.commonpath([os.path.realpath(path), str(self.root)]) != str(self.root):
            raise refused
        return path

    def new_file(self, name: str) -> str:
        """The key of a new partnership named `name` (a file name in the folder, `.yaml`
        added when missing). Raises OutsideDirectory when the name is not a plain file
        name or the file exists already."""
        name = name.strip()
        if not name:
            raise OutsideDirectory("Skriv ett filnamn för det nya partnerskapet, till "
                                   "exempel laxhjalp-berga.yaml.")
        if "/" in name or "\\" in name or name.startswith(".") or ":" in name \
                or "\x00" in name or len(name) > 200:
            raise OutsideDirectory(f"”{name[:80]}” går inte att använda som filnamn. Skriv "
                                   "ett namn utan snedstreck, kolon eller inledande punkt, "
                                   "till exempel laxhjalp-berga.yaml.")
        if not name.lower().endswith(SUFFIXES):
            name += ".yaml"
        if os.path.lexists(self.root / name):
            raise OutsideDirectory(f"Det finns redan en fil som heter {name} i katalogen. "
                                   "Öppna den i listan, eller välj ett annat namn.")
        self.resolve(name, may_be_new=True)
        return name


def _is_real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)  # lstat: a link to a folder is not one
    except OSError:
        return False


# ---- the work in the worker process -------------------------------------------------

#: Check results by (name, content hash), kept in the worker between requests.
_CHECKED: dict[tuple[str, str], tuple[Any, ...]] = {}


def _check_bytes(key: str, data: bytes) -> tuple[Any, ...]:
    """("spec", Spec, warnings) | ("broken", name, errors, first, warnings) |
    ("outcomes",) | ("unreadable", message) for one file's bytes."""
    from ..check import check_document
    from ..outcomes.check import is_outcomes_document
    from ..spec.loader import SpecLoadError, decode_spec_bytes, parse_spec_text

    try:
        document = parse_spec_text(decode_spec_bytes(data, key), key)
    except SpecLoadError as exc:
        finding = exc.finding
        return ("broken", None, 1, f"rad {finding.line}: {finding.message}", 0)
    if is_outcomes_document(document):
        return ("outcomes",)
    result = check_document(document)
    warnings = len(result.warnings)
    if result.errors:
        first = result.errors[0]
        return ("broken", _raw_name(document.data), len(result.errors),
                f"rad {first.line}: {first.message}", warnings)
    return ("spec", result.spec, warnings)


def _raw_name(data: Any) -> str | None:
    """The partnership's name as written, for a file whose errors stop the model."""
    section = data.get("partnerskap") if isinstance(data, dict) else None
    name = section.get("namn") if isinstance(section, dict) else None
    return " ".join(name.split())[:200] if isinstance(name, str) and name.strip() else None


@dataclass
class Checked:
    collection: Collection
    warnings: dict[str, int]  # warnings per file (key)
    broken_names: dict[str, str | None]
    outcomes: list[str]


def check_folder(root: str) -> Checked:
    directory = Directory(Path(root))
    collection = Collection()
    checked = Checked(collection, {}, {}, [])
    seen: set[tuple[str, str]] = set()
    for key, path in directory.files():
        try:
            data = read_regular_bounded(path)
        except UsageProblem as exc:
            collection.unreadable.append((key, str(exc)))
            continue
        if data is None:  # removed while we looked
            continue
        cache_key = (key, hashlib.sha256(data).hexdigest())
        seen.add(cache_key)
        result = _CHECKED.get(cache_key)
        if result is None:
            result = _check_bytes(key, data)
            _CHECKED[cache_key] = result
        if result[0] == "spec":
            collection.specs.append((key, result[1]))
            checked.warnings[key] = result[2]
        elif result[0] == "broken":
            collection.broken.append(Broken(key, result[2], result[3]))
            checked.warnings[key] = result[4]
            checked.broken_names[key] = result[1]
        elif result[0] == "outcomes":
            checked.outcomes.append(key)
        else:
            collection.unreadable.append((key, result[1]))
    for stale in set(_CHECKED) - seen:  # bounded by the folder: old versions go
        del _CHECKED[stale]
    return checked


def _register(root: str, today: dt.date, days: int) -> tuple[Any, Checked]:
    from ..register.tables import build_register

    checked = check_folder(root)
    register = build_register(checked.collection, today, days)
    register.outcomes = len(checked.outcomes)
    return register, checked


def _over_ceiling(window: Any) -> bool:
    """The same two ceilings `per_organisation` warns about (see register.deminimis)."""
    from ..rules.settings import DEFAULT_SETTINGS

    return bool(window.general_eur > Decimal(DEFAULT_SETTINGS.de_minimis_eur)
                or window.total_eur > Decimal(DEFAULT_SETTINGS.sgei_de_minimis_eur))


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def list_task(root: str, today: dt.date, days: int) -> dict[str, Any]:
    """The page's list: the register's rows as JSON-ready values."""
    register, checked = _register(root, today, days)
    aid: dict[str, list[dict[str, Any]]] = {}
    organisations = []
    for org in register.organisations:
        highest = max((int(w.total_eur) for w in org.windows), default=0)
        organisations.append({
            "namn": " / ".join(org.names), "organisationsnummer": org.org_number,
            "bidrag": [{"partnerskap": g.agreement, "fil": g.file, "datum": _day(g.date),
                        "kr": g.amount, "euro": int(g.eur)} for g in org.grants],
            "hogsta_tre_ar_euro": highest, "varningar": list(org.warnings)})
        # A grant is part of a sum over a ceiling when any window holding it is over
        # (an earlier grant too: the later one brings the organisation over).
        over = [window for window in org.windows if _over_ceiling(window)]
        for grant, window in zip(org.grants, org.windows):
            aid.setdefault(grant.file, []).append({
                "mottagare": grant.recipient, "organisationsnummer": grant.org_number,
                "datum": _day(grant.date), "kr": grant.amount, "euro": int(grant.eur),
                "tre_ar_euro": int(window.total_eur),
                "over_taket": any(grant in w.grants for w in over)})
    rows = [{
        "fil": a.file, "namn": a.name, "diarienummer": a.case_number,
        "offentliga": a.public, "organ": a.bodies, "ideburna": a.nonprofit,
        "organisationsnummer": a.org_numbers, "start": _day(a.start), "slut": _day(a.end),
        "status": a.status, "per_ar": {str(y): kr for y, kr in a.money.items()},
        "totalt": a.total, "nasta_datum": _day(a.next_date), "nasta_vad": a.next_what,
        "fel": 0, "varningar": checked.warnings.get(a.file, 0),
        "stod": aid.get(a.file, [])} for a in register.agreements]
    rows += [{
        "fil": b.file, "namn": checked.broken_names.get(b.file) or b.file,
        "diarienummer": "", "offentliga": "", "organ": "", "ideburna": "",
        "organisationsnummer": "", "start": None, "slut": None, "status": "har fel",
        "per_ar": {}, "totalt": None, "nasta_datum": None, "nasta_vad": "",
        "fel": b.errors, "forsta_fel": b.first,
        "varningar": checked.warnings.get(b.file, 0), "stod": []} for b in register.broken]
    return {
        "katalog": root, "datum": today.isoformat(), "dagar": days,
        "partnerskap": rows,
        "frister": [{"datum": _day(d.date), "partnerskap": d.agreement, "vad": d.what,
                     "fil": d.file} for d in register.deadlines],
        "organisationer": organisations,
        "varningar": register.warnings,
        "uppfoljning": checked.outcomes,
        "olasbara": [{"fil": f, "fel": m} for f, m in register.unreadable],
    }


#: What the page can download: the format, and the file of `register_outputs` it is.
DOWNLOADS = {"xlsx": "xlsx", "csv": "csv", "html": "html", "md": "md", "ics": "ics",
             "de-minimis": "csv"}


def download_task(root: str, today: dt.date, days: int, choice: str) -> tuple[str, bytes]:
    """(file name, bytes) of one register file, exactly as `iopkit oversikt` writes it
    for these files and this date."""
    from ..register.outputs import CENTRAL_REGISTER_FILE, register_outputs

    register, _ = _register(root, today, days)
    outputs = register_outputs(register, Path("."), (DOWNLOADS[choice],))
    wanted = outputs[-1] if choice == "de-minimis" else outputs[0]
    assert choice != "de-minimis" or wanted[0].name == CENTRAL_REGISTER_FILE
    return wanted[0].name, wanted[1]
