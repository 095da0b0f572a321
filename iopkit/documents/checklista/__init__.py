"""The checklist (checklista) for the IOP process: its templates see the agreement's
context plus the memo's `skrivelse` (`context.py`); what it ticks is `kontroller`, built in
`base.py`, which the memo weighs too."""
