"""Check a follow-up file: the model (located Swedish findings, "menade du"), then the
file against the spec it follows up (UTFALL.md): indicator refs, years inside the
period, recipients that are idéburna parties, known parties and goals, and reports
submitted after the agreement's deadline.

The spec is read from `avtal`, relative to the follow-up file, and only from that
file's own folder or the folder above it: a follow-up file cannot make iopkit read
anything else on the computer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..spec.findings import CheckResult, Finding, KeyPath, Severity, sort_findings
from ..spec.loader import SpecDocument, SpecIOError, SpecLoadError, load_spec_file
from ..spec.validation import translate_errors
from .model import MARKER_KEY, Outcomes

#: The follow-up file's own finding codes (the model's codes IOP0xx are shared).
MESSAGE_CODES: dict[str, str] = {
    "IOP300": "Avtalet som följs upp kan inte läsas eller har fel",
    "IOP301": "Okänd indikator",
    "IOP302": "År utanför avtalsperioden",
    "IOP303": "Samma år förekommer flera gånger",
    "IOP304": "Mottagaren är inte en idéburen part",
    "IOP305": "Okänd part",
    "IOP306": "Okänt mål",
    "IOP307": "Ingen uppföljning för ett år som har passerat",
    "IOP308": "Rapporten lämnades in för sent",
    "IOP309": "Resurs som inte finns i avtalet",
}


@dataclass
class OutcomesResult(CheckResult):
    """A checked follow-up file: its findings, the model when valid, and the checked
    spec it follows up (`spec_result`)."""

    outcomes: Outcomes | None = None
    spec_result: CheckResult | None = None


def is_outcomes_document(document: SpecDocument) -> bool:
    return isinstance(document.data, dict) and MARKER_KEY in document.data


def check_outcomes_document(document: SpecDocument, today: dt.date | None = None,
                            settings: Any = None) -> OutcomesResult:
    """Validate `document` (a loaded follow-up file). `today` decides which years have
    passed (a year with no entry whose report deadline is before it is a warning)."""
    findings: list[Finding] = []
    outcomes: Outcomes | None = None
    try:
        outcomes = Outcomes.model_validate(document.data)
    except ValidationError as exc:
        findings.extend(translate_errors(exc, document, Outcomes))
    spec_result = None
    if outcomes is not None:
        spec_result, problem = _load_agreement(Path(document.file), outcomes.agreement,
                                               settings)
        if problem:
            findings.append(_error("IOP300", problem, ("avtal",)))
        else:
            assert spec_result is not None and spec_result.spec is not None
            findings.extend(cross_check(outcomes, spec_result.spec, today))
    for finding in findings:
        finding.file = finding.file or document.file
        if finding.line is None:
            pos = document.position(finding.path)
            finding.line, finding.column = pos.line, pos.column
    if any(f.severity is Severity.ERROR for f in findings):
        outcomes = None
    return OutcomesResult(file=document.file, findings=sort_findings(findings),
                          document=document, outcomes=outcomes, spec_result=spec_result)


def check_outcomes_file(path: Path | str, today: dt.date | None = None,
                        settings: Any = None) -> OutcomesResult:
    """Check one follow-up file. Raises SpecIOError when it cannot be read at all."""
    try:
        document = load_spec_file(path)
    except SpecLoadError as exc:
        return OutcomesResult(file=str(path), findings=[exc.finding])
    if not is_outcomes_document(document):
        finding = _error("IOP003", "Filen är ingen uppföljningsfil: nyckeln iopkit_utfall "
                         "saknas på översta nivån. En uppföljningsfil börjar med "
                         "iopkit_utfall: 1 och avtal: (partnerskapsbeskrivningen).", ())
        finding.file, finding.line, finding.column = str(path), 1, 1
        return OutcomesResult(file=str(path), findings=[finding], document=document)
    return check_outcomes_document(document, today, settings)


def _error(code: str, message: str, path: KeyPath,
           severity: Severity = Severity.ERROR) -> Finding:
    return Finding(code=code, severity=severity, message=message, path=path,
                   source="Uppföljningsfilens format, version 1")


def agreement_path(outcomes_file: Path, written: str) -> Path | str:
    """The spec `avtal` names, or a Swedish message why it cannot be used."""
    relative = Path(written)
    if relative.is_absolute() or written.startswith(("\\", "~")) or ":" in written:
        return (f"Ange avtalet som en sökväg relativt uppföljningsfilen, till exempel "
                f"avtal.yaml, inte \"{written}\".")
    if relative.suffix.lower() not in (".yaml", ".yml"):
        return f"Avtalet \"{written}\" ska vara en partnerskapsbeskrivning som slutar på .yaml."
    base = outcomes_file.resolve().parent
    target = (base / relative).resolve()
    if target.parent != base and base not in target.parents and target.parent != base.parent:
        return (f"Avtalet \"{written}\" ligger utanför uppföljningsfilens katalog. Lägg "
                "partnerskapsbeskrivningen i samma katalog (eller katalogen ovanför).")
    return target


def _load_agreement(outcomes_file: Path, written: str, settings: Any
                    ) -> tuple[CheckResult | None, str | None]:
    from ..check import check_file

    target = agreement_path(outcomes_file, written)
    if isinstance(target, str):
        return None, target
    if not target.is_file():
        return None, (f"Avtalet \"{written}\" finns inte (sökt i {target.parent}). Ange "
                      "partnerskapsbeskrivningens filnamn relativt uppföljningsfilen.")
    try:
        result = check_file(target, settings)
    except SpecIOError as exc:
        return None, f"Avtalet \"{written}\" kan inte läsas: {exc}"
    if not result.ok or result.spec is None:
        first = result.errors[0]
        return None, (f"Avtalet \"{written}\" har {len(result.errors)} fel och kan inte "
                      f"följas upp förrän de är rättade. Första: rad {first.line}: "
                      f"{first.message} Kör iopkit check {written}.")
    return result, None


def indicator_refs(spec: Any) -> dict[str, tuple[Any, Any, str]]:
    """Every ref a follow-up file may use → (goal, indicator, the ref iopkit shows): the
    indicator's `id`, and always `M1.1` (goal id, dot, number within the goal)."""
    refs: dict[str, tuple[Any, Any, str]] = {}
    for goal in spec.goals:
        for number, indicator in enumerate(goal.indicators, 1):
            shown = indicator.id or f"{goal.id}.{number}"
            refs[f"{goal.id}.{number}"] = (goal, indicator, shown)
            if indicator.id:
                refs[indicator.id] = (goal, indicator, shown)
    return refs


def cross_check(outcomes: Outcomes, spec: Any, today: dt.date | None = None) -> list[Finding]:
    from ..schedule import follow_up_report_days

    findings: list[Finding] = []
    start, end = spec.period.start.year, spec.period.end.year
    refs = indicator_refs(spec)
    known_refs = ", ".join(dict.fromkeys(shown for _, _, shown in refs.values())) or "inga"
    parties = {p.id: p for p in spec.parties}
    goals = {g.id for g in spec.goals}
    resources = {(r.party, r.type, " ".join(r.description.split())) for r in spec.resources}
    seen: set[int] = set()
    report_days = follow_up_report_days(spec)
    for index, entry in enumerate(outcomes.years):
        at: KeyPath = ("år", index)
        if entry.year in seen:
            findings.append(_error("IOP303", f"Året {entry.year} förekommer flera gånger. "
                                   "Samla årets uppgifter i ett avsnitt.", at + ("år",)))
        seen.add(entry.year)
        if not start <= entry.year <= end:
            findings.append(_error(
                "IOP302", f"Året {entry.year} ligger utanför avtalsperioden ({start}–{end}). "
                "Kontrollera årtalet.", at + ("år",)))
        for ref in entry.indicators:
            if ref not in refs:
                findings.append(_error(
                    "IOP301", f"Indikatorn \"{ref}\" finns inte i avtalet. Kända indikatorer: "
                    f"{known_refs}.", at + ("indikatorer", ref)))
        for party_id in entry.volunteer_hours:
            if party_id not in parties:
                findings.append(_unknown_party(party_id, parties, at + ("ideellt_arbete_timmar",
                                                                        party_id)))
        for party_id in entry.money:
            party = parties.get(party_id)
            if party is None:
                findings.append(_unknown_party(party_id, parties, at + ("medel", party_id)))
            elif not party.is_nonprofit:
                names = ", ".join(p.id for p in spec.nonprofit_parties)
                findings.append(_error(
                    "IOP304", f"{party.name} är inte en idéburen part och kan inte vara "
                    f"mottagare av medlen. Ange en av de idéburna parterna: {names}.",
                    at + ("medel", party_id)))
        for goal_id in entry.assessment:
            if goal_id not in goals:
                findings.append(_error(
                    "IOP306", f"Målet \"{goal_id}\" finns inte i avtalet. Kända mål: "
                    f"{', '.join(g.id for g in spec.goals)}.", at + ("bedömning", goal_id)))
        for r_index, given in enumerate(entry.resources):
            if given.party not in parties:
                findings.append(_unknown_party(given.party, parties,
                                               at + ("resurser", r_index, "part")))
            elif (given.party, given.type, " ".join(given.description.split())) not in resources:
                findings.append(_error(
                    "IOP309", f"Resursen \"{given.description}\" ({given.type}) från "
                    f"{parties[given.party].name} finns inte i avtalets resurser. Skriv part, "
                    "typ och beskrivning som i avtalet.", at + ("resurser", r_index),
                    Severity.WARNING))
        due = report_days.get(entry.year)
        if entry.submitted is not None and due is not None and entry.submitted > due[0]:
            findings.append(_error(
                "IOP308", f"Rapporten för {entry.year} lämnades in {entry.submitted.isoformat()}, "
                f"efter sista dagen {due[0].isoformat()} enligt avtalet (`{due[1]}`).",
                at + ("inlämnad",), Severity.WARNING))
    if today is not None:
        for year in range(start, end + 1):
            due = report_days.get(year)
            if year not in seen and due is not None and due[0] < today:
                findings.append(_error(
                    "IOP307", f"Ingen uppföljning för {year}: rapporten skulle ha lämnats "
                    f"senast {due[0].isoformat()} (`{due[1]}`). Lägg till ett avsnitt för "
                    "året.", ("år",),
                    Severity.WARNING))
    return findings


def _unknown_party(party_id: str, parties: dict[str, Any], path: KeyPath) -> Finding:
    import difflib

    close = difflib.get_close_matches(party_id, list(parties), n=1, cutoff=0.5)
    hint = f"Menade du `{close[0]}`?" if close else \
        "Kända parter: " + ", ".join(parties) + "."
    return _error("IOP305", f"Parten \"{party_id}\" finns inte i avtalet. {hint}", path)
