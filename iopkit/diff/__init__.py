"""Compare two versions of a partnership spec by meaning, not by line.

`diff_specs(old, new)` returns a list of `Change`s in the order of the agreement's
sections. Items in lists are matched by what identifies them, not by position:
parties, needs, goals and activities by `id` (a party whose id changed is still found
by its organisationsnummer), resources by (part, typ, beskrivning), indicators by their
description within a goal, clauses by `rubrik`, signatories by name. When an item's
identifying text was reworded, the leftover removed and added items are paired if they
are alike, so a reworded clause reads as reworded rather than as removed and added.
Texts are compared with their whitespace normalised, so reflowing a paragraph in the
YAML is not a change.

Every change carries a formal Swedish sentence (`Change.sentence`) suitable for a
numbered clause in an annex to the agreement; `render_text` turns the list into a
readable report, and `iopkit.documents.tillagg.context.render_annex_markdown` into a
draft annex ("Tillägg nr N"), which the Word writer marks as tracked changes.

- `changes`: a change and the Swedish words for it, what every reader of the list shares
  (the report, the annex, the web editor);
- `matching`: pairing the items of two lists;
- `describe`: how an item reads in a sentence, and the sums;
- `compare`: the walk over the sections (`diff_specs`);
- `text`: the terminal report (`render_text`).
"""

from .changes import (
    NO_CHANGES,
    SECTIONS,
    Change,
    ChangeKind,
    count_text,
    date_text,
    grouped,
    normalise,
    quote,
)
from .compare import diff_specs
from .text import render_text

__all__ = ["NO_CHANGES", "SECTIONS", "Change", "ChangeKind", "count_text", "date_text",
           "diff_specs", "grouped", "normalise", "quote", "render_text"]
