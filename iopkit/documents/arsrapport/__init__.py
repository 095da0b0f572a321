"""The annual report (årsrapport, `iopkit rapport`): `context.py` builds what its
templates see from a checked follow-up file (the data model and its check stay in
`iopkit.outcomes`) and writes the report; `templates/` holds its templates."""
