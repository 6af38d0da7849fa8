"""The booklet: the print interior imposed on home-printer sheets, and how to print and fold it.

`imposition.plan()` decides where every page goes; this module draws that plan with pikepdf
(qpdf). Each interior page becomes a Form XObject holding its content stream as it is (still
compressed, never parsed) and its resources, clipped to its TrimBox: bleed and the interior's
crop marks lie outside the trim, so they never reach the sheet. A sheet side is then a few
`cm … Do` operators. This is why a novel's 416 pages impose in a tenth of a second, where
merging page contents (`merge_transformed_page`) took most of a minute, and the same forms
drawn by pypdf most of a second.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from octavo.book.paper import Size
from octavo.booklet.plan import (
    STAPLE_LIMIT,
    BookletOptions,
    Placement,
    Plan,
    Rect,
    Side,
    default_sheet,
    fit_scale,
    named_like,
    paper_name,
    plan,
)
from octavo.core.output import atomic_path

__all__ = ["Booklet", "BookletOptions", "guidance", "impose", "write"]


@dataclass(frozen=True)
class Booklet:
    data: bytes
    plan: Plan


@dataclass(frozen=True)
class _Form:
    ref: Any  # the Form XObject, in the booklet's PDF
    left: float  # the page's TrimBox origin, in its own user space
    bottom: float


def _trimbox(page: Any) -> tuple[float, float, float, float]:
    """A page's TrimBox (its CropBox, then its MediaBox, when it has none), as x0 y0 x1 y1."""
    x0, y0, x1, y1 = (float(v) for v in page.trimbox)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def interior_trim(pages: list[Any]) -> Size:
    """The trim of the interior: the largest TrimBox."""
    boxes = [_trimbox(p) for p in pages]
    width = max(x1 - x0 for x0, _, x1, _ in boxes)
    height = max(y1 - y0 for _, y0, _, y1 in boxes)
    return named_like(width, height)


def _form(out: Any, source: Any, page: Any) -> _Form:
    """The page as a Form XObject: its content stream and resources, clipped to its trim."""
    import pikepdf
    from pikepdf import Array, Name

    contents = page.obj.get(Name.Contents)
    if isinstance(contents, pikepdf.Stream):
        # One content stream: its bytes as they are, compressed or not.
        form = out.copy_foreign(contents)
    else:
        form = out.make_stream(b"".join(s.read_bytes() for s in _streams(contents)))
    x0, y0, x1, y1 = _trimbox(page)
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = Array([x0, y0, x1, y1])
    for key in (Name.Resources, Name.Group):
        if key in page.obj:
            # copied once per source object: pages sharing fonts or a resource dictionary
            # share one copy in the booklet
            value = page.obj[key]
            if not value.is_indirect:  # copy_foreign takes indirect objects only
                value = source.make_indirect(value)
            form[key] = out.copy_foreign(value)
    return _Form(out.make_indirect(form), x0, y0)


def _streams(contents: Any) -> list[Any]:
    """The content streams of a page whose /Contents is an array (or missing)."""
    import pikepdf

    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _place(placement: Placement, form: _Form, name: str) -> str:
    """q, clip to the page's cell, map its trim onto its box (turned 180° if upside down)."""
    s, box, clip = placement.scale, placement.box, placement.clip
    if placement.upside_down:
        matrix = (-s, 0.0, 0.0, -s, box.x1 + form.left * s, box.y1 + form.bottom * s)
    else:
        matrix = (s, 0.0, 0.0, s, box.x0 - form.left * s, box.y0 - form.bottom * s)
    rect = (clip.x0, clip.y0, clip.x1 - clip.x0, clip.y1 - clip.y0)
    return f"q {' '.join(map(_num, rect))} re W n {' '.join(map(_num, matrix))} cm {name} Do Q"


def _draw_marks(lines: tuple[Rect, ...]) -> str:
    if not lines:
        return ""
    # Registration black, hairline: marks must show in any ink and stay thin.
    segments = " ".join(f"{_num(r.x0)} {_num(r.y0)} m {_num(r.x1)} {_num(r.y1)} l" for r in lines)
    return f"q 0 0 0 1 K 0.25 w [] 0 d {segments} S Q"


def _draw_side(out: Any, side: Side, sheet: Size, forms: dict[int, _Form]) -> None:
    from pikepdf import Dictionary

    page = out.add_blank_page(page_size=(sheet.width, sheet.height))
    xobjects = Dictionary()
    ops = []
    for i, placement in enumerate(side.placements):
        name = f"/P{i}"
        xobjects[name] = forms[placement.page].ref
        ops.append(_place(placement, forms[placement.page], name))
    ops.append(_draw_marks(side.marks))
    page.obj.Contents = out.make_stream("\n".join(op for op in ops if op).encode("ascii"))
    page.obj.Resources = Dictionary(XObject=xobjects)


def impose(pdf: bytes, options: BookletOptions | None = None) -> Booklet:
    """The booklet PDF for an interior PDF, with the plan it follows."""
    import pikepdf

    source = pikepdf.open(io.BytesIO(pdf))
    pages = list(source.pages)
    trim = interior_trim(pages)
    options = options or BookletOptions()
    if options.sheet is None:
        options = replace(options, sheet=default_sheet(trim))
    layout = plan(len(pages), trim, options)
    out = pikepdf.new()
    forms: dict[int, _Form] = {}
    for side in layout.sides:
        for placement in side.placements:
            if placement.page not in forms:
                forms[placement.page] = _form(out, source, pages[placement.page])
        _draw_side(out, side, layout.sheet, forms)
    for key, value in source.docinfo.items():
        out.docinfo[key] = value
    data = io.BytesIO()
    # streams pass through as they are; the sides' own few operators are compressed
    out.save(
        data,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
    )
    return Booklet(data.getvalue(), layout)


def write(pdf: bytes, options: BookletOptions | None, path: Path) -> Booklet:
    booklet = impose(pdf, options)
    with atomic_path(path) as tmp:
        tmp.write_bytes(booklet.data)
    return booklet


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fold_step(plan: Plan) -> str:
    match plan.options.four_up:
        case "copies":
            return (
                "Cut the printed stack across the middle into two identical stacks, one "
                "booklet each; fold every sheet in half"
            )
        case "folded":
            return (
                "Fold every sheet twice: the top half back behind the bottom half, then in "
                "half with page 1 outside; slit the folds at the top"
            )
        case _:
            return "Fold every sheet in half"


def _gather_step(plan: Plan) -> str:
    signatures = plan.signatures
    if len(signatures) == 1:
        step = "nest the sheets in printed order, sheet 1 outside, and staple on the fold."
        if plan.sheets > STAPLE_LIMIT:
            step += (
                f" {plan.sheets} sheets are too thick for most staplers: "
                "signatures of 4–6 sheets (--signature) can be sewn or stapled one by one."
            )
        return step
    size = signatures[0]
    last = f", the last of {signatures[-1]}" if signatures[-1] != size else ""
    first = f"sheets 1–{size}" if size > 1 else "sheet 1"
    return (
        f"nest the sheets of each signature ({first}, then the next {size}…): "
        f"{len(signatures)} signatures of {_plural(size, 'sheet')}{last}. "
        "Keep them in order and sew them together, or staple each on its fold."
    )


def fits_four_up(plan: Plan) -> bool:
    """Would the pages go four to a side at full size (A6 on A4)?"""
    short, long = sorted((plan.sheet.width, plan.sheet.height))
    return fit_scale(short / 2, long / 2, plan.trim) == 1.0


def guidance(plan: Plan) -> tuple[str, ...]:
    """What the person at the printer needs to know, in the order they need it."""
    paper = paper_name(plan.sheet)
    per_side = 2 if plan.options.four_up is None else 4
    notes = [
        f"{_plural(plan.sheets, 'sheet')} of {paper}: print double-sided, flip on the "
        f"{plan.flip_edge} edge, at 100% (actual size, not 'fit to page').",
    ]
    trim = paper_name(plan.trim)
    if plan.scale == 1.0:
        notes.append(f"{trim} pages at 100%, {per_side} to a side, touching at the fold.")
    else:
        notes.append(
            f"{trim} pages scaled to {plan.scale:.1%} to fit {per_side} to a side of {paper}."
        )
    notes.append(f"{_fold_step(plan)}; {_gather_step(plan)}")
    if plan.blanks:
        where = "before the back cover" if plan.options.back_cover else "after the text"
        notes.append(f"{_plural(plan.blanks, 'blank page')} added {where}.")
    if plan.options.creep_mm:
        notes.append(
            f"Creep {plan.options.creep_mm:g} mm a sheet: the innermost sheet's pages are "
            f"pushed {plan.max_creep_mm:.2f} mm toward the fold."
        )
    if plan.options.marks:
        notes.append(
            "Marks on the front of every sheet: at both ends of each fold, and on each edge "
            "to trim where the pages stop short of the sheet's edge."
        )
    if plan.options.four_up is None and fits_four_up(plan):
        notes.append(f"{trim} pages fit four to a side: --four-up copies, or folded, saves paper.")
    return tuple(notes)
