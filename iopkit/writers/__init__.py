"""From the Markdown IR (`writers.markdown`) to a format: `word/` (Word, tracked changes
included), `html`, `pdf/` (Typst and LibreOffice). A writer knows nothing of IOP: it
imports neither the rules nor the documents (tests/test_import_graph.py)."""
