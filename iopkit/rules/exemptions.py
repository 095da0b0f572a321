"""`iopkit_undantag`: silencing a rule for a stated reason, and checking the exemptions.

An exemption `{regel: IOP104, motivering: …}` marks every IOP104 finding as silenced
(kept in the list, `silenced=True`, `silence_reason` = the motivering): `check` hides it
from the text output, counts it in the summary and shows it in JSON. The model already
requires `motivering`. Here: an exemption naming no known rule is an error (IOP190), and
one that silences nothing is an information (IOP191), so stale exemptions get noticed
without failing `--strict`.
"""

from __future__ import annotations

from typing import Iterable

from ..spec.findings import Finding, Severity
from .registry import EXEMPTION_STAGE, SPEC_STAGE, Hit, RuleContext, iter_stage, rule

SOURCE = "iopkit: `iopkit_undantag` i partnerskapsbeskrivningen"


def _normalise(code: str) -> str:
    return code.strip().upper()


def _exemptable_codes() -> list[str]:
    """Warnings and informations. An error (payment per unit, penalties, money without a
    recipient) makes the agreement something other than an IOP: no reason can silence it."""
    return [r.code for r in iter_stage(SPEC_STAGE) if r.severity is not Severity.ERROR]


def _error_codes() -> list[str]:
    return [r.code for r in iter_stage(SPEC_STAGE) if r.severity is Severity.ERROR]


@rule(code="IOP190", severity=Severity.ERROR,
      title="Undantag för okänd regel",
      trigger="`iopkit_undantag[].regel` är inte koden för en regel som kan undantas",
      source=SOURCE, stage=EXEMPTION_STAGE)
def unknown_rule(ctx: RuleContext) -> Iterable[Hit]:
    codes = _exemptable_codes()
    for index, exemption in enumerate(ctx.spec.exemptions):
        code = _normalise(exemption.rule)
        if code in codes:
            continue
        if code.startswith("IOP0") or code in ("IOP190", "IOP191"):
            why = (f"{code} är en kontroll av själva formatet och kan inte undantas; rätta "
                   "det som anmärkningen gäller i stället.")
        elif code in _error_codes():
            why = (f"{code} är ett fel, inte en varning: avtalet kan inte vara ett IOP så "
                   "länge det finns kvar, och inget undantag kan ändra det. Rätta det som "
                   "felet gäller i stället.")
        else:
            why = f"\"{exemption.rule}\" är inte koden för någon regel i iopkit."
        yield Hit(("iopkit_undantag", index, "regel"), (
            f"{why} Regler som kan undantas: {', '.join(codes)}. `iopkit regler` visar vad "
            "varje regel gäller."))


@rule(code="IOP191", severity=Severity.INFO,
      title="Undantag som inte behövs",
      trigger="ett undantag i `iopkit_undantag` gäller en regel som inte ger någon anmärkning",
      source=SOURCE, stage=EXEMPTION_STAGE)
def unused_exemption(ctx: RuleContext) -> Iterable[Hit]:
    # Computed in apply_exemptions, which knows what each exemption silenced.
    unused = ctx.cache.get("unused_exemptions", [])
    for index, code, earlier in unused:  # type: ignore[attr-defined]
        if earlier is not None:
            message = (f"Regeln {code} undantas redan i `iopkit_undantag[{earlier}]`. Ta bort "
                       "det ena undantaget.")
        else:
            message = (f"Undantaget för {code} behövs inte: regeln ger ingen anmärkning för "
                       "den här beskrivningen. Ta bort undantaget, så att regeln syns om den "
                       "börjar gälla efter en ändring.")
        yield Hit(("iopkit_undantag", index), message)


def apply_exemptions(ctx: RuleContext, findings: list[Finding]) -> list[Finding]:
    """Silence the findings the spec exempts (in place) and return the findings about
    the exemptions themselves."""
    known = set(_exemptable_codes())
    first_index: dict[str, int] = {}
    unused: list[tuple[int, str, int | None]] = []
    for index, exemption in enumerate(ctx.spec.exemptions):
        code = _normalise(exemption.rule)
        if code not in known:
            continue  # IOP190
        if code in first_index:
            unused.append((index, code, first_index[code]))
            continue
        first_index[code] = index
        matched = [f for f in findings if f.code == code]
        for finding in matched:
            finding.silenced = True
            finding.silence_reason = exemption.reason
        if not matched:
            unused.append((index, code, None))
    ctx.cache["unused_exemptions"] = unused
    out: list[Finding] = []
    for meta in iter_stage(EXEMPTION_STAGE):
        out.extend(meta.run(ctx))
    return out

