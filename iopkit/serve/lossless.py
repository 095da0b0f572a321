"""Saving the page's data into the YAML file without touching what the user did not edit.

The page edits data; the file is text with comments, key order, quoting, block texts,
keys the schema does not know and values of the wrong shape that `check` reports. The
file is read with ruamel.yaml's round-trip loader, which keeps all of that; the page's
data is compared with what iopkit's own loader reads from the file (the same data the
page was given), and only the values that differ are changed in the round-trip document,
in place. An unchanged save gives the file's bytes back untouched. A value's end-of-line
`# FYLL I: …` goes when the value changes, and when the page says the user has confirmed
the value as it stands ("Stämmer"), or filled in the list it sits on. The result is read
back with iopkit's loader and must give exactly the data intended; otherwise the changed
texts are written double-quoted, and if even that does not hold, nothing is saved.

Why one module of some 470 lines: reading the file, finding the layout that gives it back
byte for byte, changing values in place, moving or dropping the comments that belong to a
changed or removed key and the read-back check all work on the same ruamel round-trip
tree and its comment tokens; split up, each part would need the others' private view of
that tree.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import unicodedata
from typing import Any, Iterable, Sequence

from ..errors import UsageProblem

#: Indentation of iopkit's files and scaffolds (keys by 2, list dashes indented by 2);
#: tried first, then the other common layouts, and the one that gives the file back
#: unchanged is used.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 0))
_MISSING = object()
_INT = re.compile(r"[1-9][0-9]*|0")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class NotLossless(UsageProblem):
    """The file has a construct the round-trip writer cannot keep exactly."""


def merge(original: bytes | None, data: Any, file: str, base_text: str | None = None,
          confirmed: Iterable[Sequence[str | int]] = ()) -> bytes:
    """The bytes to save: `original` (the file, or None for a new file whose starting
    text is `base_text`, e.g. the scaffold) with the page's `data` applied, and the
    FYLL I note dropped from each value at a key path in `confirmed` (paths in `data`)."""
    from ..spec.loader import SpecLoadError, decode_spec_bytes, parse_spec_text

    encoding, bom, newline = "utf-8", b"", "\n"
    if original is not None:
        encoding, bom = _encoding_of(original)
        try:
            text = decode_spec_bytes(original, file)
        except SpecLoadError as exc:
            raise UsageProblem(_unreadable(file, exc.finding.message)) from None
        newline = "\r\n" if b"\r\n" in original[:4096] or (b"\n" not in original
                                                           and b"\r" in original) else "\n"
    else:
        text = base_text or ""
    try:
        before = parse_spec_text(text, file).data if text.strip() else {}
    except SpecLoadError as exc:
        raise UsageProblem(_unreadable(file, exc.finding.message)) from None
    confirmed = list(confirmed)
    unchanged = _same(before, data)
    if unchanged and original is not None and not confirmed:
        return original
    yaml, document = _load_round_trip(text, file)
    if not isinstance(document, dict) or not isinstance(before, dict) \
            or not isinstance(data, dict):
        document, before = _new_mapping(), {}
    changed: list[tuple[Any, Any]] = []
    _merge_mapping(document, before, data, changed)
    dropped = sum(_drop_note_at(document, path) for path in confirmed)
    if unchanged and original is not None and not dropped:
        return original
    out = _dump(yaml, document)
    if not _reads_as(out, data, file):
        for container, key in changed:  # the conservative spelling of every changed text
            value = container[key]
            if isinstance(value, str):
                from ruamel.yaml.scalarstring import DoubleQuotedScalarString

                container[key] = DoubleQuotedScalarString(value)
        out = _dump(yaml, document)
        if not _reads_as(out, data, file):
            raise NotLossless(
                f"Ändringen kunde inte sparas i {file} utan att ändra delar av filen som du "
                "inte har rört. Ingenting har sparats. Ladda ner YAML-filen och jämför, "
                "eller gör ändringen i en textredigerare.")
    if newline != "\n":
        out = out.replace("\n", newline)
    return bom + out.encode(encoding)


def _unreadable(file: str, message: str) -> str:
    return (f"{file} på disken kan inte läsas ({message}) och kan därför inte sparas utan "
            "att något går förlorat. Rätta filen i en textredigerare, eller ladda ner "
            "YAML-filen från sidan.")


def _encoding_of(data: bytes) -> tuple[str, bytes]:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return encoding, bom
    return "utf-8", b""


def _load_round_trip(text: str, file: str) -> tuple[Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    best: tuple[int, Any, Any] | None = None
    for layout in _LAYOUTS:
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 1 << 20  # never fold a long line the user wrote on one line
        yaml.allow_duplicate_keys = False
        mapping, sequence, offset = layout
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            document = yaml.load(text)
        except (YAMLError, RecursionError, ValueError) as exc:
            raise NotLossless(
                f"{file} kan inte sparas från webbredigeraren: filen innehåller något som "
                f"YAML-läsaren för sparandet inte förstår ({type(exc).__name__}). Ingenting "
                "har sparats. Gör ändringen i en textredigerare.") from None
        if not text.strip():
            return yaml, document
        out = _dump(yaml, document)
        if out == text:
            return yaml, document
        distance = _distance(out, text)
        if best is None or distance < best[0]:
            best = (distance, yaml, document)
    assert best is not None
    return best[1], best[2]


def _distance(a: str, b: str) -> int:
    """How many lines differ, position by position (cheap, linear; only to choose)."""
    left, right = a.split("\n"), b.split("\n")
    return abs(len(left) - len(right)) + sum(x != y for x, y in zip(left, right))


def _dump(yaml: Any, document: Any) -> str:
    if document is None:
        return ""
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _new_mapping() -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


def _reads_as(text: str, data: Any, file: str) -> bool:
    from ..spec.loader import SpecLoadError, parse_spec_text

    try:
        again = parse_spec_text(text, file).data
    except SpecLoadError:
        return False
    return _same_exact(again, _expected(data))


def _expected(value: Any) -> Any:
    """The page's data as iopkit's loader will read it back (every scalar is text)."""
    if isinstance(value, dict):
        return {_nfc(str(k)): _expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expected(v) for v in value]
    return _scalar_text(value)


def _same_exact(read: Any, expected: Any) -> bool:
    """`read` (from the saved text) holds every value of `expected`; keys the page left
    out because they were empty may still be in the file."""
    if isinstance(expected, dict):
        if not isinstance(read, dict):
            return False
        for key, value in expected.items():
            if key not in read:
                if _empty(value):
                    continue
                return False
            if not _same_exact(read[key], value):
                return False
        return True
    if isinstance(expected, list):
        return isinstance(read, list) and len(read) == len(expected) and all(
            _same_exact(r, e) for r, e in zip(read, expected))
    if expected is None or expected == "":
        return read is None or read == ""
    return bool(read == expected)


def _nfc(key: str) -> str:
    return key if key.isascii() else unicodedata.normalize("NFC", key)


def _scalar_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return str(value)


def _empty(value: Any) -> bool:
    """Nothing the user wrote: the page sends these for fields it shows but nobody
    filled in, and leaves them out when optional."""
    if value is None or value == "":
        return True
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return False


def _same(before: Any, after: Any) -> bool:
    """The page's data says nothing new about `before` (empty values the page adds or
    leaves out count as no change)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in after.items():
            old = before.get(_nfc(str(key)), _MISSING)
            if old is _MISSING:
                if not _empty(value):
                    return False
            elif not _same(old, value):
                return False
        return _same_keys(before, after)
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(_same(b, a) for b, a in zip(before, after))
    if isinstance(before, (dict, list)) or isinstance(after, (dict, list)):
        return _empty(before) and _empty(after)
    if _empty(before) and _empty(after):
        return True
    return bool(before == _scalar_text(after))


def _same_keys(before: dict[str, Any], after: dict[str, Any]) -> bool:
    keys = {_nfc(str(a)) for a in after}
    return all(k in keys or _empty(v) for k, v in before.items())


def _find_key(document: Any, key: str) -> Any:
    """The round-trip document's key that iopkit's loader reads as `key`."""
    if key in document:
        return key
    for candidate in document:
        text = candidate if isinstance(candidate, str) else _scalar_text(candidate)
        if isinstance(text, str) and _nfc(text) == key:
            return candidate
    return _MISSING


def _merge_mapping(document: Any, before: dict[str, Any], after: dict[str, Any],
                   changed: list[tuple[Any, Any]]) -> None:
    after = {_nfc(str(k)): v for k, v in after.items()}
    previous: Any = _MISSING
    for key, value in after.items():
        old = before.get(key, _MISSING)
        where = _find_key(document, key) if old is not _MISSING else _MISSING
        if old is _MISSING or where is _MISSING:
            if not _empty(value):
                position = _position_after(document, previous)
                document.insert(position, key, _fresh(value))
                changed.extend(_strings_in(document, key))
                previous = key
            continue
        previous = where
        if _same(old, value):
            continue
        _merge_value(document, where, old, value, changed)
    for key, old in before.items():
        if key in after or _empty(old):
            continue
        where = _find_key(document, key)
        if where is not _MISSING:
            _delete_key(document, where)


def _delete_key(document: Any, where: Any) -> None:
    """Remove a key the page left out (emptied). The comment lines below its value line
    belong to what follows (the next section's heading, `# PARTER …`): they are moved to
    the key before it when that one ends on its own line, so that they are not lost."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slots = document.ca.items.get(where) or []
    token = slots[2] if len(slots) > 2 else None
    text = getattr(token, "value", None)
    below = text.partition("\n")[2] if isinstance(text, str) and text.startswith("#") else ""
    keys = list(document)
    at = keys.index(where)
    del document[where]
    if not below.strip() or at == 0:
        return
    previous = keys[at - 1]
    value = document[previous]
    flow = bool(getattr(getattr(value, "fa", None), "flow_style", lambda: False)())
    if isinstance(value, (dict, list)) and value and not flow:
        return  # its last line is inside the nested value: left as before
    kept = document.ca.items.setdefault(previous, [None, None, None, None])
    if kept[2] is None:
        kept[2] = CommentToken("\n" + below, CommentMark(0), None)
    elif isinstance(kept[2].value, str) and kept[2].value.endswith("\n"):
        kept[2].value += below


def _position_after(document: Any, previous: Any) -> int:
    if previous is _MISSING:
        return 0
    for index, key in enumerate(document):
        if key == previous:
            return index + 1
    return len(document)


def _merge_value(container: Any, where: Any, old: Any, value: Any,
                 changed: list[tuple[Any, Any]]) -> None:
    current = container[where]
    if isinstance(old, dict) and isinstance(value, dict) and isinstance(current, dict):
        _merge_mapping(current, old, value, changed)
    elif isinstance(old, list) and isinstance(value, list) and isinstance(current, list):
        _merge_list(current, old, value, changed)
        _drop_fill_in_note(container, where)  # `[a, b]  # FYLL I: …`: the list is filled in
    elif isinstance(value, (dict, list)):
        container[where] = _fresh(value)
        changed.extend(_strings_in(container, where))
    else:
        container[where] = _like(current, value)
        changed.append((container, where))
        _drop_fill_in_note(container, where)


def _drop_note_at(document: Any, path: Sequence[str | int]) -> bool:
    """Drop the FYLL I note of the value at `path` in the merged document (which has the
    page's structure now); a path that leads nowhere is left alone."""
    container: Any = document
    for depth, part in enumerate(path):
        if isinstance(container, dict) and isinstance(part, str):
            where = _find_key(container, _nfc(part))
        elif isinstance(container, list) and isinstance(part, int) \
                and 0 <= part < len(container):
            where = part
        else:
            return False
        if where is _MISSING:
            return False
        if depth == len(path) - 1:
            return _drop_fill_in_note(container, where)
        container = container[where]
    return False


def _drop_fill_in_note(container: Any, where: Any) -> bool:
    """The user has filled in a value: its end-of-line `# FYLL I: …` no longer applies
    (the check would keep warning). Comment lines below it are kept. A flow list's
    (`[a, b]  # FYLL I: …`) note is the same token, shared with the list itself."""
    items = getattr(getattr(container, "ca", None), "items", {})
    slots = items.get(where)
    if not slots:
        return False
    dropped = False
    for index, token in enumerate(slots):
        text = getattr(token, "value", None)
        if not isinstance(text, str) or not text.startswith("#"):
            continue
        first, newline, rest = text.partition("\n")
        if "FYLL I" not in first:
            continue
        dropped = True
        if rest.strip():
            token.value = newline + rest
        else:
            slots[index] = None
    return dropped


def _merge_list(document: Any, before: list[Any], after: list[Any],
                changed: list[tuple[Any, Any]]) -> None:
    """Items equal at the start and the end stay as they are (with their comments); the
    ones between are merged pairwise, and the extra ones removed or inserted. Linear."""
    start = 0
    while start < len(before) and start < len(after) and _same(before[start], after[start]):
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and _same(before[end_b - 1], after[end_a - 1]):
        end_b -= 1
        end_a -= 1
    pairs = min(end_b - start, end_a - start)
    for offset in range(pairs):
        index = start + offset
        _merge_value(document, index, before[index], after[index], changed)
    if end_b - start > pairs:  # the page removed items
        for index in range(end_b - 1, start + pairs - 1, -1):
            del document[index]
    else:
        for offset, item in enumerate(after[start + pairs:end_a]):
            index = start + pairs + offset
            document.insert(index, _fresh(item))
            changed.extend(_strings_in(document, index))


def _strings_in(container: Any, where: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) holding a text inside container[where], itself included."""
    found: list[tuple[Any, Any]] = []
    stack = [(container, where)]
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, dict):
            stack.extend((value, k) for k in value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        else:
            found.append((parent, key))
    return found


def _fresh(value: Any) -> Any:
    """The page's value as round-trip data (new keys, new list items)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[_nfc(str(key))] = _fresh(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_fresh(item) for item in value)
    return _like(None, value)


def _like(old: Any, value: Any) -> Any:
    """A changed scalar, written in the style of the value it replaces: a quoted text
    stays quoted, a number stays a number, a date a date; text over several lines
    becomes a block (`|`)."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    text = _scalar_text(value)
    if text is None:
        return None
    if "\n" in text:
        if text.strip() and not re.search(r"[ \t]\n|\n[ \t]|^[ \t]|[\x00-\x08\x0b-\x1f\x7f-\x9f"
                                          r"\u2028\u2029\ufeff]", text):
            return LiteralScalarString(text)
        return DoubleQuotedScalarString(text)
    if isinstance(old, SingleQuotedScalarString) and "\n" not in text:
        return SingleQuotedScalarString(text)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(text)
    if isinstance(old, bool):
        if text in ("true", "false"):
            return text == "true"
    elif isinstance(old, int) and _INT.fullmatch(text) and len(text) < 16:
        return int(text)
    elif isinstance(old, dt.date) and _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return text
