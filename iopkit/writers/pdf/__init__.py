"""PDF: through Typst (`typst_pdf`, charts in `typst_chart`) or through LibreOffice from
the Word document (`libreoffice`)."""
