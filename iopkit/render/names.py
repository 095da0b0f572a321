"""Names in running text: the genitive of a party's name ("Strömsby IF:s"), and the
proper nouns of a spec, so that text spliced in after a colon starts in lower case
("ekonomiska medel: bidrag till personal") without breaking a name ("källa: Strömsby
kommuns trygghetsmätning", "lokaler: Norrlidens fritidslokal").

Case alone cannot tell "Bidrag" from "Strömsby" at the start of a text. A word is taken as
a name when the spec itself writes it with a capital where no sentence starts: inside a
party's name, or after a word in running text ("i Norrliden", "Föreningen Vinternatt").
One pass over the spec's strings: linear in its size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: A word that starts with a capital: "Strömsby", "Norrlidens", "EU-medborgare".
_CAPITALISED = re.compile(r"[A-ZÅÄÖÉÜ][\w-]*")
#: What ends a sentence or a lead-in, so that the next word's capital proves nothing.
_BREAKS = frozenset(".!?:;•–—-*#>|\"”(")


def _strings(value: Any) -> Iterable[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _stem(word: str) -> str:
    """A genitive's base form: "Norrlidens" -> "Norrliden"; "IF:s" -> "IF"."""
    if word.endswith(":s"):
        return word[:-2]
    return word[:-1] if len(word) > 2 and word.endswith("s") else word


def proper_words(data: Any, party_names: Iterable[str] = ()) -> frozenset[str]:
    """The words `data` (a spec as plain data) writes with a capital mid-sentence, and
    every capitalised word of `party_names`; each also in its genitive-less form."""
    words: set[str] = set()
    for name in party_names:
        for match in _CAPITALISED.finditer(name):
            words.add(match.group(0))
    for text in _strings(data):
        for match in _CAPITALISED.finditer(text):
            start = match.start()
            if start == 0 or not text[start - 1].isspace():
                continue  # a text's start, inside a word ("e-Tjänst"), after a mark
            index = start - 1
            while index >= 0 and text[index].isspace():
                index -= 1
            if index < 0 or text[index] in _BREAKS or text[index].isdigit():
                continue
            words.add(match.group(0))
    return frozenset(words | {_stem(w) for w in words})


#: Words for a kind of organisation that begin many names ("Föreningen Vinternatt") but
#: on their own are ordinary nouns: "Föreningens lokal" is "föreningens lokal".
GENERIC = frozenset({
    "Föreningen", "Stiftelsen", "Församlingen", "Kooperativet", "Förbundet", "Samfundet",
    "Jouren", "Kvinnojouren", "Tjejjouren", "Bolaget", "Kommunen", "Regionen",
    "Nämnden", "Styrelsen", "Organisationen"})
_NEXT_WORD = re.compile(r"\s+(\S)")


def starts_with_name(text: str, names: frozenset[str]) -> bool:
    """Whether `text` begins with one of `names` (or its genitive). A generic first word
    ("Föreningen", "Stiftelsens") is a name only when a capitalised word follows it."""
    text = text.lstrip()
    match = _CAPITALISED.match(text)
    if match is None:
        return False
    word = match.group(0)
    if word in GENERIC or _stem(word) in GENERIC:
        following = _NEXT_WORD.match(text, match.end())
        return following is not None and following.group(1).isupper()
    return word in names or _stem(word) in names


def genitive(name: str, shorten: bool = True) -> str:
    """A party's name in the genitive (Språkrådet): "Föreningen Vinternatts"; a name
    ending in s, x or z takes no further s; an abbreviation takes a colon ("Strömsby
    IF:s"). A name with a place after "i" or "på" puts the genitive on the name before
    it ("Kvinnojouren Lindan i Norrmark" -> "Kvinnojouren Lindans"), not on the place,
    unless `shorten` is false (two parties would then read the same)."""
    words = name.split()
    for index, word in enumerate(words[1:], start=1):
        if shorten and word in ("i", "på") and index < len(words) - 1:
            words = words[:index]
            break
    base = " ".join(words)
    last = base[-1:]
    if last.lower() in "sxz":
        return base
    if last.isupper() or last.isdigit():
        return base + ":s"
    return base + "s"
