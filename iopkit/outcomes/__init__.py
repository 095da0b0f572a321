"""After signing: the follow-up file (utfall, `../shared/spec/UTFALL.md`), its check
against the spec it follows up, and the money reconciled per recipient and year; the
annual report made from them (`iopkit rapport`) is a document kind,
`iopkit.documents.arsrapport`.

- `model`: the follow-up file as a pydantic model (Swedish keys as aliases);
- `check`: load and validate a follow-up file with located Swedish findings, then check
  it against its spec (indicator refs, years, recipients, goals, deadlines);
- `figures`: what iopkit derives (targets judged, money reconciled, what is late);
"""
