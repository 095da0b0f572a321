"""Validation of WordprocessingML parts against the ECMA-376 Transitional schemas in
tests/schemas/ (see its README for where they come from).

A consumer first applies Markup Compatibility (ECMA-376 Part 3): attributes and
elements in namespaces that a part declares `mc:Ignorable` are dropped unless the
consumer understands them, and `mc:AlternateContent` is replaced by its fallback. The
base document from python-docx's template declares Word 2010's w14 namespace ignorable,
so the parts are preprocessed the same way before they meet the 2006 schemas.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

SCHEMAS = Path(__file__).parent / "schemas"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
#: The namespaces the schemas in tests/schemas/ecma-376 define.
UNDERSTOOD = {
    W_NS,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "http://www.w3.org/XML/1998/namespace",
}


@functools.cache
def wordprocessingml_schema():
    """The schema, loaded from the files here only (never from the network)."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "wordprocessingml.xsd"), parser))


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def apply_markup_compatibility(root):
    """The part as a consumer that understands only UNDERSTOOD sees it (in place)."""

    def walk(element, ignorable: frozenset[str]) -> None:
        declared = element.get(f"{{{MC_NS}}}Ignorable")
        if declared:
            ignorable = ignorable | {element.nsmap.get(prefix) for prefix in declared.split()}
        dropped = ignorable - UNDERSTOOD
        for name in list(element.attrib):
            if _namespace(name) == MC_NS or _namespace(name) in dropped:
                del element.attrib[name]
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{{{MC_NS}}}AlternateContent":
                fallback = child.find(f"{{{MC_NS}}}Fallback")
                for chosen in list(fallback) if fallback is not None else []:
                    child.addprevious(chosen)
                element.remove(child)
            elif _namespace(child.tag) in dropped:
                element.remove(child)
        for child in element:
            if isinstance(child.tag, str):
                walk(child, ignorable)

    walk(root, frozenset())
    return root


def schema_errors(xml: bytes) -> list[str]:
    """What the schema finds wrong with one part (empty when it is valid)."""
    from lxml import etree

    root = apply_markup_compatibility(etree.fromstring(xml))
    schema = wordprocessingml_schema()
    if schema.validate(root):
        return []
    return [f"rad {e.line}: {e.message}" for e in schema.error_log]


def docx_schema_errors(data: bytes) -> dict[str, list[str]]:
    """Part name -> errors, for every WordprocessingML part of a .docx (document,
    styles, numbering, settings, header, footer, font table …); only invalid parts."""
    from lxml import etree

    errors: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith(".xml"):
                continue
            xml = package.read(name)
            if _namespace(etree.fromstring(xml).tag) != W_NS:
                continue
            found = schema_errors(xml)
            if found:
                errors[name] = found[:10]
    return errors


def wordprocessingml_parts(data: bytes) -> set[str]:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name for name in package.namelist() if name.endswith(".xml") and
                _namespace(etree.fromstring(package.read(name)).tag) == W_NS}
