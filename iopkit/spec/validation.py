"""Validate a loaded spec document against the model and its cross-references.

Two passes, both reporting every problem they find:
- the pydantic model (types, required keys, enums, dates, numbers), translated into
  Swedish findings at the position the user wrote;
- structural checks on the raw data (unique ids, references, party mix, period order),
  which run even when other parts of the file are broken.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .findings import Finding, KeyPath, Severity, format_path
from .loader import SpecDocument
from .model import Spec
from .yearly import period_years
from .types import (
    NONPROFIT_PARTY_TYPES,
    PARTY_TYPES,
    PUBLIC_PARTY_TYPES,
    describe_kind,
    excerpt,
    parse_date,
)

MESSAGE_CODES: dict[str, str] = {
    "IOP001": "YAML-syntaxfel",
    "IOP002": "Teckenkodning eller ogiltiga tecken",
    "IOP003": "Filen saknar innehåll eller har fel form",
    "IOP010": "Obligatorisk nyckel saknas",
    "IOP011": "Okänd nyckel",
    "IOP012": "Fel sorts värde (text, lista eller grupp)",
    "IOP013": "Otillåtet värde",
    "IOP014": "Ogiltigt datum",
    "IOP015": "Ogiltigt organisationsnummer",
    "IOP016": "Ogiltigt tal",
    "IOP017": "Formatversion som inte stöds",
    "IOP018": "Tom text",
    "IOP019": "För få poster i en lista",
    "IOP020": "Samma id förekommer flera gånger",
    "IOP021": "Hänvisning till id som inte finns",
    "IOP022": "Parterna saknar en offentlig eller en idéburen part",
    "IOP023": "Avtalsperioden slutar före start",
    "IOP024": "Belopp saknas för ekonomiska medel",
    "IOP025": "Uppgift som bara gäller idéburna parter",
    "IOP026": "Belopp för ett år utanför avtalsperioden",
}


def validate_document(document: SpecDocument) -> tuple[Spec | None, list[Finding]]:
    """Return the model (None when it has errors) and all model and structure findings."""
    findings: list[Finding] = []
    spec: Spec | None = None
    try:
        spec = Spec.model_validate(document.data)
    except ValidationError as exc:
        findings.extend(translate_errors(exc, document))
    findings.extend(structural_findings(document))
    if any(f.severity is Severity.ERROR for f in findings):
        spec = None
    return spec, _dedupe(findings)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for finding in findings:
        key = (finding.code, finding.path, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


# --- pydantic errors -> findings -------------------------------------------------


def _error(document: SpecDocument, code: str, message: str, path: KeyPath,
           at_value: bool = True) -> Finding:
    pos = document.value_position(path) if at_value else document.position(path)
    return Finding(code=code, severity=Severity.ERROR, message=message, path=tuple(path),
                   line=pos.line, column=pos.column, file=document.file)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def model_at(path: KeyPath, root: type[BaseModel] = Spec) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path` (alias path) under `root`
    (the spec, or another file kind such as the follow-up file), if any."""
    model: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        model = _model_in(field.annotation)
    return model


def _field_info(path: KeyPath, root: type[BaseModel] = Spec) -> FieldInfo | None:
    parent = model_at(path[:-1], root)
    if parent is None or not path:
        return None
    return next((f for f in parent.model_fields.values() if f.alias == path[-1]), None)


def _known_keys(path: KeyPath, root: type[BaseModel] = Spec) -> list[str]:
    model = model_at(path, root)
    if model is None:
        return []
    return [f.alias for f in model.model_fields.values() if f.alias]


def _where(path: KeyPath) -> str:
    return f"under `{format_path(path)}`" if path else "på översta nivån"


def translate_errors(exc: ValidationError, document: SpecDocument,
                     root: type[BaseModel] = Spec) -> list[Finding]:
    """pydantic's errors for `document` validated against `root` as located Swedish
    findings."""
    findings = []
    for err in exc.errors(include_url=False):
        path: KeyPath = tuple(err["loc"])
        kind = err["type"]
        if kind.startswith("IOP"):
            findings.append(_error(document, kind, err["msg"], path))
        elif kind == "missing":
            key = path[-1]
            info = _field_info(path, root)
            about = f" ({info.description})" if info is not None and info.description else ""
            findings.append(_error(
                document, "IOP010",
                f"Nyckeln `{key}` saknas {_where(path[:-1])}.{about} Lägg till den.",
                path, at_value=False))
        elif kind == "extra_forbidden":
            key = str(path[-1])
            known = _known_keys(path[:-1], root)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            if close:
                hint = f"Menade du `{close[0]}`?"
            else:
                hint = "Tillåtna nycklar här: " + ", ".join(f"`{k}`" for k in known) + "."
            findings.append(_error(
                document, "IOP011",
                f"Okänd nyckel `{excerpt(key, 30)}` {_where(path[:-1])}. {hint}",
                path, at_value=False))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            findings.append(_error(
                document, "IOP012",
                f"Här ska stå en grupp av nycklar (indragna på raderna under), men det står "
                f"{describe_kind(document.get(path))}.", path))
        elif kind == "list_type":
            findings.append(_error(
                document, "IOP012",
                f"Här ska stå en lista, men det står {describe_kind(document.get(path))}. "
                f"Skriv varje post på en egen rad "
                f"som börjar med '- ', eller inom hakparenteser: [a, b].", path))
        elif kind == "too_short":
            minimum = (err.get("ctx") or {}).get("min_length", 1)
            findings.append(_error(
                document, "IOP019",
                f"Listan måste ha minst {minimum} post{'er' if minimum != 1 else ''}.", path))
        elif kind == "too_long":
            maximum = (err.get("ctx") or {}).get("max_length", "")
            findings.append(_error(
                document, "IOP019", f"Listan har för många poster (högst {maximum}).", path))
        else:  # a pydantic error type we have not met yet: never its English text
            findings.append(_error(
                document, "IOP013",
                f"Värdet ({describe_kind(document.get(path))}) kan inte användas här. Jämför "
                "med formatet: `iopkit schema` eller README beskriver vad nyckeln tar.", path))
    return findings


# --- structure: ids, references, parties, period -----------------------------------


def _items(document: SpecDocument, path: KeyPath) -> list[tuple[KeyPath, dict[str, Any]]]:
    value = document.get(path)
    if not isinstance(value, list):
        return []
    return [(path + (i,), item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(document: SpecDocument, path: KeyPath) -> list[str]:
    ids = [str(item["id"]) for _, item in _items(document, path)
           if isinstance(item.get("id"), str)]
    return list(dict.fromkeys(ids))


def _refs(value: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [(path + (i,), v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


# Swedish needs the noun's gender: "någon part" but "något behov", "en annan insats".
_NOUNS = {
    "part": ("någon part", "en annan part", "varje part"),
    "behov": ("något behov", "ett annat behov", "varje behov"),
    "mål": ("något mål", "ett annat mål", "varje mål"),
    "insats": ("någon insats", "en annan insats", "varje insats"),
}
_LISTS_WITH_IDS = {
    ("parter",): "part",
    ("behovsinventering", "behov"): "behov",
    ("mål",): "mål",
    ("insatser",): "insats",
}


def structural_findings(document: SpecDocument) -> list[Finding]:
    findings: list[Finding] = []
    for list_path, noun in _LISTS_WITH_IDS.items():
        seen: dict[str, KeyPath] = {}
        for item_path, item in _items(document, list_path):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                first = document.value_position(seen[ident] + ("id",))
                findings.append(_error(
                    document, "IOP020",
                    f"Id `{excerpt(ident, 30)}` används redan för {_NOUNS[noun][1]} (rad "
                    f"{first.line}). {_NOUNS[noun][2].capitalize()} behöver ett eget id.",
                    item_path + ("id",)))
            else:
                seen[ident] = item_path

    parties = _ids(document, ("parter",))
    needs = _ids(document, ("behovsinventering", "behov"))
    goals = _ids(document, ("mål",))

    def check(refs: list[tuple[KeyPath, str]], known: list[str], noun: str,
              list_key: str) -> None:
        for ref_path, ref in refs:
            if ref in known:
                continue
            close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
            hint = f" Menade du `{close[0]}`?" if close else ""
            existing = ", ".join(f"`{k}`" for k in known) if known else "inga ännu"
            findings.append(_error(
                document, "IOP021",
                f"`{excerpt(ref, 30)}` är inte id för {_NOUNS[noun][0]} i `{list_key}`.{hint} "
                f"Befintliga id: {existing}.", ref_path))

    inventory = ("behovsinventering", "genomförd_av")
    check(_refs(document.get(inventory), inventory), parties, "part", "parter")
    for item_path, item in _items(document, ("mål",)):
        check(_refs(item.get("behov"), item_path + ("behov",)), needs, "behov",
              "behovsinventering.behov")
    for item_path, item in _items(document, ("insatser",)):
        check(_refs(item.get("mål"), item_path + ("mål",)), goals, "mål", "mål")
        check(_refs(item.get("ansvarig"), item_path + ("ansvarig",)), parties, "part", "parter")
    for item_path, item in _items(document, ("resurser",)):
        check(_refs(item.get("part"), item_path + ("part",)), parties, "part", "parter")
        check(_refs(item.get("mottagare"), item_path + ("mottagare",)), parties, "part",
              "parter")
        if item.get("typ") == "ekonomiska medel" and item.get("belopp_per_år") is None:
            findings.append(_error(
                document, "IOP024",
                "Ekonomiska medel behöver ett belopp: lägg till `belopp_per_år` i hela kronor.",
                item_path, at_value=False))
    group = ("styrning", "partnerskapsgrupp")
    check(_refs(document.get(group), group), parties, "part", "parter")
    for key in ("initiativ", "handläggare"):
        ref = ("process", key, "part")
        check(_refs(document.get(ref), ref), parties, "part", "parter")
    for item_path, item in _items(document, ("process", "beslut")):
        check(_refs(item.get("part"), item_path + ("part",)), parties, "part", "parter")

    findings.extend(_years_outside_period(document))

    findings.extend(_party_mix(document))
    findings.extend(_period_order(document))
    return findings


def _party_mix(document: SpecDocument) -> list[Finding]:
    party_items = _items(document, ("parter",))
    types = [item.get("typ") for _, item in party_items]
    findings = []
    for item_path, item in party_items:
        if item.get("typ") in PUBLIC_PARTY_TYPES:
            for key in ("registrerad_idéburen", "verksamhetsidé", "ivo_tillstånd"):
                if item.get(key) is not None:
                    findings.append(_error(
                        document, "IOP025",
                        f"`{key}` gäller bara idéburna parter, men den här parten är "
                        f"{item['typ']}. Ta bort nyckeln eller ändra partens typ.",
                        item_path + (key,), at_value=False))
    if not party_items or not all(t in PARTY_TYPES for t in types):
        return findings
    if not any(t in PUBLIC_PARTY_TYPES for t in types):
        findings.append(_error(
            document, "IOP022",
            "Ett IOP kräver minst en offentlig part (kommun, region eller statlig myndighet). "
            "Lägg till den offentliga parten under `parter`.", ("parter",), at_value=False))
    if not any(t in NONPROFIT_PARTY_TYPES for t in types):
        findings.append(_error(
            document, "IOP022",
            "Ett IOP kräver minst en idéburen part (till exempel en ideell förening eller "
            "stiftelse). Lägg till den under `parter`.", ("parter",), at_value=False))
    return findings


def _period(document: SpecDocument) -> tuple[Any, Any] | None:
    start, end = document.get(("avtalsperiod", "start")), document.get(("avtalsperiod", "slut"))
    try:
        return parse_date(start), parse_date(end)
    except Exception:  # reported by the model
        return None


def _years_outside_period(document: SpecDocument) -> list[Finding]:
    """A per-year amount for a year the agreement period does not touch."""
    period = _period(document)
    if period is None:
        return []
    # Amounts are per avtalsår, named by the year each begins in (spec/yearly.py).
    keys = period_years(period[0], period[1])
    if not keys:  # an end before the start: IOP023
        return []
    first, last = keys[0], keys[-1]
    span = f"{first}–{last}" if first != last else str(first)
    findings = []
    for item_path, item in _items(document, ("resurser",)):
        for key in ("belopp_per_år", "värde_per_år"):
            amounts = item.get(key)
            if not isinstance(amounts, dict):
                continue
            for year in amounts:
                if isinstance(year, str) and year.strip().isdigit() and \
                        int(year) not in keys:
                    findings.append(_error(
                        document, "IOP026",
                        f"Året {year.strip()} ligger utanför avtalsperioden ({span}). "
                        "Beloppen gäller avtalsår, som börjar på avtalsperiodens "
                        "startdag och anges med det år då avtalsåret börjar. Ta bort "
                        "beloppet eller ändra `avtalsperiod`.",
                        item_path + (key, year), at_value=False))
    return findings


def _period_order(document: SpecDocument) -> list[Finding]:
    start, end = document.get(("avtalsperiod", "start")), document.get(("avtalsperiod", "slut"))
    try:
        start_date, end_date = parse_date(start), parse_date(end)
    except Exception:  # reported by the model; nothing to compare
        return []
    if end_date <= start_date:
        return [_error(
            document, "IOP023",
            f"Avtalsperioden slutar ({end_date.isoformat()}) före eller samma dag som den "
            f"börjar ({start_date.isoformat()}). Kontrollera `start` och `slut`.",
            ("avtalsperiod", "slut"))]
    return []
