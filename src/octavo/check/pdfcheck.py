"""Print PDF checks (P…): fonts embedded, no font outside the theme. (Overfull lines and the
other faults of the page layout are the page-quality report's: pagequality.py.)

Embedding is read from the PDF itself (pypdf); foreign fonts from the layout, which knows each
font's characters. Findings are pointed at the manuscript where the text can be found there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.check.prose import Manuscript
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.print.finish import PICTURE_TEXT, foreign_fonts
from octavo.print.layout import Layout

NOT_EMBEDDED = codes.get("P001")
FOREIGN_FONT = codes.get("P002")

_SUBSET = re.compile(r"^/?[A-Z]{6}\+")


@dataclass(frozen=True)
class PdfFont:
    name: str  # BaseFont without its subset tag
    embedded: bool


def _descriptor(font: Any) -> Any:
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    return descriptor.get_object() if descriptor is not None else {}


def _base_name(font: Any) -> str:
    return _SUBSET.sub("", str(font.get("/BaseFont", "?"))).lstrip("/")


def _font_dicts(resources: Any, seen: set[int]) -> Iterator[Any]:
    """The fonts of a resources dictionary and of the Form XObjects it names (a page of a
    book laid out in units draws its text through one: print/join.py)."""
    for ref in (resources.get("/Font") or {}).values():
        yield ref.get_object()
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        mark = getattr(ref, "idnum", id(xobject))
        if xobject.get("/Subtype") == "/Form" and mark not in seen:
            seen.add(mark)
            yield from _font_dicts(xobject.get("/Resources") or {}, seen)


def pdf_fonts(path: Path) -> list[PdfFont]:
    """Every font the PDF's pages refer to, and the forms drawn on them."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}
    seen: set[int] = set()
    for page in PdfReader(path).pages:
        for font in _font_dicts(page.get("/Resources") or {}, seen):
            descriptor = _descriptor(font)
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[_base_name(font)] = found.get(_base_name(font), True) and embedded
    return [PdfFont(name, embedded) for name, embedded in found.items()]


Place = tuple[Path | None, int | None, int | None]


def _locate(needle: str, manuscripts: Sequence[Manuscript]) -> Place:
    """Where a run of text stands in the manuscript: the run itself, else its first character
    that the book's text has (after typography)."""
    needle = needle.strip()
    for manuscript in manuscripts:
        offset = manuscript.source.text.find(needle) if len(needle) > 1 else -1
        if offset >= 0:
            return (manuscript.path, *manuscript.position(offset))
    for ch in needle:
        for manuscript in manuscripts:
            for paragraph in manuscript.paragraphs:
                for i, out in enumerate(paragraph.book):
                    if ch in out and not ch.isspace():
                        return (manuscript.path, *manuscript.position(paragraph.offsets[i]))
            for offset, line in manuscript.code_lines:  # listings: set in the code face
                if ch in line and not ch.isspace():
                    return (manuscript.path, *manuscript.position(offset + line.index(ch)))
    return None, None, None


def embedding_diagnostics(path: Path, fallback: Path | None) -> Iterator[Diagnostic]:
    """P001 for every font of the PDF that is not embedded."""
    for font in pdf_fonts(path):
        if not font.embedded:
            yield NOT_EMBEDDED.at(fallback, None, None, font.name)


def foreign_font_diagnostics(
    layout: Layout, manuscripts: Sequence[Manuscript], fallback: Path | None
) -> Iterator[Diagnostic]:
    """P002 for each font outside the theme, at the first manuscript place that holds one of
    the characters it sets (the build says the same, without a place: finish.font_warnings)."""
    for name, chars in foreign_fonts(layout).items():
        if not chars:
            detail = f"{name} {PICTURE_TEXT.format(name=name)}"
            yield FOREIGN_FONT.at(fallback, None, None, detail)
            continue
        where = next((p for ch in chars if (p := _locate(ch, manuscripts))[0]), None)
        detail = f"{name} sets {chars[:16]!r}"
        if where is None:
            where = (fallback, None, None)
            detail += " (not in the manuscript: the theme's CSS or the build adds it)"
        yield FOREIGN_FONT.at(where[0] or fallback, where[1], where[2], detail)
