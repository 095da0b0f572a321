"""The Open Packaging Conventions side of a .docx: reading a package's parts and their
relationships, serialising a part, the core properties, and writing the zip so that
its bytes depend only on its content."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
from typing import Any

from ..markdown import clean_text
from .wordxml import LANGUAGE, PKG_REL_NS

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def read_package(data: bytes) -> list[tuple[str, bytes]]:
    """The zip entries of a package, in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info.filename)) for info in package.infolist()]


def _rels_name(part_name: str) -> str:
    folder, name = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", name + ".rels")


def part_targets(members: dict[str, bytes], part_name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name) for the part's relationships (the package's
    own for part name "")."""
    from lxml import etree

    rels = members.get(_rels_name(part_name))
    if rels is None:
        return {}
    folder = posixpath.dirname(part_name)
    result = {}
    for rel in etree.fromstring(rels).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        result[rel.get("Id")] = (rel.get("Type"), name)
    return result


def serialize(root: Any) -> bytes:
    from lxml import etree

    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    return data


def core_properties_xml(title: str, subject: str, when: dt.date, author: str = "iopkit",
                        keywords: str = "") -> bytes:
    """docProps/core.xml: title, subject, author and keywords (a PDF's metadata comes
    from here), every timestamp pinned to `when`."""
    from lxml import etree

    nsmap = {"cp": _CP, "dc": _DC, "dcterms": _DCTERMS,
             "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": _XSI}
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap=nsmap)
    stamp = f"{when.isoformat()}T00:00:00Z"
    for ns, tag, text in ((_DC, "title", title), (_DC, "subject", subject),
                          (_DC, "creator", author), (_CP, "keywords", keywords),
                          (_CP, "lastModifiedBy", "iopkit"),
                          (_CP, "revision", "1"), (_DC, "language", LANGUAGE),
                          (_CP, "contentStatus", "Utkast"), (_DCTERMS, "created", stamp),
                          (_DCTERMS, "modified", stamp)):
        if not text:
            continue
        element = etree.SubElement(root, f"{{{ns}}}{tag}")
        element.text = " ".join(clean_text(text).split())
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    return serialize(root)


def zip_package(members: list[tuple[str, bytes]], when: dt.date) -> bytes:
    """The package with pinned timestamps and attributes: the bytes depend only on the
    content."""
    # Zip timestamps cover 1980–2107 only.
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)
    return out.getvalue()
