"""What templates see: the spec under its own Swedish keys, with references resolved.

The context mirrors the YAML (`partnerskap.namn`, `parter`, `behovsinventering.behov` …)
so that a user who knows the format can write templates. Optional keys are always
present (empty: None or an empty list), so that `{% if … %}` works and a misspelt key
is an error rather than silently empty text. References are resolved: a goal's `behov`
is the list of need entries, an activity's `ansvarig` the party entry, and so on (each
still has its `id`). Derived values are added where templates need them: party type
flags, the resource table with totals, findings from the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..spec.findings import CheckResult, Severity
from ..spec.model import Party, Spec
from .format import add_months
from .markdown import Md

SEVERITY_WORDS = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}


def paragraph_counter() -> Callable[[], Md]:
    """`paragraf()` in a template: "§ 1", "§ 2" … in the order sections are rendered."""
    count = 0

    def paragraf() -> Md:
        nonlocal count
        count += 1
        return Md(f"§\u00a0{count}")

    return paragraf


def _party(party: Party) -> dict[str, Any]:
    return {
        "id": party.id,
        "namn": party.name,
        "typ": party.type,
        "organisationsnummer": party.org_number,
        "adress": party.address,
        "kontaktperson": {
            "namn": party.contact.name,
            "titel": party.contact.title,
            "epost": party.contact.email,
            "telefon": party.contact.phone,
        },
        "firmatecknare": [{"namn": s.name, "titel": s.title} for s in party.signatories],
        "registrerad_idéburen": party.registered_nonprofit,
        "verksamhetsidé": party.idea,
        "offentlig": party.is_public,
        "idéburen": party.is_nonprofit,
    }


def build_context(spec: Spec, result: CheckResult | None = None, *,
                  draft_date: dt.date, spec_file: str = "") -> dict[str, Any]:
    """The template context for one spec (see the module docstring)."""
    parties = [_party(p) for p in spec.parties]
    party_by_id = {p["id"]: p for p in parties}

    def party_ref(party_id: str) -> dict[str, Any]:
        # A valid spec has only known references; keep unknown ones readable anyway.
        return party_by_id.get(party_id) or {"id": party_id, "namn": party_id}

    inventory = spec.needs_inventory
    needs = [{"id": n.id, "beskrivning": n.description} for n in inventory.needs]
    need_by_id = {n["id"]: n for n in needs}
    goals = []
    for goal in spec.goals:
        goals.append({
            "id": goal.id,
            "beskrivning": goal.description,
            "behov": [need_by_id.get(n) or {"id": n, "beskrivning": ""} for n in goal.needs],
            "indikatorer": [{"beskrivning": i.description, "målvärde": i.target,
                             "källa": i.source} for i in goal.indicators],
        })
    goal_by_id = {g["id"]: g for g in goals}
    activities = [{
        "id": a.id,
        "beskrivning": a.description,
        "mål": [goal_by_id.get(g) or {"id": g, "beskrivning": ""} for g in a.goals],
        "ansvarig": party_ref(a.responsible),
    } for a in spec.activities]
    for goal in goals:
        goal["insatser"] = [a for a in activities if any(g is goal for g in a["mål"])]
    for need in needs:
        need["mål"] = [g for g in goals if any(n is need for n in g["behov"])]

    resources = [{
        "part": party_ref(r.party),
        "typ": r.type,
        "beskrivning": r.description,
        "belopp_per_år": r.amount_per_year,
        "värde_per_år": r.value_per_year,
        "timmar_per_år": r.hours_per_year,
        "värde": r.yearly_value,
        "pengar": r.amount_per_year is not None,
    } for r in spec.resources]
    per_party = []
    for party in parties:
        own = [r for r in resources if r["part"] is party]
        per_party.append({
            "part": party,
            "resurser": own,
            "summa": sum(r["värde"] for r in own),
            "pengar": sum(r["belopp_per_år"] or 0 for r in own),
            "timmar": sum(r["timmar_per_år"] or 0 for r in own),
        })
    for party in parties:
        party["resurser"] = [r for r in resources if r["part"] is party]

    legal = spec.legal
    personal = spec.personal_data
    period = spec.period
    economy = spec.economy
    years = _years(period.start, period.end)

    findings = []
    if result is not None:
        for finding in result.findings:
            findings.append({
                "kod": finding.code,
                "allvarlighet": SEVERITY_WORDS.get(finding.severity, str(finding.severity)),
                "meddelande": finding.message,
                "nyckel": finding.path_text,
                "rad": finding.line,
                "kolumn": finding.column,
                "källa": finding.source,
                "undantagen": finding.silenced,
                "motivering": finding.silence_reason,
            })

    nonprofit_ids = {p["id"] for p in parties if p["idéburen"]}
    public_ids = {p["id"] for p in parties if p["offentlig"]}
    appendices = list(spec.appendices)
    checks = {
        "behovsinventering_gemensam": any(p in nonprofit_ids for p in inventory.carried_out_by),
        "idéburna_utan_resurser": [g["part"] for g in per_party
                                   if g["part"]["idéburen"] and not g["resurser"]],
        "idéburna_resurser": sum(g["summa"] for g in per_party if g["part"]["idéburen"]),
        "idéburna_timmar": sum(g["timmar"] for g in per_party if g["part"]["idéburen"]),
        "offentliga_pengar": sum(g["pengar"] for g in per_party if g["part"]["offentlig"]),
        "per_prestation": economy.payment_form == "per prestation",
        "viten": economy.penalties,
        "styrning_gemensam": bool(set(spec.governance.group) & nonprofit_ids) and
                             bool(set(spec.governance.group) & public_ids),
        "behov_utan_mål": [n for n in needs if not n["mål"]],
        "mål_utan_indikator": [g for g in goals if not g["indikatorer"]],
        "mål_utan_insats": [g for g in goals if not g["insatser"]],
        "upphandling": bool(legal and legal.procurement),
        "statsstöd": bool(legal and legal.state_aid),
        "personuppgiftsbiträde": bool(personal and personal.processed is not False and
                                      personal.responsibility == "biträde"),
        "biträdesavtal_bilaga": any("biträde" in a.lower() for a in appendices),
        "förlängning_senast": add_months(period.end, -period.notice_months)
        if period.notice_months else period.end,
    }

    return {
        "iopkit": spec.format_version,
        "fil": spec_file,
        "utkast_datum": draft_date,
        "paragraf": paragraph_counter(),
        "partnerskap": {
            "namn": spec.partnership.name,
            "kortnamn": spec.partnership.short_name,
            "diarienummer": spec.partnership.case_number,
            "bakgrund": spec.partnership.background,
            "syfte": spec.partnership.purpose,
            "målgrupp": spec.partnership.target_group,
        },
        "parter": parties,
        "offentliga_parter": [p for p in parties if p["offentlig"]],
        "idéburna_parter": [p for p in parties if p["idéburen"]],
        "behovsinventering": {
            "datum": inventory.date,
            "genomförd_av": [party_ref(p) for p in inventory.carried_out_by],
            "metod": inventory.method,
            "underlag": list(inventory.sources),
            "behov": needs,
        },
        "mål": goals,
        "insatser": activities,
        "resurser": resources,
        "resurser_per_part": per_party,
        "resurser_summa": sum(r["värde"] for r in resources),
        "resurser_pengar": sum(r["belopp_per_år"] or 0 for r in resources),
        "ekonomi": {
            "ersättningsform": economy.payment_form,
            "utbetalning": economy.disbursement,
            "redovisning": economy.reporting,
            "outnyttjade_medel": economy.unused_funds,
            "viten": economy.penalties,
        },
        "rättslig_bedömning": {
            "upphandling": legal.procurement if legal else None,
            "statsstöd": legal.state_aid if legal else None,
            "eurokurs": legal.eur_rate if legal else None,
        },
        "styrning": {
            "partnerskapsgrupp": [party_ref(p) for p in spec.governance.group],
            "beslutsform": spec.governance.decision_making,
            "mötesfrekvens": spec.governance.meeting_frequency,
        },
        "uppföljning": {
            "intervall": spec.follow_up.interval,
            "första_datum": spec.follow_up.first_date,
            "årsrapport": spec.follow_up.annual_report,
            "utvärdering": spec.follow_up.evaluation,
        },
        "avtalsperiod": {
            "start": period.start,
            "slut": period.end,
            "förlängning": period.extension,
            "uppsägningstid_månader": period.notice_months,
            "dagar": period.days,
            "hela_år": years,
        },
        "personuppgifter": {
            "behandlas": personal.processed if personal else None,
            "ansvar": personal.responsibility if personal else None,
        },
        "villkor": [{"rubrik": c.heading, "text": c.text} for c in spec.clauses],
        "bilagor": appendices,
        "kontroller": checks,
        "iopkit_undantag": [{"regel": e.rule, "motivering": e.reason}
                            for e in spec.exemptions],
        "fynd": findings,
    }


def _years(start: dt.date, end: dt.date) -> int | None:
    """Whole years when the period runs from a date to the day before the same date
    some years later (2027-01-01 – 2029-12-31 is 3 years); else None."""
    following = end + dt.timedelta(days=1)
    if (following.month, following.day) == (start.month, start.day) and \
            following.year > start.year:
        return following.year - start.year
    return None
