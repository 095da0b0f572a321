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
from ..rules.assessment import AREA_NAMES, Assessment, assess
from ..rules.verdict import verdict
from ..spec.model import IvoPermit, Party, Screening, Spec
from ..spec.yearly import calendar_years, contract_years, period_years
from ..schedule import (accounts_reports, annual_reports, extension_budget_years,
                        extension_decision_date)
from .agreement import agreement_context
from .names import genitive, proper_words
from ..format import MONTHS, lower_start
from ..writers.markdown import Md

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
    """The template context for one spec (see the module docstring)."""
    parties = [_party(p) for p in spec.parties]
    # "Equmeniaförsamlingen i Strömsby" and "… i Sjövik" must not both read
    # "Equmeniaförsamlingens": then each keeps its whole name.
    short = [p["namn_genitiv"] for p in parties]
    for party in parties:
        if short.count(party["namn_genitiv"]) > 1:
            party["namn_genitiv"] = genitive(party["namn"], shorten=False)
    party_by_id = {p["id"]: p for p in parties}

    def party_ref(party_id: str) -> dict[str, Any]:
        # A valid spec has only known references; keep unknown ones readable anyway.
        return party_by_id.get(party_id) or {"id": party_id, "namn": party_id}

    inventory = spec.needs_inventory
    needs: list[dict[str, Any]] = [{"id": n.id, "beskrivning": n.description}
                                   for n in inventory.needs]
    need_by_id = {n["id"]: n for n in needs}
    goals: list[dict[str, Any]] = []
    for spec_goal in spec.goals:
        goals.append({
            "id": spec_goal.id,
            "beskrivning": spec_goal.description,
            "behov": [need_by_id.get(n) or {"id": n, "beskrivning": ""}
                      for n in spec_goal.needs],
            "indikatorer": [{"id": i.id, "beskrivning": i.description, "målvärde": i.target,
                             "källa": i.source, "baslinje": i.baseline,
                             "baslinje_år": i.baseline_year} for i in spec_goal.indicators],
        })
    goal_by_id = {g["id"]: g for g in goals}
    activities: list[dict[str, Any]] = [{
        "id": a.id,
        "beskrivning": a.description,
        "mål": [goal_by_id.get(g) or {"id": g, "beskrivning": ""} for g in a.goals],
        "ansvarig": party_ref(a.responsible),
    } for a in spec.activities]
    for goal in goals:
        goal["insatser"] = [a for a in activities if any(g is goal for g in a["mål"])]
    for need in needs:
        need["mål"] = [g for g in goals if any(n is need for n in g["behov"])]

    facts = assess(spec)
    for view, spec_party in zip(parties, spec.parties):
        if not facts.shows_address(spec_party):
            view["adress"] = None  # the boende's address is secret (IOP188)
    period = spec.period
    # Amounts are per avtalsår (spec/yearly.py): the calendar years when the period
    # starts on 1 January, else years from the start date, labelled "2027/28".
    contract = contract_years(period.start, period.end)
    years = [y.key for y in contract]
    calendar = calendar_years(period.start)
    resources: list[dict[str, Any]] = []
    for r in spec.resources:
        per_year = r.by_year(period)
        resources.append({
            "part": party_ref(r.party),
            "typ": r.type,
            "beskrivning": facts.resource_text(r),
            "belopp_per_år": r.amount_per_year,
            "värde_per_år": r.value_per_year,
            "timmar_per_år": r.hours_per_year,
            "mottagare": party_ref(r.recipient) if r.recipient else None,
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
    for party in parties:
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
    for party in parties:
        party["resurser"] = [r for r in resources if r["part"] is party]
    valued_all = [r for r in resources if not r["ej_värderad"]]

    legal = spec.legal
    personal = spec.personal_data
    economy = spec.economy

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
    # Lag (2017:151) applies to the activity an IVO permit covers (the permit shows it is
    # run professionally, and the partnership funds it); the other activities are
    # assessed against 2 § on their own. A permit in text form is taken to cover the
    # areas that need one.
    permitted: set[str] = set()
    for spec_party in spec.parties:
        permit = spec_party.ivo_permit
        if permit is not None and spec_party.is_nonprofit:
            permitted.update(getattr(permit, "covers", None) or facts.ivo_areas)
    checks = {
        "meddelarskydd_gäller": [a for a in facts.whistleblower_areas if a in permitted],
        "meddelarskydd_övriga": [a for a in facts.whistleblower_areas if a not in permitted],
        "behovsinventering_gemensam": any(p in nonprofit_ids for p in inventory.carried_out_by),
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
        "behov_utan_mål": [n for n in needs if not n["mål"]],
        "mål_utan_indikator": [g for g in goals if not g["indikatorer"]],
        "mål_utan_insats": [g for g in goals if not g["insatser"]],
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

    context = {
        "iopkit": spec.format_version,
        "fil": spec_file,
        "utkast_datum": draft_date,
        "paragraf": paragraph_counter(),
        # Names that keep their capital after a colon (the filter gemen_början).
        "egennamn": proper_words(spec.model_dump(warnings=False), (p.name for p in spec.parties)),
        "partnerskap": {
            "namn": spec.partnership.name,
            "kortnamn": spec.partnership.short_name,
            "diarienummer": spec.partnership.case_number,
            "bakgrund": spec.partnership.background,
            "syfte": spec.partnership.purpose,
            "målgrupp": spec.partnership.target_group,
            "styrdokument": list(spec.partnership.policy_documents),
            "avgränsning": spec.partnership.scope_limits,
            "verksamhetsområden": list(spec.partnership.activity_areas),
            "barn": spec.partnership.children,
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
        "ekonomi": {
            "ersättningsform": economy.payment_form,
            "utbetalning": economy.disbursement,
            "redovisning": economy.reporting,
            "outnyttjade_medel": economy.unused_funds,
            "viten": economy.penalties,
            "andra_bidrag": economy.other_grants,
            "budgetförbehåll": economy.budget_reservation,
            "finansiering": economy.financing,
        },
        "rättslig_bedömning": {
            "upphandling": legal.procurement if legal else None,
            "statsstöd": legal.state_aid if legal else None,
            "eurokurs": legal.eur_rate if legal else None,
            "statsstöd_grund": legal.state_aid_ground if legal else None,
            "prövning": _screening(legal.screening) if legal and legal.screening else None,
        },
        "process": _process(spec, party_ref, facts),
        "eurokurs": _eur_rate(legal.eur_rate if legal else None),
        "bedömning": _assessment(facts, party_ref),
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
            "hela_år": _years(period.start, period.end),
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
        # Codes of the open findings that stop the decision (rules.verdict); the memo
        # proposes no approval while there are any.
        "hindrar_beslut": sorted({f.code for f in verdict(result).blocking})
        if result is not None else [],
    }
    context.update(agreement_context(context))
    return context


def _eur_rate(given: float | None) -> dict[str, Any]:
    """The rate the documents state for the de minimis ceilings, with its source;
    iopkit's default is an estimate and the documents say so (IOP.md)."""
    from ..rules.settings import DEFAULT_EUR_RATE

    if given is not None:
        return {"kurs": float(given), "uppskattad": False,
                "källa": "den kurs som underlaget anger"}
    return {"kurs": float(DEFAULT_EUR_RATE), "uppskattad": True,
            "källa": "ett ungefärligt genomsnitt av Riksbankens dagliga EUR/SEK-kurser "
                     "2025, fastställt den 15 januari 2026"}


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


def _process(spec: Spec, party_ref: Callable[[str], dict[str, Any]],
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


def _screening(screening: Screening) -> dict[str, str | None]:
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


def _assessment(facts: Assessment, party_ref: Callable[[str], dict[str, Any]]
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
                          else None}
                         for t in recipient.transfers
                         if t.resource.type != "ekonomiska medel"],
        })
    return {
        "meddelarskydd_möjligt": facts.whistleblower_possible,
        "meddelarskydd_okänt": facts.whistleblower_unknown,
        "meddelarskydd_områden": list(facts.whistleblower_areas),
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
                                "part": party_ref(o.party.id)}
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
