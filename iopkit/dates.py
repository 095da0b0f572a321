"""The date a draft carries: `--datum`, else SOURCE_DATE_EPOCH, else today.

The same date pins every timestamp inside the files (Word core properties, zip
entries), so rendering the same spec with the same date gives byte-identical files.
SOURCE_DATE_EPOCH is the reproducible-builds convention: seconds since 1970-01-01 UTC.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from .files import UsageProblem


def parse_date_option(text: str, option: str = "--datum") -> dt.date:
    """`--datum ÅÅÅÅ-MM-DD` (or another date option named by `option`)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(f"{option} {text!r} är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD, "
                           f"till exempel {option} 2026-05-04.") from None


def default_date() -> dt.date:
    """SOURCE_DATE_EPOCH when it is set, else today's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageProblem(
                f"Miljövariabeln SOURCE_DATE_EPOCH={epoch!r} är inget giltigt antal sekunder "
                "sedan 1970-01-01. Rätta eller ta bort den, eller ange --datum ÅÅÅÅ-MM-DD."
            ) from None
    return dt.date.today()


def approving_decisions(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The public parties' decisions that approved the agreement before the draft's
    date (`process.beslut`), one per public party; empty unless every public party has
    decided. The agreement is then the approved text, no longer an "UTKAST" dated after
    the decision it records (IOP.md, "The decision", Dates)."""
    draft = context["utkast_datum"]
    out = []
    for party in context["offentliga_parter"]:
        taken = [d for d in context["process"]["beslut"]
                 if d["part"] is party and d["datum"] is not None and d["datum"] < draft]
        if not taken:
            return []
        out.append(max(taken, key=lambda d: d["datum"]))
    return out
