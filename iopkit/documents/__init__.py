"""The documents iopkit writes, one folder per kind (`avtal/`, `checklista/`,
`tjansteskrivelse/`, `uppfoljning/`, `tillagg/`, `arsrapport/`): each holds what its
templates see (`context.py`, where the kind needs more than the shared context in
`base.py`) and its templates (`templates/`). `kinds.py` is the registry.

The documents sit above the spec, the rules and the schedule and below the doors (`cli/`,
`serve/`); they hand Markdown to the writers (`iopkit.writers`) through
`iopkit.render.pipeline` and never import a door (tests/test_import_graph.py).
"""
