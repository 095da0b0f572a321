"""Laws cited once in full: the first mention of a law in an agreement carries its SFS
number (and its title), every later one the short form (Myndigheternas skrivregler;
IOP.md, "Swedish conventions").

The templates each cite a law in full, since a section does not know which sections come
before it (a user's templates may add or drop some). This pass runs over the whole
rendered Markdown once, in reading order, so it is linear in the text's length:

- a law with a name of its own, "socialtjänstlagen (2025:400)", "kommunallagen (2017:725)":
  later mentions lose the parenthesis ("socialtjänstlagen");
- a law known by its title, "lagen (2022:900) om registrering av idéburna organisationer":
  later mentions become "lagen om registrering av idéburna organisationer". Only the
  titles listed here are shortened: where a title ends cannot be told from the text.

A mention that is already short ("lag (2013:852)", "enligt 2 § socialtjänstlagen") is left
as it is.
"""

from __future__ import annotations

import re

#: Laws cited by title in the agreement's templates: SFS number -> title after "om"/"med".
TITLED = {
    "2022:900": "om registrering av idéburna organisationer",
    "2017:151": "om meddelarskydd i vissa enskilda verksamheter",
    "2013:852": "om registerkontroll av personer som ska arbeta med barn",
    "2007:171": "om registerkontroll av personal vid vissa boenden som tar emot barn",
    "2010:479": "om registerkontroll av personal som utför vissa insatser åt barn med "
                "funktionshinder",
    "2018:1197": "om Förenta nationernas konvention om barnets rättigheter",
    "2016:1145": "om offentlig upphandling",
    "2013:388": "om tillämpning av Europeiska unionens statsstödsregler",
}

#: "socialtjänstlagen (2025:400)": a one-word name ending in "lagen" (or "balken") and
#: its SFS number. Not "Lagen (…)" or "lagen (…)" on their own: those are titled laws.
_NAMED = re.compile(r"\b(\w{2,}(?:lagen|balken)) \((\d{4}:\d{1,4})\)")
#: "lagen (2022:900) om registrering av idéburna organisationer", also "lag (…)" and at
#: the start of a sentence "Lagen (…)"; the title must follow as TITLED has it.
_TITLED = re.compile(r"\b([Ll]agen|lag) \((\d{4}:\d{1,4})\) (" + "|".join(
    re.escape(title).replace(r"\ ", r"\s+") for title in TITLED.values()) + r")")


def cite_laws_once(markdown: str) -> str:
    """`markdown` with every law after its first full citation in the short form."""
    seen: set[str] = set()

    def named(match: re.Match[str]) -> str:
        key = match.group(2)
        if key in seen:
            return match.group(1)
        seen.add(key)
        return match.group(0)

    def titled(match: re.Match[str]) -> str:
        key = match.group(2)
        if TITLED.get(key) is None or " ".join(match.group(3).split()) != TITLED[key]:
            return match.group(0)
        if key in seen:
            word = "Lagen" if match.group(1)[0] == "L" else "lagen"
            return f"{word} {match.group(3)}"
        seen.add(key)
        return match.group(0)

    # One pass over the text with both patterns, so that "first" means first in reading
    # order whichever form the law is cited in.
    combined = re.compile(f"{_NAMED.pattern}|{_TITLED.pattern}")

    def either(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            inner = _NAMED.fullmatch(match.group(0))
            assert inner is not None
            return named(inner)
        inner = _TITLED.fullmatch(match.group(0))
        assert inner is not None
        return titled(inner)

    return combined.sub(either, markdown)
