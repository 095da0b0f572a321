"""The tjänsteskrivelse (the memo to the nämnd): `context.py` adds `skrivelse` to the
shared context (the proposal, the assessment in plain words); `templates/` holds one
template per part of the memo."""
