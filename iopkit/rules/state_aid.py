"""State aid: the public parties' money against the de minimis ceilings.

The amount compared is the public parties' `ekonomiska medel` per year, prorated over
the agreement period (whole years, then the remaining days as a share of that year),
and at most over the three years the ceilings are measured over. It is converted to
euro at the rate from `--eurokurs`, else `rättslig_bedömning.eurokurs`, else iopkit's
documented default (settings.py). In-kind resources are not counted.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

from ..spec.findings import KeyPath, Severity
from .registry import Hit, RuleContext, rule

SOURCE = ("kommissionens förordning (EU) 2023/2831 (de minimis, 300 000 euro under tre år); "
          "kommissionens förordning (EU) 2023/2832 (de minimis för SGEI, 750 000 euro under "
          "tre år); kommissionens beslut 2012/21/EU (SGEI)")


def format_amount(value: Decimal | Fraction | int) -> str:
    """A whole number in Swedish form: groups of three with a non-breaking space
    (rounded half up, exactly, however large)."""
    whole = math.floor(Fraction(value) + Fraction(1, 2))
    return f"{whole:,}".replace(",", "\u00a0")


_NUMBER_WORDS = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}


def number_word(number: int) -> str:
    return _NUMBER_WORDS.get(number, str(number))


def format_rate(rate: Decimal) -> str:
    return f"{rate.quantize(Decimal('0.01'))}".replace(".", ",")


def add_years(day: dt.date, years: int) -> dt.date | None:
    """The same day `years` later (28 February for 29 February in a common year), or
    None past the calendar's end (year 9999)."""
    if day.year + years > dt.MAXYEAR:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _anniversary(start: dt.date, years: int) -> int:
    """Day number (ordinal) of the `years`th anniversary of `start`, also past 9999."""
    date = add_years(start, years)
    if date is not None:
        return date.toordinal()
    return start.toordinal() + years * 146097 // 400  # average Gregorian year


def period_years(start: dt.date, end: dt.date) -> Fraction:
    """Length of the period from `start` to `end` (both included) in years: whole years
    by the calendar, then the remaining days as a share of the following year."""
    stop = end.toordinal() + 1
    whole = 0
    while _anniversary(start, whole + 1) <= stop:
        whole += 1
    anchor = _anniversary(start, whole)
    year_days = _anniversary(start, whole + 1) - anchor
    return whole + Fraction(stop - anchor, year_days)


@dataclass(frozen=True)
class PublicMoney:
    per_year: int
    years: Fraction
    total_kr: Fraction  # over the whole agreement period
    window_kr: Fraction  # over at most the ceilings' three years
    window_years: Fraction
    rate: Decimal
    rate_source: str
    first_path: KeyPath

    @property
    def window_eur(self) -> Fraction:
        return self.window_kr / Fraction(self.rate)

    def describe(self, ctx: RuleContext) -> str:
        period = ctx.spec.period
        text = (f"De offentliga parternas ekonomiska medel under avtalsperioden "
                f"{period.start.isoformat()}–{period.end.isoformat()} är "
                f"{format_amount(self.total_kr)} kr")
        if self.window_years < self.years:
            text += (f", varav {format_amount(self.window_kr)} kr under de första "
                     f"{number_word(ctx.settings.de_minimis_years)} åren")
        text += (f" ≈ {format_amount(self.window_eur)} euro (kurs {format_rate(self.rate)} "
                 f"kr/euro, {self.rate_source})")
        return text


def public_money(ctx: RuleContext) -> PublicMoney | None:
    """The public parties' money, or None when they give none."""
    if "public_money" in ctx.cache:
        return ctx.cache["public_money"]  # type: ignore[return-value]
    spec, settings = ctx.spec, ctx.settings
    public = {p.id for p in spec.public_parties}
    paths = [("resurser", i, "belopp_per_år") for i, r in enumerate(spec.resources)
             if r.party in public and r.type == "ekonomiska medel" and r.amount_per_year]
    result = None
    if paths:
        per_year = sum(spec.resources[p[1]].amount_per_year or 0 for p in paths)
        years = period_years(spec.period.start, spec.period.end)
        window_years = min(years, Fraction(settings.de_minimis_years))
        if settings.eur_rate_override is not None:
            rate, source = settings.eur_rate_override, "angiven med --eurokurs"
        elif spec.legal is not None and spec.legal.eur_rate is not None:
            rate = Decimal(str(spec.legal.eur_rate))
            source = "från rättslig_bedömning.eurokurs"
        else:
            rate, source = settings.default_eur_rate, "iopkits standardkurs"
        result = PublicMoney(per_year=per_year, years=years, total_kr=per_year * years,
                             window_kr=per_year * window_years, window_years=window_years,
                             rate=rate, rate_source=source, first_path=paths[0])
    ctx.cache["public_money"] = result
    return result


def _ceiling(ctx: RuleContext, money: PublicMoney) -> str | None:
    """Which ceilings the amount exceeds, as a Swedish phrase; None when below both."""
    s = ctx.settings
    eur = money.window_eur
    if eur > s.sgei_de_minimis_eur:
        return (f"Det är över både taket för försumbart stöd (de minimis, "
                f"{format_amount(s.de_minimis_eur)} euro under {number_word(s.de_minimis_years)} år) och taket för "
                f"de minimis-stöd till tjänster av allmänt ekonomiskt intresse (SGEI, "
                f"{format_amount(s.sgei_de_minimis_eur)} euro). Om verksamheten är ekonomisk "
                "är kommissionens SGEI-beslut 2012/21/EU (med ett tydligt uppdrag) den vanliga "
                "vägen")
    if eur > s.de_minimis_eur:
        return (f"Det är över taket för försumbart stöd (de minimis, "
                f"{format_amount(s.de_minimis_eur)} euro under {number_word(s.de_minimis_years)} år) men under taket för "
                f"de minimis-stöd till tjänster av allmänt ekonomiskt intresse (SGEI, "
                f"{format_amount(s.sgei_de_minimis_eur)} euro)")
    return None


@rule(code="IOP110", severity=Severity.WARNING,
      title="Statsstödsbedömning saknas",
      trigger=("de offentliga parternas ekonomiska medel under avtalsperioden (högst tre år), "
               "omräknade till euro, är över ett de minimis-tak och "
               "`rättslig_bedömning.statsstöd` saknas"),
      source=SOURCE)
def state_aid_assessment_missing(ctx: RuleContext) -> Iterable[Hit]:
    money = public_money(ctx)
    if money is None or (ctx.spec.legal is not None and ctx.spec.legal.state_aid is not None):
        return
    ceiling = _ceiling(ctx, money)
    if ceiling is None:
        return
    path: KeyPath = (("rättslig_bedömning", "statsstöd") if ctx.spec.legal is not None
                     else money.first_path)
    yield Hit(path, (
        f"{money.describe(ctx)}. {ceiling}. Skriv en statsstödsbedömning i "
        "`rättslig_bedömning.statsstöd`: om verksamheten är icke-ekonomisk är stödet inte "
        "statsstöd; annars ange vilket undantag som gäller."))


@rule(code="IOP111", severity=Severity.INFO,
      title="Stöd över de minimis-tak",
      trigger=("de offentliga parternas ekonomiska medel är över ett de minimis-tak och "
               "`rättslig_bedömning.statsstöd` finns"),
      source=SOURCE)
def state_aid_above_ceiling(ctx: RuleContext) -> Iterable[Hit]:
    money = public_money(ctx)
    if money is None or ctx.spec.legal is None or ctx.spec.legal.state_aid is None:
        return
    ceiling = _ceiling(ctx, money)
    if ceiling is None:
        return
    yield Hit(("rättslig_bedömning", "statsstöd"), (
        f"{money.describe(ctx)}. {ceiling}. Kontrollera att statsstödsbedömningen tar upp "
        "detta, och räkna med annat de minimis-stöd som organisationen har fått de senaste "
        "tre åren."))
