"""The wraparound cover: back, spine and front at trim + bleed, its spine from the page count."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from octavo import build, load_book
from octavo.print.cover import spine_width
from support import make_book

INCH = 72.0


def cover_of(tmp_path: Path, toml: str, chapters: int = 1) -> tuple[Path, int]:
    files = {f"{i:02}.md": f"# Part {i}\n\nA short chapter.\n" for i in range(1, chapters + 1)}
    book = make_book(tmp_path / "b", files, toml)
    result = build(load_book(book), tmp_path / "out", ["pdf", "cover"])
    interior = next(o.path for o in result.outputs if o.format == "pdf")
    cover = next(o.path for o in result.outputs if o.format == "cover")
    return cover, len(PdfReader(interior).pages)


def test_cover_width_is_two_trims_a_spine_and_two_bleeds(tmp_path: Path) -> None:
    toml = 'title = "Cover"\nauthor = "Ann Lee"\ntrim = "6x9in"\npaper = "cream"\n'
    cover, pages = cover_of(tmp_path, toml, chapters=3)
    page = PdfReader(cover).pages[0]
    spine = pages * 0.0025 * INCH
    assert float(page.trimbox.width) == pytest.approx(2 * 6 * INCH + spine, abs=0.01)
    assert float(page.mediabox.width) == pytest.approx(2 * 6 * INCH + spine + 2 * 9, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(9 * INCH + 2 * 9, abs=0.01)
    assert page.bleedbox == page.mediabox


def test_spine_width_follows_kdp_calipers() -> None:
    assert spine_width(300, 0.002252) == pytest.approx(0.6756 * INCH)
    assert spine_width(300, 0.0025) == pytest.approx(0.75 * INCH)


def test_spine_text_only_from_100_pages(tmp_path: Path) -> None:
    from octavo import themes
    from octavo.print import cover

    book = load_book(
        make_book(
            tmp_path / "b",
            {"01.md": "# One\n\nText.\n"},
            'title = "Spine Test"\nauthor = "Bo Kim"\n',
        )
    )
    theme = themes.load("classic")
    for pages, expected in ((99, False), (100, True)):
        pdf = pdfium.PdfDocument(cover.pdf(book, theme, pages))
        geometry = cover.cover_geometry(book, pages)
        text = pdf[0].get_textpage()
        on_spine = text.get_text_bounded(
            geometry.trim_width, 0, geometry.trim_width + geometry.spine, geometry.trim_height
        )
        assert ("Spine" in on_spine.replace("\n", "")) is expected, (pages, on_spine)


def test_the_barcode_area_on_the_back_is_kept_clear(tmp_path: Path) -> None:
    description = "A long description of the book. " * 40
    toml = f'title = "Barcode"\nauthor = "Ann Lee"\ndescription = "{description}"\n'
    cover, _ = cover_of(tmp_path, toml)
    pdf = pdfium.PdfDocument(str(cover))
    scale = 2
    image = pdf[0].render(scale=scale).to_pil().convert("RGB")
    bleed, inset = 9.0, 0.25 * INCH
    trim_w = 419.53
    left = bleed + trim_w - inset - 2 * INCH
    top = bleed + 595.28 - inset - 1.2 * INCH
    box = image.crop(
        (int((left + 2) * scale), int((top + 2) * scale),
         int((left + 2 * INCH - 2) * scale), int((top + 1.2 * INCH - 2) * scale))
    )  # fmt: skip
    colours = box.getcolors(maxcolors=4)
    assert colours is not None and len(colours) == 1 and colours[0][1] == (255, 255, 255)
    back_text = pdf[0].get_textpage().get_text_bounded(0, 0, trim_w, 595.28)
    assert "long description" in back_text.replace("\n", " ")


@pytest.mark.parametrize(("value", "caliper"), [('"white"', 0.002252), ('"cream"', 0.0025), ("0.003", 0.003)])  # fmt: skip
def test_paper_sets_the_caliper(value: str, caliper: float) -> None:
    from octavo.book import config

    assert config.parse(f'title = "T"\npaper = {value}\n', Path("book.toml")).caliper == caliper


def test_an_unknown_paper_names_the_key() -> None:
    from octavo.book import config
    from octavo.core.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        config.parse('title = "T"\npaper = "glossy"\n', Path("book.toml"))
    assert caught.value.line == 2 and "'paper' must be" in caught.value.message
