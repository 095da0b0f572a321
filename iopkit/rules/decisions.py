"""The decisions behind the agreement (`process.beslut`): dates that cannot be right.

A decision's protocol is announced after the decision (kommunallagen 13 kap. 5 §: the
appeal period runs from that announcement), so an `anslaget` before the decision's
`datum` is an error. A public party that decides after the agreement has started has
let the agreement run without a decision: a warning, to be explained.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable, Iterator

from ..format import datum_lang
from ..spec.findings import Severity
from .registry import Hit, RuleContext, rule
from .sources import DE_MINIMIS, KL, KL_APPEAL, cite

if TYPE_CHECKING:
    from ..spec.model import Decision, Spec


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


@rule(code="IOP136", severity=Severity.WARNING,
      title="Avtalet börjar innan tiden för överklagande har gått ut",
      trigger=("en kommuns eller regions beslut i `process.beslut` har `anslaget`, och "
               "tiden för överklagande (tre veckor från anslaget) går ut på eller efter "
               "`avtalsperiod.start`"),
      source=KL_APPEAL)
def start_before_appeal_ends(ctx: RuleContext) -> Iterable[Hit]:
    """Signing waits for the appeal period (IOP.md, "The process"); an agreement that
    starts before it has run is signed, or runs, before the decision has vunnit laga
    kraft. Only with `anslaget`: without it the last day is not known (the checklist asks
    for it), and a warning on an estimate would fault every spec that plans its meeting
    a few weeks before the start."""
    spec = ctx.spec
    if spec.process is None:
        return
    start = spec.period.start
    for index, decision in enumerate(spec.process.decisions):
        party = spec.party(decision.party)
        if party is None or party.type not in ("kommun", "region") or decision.date > start:
            continue  # a decision after the start is IOP135
        if decision.posted is None:
            continue
        last = ctx.facts.appeal_deadline(decision.posted)
        if last < start:
            continue
        yield Hit(("process", "beslut", index, "anslaget"), (
            f"{decision.body[:1].upper()}{decision.body[1:]}s beslut "
            f"{datum_lang(decision.date)} kan överklagas till och med "
            f"{datum_lang(last)}, men avtalet ska börja gälla {datum_lang(start)}. Avtalet "
            "skrivs då under och börjar gälla innan beslutet har vunnit laga kraft; upphävs "
            "beslutet efter en laglighetsprövning kan utbetalda medel behöva krävas tillbaka "
            "(kommunallagen (2017:725) 13 kap.). Ändra sammanträdet till ett tidigare datum "
            "eller avtalets start till ett senare, eller beskriv i tjänsteskrivelsen att "
            "avtalet skrivs under innan beslutet har vunnit laga kraft och vad det innebär."))


_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")
#: "den 15 januari", "15 januari 2027" or "2027-01-15": bounded quantifiers, one linear
#: pass over the text.
_PAYMENT_DATE = re.compile(
    r"\b(?:(\d{1,2})\s{1,3}(" + "|".join(_MONTHS) + r")(?:\s{1,3}(\d{4}))?"
    r"|(\d{4})-(\d{2})-(\d{2}))\b", re.IGNORECASE)


def payment_dates(text: str, start: dt.date) -> Iterator[tuple[str, dt.date]]:
    """The dates a payment text names, as written and as a date. A date without a year
    ("den 15 januari") recurs every year: its first occurrence on or after `start`'s
    1 January is the one that can come too early."""
    for match in _PAYMENT_DATE.finditer(text):
        try:
            if match[4]:
                day = dt.date(int(match[4]), int(match[5]), int(match[6]))
            else:
                year = int(match[3]) if match[3] else start.year
                day = dt.date(year, _MONTHS.index(match[2].lower()) + 1, int(match[1]))
        except ValueError:
            continue  # not a date (31 februari): nothing to compare
        yield " ".join(match[0].split()), day


@rule(code="IOP186", severity=Severity.WARNING,
      title="Utbetalning före start eller beslut",
      trigger=("`ekonomi.utbetalning` nämner ett datum (med år, eller ett återkommande datum "
               "under startåret) före `avtalsperiod.start` eller före en offentlig parts "
               "beslut i `process.beslut`"),
      source=KL)
def payment_before_start(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    text = (spec.economy.disbursement or "")[:20_000]  # a payment clause, not a book
    start = spec.period.start
    # Each public party's first decision is its decision on the agreement (as in
    # IOP135); later ones (an amendment, a renewal) come while payments already run.
    first: dict[str, dt.date] = {}
    for d in spec.process.decisions if spec.process else []:
        party = spec.party(d.party)
        if party is not None and party.is_public:
            first[d.party] = min(first.get(d.party, d.date), d.date)
    decision = max(first.values()) if first else None
    for written, day in payment_dates(text, start):
        # The memo and the agreement quote this text: a date the nämnd reads must hold.
        yearless = not re.search(r"\d{4}", written)
        if yearless and day < start:
            continue  # the first such day falls in the next year, after the start
        if decision is not None and day < decision:
            why = (f"före den offentliga partens beslut om avtalet {datum_lang(decision)}. "
                   "Inga medel kan betalas ut innan beslutet är fattat")
        elif day < start:
            why = (f"före avtalets start {datum_lang(start)}. Avtalet gäller först från "
                   "den dagen, och en utbetalning före dess ligger utanför avtalet")
        else:
            continue
        shown = datum_lang(day) if yearless else written
        path = ("ekonomi", "utbetalning")
        line, column = ctx.locate(path, re.compile(re.escape(written.split()[0])))
        yield Hit(path, (
            f"Utbetalningen ska enligt texten ske {shown}, {why}. Ändra datumet i `ekonomi.utbetalning`, "
            "till exempel till en tid efter beslutet, eller skriv när den första "
            "utbetalningen sker."), line, column)
        return  # one finding says it; the text is corrected as a whole


@rule(code="IOP197", severity=Severity.WARNING,
      title="Försäkran eller beskedet efter beslutet",
      trigger=("`process.försäkran` eller `process.besked` är senare än ett beslut av en "
               "offentlig part i `process.beslut`"),
      source=cite(DE_MINIMIS))
def de_minimis_papers_after_decision(ctx: RuleContext) -> Iterable[Hit]:
    # Stöd av mindre betydelse: the declaration and the notice come before the aid is
    # granted (art. 7.4; IOP.md, "The process"); a later date means the decision was
    # taken without them (R1 2 and 12).
    process = ctx.spec.process
    if process is None:
        return
    public = {p.id for p in ctx.spec.public_parties}
    decisions = [d for d in process.decisions if d.party in public]
    if not decisions:
        return
    first = min(decisions, key=lambda d: d.date)
    for key, when, what in (("försäkran", process.de_minimis_declaration, "försäkran"),
                            ("besked", process.de_minimis_notice, "beskedet")):
        if when is None or when <= first.date:
            continue
        yield Hit(("process", key), (
            f"Enligt `process.{key}` kom {what} {datum_lang(when)}, efter "
            f"{first.body}s beslut {datum_lang(first.date)}. Försäkran om annat stöd av "
            "mindre betydelse och beskedet om stödet ska finnas innan stödet beviljas "
            "(artikel 7.4 i kommissionens förordning (EU) 2023/2831). Rätta datumet, eller "
            f"låt {first.body} besluta på nytt när båda finns."), todo=(
            f"{what[:1].upper()}{what[1:]} om stöd av mindre betydelse kom efter "
            f"{first.body}s beslut. Beslutet behöver fattas på nytt när försäkran och "
            "beskedet finns."))


def memo_meeting(spec: "Spec") -> tuple[int, "Decision"] | None:
    """The meeting the tjänsteskrivelse is for, with its index in `process.beslut`: the
    first decision, not fullmäktige's and not on delegation, of the memo's party (the
    party of `process.handläggare`, else the first public party), as the memo's context
    picks it (documents/tjansteskrivelse/context.py)."""
    process = spec.process
    if process is None:
        return None
    officer = process.case_officer
    party = spec.party(officer.party) if officer and officer.party else None
    if party is None or not party.is_public:
        party = next(iter(spec.public_parties), None)
    if party is None:
        return None
    for index, decision in enumerate(process.decisions):
        if decision.party == party.id and "fullmäktige" not in decision.body.lower():
            return None if decision.delegated else (index, decision)
    return None


@rule(code="IOP200", severity=Severity.WARNING,
      title="Tjänsteskrivelsen är daterad samma dag som sammanträdet",
      trigger=("tjänsteskrivelsens datum (`--datum` till `render`, eller till `check`) är "
               "samma dag som sammanträdet i `process.beslut` som den är underlag för"),
      source=KL)
def memo_dated_on_meeting_day(ctx: RuleContext) -> Iterable[Hit]:
    # IOP.md, "The decision", Dates: a memo is dated before the meeting it is for; the
    # handlingar go out with the kallelse (KL 6 kap.), so what the memo lists "före
    # sammanträdet" cannot be done. A memo dated after the meeting is for a decision
    # already taken: `render` says so (tjansteskrivelse/context.py, memo_notices).
    memo = ctx.settings.memo_date
    found = memo_meeting(ctx.spec) if memo is not None else None
    if found is None or found[1].date != memo:
        return
    index, decision = found
    yield Hit(("process", "beslut", index, "datum"), (
        f"Tjänsteskrivelsen är daterad {datum_lang(memo)}, samma dag som {decision.body} "
        "sammanträder. En tjänsteskrivelse dateras före det sammanträde den är underlag för: "
        "handlingarna skickas ut med kallelsen, och det som ska vara gjort före sammanträdet "
        "hinns inte. Ta upp ärendet vid ett senare sammanträde och ange det i "
        "`process.beslut`. Blev tjänsteskrivelsen klar en tidigare dag, ange den dagen med "
        "--datum; datera den aldrig tidigare än den skrevs."))
