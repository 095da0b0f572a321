"""The user's reference of every key in the format (docs/format.md), generated.

Everything comes from the model's JSON Schema (iopkit/spec/model.py: aliases,
descriptions, types, required keys, allowed values, defaults) and the examples in
examples/ (the canonical example first): a key's example is the first value found for
it there, a section's example is that section's text as written in the example file.
A test fails when the committed docs/format.md differs from what this module generates.

It reads the repository (examples/, docs/), so it lives in tools/ and is not installed
with the package. From the repository's root, with iopkit installed (pip install -e .):

Regenerate with:  python tools/docs.py          (writes docs/format.md)
Check with:       python tools/docs.py --check  (exit 1 when out of date)
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iopkit.spec.loader import SpecDocument, load_spec_file
from iopkit.spec.types import ID_PATTERN, INDICATOR_ID_PATTERN, PARTY_ID_PATTERN

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "format.md"
EXAMPLES_DIR = ROOT / "examples"
CANONICAL_NAME = "dagverksamhet.yaml"

#: Keys whose requirement depends on another value; the model states it in prose.
CONDITIONALLY_REQUIRED = {
    "resurser[].belopp_per_år": "ja, för `ekonomiska medel`",
}
#: Keys whose values are ids of entries elsewhere (checked in spec/validation.py).
REFERENCES = {
    "behovsinventering.genomförd_av": "parter[].id",
    "mål[].behov": "behovsinventering.behov[].id",
    "insatser[].mål": "mål[].id",
    "insatser[].ansvarig": "parter[].id",
    "resurser[].part": "parter[].id",
    "styrning.partnerskapsgrupp": "parter[].id",
}


@dataclass
class KeyDoc:
    """One key of the format, as the reference documents it."""

    path: str  # as in the docs: parter[].kontaktperson.epost
    parts: tuple[str | None, ...]  # keys, None for "any list item"
    description: str
    type_text: str
    required: str  # "ja", "nej" or a condition
    allowed: tuple[str, ...] = ()
    default: str | None = None
    is_group: bool = False


# --- walking the schema -------------------------------------------------------------


def key_docs() -> list[KeyDoc]:
    """Every key of the format, depth first in the model's order."""
    from iopkit.spec.schema import json_schema

    schema = json_schema()
    defs = schema.get("$defs", {})
    out: list[KeyDoc] = []
    _walk(schema, defs, (), out)
    return out


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else node


def _without_null(node: dict[str, Any]) -> dict[str, Any]:
    node = _unwrapped(node)
    options = node.get("anyOf")
    if not options:
        return node
    rest = [o for o in options if o.get("type") != "null"]
    return rest[0] if len(rest) == 1 else {"anyOf": rest}


def _unwrapped(node: dict[str, Any]) -> dict[str, Any]:
    """pydantic before 2.9 wraps a described reference as {"allOf": [{"$ref": ...}]}."""
    wrapped = node.get("allOf")
    if not wrapped or len(wrapped) != 1:
        return node
    return {**wrapped[0], **{k: v for k, v in node.items() if k != "allOf"}}


def _walk(node: dict[str, Any], defs: dict[str, Any], parts: tuple[str | None, ...],
          out: list[KeyDoc]) -> None:
    required = set(node.get("required", ()))
    for key, prop in node.get("properties", {}).items():
        path = parts + (key,)
        shape = _without_null(prop)
        target = _resolve(_group_option(shape), defs)
        items = _resolve(shape["items"], defs) if shape.get("type") == "array" else None
        doc = KeyDoc(
            path=_path_text(path), parts=path,
            description=prop.get("description", ""),
            type_text=_type_text(shape, defs),
            required="ja" if key in required else "nej",
            allowed=tuple(_allowed(shape)),
            default=_default_text(prop.get("default")),
            is_group=("properties" in target and "anyOf" not in shape)
            or (items is not None and "properties" in items),
        )
        doc.required = CONDITIONALLY_REQUIRED.get(doc.path, doc.required)
        if doc.path in REFERENCES:
            doc.type_text = _reference_text(shape, REFERENCES[doc.path])
        out.append(doc)
        if "properties" in target:
            _walk(target, defs, path, out)
        elif items is not None and "properties" in items:
            _walk(items, defs, path + (None,), out)


def _group_option(shape: dict[str, Any]) -> dict[str, Any]:
    """A key that is either a value or a group (`ivo_tillstånd`: text, or a map): the
    group's keys are documented below it."""
    for option in shape.get("anyOf", ()):
        if "$ref" in option:
            return dict(option)
    return shape


def _path_text(parts: tuple[str | None, ...]) -> str:
    text = ""
    for part in parts:
        if part is None:
            text += "[]"
        else:
            text += f".{part}" if text else part
    return text


def _allowed(shape: dict[str, Any]) -> list[str]:
    if "enum" in shape:
        return [str(v) for v in shape["enum"]]
    return []


def _default_text(value: Any) -> str | None:
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def _type_text(shape: dict[str, Any], defs: dict[str, Any]) -> str:
    """The type in words a user understands; an unknown shape is a bug to fix here."""
    if "$ref" in shape:
        return "grupp av nycklar"
    if "const" in shape:
        return f"heltal, alltid {shape['const']}"
    if "enum" in shape:
        return "ett av de tillåtna värdena"
    options = shape.get("anyOf")
    if options is not None:
        kinds = {o.get("type") for o in options}
        if kinds == {None, "string"} and any("$ref" in o for o in options):
            return "text, eller grupp av nycklar (se nedan)"
        if kinds == {"boolean", "string"}:
            return "ja eller nej"
        if kinds == {"string", "integer"}:
            if any(o.get("pattern") for o in options):
                return "organisationsnummer, NNNNNN-NNNN"
            return "belopp i hela kronor: 2400000 eller \"2 400 000 kr\""
        if kinds == {"number", "string"}:
            if any(o.get("minimum") == 0 for o in options):
                return "tal, 0 eller större, till exempel 420 eller 12,5"
            return "tal, till exempel 11,20"
        if kinds in ({"integer", "object"}, {"integer", "string", "object"}):
            return ("belopp i hela kronor (2400000 eller \"2 400 000 kr\"), eller belopp per "
                    "år: {2027: 2400000, 2028: 2500000}")
        raise ValueError(f"okänd typ i schemat: {shape}")
    kind = shape.get("type")
    if kind == "array":
        items = _resolve(shape["items"], defs)
        least = shape.get("minItems")
        count = f" (minst {least})" if least else ""
        if "properties" in items:
            return f"lista av grupper{count}"
        return f"lista av {_plural(_type_text(shape['items'], defs))}{count}"
    if kind == "integer":
        return "heltal, 0 eller större" if shape.get("minimum") == 0 else "heltal"
    if kind == "string":
        fmt, pattern = shape.get("format"), shape.get("pattern")
        if fmt == "date":
            return "datum, ÅÅÅÅ-MM-DD"
        if fmt == "email":
            return "e-postadress"
        if pattern == PARTY_ID_PATTERN:
            return "id (små bokstäver a–z, siffror, - och _)"
        if pattern == ID_PATTERN:
            return "kod (bokstäver a–z, siffror, - och _)"
        if pattern == INDICATOR_ID_PATTERN:
            return "id (bokstäver, även å, ä och ö, siffror, - och _, ingen punkt)"
        if pattern is None:
            return "text"
    raise ValueError(f"okänd typ i schemat: {shape}")


def _reference_text(shape: dict[str, Any], target: str) -> str:
    if shape.get("type") == "array":
        least = shape.get("minItems")
        return f"lista av id ur `{target}`" + (f" (minst {least})" if least else "")
    return f"id ur `{target}`"


def _plural(type_text: str) -> str:
    return {"text": "texter"}.get(type_text, type_text)


# --- examples -------------------------------------------------------------------------


def example_documents(directory: Path = EXAMPLES_DIR) -> list[SpecDocument]:
    """The examples, the canonical one first, then the others by name."""
    files = sorted(directory.glob("*.yaml"), key=lambda p: (p.name != CANONICAL_NAME, p.name))
    return [load_spec_file(path) for path in files]


def _find(data: Any, parts: tuple[str | None, ...]) -> Any:
    """The first value at `parts` in `data`, None standing for any list item."""
    if not parts:
        return data
    head, rest = parts[0], parts[1:]
    if head is None:
        if isinstance(data, list):
            for item in data:
                found = _find(item, rest)
                if found is not None:
                    return found
        return None
    if isinstance(data, dict) and head in data:
        return _find(data[head], rest)
    return None


def example_yaml(key: str, value: Any) -> str:
    """`key: value` as a user would write it (the loader keeps every value as text)."""
    from iopkit.scaffold import yaml_scalar

    if isinstance(value, dict):
        lines = [f"{key}:"]
        for name, item in value.items():
            lines.extend(f"  {line}" for line in example_yaml(str(name), item).split("\n"))
        return "\n".join(lines)
    if isinstance(value, list):
        items = [str(v) for v in value]
        if all(yaml_scalar(v) == v and not set(v) & set(",[]{}") for v in items):
            flow = f"{key}: [{', '.join(items)}]"
            if len(flow) <= 70:
                return flow
        return f"{key}:\n" + "\n".join(f"  - {yaml_scalar(v)}" for v in items)
    text = str(value)
    if "\n" in text.strip("\n"):
        body = "\n".join(f"  {line}" if line else "" for line in text.rstrip("\n").split("\n"))
        return f"{key}: |\n{body}"
    return f"{key}: {yaml_scalar(text.strip())}"


_TOP_LEVEL = re.compile(r"^[^\s#]")


def section_text(document: SpecDocument, key: str) -> str | None:
    """The top-level section `key` exactly as written in the example file."""
    position = document.key_positions.get((key,))
    if position is None:
        return None
    lines = document.text.split("\n")
    end = position.line
    while end < len(lines) and not _TOP_LEVEL.match(lines[end]):
        end += 1
    return "\n".join(lines[position.line - 1:end]).rstrip("\n")


# --- the document ---------------------------------------------------------------------

_INTRO = """\
# Formatreferens: partnerskapsbeskrivningen

<!-- Genererad av `python tools/docs.py` från modellen i iopkit/spec/model.py och
exemplen i examples/. Redigera inte för hand: ändra beskrivningarna i modellen och
generera om filen. -->

En partnerskapsbeskrivning är en YAML-fil som beskriver ett idéburet offentligt
partnerskap (IOP): parterna, den gemensamma behovsinventeringen, mål, insatser,
resurser, ekonomi, styrning, uppföljning och avtalstid. iopkit kontrollerar filen
(`iopkit check`) och skapar avtalsutkast från den (`iopkit render`). Den här sidan
beskriver varje nyckel: vad den betyder, vilken typ av värde den har, om den krävs,
vilka värden som är tillåtna och ett exempel. Exemplen är hämtade ur filerna i
[examples/](../examples/), främst [examples/dagverksamhet.yaml](../examples/dagverksamhet.yaml).

Det enklaste sättet att börja är `iopkit new avtal.yaml --typ dagverksamhet` (eller en
annan typ från `iopkit new --lista`): filen förklarar sig själv med kommentarer och går
igenom `iopkit check` direkt.

## Så läses filen

- Nycklarna skrivs på svenska med å, ä och ö, precis som här. En okänd nyckel är ett
  fel, och iopkit föreslår den närmaste kända nyckeln.
- Indraget visar vad som hör ihop: nycklar i samma grupp står exakt under varandra,
  och punkter i en lista börjar med `-`. Använd mellanslag, aldrig tabbar.
- Varje värde läses som den text du skrev: `namn: no` är texten "no" och
  `telefon: 08:30` står kvar som det är skrivet. iopkit gör om text till tal, datum och
  ja/nej där formatet säger så.
- En text som innehåller kolon följt av mellanslag (`: `), eller som börjar med ett
  specialtecken som `-`, `#`, `[` eller `*`, skrivs inom citattecken:
  `namn: "Stöd: för alla"`. Längre texter skrivs på flera rader efter `|`.
- Ja/nej skrivs `ja` eller `nej` (`true` och `false` går också).
- Datum skrivs `ÅÅÅÅ-MM-DD`, till exempel `2027-01-01`.
- Belopp skrivs i hela kronor: `2400000`, eller som man skriver dem, i grupper om tre
  siffror med mellanslag och gärna `kr` efter: `"2 400 000 kr"`. Decimaler och andra
  skrivsätt är fel, och felet visar de skrivsätt som går.
- Organisationsnummer skrivs `NNNNNN-NNNN`; tio siffror utan bindestreck eller tolv
  siffror med `16` först går också. Kontrollsiffran kontrolleras.
- En id är ett kort namn som andra avsnitt hänvisar till: parter har id med små
  bokstäver (`goteborg`), behov, mål och insatser en kod (`B1`, `M1`, `I1`).
- *Krävs: ja* betyder att nyckeln måste finnas när gruppen eller listan den hör till
  finns. En lista som krävs måste ha minst en punkt.
- Filer som `iopkit new` skapar har markeringen FYLL I på varje rad som ska fyllas i;
  `iopkit check` ger en varning för varje sådan rad tills markeringen är borta.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def format_reference(documents: list[SpecDocument] | None = None) -> str:
    """The whole docs/format.md text."""
    if documents is None:
        documents = example_documents()
    docs = key_docs()
    out = [_INTRO, "## Översikt", "",
           "| nyckel | typ | krävs |", "|---|---|---|"]
    for doc in docs:
        out.append(f"| `{doc.path}` | {_cell(doc.type_text)} | {_cell(doc.required)} |")
    out.append("")

    for doc in docs:
        top_level = len(doc.parts) == 1
        out.append(f"{'##' if top_level else '###'} `{doc.path}`")
        out.append("")
        if doc.description:
            out.append(doc.description)
            out.append("")
        out.append(f"- Typ: {doc.type_text}")
        out.append(f"- Krävs: {doc.required}")
        if doc.default is not None:
            out.append(f"- Standardvärde: `{doc.default}`")
        if doc.allowed:
            out.append("- Tillåtna värden: " + ", ".join(f"`{v}`" for v in doc.allowed))
        example = _example_block(doc, documents)
        if example and "\n" not in example[1] and "`" not in example[1]:
            out.append(f"- Exempel{example[0]}: `{example[1]}`")
        elif example:
            out.append(f"- Exempel{example[0]}:")
            out.append("")
            out.append("  ```yaml")
            out.extend(f"  {line}" if line else "" for line in example[1].split("\n"))
            out.append("  ```")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _example_block(doc: KeyDoc, documents: list[SpecDocument]) -> tuple[str, str] | None:
    """(where it is from, the YAML) for a key, or None when no example has the key."""
    for index, document in enumerate(documents):
        source = "" if index == 0 else f" (från examples/{Path(document.file).name})"
        if len(doc.parts) == 1 and doc.is_group:
            text = section_text(document, str(doc.parts[0]))
            if text is not None:
                return source, text
            continue
        if doc.is_group:
            return None  # nested groups: their keys have the examples
        value = _find(document.data, doc.parts)
        if value is not None:
            return source, example_yaml(str(doc.parts[-1]), value)
    return None


# --- command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/docs.py",
        description="Generera formatreferensen docs/format.md från modellen och exemplen.")
    parser.add_argument("--output", "-o", type=Path, default=DEFAULT_OUTPUT,
                        help="filen som ska skrivas (standard: docs/format.md)")
    parser.add_argument("--check", action="store_true",
                        help="skriv inget; avsluta med status 1 om filen inte är aktuell")
    args = parser.parse_args(argv)

    if not EXAMPLES_DIR.is_dir():
        sys.stderr.write(f"Fel: exempelkatalogen {EXAMPLES_DIR} finns inte. Kör från "
                         "iopkits källkod.\n")
        return 2
    text = format_reference()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            sys.stderr.write(f"{args.output} är inte aktuell. Kör `python tools/docs.py`.\n")
            return 1
        return 0
    if current != text:
        from iopkit.files import write_atomic

        write_atomic(args.output, text, force=True)
        sys.stderr.write(f"Skrev {args.output}.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
