"""Saddle-stitch imposition: the print interior, 2-up on landscape sheets, in folding order.

A booklet of N pages (N padded to a multiple of 4 with blanks before the back page) is printed
on N/4 sheets, both sides. Sheet s, front: page N-2s on the left, 1+2s on the right; back:
2+2s on the left, N-1-2s on the right (pages numbered from 1). Folded and nested, they read
in order.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from octavo.output import atomic_path
from octavo.paper import Size


@dataclass(frozen=True)
class SheetSide:
    left: int | None  # 0-based page index, None for a blank
    right: int | None


def padded_order(page_count: int) -> list[int | None]:
    """Reading order padded to a multiple of 4: blanks go before the last page (the back cover
    page), never in the middle of the text. A one-page book gets three blanks after it."""
    total = max(4, -(-page_count // 4) * 4)
    blanks = total - page_count
    if page_count <= 1:
        return [*range(page_count), *([None] * blanks)]
    return [*range(page_count - 1), *([None] * blanks), page_count - 1]


def saddle_sides(page_count: int) -> list[SheetSide]:
    """Sheet sides in printing order (front, back, front, back…)."""
    order = padded_order(page_count)
    n = len(order)
    sides = []
    for s in range(n // 4):
        sides.append(SheetSide(order[n - 1 - 2 * s], order[2 * s]))
        sides.append(SheetSide(order[2 * s + 1], order[n - 2 - 2 * s]))
    return sides


def impose(pdf: bytes, sheet: Size) -> tuple[bytes, float]:
    """Return the booklet PDF and the scale used (1.0 when the pages fit exactly)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    box = pages[0].trimbox
    page_w, page_h = float(box.width), float(box.height)
    half_w = sheet.width / 2
    scale = min(1.0, half_w / page_w, sheet.height / page_h)
    dx = (half_w - page_w * scale) / 2
    dy = (sheet.height - page_h * scale) / 2
    writer = PdfWriter()
    for side in saddle_sides(len(pages)):
        target = writer.add_blank_page(sheet.width, sheet.height)
        for index, x0 in ((side.left, 0.0), (side.right, half_w)):
            if index is None:
                continue
            page = pages[index]
            origin = page.trimbox
            move = (
                Transformation()
                .translate(-float(origin.left), -float(origin.bottom))
                .scale(scale, scale)
                .translate(x0 + dx, dy)
            )
            target.merge_transformed_page(page, move)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), scale


def write(pdf: bytes, sheet: Size, path: Path) -> tuple[Path, float]:
    data, scale = impose(pdf, sheet)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path, scale
