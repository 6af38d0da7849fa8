"""Print PDF checks (P…): fonts embedded, no font outside the theme, no overfull line.

Embedding is read from the PDF itself (pypdf); foreign fonts and overfull lines from the
layout, which knows each font's characters and each line's measure. Findings are pointed at the manuscript where the text can be found there.
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
from octavo.print.finish import foreign_fonts
from octavo.print.layout import Layout

NOT_EMBEDDED = codes.get("P001")
FOREIGN_FONT = codes.get("P002")
OVERFULL = codes.get("P003")

_SUBSET = re.compile(r"^/?[A-Z]{6}\+")
TOLERANCE = 0.5  # points; WeasyPrint's own rounding stays well below
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS pixels


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


def pdf_fonts(path: Path) -> list[PdfFont]:
    """Every font the PDF's pages refer to."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
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
        where = next((p for ch in chars if (p := _locate(ch, manuscripts))[0]), None)
        detail = f"{name} sets {chars[:16]!r}"
        if where is None:
            where = (fallback, None, None)
            detail += " (not in the manuscript: the theme's CSS or the build adds it)"
        yield FOREIGN_FONT.at(where[0] or fallback, where[1], where[2], detail)


@dataclass(frozen=True)
class Overfull:
    page: int  # 1-based
    text: str
    excess: float  # points (1/72 in) past the measure


def overfull_lines(document: Any) -> Iterator[Overfull]:
    """Lines of a WeasyPrint document wider than the block that holds them."""
    from weasyprint.formatting_structure import boxes

    def lines(box: Any, block: Any) -> Iterator[tuple[Any, Any]]:
        if isinstance(box, boxes.MarginBox):
            return  # running heads and folios
        if isinstance(box, boxes.LineBox):
            yield box, block
            return
        if isinstance(box, boxes.ParentBox):
            inner = box if isinstance(box, boxes.BlockContainerBox) else block
            for child in box.children:
                yield from lines(child, inner)

    for number, page in enumerate(document.pages, start=1):
        for line, block in lines(page._page_box, None):
            texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
            if not texts or block is None:
                continue
            right = max(b.position_x + b.width for b in texts)
            excess = right - (block.content_box_x() + block.width)
            if excess * PT_PER_PX > TOLERANCE:
                yield Overfull(number, "".join(b.text for b in texts), excess * PT_PER_PX)


def overfull_diagnostics(
    document: Any, manuscripts: Sequence[Manuscript], fallback: Path | None
) -> Iterator[Diagnostic]:
    for line in overfull_lines(document):
        words = [w.strip(".,;:!?“”‘’«»()[]\"'") for w in line.text.replace("\u00ad", "").split()]
        longest = max(words, key=len) if words else ""
        path, row, col = _locate(longest, manuscripts) if longest else (None, None, None)
        detail = f"{line.excess:.1f} pt too long on page {line.page}: {line.text.strip()[:60]}"
        yield OVERFULL.at(path or fallback, row, col, detail)
