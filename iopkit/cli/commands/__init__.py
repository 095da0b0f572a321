"""One module per CLI command: each parses options and calls the library.

Modules here import only typer and the standard library at top level, so that
`iopkit --help` and `iopkit check` start fast; heavy libraries load inside commands.
"""
