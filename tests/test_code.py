"""Code in a technical book (tests/books/code: Rustonomicon excerpts): set in the theme's
monospace face, highlighted, turned inside the text block, broken cleanly between pages, and
copied from the EPUB exactly as the author typed it."""

from __future__ import annotations

import ctypes
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from octavo import build, load_book
from octavo.check import check
from octavo.pipeline import BuildResult
from octavo.print import quality
from octavo.print.geometry import Geometry
from octavo.print.layout import Pace
from octavo.source.code import inline_code_html, parse_info, visible_rust
from support import REPO, epubcheck, make_book, output, pdf_fonts

BOOK = REPO / "tests" / "books" / "code"
NS = {"x": "http://www.w3.org/1999/xhtml"}
MONO, SERIF = "JetBrains-Mono", "EB-Garamond"


@pytest.fixture(scope="module")
def code_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The code book laid out whole, so that its boxes can be read (Layout.document)."""
    out = tmp_path_factory.mktemp("code")
    return build(load_book(BOOK), out, ["epub", "pdf"], pace=Pace(whole=True))


# --- Reading the PDF back, character by character ----------------------------------------


@dataclass(frozen=True)
class Char:
    page: int
    text: str
    font: str  # BaseFont without its subset tag
    left: float
    right: float
    bottom: float
    top: float


def pdf_chars(path: Path) -> Iterator[Char]:
    """Every character the PDF draws (pdfium's own spaces and line ends left out), with its
    font and its loose box (advance width × ascent to descent), in points from the bottom left."""
    doc = pdfium.PdfDocument(str(path))
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    rect = pdfium_c.FS_RECTF()
    try:
        for index in range(len(doc)):
            textpage = doc[index].get_textpage()
            for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
                if pdfium_c.FPDFText_IsGenerated(textpage.raw, i):
                    continue
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, name, 256, flags)
                pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, rect)
                text = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
                if pdfium_c.FPDFText_IsHyphen(textpage.raw, i):
                    text = "-"  # pdfium reports a hyphen that ends a row as U+0002
                yield Char(
                    index,
                    text,
                    re.sub(r"^[A-Z]{6}\+", "", name.value.decode()),
                    rect.left,
                    rect.right,
                    rect.bottom,
                    rect.top,
                )
    finally:
        doc.close()


def code_text(result: BuildResult) -> str:
    """The text of every code element of the book, in reading order: what the PDF must set in
    the monospace face (hidden Rust lines are not in it: source/code.py drops them)."""
    parts = []
    for chapter in result.book.chapters:
        root = etree.fromstring(f"<div>{chapter.body_html}</div>")
        parts += ["".join(e.itertext()) for e in root.iter("code")]
    return "".join(parts)


def ink(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_block(geometry: Geometry, page: int, height: float) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the text block of a page (0-based; rectos are even)."""
    m = geometry.margins
    left = m.inner if page % 2 == 0 else m.outer
    right = geometry.trim.width - (m.outer if page % 2 == 0 else m.inner)
    return left, right, m.bottom, height - m.top


# --- The acceptance of issue 11's code part ------------------------------------------------


def test_every_code_character_is_set_in_the_monospace_face(code_book: BuildResult) -> None:
    chars = list(pdf_chars(output(code_book, "pdf")))
    in_mono = "".join(c.text for c in chars if c.font.startswith(MONO))
    # compared without white space (pdfium puts line ends where rows turn), and never
    # dehyphenated: a hyphen at the end of a row of code is the code's own
    assert ink(in_mono) == ink(code_text(code_book))
    assert len(ink(in_mono)) > 7_000  # the whole of Vec<T> and the rest


def test_the_text_stays_in_the_theme_serif(code_book: BuildResult) -> None:
    fonts = {c.font for c in pdf_chars(output(code_book, "pdf")) if not c.text.isspace()}
    assert all(f.startswith((MONO, SERIF)) for f in fonts), fonts
    assert {SERIF, f"{SERIF}-Italic", MONO, f"{MONO}-Bold", f"{MONO}-Italic"} <= fonts
    assert not [w for w in code_book.warnings if w.code == "P002"], code_book.warnings


def test_no_character_lies_outside_the_text_block(code_book: BuildResult) -> None:
    assert code_book.layout is not None
    geometry = code_book.layout.geometry
    path = output(code_book, "pdf")
    heights = [float(p.trimbox.height) for p in PdfReader(path).pages]
    outside = []
    for c in pdf_chars(path):
        if c.text.isspace():
            continue
        left, right, bottom, top = text_block(geometry, c.page, heights[c.page])
        across = c.left < left - 0.5 or c.right > right + 0.5
        # running heads and folios sit above and below the text block, by design
        down = c.font.startswith(MONO) and (c.bottom < bottom - 0.5 or c.top > top + 0.5)
        if across or down:
            outside.append(c)
    assert not outside, outside[:5]


def test_the_overfull_check_finds_no_line_in_code(code_book: BuildResult) -> None:
    assert code_book.layout is not None
    found = quality.report(code_book.layout.document, code_book.book)
    assert [f for f in found if f.kind == "overfull-line"] == []


def test_long_lines_turn_over_inside_the_measure_with_a_mark(code_book: BuildResult) -> None:
    """The two 200-character lines turn over three times or more, inside the text block (the
    test above), and each turned row carries a mark in the gutter: drawn, so that a reader who
    copies from the PDF gets no extra character."""
    path = output(code_book, "pdf")
    chars = list(pdf_chars(path))
    start = "".join(c.text for c in chars).index("const MESSAGE")
    run = [c for c in chars[start:] if c.font.startswith(MONO)][:500]
    end = "".join(c.text for c in run).index('01234567";') + 10
    run = run[:end]
    rows = sorted({round(c.bottom, 1) for c in run}, reverse=True)
    assert len(rows) >= 7  # two lines, each on four rows or more
    assert not {"↪", "⏎", "↳"} & {c.text for c in chars}
    page, left = run[0].page, min(c.left for c in run)
    doc = pdfium.PdfDocument(str(path))
    try:
        marks = {
            round(bounds[1], 1)
            for obj in doc[page].get_objects(max_depth=5)
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH
            and (bounds := obj.get_bounds())[2] <= left + 0.5
            and rows[-1] - 3 <= bounds[1] <= rows[0]
        }
    finally:
        doc.close()
    text = "".join(c.text for c in run)
    first_rows = {round(run[text.index(name)].bottom, 1) for name in ("MESSAGE", "DIGITS")}
    marked = {r for r in rows if any(r < m < r + 3 for m in marks)}
    assert marked == set(rows) - first_rows  # every turned row, and no line's first row


def test_the_pdf_embeds_the_code_face_as_static_subsets(code_book: BuildResult) -> None:
    path = output(code_book, "pdf")
    fonts = pdf_fonts(path)
    mono = [name for name in fonts if MONO in name]
    assert mono and all(fonts[n] for n in mono)
    assert all(re.match(r"^/?[A-Z]{6}\+", n) for n in mono)  # the subset tag
    embedded = _embedded_fonts(path)
    regular, bold = embedded["JetBrains-Mono"], embedded["JetBrains-Mono-Bold"]
    for font in (regular, bold):
        assert "fvar" not in font  # every axis pinned: a static instance
        assert font["maxp"].numGlyphs < 1179  # fewer glyphs than the whole font
    # the bold instance was pinned at weight 700, not left at the default 400
    assert _stem(bold, "l") > 1.3 * _stem(regular, "l")


def _embedded_fonts(path: Path) -> dict[str, TTFont]:
    found = {}
    for page in PdfReader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            name = re.sub(r"^/?[A-Z]{6}\+", "", str(font["/BaseFont"]))
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor.get_object()["/FontFile2"].get_object().get_data()
            found[name] = TTFont(io.BytesIO(data))
    return found


def _stem(font: TTFont, char: str) -> float:
    """How much ink a glyph holds: the area its outline encloses (a bolder weight, more)."""
    from fontTools.pens.areaPen import AreaPen

    glyphs = font.getGlyphSet()
    name = font.getBestCmap()[ord(char)]
    pen = AreaPen(glyphs)
    glyphs[name].draw(pen)
    return abs(pen.value)


def test_the_epub_highlights_with_classes_and_passes_epubcheck(code_book: BuildResult) -> None:
    path = output(code_book, "epub")
    assert epubcheck(path).problems() == []
    with zipfile.ZipFile(path) as z:
        tree = etree.fromstring(z.read("EPUB/c02-final-code.xhtml"))
    code = tree.find(".//x:pre[@class='code']/x:code[@class='language-rust']", NS)
    assert code is not None
    kinds = {s.get("class"): s.text for s in code.iterfind(".//x:span", NS)}
    assert {"kw", "ty", "fn", "ma", "st", "nu", "co", "line", "ws"} <= set(kinds)
    keywords = {s.text for s in code.iterfind(".//x:span[@class='kw']", NS)}
    assert {"fn", "impl", "unsafe", "let", "struct"} <= keywords
    comments = ["".join(s.itertext()) for s in code.iterfind(".//x:span[@class='co']", NS)]
    assert any("capacity to usize::MAX" in c for c in comments)


def test_copying_a_listing_from_the_epub_gives_the_code_as_typed(
    code_book: BuildResult,
) -> None:
    with zipfile.ZipFile(output(code_book, "epub")) as z:
        tree = etree.fromstring(z.read("EPUB/c02-final-code.xhtml"))
    code = tree.find(".//x:pre/x:code", NS)
    assert code is not None
    source = (BOOK / "manuscript" / "02-final-code.md").read_text("utf-8")
    typed = source.split("```rust\n", 1)[1].split("```", 1)[0]
    assert "".join(code.itertext()) == visible_rust(typed)  # less `# fn main() {…}`
    with zipfile.ZipFile(output(code_book, "epub")) as z:
        chapter = etree.fromstring(z.read("EPUB/c01-send-and-sync.xhtml"))
    inline = ["".join(c.itertext()) for c in chapter.iterfind(".//x:p/x:code", NS)]
    assert "std::collections::HashMap::with_capacity_and_hasher" in inline
    assert chapter.findall(".//x:p/x:code/x:wbr", NS)  # where a line may break


def test_inline_code_may_break_after_separators_but_copies_unchanged() -> None:
    html = inline_code_html("std::collections::HashMap::with_capacity")
    assert html == (
        "<code>std::<wbr />collections::<wbr />HashMap::<wbr />with_<wbr />capacity</code>"
    )
    assert re.sub(r"<[^>]+>", "", html) == "std::collections::HashMap::with_capacity"
    assert inline_code_html("a_b") == "<code>a_b</code>"  # short: nothing to break


# --- Fences, captions and Rust's hidden lines ----------------------------------------------


@pytest.mark.parametrize(
    ("info", "language"),
    [
        ("rust", "rust"),
        ("rust,ignore", "rust"),
        ("rust ,ignore", "rust"),
        ("rust,compile_fail,E0597", "rust"),
        ("should_panic", "rust"),
        ("no_run", "rust"),
        ("edition2018", "rust"),
        ("ignore", "rust"),
        ("c", "c"),
        ("toml", "toml"),
        ("text", None),
        ("", None),
    ],
)
def test_mdbook_info_strings_name_the_language(info: str, language: str | None) -> None:
    assert parse_info(info)[0] == language


def test_rust_hidden_lines_are_left_out_as_mdbook_does() -> None:
    code = "#![allow(x)]\n# use std::mem;\n#\n#[derive(Debug)]\n## shown\nfn main() {}\n"
    assert visible_rust(code) == "#![allow(x)]\n#[derive(Debug)]\n# shown\nfn main() {}\n"


def test_captions_from_the_info_string_or_a_listing_paragraph(code_book: BuildResult) -> None:
    with zipfile.ZipFile(output(code_book, "epub")) as z:
        tree = etree.fromstring(z.read("EPUB/c01-send-and-sync.xhtml"))
    figures = tree.findall(".//x:figure[@class='listing']", NS)
    captions = ["".join(f.find("x:figcaption", NS).itertext()) for f in figures]  # type: ignore[union-attr]
    assert captions == [
        "Listing 1-1: Implementing Send and Sync for a type that holds a raw pointer",
        "Listing 1-2: A type that is neither Send nor Sync",
    ]
    assert all(f.find("x:pre", NS) is not None for f in figures)


def test_a_caption_is_kept_with_its_listing_on_the_page(code_book: BuildResult) -> None:
    views = [p.extract_text() for p in PdfReader(output(code_book, "pdf")).pages]
    for caption, first_line in (
        ("Listing 1-1", "use std::{"),
        ("Listing 1-2", "#![feature(negative_impls)]"),
        ("Listing 2-1", "use std::alloc::{self, Layout};"),
    ):
        page = next(v for v in views if caption in v)
        assert first_line in page and page.index(caption) < page.index(first_line)


# --- Page breaks ---------------------------------------------------------------------------


def _listing_rows(result: BuildResult) -> list[tuple[int, str, int, int, float, float]]:
    """(page, listing id, line number, lines in the listing, top, bottom) of every laid-out
    piece of a listing's line, read off WeasyPrint's boxes (px, from the page top)."""
    from weasyprint.formatting_structure import boxes

    assert result.layout is not None
    document = result.layout.document
    root = document.pages[0]._page_box.children[0].element
    owners = {}
    for n, pre in enumerate(root.iter("pre")):
        lines = [e for e in pre.iter("span") if e.get("class") == "line"]
        for k, line in enumerate(lines):
            owners[id(line)] = (f"{n}:{pre.get('class')}", k, len(lines))

    def walk(box: object) -> Iterator[object]:
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    rows = []
    for number, page in enumerate(document.pages):
        for box in walk(page._page_box):
            if isinstance(box, boxes.BlockBox) and id(box.element) in owners:
                listing, k, count = owners[id(box.element)]
                top = box.position_y
                rows.append((number, listing, k, count, top, top + box.margin_height()))
    return rows


def test_a_listing_breaks_between_lines_never_inside_one(code_book: BuildResult) -> None:
    rows = _listing_rows(code_book)
    pages_of: dict[tuple[str, int], set[int]] = {}
    for page, listing, k, *_ in rows:
        pages_of.setdefault((listing, k), set()).add(page)
    assert all(len(p) == 1 for p in pages_of.values())  # a turned line stays on its page
    spans: dict[str, dict[int, int]] = {}
    for page, listing, *_ in rows:
        spans.setdefault(listing, {}).setdefault(page, 0)
        spans[listing][page] += 1
    long = [pages for pages in spans.values() if len(pages) > 1]
    assert any(len(pages) >= 4 for pages in long)  # Vec<T> runs over four pages or more
    for pages in long:
        counts = [pages[p] for p in sorted(pages)]
        assert counts[0] >= 2 and counts[-1] >= 2, counts  # no orphan, no widow


def test_a_listing_of_four_lines_is_never_split(tmp_path: Path) -> None:
    """Forty four-line listings, each after a different run of one-line paragraphs: some of
    them would straddle a page; each is moved whole to the next page instead."""
    listing = "```rust\nfn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\n```\n"
    parts = ["# Breaks\n"]
    for n in range(40):
        parts += [f"Line {n}.{k}\n" for k in range(1 + n % 7)]
        parts.append(listing)
    book = make_book(tmp_path / "b", {"01.md": "\n".join(parts)})
    result = build(load_book(book), tmp_path / "out", ["pdf"], pace=Pace(whole=True))
    rows = _listing_rows(result)
    pages: dict[str, set[int]] = {}
    for page, name, *_ in rows:
        pages.setdefault(name, set()).add(page)
    assert len(pages) == 40 and all(len(p) == 1 for p in pages.values())
    assert "short" in next(iter(pages))
    # the rule did something: a listing opens a page although the page before had room for
    # more than two of its lines (which is all its first lines alone would have asked for)
    bottoms = _text_bottoms(result)
    tops = {p: min(r[4] for r in rows if r[0] == p) for p in {r[0] for r in rows}}
    pushed = [
        p
        for page, _name, k, _count, top, _bottom in rows
        if k == 0
        and top == tops[(p := page)]
        and p - 1 in bottoms
        and bottoms[p - 1][1] - bottoms[p - 1][0] > 2 * 14 + 1
    ]
    assert pushed


def _text_bottoms(result: BuildResult) -> dict[int, tuple[float, float]]:
    """page → (bottom of its last line of text, bottom of its text block), in px."""
    from weasyprint.formatting_structure import boxes

    assert result.layout is not None
    found = {}
    for number, page in enumerate(result.layout.document.pages):
        area = page._page_box
        end = area.content_box_y() + area.height
        lines = [
            b.position_y + b.height
            for b in _descendants(area)
            if isinstance(b, boxes.LineBox) and b.children
        ]
        if lines:
            found[number] = (max(lines), end)
    return found


def _descendants(box: object) -> Iterator[object]:
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.MarginBox):
            continue
        yield child
        yield from _descendants(child)


# --- The code face in the themes, the EPUB and the linter ----------------------------------


def test_the_modern_theme_sets_code_in_the_same_monospace_face(tmp_path: Path) -> None:
    book = make_book(
        tmp_path / "b",
        {"01.md": "# One\n\nCall `main()`:\n\n```rust\nfn main() {}\n```\n"},
        'title = "Modern"\ntheme = "modern"\n',
    )
    path = output(build(load_book(book), tmp_path / "out", ["pdf"]), "pdf")
    families = {re.sub(r"^/?[A-Z]{6}\+", "", n).split("-")[0] for n in pdf_fonts(path)}
    assert families == {"Literata", "JetBrains"}


def test_an_embedding_theme_ships_the_code_face_cut_to_the_code(tmp_path: Path) -> None:
    book = make_book(
        tmp_path / "b",
        {"01.md": "# One\n\nSome text, and `let x = 1;` in code.\n"},
        'title = "Embedded"\ntheme = "embedded"\n',
    )
    theme = book / "styles" / "embedded"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text(
        (REPO / "tests/books/embedded-fonts/styles/embedded/theme.toml").read_text("utf-8")
    )
    path = output(build(load_book(book), tmp_path / "out", ["epub"]), "epub")
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if "/fonts/" in n]
        mono = TTFont(io.BytesIO(z.read("EPUB/fonts/jetbrainsmono-wght.ttf")))
        css = z.read("EPUB/style/book.css").decode()
    assert "EPUB/fonts/jetbrainsmono-wght.ttf" in names
    assert 'src: url("../fonts/jetbrainsmono-wght.ttf")' in css
    cmap = mono.getBestCmap()
    assert all(ord(c) in cmap for c in "let x = 1;")
    assert ord("S") not in cmap  # "Some text" is not code
    assert epubcheck(path).problems() == []


def test_the_font_rule_checks_code_against_the_code_face(tmp_path: Path) -> None:
    """Box drawing, which EB Garamond lacks, is fine in code; a cat, which JetBrains Mono
    lacks too, is not; in prose, the serif decides."""
    book = make_book(
        tmp_path / "b",
        {
            "01.md": (
                "# One\n\nA box `┌─┐` in code is set in the code face.\n\n"
                "```text\n└─┘ and a cat 😿\n```\n\nBut ┌ in prose is not.\n"
            )
        },
    )
    found = [d for d in check(book, build=False).diagnostics if d.code == "F001"]
    described = [
        (d.line, d.col, d.message.split(": ", 1)[1][0], "(in code)" in d.message) for d in found
    ]
    assert sorted(described) == [(6, 15, "😿", True), (9, 5, "┌", False)], found
