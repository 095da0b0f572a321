"""The decisions behind the agreement (`process.beslut`): dates that cannot be right.

A decision's protocol is announced after the decision (kommunallagen 13 kap. 5 §: the
appeal period runs from that announcement), so an `anslaget` before the decision's
`datum` is an error. A public party that decides after the agreement has started has
let the agreement run without a decision: a warning, to be explained.
"""

from __future__ import annotations

from typing import Iterable

from ..format import datum_lang
from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule
from .sources import KL, KL_APPEAL, cite


@rule(code="IOP134", severity=Severity.ERROR,
      title="Anslaget före beslutet",
      trigger="ett beslut i `process.beslut` har `anslaget` före sitt `datum`",
      source=KL_APPEAL)
def posted_before_decision(ctx: RuleContext) -> Iterable[Hit]:
    process = ctx.spec.process
    if process is None:
        return
    for index, decision in enumerate(process.decisions):
        if decision.posted is not None and decision.posted < decision.date:
            yield Hit(("process", "beslut", index, "anslaget"), (
                f"Protokollet med {decision.body}s beslut {datum_lang(decision.date)} kan "
                f"inte ha anslagits {datum_lang(decision.posted)}, före beslutet. "
                "Tiden för laglighetsprövning räknas från den dag då justeringen av "
                "protokollet tillkännagavs på anslagstavlan (kommunallagen (2017:725) 13 kap. "
                "5 §). Rätta `datum` eller `anslaget`."), todo=(
                f"Datum för {decision.body}s beslut och för anslaget av protokollet stämmer "
                "inte: protokollet anges ha anslagits före beslutet. Datumen behöver rättas."))


@rule(code="IOP135", severity=Severity.WARNING,
      title="Beslut efter avtalets start",
      trigger=("en offentlig parts första beslut i `process.beslut` (beslutet om avtalet) "
               "är daterat efter `avtalsperiod.start`"),
      source=cite(KL, KL_APPEAL))
def decision_after_start(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    if spec.process is None:
        return
    start = spec.period.start
    # Only each public party's first decision is its decision on the agreement; later
    # ones (an amendment, a renewal) are naturally taken while the agreement runs.
    first: dict[str, int] = {}
    for index, decision in enumerate(spec.process.decisions):
        known = first.get(decision.party)
        if known is None or decision.date < spec.process.decisions[known].date:
            first[decision.party] = index
    for party_id, index in first.items():
        decision = spec.process.decisions[index]
        party = spec.party(party_id)
        if party is None or not party.is_public or decision.date <= start:
            continue
        yield Hit(("process", "beslut", index, "datum"), (
            f"{decision.body[:1].upper()}{decision.body[1:]} beslutar "
            f"{datum_lang(decision.date)}, efter att avtalet ska börja gälla "
            f"{datum_lang(start)}. Avtalet kan inte gälla och inga medel kan betalas ut innan "
            "det är beslutat, och beslutet kan överklagas i tre veckor efter att protokollet "
            "anslagits. Flytta avtalets start till efter beslutet, eller motivera i "
            "`iopkit_undantag` varför beslutet får avse en tid som redan har börjat."))
