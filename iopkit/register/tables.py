"""The register, the deadlines and de minimis as plain rows: every format writes the
same rows (writers.py), so Excel, CSV, HTML and Markdown never disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..schedule import Deadline, partnership_deadlines
from .collect import Broken, Collection
from .deminimis import REGULATION, Organisation, grants_of, per_organisation

UTKAST, BESLUTAD, PÅGÅR, AVSLUTAD = "utkast", "beslutad", "pågår", "avslutad"


def status(spec: Any, today: dt.date) -> str:
    """utkast (no public party's decision recorded by `today`), beslutad (decided, not
    started), pågår, avslutad."""
    public = {p.id for p in spec.public_parties}
    decided = any(d.party in public and d.date <= today
                  for d in (spec.process.decisions if spec.process else []))
    if spec.period.end < today:
        return AVSLUTAD
    if not decided:
        return UTKAST
    return PÅGÅR if spec.period.start <= today else BESLUTAD


def public_money_by_year(spec: Any) -> dict[int, int]:
    """The public parties' money per calendar year (ekonomiska medel)."""
    years: dict[int, int] = {}
    public = {p.id for p in spec.public_parties}
    for resource in spec.resources:
        if resource.is_money and resource.party in public:
            for year, amount in (resource.by_year(spec.period) or {}).items():
                years[year] = years.get(year, 0) + amount
    return dict(sorted(years.items()))


@dataclass
class AgreementRow:
    name: str
    case_number: str
    public: str
    bodies: str
    nonprofit: str
    org_numbers: str
    start: dt.date
    end: dt.date
    status: str
    money: dict[int, int]
    total: int
    next_date: dt.date | None
    next_what: str
    file: str


@dataclass
class DeadlineRow:
    date: dt.date
    agreement: str
    case_number: str
    what: str
    file: str
    deadline: Deadline


@dataclass
class Register:
    today: dt.date
    days: int
    agreements: list[AgreementRow] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    outcomes: int = 0

    @property
    def warnings(self) -> list[str]:
        return [w for org in self.organisations for w in org.warnings]


def build_register(collection: Collection, today: dt.date, days: int) -> Register:
    register = Register(today, days, broken=collection.broken,
                        unreadable=collection.unreadable, outcomes=len(collection.outcomes))
    horizon = today + dt.timedelta(days=days)
    grants = []
    years: set[int] = set()
    for file, spec in sorted(collection.specs, key=lambda s: (s[1].partnership.name.casefold(),
                                                              s[0])):
        money = public_money_by_year(spec)
        years.update(money)
        deadlines = partnership_deadlines(spec)  # once a spec: the slow part of a row
        upcoming = next((d for d in deadlines if d.date >= today), None)  # next_deadline
        register.agreements.append(AgreementRow(
            name=" ".join(spec.partnership.name.split()),
            case_number=spec.partnership.case_number or "",
            public="; ".join(p.name for p in spec.public_parties),
            bodies="; ".join(p.body or "" for p in spec.public_parties if p.body),
            nonprofit="; ".join(p.name for p in spec.nonprofit_parties),
            org_numbers="; ".join(p.org_number for p in spec.nonprofit_parties),
            start=spec.period.start, end=spec.period.end, status=status(spec, today),
            money=money, total=sum(money.values()),
            next_date=upcoming.date if upcoming else None,
            next_what=upcoming.what if upcoming else "", file=file))
        for deadline in deadlines:
            if today <= deadline.date <= horizon:
                register.deadlines.append(DeadlineRow(
                    deadline.date, " ".join(spec.partnership.name.split()),
                    spec.partnership.case_number or "", deadline.what, file, deadline))
        grants.extend(grants_of(spec, file))
    register.years = sorted(years)
    register.deadlines.sort(key=lambda d: (d.date, d.agreement, d.what))
    register.organisations = per_organisation(grants)
    return register


AGREEMENT_HEADER = ["Partnerskap", "Diarienummer", "Offentliga parter", "Beslutande organ",
                    "Idéburna parter", "Organisationsnummer", "Start", "Slut", "Status"]
TAIL_HEADER = ["Totalt (kr)", "Nästa frist", "Vad", "Fil"]
DEADLINE_HEADER = ["Datum", "Partnerskap", "Diarienummer", "Vad", "Fil"]
DE_MINIMIS_HEADER = ["Organisation", "Organisationsnummer", "Partnerskap", "Beviljat",
                     "Beslut", "Belopp (kr)", "Belopp (euro)", "Kurs (kr per euro)",
                     "Grund", "Summa tre år (euro)"]
CENTRAL_HEADER = ["Mottagare", "Organisationsnummer", "Belopp (kr, nominellt)",
                  "Belopp (euro, nominellt)", "Kurs (kr per euro)", "Beviljandedatum",
                  "Beviljande myndighet", "Stödinstrument", "Förordning", "Sektor",
                  "Partnerskap", "Diarienummer"]


def agreement_rows(register: Register) -> list[list[Any]]:
    rows = []
    for a in register.agreements:
        rows.append([a.name, a.case_number, a.public, a.bodies, a.nonprofit, a.org_numbers,
                     a.start, a.end, a.status, *(a.money.get(y) for y in register.years),
                     a.total, a.next_date, a.next_what, a.file])
    return rows


def agreement_header(register: Register) -> list[str]:
    return [*AGREEMENT_HEADER, *(f"{y} (kr)" for y in register.years), *TAIL_HEADER]


def deadline_rows(register: Register) -> list[list[Any]]:
    return [[d.date, d.agreement, d.case_number, d.what, d.file] for d in register.deadlines]


def de_minimis_rows(register: Register) -> list[list[Any]]:
    rows = []
    for org in register.organisations:
        for grant, window in zip(org.grants, org.windows):
            rows.append([" / ".join(org.names), org.org_number, grant.agreement, grant.date,
                         ("beslutat" if grant.date <= register.today else "planerat beslut")
                         if grant.decided else "inget beslut angivet (avtalets start)",
                         grant.amount, int(grant.eur), float(grant.eur_rate),
                         grant.ground, int(window.total_eur)])
    return rows


def central_register_rows(register: Register) -> list[list[Any]]:
    rows = []
    for org in register.organisations:
        for grant in org.grants:
            rows.append([grant.recipient, grant.org_number, grant.amount, int(grant.eur),
                         float(grant.eur_rate), grant.date, grant.grantor, "bidrag",
                         REGULATION[grant.ground], "", grant.agreement,
                         grant.case_number or ""])
    return rows
