"""Page and sheet sizes in PostScript points (1 pt = 1/72 in).

Trim: the size of the finished, cut page. Sheet: the paper a home printer takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from octavo.core.units import PT_PER_UNIT, parse_length

INCH = 72.0
__all__ = ["PT_PER_UNIT", "parse_length"]  # kept here too: they were defined here first


@dataclass(frozen=True)
class Size:
    name: str
    width: float  # points
    height: float  # points

    @property
    def is_us(self) -> bool:
        """US trims are imposed on Letter; metric ones on A4."""
        return self.name.endswith("in") or self.name in {"letter", "legal"}

    def css(self) -> str:
        return f"{self.width:.3f}pt {self.height:.3f}pt"


def _mm(name: str, w: float, h: float) -> Size:
    return Size(name, w * PT_PER_UNIT["mm"], h * PT_PER_UNIT["mm"])


def _in(name: str, w: float, h: float) -> Size:
    return Size(name, w * 72, h * 72)


NAMED_SIZES: dict[str, Size] = {
    s.name: s
    for s in (
        _mm("a4", 210, 297),
        _mm("a5", 148, 210),
        _mm("a6", 105, 148),
        _mm("b5", 176, 250),
        _in("5x8in", 5, 8),
        _in("5.25x8in", 5.25, 8),
        _in("5.5x8.5in", 5.5, 8.5),
        _in("6x9in", 6, 9),
        _in("letter", 8.5, 11),
        _in("legal", 8.5, 14),
    )
}
ALIASES = {"us-letter": "letter", "us letter": "letter", "usletter": "letter"}

_SIZE_RE = re.compile(
    r"^\s*(?P<w>\d+(?:\.\d+)?)\s*(?P<wu>pt|in|mm|cm|px)?\s*[x×]\s*"
    r"(?P<h>\d+(?:\.\d+)?)\s*(?P<hu>pt|in|mm|cm|px)\s*$"
)


def parse_size(text: str) -> Size:
    """'A5', '6x9in', '5.5 x 8.5 in', '148mm x 210mm' → Size; ValueError if not a size."""
    key = text.strip().lower()
    key = ALIASES.get(key, key)
    compact = key.replace(" ", "")
    if key in NAMED_SIZES:
        return NAMED_SIZES[key]
    if compact in NAMED_SIZES:
        return NAMED_SIZES[compact]
    match = _SIZE_RE.match(key)
    if not match:
        raise ValueError(text)
    h_unit = match["hu"]
    w_unit = match["wu"] or h_unit
    width = float(match["w"]) * PT_PER_UNIT[w_unit]
    height = float(match["h"]) * PT_PER_UNIT[h_unit]
    if not (72 <= width <= 2000 and 72 <= height <= 2000):
        raise ValueError(text)
    return Size(compact, width, height)


def sheet_for(trim: Size) -> Size:
    """The home-printer sheet a booklet of this trim goes on, landscape."""
    portrait = NAMED_SIZES["letter"] if trim.is_us else NAMED_SIZES["a4"]
    return Size(portrait.name, portrait.height, portrait.width)


SIZE_HELP = "a name (" + ", ".join(sorted(NAMED_SIZES)) + ") or 'W x H' with a unit, e.g. '6x9in'"


# The gutter: the extra inside margin a perfect-bound book needs so text does not vanish into
# the binding; the thicker the book, the more it curves there. KDP's table (inches), by pages.
GUTTER_TABLE: tuple[tuple[int, float], ...] = (
    (150, 0.375),
    (300, 0.5),
    (500, 0.625),
    (700, 0.75),
)
GUTTER_BEYOND = 0.875


def gutter_for(pages: int) -> float:
    """The gutter in points for a book of `pages` pages (KDP's minimum inside margin)."""
    for limit, inches in GUTTER_TABLE:
        if pages <= limit:
            return inches * 72
    return GUTTER_BEYOND * 72
