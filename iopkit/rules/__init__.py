"""The IOP rule engine: lawful-and-sound checks that run on a valid spec.

`run_rules(spec, document, settings)` runs every registered rule (see registry.py; one
module per concern), then applies the spec's `iopkit_undantag`: a silenced finding is
kept in the list with `silenced=True` and its reason, so JSON output still shows it.
Findings carry key paths; `iopkit.check` turns paths into file positions unless a rule
set an exact line itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..spec.findings import Finding
    from ..spec.loader import SpecDocument
    from ..spec.model import Spec

#: The modules that define rules, one per concern. Adding a module: add it here.
RULE_MODULES = (
    "procurement",
    "state_aid",
    "resources",
    "partnership",
    "period",
    "decisions",
    "parties",
    "personal_data",
    "placeholders",
    "bidi",
    "statutory_checks",
    "exemptions",
)


def load_rules() -> None:
    """Import every rule module so its rules register themselves (idempotent)."""
    for name in RULE_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def run_rules(spec: "Spec", document: "SpecDocument", settings: Any = None) -> list["Finding"]:
    from .exemptions import apply_exemptions
    from .registry import SPEC_STAGE, RuleContext, iter_stage
    from .settings import DEFAULT_SETTINGS

    ctx = RuleContext(spec=spec, document=document, settings=settings or DEFAULT_SETTINGS)
    findings: list[Finding] = []
    for rule in iter_stage(SPEC_STAGE):
        findings.extend(rule.run(ctx))
    findings.extend(apply_exemptions(ctx, findings))
    return findings
