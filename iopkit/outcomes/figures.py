"""What iopkit derives from a follow-up file (UTFALL.md, "What iopkit derives"):

- per indicator and year: the value, the machine-readable target and whether it was met
  (`minst N`: value ≥ N; `högst N`: value ≤ N; a bare `N` is shown beside N, not
  judged), the baseline and the change from the year before;
- per recipient and year: granted by the agreement, received, used, unused; unused
  money under `ekonomi.outnyttjade_medel`: `får behållas` carries it to the next year of
  the period and makes what is left after the last year repayable; `återbetalas` makes
  it repayable for that year; received more or less than granted is flagged;
- the report deadline of each year, and what is late or missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..schedule import follow_up_report_days
from .model import IndicatorValue, Outcomes

#: "minst 15 000", "högst 5 %", "600", "75 procent": the target forms the report judges.
_TARGET = re.compile(
    r"^\s*(?P<op>minst|högst)?\s*(?P<n>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)"
    r"\s*(?P<unit>%|procent)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    operator: str  # "minst", "högst" or "" (a bare number: shown, not judged)
    number: float
    unit: str  # "%" or ""

    def met(self, value: float) -> bool | None:
        if self.operator == "minst":
            return value >= self.number
        if self.operator == "högst":
            return value <= self.number
        return None


def parse_target(text: str | None) -> Target | None:
    """The target when `målvärde` is machine-readable, else None (shown as written)."""
    if not text or len(text) > 60:
        return None
    match = _TARGET.match(text)
    if not match:
        return None
    number = float(re.sub(r"[ \u00a0\u202f]", "", match["n"]).replace(",", "."))
    unit = "%" if match["unit"] else ""
    return Target((match["op"] or "").lower(), number, unit)


@dataclass
class IndicatorYear:
    year: int
    value: float | None
    comment: str | None
    met: bool | None
    change: float | None  # from the year before, when both have a value


@dataclass
class IndicatorSeries:
    ref: str
    goal_id: str
    description: str
    target_text: str | None
    target: Target | None
    baseline: float | None
    baseline_year: int | None
    source: str | None
    years: list[IndicatorYear] = field(default_factory=list)

    @property
    def missing_years(self) -> list[int]:
        return [y.year for y in self.years if y.value is None]


def indicator_series(outcomes: Outcomes, spec: Any, years: list[int]) -> list[IndicatorSeries]:
    from .check import indicator_refs

    by_indicator: dict[int, IndicatorSeries] = {}
    series: list[IndicatorSeries] = []
    for goal in spec.goals:
        for number, indicator in enumerate(goal.indicators, 1):
            item = IndicatorSeries(
                indicator.id or f"{goal.id}.{number}", goal.id, indicator.description,
                indicator.target, parse_target(indicator.target), indicator.baseline,
                indicator.baseline_year, indicator.source)
            by_indicator[id(indicator)] = item
            series.append(item)
    refs = indicator_refs(spec)
    values: dict[tuple[int, int], tuple[float, str | None]] = {}
    for entry in outcomes.years:
        for ref, raw in entry.indicators.items():
            if ref in refs:
                _, indicator, _ = refs[ref]
                if isinstance(raw, IndicatorValue):
                    values[(id(indicator), entry.year)] = (raw.value, raw.comment)
                else:
                    values[(id(indicator), entry.year)] = (float(raw), None)
    for key, item in by_indicator.items():
        previous: float | None = None
        for year in years:
            value, comment = values.get((key, year), (None, None))
            met = item.target.met(value) if item.target and value is not None else None
            change = value - previous if value is not None and previous is not None else None
            item.years.append(IndicatorYear(year, value, comment, met, change))
            previous = value
    return series


@dataclass
class MoneyYear:
    year: int
    granted: int
    conditional: bool  # later year under a budget reservation
    received: int | None
    used: int | None
    carried_in: int = 0
    unused: int | None = None  # received + carried_in - used
    carried_out: int = 0
    to_repay: int = 0
    overspent: int = 0

    @property
    def received_differs(self) -> bool:
        return self.received is not None and self.received != self.granted


@dataclass
class RecipientMoney:
    recipient: Any  # the idéburen Party
    givers: list[Any]  # the public parties whose money it receives
    years: list[MoneyYear] = field(default_factory=list)

    @property
    def to_repay(self) -> int:
        return sum(y.to_repay for y in self.years)


def granted_per_recipient(spec: Any) -> dict[str, tuple[dict[int, int], list[Any]]]:
    """Kronor per calendar year that the agreement grants each idéburen party, and the
    public parties that give it."""
    nonprofit = spec.nonprofit_parties
    granted: dict[str, tuple[dict[int, int], list[Any]]] = {}
    for resource in spec.resources:
        giver = spec.party(resource.party)
        if not resource.is_money or giver is None or not giver.is_public:
            continue
        recipient = resource.recipient or (nonprofit[0].id if len(nonprofit) == 1 else None)
        if recipient is None:
            continue
        per_year, givers = granted.setdefault(recipient, ({}, []))
        for year, amount in (resource.by_year(spec.period) or {}).items():
            per_year[year] = per_year.get(year, 0) + amount
        if giver not in givers:
            givers.append(giver)
    return granted


def reconcile(outcomes: Outcomes, spec: Any, years: list[int]) -> list[RecipientMoney]:
    """The money per recipient and year, up to the last year in `years`."""
    keep = spec.economy.unused_funds == "får behållas"
    last_period_year = spec.period.end.year
    first_year = spec.period.start.year
    recipients: list[RecipientMoney] = []
    granted = granted_per_recipient(spec)
    reported = {pid for entry in outcomes.years for pid in entry.money}
    for party in spec.nonprofit_parties:
        if party.id not in granted and party.id not in reported:
            continue
        per_year, givers = granted.get(party.id, ({}, []))
        item = RecipientMoney(party, givers)
        carried = 0
        for year in years:
            entry = outcomes.year(year)
            money = entry.money.get(party.id) if entry else None
            row = MoneyYear(year, per_year.get(year, 0),
                            bool(spec.economy.budget_reservation and year > first_year),
                            money.received if money else None, money.used if money else None,
                            carried_in=carried)
            if money is not None:
                balance = money.received + carried - money.used
                row.unused = max(balance, 0)
                row.overspent = max(-balance, 0)
                if keep and year < last_period_year:
                    row.carried_out = row.unused
                else:
                    row.to_repay = row.unused
            carried = row.carried_out
            item.years.append(row)
        recipients.append(item)
    return recipients


def late_reports(outcomes: Outcomes, spec: Any) -> list[tuple[int, dt.date, dt.date]]:
    """(year, submitted, deadline) for each report submitted after its deadline."""
    late = []
    report_days = follow_up_report_days(spec)
    for entry in outcomes.years:
        due = report_days.get(entry.year)
        if entry.submitted and due and entry.submitted > due[0]:
            late.append((entry.year, entry.submitted, due[0]))
    return late


def missing_years(outcomes: Outcomes, spec: Any, until: int) -> list[int]:
    """Period years up to `until` with no entry in the follow-up file."""
    have = {entry.year for entry in outcomes.years}
    return [y for y in range(spec.period.start.year, until + 1) if y not in have]
