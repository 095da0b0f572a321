"""From a partnership spec to documents: agreement draft and checklist as Word, Markdown,
HTML or PDF.

Building blocks other commands reuse:
- `iopkit.render.templates`: the sandboxed Jinja environment (`make_environment`,
  `render_folder`, `render_templates`) for templates that render Markdown;
- the writers in `iopkit.writers` (Markdown to Word, HTML and PDF), `iopkit.format`
  (Swedish amounts and dates) and `iopkit.writers.markdown` (escaping spec text for
  Markdown: `escape`, `Md`); `iopkit.writers.chart_refs`: a chart in the Markdown (a
  fixed image reference to the charts passed beside it), which every writer draws.

Importing this package is cheap: docx, jinja2 and markdown-it load only when used.
"""

from .pipeline import (
    DOCUMENTS,
    FORMATS,
    RenderOptions,
    SpecHasErrors,
    build_outputs,
    output_paths,
    parse_formats,
    render_file,
    render_markdown,
)

__all__ = ["DOCUMENTS", "FORMATS", "RenderOptions", "SpecHasErrors", "build_outputs",
           "output_paths", "parse_formats", "render_file", "render_markdown"]
