"""The Word writer: Markdown to .docx on a base document (`docx.markdown_to_docx`), and
two .docx as one with tracked changes (`tracked.tracked_changes_docx`)."""
