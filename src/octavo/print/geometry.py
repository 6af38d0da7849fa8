"""The page's geometry: trim, mirrored margins, a gutter that grows with the page count, and
bleed. The look of the page (type, folios, running heads) is the theme's print.css."""

from __future__ import annotations

from dataclasses import dataclass, field

from octavo.book.paper import INCH, Size, gutter_for
from octavo.print.printers import PrintOptions
from octavo.themes.design import Margins as DesignMargins

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

    @property
    def text_block(self) -> tuple[float, float]:
        """Width and height of the text block (points): the trim less its margins, the same on
        recto and verso (their inside and outside margins swap)."""
        m = self.margins
        return self.trim.width - m.inner - m.outer, self.trim.height - m.top - m.bottom


def margins_for(
    trim: Size, pages: int = 0, min_margin: float = 0.0, chosen: DesignMargins | None = None
) -> Margins:
    """Proportions of a well-set page; the inside margin is the gutter for this many pages
    (KDP's table) plus a quarter inch, so the text clears the binding of a thick book.
    Margins chosen in [design] replace the proportions, but never come closer to the edge
    than the printer allows (the head and folio included) nor into the gutter."""
    least = max(min_margin, 0.25 * INCH)
    chosen = chosen or DesignMargins()
    # the running head and the folio sit in these, a line and a gap from the text block:
    # they too must keep the printer's least margin from the edge
    return Margins(
        top=max(_or(chosen.top, trim.height * 0.075), least + FURNITURE_ROOM),
        bottom=max(_or(chosen.bottom, trim.height * 0.09), least + FURNITURE_ROOM),
        inner=max(
            _or(chosen.inside, gutter_for(pages) + DESIGN_INSIDE),
            gutter_for(pages),
            least + OVERHANG,
        ),
        outer=max(_or(chosen.outside, max(trim.width * 0.09, 0.375 * INCH)), least + OVERHANG),
    )


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def geometry_for(
    trim: Size,
    pages: int,
    options: PrintOptions | None = None,
    chosen: DesignMargins | None = None,
) -> Geometry:
    options = options or PrintOptions()
    margins = margins_for(trim, pages, options.min_margin, chosen)
    return Geometry(trim, margins, gutter_for(pages), options)


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
