"""Read a spec file into plain Python data while remembering where each value stood.

We only *compose* the YAML (node tree with positions) and build the values ourselves,
so YAML 1.1 surprises never reach the model: every scalar stays the text the user
typed (`no`, `10:30`, `8024613575`), and only plain `~`, `null` or nothing is None.
The pydantic model then turns text into numbers, dates and booleans where the format
says so, with Swedish messages.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# SpecIOError: the file cannot be read at all (exit 2); SpecLoadError: it is not a usable
# YAML mapping (one finding, exit 1). Both live with the other errors in errors.py.
from ..errors import SpecIOError as SpecIOError
from ..errors import SpecLoadError as SpecLoadError
from ..files import describe_os_error
from .findings import Finding, KeyPath, Position, Severity
from .textscan import LineIndex, nesting_too_deep

try:  # libyaml's C parser is about ten times faster than the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: A real spec is a few kilobytes; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: A spec is at most five levels deep; deeper nesting is refused before it costs anything.
MAX_DEPTH = 64
#: Bounds the work of alias expansion ("billion laughs").
MAX_NODES = 20_000

_NULLS = {"", "~", "null", "Null", "NULL"}


class _UntypedLoader(_Loader):
    """The loader without YAML's type resolution. The builder below reads every value as
    the text it is written as (the model gives it its type, and null is decided from the
    text), so the tags that resolution would set are never read; resolving them costs a
    regular expression per value, in Python even with libyaml: a third of composing a
    spec, which matters for `iopkit oversikt` on a thousand files. Nodes, values and
    positions are the same as with the full loader."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return "tag:iopkit,2026:text"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None  # no path resolvers: nothing to track while descending

    def ascend_resolver(self) -> None:
        return None



@dataclass
class SpecDocument:
    """Parsed YAML plus the position of every key and value, by key path."""

    file: str
    data: dict[str, Any]
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    text: str = ""  # the decoded source, for findings about lines and comments

    _paths_by_line: dict[int, KeyPath] | None = field(default=None, repr=False,
                                                      compare=False)

    def path_at_line(self, line: int) -> KeyPath:
        """The deepest key path whose key or value starts on `line` (1-based). The
        index is built once, so a finding per line costs no more than the file."""
        if self._paths_by_line is None:
            by_line: dict[int, KeyPath] = {}
            for table in (self.key_positions, self.value_positions):
                for path, pos in table.items():
                    if len(path) > len(by_line.get(pos.line, ())):
                        by_line[pos.line] = path
            self._paths_by_line = by_line
        return self._paths_by_line.get(line, ())

    def position(self, path: KeyPath) -> Position:
        """Where to point for `path`: its key (for mappings and lists, the key line reads
        best), else its value, else the nearest enclosing key that exists."""
        probe = tuple(path)
        while probe:
            if probe in self.key_positions:
                return self.key_positions[probe]
            if probe in self.value_positions:
                return self.value_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), Position(1, 1))

    def value_position(self, path: KeyPath) -> Position:
        """Where the value itself starts (for a finding about the text of a value)."""
        if tuple(path) in self.value_positions:
            return self.value_positions[tuple(path)]
        return self.position(path)

    def get(self, path: KeyPath, default: Any = None) -> Any:
        node: Any = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node


def _finding(file: str, code: str, message: str, line: int | None = None,
             column: int | None = None, path: KeyPath = ()) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, message=message, path=path,
                   line=line, column=column, file=file)


def read_spec_bytes(path: Path) -> bytes:
    """Read a spec file, refusing directories, devices, FIFOs, huge files and unreadable
    ones before reading a byte (a FIFO would block, a device never ends)."""
    from ..files import InputProblem, check_input_file

    try:
        size = check_input_file(path, "Filen", "Ange en YAML-fil, till exempel "
                                               f"{path}/avtal.yaml.")
    except InputProblem as exc:
        raise SpecIOError(str(exc)) from None
    try:
        if size > MAX_FILE_BYTES:
            raise SpecLoadError(_finding(
                str(path), "IOP003",
                f"Filen är {size / 1024 / 1024:.1f} MB. En partnerskapsbeskrivning är "
                f"normalt några kilobyte och iopkit läser högst "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB. Kontrollera att det är rätt fil.",
                1, 1))
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise SpecIOError(
            f"Filen {path} kan inte läsas: behörighet saknas. Kontrollera filens rättigheter."
        ) from None
    except IsADirectoryError:
        raise SpecIOError(f"{path} är en katalog, inte en fil.") from None
    except OSError as exc:
        raise SpecIOError(f"Filen {path} kan inte läsas: {describe_os_error(exc)}.") from None


def decode_spec_bytes(data: bytes, file: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16/32; explain anything else."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                raise SpecLoadError(_finding(
                    file, "IOP002",
                    f"Filen börjar som {encoding.upper()} men innehåller ogiltiga tecken. "
                    "Spara om filen som UTF-8.", 1, 1)) from None
    else:
        guessed = _bomless_utf16(data)
        try:
            text = data.decode(guessed or "utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            guess = ""
            if data[exc.start] in b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9":
                guess = " Den verkar vara sparad som Latin-1 (Windows-1252)."
            raise SpecLoadError(_finding(
                file, "IOP002",
                f"Filen är inte sparad som UTF-8: rad {line} innehåller ett tecken som inte "
                f"kan läsas.{guess} Spara om filen med kodningen UTF-8 (i Anteckningar: "
                "Spara som → Kodning: UTF-8).", line, column)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise SpecLoadError(_finding(
            file, "IOP002",
            f"Filen innehåller ett NUL-tecken på rad {line}; den är troligen inte en textfil "
            "eller har skadats. Öppna den i en textredigerare och spara om den som UTF-8.",
            line, nul - (text.rfind("\n", 0, nul) + 1) + 1))
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise UTF-16 without a byte order mark by its zero bytes (as some Windows tools
    save it); mostly-ASCII YAML has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.7 and even_zeros < 0.1:
        return "utf-16-le"
    if even_zeros > 0.7 and odd_zeros < 0.1:
        return "utf-16-be"
    return None


def load_spec_file(path: Path | str) -> SpecDocument:
    """Read, decode and parse a spec file. Raises SpecIOError or SpecLoadError."""
    path = Path(path)
    data = read_spec_bytes(path)
    if len(data) > MAX_FILE_BYTES:
        raise SpecLoadError(_finding(
            str(path), "IOP003",
            f"Filen är större än {MAX_FILE_BYTES // 1024 // 1024} MB. En "
            "partnerskapsbeskrivning är normalt några kilobyte. Kontrollera att det är rätt fil.",
            1, 1))
    return parse_spec_text(decode_spec_bytes(data, str(path)), str(path))


def parse_spec_text(text: str, file: str = "<text>") -> SpecDocument:
    """Parse YAML text into a SpecDocument. Raises SpecLoadError."""
    too_deep = nesting_too_deep(text, MAX_DEPTH)
    if too_deep is not None:
        raise SpecLoadError(_finding(
            file, "IOP001",
            f"Filen är för djupt nästlad på rad {too_deep.line}, kolumn {too_deep.column}: "
            f"mer än {MAX_DEPTH} nivåer av indrag eller hakparenteser [ {{. En "
            "partnerskapsbeskrivning har högst några nivåer; kontrollera indraget och att "
            "varje [ och { stängs.", too_deep.line, too_deep.column))
    try:
        root = yaml.compose(text, Loader=_UntypedLoader)
    except yaml.MarkedYAMLError as exc:
        raise SpecLoadError(_syntax_finding(exc, text, file)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line, column = LineIndex(text).position(min(exc.position, len(text)))
        raise SpecLoadError(_finding(
            file, "IOP001",
            f"Rad {line} innehåller ett osynligt styrtecken (kod {exc.character:#04x}) som inte "
            "är tillåtet i YAML. Ta bort det, till exempel genom att skriva om raden.",
            line, column)) from None
    except yaml.YAMLError as exc:  # errors without a position, e.g. from the reader
        raise SpecLoadError(_finding(file, "IOP001", _reader_message(str(exc)), 1, 1)) from None
    except RecursionError:
        raise SpecLoadError(_finding(
            file, "IOP001",
            f"Filen är för djupt nästlad. En partnerskapsbeskrivning har högst några nivåer "
            f"av indrag; iopkit läser högst {MAX_DEPTH}.", 1, 1)) from None

    if root is None:
        only_comments = any(line.strip() for line in text.splitlines())
        message = ("Filen innehåller bara kommentarer och inga nycklar. Börja med "
                   "`iopkit: 1` och fyll i avsnitten, eller skapa en ny fil med `iopkit new`."
                   if only_comments else
                   "Filen är tom. Skapa en partnerskapsbeskrivning med `iopkit new FIL`.")
        raise SpecLoadError(_finding(file, "IOP003", message, 1, 1))
    if not isinstance(root, yaml.MappingNode):
        kind = "en lista" if isinstance(root, yaml.SequenceNode) else "ett enskilt värde"
        raise SpecLoadError(_finding(
            file, "IOP003",
            f"Filens översta nivå är {kind}, men ska vara nycklar som `iopkit:`, "
            "`partnerskap:` och `parter:` utan indrag.",
            root.start_mark.line + 1, root.start_mark.column + 1))

    builder = _Builder(file, text)
    data = builder.build(root, (), 0)
    return SpecDocument(file=file, data=data, value_positions=builder.value_positions,
                        key_positions=builder.key_positions, text=text)


class _Builder:
    def __init__(self, file: str, text: str = ""):
        self.file = file
        # YAML also breaks lines at NEL, LS and PS; editors do not. Only when the text
        # has one do we count positions from the character offset instead.
        self.lines = LineIndex(text) if _YAML_ONLY_BREAKS.search(text) else None
        self.value_positions: dict[KeyPath, Position] = {}
        self.key_positions: dict[KeyPath, Position] = {}
        self.nodes = 0

    def _position(self, node: yaml.Node) -> Position:
        mark = node.start_mark
        if self.lines is not None:
            return Position(*self.lines.position(mark.index))
        return Position(mark.line + 1, mark.column + 1)

    def _error(self, node: yaml.Node, message: str, path: KeyPath) -> SpecLoadError:
        position = self._position(node)
        return SpecLoadError(_finding(self.file, "IOP001", message,
                                      position.line, position.column, path))

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._error(node, (
                "Filen innehåller för många värden (kanske genom upprepade alias med * och &). "
                "En partnerskapsbeskrivning behöver inte alias; skriv ut värdena i stället."),
                path[:1])
        if depth > MAX_DEPTH:
            raise self._error(node, (
                f"Filen är för djupt nästlad här (mer än {MAX_DEPTH} nivåer). Kontrollera "
                "indraget; en partnerskapsbeskrivning har högst några nivåer."), path[:2])
        if path not in self.value_positions:
            self.value_positions[path] = self._position(node)
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in _NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,), depth + 1)
                    for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._error(key_node, (
                        "En nyckel måste vara ett ord följt av kolon, till exempel `namn:`. "
                        "Här står en lista eller mappning som nyckel."), path)
                key = key_node.value
                if not key.isascii():
                    # "ma\u030al" (decomposed, as some macOS tools save it) is `mål`.
                    key = unicodedata.normalize("NFC", key)
                if key in result:
                    first = self.key_positions.get(path + (key,))
                    where = f" (första gången på rad {first.line})" if first else ""
                    raise self._error(key_node, (
                        f"Nyckeln `{key}` förekommer två gånger i samma avsnitt{where}. "
                        "Ta bort eller slå ihop den ena."), path + (key,))
                self.key_positions[path + (key,)] = self._position(key_node)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        raise self._error(node, "Okänd YAML-konstruktion.", path)  # pragma: no cover


_SYNTAX_HINTS = [
    ("mapping values are not allowed",
     "Ett kolon står på fel ställe. Om en text innehåller ': ', sätt hela texten inom "
     "citattecken, till exempel namn: \"Stöd: för alla\"."),
    ("could not find expected ':'",
     "Ett kolon saknas efter en nyckel, eller så stämmer inte indraget med raden ovanför."),
    ("did not find expected key",
     "Indraget stämmer inte: nycklar i samma avsnitt ska stå exakt under varandra."),
    ("did not find expected '-' indicator",
     "Indraget stämmer inte: punkter i en lista ska börja med '-' exakt under varandra."),
    ("found undefined alias",
     "Ett alias (*namn) hänvisar till ett ankare (&namn) som inte finns."),
    ("expected a single document",
     "Filen innehåller flera YAML-dokument (avgränsade med ---). Lägg en "
     "partnerskapsbeskrivning per fil."),
    ("found unexpected end of stream",
     "Filen tar slut mitt i ett värde; troligen stängs ett citattecken aldrig."),
    ("found unknown escape character",
     "En okänd escape-sekvens (\\) inom dubbla citattecken. Använd enkla citattecken "
     "eller skriv \\\\ för ett omvänt snedstreck."),
    ("found duplicate anchor", "Samma ankare (&namn) definieras två gånger."),
    ("special characters are not allowed",
     "Filen innehåller ett osynligt styrtecken. Ta bort det, till exempel genom att skriva "
     "om raden."),
    ("found unexpected ':'",
     "Ett kolon står på fel ställe. Sätt texten inom citattecken."),
    ("found character that cannot start any token",
     "Raden börjar med ett tecken som inte får inleda ett värde (till exempel @ eller `). "
     "Sätt texten inom citattecken."),
]


def _reader_message(problem: str) -> str:
    if "special characters are not allowed" in problem or "unacceptable character" in problem:
        return ("Filen innehåller ett osynligt styrtecken som inte är tillåtet i YAML. "
                "Ta bort det och spara om filen.")
    return "Filen kan inte tolkas som YAML. Kontrollera att det är en textfil i UTF-8."


_YAML_LINE_BREAKS = re.compile("\n|\x85|\u2028|\u2029")
_YAML_ONLY_BREAKS = re.compile("\x85|\u2028|\u2029")


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, file: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = LineIndex(text).position(mark.index) if mark else (1, 1)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    # Count lines as YAML does (NEL, LS and PS break lines too), so marks index correctly.
    lines = _YAML_LINE_BREAKS.split(text)
    row = mark.line if mark else 0
    current = lines[row] if row < len(lines) else ""
    previous = lines[row - 1] if 0 < row <= len(lines) else ""
    tab_column = None
    if mark and mark.column < len(current) and current[mark.column] == "\t":
        tab_column = mark.column + 1
    elif "\t" in current[: (mark.column if mark else 0) + 1]:
        tab_column = current.index("\t") + 1
    elif previous[:1] == "\t":
        line, tab_column = row, 1
    if tab_column is not None:
        return _finding(file, "IOP001",
                        f"Rad {line} innehåller ett tabbtecken. YAML tillåter bara mellanslag "
                        "för indrag: ersätt tabben med mellanslag.", line, tab_column)
    if "unacceptable character" in problem or "special characters" in problem:
        return _finding(file, "IOP001",
                        f"Rad {line} innehåller ett osynligt styrtecken som inte är tillåtet i "
                        "YAML. Ta bort det, till exempel genom att skriva om raden.",
                        line, column)
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem:
            return _finding(file, "IOP001", f"YAML-syntaxfel på rad {line}: {hint}", line, column)
    return _finding(file, "IOP001",
                    f"YAML-syntaxfel på rad {line}. Kontrollera indrag, kolon och citattecken "
                    "på raden och raden ovanför.", line, column)
