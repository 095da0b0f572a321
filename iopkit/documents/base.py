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
from dataclasses import dataclass
from typing import Any

from ..spec.findings import CheckResult, Severity
from ..rules.assessment import Assessment, assess
from ..rules.personal_data import region_health_care
from ..rules.verdict import verdict
from ..spec.model import IvoPermit, Party, Spec
from ..spec.yearly import calendar_years, contract_years, period_years
from ..schedule import (accounts_reports, annual_reports, extension_budget_years,
                        extension_decision_date)
from ..render.names import genitive, proper_words
from .avtal.context import agreement_context
from ..format import MONTHS, lower_start
from ..writers.markdown import Md
from .assessment import assessment_view, eur_rate_view, process_view, screening_view

SEVERITY_WORDS = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}


def paragraph_counter() -> Callable[[], Md]:
    """`paragraf()` in a template: "§ 1", "§ 2" … in the order sections are rendered."""
    count = 0

    def paragraf() -> Md:
        nonlocal count
        count += 1
        return Md(f"§\u00a0{count}")

    return paragraf


class IvoPermitView(dict[str, Any]):
    """An IVO permit for the templates: `{{ part.ivo_tillstånd }}` reads as the permit's
    text (the text form as written, the map form as its number and date), and the map
    form's keys are there too (`.diarienummer`, `.datum`, `.avser`)."""

    def __init__(self, text: str, permit: IvoPermit | None) -> None:
        super().__init__(text=text,
                         diarienummer=permit.case_number if permit else None,
                         datum=permit.date if permit else None,
                         avser=list(permit.covers) if permit else [])
        self._text = text

    def __str__(self) -> str:
        return self._text


def _ivo_permit(party: Party) -> IvoPermitView | None:
    text = party.ivo_permit_text
    if text is None:
        return None
    permit = party.ivo_permit if isinstance(party.ivo_permit, IvoPermit) else None
    return IvoPermitView(text, permit)


def _party(party: Party) -> dict[str, Any]:
    return {
        "id": party.id,
        "namn": party.name,
        "namn_genitiv": genitive(party.name),
        "typ": party.type,
        "organ": party.body,
        "organisationsnummer": party.org_number,
        "adress": party.address,
        "kontaktperson": {
            "namn": party.contact.name,
            "titel": party.contact.title,
            # In running text titles and units are in lower case ("enhetschef, enheten
            # för social mobilisering"); the signature block keeps the title as written.
            "titel_löptext": lower_start(party.contact.title) if party.contact.title else None,
            "epost": party.contact.email,
            "telefon": party.contact.phone,
        },
        "firmatecknare": [{"namn": s.name, "titel": s.title} for s in party.signatories],
        "registrerad_idéburen": party.registered_nonprofit,
        "ivo_tillstånd": _ivo_permit(party),
        "ivo_avser": list(party.ivo_permit.covers)
        if party.ivo_permit is not None and not isinstance(party.ivo_permit, str) else [],
        "verksamhetsidé": party.idea,
        "offentlig": party.is_public,
        "idéburen": party.is_nonprofit,
    }


def build_context(spec: Spec, result: CheckResult | None = None, *,
                  draft_date: dt.date, spec_file: str = "") -> dict[str, Any]:
    """The template context for one spec (see the module docstring), built in named
    parts: the entries and their references, the resources, the findings, the checks
    the checklist and the memo make, and the spec's sections under their keys."""
    refs = _references(spec)
    facts = assess(spec)
    for view, spec_party in zip(refs.parties, spec.parties):
        if not facts.shows_address(spec_party):
            view["adress"] = None  # the boende's address is secret (IOP188)
    period = spec.period
    # Amounts are per avtalsår (spec/yearly.py): the calendar years when the period
    # starts on 1 January, else years from the start date, labelled "2027/28".
    contract = contract_years(period.start, period.end)
    years = [y.key for y in contract]
    calendar = calendar_years(period.start)
    resources, per_party = _resources(spec, refs, facts, years)
    valued_all = [r for r in resources if not r["ej_värderad"]]
    appendices = list(spec.appendices)
    context = {
        "iopkit": spec.format_version,
        "fil": spec_file,
        "utkast_datum": draft_date,
        "paragraf": paragraph_counter(),
        # Names that keep their capital after a colon (the filter gemen_början).
        "egennamn": proper_words(spec.model_dump(warnings=False), (p.name for p in spec.parties)),
        "partnerskap": _partnership(spec),
        "parter": refs.parties,
        "offentliga_parter": [p for p in refs.parties if p["offentlig"]],
        "idéburna_parter": [p for p in refs.parties if p["idéburen"]],
        "behovsinventering": {
            "datum": spec.needs_inventory.date,
            "genomförd_av": [refs.party(p) for p in spec.needs_inventory.carried_out_by],
            "metod": spec.needs_inventory.method,
            "underlag": list(spec.needs_inventory.sources),
            "behov": refs.needs,
        },
        "mål": refs.goals,
        "insatser": refs.activities,
        "resurser": resources,
        "resurser_per_part": per_party,
        "resurser_summa": _constant_sum(valued_all),
        "resurser_pengar": _constant_sum([r for r in valued_all if r["pengar"]]),
        "resurser_per_år": _sum_years(years, valued_all),
        "resurser_summa_period": sum(r["summa"] for r in valued_all),
        "resurser_bara_ej_värderade": bool(resources) and not valued_all,
        "år": years,
        # Whether the years are calendar years; else each avtalsår's label ("2027/28").
        "kalenderår": calendar,
        "årsetikett": {y.key: y.label(calendar) for y in contract},
        "avtalsår_börjar": f"den {period.start.day} {MONTHS[period.start.month - 1]}",
        "avtalsår": [{"år": y.key, "etikett": y.label(calendar), "start": y.start,
                      "slut": y.end, "dagar": y.days} for y in contract],
        "ekonomi": _economy(spec),
        "rättslig_bedömning": _legal(spec),
        "process": process_view(spec, refs.party, facts),
        "eurokurs": eur_rate_view(spec.legal.eur_rate if spec.legal else None),
        "bedömning": assessment_view(facts, refs.party),
        "styrning": {
            "partnerskapsgrupp": [refs.party(p) for p in spec.governance.group],
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
            "hela_år": _years(period.start, period.end),
        },
        "personuppgifter": {
            "behandlas": spec.personal_data.processed if spec.personal_data else None,
            "ansvar": spec.personal_data.responsibility if spec.personal_data else None,
        },
        "villkor": [{"rubrik": c.heading, "text": c.text} for c in spec.clauses],
        "bilagor": appendices,
        "kontroller": _checks(spec, facts, refs, resources, per_party, appendices),
        "iopkit_undantag": [{"regel": e.rule, "motivering": e.reason}
                            for e in spec.exemptions],
        "fynd": _findings(result),
        # Codes of the open findings that stop the decision (rules.verdict); the memo
        # proposes no approval while there are any.
        "hindrar_beslut": sorted({f.code for f in verdict(result).blocking})
        if result is not None else [],
    }
    context.update(agreement_context(context))
    return context


@dataclass
class _References:
    """The spec's entries for the templates, each reference resolved to its entry: a
    goal's `behov` are need entries, an activity's `ansvarig` a party entry."""

    parties: list[dict[str, Any]]
    party_by_id: dict[str, dict[str, Any]]
    needs: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    activities: list[dict[str, Any]]

    def party(self, party_id: str) -> dict[str, Any]:
        # A valid spec has only known references; keep unknown ones readable anyway.
        return self.party_by_id.get(party_id) or {"id": party_id, "namn": party_id}


def _references(spec: Spec) -> _References:
    parties = [_party(p) for p in spec.parties]
    # "Equmeniaförsamlingen i Strömsby" and "… i Sjövik" must not both read
    # "Equmeniaförsamlingens": then each keeps its whole name.
    short = [p["namn_genitiv"] for p in parties]
    for party in parties:
        if short.count(party["namn_genitiv"]) > 1:
            party["namn_genitiv"] = genitive(party["namn"], shorten=False)
    refs = _References(parties, {p["id"]: p for p in parties}, [], [], [])
    refs.needs = [{"id": n.id, "beskrivning": n.description}
                  for n in spec.needs_inventory.needs]
    need_by_id = {n["id"]: n for n in refs.needs}
    for spec_goal in spec.goals:
        refs.goals.append({
            "id": spec_goal.id,
            "beskrivning": spec_goal.description,
            "behov": [need_by_id.get(n) or {"id": n, "beskrivning": ""}
                      for n in spec_goal.needs],
            "indikatorer": [{"id": i.id, "beskrivning": i.description, "målvärde": i.target,
                             "källa": i.source, "baslinje": i.baseline,
                             "baslinje_år": i.baseline_year} for i in spec_goal.indicators],
        })
    goal_by_id = {g["id"]: g for g in refs.goals}
    refs.activities = [{
        "id": a.id,
        "beskrivning": a.description,
        "mål": [goal_by_id.get(g) or {"id": g, "beskrivning": ""} for g in a.goals],
        "ansvarig": refs.party(a.responsible),
    } for a in spec.activities]
    for goal in refs.goals:
        goal["insatser"] = [a for a in refs.activities if any(g is goal for g in a["mål"])]
    for need in refs.needs:
        need["mål"] = [g for g in refs.goals if any(n is need for n in g["behov"])]
    return refs


def _resources(spec: Spec, refs: _References, facts: Assessment, years: list[int]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every resource with its amounts per year, and the resources grouped per party
    with their sums (each party entry gets its `resurser` too)."""
    resources: list[dict[str, Any]] = []
    for r in spec.resources:
        per_year = r.by_year(spec.period)
        resources.append({
            "part": refs.party(r.party),
            "typ": r.type,
            "beskrivning": facts.resource_text(r),
            "belopp_per_år": r.amount_per_year,
            "värde_per_år": r.value_per_year,
            "timmar_per_år": r.hours_per_year,
            "mottagare": refs.party(r.recipient) if r.recipient else None,
            # Kronor per calendar year of the period; None for an in-kind resource
            # without a value ("ej värderad", never 0 kr).
            "per_år": per_year,
            "ej_värderad": per_year is None,
            "summa": sum(per_year.values()) if per_year is not None else None,
            # One amount for every year, when it is the same every year; else None.
            "värde": _constant(r.yearly, per_year),
            "pengar": r.is_money,
        })
    per_party: list[dict[str, Any]] = []
    for party in refs.parties:
        own = [r for r in resources if r["part"] is party]
        valued = [r for r in own if not r["ej_värderad"]]
        per_party.append({
            "part": party,
            "resurser": own,
            "per_år": _sum_years(years, valued),
            "pengar_per_år": _sum_years(years, [r for r in valued if r["pengar"]]),
            "summa_period": sum(r["summa"] for r in valued),
            "ej_värderade": [r for r in own if r["ej_värderad"]],
            # Resources, none of them valued: the sum row says "ej värderad", never 0 kr.
            "bara_ej_värderade": bool(own) and not valued,
            "summa": _constant_sum(valued),
            "pengar": _constant_sum([r for r in valued if r["pengar"]]),
            "timmar": sum(r["timmar_per_år"] or 0 for r in own),
        })
    for party in refs.parties:
        party["resurser"] = [r for r in resources if r["part"] is party]
    return resources, per_party


def _findings(result: CheckResult | None) -> list[dict[str, Any]]:
    """The findings of `check`, under Swedish keys (the checklist lists them)."""
    if result is None:
        return []
    return [{
        "kod": finding.code,
        "allvarlighet": SEVERITY_WORDS.get(finding.severity, str(finding.severity)),
        "meddelande": finding.message,
        "nyckel": finding.path_text,
        "rad": finding.line,
        "kolumn": finding.column,
        "källa": finding.source,
        "undantagen": finding.silenced,
        "motivering": finding.silence_reason,
    } for finding in result.findings]


def _checks(spec: Spec, facts: Assessment, refs: _References,
            resources: list[dict[str, Any]], per_party: list[dict[str, Any]],
            appendices: list[str]) -> dict[str, Any]:
    """`kontroller`: what the checklist ticks and the memo weighs, derived from the
    spec and the legal facts."""
    nonprofit_ids = {p["id"] for p in refs.parties if p["idéburen"]}
    public_ids = {p["id"] for p in refs.parties if p["offentlig"]}
    legal = spec.legal
    personal = spec.personal_data
    economy = spec.economy
    # Lag (2017:151) applies to the activity an IVO permit covers (the permit shows it is
    # run professionally, and the partnership funds it); the other activities are
    # assessed against 2 § on their own. A permit in text form is taken to cover the
    # areas that need one.
    permitted: set[str] = set()
    for spec_party in spec.parties:
        permit = spec_party.ivo_permit
        if permit is not None and spec_party.is_nonprofit:
            permitted.update(getattr(permit, "covers", None) or facts.ivo_areas)
    care = set(region_health_care(spec))  # a region's own care: who controls the data
    return {
        "regionens_vård": [a for a in refs.activities if a["id"] in care],  # personal_data
        "meddelarskydd_gäller": [a for a in facts.whistleblower_areas if a in permitted],
        "meddelarskydd_övriga": [a for a in facts.whistleblower_areas if a not in permitted],
        "behovsinventering_gemensam": any(p in nonprofit_ids
                                          for p in spec.needs_inventory.carried_out_by),
        "idéburna_utan_resurser": [g["part"] for g in per_party
                                   if g["part"]["idéburen"] and not g["resurser"]],
        "idéburna_resurser": sum(g["summa_period"] for g in per_party
                                 if g["part"]["idéburen"]),
        # The idéburna parties bring resources but none has a value: never "0 kr".
        "idéburna_ej_värderade": any(g["bara_ej_värderade"] for g in per_party
                                     if g["part"]["idéburen"]) and
                                 not any(g["summa_period"] for g in per_party
                                         if g["part"]["idéburen"]),
        "idéburna_timmar": sum(g["timmar"] for g in per_party if g["part"]["idéburen"]),
        # Volunteer and staff hours apart: the checklist never calls staff hours
        # "ideellt arbete" (FORMAT.md allows timmar_per_år on both types).
        "idéburna_ideella_timmar": sum(r["timmar_per_år"] or 0 for r in resources
                                       if r["part"]["idéburen"] and r["typ"] == "ideell tid"),
        "idéburna_personaltimmar": sum(r["timmar_per_år"] or 0 for r in resources
                                       if r["part"]["idéburen"] and r["typ"] != "ideell tid"),
        "offentliga_pengar": sum(sum(g["pengar_per_år"].values()) for g in per_party
                                 if g["part"]["offentlig"]),
        "per_prestation": economy.payment_form == "per prestation",
        "viten": economy.penalties,
        "styrning_gemensam": bool(set(spec.governance.group) & nonprofit_ids) and
                             bool(set(spec.governance.group) & public_ids),
        "behov_utan_mål": [n for n in refs.needs if not n["mål"]],
        "mål_utan_indikator": [g for g in refs.goals if not g["indikatorer"]],
        "mål_utan_insats": [g for g in refs.goals if not g["insatser"]],
        "upphandling": bool(legal and legal.procurement),
        "statsstöd": bool(legal and legal.state_aid),
        "personuppgiftsbiträde": bool(personal and personal.processed is not False and
                                      personal.responsibility == "biträde"),
        "biträdesavtal_bilaga": any("biträde" in a.lower() for a in appendices),
        # An internal planning date never falls on a weekend or holiday: it moves to
        # the working day before (IOP.md, "Swedish conventions"; lag (1930:173) is for
        # statutory time limits).
        "förlängning_senast": extension_decision_date(spec),
        "förlängning_budgetår": extension_budget_years(spec),
        # The first deadline of each report (iopkit.schedule), for the checklist.
        "första_årsrapport": next(iter(annual_reports(spec)), None),
        "första_redovisning": next(iter(accounts_reports(spec)), None),
    }


def _partnership(spec: Spec) -> dict[str, Any]:
    partnership = spec.partnership
    return {
        "namn": partnership.name,
        "kortnamn": partnership.short_name,
        "diarienummer": partnership.case_number,
        "bakgrund": partnership.background,
        "syfte": partnership.purpose,
        "målgrupp": partnership.target_group,
        "styrdokument": list(partnership.policy_documents),
        "avgränsning": partnership.scope_limits,
        "verksamhetsområden": list(partnership.activity_areas),
        "barn": partnership.children,
    }


def _economy(spec: Spec) -> dict[str, Any]:
    economy = spec.economy
    return {
        "ersättningsform": economy.payment_form,
        "utbetalning": economy.disbursement,
        "redovisning": economy.reporting,
        "outnyttjade_medel": economy.unused_funds,
        "viten": economy.penalties,
        "andra_bidrag": economy.other_grants,
        "budgetförbehåll": economy.budget_reservation,
        "finansiering": economy.financing,
    }


def _legal(spec: Spec) -> dict[str, Any]:
    """`rättslig_bedömning` as the spec states it (the assessment is `bedömning`)."""
    legal = spec.legal
    return {
        "upphandling": legal.procurement if legal else None,
        "statsstöd": legal.state_aid if legal else None,
        "eurokurs": legal.eur_rate if legal else None,
        "statsstöd_grund": legal.state_aid_ground if legal else None,
        "prövning": screening_view(legal.screening) if legal and legal.screening else None,
    }


def _years(start: dt.date, end: dt.date) -> int | None:
    """Whole years when the period runs from a date to the day before the same date
    some years later (2027-01-01 – 2029-12-31 is 3 years); else None."""
    following = end + dt.timedelta(days=1)
    if (following.month, following.day) == (start.month, start.day) and \
            following.year > start.year:
        return following.year - start.year
    return None


def _constant(value: int | dict[int, int] | None,
              per_year: dict[int, int] | None) -> int | None:
    """One amount for every year: the amount itself, or for amounts per year the amount
    when every year of the period has the same (a year the map leaves out has 0)."""
    if isinstance(value, dict):
        amounts = set((per_year or {}).values())
        return amounts.pop() if len(amounts) == 1 else None
    return value


def _constant_sum(resources: list[dict[str, Any]]) -> int | None:
    """The yearly sum of resources when each has one amount for every year; else None
    (the documents then show the year-by-year table)."""
    if any(r["värde"] is None for r in resources):
        return None
    return sum(int(r["värde"]) for r in resources)


def _sum_years(years: list[int], resources: list[dict[str, Any]]) -> dict[int, int]:
    return {year: sum(r["per_år"].get(year, 0) for r in resources) for year in years}
