"""The prepared Word base document, loaded once per process: its parts, the style ids
to use, our list definitions and the text width. (docx_base.py prepares the base with
python-docx; this module only reads the result.)"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...files import UsageProblem, describe_os_error
from .ooxml_package import part_targets, read_package
from .wordxml import (
    A4_WIDTH,
    MARGIN,
    NSID_PREFIX,
    R_NS,
    RT_CORE_PROPERTIES,
    RT_NUMBERING,
    RT_OFFICE_DOCUMENT,
    RT_STYLES,
    style_ids,
    w,
)


@dataclass
class Base:
    members: list[tuple[str, bytes]]  # the zip entries, in order
    document_name: str
    numbering_name: str
    styles_name: str
    core_name: str
    header_name: str | None  # iopkit's own header part, filled per document
    footer_name: str | None
    styles: dict[str, str]  # our style key -> styleId
    decimal_abstract: int
    bullet_abstract: int
    text_width: int  # twips

    def member(self, name: str) -> bytes:
        return next(data for member, data in self.members if member == name)


_base_lock = threading.Lock()
_bases: dict[Any, Base] = {}


def base_for(reference: Path | None) -> Base:
    """The prepared base: iopkit's own, or the user's reference document (cached by
    path, modification time and size). Raises files.UsageProblem."""
    if reference is None:
        key: Any = None
    else:
        try:
            stat = reference.stat()
        except OSError as exc:
            raise UsageProblem(f"Referensdokumentet {reference} kan inte läsas: "
                               f"{describe_os_error(exc)}.") from None
        key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    with _base_lock:
        base = _bases.get(key)
        if base is None:
            if reference is None:
                from .docx_base import SHIPPED_BASE

                try:
                    base = _load_base(SHIPPED_BASE.read_bytes(), True, True)
                except OSError:  # pragma: no cover - a broken installation
                    from .docx_base import build_base_package

                    base = _load_base(*build_base_package(None))
            else:
                from .docx_base import build_base_package

                base = _load_base(*build_base_package(reference))
            _bases[key] = base
        return base


def _load_base(data: bytes, own_header: bool, own_footer: bool) -> Base:
    from lxml import etree

    members = read_package(data)
    by_name = dict(members)
    package_rels = part_targets(by_name, "")
    document_name = next(n for t, n in package_rels.values() if t == RT_OFFICE_DOCUMENT)
    core_name = next(n for t, n in package_rels.values() if t == RT_CORE_PROPERTIES)
    document_rels = part_targets(by_name, document_name)
    numbering_name = next(n for t, n in document_rels.values() if t == RT_NUMBERING)
    styles_name = next(n for t, n in document_rels.values() if t == RT_STYLES)

    document = etree.fromstring(by_name[document_name])
    sect_pr = document.find(f"{w('body')}/{w('sectPr')}")

    def reference_part(tag: str) -> str | None:
        for ref in sect_pr.findall(w(tag)) if sect_pr is not None else []:
            if ref.get(w("type"), "default") == "default":
                return document_rels[ref.get(f"{{{R_NS}}}id")][1]
        return None

    numbering = etree.fromstring(by_name[numbering_name])
    ours = [int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))
            if (a.find(w("nsid")) is not None and
                a.find(w("nsid")).get(w("val"), "").startswith(NSID_PREFIX))]
    width = A4_WIDTH - 2 * MARGIN
    if sect_pr is not None:
        size, margins = sect_pr.find(w("pgSz")), sect_pr.find(w("pgMar"))
        try:
            width = int(size.get(w("w"))) - int(margins.get(w("left"))) - \
                int(margins.get(w("right")))
        except (AttributeError, TypeError, ValueError):
            pass
    return Base(
        members=members,
        document_name=document_name,
        numbering_name=numbering_name,
        styles_name=styles_name,
        core_name=core_name,
        header_name=reference_part("headerReference") if own_header else None,
        footer_name=reference_part("footerReference") if own_footer else None,
        styles=style_ids(etree.fromstring(by_name[styles_name])),
        decimal_abstract=ours[-2],
        bullet_abstract=ours[-1],
        text_width=width,
    )
