"""Warnings about a rendered document, printed by `iopkit render` (stderr) like the
findings of `check`: text a user must still replace, found in the document itself
rather than in the spec.

IOP160 reports the `FYLL I` markers left in a spec. A document can still carry a
placeholder the spec does not contain: a template's fallback ("ansvarig nämnd" when no
party names its deciding body) or a marker that came from a user's own templates. The
nämnd's documents (the agreement and the memo) are checked here after rendering, so
that such text never reaches a nämnd unnoticed.
"""

from __future__ import annotations

import re

#: The documents that go to the deciding body, whose text is checked.
CHECKED_KINDS = ("avtal", "tjansteskrivelse")

#: Placeholder text, with what the user should do about it.
PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"FYLL I"), "Fyll i uppgiften i beskrivningen och ta bort markeringen "
                            "FYLL I"),
    (re.compile(r"\bansvarig(a)? nämnd(en)?\b", re.IGNORECASE),
     "Ange det organ som beslutar för den offentliga parten med organ under parter (till "
     "exempel organ: socialnämnden Centrum)"),
)

#: Document names as the user reads them in a message.
DOCUMENT_WORDS = {"avtal": "avtalet", "tjansteskrivelse": "tjänsteskrivelsen"}


def placeholder_notices(kind: str, markdown: str) -> list[str]:
    """One warning per kind of placeholder found in a rendered agreement or memo,
    with how often and the first place it occurs."""
    if kind not in CHECKED_KINDS:
        return []
    notices = []
    for pattern, advice in PLACEHOLDERS:
        hits = list(pattern.finditer(markdown))
        if not hits:
            continue
        first = hits[0]
        line = markdown.count("\n", 0, first.start()) + 1
        start = markdown.rfind("\n", 0, first.start()) + 1
        end = markdown.find("\n", first.end())
        excerpt = " ".join(markdown[start:end if end >= 0 else None].split())
        if len(excerpt) > 80:
            excerpt = excerpt[:77] + "…"
        times = "en gång" if len(hits) == 1 else f"{len(hits)} gånger"
        notices.append(f"Ifyllnadstext kvar i {DOCUMENT_WORDS[kind]}: \"{first.group(0)}\" "
                       f"står {times} (första på rad {line} i Markdown-texten: "
                       f"\"{excerpt}\"). {advice}.")
    return notices
