"""SVG images are XML that reading systems and WeasyPrint parse again: check them first.

The file is parsed with entity expansion, DTD loading and network access all off, so an
external entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) or an entity bomb ("billion
laughs") is seen as a declaration and never expanded. An SVG that declares entities, runs
scripts or points outside itself is refused: the image is left out, with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
_HREF_NAMES = {"href", "{http://www.w3.org/1999/xlink}href"}
# url(...) in a style that is not a reference into the same file
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def _outside_reference(root: etree._Element) -> str | None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions, unexpanded entities
        local = etree.QName(element).localname
        if local in {"script", "foreignObject"}:
            return f"it contains <{local}>"
        for name, raw in element.attrib.items():
            value = str(raw)
            if etree.QName(name).localname.lower().startswith("on"):
                return f"it has an event handler ({etree.QName(name).localname}=)"
            if name in _HREF_NAMES and not value.strip().startswith(("#", "data:")):
                return f"it refers to '{value}' outside itself"
            if name == "style" and _OUTSIDE_URL.search(value):
                return "a style in it refers to a file outside itself"
        if local == "style" and (
            _OUTSIDE_URL.search(element.text or "") or "@import" in (element.text or "")
        ):
            return "its style sheet refers to files outside itself"
    return None


def problem(path: Path) -> tuple[bool, str] | None:
    """None for a safe SVG; else (broken?, reason): broken files are errors, unsafe ones are
    refused with a warning."""
    data = path.read_bytes()
    if b"<!ENTITY" in data:  # seen before parsing: libxml2 stops some bombs with a parse error
        return False, "it declares XML entities (octavo never expands them)"
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return True, str(exc.msg or exc)
    except OSError as exc:
        return True, str(exc)
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[union-attr]
        return False, "it declares XML entities (octavo never expands them)"
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        return True, f"its root element is <{etree.QName(root).localname}>, not <svg>"
    reason = _outside_reference(root)
    return (False, reason) if reason else None
