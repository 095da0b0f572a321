"""The follow-up (uppföljning): `context.py` adds the follow-up meetings and report
deadlines to the shared context and writes the document for `iopkit uppfoljning`;
`templates/` holds its templates."""
