"""De minimis aid per organisation across every agreement of the kommun.

The ceilings count all de minimis aid to the same single undertaking over any three
years (Regulation (EU) 2023/2831 art. 3(2): EUR 300 000; for SGEI Regulation (EU)
2023/2832 art. 3(2): EUR 750 000), so one organisation with two or three agreements can
pass a ceiling that none of them passes alone. Grants are keyed by organisationsnummer
(names merged); linked undertakings under another number and other grantors' aid must
be added by the officer, and the warnings say so.

When aid is granted (art. 3(3)): everything an agreement commits for its whole period
counts when the right to it is conferred, the public party's decision (or, with no
decision recorded, the agreement's start). With `ekonomi.budgetförbehåll: ja` each year
after the first counts when its budget is decided, which iopkit places at 1 January of
that year (the reading is stated in the output).

Cumulation: general de minimis aid above EUR 300 000 in any three years is over its
ceiling; general and SGEI de minimis aid together may reach EUR 750 000 (2023/2831 art.
5(1), 2023/2832 art. 5(2)).

Amounts are nominal kronor: safe for the ceiling check. The notice and the central
register use the gross grant equivalent (instalments discounted to the grant date, art.
3(6)); the register rows say the amount is nominal.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Any

from ..rules.assessment import DE_MINIMIS_GROUNDS, assess
from ..rules.settings import DEFAULT_SETTINGS

GENERAL = "stöd av mindre betydelse"
SGEI = "stöd av mindre betydelse för SGEI"
REGULATION = {GENERAL: "kommissionens förordning (EU) 2023/2831",
              SGEI: "kommissionens förordning (EU) 2023/2832"}


@dataclass(frozen=True)
class Grant:
    org_number: str
    recipient: str
    agreement: str  # the partnership's name
    case_number: str | None
    file: str
    date: dt.date
    decided: bool  # False: no decision recorded, the start is used
    amount: int  # kronor, nominal
    eur_rate: Decimal
    eur_rate_default: bool
    ground: str  # GENERAL or SGEI
    grantor: str  # the public parties and their deciding body
    years: tuple[int, ...]  # the agreement years this grant covers

    @cached_property  # asked once for every window the grant is in
    def eur(self) -> Decimal:
        return (Decimal(self.amount) / self.eur_rate).quantize(Decimal("1"))


@dataclass
class Window:
    """The three years back from one grant date, and what they hold."""

    end: dt.date
    grants: list[Grant]

    @cached_property
    def general_eur(self) -> Decimal:
        return sum((g.eur for g in self.grants if g.ground == GENERAL), Decimal(0))

    @cached_property
    def total_eur(self) -> Decimal:
        return sum((g.eur for g in self.grants), Decimal(0))


@dataclass
class Organisation:
    org_number: str
    names: list[str]
    grants: list[Grant] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _three_years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 3, day=28)


def grants_of(spec: Any, file: str) -> list[Grant]:
    """The de minimis grants one agreement makes (none unless its state-aid ground is a
    de minimis regulation)."""
    legal = spec.legal
    ground = legal.state_aid_ground if legal else None
    if ground not in DE_MINIMIS_GROUNDS:
        return []
    settings = DEFAULT_SETTINGS
    rate = legal.eur_rate if legal and legal.eur_rate else None
    eur_rate = Decimal(str(rate)) if rate else settings.default_eur_rate
    public_ids = {p.id for p in spec.public_parties}
    decisions = sorted(d.date for d in (spec.process.decisions if spec.process else [])
                       if d.party in public_ids)
    grant_date = decisions[-1] if decisions else spec.period.start
    grantor = ", ".join(f"{p.name}" + (f" ({p.body})" if p.body else "")
                        for p in spec.public_parties)
    grants = []
    for aid in assess(spec).aid_by_recipient:
        by_year = aid.by_year
        if not by_year:
            continue
        parts: list[tuple[dt.date, int, tuple[int, ...]]]
        if spec.economy.budget_reservation:
            first = min(by_year)
            parts = [(grant_date if year == first else max(grant_date, dt.date(year, 1, 1)),
                      amount, (year,)) for year, amount in by_year.items()]
        else:
            parts = [(grant_date, sum(by_year.values()), tuple(by_year))]
        for date, amount, years in parts:
            if amount <= 0:
                continue
            grants.append(Grant(aid.party.org_number, aid.party.name, spec.partnership.name,
                                spec.partnership.case_number, file, date, bool(decisions),
                                amount, eur_rate, rate is None, ground, grantor, years))
    return grants


def per_organisation(grants: list[Grant]) -> list[Organisation]:
    """Grants grouped by organisationsnummer, each grant's three-year window, and a
    warning for every window above a ceiling."""
    settings = DEFAULT_SETTINGS
    general_ceiling = Decimal(settings.de_minimis_eur)
    sgei_ceiling = Decimal(settings.sgei_de_minimis_eur)
    by_org: dict[str, Organisation] = {}
    for grant in sorted(grants, key=lambda g: (g.org_number, g.date, g.agreement)):
        org = by_org.setdefault(grant.org_number, Organisation(grant.org_number, []))
        if grant.recipient not in org.names:
            org.names.append(grant.recipient)
        org.grants.append(grant)
    for org in by_org.values():
        reported: set[frozenset[tuple[str, dt.date]]] = set()
        # The grants are in date order, so a window is the slice between two dates
        # (found by bisection, not by reading every grant for every window).
        dates = [g.date for g in org.grants]
        for grant in org.grants:
            start = _three_years_before(grant.date)
            window = Window(grant.date, org.grants[bisect_right(dates, start):
                                                   bisect_right(dates, grant.date)])
            org.windows.append(window)
            key = frozenset((g.file, g.date) for g in window.grants)
            over_general = window.general_eur > general_ceiling
            over_total = window.total_eur > sgei_ceiling
            if (over_general or over_total) and key not in reported:
                reported.add(key)
                agreements = sorted({g.agreement for g in window.grants})
                which = ("taket för stöd av mindre betydelse, 300 000 euro" if over_general
                         else "taket för stöd av mindre betydelse för SGEI, 750 000 euro")
                amount = window.general_eur if over_general else window.total_eur
                org.warnings.append(
                    f"{org.names[0]} ({org.org_number}) får {_grouped(amount)} euro i stöd av "
                    f"mindre betydelse under de tre åren fram till {grant.date.isoformat()}, "
                    f"över {which}, genom {len(agreements)} "
                    f"{'avtal' if len(agreements) != 1 else 'avtal'}: "
                    f"{'; '.join(agreements)}. Stödet kan då inte lämnas som stöd av mindre "
                    "betydelse. Lägg också till stöd från andra givare och från företag som "
                    "organisationen kontrollerar eller kontrolleras av, som iopkit inte ser.")
    return sorted(by_org.values(), key=lambda o: (o.names[0].casefold(), o.org_number))


def _grouped(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", "\u00a0")
