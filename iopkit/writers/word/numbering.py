"""List instances (w:num) in a document's numbering part. Every numbered list gets an
instance of its own, so lists never continue each other's numbers; the tracked-changes
merge brings the old document's instances over the same way."""

from __future__ import annotations

from typing import Any

from .wordxml import el, sub, w


def next_num_id(numbering: Any) -> int:
    """The first numId after every one the numbering part uses."""
    return max((int(n.get(w("numId"))) for n in numbering.findall(w("num"))), default=0) + 1


def append_num(numbering: Any, num: Any) -> None:
    """Add a w:num where the schema wants it: after the other instances, before
    w:numIdMacAtCleanup."""
    cleanup = numbering.find(w("numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)


class Numbering:
    """The numbering part of one document being written: adds a w:num per list."""

    def __init__(self, root: Any):
        self.root = root
        self.next_id = next_num_id(root)

    def add(self, abstract_id: int, level: int = 0, start: int | None = None) -> int:
        """A new instance of `abstract_id` (starting at `start` on `level`); its numId."""
        num = el("num", numId=str(self.next_id))
        sub(num, "abstractNumId", val=str(abstract_id))
        if start is not None:
            override = sub(num, "lvlOverride", ilvl=str(level))
            sub(override, "startOverride", val=str(start))
        append_num(self.root, num)
        self.next_id += 1
        return self.next_id - 1
