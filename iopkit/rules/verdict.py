"""The legal verdict: does any open finding stop the decision?

A tjänsteskrivelse is the officer's advice to the nämnd, so its förslag till beslut
follows this verdict, never the other way round (IOP.md, "The decision: what iopkit may
propose to a nämnd"). Blocking are every error and the warnings listed in
`BLOCKING_WARNINGS`: findings the law stops until an assessment addresses them. A warning
silenced with a motivering in `iopkit_undantag` is addressed and no longer blocks; the
memo describes it under Risker. Errors cannot be silenced (IOP190).

The documents (memo, checklist) read `verdict(result)`; the rules only decide severity.
`Verdict.todo` is what the memo lists as "what must be done first": one plain Swedish
sentence per blocking finding, phrased as the matter (no key paths, rule codes or YAML),
from the rule's own `todo` text or, for a rule without one, from `FALLBACK_TODO`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec.findings import CheckResult, Finding, Severity

#: Warnings that stop the decision while they are open (IOP.md lists them):
#: - signs of a public contract that the procurement assessment does not address:
#:   IOP103 (no assessment at all), IOP105 (the public party only pays), IOP106 (money
#:   per unit), IOP107 (the organisation processes data on the public party's behalf),
#:   IOP108 (a statutory insats), IOP115 (an SGEI entrustment), IOP180 (a `prövning`
#:   answer), IOP182 (a strong combination: split the agreement);
#: - aid above a ceiling with no assessment: IOP110; SGEI de minimis without the
#:   written entrustment the regulation requires: IOP117 (above a ceiling on a de minimis
#:   ground is IOP112, an error);
#: - an IVO permit the activity needs and the organisation lacks: IOP145, IOP147 (the
#:   permit does not cover the activity);
#: - a kommunal angelägenhet handed over without fullmäktige: IOP183; a statutory
#:   insats (the kommun's, granted by socialnämnden) where no public party is a kommun:
#:   IOP184;
#: - a statutory insats inside the partnership on the ground "no economic activity"
#:   (it has a market of providers): IOP187;
#: - individual support to a recipient that may be a näringsidkare without a stated
#:   assessment of synnerliga skäl (kommunallagen 2 kap. 8 §): IOP185.
BLOCKING_WARNINGS = frozenset({
    "IOP103", "IOP105", "IOP106", "IOP107", "IOP108", "IOP110", "IOP115", "IOP145",
    "IOP117", "IOP147", "IOP180", "IOP182", "IOP183", "IOP184", "IOP185", "IOP187"})

#: What must be done, for blocking findings whose rule gives no `todo` of its own.
FALLBACK_TODO = {
    "IOP107": ("Organisationen ska behandla personuppgifter för den offentliga partens räkning, "
               "vilket talar för att den utför en tjänst åt den. Det behöver bedömas om "
               "avtalet ska upphandlas innan nämnden beslutar."),
    "IOP115": ("Organisationen får ett uppdrag mot ersättning enligt SGEI-beslutet, vilket "
               "talar för ett offentligt kontrakt. Det behöver bedömas om avtalet ska "
               "upphandlas innan nämnden beslutar."),
    "IOP126": ("Det framgår inte vilken organisation som tar emot pengarna eller resursen. "
               "Mottagaren behöver anges."),
    "IOP127": ("Pengar eller resurser anges gå till en offentlig part. Mottagaren behöver "
               "vara en av de idéburna organisationerna."),
}
GENERIC_TODO = ("Underlaget har fel som behöver rättas innan ärendet kan beslutas "
                "({title}).")


def blocks(finding: Finding) -> bool:
    """Whether `finding` stops the decision while it is open."""
    if finding.silenced:
        return False
    return finding.severity is Severity.ERROR or finding.code in BLOCKING_WARNINGS


def todo_text(finding: Finding) -> str:
    """The plain Swedish sentence that says what must be done about `finding`."""
    if finding.todo:
        return finding.todo
    if finding.code in FALLBACK_TODO:
        return FALLBACK_TODO[finding.code]
    from .registry import get_rule

    rule = get_rule(finding.code)
    title = rule.title.lower() if rule is not None else "underlaget är inte fullständigt"
    return GENERIC_TODO.format(title=title)


@dataclass
class Verdict:
    """`ready`: nothing open stops the decision; `blocking`: the findings that do, in the
    order check reports them; `todo`: what must be done first, one sentence per
    blocking finding (the same sentence once)."""

    blocking: list[Finding] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blocking

    @property
    def todo(self) -> list[str]:
        seen: list[str] = []
        for finding in self.blocking:
            text = todo_text(finding)
            if text not in seen:
                seen.append(text)
        return seen


def verdict(result: CheckResult) -> Verdict:
    return Verdict(blocking=[f for f in result.findings if blocks(f)])
