"""Print PDF checks (P…): fonts embedded, no font outside the theme, no overfull line.

Fonts are read from the PDF itself (pypdf); overfull lines from WeasyPrint's layout, which knows
each line's measure. Findings are pointed at the manuscript where the text can be found there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.check.prose import Manuscript
from octavo.check.registry import register
from octavo.core.diagnostics import Diagnostic
from octavo.themes import Theme

NOT_EMBEDDED = register(
    "P001",
    "error",
    "font not embedded in the print PDF",
    """Printers and print-on-demand services (KDP, IngramSpark) reject a PDF whose fonts are not
    embedded: the page would be set in whatever font their machine has.""",
    "build",
)
FOREIGN_FONT = register(
    "P002",
    "warning",
    "font outside the theme in the print PDF",
    """Text was set in a font that is not the theme's, because the theme's font lacks some
    characters (see F001) or a style asks for a generic font such as monospace. The page then
    depends on the fonts of the machine that built it.""",
    "build",
)
OVERFULL = register(
    "P003",
    "warning",
    "overfull line in the print PDF",
    """A line runs past the right edge of the text block because nothing in it can break: a long
    URL, a word the hyphenation patterns do not know, a long code span. Rephrase, add a soft
    hyphen (U+00AD) or a zero-width space (U+200B) where it may break.""",
    "build",
)

_SUBSET = re.compile(r"^/?[A-Z]{6}\+")
TOLERANCE = 0.5  # points; WeasyPrint's own rounding stays well below
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS pixels


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _SUBSET.sub("", name).lower())


def theme_font_names(theme: Theme) -> tuple[str, ...]:
    """Normalised names a theme's fonts take in a PDF (WeasyPrint writes the family name)."""
    from fontTools.ttLib import TTFont

    names = {_norm(theme.family)}
    for face in theme.faces:
        with TTFont(face.path, lazy=True) as font:
            postscript = font["name"].getDebugName(6) or ""
        names |= {_norm(postscript), _norm(postscript.split("-")[0])}
    return tuple(sorted(n for n in names if n))


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


def texts_by_font(path: Path, fonts: set[str]) -> dict[str, list[tuple[int, str]]]:
    """What each of these fonts sets: (page, text) runs. (WeasyPrint lists every font on every
    page, so the text itself tells where a font is used.)"""
    from pypdf import PdfReader

    runs: dict[str, list[tuple[int, str]]] = {}
    for number, page in enumerate(PdfReader(path).pages, start=1):

        def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any, page: int = number) -> None:
            name = _base_name(font) if font is not None else ""
            if name in fonts and text.strip():
                runs.setdefault(name, []).append((page, text))

        page.extract_text(visitor_text=visit)
    return runs


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
    return None, None, None


def font_diagnostics(
    path: Path, theme: Theme, manuscripts: Sequence[Manuscript], fallback: Path | None
) -> Iterator[Diagnostic]:
    fonts = pdf_fonts(path)
    for font in fonts:
        if not font.embedded:
            yield NOT_EMBEDDED.diagnostic(fallback, None, None, font.name)
    allowed = theme_font_names(theme)
    foreign = {f.name for f in fonts if not any(_norm(f.name).startswith(a) for a in allowed)}
    for name, runs in texts_by_font(path, foreign).items():
        pages = sorted({page for page, _ in runs})
        shown = ", ".join(map(str, pages[:5])) + ("…" if len(pages) > 5 else "")
        chars = "".join(sorted({c for _, text in runs for c in text if not c.isspace()}))
        where = next((p for _, t in runs if (p := _locate(t, manuscripts))[0]), None)
        label = "page" if len(pages) == 1 else "pages"
        detail = f"{name} sets {chars[:16]!r} on {label} {shown}"
        if where is None:
            where = (fallback, None, None)
            detail += " (not in the manuscript: the theme's CSS or the build adds it)"
        yield FOREIGN_FONT.diagnostic(where[0] or fallback, where[1], where[2], detail)


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
        yield OVERFULL.diagnostic(path or fallback, row, col, detail)
