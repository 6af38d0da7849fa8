"""The page's geometry: trim, mirrored margins, a gutter that grows with the page count, and
bleed. The look of the page (type, folios, running heads) is the theme's print.css."""

from __future__ import annotations

from dataclasses import dataclass, field

from octavo.book.paper import INCH, Size, gutter_for
from octavo.print.printers import PrintOptions

FURNITURE_ROOM = 0.375 * INCH  # a running head or folio with its gap to the text block
DESIGN_INSIDE = 0.25 * INCH  # inside margin beyond the gutter the binding takes
# Glyphs reach past their advance (the hook of an f, an italic's slope): a text block set at a
# printer's least side margin keeps this much more, so no ink falls inside that margin.
OVERHANG = 3.0


@dataclass(frozen=True)
class Margins:
    """Mirrored margins: `inner` is the gutter side (left on rectos, right on versos)."""

    top: float
    bottom: float
    inner: float
    outer: float


@dataclass(frozen=True)
class Geometry:
    trim: Size
    margins: Margins
    gutter: float  # the part of `inner` the binding takes, by page count (paper.gutter_for)
    options: PrintOptions = field(default_factory=PrintOptions)


def margins_for(trim: Size, pages: int = 0, min_margin: float = 0.0) -> Margins:
    """Proportions of a well-set page; the inside margin is the gutter for this many pages
    (KDP's table) plus a quarter inch, so the text clears the binding of a thick book."""
    least = max(min_margin, 0.25 * INCH)
    return Margins(
        # the running head and the folio sit in these, a line and a gap from the text block:
        # they too must keep the printer's least margin from the edge
        top=max(trim.height * 0.075, least + FURNITURE_ROOM),
        bottom=max(trim.height * 0.09, least + FURNITURE_ROOM),
        inner=max(gutter_for(pages) + DESIGN_INSIDE, least + OVERHANG),
        outer=max(trim.width * 0.09, least + OVERHANG, 0.375 * INCH),
    )


def geometry_for(trim: Size, pages: int, options: PrintOptions | None = None) -> Geometry:
    options = options or PrintOptions()
    return Geometry(trim, margins_for(trim, pages, options.min_margin), gutter_for(pages), options)


def page_css(geometry: Geometry) -> str:
    """@page size, mirrored margins and bleed. Bleed goes on the top, bottom and outside edges
    only: the inside edge is bound, and KDP and IngramSpark want no bleed there."""
    m, o = geometry.margins, geometry.options
    out, spine = o.media_reach()
    vertical = out
    rules = [
        f"@page {{ size: {geometry.trim.css()}; margin: {m.top:.2f}pt {m.outer:.2f}pt "
        f"{m.bottom:.2f}pt {m.inner:.2f}pt; }}",
        f"@page :left {{ margin-left: {m.outer:.2f}pt; margin-right: {m.inner:.2f}pt; "
        f"bleed: {vertical:.3f}pt {spine:.3f}pt {vertical:.3f}pt {out:.3f}pt; }}",
        f"@page :right {{ margin-left: {m.inner:.2f}pt; margin-right: {m.outer:.2f}pt; "
        f"bleed: {vertical:.3f}pt {out:.3f}pt {vertical:.3f}pt {spine:.3f}pt; }}",
    ]
    return "\n".join(rules) + "\n"
