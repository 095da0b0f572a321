"""The agreement (avtal): `context.py` adds what its templates need beyond the shared
context (the §§ numbers, the words for the parties, the money table); `templates/` holds
one template per section."""
