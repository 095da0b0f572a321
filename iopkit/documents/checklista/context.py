"""The checklist's context: the agreement's (`render.pipeline.spec_context`) plus the
memo's `skrivelse` (`documents.tjansteskrivelse.context`), so that the checklist can say
what the memo lacks (a meeting, an officer, a signature, the financing: R4 5) and what
its date breaks (IOP200) with the same facts the memo is written from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...render.pipeline import RenderOptions
    from ...spec.findings import CheckResult


def checklist_context(result: "CheckResult", options: "RenderOptions") -> dict[str, Any]:
    from ..tjansteskrivelse.context import memo_context

    context = memo_context(result, options)
    # The memo's own warnings (no addressee, a decision already taken) are printed when
    # the memo is rendered, not again for the checklist.
    context.pop("renderingsvarningar", None)
    return context
