"""Charts in a Word document: an inline picture (the chart's PNG from Typst) with its
text alternative in `wp:docPr/@descr` (Word's "Alternativ text"), after a caption
paragraph, and the package parts a picture needs (the image, its relationship, the
PNG content type)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Any

from ..markdown import clean_text
from .wordxml import PKG_REL_NS, R_NS

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_EMU_PER_INCH = 914400
_EMU_PER_TWIP = 635
#: Far above any docPr id a reference document's own drawings use.
_FIRST_DRAWING_ID = 9001


@dataclass
class Pictures:
    """The pictures of one document, as they are placed: (part name, PNG bytes)."""

    media: list[tuple[str, bytes]] = field(default_factory=list)

    def add(self, png: bytes) -> tuple[str, str]:
        """A new image part for `png`: (relationship id, part name)."""
        number = len(self.media) + 1
        name = f"word/media/iopkit-diagram{number}.png"
        self.media.append((name, png))
        return f"rIdIopkitDiagram{number}", name


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def picture_run(rel_id: str, drawing_id: int, name: str, descr: str, png: bytes,
                ppi: float, max_width_twips: int) -> Any:
    """A w:r holding the inline picture, at its natural size (`ppi`), no wider than the
    text."""
    from lxml import etree

    def q(ns: str, tag: str) -> str:
        return f"{{{ns}}}{tag}"

    width_px, height_px = png_size(png)
    cx = round(width_px * _EMU_PER_INCH / ppi)
    cy = round(height_px * _EMU_PER_INCH / ppi)
    limit = max_width_twips * _EMU_PER_TWIP
    if cx > limit:
        cx, cy = limit, round(cy * limit / cx)
    # One line (an attribute); the non-breaking spaces in amounts stay.
    descr = re.sub(r"\s*\n\s*|[ \t]+", " ", clean_text(descr)).strip()
    name = re.sub(r"\s*\n\s*|[ \t]+", " ", clean_text(name)).strip()
    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    run = etree.Element(q(w_ns, "r"))
    drawing = etree.SubElement(run, q(w_ns, "drawing"))
    inline = etree.SubElement(drawing, q(WP_NS, "inline"), nsmap={"wp": WP_NS})
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    etree.SubElement(inline, q(WP_NS, "extent"), cx=str(cx), cy=str(cy))
    etree.SubElement(inline, q(WP_NS, "effectExtent"), l="0", t="0", r="0", b="0")
    etree.SubElement(inline, q(WP_NS, "docPr"), id=str(drawing_id), name=name, descr=descr)
    frame = etree.SubElement(inline, q(WP_NS, "cNvGraphicFramePr"))
    etree.SubElement(frame, q(A_NS, "graphicFrameLocks"), nsmap={"a": A_NS},
                     noChangeAspect="1")
    graphic = etree.SubElement(inline, q(A_NS, "graphic"), nsmap={"a": A_NS})
    data = etree.SubElement(graphic, q(A_NS, "graphicData"), uri=PIC_NS)
    pic = etree.SubElement(data, q(PIC_NS, "pic"), nsmap={"pic": PIC_NS})
    nv = etree.SubElement(pic, q(PIC_NS, "nvPicPr"))
    etree.SubElement(nv, q(PIC_NS, "cNvPr"), id="0", name=name, descr=descr)
    etree.SubElement(nv, q(PIC_NS, "cNvPicPr"))
    fill = etree.SubElement(pic, q(PIC_NS, "blipFill"))
    etree.SubElement(fill, q(A_NS, "blip"), {q(R_NS, "embed"): rel_id}, nsmap={"r": R_NS})
    stretch = etree.SubElement(fill, q(A_NS, "stretch"))
    etree.SubElement(stretch, q(A_NS, "fillRect"))
    shape = etree.SubElement(pic, q(PIC_NS, "spPr"))
    xfrm = etree.SubElement(shape, q(A_NS, "xfrm"))
    etree.SubElement(xfrm, q(A_NS, "off"), x="0", y="0")
    etree.SubElement(xfrm, q(A_NS, "ext"), cx=str(cx), cy=str(cy))
    geometry = etree.SubElement(shape, q(A_NS, "prstGeom"), prst="rect")
    etree.SubElement(geometry, q(A_NS, "avLst"))
    return run


def first_drawing_id(index: int) -> int:
    return _FIRST_DRAWING_ID + index


def package_with_pictures(members: list[tuple[str, bytes]], document_name: str,
                          pictures: Pictures) -> list[tuple[str, bytes]]:
    """The package's members with the pictures' image parts, their relationships from
    the document part and the PNG content type added."""
    if not pictures.media:
        return members
    import posixpath

    from lxml import etree

    from .ooxml_package import serialize

    folder, base = posixpath.split(document_name)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    out: list[tuple[str, bytes]] = []
    for name, data in members:
        if name == rels_name:
            root = etree.fromstring(data)
            for number, (part, _) in enumerate(pictures.media, 1):
                etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship",
                                 Id=f"rIdIopkitDiagram{number}", Type=RT_IMAGE,
                                 Target=posixpath.relpath(part, folder))
            data = serialize(root)
        elif name == "[Content_Types].xml":
            root = etree.fromstring(data)
            if not any(d.get("Extension", "").lower() == "png"
                       for d in root.iter(f"{{{_CT_NS}}}Default")):
                default = etree.Element(f"{{{_CT_NS}}}Default", Extension="png",
                                        ContentType="image/png")
                root.insert(0, default)
            data = serialize(root)
        out.append((name, data))
    return out + pictures.media
