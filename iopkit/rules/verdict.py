"""The legal verdict: does any open finding stop the decision?

A tjänsteskrivelse is the officer's advice to the nämnd, so its förslag till beslut
follows this verdict, never the other way round (IOP.md, "The decision: what iopkit may
propose to a nämnd"). Blocking are every error and the warnings listed in
`BLOCKING_WARNINGS`: findings the law stops until an assessment addresses them. A warning
silenced with a motivering in `iopkit_undantag` is addressed and no longer blocks; the
memo describes it under Risker. Errors cannot be silenced (IOP190).

The documents (memo, checklist) read `verdict(result)`; the rules only decide severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec.findings import CheckResult, Finding, Severity

#: Warnings that stop the decision while they are open (IOP.md lists them):
#: IOP103 no procurement assessment; IOP105/106/108 signs of a public contract that the
#: procurement assessment does not address; IOP110 aid above a ceiling with no
#: assessment; IOP145 an IVO permit the activity needs and the organisation lacks.
BLOCKING_WARNINGS = frozenset({"IOP103", "IOP105", "IOP106", "IOP108", "IOP110", "IOP145"})


def blocks(finding: Finding) -> bool:
    """Whether `finding` stops the decision while it is open."""
    if finding.silenced:
        return False
    return finding.severity is Severity.ERROR or finding.code in BLOCKING_WARNINGS


@dataclass
class Verdict:
    """`ready`: nothing open stops the decision; `blocking`: the findings that do, in the
    order check reports them."""

    blocking: list[Finding] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blocking


def verdict(result: CheckResult) -> Verdict:
    return Verdict(blocking=[f for f in result.findings if blocks(f)])
