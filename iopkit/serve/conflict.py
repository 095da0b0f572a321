"""A save conflict in words: what keeping one's own version would change in the file
that is on disk now, in the sentences `iopkit diff` writes (iopkit/diff/), so that the
user chooses between two versions by what they say, not by two YAML texts."""

from __future__ import annotations

from typing import Any


def changes_task(disk: bytes, mine: bytes, file: str) -> dict[str, Any]:
    """{"ändringar": [{"avsnitt", "mening", "tidigare"}], "antal": "3 ändringar",
    "min": my YAML text} or, when a version is not a readable spec, {"jämförelse":
    why, "min": …}. Runs in the worker (plain values only)."""
    from ..diff import count_text, diff_specs
    from .api import _PIPELINE, check_bytes

    mine_text = mine.decode("utf-8", errors="replace")
    with _PIPELINE:
        old = check_bytes(disk, file)
        new = check_bytes(mine, file)
    if old.spec is None:
        return {"min": mine_text, "jämförelse": (
            "Versionen på disken kan inte läsas som en partnerskapsbeskrivning (den har fel "
            "i formatet), så ändringarna kan inte beskrivas i ord. Jämför texterna nedan.")}
    if new.spec is None:
        return {"min": mine_text, "jämförelse": (
            "Din version har fel i formatet, så ändringarna kan inte beskrivas i ord. "
            "Jämför texterna nedan.")}
    changes = diff_specs(old.spec, new.spec)
    return {"min": mine_text, "antal": count_text(changes), "ändringar": [
        {"avsnitt": c.section, "mening": c.sentence,
         "tidigare": c.old if c.reworded else None}
        for c in changes]}
