"""The agreement period: long-term but limited, with review and a bounded extension, and
dates that agree with each other (a last avtalsår of a few days, an annual report due
before the financial report it builds on).

These are quality rules with the kommuner's own IOP guidelines as source. The length of
the period or an open-ended extension was not what HFD 2020 ref. 15 decided, so no rule
here cites it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from ..spec.findings import Severity
from ..spec.yearly import contract_years
from .registry import Hit, RuleContext, rule, word_pattern
from .sources import FORUM, IOPKIT, MUNICIPAL, SKR, cite
from .state_aid import add_years, format_amount, number_word


def _longer_than(ctx: RuleContext, years: int) -> bool:
    period = ctx.spec.period
    limit = add_years(period.start, years)
    return limit is not None and period.end >= limit


@rule(code="IOP130", severity=Severity.WARNING,
      title="Lång avtalsperiod",
      trigger="`avtalsperiod` är längre än fyra år",
      source=cite(MUNICIPAL, FORUM))
def period_too_long(ctx: RuleContext) -> Iterable[Hit]:
    limit = ctx.settings.max_period_years
    if _longer_than(ctx, limit):
        period = ctx.spec.period
        yield Hit(("avtalsperiod", "slut"), (
            f"Avtalsperioden {period.start.isoformat()}–{period.end.isoformat()} är längre "
            f"än {number_word(limit)} år. Ett IOP ska vara långsiktigt men prövas med jämna "
            "mellanrum, så att parterna kan ändra det när behoven ändras; kommunernas "
            "riktlinjer för IOP anger ofta högst fyra år. Korta perioden och låt parterna "
            "pröva en förlängning när den löper ut, eller motivera längden i "
            "`iopkit_undantag`."))


@rule(code="IOP131", severity=Severity.WARNING,
      title="Förlängning utan gräns",
      trigger=("`avtalsperiod.förlängning` innehåller \"tills vidare\", \"obegränsat\", "
               "\"automatiskt\" eller liknande"),
      source=cite(MUNICIPAL))
def open_ended_extension(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.period.extension is None:
        return
    path = ("avtalsperiod", "förlängning")
    pattern = word_pattern(ctx.settings.open_ended_words)
    text = ctx.document.get(path)
    match = pattern.search(text) if isinstance(text, str) else None
    if match:
        line, column = ctx.locate(path, pattern)
        word = " ".join(match.group(0).split())
        yield Hit(path, (
            f"Förlängningen är utan gräns (\"{word}\"). Ett partnerskap som förlängs "
            "automatiskt eller tills vidare prövas aldrig på nytt mot behoven, och de beslut "
            "som parternas nämnd och styrelse fattade gäller en bestämd period. Ange en "
            "gräns och en gemensam omprövning, till exempel \"kan förlängas med högst två "
            "år genom skriftlig överenskommelse\"."), line, column)


@rule(code="IOP132", severity=Severity.WARNING,
      title="Långt avtal utan förlängningsvillkor",
      trigger="`avtalsperiod` är längre än tre år och `förlängning` saknas",
      source=cite(MUNICIPAL))
def long_without_extension_text(ctx: RuleContext) -> Iterable[Hit]:
    years = ctx.settings.long_period_years
    if ctx.spec.period.extension is None and _longer_than(ctx, years):
        yield Hit(("avtalsperiod",), (
            f"Avtalet löper i mer än {number_word(years)} år men säger inget om vad som "
            "händer när perioden är slut. Skriv i `avtalsperiod.förlängning` om avtalet kan "
            "förlängas (med en gräns och efter en gemensam omprövning) eller att det upphör "
            "vid periodens slut."))


@rule(code="IOP133", severity=Severity.INFO,
      title="Långt avtal utan utvärdering",
      trigger="`avtalsperiod` är längre än tre år och `uppföljning.utvärdering` saknas",
      source=cite(MUNICIPAL, SKR))
def long_without_evaluation(ctx: RuleContext) -> Iterable[Hit]:
    years = ctx.settings.long_period_years
    if ctx.spec.follow_up.evaluation is None and _longer_than(ctx, years):
        yield Hit(("uppföljning",), (
            f"Avtalet löper i mer än {number_word(years)} år men det står inte hur "
            "partnerskapet ska utvärderas. Beskriv utvärderingen i `uppföljning.utvärdering`, "
            "så att parterna har ett underlag när de prövar en förlängning."))


_YEAR_AFTER = re.compile(r"\båret\s+efter\b", re.I)


@rule(code="IOP137", severity=Severity.WARNING,
      title="\"Året efter\" när avtalsåren inte är kalenderår",
      trigger=("`avtalsperiod.start` är inte den 1 januari och `ekonomi.redovisning` eller "
               "`uppföljning.årsrapport` säger \"året efter\""),
      source=IOPKIT)
def year_after_with_contract_years(ctx: RuleContext) -> Iterable[Hit]:
    """"Senast den 31 mars året efter" reads one way for calendar years and two ways for
    avtalsår from 1 March (the year after the avtalsår ends, or after it begins). iopkit
    and the agreement count the first such day after the avtalsår ends."""
    from ..schedule import MONTHS, agreement_due, stated_day

    period = ctx.spec.period
    if (period.start.month, period.start.day) == (1, 1):
        return
    years = contract_years(period.start, period.end)
    for path in (("ekonomi", "redovisning"), ("uppföljning", "årsrapport")):
        text = ctx.document.get(path)
        if not isinstance(text, str) or not _YEAR_AFTER.search(text):
            continue
        day_month = stated_day(text)
        example = ""
        if day_month is not None and years:
            due = agreement_due(day_month, years[0].end)
            example = (f" För det första avtalsåret, som slutar {years[0].end.isoformat()}, "
                       f"räknar avtalet med {due.isoformat()}.")
        day = (f"den {day_month[0]} {MONTHS[day_month[1] - 1]}" if day_month
               else "den 31 mars")
        line, column = ctx.locate(path, _YEAR_AFTER)
        yield Hit(path, (
            f"Avtalsåren börjar den {period.start.day} {MONTHS[period.start.month - 1]}, så "
            "\"året efter\" kan läsas både som året efter det år då avtalsåret slutar och "
            f"som året efter det år då det börjar.{example} Skriv till exempel \"senast "
            f"{day} närmast efter avtalsårets slut\" i `{'.'.join(path)}`."), line, column)


@rule(code="IOP192", severity=Severity.WARNING,
      title="Sista avtalsåret är bara några dagar",
      trigger=("det sista avtalsåret i `avtalsperiod` är högst 31 dagar, till exempel när "
               "perioden slutar den 1 januari"),
      source=IOPKIT)
def short_last_year(ctx: RuleContext) -> Iterable[Hit]:
    period = ctx.spec.period
    years = contract_years(period.start, period.end)
    if len(years) < 2:
        return
    last = years[-1]
    if last.days > ctx.settings.short_last_year_days:
        return
    label = last.label((period.start.month, period.start.day) == (1, 1))
    days = "en dag" if last.days == 1 else f"{last.days} dagar"
    money = []
    for resource in ctx.spec.resources:
        by_year = resource.by_year(period)
        if resource.is_money and by_year and by_year.get(last.key):
            money.append(by_year[last.key])
    amount = (f" Det ger {format_amount(sum(money))} kr i ekonomiska medel för {label}."
              if money else "")
    day_before = last.start - dt.timedelta(days=1)
    yield Hit(("avtalsperiod", "slut"), (
        f"Avtalsperioden slutar {period.end.isoformat()}, {days} in i ett nytt avtalsår "
        f"({label}), så avtalet får ett extra år i tabellerna och summorna.{amount} "
        f"Menade ni att perioden skulle sluta {day_before.isoformat()}? Ändra "
        "`avtalsperiod.slut`, eller motivera de extra dagarna i `iopkit_undantag`."))


@rule(code="IOP193", severity=Severity.WARNING,
      title="Årsrapporten före den ekonomiska redovisningen",
      trigger=("`uppföljning.årsrapport` anger en dag som kommer före den dag som "
               "`ekonomi.redovisning` anger"),
      source=IOPKIT)
def annual_report_before_accounts(ctx: RuleContext) -> Iterable[Hit]:
    from ..schedule import MONTHS, stated_day

    annual = stated_day(ctx.spec.follow_up.annual_report)
    accounts = stated_day(ctx.spec.economy.reporting)
    if annual is None or accounts is None:
        return
    if (annual[1], annual[0]) >= (accounts[1], accounts[0]):
        return

    def day(dm: tuple[int, int]) -> str:
        return f"den {dm[0]} {MONTHS[dm[1] - 1]}"

    yield Hit(("uppföljning", "årsrapport"), (
        f"Årsrapporten ska lämnas senast {day(annual)}, men den ekonomiska redovisningen "
        f"som den bygger på lämnas först senast {day(accounts)}. Flytta årsrapporten till "
        "efter redovisningen i `uppföljning.årsrapport`, eller redovisningen till före "
        "årsrapporten i `ekonomi.redovisning`."))
