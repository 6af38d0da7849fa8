"""Print production: bleed, crop marks, PDF/X and the printers' rules, read back from the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.print.printers import PrintRequest
from printsupport import RICH_TOML, read_pages, rich_book
from support import make_book, output

A5 = (419.53, 595.28)
BLEED_3MM = 8.5


def press(tmp_path: Path, request: PrintRequest, toml: str | None = None) -> BuildResult:
    root = (
        rich_book(tmp_path / "book")
        if toml is None
        else make_book(tmp_path / "book", {"01.md": "# One\n\nA short text.\n"}, toml)
    )
    return build(load_book(root), tmp_path / "out", ["pdf"], press=request)


def press_rich(tmp_path: Path, request: PrintRequest, trim: str) -> BuildResult:
    """The rich book (running heads, folios, footnotes) on another trim."""
    root = rich_book(tmp_path / "book", RICH_TOML.replace('trim = "A5"', f'trim = "{trim}"'))
    return build(load_book(root), tmp_path / "out", ["pdf"], press=request)


def test_bleed_reaches_past_the_top_bottom_and_outside_edges(tmp_path: Path) -> None:
    result = press(tmp_path, PrintRequest(bleed=True))
    w, h = A5
    for page in read_pages(output(result, "pdf")):
        assert page.boxes["trim"] == (0.0, 0.0, *A5)
        recto = page.index % 2 == 0
        outside = (0.0, w + BLEED_3MM) if recto else (-BLEED_3MM, w)
        expected = (outside[0], -BLEED_3MM, outside[1], h + BLEED_3MM)
        assert page.boxes["bleed"] == pytest.approx(expected, abs=0.01)
        assert page.boxes["media"] == page.boxes["bleed"]


def test_crop_marks_lie_outside_the_bleed(tmp_path: Path) -> None:
    result = press(tmp_path, PrintRequest(bleed=True, crop_marks=True))
    reader = PdfReader(output(result, "pdf"))
    for page in reader.pages[:2]:
        media = [float(v) for v in page.mediabox]
        bleed = [float(v) for v in page.bleedbox]
        trim = [float(v) for v in page.trimbox]
        marks = page["/Contents"][-1].get_object().get_data().decode()
        assert "1 1 1 1 K" in marks  # registration colour: every ink
        points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+) (-?[\d.]+) [ml]", marks)]
        assert len(points) == 16  # two marks at each corner
        for x, y in points:
            inside_bleed = bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]
            assert not inside_bleed, (x, y, bleed)
            assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
            assert round(x, 2) in {round(trim[0], 2), round(trim[2], 2)} or round(y, 2) in {
                round(trim[1], 2),
                round(trim[3], 2),
            }  # each mark stands on a trim line


def test_kdp_takes_bleed_as_0125in_and_wants_no_marks_links_or_bookmarks(tmp_path: Path) -> None:
    result = press(tmp_path, PrintRequest(printer="kdp", bleed=True, crop_marks=True))
    assert "P012" in {w.code for w in result.warnings}  # crop marks were left out
    reader = PdfReader(output(result, "pdf"))
    first = reader.pages[0]
    assert float(first.mediabox.width) == pytest.approx(A5[0] + 9, abs=0.01)
    assert float(first.mediabox.height) == pytest.approx(A5[1] + 18, abs=0.01)
    assert all("/Annots" not in page for page in reader.pages)
    assert "/Outlines" not in reader.trailer["/Root"]


def test_without_a_printer_the_contents_link_to_the_chapters(tmp_path: Path) -> None:
    reader = PdfReader(output(press(tmp_path, PrintRequest()), "pdf"))
    assert any("/Annots" in page for page in reader.pages)
    assert "/Outlines" in reader.trailer["/Root"]


def test_kdp_warns_about_a_trim_it_does_not_offer_and_too_few_pages(tmp_path: Path) -> None:
    result = press(tmp_path, PrintRequest(printer="kdp"), 'title = "T"\ntrim = "A6"\n')
    codes = {w.code: w.message for w in result.warnings}
    assert "P011" in codes and "a6" in codes["P011"]
    assert "P010" in codes and "at least 24" in codes["P010"]


def assert_text_keeps_clear_of_the_edges(path: Path, least: float) -> None:
    """Every piece of text, running heads and folios included, `least` points inside the trim."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    for page in read_pages(path):
        left, bottom, right, top = page.boxes["trim"]
        text = doc[page.index].get_textpage()
        for i in range(text.count_rects()):
            x0, y0, x1, y1 = text.get_rect(i)
            assert x0 >= left + least - 0.5 and x1 <= right - least + 0.5, (page.label, x0, x1)
            assert y0 >= bottom + least - 0.5 and y1 <= top - least + 0.5, (page.label, y0, y1)


def test_kdp_with_bleed_keeps_text_three_eighths_of_an_inch_inside(tmp_path: Path) -> None:
    result = press_rich(tmp_path, PrintRequest(printer="kdp", bleed=True), "5x8in")
    assert_text_keeps_clear_of_the_edges(output(result, "pdf"), 0.375 * 72)


def test_ingramspark_gets_an_even_count_a_blank_last_page_and_half_inch_margins(
    tmp_path: Path,
) -> None:
    result = press_rich(tmp_path, PrintRequest(printer="ingramspark"), "5x8in")
    path = output(result, "pdf")
    pages = read_pages(path)
    assert len(pages) % 2 == 0 and not pages[-1].text.strip()
    assert_text_keeps_clear_of_the_edges(path, 0.5 * 72)
    assert PdfReader(path).metadata["/GTS_PDFXVersion"] == "PDF/X-1a:2003"  # preferred there


@pytest.mark.parametrize("variant", ["1a", "4"])
def test_pdf_x_has_a_cmyk_output_intent_and_sets_text_in_black_ink(
    tmp_path: Path, variant: str
) -> None:
    reader = PdfReader(output(press(tmp_path, PrintRequest(pdf_x=variant)), "pdf"))
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4 and profile.get_data()[16:20] == b"CMYK"
    for page in reader.pages:
        stream = page.get_contents().get_data()
        assert not re.search(rb"(?<![\w/])(rg|RG)\b", stream)  # no RGB colour anywhere
        if b"BT" in stream:  # a page with text sets it in pure K
            assert re.search(rb"0 0 0 1 scn", stream)
    assert reader.pdf_header == ("%PDF-1.4" if variant == "1a" else "%PDF-1.6")
    assert all("/Annots" not in page for page in reader.pages)  # PDF/X: no links on the page


def test_pdf_x_warns_about_an_rgb_image(tmp_path: Path) -> None:
    from PIL import Image

    book = make_book(tmp_path / "b", {"01.md": "# One\n\n![A red square](red.png)\n"})
    Image.new("RGB", (20, 20), (255, 0, 0)).save(book / "manuscript" / "red.png")
    result = build(load_book(book), tmp_path / "out", ["pdf"], press=PrintRequest(pdf_x="1a"))
    assert any(w.code == "P014" and "red.png" in w.message for w in result.warnings)
