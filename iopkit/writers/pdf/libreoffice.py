"""Word to PDF through LibreOffice (soffice --headless), when it is installed: the
second PDF engine (`--pdf-motor libreoffice`), for a PDF that must mirror the user's own
Word template (`--referens-docx`). The default engine is Typst (writers/pdf/typst_pdf.py),
which needs no other program.

The PDF is for the archive and for every reader: PDF/A-2b, tagged (a structure tree
with headings, lists and tables for screen readers), bookmarks from the headings, the
title shown in the viewer's title bar, every font embedded (PDF/A requires it). Title,
author, subject, keywords and language come from the Word document's properties and
styles. The export options go on the command line as JSON, which LibreOffice reads
from version 7.4.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ...files import UsageProblem, describe_os_error

_MAC_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
TIMEOUT_SECONDS = 300

INSTALL_HINT = (
    "PDF med --pdf-motor libreoffice (standard när --referens-docx anges) kräver "
    "LibreOffice, som inte hittades. Välj --pdf-motor typst (inget annat program behövs; "
    "PDF-filen får då iopkits husstil), eller installera LibreOffice och försök igen: "
    "på Debian och Ubuntu `sudo apt install libreoffice-writer`, på Fedora "
    "`sudo dnf install libreoffice-writer`, på macOS `brew install --cask libreoffice`, "
    "på Windows från https://www.libreoffice.org/download/. Programmet `soffice` måste "
    "finnas i PATH (eller ange det i miljövariabeln IOPKIT_SOFFICE).")

#: The PDF engines: Typst (built in, the default) and LibreOffice (from the Word file).
ENGINES = ("typst", "libreoffice")


def parse_engine(value: str | None) -> str | None:
    """`--pdf-motor typst|libreoffice`; None when not given. Raises UsageProblem."""
    if value is None:
        return None
    name = value.strip().lower()
    if name not in ENGINES:
        raise UsageProblem(f"PDF-motorn {value.strip()!r} finns inte. Välj typst (standard, "
                           "inbyggd) eller libreoffice (PDF från Word-filen, följer "
                           "--referens-docx; kräver LibreOffice).")
    return name


def choose_engine(engine: str | None, reference_docx: Path | None) -> str:
    """The engine of a run: the one asked for; otherwise LibreOffice when the PDF must
    mirror a reference Word document, else Typst."""
    if engine is not None:
        return engine
    return "libreoffice" if reference_docx is not None else "typst"


#: LibreOffice's PDF export options (writer_pdf_Export); SelectPdfVersion 2 is PDF/A-2b.
EXPORT_OPTIONS = {
    "SelectPdfVersion": ("long", "2"),
    "UseTaggedPDF": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "DisplayPDFDocumentTitle": ("boolean", "true"),
    "ExportNotes": ("boolean", "false"),
}


def convert_to_argument() -> str:
    """`pdf:writer_pdf_Export:{…}`: the --convert-to value with the export options."""
    options = {name: {"type": kind, "value": value}
               for name, (kind, value) in EXPORT_OPTIONS.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def find_soffice() -> str | None:
    """The LibreOffice program: $IOPKIT_SOFFICE, soffice or libreoffice in PATH, or where
    the installer puts it on macOS and Windows (which does not add it to PATH)."""
    configured = os.environ.get("IOPKIT_SOFFICE", "").strip()
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[str] = []
    if sys.platform == "darwin":
        candidates.append(_MAC_SOFFICE)
    elif sys.platform == "win32":
        # %ProgramFiles% and %ProgramFiles(x86)%, with the usual defaults when unset.
        for variable, default in (("ProgramFiles", r"C:\Program Files"),
                                  ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
                                  ("ProgramW6432", r"C:\Program Files")):
            base = os.environ.get(variable) or default
            candidates.append(base + r"\LibreOffice\program\soffice.exe")
    return next((c for c in candidates if Path(c).is_file()), None)


def require_soffice() -> str:
    program = find_soffice()
    if program is None:
        raise UsageProblem(INSTALL_HINT)
    return program


def docx_to_pdf(documents: list[tuple[str, bytes]]) -> list[bytes]:
    """Convert Word documents (name, bytes) to PDF in one LibreOffice run; names must be
    unique and end in .docx. Raises UsageProblem when LibreOffice is missing or fails."""
    program = require_soffice()
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="iopkit-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for name, data in documents:
            source = work / name
            source.write_bytes(data)
            sources.append(source)
        profile = (work / "profil").as_uri()
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile}", "--convert-to", convert_to_argument(),
                   "--outdir", str(work), *[str(s) for s in sources]]
        try:
            completed = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                       check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UsageProblem(f"LibreOffice blev inte klart inom {TIMEOUT_SECONDS} sekunder. "
                               "Inga PDF-filer har skrivits.") from None
        except OSError as exc:
            raise UsageProblem(f"LibreOffice ({program}) kunde inte startas: "
                               f"{describe_os_error(exc)}.") from None
        results = []
        for source in sources:
            pdf = source.with_suffix(".pdf")
            if not pdf.is_file():
                detail = (completed.stderr or completed.stdout or b"").decode(
                    "utf-8", "replace").strip().splitlines()
                hint = f" LibreOffice skrev: {detail[-1]}" if detail else ""
                raise UsageProblem(f"LibreOffice kunde inte göra om {source.name} till PDF "
                                   f"(slutstatus {completed.returncode}).{hint} Inga "
                                   "PDF-filer har skrivits.")
            results.append(pdf.read_bytes())
        return results
