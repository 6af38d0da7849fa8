"""Home booklets: interiors with one big number a page are imposed, and every sheet side is read
back per half (or quarter) with pdfium, then "folded" by a model of the paper written here,
independently of octavo's folio maths, so a wrong order cannot pass."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader, PdfWriter

from octavo import build, load_book
from octavo.book.paper import PT_PER_UNIT, parse_size
from octavo.booklet.plan import BookletError, BookletOptions, padded_order
from octavo.booklet.sheets import Booklet, guidance, impose
from support import make_book

MM = PT_PER_UNIT["mm"]
A4_LANDSCAPE = (841.89, 595.28)
LETTER_LANDSCAPE = (792.0, 612.0)


# --- interiors -------------------------------------------------------------------------------


@functools.cache
def _render(pages: int, size: str, extra: str) -> bytes:
    """An interior of `pages` pages, each with its number in big type, by WeasyPrint."""
    from weasyprint import HTML

    css = (
        f"@page {{ size: {size}; margin: 12mm; {extra} }}"
        "p { font-size: 60pt; text-align: center; margin: 0; break-after: page }"
    )
    body = "".join(f"<p>{i}</p>" for i in range(1, pages + 1))
    data: bytes = HTML(string=f"<style>{css}</style>{body}").write_pdf()
    return data


@functools.cache
def interior(pages: int, size: str = "148mm 210mm", extra: str = "") -> bytes:
    """The first `pages` pages of a cached render of 16 (or 300) pages."""
    full = _render(16 if pages <= 16 else max(pages, 300), size, extra)
    if pages in (16, 300):
        return full
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(full)).pages[:pages]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def small(size: str, extra: str = "") -> bytes:
    """Eight pages of another trim: a render of its own, kept short."""
    return _render(8, size, extra)


# --- reading sheets back ---------------------------------------------------------------------


def cells(doc: pdfium.PdfDocument, quarters: bool = False) -> list[list[str]]:
    """The label in each half of every sheet side (left, right), or each quarter (top left,
    top right, bottom left, bottom right); '' for a blank."""
    sides = []
    for i in range(len(doc)):
        page = doc[i]
        w, h = page.get_size()
        text = page.get_textpage()
        if quarters:
            regions = [(0, h / 2, w / 2, h), (w / 2, h / 2, w, h), (0, 0, w / 2, h / 2)]
            regions.append((w / 2, 0, w, h / 2))
        else:
            regions = [(0, 0, w / 2, h), (w / 2, 0, w, h)]
        sides.append([text.get_text_bounded(*r).strip() for r in regions])
    return sides


def read_nested(sheets: list[tuple[list[str], list[str]]]) -> list[str]:
    """Pages in reading order of sheets (front, back) folded in half and nested, the first
    outside: going in, the right of each front then the left of its back; coming out, the
    right of each back then the left of its front."""
    going_in = [page for front, back in sheets for page in (front[1], back[0])]
    coming_out = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return going_in + coming_out


def read_quartos(sheets: list[tuple[list[str], list[str]]]) -> list[str]:
    """Reading order of sheets each folded twice (top half behind, then in half) and nested.
    Quarters are [top left, top right, bottom left, bottom right]; the back is seen turned
    over on its long edge, so its left is behind the front's right."""
    if not sheets:
        return []
    (front, back), rest = sheets[0], sheets[1:]
    first = [front[3], back[2], back[0], front[1]]
    last = [front[0], back[1], back[3], front[2]]
    return first + read_quartos(rest) + last


def pairs(sides: list[list[str]]) -> list[tuple[list[str], list[str]]]:
    return list(zip(sides[0::2], sides[1::2], strict=True))


def expected(count: int, padded: int, back_cover: bool = False) -> list[str]:
    labels = [str(i) for i in range(1, count + 1)]
    blanks = [""] * (padded - count)
    if back_cover and count > 1:
        return labels[:-1] + blanks + labels[-1:]
    return labels + blanks


def imposed(
    data: bytes, options: BookletOptions | None = None
) -> tuple[Booklet, pdfium.PdfDocument]:
    booklet = impose(data, options)
    return booklet, pdfium.PdfDocument(booklet.data)


@dataclass(frozen=True)
class Placed:
    """Where a page was placed, measured from the sheet's form XObjects: its CTM."""

    scale: float
    upside_down: bool
    x: float  # sheet position of the interior's trim origin (its lower-left, or upper-right
    y: float  # for a page turned upside down)


def placed(doc: pdfium.PdfDocument, index: int) -> list[Placed]:
    result = []
    for obj in doc[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_FORM], max_depth=1):
        a, _b, _c, d, e, f = obj.get_matrix().get()
        result.append(Placed(abs(a), a < 0 and d < 0, e, f))
    return sorted(result, key=lambda p: (p.y, p.x))


def media(data: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(data)).pages
    ]


# --- order -----------------------------------------------------------------------------------

COUNTS = [1, 2, 3, 4, 5, 8, 13, 16, 300]


@pytest.mark.parametrize("count", COUNTS)
def test_every_sheet_side_shows_the_right_pair(count: int) -> None:
    booklet, doc = imposed(interior(count))
    padded = max(4, -(-count // 4) * 4)
    assert len(doc) == padded // 2 == 2 * booklet.plan.sheets
    assert read_nested(pairs(cells(doc))) == expected(count, padded)


@pytest.mark.parametrize(("count", "signature"), [(5, 1), (13, 1), (13, 2), (16, 3), (300, 4)])
def test_signatures_are_nested_booklets_in_reading_order(count: int, signature: int) -> None:
    booklet, doc = imposed(interior(count), BookletOptions(signature=signature))
    sheets = pairs(cells(doc))
    padded = -(-count // 4) * 4
    sizes = [min(signature, len(sheets) - i) for i in range(0, len(sheets), signature)]
    assert list(booklet.plan.signatures) == sizes
    reading: list[str] = []
    for start in range(0, len(sheets), signature):
        reading += read_nested(sheets[start : start + signature])
    assert reading == expected(count, padded)


def test_five_pages_fold_into_two_sheets_with_the_blanks_after_the_text() -> None:
    _, doc = imposed(interior(5))
    assert cells(doc) == [["", "1"], ["2", ""], ["", "3"], ["4", "5"]]


def test_a_back_cover_keeps_the_outside_back_and_the_blanks_go_before_it() -> None:
    booklet, doc = imposed(interior(5), BookletOptions(back_cover=True))
    assert cells(doc) == [["5", "1"], ["2", ""], ["", "3"], ["4", ""]]
    assert read_nested(pairs(cells(doc))) == expected(5, 8, back_cover=True)
    assert "3 blank pages added before the back cover." in guidance(booklet.plan)


def test_blanks_are_never_placed_in_the_middle_of_the_text() -> None:
    for count in range(1, 40):
        for back_cover in (False, True):
            order = padded_order(count, 4, back_cover)
            text = [p for p in order if p is not None]
            assert text == list(range(count))
            first_blank = order.index(None) if None in order else len(order)
            assert all(p is None for p in order[first_blank : first_blank + len(order) - count])


# --- geometry --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "sheet"),
    [("148mm 210mm", A4_LANDSCAPE), ("5.5in 8.5in", LETTER_LANDSCAPE)],
    ids=["A5-on-A4", "half-letter-on-letter"],
)
def test_exact_trims_are_placed_at_full_size_touching_at_the_fold(
    size: str, sheet: tuple[float, float]
) -> None:
    booklet, doc = imposed(small(size))
    assert all(s == pytest.approx(sheet, abs=0.01) for s in media(booklet.data))
    assert booklet.plan.scale == 1.0
    trim_w = float(PdfReader(io.BytesIO(small(size))).pages[0].trimbox.width)
    for index in range(len(doc)):
        left, right = sorted(placed(doc, index), key=lambda p: p.x)
        assert left.scale == right.scale == pytest.approx(1.0, abs=1e-6)
        assert left.x + trim_w == pytest.approx(sheet[0] / 2, abs=0.01)  # no gap at the fold
        assert right.x == pytest.approx(sheet[0] / 2, abs=0.01)
    assert "pages at 100%" in " ".join(guidance(booklet.plan))


def test_a_us_trim_goes_on_letter_and_a_metric_one_on_a4_by_default() -> None:
    assert impose(small("5.5in 8.5in")).plan.sheet.name == "letter"
    assert impose(small("148mm 210mm")).plan.sheet.name == "a4"


@pytest.mark.parametrize(
    ("size", "sheet", "scale"),
    [
        ("6in 9in", "letter", 396 / 432),  # the width limits: 5.5 in of 6
        ("176mm 250mm", "a4", 210 / 250),  # B5: the height limits
        ("105mm 148mm", "a4", 1.0),  # A6: smaller, never scaled up
        ("5in 8in", "11x17in", 1.0),  # any sheet: tabloid
    ],
)
def test_other_trims_are_centred_and_scaled_only_down_by_a_stated_ratio(
    size: str, sheet: str, scale: float
) -> None:
    paper = parse_size(sheet)
    booklet, doc = imposed(small(size), BookletOptions(sheet=paper))
    width, height = max(paper.width, paper.height), min(paper.width, paper.height)
    assert all(s == pytest.approx((width, height), abs=0.01) for s in media(booklet.data))
    assert booklet.plan.scale == pytest.approx(scale, abs=1e-9)
    trim = PdfReader(io.BytesIO(small(size))).pages[0].trimbox
    page_w, page_h = float(trim.width) * scale, float(trim.height) * scale
    left, right = sorted(placed(doc, 0), key=lambda p: p.x)
    assert left.scale == right.scale == pytest.approx(scale, abs=1e-4)
    # The spread is centred: equal room left and right, above and below.
    assert left.x == pytest.approx(width - (right.x + page_w), abs=0.01)
    assert left.y == pytest.approx(height - (left.y + page_h), abs=0.01)
    assert right.x == pytest.approx(width / 2, abs=0.01)
    notes = " ".join(guidance(booklet.plan))
    assert (f"scaled to {scale:.1%}" in notes) == (scale < 1)


@pytest.mark.parametrize(
    ("size", "sheet"), [("6in 9in", "letter"), ("148mm 210mm", "a4")], ids=["6x9", "A5"]
)
def test_bleed_and_the_interiors_crop_marks_never_reach_the_sheet(size: str, sheet: str) -> None:
    bled = small(size, "bleed: 3mm; marks: crop; background: #ccc")
    clean = small(size)
    reader = PdfReader(io.BytesIO(bled))
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].trimbox.width)
    booklet, doc = imposed(bled, BookletOptions(sheet=parse_size(sheet)))
    # Imposed by the TrimBox: each label lands exactly where it does without bleed.
    assert cells(doc) == cells(imposed(clean, BookletOptions(sheet=parse_size(sheet)))[1])
    image = doc[0].render(scale=1, grayscale=True).to_pil()
    width, height = image.size
    plan = booklet.plan
    page_w, page_h = plan.trim.width * plan.scale, plan.trim.height * plan.scale
    x0, y0 = round(width / 2 - page_w), round((height - page_h) / 2)
    # Outside the two pages: paper white.
    for box in [(0, 0, width, y0 - 1), (0, height - y0 + 1, width, height)]:
        if box[2] > box[0] and box[3] > box[1]:
            assert image.crop(box).getextrema() == (255, 255), box
    for box in [(0, 0, x0 - 1, height), (width - x0 + 1, 0, width, height)]:
        if box[2] > box[0]:
            assert image.crop(box).getextrema() == (255, 255), box
    # Inside: the page's grey and nothing darker, across the fold too (the labels sit near
    # the top): a crop mark or bleed from a neighbouring page would show here.
    low, high = image.crop((x0 + 1, y0 + 150, width - x0 - 1, height - y0 - 2)).getextrema()
    assert 190 <= low <= high <= 220


def test_creep_pushes_inner_sheets_in_toward_the_fold_sheet_by_sheet() -> None:
    creep = 0.3
    booklet, doc = imposed(interior(16), BookletOptions(creep_mm=creep))
    mid = A4_LANDSCAPE[0] / 2
    trim_w = booklet.plan.trim.width
    for index in range(len(doc)):
        sheet = index // 2
        left, right = sorted(placed(doc, index), key=lambda p: p.x)
        push = sheet * creep * MM
        assert left.x == pytest.approx(mid - trim_w + push, abs=0.01)
        assert right.x == pytest.approx(mid - push, abs=0.01)
    assert read_nested(pairs(cells(doc))) == expected(16, 16)
    assert "pushed 0.90 mm toward the fold" in " ".join(guidance(booklet.plan))


def test_creep_starts_again_in_each_signature() -> None:
    _, doc = imposed(interior(16), BookletOptions(creep_mm=0.5, signature=2))
    lefts = [min(p.x for p in placed(doc, i)) for i in range(0, len(doc), 2)]
    assert lefts[0] == pytest.approx(lefts[2], abs=0.01)
    assert lefts[1] - lefts[0] == pytest.approx(0.5 * MM, abs=0.01)


def test_marks_are_optional_and_drawn_on_the_outside_of_each_sheet() -> None:
    def mark_lines(doc: pdfium.PdfDocument, index: int) -> int:
        return len(list(doc[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)))

    _, plain = imposed(small("6in 9in"), BookletOptions(sheet=parse_size("a4")))
    _, marked = imposed(small("6in 9in"), BookletOptions(sheet=parse_size("a4"), marks=True))
    assert [mark_lines(plain, i) for i in range(len(plain))] == [0] * len(plain)
    assert [mark_lines(marked, i) for i in range(len(marked))] == [1, 0] * (len(marked) // 2)
    image = marked[0].render(scale=4, grayscale=True).to_pil()
    width, height = image.size
    mid = width // 2

    def dark(xs: range, y: int) -> bool:  # a 0.25 pt hairline, four pixels a point
        return min(image.getpixel((x, y)) for x in xs) < 200

    # Fold ticks at both ends of the fold; trim marks at the edges of the scaled pages.
    assert dark(range(mid - 2, mid + 3), 8) and dark(range(mid - 2, mid + 3), height - 9)
    assert dark(range(4, mid - 20), 8)
    assert not dark(range(4, mid - 20), height // 2)


# --- 4-up ------------------------------------------------------------------------------------


def test_four_up_copies_put_two_identical_booklets_on_each_a4() -> None:
    booklet, doc = imposed(small("105mm 148mm"), BookletOptions(four_up="copies"))
    assert all(s == pytest.approx((595.28, 841.89), abs=0.01) for s in media(booklet.data))
    assert booklet.plan.scale == 1.0
    quarters = cells(doc, quarters=True)
    assert all(q[:2] == q[2:] for q in quarters)
    assert read_nested(pairs([q[2:] for q in quarters])) == expected(8, 8)
    assert "flip on the long edge" in guidance(booklet.plan)[0]


@pytest.mark.parametrize(("count", "signature"), [(8, None), (16, None), (13, None), (16, 1)])
def test_four_up_folded_twice_reads_in_order(count: int, signature: int | None) -> None:
    data = _render(count, "105mm 148mm", "")
    booklet, doc = imposed(data, BookletOptions(four_up="folded", signature=signature))
    quarters = cells(doc, quarters=True)
    per = signature or len(quarters) // 2
    sheets = pairs(quarters)
    reading: list[str] = []
    for start in range(0, len(sheets), per):
        reading += read_quartos(sheets[start : start + per])
    assert reading == expected(count, -(-count // 8) * 8)
    # The top row is printed upside down, heads to the middle fold.
    height = booklet.plan.sheet.height
    for index in range(len(doc)):
        assert all(p.upside_down == (p.y > height / 2) for p in placed(doc, index))
    assert any(p.upside_down for p in placed(doc, 0))
    assert "flip on the long edge" in guidance(booklet.plan)[0]


# --- options, guidance, the build and the command line ---------------------------------------


def test_impossible_options_are_refused() -> None:
    with pytest.raises(BookletError, match="--signature"):
        BookletOptions(signature=0)
    with pytest.raises(BookletError, match="--creep"):
        BookletOptions(creep_mm=-0.1)
    with pytest.raises(BookletError, match="--four-up"):
        BookletOptions(four_up="nine")  # type: ignore[arg-type]


def test_imposing_twice_gives_the_same_bytes() -> None:
    assert impose(interior(13)).data == impose(interior(13)).data


def test_guidance_names_the_sheets_the_flip_and_the_paper() -> None:
    plan = impose(interior(300), BookletOptions(signature=4)).plan
    notes = guidance(plan)
    assert notes[0].startswith("75 sheets of A4: print double-sided, flip on the short edge")
    assert "19 signatures of 4 sheets, the last of 3" in " ".join(notes)


def test_build_returns_the_printing_notes_with_the_booklet(tmp_path: Path) -> None:
    book = load_book(make_book(tmp_path / "b", {"01.md": "# One\n\nA short text.\n"}))
    options = BookletOptions(sheet=parse_size("letter"), signature=1, creep_mm=0.1)
    result = build(book, tmp_path / "out", ["booklet"], booklet_options=options)
    (output,) = result.outputs
    sides = len(PdfReader(output.path).pages)
    assert output.notes[0].startswith(
        f"{sides // 2} sheet{'s' if sides > 2 else ''} of US Letter: print double-sided, "
        "flip on the short edge"
    )
    assert media(output.path.read_bytes())[0] == pytest.approx(LETTER_LANDSCAPE, abs=0.01)


def octavo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    command = [sys.executable, "-m", "octavo", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_the_command_line_takes_the_booklet_options_and_prints_the_notes(tmp_path: Path) -> None:
    book = str(make_book(tmp_path / "b", {"01.md": "# One\n\nA short text.\n"}))
    out = ["--out", str(tmp_path / "o"), "--format", "booklet"]
    options = ["--sheet", "a4", "--signature", "1", "--creep", "0.1", "--marks"]
    proc = octavo("build", book, *out, *options, "--four-up", "copies", "--back-cover")
    assert proc.returncode == 0, proc.stderr
    assert "print double-sided, flip on the long edge" in proc.stdout
    assert "Cut the printed stack across the middle" in proc.stdout
    bad = octavo("build", book, *out, "--signature", "0")
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "--signature" in bad.stderr
