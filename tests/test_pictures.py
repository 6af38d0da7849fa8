"""Pictures: set apart as figures with their captions, never outside the text block, never
leaving a hole in a page or an opening page bare, and never heavier than their edition needs.

The fixture (tests/books/pictures) is an illustrated book: a full-page plate called half-way
down a page, a wide chart with a caption, a chapter that opens with a picture, and a plate with
a three-line caption called where it cannot fit."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from lxml import etree
from PIL import Image, ImageDraw

from octavo import build, load_book
from octavo.book.pages import flat_text
from octavo.pipeline import BuildResult
from octavo.print import pagemap, placing
from octavo.source import pictures
from support import REPO, make_book, output

BOOK = REPO / "tests" / "books" / "pictures"
NS = {"x": "http://www.w3.org/1999/xhtml"}
Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(BOOK), tmp_path_factory.mktemp("pictures"), ["epub", "pdf"])


# --- What each printed page shows -----------------------------------------------------------


@dataclass(frozen=True)
class Char:
    text: str
    box: Box
    size: float


@dataclass(frozen=True)
class Page:
    index: int
    label: str
    block: Box  # the text block, from the layout's geometry (recto or verso)
    images: list[Box]
    chars: list[Char]

    def body(self, size: float) -> list[Char]:
        return [c for c in self.chars if abs(c.size - size) < 0.05 and c.text.strip()]

    def body_lines(self, size: float) -> int:
        return len({round(c.box[1]) for c in self.body(size)})

    def furniture(self) -> list[Char]:
        """Running head and folio: the characters above or below the text block."""
        return [
            c
            for c in self.chars
            if c.text.strip() and (c.box[1] >= self.block[3] or c.box[3] <= self.block[1])
        ]


def _pages(result: BuildResult) -> list[Page]:
    assert result.layout is not None
    geometry = result.layout.geometry
    m, trim = geometry.margins, geometry.trim
    doc = pdfium.PdfDocument(str(output(result, "pdf")))
    pages = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            left = m.inner if i % 2 == 0 else m.outer  # the first page is a recto
            right = trim.width - (m.outer if i % 2 == 0 else m.inner)
            block = (left, m.bottom, right, trim.height - m.top)
            images = [
                tuple(o.get_bounds()) for o in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])
            ]
            tp = page.get_textpage()
            chars = [
                Char(
                    chr(raw.FPDFText_GetUnicode(tp, k)),
                    tp.get_charbox(k, loose=True),
                    round(raw.FPDFText_GetFontSize(tp, k), 2),
                )
                for k in range(tp.count_chars())
            ]
            pages.append(Page(i, doc.get_page_label(i), block, images, chars))  # type: ignore[arg-type]
    finally:
        doc.close()
    return pages


def _body_size(pages: list[Page]) -> float:
    sizes = Counter(c.size for p in pages for c in p.chars if c.text.strip())
    return sizes.most_common(1)[0][0]


def _squash(text: str) -> str:
    return re.sub(r"[\s\u2010\u00ad]+", "", text)


def _body_text(page: Page, size: float) -> str:
    return _squash("".join(c.text for c in page.body(size)))


def _inside(inner: Box, outer: Box, slack: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- The print edition ----------------------------------------------------------------------


def test_every_picture_lies_inside_the_text_block_clear_of_head_and_folio(
    illustrated: BuildResult,
) -> None:
    pages = _pages(illustrated)
    placed = [(p, image) for p in pages for image in p.images]
    assert len(placed) == 5  # the plate thrice, the chart twice
    for page, image in placed:
        assert _inside(image, page.block), (page.label, image, page.block)
        assert not [c.text for c in page.furniture() if _overlap(c.box, image)], page.label
    full_page = [p for p, image in placed if image[3] - image[1] > 0.9 * (p.block[3] - p.block[1])]
    assert full_page and all(p.furniture() for p in full_page)  # it has a head and a folio


def test_pictures_are_centred_in_the_measure(illustrated: BuildResult) -> None:
    for page in _pages(illustrated):
        for image in page.images:
            left, right = image[0] - page.block[0], page.block[2] - image[2]
            assert abs(left - right) < 1.0, (page.label, left, right)


def test_no_opening_page_carries_fewer_than_three_lines_of_text(illustrated: BuildResult) -> None:
    pages = _pages(illustrated)
    size = _body_size(pages)
    for title in ("The Harbour", "The Light", "Soundings"):
        opener = next(p for p in pages if "".join(c.text for c in p.chars).startswith(title))
        assert opener.body_lines(size) >= 3, (title, opener.body_lines(size))


def test_the_chapter_that_opens_with_a_picture_starts_its_text_on_its_opening_page(
    illustrated: BuildResult,
) -> None:
    pages = _pages(illustrated)
    size = _body_size(pages)
    opener = next(p for p in pages if "".join(c.text for c in p.chars).startswith("The Light"))
    assert _body_text(opener, size).startswith(_squash("The light had a character"))


def test_a_caption_is_printed_on_the_page_of_its_picture_just_below_it(
    illustrated: BuildResult,
) -> None:
    pages = _pages(illustrated)
    captions = [
        " ".join("".join(f.itertext()).split())
        for name in ("c01-the-harbour", "c02-the-light", "c03-soundings")
        for f in _epub_tree(illustrated, name).iterfind(".//x:figcaption", NS)
    ]
    assert len(captions) == 4
    for caption in captions:
        start = _squash(caption)[:30]
        page = next(p for p in pages if start in _squash("".join(c.text for c in p.chars)))
        # the characters _squash keeps, so that an index into one is an index into the other
        visible = [c for c in page.chars if _squash(c.text)]
        at = _squash("".join(c.text for c in visible)).index(start)
        top = visible[at].box[3]
        assert [i for i in page.images if 0 <= i[1] - top < 20], (caption[:30], page.label)


def test_text_flows_on_past_a_picture_that_did_not_fit(illustrated: BuildResult) -> None:
    """A page before one headed by a picture is full: the picture moved, not the text."""
    pages = _pages(illustrated)
    size = _body_size(pages)
    line = size * 0.75 * 1.35  # pdfium gives sizes in CSS px; print.css sets 1.35 lines
    headed = [
        p
        for p in pages
        if p.images and max(i[3] for i in p.images) > p.block[3] - line
        if not "".join(c.text for c in p.chars).startswith(("The Harbour", "The Light"))
    ]
    assert len(headed) >= 3
    for page in headed:
        before = pages[page.index - 1]
        lowest = min([c.box[1] for c in before.body(size)] + [i[1] for i in before.images])
        assert lowest - before.block[1] < 3 * line, (page.label, lowest - before.block[1])


def test_every_paragraph_reads_in_order_across_the_pictures(illustrated: BuildResult) -> None:
    pages = _pages(illustrated)
    size = _body_size(pages)
    printed = "".join(_body_text(p, size) for p in pages)
    for name in ("01-the-harbour.md", "02-the-light.md", "03-soundings.md"):
        text = (BOOK / "manuscript" / name).read_text("utf-8")
        for paragraph in text.split("\n\n"):
            if paragraph.startswith(("#", "!")) or not paragraph.strip():
                continue
            plain = paragraph.replace("*", "").replace("'", "’")
            assert _squash(plain) in printed, plain[:60]


def test_the_paragraph_a_plate_was_moved_into_is_cut_at_the_foot_of_the_page(
    illustrated: BuildResult,
) -> None:
    pages = _pages(illustrated)
    size = _body_size(pages)
    alone = [
        i for i, p in enumerate(pages) if p.images and not p.body(size) and 0 < i < len(pages) - 1
    ]
    # a plate alone on its page, the paragraph it was moved into going on after it (where
    # the cut falls depends on the measure: found, not named)
    cut = [i for i in alone if _body_text(pages[i + 1], size)[:1].islower()]
    assert cut
    for i in cut:
        assert _body_text(pages[i - 1], size)[-1:].isalpha()  # cut in mid-sentence


# --- The EPUB -------------------------------------------------------------------------------


def _epub_tree(result: BuildResult, name: str) -> etree._Element:
    with zipfile.ZipFile(output(result, "epub")) as z:
        return etree.fromstring(z.read(f"EPUB/{name}.xhtml"))


def test_a_lone_image_is_a_figure_and_its_title_the_caption(illustrated: BuildResult) -> None:
    tree = _epub_tree(illustrated, "c01-the-harbour")
    plate, chart = tree.findall(".//x:figure", NS)
    assert plate.get("class") == "picture" and plate.find("x:figcaption", NS) is None
    assert chart.get("class") == "picture captioned"
    img = chart.find("x:img", NS)
    assert (
        img is not None and img.get("title") is None and img.get("alt", "").startswith("A coastal")
    )
    caption = "".join(chart.find("x:figcaption", NS).itertext())  # type: ignore[union-attr]
    assert caption.startswith("The approaches to the harbour")
    assert not tree.findall(".//x:p/x:img", NS)  # no picture is left inside a paragraph
    light = _epub_tree(illustrated, "c02-the-light").find(".//x:figcaption", NS)
    assert light is not None and "relief boat’s crew" in "".join(light.itertext())


def test_the_page_list_names_the_word_after_the_plate_in_the_whole_paragraph(
    illustrated: BuildResult,
) -> None:
    assert not [w for w in illustrated.warnings if w.code == "E004"]
    pages = _pages(illustrated)
    size = _body_size(pages)
    alone = [
        i for i, p in enumerate(pages) if p.images and not p.body(size) and 0 < i < len(pages) - 1
    ]
    after = next(pages[i + 1] for i in alone if _body_text(pages[i + 1], size)[:1].islower())
    tree = _epub_tree(illustrated, "c03-soundings")
    marker = tree.find(f".//*[@id='page-{after.label}']")
    assert marker is not None
    assert _squash(marker.tail or "").startswith(_body_text(after, size)[:12])
    assert marker.getparent().tag.endswith("}p")  # type: ignore[union-attr]


# --- Markup ---------------------------------------------------------------------------------


def _chapter_html(tmp_path: Path, text: str) -> str:
    root = make_book(tmp_path, {"01-one.md": text})
    (root / "images").mkdir()
    Image.new("RGB", (40, 30), "navy").save(root / "images" / "a.png")
    return load_book(root).chapters[0].body_html


def test_caption_takes_the_books_typography_and_inline_markdown(tmp_path: Path) -> None:
    html = _chapter_html(
        tmp_path, '# One\n\n![A square](../images/a.png "The keeper\'s *own* -- drawing")\n'
    )
    assert "<figcaption>The keeper’s <em>own</em> – drawing</figcaption>" in html
    assert 'title="' not in html


def test_attributes_of_the_paragraph_go_to_the_figure_and_inline_images_stay_inline(
    tmp_path: Path,
) -> None:
    html = _chapter_html(
        tmp_path,
        "# One\n\n{#map .wide}\n![A square](../images/a.png)\n\n"
        "Text with ![a square](../images/a.png) inside.\n\n![](../images/a.png){.decorative}\n",
    )
    html = re.sub(r' data-line="\d+"', "", html)  # the manuscript's lines (source/lines.py)
    # {#map} is in the chapter's namespace, as every id (source/links.py): unique in the book
    assert re.search(
        r'<figure id="c01-one--map" class="picture wide"><img [^>]*alt="A square"', html
    )
    assert re.search(r"<p>Text with <img [^>]*/> inside.</p>", html)
    assert re.search(r'<div class="picture"><img [^>]*class="decorative"', html)


# --- Splitting a paragraph and naming places in it ------------------------------------------


def _p(html: str) -> etree._Element:
    from lxml import html as lxml_html

    return lxml_html.fragment_fromstring(f"<div>{html}</div>")


def test_a_paragraph_splits_at_a_character_keeping_its_markup_and_notes() -> None:
    div = _p(
        '<p id="x">Alpha <em>beta gamma</em> delta<span class="footnote">a note</span> '
        "epsilon zeta.</p>"
    )
    first = div[0]
    second = placing.split(first, 11, hyphen=False)
    assert second is not None
    assert flat_text(first) == "Alpha beta " and flat_text(second) == "gamma delta epsilon zeta."
    assert second.get("id") is None and second.get(placing.SPLIT) == "11"
    assert first.get("class") == "split-before" and second.get("class") == "split-after"
    third = placing.split(second, 23, hyphen=False)  # after the note: it stays at its call
    assert third is not None and flat_text(third) == "epsilon zeta."
    assert second.find("span") is not None and third.find("span") is None


def test_a_word_the_layout_broke_is_split_with_its_hyphen() -> None:
    div = _p("<p>Alpha beta gamma.</p>")
    second = placing.split(div[0], 13, hyphen=True)
    assert second is not None
    assert flat_text(div[0]) == "Alpha beta ga\u2010" and flat_text(second) == "mma."
    assert second.get(placing.SPLIT_WORD) == "1"


def test_the_page_map_names_a_second_half_by_its_whole_paragraph() -> None:
    from xml.etree import ElementTree  # WeasyPrint's tree: elements that keep their identity

    body = ElementTree.fromstring(
        '<body><section aria-labelledby="c"><h1 id="c">T</h1><div class="chapter-body">'
        '<p>A.</p><p class="split-before">B one</p><figure><img src="x.png"/></figure>'
        '<p class="split-after" data-split="2">two.</p><p>C.</p></div></section></body>'
    )
    places = pagemap.regions(body, {"c"})
    by_text = {flat_text(el): places[id(el)] for el in body.iter("p")}
    assert (by_text["two."].ordinal, by_text["two."].base) == (1, 2)
    assert by_text["C."].ordinal == 2


# --- Copies of huge rasters -----------------------------------------------------------------


def _discs(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), "#6b8fb3")
    draw = ImageDraw.Draw(image)
    for i in range(60):
        x, y, r = (i * 977) % width, (i * 613) % height, 40 + (i * 37) % 300
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(i * 41 % 256, i * 67 % 256, i * 13 % 256))
    return image


def test_a_huge_raster_is_downsampled_for_the_epub_and_kept_at_300_dpi_in_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_book(
        tmp_path / "book",
        {
            "01-big.md": '# Big\n\nBefore.\n\n![Discs](../images/huge.jpg "Discs on blue.")\n\n'
            "![Discs again](../images/huge.png)\n\nAfter.\n"
        },
    )
    (root / "images").mkdir()
    _discs(6000, 4000).save(root / "images" / "huge.jpg", quality=88)
    _discs(6000, 4000).save(root / "images" / "huge.png")
    result = build(load_book(root), tmp_path / "out", ["epub", "pdf"])
    with zipfile.ZipFile(output(result, "epub")) as z:
        names = [n for n in z.namelist() if "/images/huge" in n]
        stored = {n: Image.open(io.BytesIO(z.read(n))) for n in names}
    assert len(stored) == 2
    for image in stored.values():
        assert max(image.size) <= pictures.EPUB_MAX_SIDE
        assert image.width * image.height <= pictures.EPUB_MAX_PIXELS
        assert abs(image.width / image.height - 1.5) < 0.01
    jpeg = next(i for n, i in stored.items() if n.endswith(".jpg"))
    assert abs(pictures.jpeg_quality(jpeg) - 88) <= 2
    pdf = pdfium.PdfDocument(str(output(result, "pdf")))
    embedded = [
        (o.get_px_size(), o.get_bounds())
        for page in pdf
        for o in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])
    ]
    pdf.close()
    assert len(embedded) == 2
    for (width, _), (left, _, right, _) in embedded:
        assert width < 6000 and width / ((right - left) / 72) >= pictures.PRINT_DPI
    made = list((tmp_path / "cache" / "octavo" / "images").iterdir())
    assert len(made) == 4  # two for the EPUB, two for print

    def never(*_: object) -> bytes:
        raise AssertionError("a cached copy was made again")

    monkeypatch.setattr(pictures, "_resample", never)
    build(load_book(root), tmp_path / "again", ["epub", "pdf"])


def test_svg_gif_and_rasters_within_the_caps_are_stored_as_they_are(tmp_path: Path) -> None:
    from octavo.book.model import Asset

    path = tmp_path / "small.png"
    _discs(2048, 1500).save(path)
    assert pictures.epub_bytes(Asset("images/small.png", path, "image/png")) == path.read_bytes()
    svg = tmp_path / "a.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"/>')
    assert pictures.epub_bytes(Asset("images/a.svg", svg, "image/svg+xml")) == svg.read_bytes()


def test_a_print_copy_is_made_only_for_far_more_pixels_than_300_dpi() -> None:
    block = (337.0, 496.0)  # points: about 4.7 × 6.9 in
    assert pictures.print_fit(block, 1500, 1000).scale(1500, 1000) == 1.0  # 320 dpi: kept
    fit = pictures.print_fit(block, 6000, 4000)
    assert fit.width == math.ceil(337 / 72 * 300)  # rounded up: never under 300 dpi
    assert fit.scale(6000, 4000) == pytest.approx(fit.width / 6000)


def test_a_caption_too_long_for_the_room_kept_stays_with_its_picture(tmp_path: Path) -> None:
    caption = " ".join(["A caption that goes on and on about the picture above it."] * 9)
    root = make_book(
        tmp_path / "book",
        {
            "01-one.md": f'# One\n\nText.\n\n![A tall plate](../images/tall.png "{caption}")\n\nMore.\n'
        },
    )
    (root / "images").mkdir()
    _discs(600, 1200).save(root / "images" / "tall.png")
    result = build(load_book(root), tmp_path / "out", ["pdf"])
    pages = _pages(result)
    (page,) = [p for p in pages if p.images]
    assert _squash(caption) in _squash("".join(c.text for c in page.chars))
    assert _inside(page.images[0], page.block)


def test_two_pictures_moved_to_the_same_place_keep_their_order(tmp_path: Path) -> None:
    html = (
        '<html><body><section aria-labelledby="c"><h1 id="c">T</h1><div class="chapter-body">'
        '<figure class="picture" id="one"><img src="a.png"/></figure>'
        '<figure class="picture" id="two"><img src="b.png"/></figure>'
        "<p>Alpha beta gamma.</p></div></section></body></html>"
    )
    target = placing.Target("p", 0, 6)
    placed = placing.apply(
        html, {"c": (placing.Placement(0, target=target), placing.Placement(1, target=target))}
    )
    body = re.search(r'<div class="chapter-body">(.*)</div>', placed)
    assert body is not None
    order = re.findall(r'<p[^>]*>[^<]*</p>|id="(?:one|two)"', body.group(1))
    assert order == [
        '<p class="split-before">Alpha </p>',
        'id="one"',
        'id="two"',
        '<p data-split="6" class="split-after">beta gamma.</p>',
    ]
