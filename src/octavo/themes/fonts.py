"""A theme's font files: what characters they can draw, and the fonts embedded in the EPUB,
cut down to the characters the book uses (fontTools, which WeasyPrint already depends on). OFL
fonts allow this; the subset keeps the font's name tables and licence."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from octavo.core.slug import slugify
from octavo.themes.faces import FontFace

MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


@lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage(faces: Iterable[FontFace]) -> frozenset[int]:
    """The code points any of these faces can draw."""
    covered: frozenset[int] = frozenset()
    for face in faces:
        covered |= cmap(face.path)
    return covered


@dataclass(frozen=True)
class EmbeddedFont:
    href: str  # inside the EPUB's content folder, e.g. fonts/ebgaramond-wght.ttf
    media_type: str
    data: bytes


def href_for(path: Path) -> str:
    suffix = path.suffix.lower()
    return f"fonts/{slugify(path.stem) or 'font'}{suffix}"


def subset(path: Path, text: str) -> EmbeddedFont:
    """The font at `path` holding only the glyphs `text` needs (plus the features that shape
    them: ligatures, small caps, old-style figures)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]  # keep every OpenType feature the CSS may switch on
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False  # the same bytes on every build
    font = TTFont(str(path), recalcTimestamp=False, lazy=False)
    subsetter = ft_subset.Subsetter(options=options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    suffix = path.suffix.lower()
    return EmbeddedFont(href_for(path), MEDIA_TYPES.get(suffix, "font/ttf"), out.getvalue())


@lru_cache(maxsize=32)
def gap_between(path: Path, char: str) -> float:
    """The white, in ems, between two copies of `char` set solid in the font at `path`: its
    right side bearing plus its left one (negative when the glyphs overlap). Typesetters join
    em dashes into a 2-em or 3-em dash; a face that leaves a hair between them needs that much
    taken out."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        name = font.getBestCmap().get(ord(char))
        if name is None:
            return 0.0
        glyphs = font.getGlyphSet()
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is None:
            return 0.0
        advance = font["hmtx"][name][0]
        left, right = pen.bounds[0], pen.bounds[2]
        units: float = advance - right + left
        return units / float(font["head"].unitsPerEm)
