"""New specs for `iopkit new`: a file for a common kind of IOP that explains itself.

A scaffold is assembled from two parts: the content for one kind of partnership
(iopkit/data/scaffolds/<typ>.yaml, plain YAML) and the Swedish comments that explain
each section (SECTION_COMMENTS below, shared by every kind). Values the user must still
fill in carry the placeholder marker `FYLL I`: inside a quoted text, or in a comment after
a valid example value, so that a new file always passes `iopkit check` and renders.

`interview()` asks for the essentials one at a time, validates each answer with the
model's own types, and writes the answers into the text line by line (comments and
layout stay as they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable

from .files import UsageProblem
from .spec.findings import KeyPath
from .spec.loader import parse_spec_text

#: The marker on every line the user must still fill in (see docs/format.md).
PLACEHOLDER = "FYLL I"
#: The file name the first line of a new spec points editors at.
SCHEMA_FILE_NAME = "iopkit.schema.json"


@dataclass(frozen=True)
class Scaffold:
    name: str
    description: str


SCAFFOLDS: tuple[Scaffold, ...] = (
    Scaffold("dagverksamhet",
             "dagverksamhet för personer i hemlöshet eller annan utsatthet"),
    Scaffold("kvinnojour",
             "skydd och stöd för kvinnor och barn som utsatts för våld"),
    Scaffold("barn-och-unga",
             "läxhjälp och lovaktiviteter för barn och unga"),
    Scaffold("integration",
             "språkcafé, mentorer och kontaktnät för nyanlända"),
    Scaffold("tom",
             "en minimal beskrivning med bara de nödvändiga avsnitten, allt att fylla i"),
)
DEFAULT_SCAFFOLD = "tom"

# Above each top-level key of a new spec: what belongs there and why it matters for an
# IOP. These comments must never contain the placeholder marker.
SECTION_COMMENTS: dict[str, str] = {
    "iopkit": """\
Formatversion. Låt den stå kvar som 1.""",
    "partnerskap": """\
PARTNERSKAPET
Namnet blir avtalets rubrik. Bakgrunden berättar varför partnerskapet behövs och vad
parterna redan vet om målgruppen; syftet säger vad ni vill åstadkomma tillsammans.
I ett IOP är syftet gemensamt: det är inte en tjänst som den offentliga parten köper.
Kortnamn och diarienummer kan strykas om ni inte behöver dem.""",
    "parter": """\
PARTER
Minst en offentlig part (kommun, region eller statlig myndighet) och minst en idéburen
organisation. `id` är ett kort namn som resten av filen hänvisar till; byter du det,
byt det på alla ställen. Organisationsnumrets kontrollsiffra kontrolleras, och första
siffran ska passa typen: 2 för kommuner och regioner, 8 för ideella föreningar och
stiftelser, 7 för ekonomiska föreningar. Firmatecknare är de som skriver under avtalet.""",
    "behovsinventering": """\
GEMENSAM BEHOVSINVENTERING
Det som skiljer ett IOP från ett bidrag eller ett köp: parterna tar fram behoven
tillsammans innan de bestämmer mål och insatser. Ange när och hur det gjordes, vilka
parter som var med (minst en idéburen) och vilket underlag ni använde. Varje behov får
en kort kod (B1, B2 …) som målen hänvisar till.""",
    "mål": """\
MÅL
Varje mål svarar mot ett eller flera behov (`behov: [B1]`). Indikatorerna visar hur ni
följer upp målet: vad som mäts, vilket värde ni vill nå och var uppgiften hämtas. Ett mål
utan indikator går inte att följa upp.""",
    "insatser": """\
INSATSER
Vad som ska göras för att nå målen, och vilken part som ansvarar (partens id). Varje mål
behöver minst en insats. Beskriv insatserna utan att detaljstyra: den idéburna
organisationens egen idé och arbetssätt ska få plats.""",
    "resurser": """\
RESURSER
Alla parters bidrag: pengar, personal, lokaler, kompetens, ideellt arbete (`ideell tid`)
och material.
I ett IOP bidrar båda sidor; en idéburen part utan egna resurser gör att avtalet liknar
ett köp. Belopp och värden skrivs i hela kronor per år, utan mellanslag: 1500000.""",
    "ekonomi": """\
EKONOMI
`bidrag` är den vanliga ersättningsformen i ett IOP. Ersättning `per prestation` och
sanktioner vid utebliven prestation talar för att avtalet är ett offentligt kontrakt
enligt LOU. Skriv hur pengarna betalas ut, hur de redovisas och vad som händer med
medel som inte används.""",
    "rättslig_bedömning": """\
RÄTTSLIG BEDÖMNING
Varför avtalet inte är ett offentligt kontrakt enligt lagen (2016:1145) om offentlig
upphandling: den idéburna parten bedriver sin egen verksamhet med egna resurser och åtar
sig inga prestationer mot betalning (HFD 2020 ref. 15). Att det saknas en marknad eller
att parten är ideell är inget skäl. Skriv också hur ni har bedömt frågan om statsstöd
(`statsstöd_grund`). Låt gärna en jurist granska texterna.""",
    "styrning": """\
STYRNING
Partnerskapsgruppen bereder, följer upp och föreslår, och parterna har lika stort
inflytande i den. Beslut om pengar, avtalsperiod, mål och omfattning fattas av varje
parts behöriga organ (nämnden, styrelsen).
Mötesfrekvens: varje vecka, varannan vecka, månadsvis, varannan månad, kvartalsvis,
halvårsvis eller årsvis.""",
    "uppföljning": """\
UPPFÖLJNING
Hur ofta ni följer upp arbetet tillsammans (samma värden som mötesfrekvensen), när den
första uppföljningen sker, hur årsrapporten tas fram och hur partnerskapet utvärderas.""",
    "avtalsperiod": """\
AVTALSPERIOD
Ett IOP är långsiktigt men har ett slutdatum; en period på högst fyra år är vanlig.
Skriv hur avtalet kan förlängas och sätt en gräns: en förlängning utan gräns gör att
avtalet kan bedömas som ett offentligt kontrakt. Uppsägningstiden anges i hela månader.""",
    "personuppgifter": """\
PERSONUPPGIFTER
Behandlas personuppgifter om deltagarna? `var för sig` betyder att varje part ansvarar
för sin egen behandling; `biträde` betyder att organisationen behandlar uppgifter för den
offentliga partens räkning, och då behövs ett personuppgiftsbiträdesavtal som bilaga.""",
    "villkor": """\
EGNA VILLKOR
Villkor utöver avtalets vanliga avsnitt, vart och ett med rubrik och text.""",
    "bilagor": """\
BILAGOR
Handlingar som bifogas avtalet, till exempel verksamhetsplan och budget.""",
}

_HEADER = """\
# yaml-language-server: $schema={schema}
#
# Partnerskapsbeskrivning för ett idéburet offentligt partnerskap (IOP).
# Skapad med `iopkit new --typ {name}`: {description}.
#
# Så här gör du:
# 1. Fyll i alla rader som är märkta med orden "fyll i" skrivna med versaler, och ta
#    bort märkningen när uppgiften stämmer. `iopkit check {file}` visar vilka rader
#    som är kvar.
# 2. Texter som redan är ifyllda är förslag. Ändra behov, mål och insatser så att de
#    stämmer med det ni har kommit fram till tillsammans.
# 3. `iopkit render {file}` skapar ett avtalsutkast. Det går redan nu; utkastet visar
#    tydligt vad som återstår.
#
# En text som innehåller kolon följt av mellanslag skrivs inom citattecken. Alla nycklar
# beskrivs i iopkits formatreferens, docs/format.md.
"""

_TOP_LEVEL_KEY = re.compile(r"^([^\s#-][^:]*):")
_NULL_WORDS = {"~", "null", "Null", "NULL"}  # plain, these read as "no value"


def scaffold_names() -> list[str]:
    return [s.name for s in SCAFFOLDS]


def get_scaffold(name: str) -> Scaffold:
    for scaffold in SCAFFOLDS:
        if scaffold.name == name:
            return scaffold
    raise UsageProblem(f"Okänd typ \"{name}\". Välj en av:\n{scaffold_list()}")


def scaffold_list() -> str:
    """One line per scaffold: name and description (for --lista and errors)."""
    width = max(len(s.name) for s in SCAFFOLDS)
    return "\n".join(f"  {s.name.ljust(width)}  {s.description}" for s in SCAFFOLDS)


def scaffold_text(name: str, file_name: str = "avtal.yaml") -> str:
    """The full text of a new spec of kind `name`, ready to write."""
    scaffold = get_scaffold(name)
    content = (resources.files("iopkit") / "data" / "scaffolds" / f"{name}.yaml").read_text(
        encoding="utf-8")
    header = _HEADER.format(schema=SCHEMA_FILE_NAME, name=name, file=file_name,
                            description=scaffold.description)
    return header + "\n" + "\n".join(_commented(section) for section in _sections(content))


def _sections(content: str) -> list[str]:
    """Split YAML text into one chunk per top-level key, without surrounding blank lines."""
    sections: list[list[str]] = []
    for line in content.splitlines():
        if _TOP_LEVEL_KEY.match(line) or not sections:
            sections.append([])
        sections[-1].append(line)
    return ["\n".join(lines).strip("\n") + "\n" for lines in sections]


def _commented(section: str) -> str:
    match = _TOP_LEVEL_KEY.match(section)
    comment = SECTION_COMMENTS.get(match[1]) if match else None
    if comment is None:
        return section
    return "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines()) + section


def placeholder_lines(text: str) -> list[int]:
    """1-based numbers of the lines that still carry the placeholder marker."""
    return [number for number, line in enumerate(text.splitlines(), start=1)
            if PLACEHOLDER in line]


# --- filling in answers -----------------------------------------------------------


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same text: plain as a user would
    type it when YAML reads it back unchanged, else quoted."""
    import yaml

    if value and value == value.strip() and "\n" not in value:
        try:
            node = yaml.compose(f"k: {value}")
        except yaml.YAMLError:
            node = None
        if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
            scalar = node.value[0][1]
            if (isinstance(scalar, yaml.ScalarNode) and scalar.style is None
                    and scalar.value == value and value not in _NULL_WORDS):
                return value
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    return dumped.rstrip("\n")


def fill(text: str, answers: dict[KeyPath, str]) -> str:
    """Write each answer (already YAML scalar text) as the value of its key path.

    The key's line is rewritten as `key: value`, which drops the placeholder text and
    the placeholder comment on that line; every other line stays as it was.
    """
    document = parse_spec_text(text)
    lines = text.split("\n")
    for path, value in answers.items():
        position = document.key_positions[path]
        index, column = position.line - 1, position.column - 1
        key = str(path[-1])
        lines[index] = f"{lines[index][:column]}{key}: {value}"
    return "\n".join(lines)


# --- the interview ----------------------------------------------------------------

Ask = Callable[[str, str], str]  # (prompt, default) -> answer; "" means skipped
Say = Callable[[str], None]


class _Invalid(Exception):
    pass


def _checker(type_: Any) -> Callable[[str], Any]:
    """Validate an answer with one of the model's field types; raise _Invalid(message)."""
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(type_)

    def check(answer: str) -> Any:
        try:
            return adapter.validate_python(answer)
        except ValidationError as exc:
            raise _Invalid(exc.errors()[0]["msg"]) from None

    return check


@dataclass
class _Question:
    path: KeyPath
    prompt: str
    check: Callable[[str], Any]
    quote: bool = False  # free text: write as a (possibly quoted) YAML scalar
    default: str = ""


def interview(text: str, ask: Ask, say: Say) -> str:
    """Ask for the essentials of the spec `text` and return it with the answers filled in.

    An empty answer skips a question: that line keeps its placeholder. A wrong answer
    is explained and asked again.
    """
    from .spec.types import (
        NONPROFIT_PARTY_TYPES,
        PUBLIC_PARTY_TYPES,
        Choice,
        Date,
        Email,
        NonNegativeInt,
        OrgNr,
        Text,
    )

    document = parse_spec_text(text)
    answers: dict[KeyPath, str] = {}
    text_check, date_check = _checker(Text), _checker(Date)

    def has(path: KeyPath) -> bool:
        return path in document.key_positions

    def put(question: _Question) -> Any:
        if not has(question.path):
            return None
        while True:
            answer = ask(question.prompt, question.default).strip()
            if not answer:
                return None
            try:
                value = question.check(answer)
            except _Invalid as exc:
                say(f"  {exc} Försök igen, eller tryck Enter för att hoppa över frågan.")
                continue
            written = str(value.isoformat() if hasattr(value, "isoformat") else value)
            answers[question.path] = yaml_scalar(written) if question.quote else written
            return value

    say("Svara på frågorna och tryck Enter. Tryck bara Enter för att hoppa över en fråga;")
    say(f"raden blir då kvar med markeringen {PLACEHOLDER} och kan fyllas i senare.")
    put(_Question(("partnerskap", "namn"), "Partnerskapets namn", text_check, quote=True))

    party_names: dict[str, str] = {}
    parties = document.data.get("parter") or []
    for index, party in enumerate(parties):
        public = party.get("typ") in PUBLIC_PARTY_TYPES
        kinds = PUBLIC_PARTY_TYPES if public else NONPROFIT_PARTY_TYPES
        base: KeyPath = ("parter", index)
        say("")
        say(f"Part {index + 1} av {len(parties)}: "
            + ("den offentliga parten" if public else "den idéburna organisationen"))
        name = put(_Question(base + ("namn",), "Namn", text_check, quote=True))
        party_names[party.get("id")] = name or party.get("id")
        put(_Question(base + ("typ",), "Typ (" + ", ".join(kinds) + ")", _checker(Choice(kinds)),
                      default=str(party.get("typ") or "")))
        put(_Question(base + ("organisationsnummer",), "Organisationsnummer (NNNNNN-NNNN)",
                      _checker(OrgNr)))
        contact = base + ("kontaktperson",)
        put(_Question(contact + ("namn",), "Kontaktperson", text_check, quote=True))
        put(_Question(contact + ("epost",), "Kontaktpersonens e-post", _checker(Email),
                      quote=True))
        put(_Question(contact + ("telefon",), "Kontaktpersonens telefon", text_check,
                      quote=True))

    say("")
    say("Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2027-01-01.")
    put(_Question(("behovsinventering", "datum"), "Datum för behovsinventeringen",
                  date_check))
    start = put(_Question(("avtalsperiod", "start"), "Avtalets första dag", date_check))
    if start is None:
        start = date_check(document.get(("avtalsperiod", "start")))

    def end_check(answer: str) -> Any:
        end = date_check(answer)
        if end <= start:
            raise _Invalid(f"Avtalets sista dag måste komma efter den första dagen "
                           f"({start.isoformat()}).")
        return end

    put(_Question(("avtalsperiod", "slut"), "Avtalets sista dag", end_check))

    for index, resource in enumerate(document.data.get("resurser") or []):
        if resource.get("typ") == "ekonomiska medel" and "belopp_per_år" in resource:
            giver = party_names.get(resource.get("part"), resource.get("part"))
            put(_Question(("resurser", index, "belopp_per_år"),
                          f"Belopp per år i hela kronor som {giver} bidrar med",
                          _checker(NonNegativeInt)))
            break

    return fill(text, answers)


def describe_placeholders(text: str) -> str:
    """A one-line summary of what is left to fill in, for the message after writing."""
    count = len(placeholder_lines(text))
    if not count:
        return "Inga rader är markerade " + PLACEHOLDER + "."
    return (f"{count} {'rad' if count == 1 else 'rader'} är markerade {PLACEHOLDER} och "
            "behöver fyllas i.")

