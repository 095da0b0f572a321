"""Limits for the user's reference document (--referens-docx), checked before anything
in it is unpacked: a .docx is a zip archive, and a few kilobytes of zip can expand to
gigabytes ("zip bomb") or name parts outside the package."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import PurePosixPath
from typing import Any

from ...files import UsageProblem

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


def _refuse_external_files(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo],
                           reference: object) -> None:
    """Kept for the order of the checks: relationship parts that are not XML at all are
    refused here; everything else is cleaned by clean_reference_package."""
    for part in parts:
        if part.filename.endswith(".rels"):
            try:
                _parse(archive.read(part))
            except Exception:
                raise UsageProblem(f"Referensdokumentet {reference} har en trasig del "
                                   f"({part.filename}). Spara om mallen i Word och försök "
                                   "igen.") from None


# --- Cleaning the reference ------------------------------------------------------------
#
# Whatever the reference points at outside itself is dropped, not followed: Word (and
# LibreOffice for --format pdf) would otherwise fetch a file, a web address or a share
# every time the generated agreement is opened. Relationships are parsed as XML (so no
# spelling of an address escapes a pattern), and only internal targets that exist in the
# package are kept. Fields are dropped too, except PAGE, NUMPAGES, SECTIONPAGES and REF
# or PAGEREF to a bookmark: INCLUDEPICTURE, INCLUDETEXT, DDEAUTO and the rest can read
# files or run programs.

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_O_NS = "urn:schemas-microsoft-com:office:office"
_ALLOWED_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
_BOOKMARK_FIELDS = {"REF", "PAGEREF"}
_BOOKMARK = re.compile(r"^[A-Za-z_][\w]{0,39}$")
#: Elements that cannot stand without the relationship they name.
_NEEDS_RELATIONSHIP = {"headerReference", "footerReference", "subDoc", "altChunk",
                       "attachedTemplate", "OLEObject", "control"}


def _parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    return etree.fromstring(data, parser)


def _internal_target(folder: str, target: str, names: set[str]) -> str | None:
    if not target or ":" in target or "\\" in target or target.startswith("//") or \
            "%" in target:
        return None
    path = target.lstrip("/") if target.startswith("/") else \
        posixpath.normpath(posixpath.join(folder, target))
    if path.startswith("..") or path.startswith("/") or path not in names:
        return None
    return path


def _clean_rels(data: bytes, part_name: str, names: set[str]) -> tuple[bytes, set[str]]:
    """The relationships part with only internal, existing targets, and the kept ids."""
    from lxml import etree

    root = _parse(data)
    folder = posixpath.dirname(posixpath.dirname(part_name))  # x/_rels/y.rels -> x
    clean = etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
    kept: set[str] = set()
    for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
        mode = (rel.get("TargetMode") or "Internal").strip()
        rel_id, rel_type = rel.get("Id"), rel.get("Type")
        if mode != "Internal" or not rel_id or not rel_type:
            continue
        if _internal_target(folder, (rel.get("Target") or "").strip(), names) is None:
            continue
        etree.SubElement(clean, f"{{{_REL_NS}}}Relationship", Id=rel_id, Type=rel_type,
                         Target=rel.get("Target").strip())
        kept.add(rel_id)
    data_out: bytes = etree.tostring(clean, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    return data_out, kept


def _field_allowed(instruction: str) -> bool:
    words = instruction.split()
    if not words:
        return True
    name = words[0].upper()
    if name in _ALLOWED_FIELDS:  # switches only format the number
        return True
    if name in _BOOKMARK_FIELDS:
        return len(words) >= 2 and bool(_BOOKMARK.match(words[1])) and \
            all(re.fullmatch(r"\\[a-zA-Z]", w) for w in words[2:])
    return False


def _clean_fields(root: Any) -> None:
    """Drop every field not allowed (see above), keeping its shown result as text."""
    w = f"{{{_W_NS}}}"
    for simple in list(root.iter(f"{w}fldSimple")):
        if not _field_allowed(simple.get(f"{w}instr") or ""):
            parent = simple.getparent()
            if parent is None:
                continue
            index = parent.index(simple)
            for child in list(simple):
                parent.insert(index, child)
                index += 1
            parent.remove(simple)
    # Complex fields: begin, instruction, separate, result, end, possibly nested.
    stack: list[dict[str, Any]] = []
    drop: list[Any] = []
    for element in list(root.iter(f"{w}fldChar", f"{w}instrText", f"{w}r")):
        tag = element.tag
        if tag == f"{w}r":
            if stack and not stack[-1]["separated"]:
                stack[-1]["runs"].append(element)
            continue
        if tag == f"{w}instrText":
            if stack and not stack[-1]["separated"]:
                stack[-1]["text"] += element.text or ""
            continue
        kind = element.get(f"{w}fldCharType")
        if kind == "begin":
            if stack and not stack[-1]["separated"]:
                stack[-1]["nested"] = True
            stack.append({"marks": [element], "runs": [], "text": "", "separated": False,
                          "nested": False})
        elif stack and kind == "separate":
            stack[-1]["separated"] = True
            stack[-1]["marks"].append(element)
        elif stack and kind == "end":
            field = stack.pop()
            field["marks"].append(element)
            if field["nested"] or not _field_allowed(field["text"]):
                drop.extend(field["marks"])
                drop.extend(field["runs"])
                if stack and not stack[-1]["separated"]:
                    stack[-1]["nested"] = True
    for field in stack:  # never ended: drop what was opened
        drop.extend(field["marks"] + field["runs"])
    for element in drop:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for instr in list(root.iter(f"{w}instrText")):  # instruction text outside a field
        if instr.getparent() is not None and not any(
                mark.tag == f"{w}fldChar" for mark in instr.getparent()):
            instr.getparent().remove(instr)


def _clean_references(root: Any, kept: set[str]) -> None:
    """Remove every reference to a relationship that was dropped, and the elements that
    cannot stand without one; VML's own links to files (o:href, src) go too."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            if name.startswith(f"{{{_R_NS}}}") and element.get(name) not in kept:
                local = element.tag.rsplit("}", 1)[-1]
                if local in _NEEDS_RELATIONSHIP:
                    parent = element.getparent()
                    if parent is not None:
                        parent.remove(element)
                    break
                del element.attrib[name]
            elif name in (f"{{{_O_NS}}}href", "src", "href") and ":" in (element.get(name) or ""):
                del element.attrib[name]


def clean_reference_package(data: bytes) -> bytes:
    """The reference document without external relationships and without fields other
    than page numbers and bookmark references (see above)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    names = {name for name, _ in members}
    kept_by_part: dict[str, set[str]] = {}
    cleaned: dict[str, bytes] = {}
    for name, content in members:
        if name.endswith(".rels"):
            folder, rels_name = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), rels_name[:-len(".rels")])
            cleaned[name], kept_by_part[source] = _clean_rels(content, name, names)
    for name, content in members:
        if name.endswith(".rels") or not name.endswith(".xml") or name == "[Content_Types].xml":
            continue
        root = _parse(content)
        _clean_references(root, kept_by_part.get(name, set()))
        _clean_fields(root)
        cleaned[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members:
            target.writestr(name, cleaned.get(name, content))
    return out.getvalue()
