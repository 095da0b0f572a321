"""The amendment ("Tillägg nr N"): the changes from `iopkit.diff` written as a draft annex
to sign (`render_annex_markdown`), with what it needs beyond the list of changes: which §
of the agreement each change amends, the date the changes take effect, and the new
version's findings.

- **The § amended** is the number the section has in the agreement being amended, that
  is in the old version's draft as iopkit renders it (`documents.avtal.context.SECTIONS`); a
  change that creates a section the old agreement lacked (children now take part: a new
  § on barnets rättigheter; a new extra clause) reads "ny paragraf". Changes to the legal
  assessment (`rättslig_bedömning`, other than the state-aid ground, which decides a
  clause in § Ekonomi) are not agreement text: they are marked as changes to the basis
  for the decision.
- **Signing** (`undertecknande`): an agreement or an amendment can be signed only when
  every party's competent body has approved it, so iopkit takes the latest decision
  date in `process.beslut` as the day of signing. The amendment's changes take effect
  from `--gäller-från`, by default the day after the new version's signing, when the new
  version records a decision later than every decision of the old one (the decisions on
  the amendment). Without such a decision the annex says the changes take effect the day
  after all parties have signed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from ...diff import NO_CHANGES, Change, count_text, date_text, normalise, quote

if TYPE_CHECKING:
    from ...render.pipeline import RenderedMarkdown, RenderOptions
    from ...spec.findings import CheckResult
    from ...spec.model import Spec

#: Titles of the agreement's sections, by the keys of documents.avtal.context.SECTIONS.
SECTION_TITLES = {
    "parter": "Parter",
    "bakgrund": "Bakgrund",
    "behovsinventering": "Gemensam behovsinventering",
    "syfte": "Syfte, målgrupp och mål",
    "insatser": "Insatser och åtaganden",
    "resurser": "Parternas resurser",
    "ekonomi": "Ekonomi",
    "styrning": "Organisation och styrning",
    "uppföljning": "Uppföljning och utvärdering",
    "personuppgifter": "Personuppgifter och sekretess",
    "meddelarskydd": "Meddelarskydd",
    "barn": "Barnets rättigheter och registerkontroll",
    "försäkring": "Försäkring och skadeansvar",
    "handlingar": "Allmänna handlingar och arkiv",
    "kommunikation": "Kommunikation",
    "avtalstid": "Avtalstid, förlängning och uppsägning",
    "ändringar": "Ändringar och tillägg",
    "överlåtelse": "Överlåtelse och rangordning",
    "omförhandling": "Omförhandling, upphörande och tvist",
}

#: Key path prefixes → the section they are written in (first match wins).
PATH_SECTIONS = (
    ("partnerskap.namn", "parter"),
    ("partnerskap.kortnamn", "parter"),
    ("partnerskap.diarienummer", "parter"),
    ("partnerskap.bakgrund", "bakgrund"),
    ("partnerskap.styrdokument", "bakgrund"),
    ("partnerskap.avgränsning", "bakgrund"),
    ("partnerskap.syfte", "syfte"),
    ("partnerskap.målgrupp", "syfte"),
    ("partnerskap.verksamhetsområden", "insatser"),
    ("partnerskap.barn", "barn"),
    ("behovsinventering", "behovsinventering"),
    ("mål", "syfte"),
    ("insatser", "insatser"),
    ("ekonomi", "ekonomi"),
    ("rättslig_bedömning.statsstöd_grund", "ekonomi"),
    ("rättslig_bedömning", None),
    ("styrning", "styrning"),
    ("uppföljning", "uppföljning"),
    ("avtalsperiod", "avtalstid"),
    ("personuppgifter", "personuppgifter"),
)

UNDERLAG = "Underlaget för beslutet (ingår inte i avtalstexten)"


@dataclass(frozen=True)
class Placement:
    """Where a change belongs in the agreement: `label` as the annex shows it and an
    `order` to sort by (the § number; unnumbered parts last)."""

    label: str
    order: int


def agreement_sections(spec: "Spec") -> dict[str, Any]:
    """The § numbers of the agreement `spec` renders to ({"ekonomi": "§ 7", …})."""
    from ..base import build_context

    sections: dict[str, Any] = build_context(spec, draft_date=spec.period.start)["avsnitt"]
    return sections


def _number(label: str) -> int:
    match = re.search(r"\d+", label)
    return int(match[0]) if match else 1000


def place(change: Change, old: "Spec", numbers: dict[str, Any]) -> Placement:
    path = change.path
    key: str | None = "?"
    if change.derived and change.section == "Resurser":
        key = "resurser"  # a party's new total ("parter[0]") is written in § Resurser
    elif path.startswith("parter["):
        if ".firmatecknare" in path:
            return Placement("Underskrifter", 2000)
        key = "bakgrund" if ".verksamhetsidé" in path else "parter"
    elif path.startswith("resurser"):
        key = "ekonomi" if path.endswith(".mottagare") else "resurser"
    elif path.startswith("villkor"):
        return _clause_placement(change, old, numbers)
    elif path.startswith("bilagor"):
        return Placement("Bilagor", 3000)
    else:
        for prefix, section in PATH_SECTIONS:
            if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
                key = section
                break
    if key is None:
        return Placement(UNDERLAG, 4000)
    if key == "?":
        return Placement("Avtalet", 999)
    title = SECTION_TITLES[key]
    if key in numbers:
        return Placement(f"{numbers[key]} {title}", _number(numbers[key]))
    return Placement(f"Ny paragraf: {title}", 1500)


def _clause_placement(change: Change, old: "Spec", numbers: dict[str, Any]) -> Placement:
    clause_numbers = numbers.get("villkor", [])
    for index, clause in enumerate(old.clauses):
        if quote(" ".join(clause.heading.split())) in change.subject and \
                index < len(clause_numbers):
            heading = " ".join(clause.heading.split())
            return Placement(f"{clause_numbers[index]} {heading}",
                             _number(clause_numbers[index]))
    return Placement("Ny paragraf", 1600)


def signing_date(spec: "Spec") -> dt.date | None:
    """The latest decision date in `process.beslut` (see the module docstring)."""
    if spec.process is None:
        return None
    dates = [d.date for d in spec.process.decisions if d.date is not None]
    return max(dates) if dates else None


def default_effective_date(old: "Spec", new: "Spec") -> dt.date | None:
    """The day after the new version's signing, when it records decisions later than
    the old version's; else None."""
    signed = signing_date(new)
    before = signing_date(old)
    if signed is None or (before is not None and signed <= before):
        return None
    return signed + dt.timedelta(days=1)


def finding_lines(result: "CheckResult | None") -> list[str]:
    """The new version's findings, one line each, as `iopkit check` words them."""
    if result is None:
        return []
    from ..base import SEVERITY_WORDS

    lines = []
    for finding in result.findings:
        if finding.silenced:
            continue
        where = f" ({finding.path_text})" if finding.path_text else ""
        severity = SEVERITY_WORDS.get(finding.severity, str(finding.severity))
        lines.append(f"{finding.code} {severity}{where}: {finding.message}")
    return lines


# --- The annex ---------------------------------------------------------------------------

_NUMBER_WORDS = {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta",
                 9: "nio", 10: "tio"}


def annex_title(number: int) -> str:
    return f"Tillägg nr {number} till avtal om idéburet offentligt partnerskap"


def annex_context(changes: Sequence[Change], old: "Spec", new: "Spec", number: int = 1,
                  date: dt.date | None = None, *, effective: dt.date | None = None,
                  findings: Sequence[str] = ()) -> dict[str, Any]:
    """What the templates in `iopkit/documents/tillagg/templates/` see (kind `tillagg`):

    - `tillägg`: `nummer`, `titel`, `datum` (the draft's date or None), `gäller` (from
      when the changes take effect, as running text), `antal` ("21 ändringar") and
      `inga_ändringar` (the sentence for an empty list);
    - `ändringar`: in the agreement's order, each with `nr` (None for a consequence such
      as a new total, which follows its clause unnumbered), `följd`, `paragraf` (the §
      it amends, see the module docstring) and `text` (the formal sentence);
    - `gammalt_avtal`: `parter` (names), `namn`, `diarienummer`, `start`, `slut`;
    - `partnerskap` (`namn`, `diarienummer`) and `parter` (`namn`,
      `organisationsnummer`, `firmatecknare` with `namn` and `titel`) of the new version;
    - `exemplar`: the number of copies in words; `fynd_rader`: the new version's
      findings, one line each.
    """
    when = (f"från och med {date_text(effective)}" if effective else
            "från och med dagen efter den dag då tillägget har undertecknats av samtliga "
            "parter")
    clauses: list[dict[str, Any]] = []
    if changes:
        numbers = agreement_sections(old)
        placed = sorted(((place(c, old, numbers), i, c) for i, c in enumerate(changes)),
                        key=lambda item: (item[0].order, item[1]))
        counter = 0
        for placement, _, change in placed:
            if not change.derived:
                counter += 1
            clauses.append({"nr": None if change.derived else counter,
                            "följd": change.derived, "paragraf": placement.label,
                            "text": change.sentence})
    return {
        "tillägg": {"nummer": number, "titel": annex_title(number), "datum": date,
                    "gäller": when, "antal": count_text(changes) if changes else "",
                    "inga_ändringar": NO_CHANGES},
        "ändringar": clauses,
        "gammalt_avtal": {
            "parter": [p.name for p in old.parties],
            "namn": normalise(old.partnership.name),
            "diarienummer": normalise(old.partnership.case_number)
            if old.partnership.case_number else None,
            "start": old.period.start,
            "slut": old.period.end,
        },
        "partnerskap": {
            "namn": new.partnership.name,
            "diarienummer": normalise(new.partnership.case_number)
            if new.partnership.case_number else None,
        },
        "parter": [{"namn": p.name, "organisationsnummer": p.org_number,
                    "firmatecknare": [{"namn": s.name, "titel": s.title}
                                      for s in p.signatories]} for p in new.parties],
        "exemplar": _NUMBER_WORDS.get(len(new.parties), str(len(new.parties))),
        "fynd_rader": list(findings),
    }


def render_annex_markdown(changes: Sequence[Change], old: "Spec", new: "Spec",
                          number: int = 1, date: dt.date | None = None, *,
                          effective: dt.date | None = None,
                          findings: Sequence[str] = (),
                          options: "RenderOptions | None" = None) -> str:
    """A draft annex "Ändringar och tillägg" to sign, from the templates of the document
    kind `tillagg` (the user's from options.templates_dir first): every change a
    numbered clause that names the § of the agreement it amends (see the module
    docstring), the date the changes take effect (`effective`; None: the day after all
    parties have signed), signature blocks for every signatory of the new version, and
    the new version's `findings` after the signatures. Consequences (new totals) follow
    their clause unnumbered, so the count in the text matches the numbered clauses.
    Spec text is escaped, so Markdown characters in it stay text. Raises
    render.templates.TemplateProblem when a template fails."""
    return render_annex(changes, old, new, number, date, effective=effective,
                        findings=findings, options=options).markdown


def render_annex(changes: Sequence[Change], old: "Spec", new: "Spec", number: int = 1,
                 date: dt.date | None = None, *, effective: dt.date | None = None,
                 findings: Sequence[str] = (),
                 options: "RenderOptions | None" = None) -> "RenderedMarkdown":
    """The annex as a rendered document (Markdown, title, header) for the pipeline."""
    from ...render.pipeline import RenderOptions, render_document

    context = annex_context(changes, old, new, number, date, effective=effective,
                            findings=findings)
    return render_document("tillagg", context, new, options or RenderOptions(date=date),
                           title=annex_title(number), marker=f"TILLÄGG NR {number}")
