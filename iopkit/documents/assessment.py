"""The process and the legal assessment for the templates (part of the shared context,
base.py): `process` with each decision's appeal deadline, `bedömning` with the facts
decided in rules/assessment.py, `eurokurs` with its source, and the screening answers
of `rättslig_bedömning.prövning`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..format import lower_start
from ..rules.assessment import AREA_NAMES, WHISTLEBLOWER_FIELD_OF, Assessment
from ..spec.model import Screening, Spec


def eur_rate_view(given: float | None) -> dict[str, Any]:
    """The rate the documents state for the de minimis ceilings, with its source;
    iopkit's default is an estimate and the documents say so (IOP.md)."""
    from ..rules.settings import DEFAULT_EUR_RATE

    if given is not None:
        return {"kurs": float(given), "uppskattad": False,
                "källa": "den kurs som underlaget anger"}
    return {"kurs": float(DEFAULT_EUR_RATE), "uppskattad": True,
            "källa": "ett ungefärligt genomsnitt av Riksbankens dagliga EUR/SEK-kurser "
                     "2025, fastställt den 15 januari 2026"}


def _officer(spec: Spec, officer: Any, party_ref: Callable[[str], dict[str, Any]]
             ) -> dict[str, Any]:
    """`process.handläggare`; without a title, the title the same person has as their
    party's kontaktperson (a memo's handläggare line and signature name a title)."""
    title = officer.title
    party = spec.party(officer.party) if officer.party else None
    if title is None and party is not None and party.contact.name == officer.name:
        title = party.contact.title
    return {"namn": officer.name, "titel": title,
            "titel_löptext": lower_start(title) if title else None,
            "part": party_ref(officer.party) if officer.party else None}


def process_view(spec: Spec, party_ref: Callable[[str], dict[str, Any]],
             facts: Assessment) -> dict[str, Any]:
    process = spec.process
    if process is None:
        return {"initiativ": None, "handläggare": None, "avsiktsförklaring": None,
                "beslut": [], "jäv": None, "försäkran": None, "besked": None}
    initiative = process.initiative
    officer = process.case_officer
    decisions = []
    for decision in process.decisions:
        party = party_ref(decision.party)
        appealable = party.get("typ") in ("kommun", "region")
        decisions.append({
            "part": party,
            "organ": decision.body,
            "datum": decision.date,
            "paragraf": decision.section,
            "diarienummer": decision.case_number,
            "delegation": decision.delegated,
            "anslaget": decision.posted,
            # Laglighetsprövning (kommunallagen 13 kap.) exists for kommuner and regioner.
            "överklagbart": appealable,
            "överklagande_senast": facts.appeal_deadline(decision.posted)
            if appealable and decision.posted else None,
        })
    return {
        "initiativ": {"part": party_ref(initiative.party), "datum": initiative.date}
        if initiative else None,
        "handläggare": _officer(spec, officer, party_ref) if officer else None,
        "avsiktsförklaring": process.letter_of_intent,
        "beslut": decisions,
        "jäv": process.conflict_of_interest,
        "försäkran": process.de_minimis_declaration,
        "besked": process.de_minimis_notice,
    }


#: A statutory area in the definite form, for running text.
DEFINITE_AREAS = {"skyddat boende": "det skyddade boendet",
                  "särskilt boende": "det särskilda boendet", "stödboende": "stödboendet",
                  "HVB": "HVB-verksamheten", "hemtjänst": "hemtjänsten"}


def screening_view(screening: Screening) -> dict[str, str | None]:
    """The plain answers of rättslig_bedömning.prövning, under their YAML keys."""
    return {"tidigare_upphandlad": screening.procured_before,
            "lagstadgad_insats": screening.statutory,
            "individuella_beslut": screening.individual_decisions,
            "marknad": screening.market,
            "behöver_utföras": screening.needed_performed}


def _aid_parts(transfers: list[Any]) -> list[dict[str, Any]]:
    """The aid to one recipient split by resource type (money, premises, material), so
    that the de minimis notice shows what its sum is made of."""
    parts: dict[str, dict[str, Any]] = {}
    for transfer in transfers:
        if transfer.by_year is None:
            continue
        part = parts.setdefault(transfer.resource.type, {"typ": transfer.resource.type,
                                                         "per_år": {}, "summa": 0})
        for year, amount in transfer.by_year.items():
            part["per_år"][year] = part["per_år"].get(year, 0) + amount
        part["summa"] += sum(transfer.by_year.values())
    return list(parts.values())


def assessment_view(facts: Assessment, party_ref: Callable[[str], dict[str, Any]]
                ) -> dict[str, Any]:
    """The legal facts decided in rules/assessment.py, for the templates."""
    aid = []
    for recipient in facts.aid_by_recipient:
        counted, counted_years = recipient.counted(facts.budget_reservation)
        aid.append({
            "part": party_ref(recipient.party.id),
            "per_år": recipient.by_year,
            "summa": recipient.total,
            "räknat": counted,
            "räknade_år": counted_years,
            "ej_värderade": [facts.resource_text(t.resource) for t in recipient.unvalued],
            "delar": _aid_parts(recipient.transfers),
            # What the recipient gets besides money (premises, material), each with its
            # value over the period: the memo's beslutspunkter grant these too.
            "i_natura": [{"beskrivning": facts.resource_text(t.resource), "typ": t.resource.type,
                          "från": t.giver.id,
                          "summa": sum(t.by_year.values()) if t.by_year is not None
                          else None,
                          # The same value every year, for "… per år" (R6 19); else None.
                          "per_år": next(iter(set(t.by_year.values())))
                          if t.by_year and len(set(t.by_year.values())) == 1 else None}
                         for t in recipient.transfers
                         if t.resource.type != "ekonomiska medel"],
        })
    return {
        "meddelarskydd_möjligt": facts.whistleblower_possible,
        "meddelarskydd_okänt": facts.whistleblower_unknown,
        "meddelarskydd_områden": list(facts.whistleblower_areas),
        # Why the question is open: the areas the description names, or only the 2 §
        # fields an organisation works in beside the partnership (R3 12, R4 6).
        "meddelarskydd_enligt_beskrivning": list(facts.whistleblower_listed),
        "meddelarskydd_närliggande": list(facts.whistleblower_related),
        "offentligt_finansierad": facts.publicly_funded,
        "ivo_områden": list(facts.ivo_areas),
        "lagstadgade_områden": list(facts.statutory_areas),
        # Statutory activity an idéburen party runs outside the partnership (the
        # avgränsning excludes it, or only its IVO permit names it): the documents say
        # it is outside and not funded (rules/statutory.py).
        "lagstadgad_utanför": [{"område": AREA_NAMES.get(o.area, o.area), "typ": o.area,
                                # "kostnader för det skyddade boendet"
                                "område_bestämd": DEFINITE_AREAS.get(
                                    o.area, "verksamheten inom " + AREA_NAMES.get(o.area, o.area)),
                                # "driver också ett skyddat boende"
                                "område_en": ("ett " if o.area in (
                                    "skyddat boende", "särskilt boende", "HVB", "stödboende")
                                    else "") + AREA_NAMES.get(o.area, o.area),
                                "part": party_ref(o.party.id),
                                # Lag (2017:151) applies there (permit and places
                                # bought): "upphandling" or "köp", else None.
                                "meddelarskydd_genom": facts.outside_whistleblower_applies(o),
                                # The field of lag (2017:151) 2 § it lies in.
                                "fält": WHISTLEBLOWER_FIELD_OF.get(o.area, o.area)}
                               for o in facts.statutory_scope.outside],
        "lagstadgad_insats": facts.statutory_insats,
        # The partnership's activity areas without those outside it.
        "områden": list(facts.areas),
        # A skyddat boende inside the partnership: the special clauses apply.
        "skyddat_boende": "skyddat boende" in facts.statutory_areas,
        "barn": facts.children,
        "registerkontroll": list(facts.register_check),
        "registerkontroll_obligatorisk": facts.register_check_mandatory,
        "stöd_per_mottagare": aid,
        "mottagare_saknas": [t.resource.description for t in facts.transfers
                             if t.recipient is None],
        "de_minimis": facts.de_minimis,
        "budgetförbehåll": facts.budget_reservation,
        # The rate the ceilings are measured with; a default is an estimate and the
        # documents say so (eurokurs_text is plain Swedish for the nämnd).
        "eurokurs": facts.eur_rate,
        "eurokurs_uppskattad": facts.eur_rate_is_default,
        "eurokurs_text": facts.eur_rate_document_text,
    }
