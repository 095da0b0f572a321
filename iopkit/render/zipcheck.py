"""Limits for the user's reference document (--referens-docx), checked before anything
in it is unpacked: a .docx is a zip archive, and a few kilobytes of zip can expand to
gigabytes ("zip bomb") or name parts outside the package."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from ..files import UsageProblem

#: A letterhead template is well under a megabyte; 20 MB leaves room for pictures.
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
#: Everything unpacked together; Word's own largest templates are a fraction of this.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Ordinary XML compresses about 10:1; a bomb compresses 1000:1 or more.
MAX_RATIO = 200
MAX_PARTS = 2000


def check_reference_size(size: int, reference: object) -> None:
    if size > MAX_REFERENCE_BYTES:
        raise UsageProblem(
            f"Referensdokumentet {reference} är {size / 1024 / 1024:.1f} MB; iopkit läser "
            f"högst {MAX_REFERENCE_BYTES // 1024 // 1024} MB. Ange organisationens brevmall "
            "utan stora bilder.")


def check_reference_package(data: bytes, reference: object) -> None:
    """Refuse a package that would unpack too large, compresses suspiciously well, or
    names a part outside itself. Raises UsageProblem naming the document (and part)."""
    check_reference_size(len(data), reference)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UsageProblem(f"{reference} är inget Word-dokument (.docx eller .dotx). Ange ett "
                           "dokument som har sparats från Word eller LibreOffice i formatet "
                           "Word (.docx).") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise UsageProblem(f"Referensdokumentet {reference} består av {len(parts)} delar; "
                               f"ett Word-dokument har sällan fler än {MAX_PARTS}. Ange en "
                               "annan mall.")
        total = 0
        for part in parts:
            name = PurePosixPath(part.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in part.filename:
                raise UsageProblem(f"Referensdokumentet {reference} innehåller delen "
                                   f"{part.filename!r}, som pekar utanför dokumentet. Ange "
                                   "en mall som har sparats direkt från Word.")
            total += part.file_size
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > 1024 * 1024 and ratio > MAX_RATIO:
                raise UsageProblem(f"Referensdokumentet {reference} ser ut att vara en "
                                   f"zip-bomb: delen {part.filename} packas upp {ratio:.0f} "
                                   "gånger större. Ingenting har packats upp; ange en annan "
                                   "mall.")
        if total <= MAX_UNPACKED_BYTES:
            _refuse_external_files(archive, parts, reference)
        if total > MAX_UNPACKED_BYTES:
            raise UsageProblem(f"Referensdokumentet {reference} blir {total / 1024 / 1024:.0f} "
                               f"MB uppackat; iopkit tillåter högst "
                               f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB. Ingenting har "
                               "packats upp; ange en annan mall.")


# A relationship that points at a file outside the package (file:///…, \\server\share):
# Word would read it when the generated agreement is opened.
_EXTERNAL_FILE = re.compile(
    rb"<Relationship\b(?=[^>]*TargetMode=\"External\")[^>]*Target=\"(file:|\\\\|//|/)[^\"]*\"",
    re.IGNORECASE)


def _refuse_external_files(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo],
                           reference: object) -> None:
    for part in parts:
        if not part.filename.endswith(".rels"):
            continue
        match = _EXTERNAL_FILE.search(archive.read(part))
        if match:
            raise UsageProblem(f"Referensdokumentet {reference} hänvisar i delen "
                               f"{part.filename} till en fil utanför dokumentet. Ett "
                               "avtalsutkast ska inte hämta filer när det öppnas; ta bort "
                               "länkade bilder eller mallar ur dokumentet.")
