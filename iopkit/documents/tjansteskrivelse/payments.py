"""The memo's payments per budget year (R4 18): with avtalsår that are not calendar years,
the cost is split over the calendar years by time (spec/yearly.py, calendar_split), but
the money leaves when the agreement pays it. Ekonomi staff need both (IOP.md, "The
decision", Money: "The memo states how each year is financed").

Derived only when the payment text names one day for each instalment ("halvårsvis …
senast den 1 mars och den 1 september"): each named day falls once in every avtalsår,
on its first occurrence from the avtalsår's start. Otherwise nothing is said."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


def _first_on_or_after(day: dt.date, start: dt.date) -> dt.date | None:
    """The named day-month's first occurrence on or after `start` (29 February: None in
    a year without it)."""
    for year in (start.year, start.year + 1):
        try:
            candidate = dt.date(year, day.month, day.day)
        except ValueError:
            continue
        if candidate >= start:
            return candidate
    return None


def payments_per_budget_year(context: dict[str, Any], own_recipients: set[str]
                             ) -> dict[int, int]:
    """Kronor paid out per calendar year to the recipients of the memo's party, or {}
    when the payment days cannot be read or every avtalsår is not a full year."""
    from ...rules.decisions import payment_dates

    years = context["avtalsår"]
    text = (context["ekonomi"]["utbetalning"] or "")[:20_000]
    if not years or not text or context["kalenderår"]:
        return {}
    # Recurring days only ("den 1 mars"); a date with its year is one payment.
    named = [day for written, day in payment_dates(text, years[0]["start"])
             if not re.search(r"\d{4}", written)]
    instalments = [u for u in context["utbetalningar"] if u["part"]["id"] in own_recipients]
    if not instalments or any(len(named) != _count(u) for u in instalments):
        return {}
    out: dict[int, int] = {}
    for entry in years:
        if entry["år"] not in instalments[0]["per_år"]:
            return {}  # a short avtalsår: not split into the same instalments
        for day in named:
            when = _first_on_or_after(day, entry["start"])
            if when is None or when > entry["slut"]:
                return {}
            amount = sum(u["per_år"].get(entry["år"], 0) for u in instalments)
            out[when.year] = out.get(when.year, 0) + amount
    return dict(sorted(out.items()))


def _count(instalment: dict[str, Any]) -> int:
    """How many instalments an avtalsår has: 'en fjärdedel' -> 4."""
    share = str(instalment.get("andel") or "")
    return {"hälften": 2, "en fjärdedel": 4, "en tolftedel": 12}.get(share, 0)
