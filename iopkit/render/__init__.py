"""From a partnership spec to documents: agreement draft and checklist as Word, Markdown,
HTML or PDF.

Building blocks other commands reuse:
- `iopkit.render.templates`: the sandboxed Jinja environment (`make_environment`,
  `render_folder`, `render_templates`) for templates that render Markdown;
- `iopkit.render.docx.markdown_to_docx`, `iopkit.render.html.markdown_to_html`,
  `iopkit.render.typst_pdf.markdown_to_pdf` (PDF/A-2a and PDF/UA-1 with Typst);
- `iopkit.render.typst_chart`: bar charts per year as PDF content, PNG and SVG;
- `iopkit.render.chart_refs`: a chart in the Markdown (a fixed image reference to the
  charts passed beside it), which every writer draws in its own way;
- `iopkit.render.format`: Swedish amounts and dates (`kronor`, `datum_lang` …);
- `iopkit.render.markdown`: escaping spec text for Markdown (`escape`, `Md`).

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
