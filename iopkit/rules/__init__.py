"""The IOP rule engine: lawful-and-sound checks that run on a valid spec.

`run_rules(spec, document)` returns findings with key paths; `iopkit.check` turns the
paths into file positions and applies the spec's `iopkit_undantag`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..spec.findings import Finding
    from ..spec.loader import SpecDocument
    from ..spec.model import Spec


def run_rules(spec: "Spec", document: "SpecDocument", settings: Any = None) -> list["Finding"]:
    return []
