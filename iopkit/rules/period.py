"""The agreement period: long-term but limited, with review and a bounded extension."""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule, word_pattern
from .state_aid import add_years, number_word

ALINGSAS = ("Kammarrätten i Göteborg, mål 3556-18 (2019): ett IOP i Alingsås, med "
            "förlängning utan gräns, som domstolen behandlade som en upphandling")


def _longer_than(ctx: RuleContext, years: int) -> bool:
    period = ctx.spec.period
    limit = add_years(period.start, years)
    return limit is not None and period.end >= limit


@rule(code="IOP130", severity=Severity.WARNING,
      title="Lång avtalsperiod",
      trigger="`avtalsperiod` är längre än fyra år",
      source=f"{ALINGSAS}; jfr LOU 7 kap. 2 § (ramavtal högst fyra år)")
def period_too_long(ctx: RuleContext) -> Iterable[Hit]:
    limit = ctx.settings.max_period_years
    if _longer_than(ctx, limit):
        period = ctx.spec.period
        yield Hit(("avtalsperiod", "slut"), (
            f"Avtalsperioden {period.start.isoformat()}–{period.end.isoformat()} är längre "
            f"än {number_word(limit)} år. Ett långt avtal utan omprövning liknar ett "
            "kontrakt och låser verksamheten. Korta perioden och låt parterna pröva en "
            "förlängning när den löper ut, eller motivera längden i `iopkit_undantag`."))


@rule(code="IOP131", severity=Severity.WARNING,
      title="Förlängning utan gräns",
      trigger=("`avtalsperiod.förlängning` innehåller \"tills vidare\", \"obegränsat\", "
               "\"automatiskt\" eller liknande"),
      source=ALINGSAS)
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
            f"Förlängningen är utan gräns (\"{word}\"). En förlängning som löper "
            "automatiskt eller tills vidare fanns i det IOP i Alingsås som domstolen "
            "behandlade som en upphandling. Ange en gräns, till exempel \"kan förlängas med högst "
            "två år genom skriftlig överenskommelse\"."), line, column)


@rule(code="IOP132", severity=Severity.WARNING,
      title="Långt avtal utan förlängningsvillkor",
      trigger="`avtalsperiod` är längre än tre år och `förlängning` saknas",
      source=f"{ALINGSAS}; kommunala riktlinjer för IOP (bland andra Uddevalla, Borås)")
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
      source="kommunala riktlinjer för IOP (bland andra Uddevalla, Borås); SKR (2018) om "
             "utveckling av IOP")
def long_without_evaluation(ctx: RuleContext) -> Iterable[Hit]:
    years = ctx.settings.long_period_years
    if ctx.spec.follow_up.evaluation is None and _longer_than(ctx, years):
        yield Hit(("uppföljning",), (
            f"Avtalet löper i mer än {number_word(years)} år men det står inte hur "
            "partnerskapet ska utvärderas. Beskriv utvärderingen i `uppföljning.utvärdering`, "
            "så att parterna har ett underlag när de prövar en förlängning."))
