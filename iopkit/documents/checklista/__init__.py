"""The checklist (checklista) for the IOP process: its templates see the shared context
as the agreement does (`kinds.SPEC_CONTEXT`; what it ticks is `kontroller`, built in
`base.py`, which the memo weighs too), so the folder holds only `templates/`."""
