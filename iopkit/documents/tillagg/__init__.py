"""The amendment annex (tillägg, `iopkit diff --format docx`): `context.py` turns two
versions of a spec and their differences into what its templates see and writes the
annex with tracked changes; `templates/` holds its templates."""
