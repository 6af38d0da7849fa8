"""The print edition's page numbers inside the EPUB: for every page in the page-list, the text
after marker N in the EPUB is the text that begins page N of the PDF (as pdfium reads it)."""

from __future__ import annotations

import html
import io
import posixpath
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.print.geometry import margins_for
from printsupport import from_roman, unmended_theme
from support import CORPUS, REPO, normalize, output

FEATURES = REPO / "tests" / "books" / "features"
WORDS = 6
MARKER = re.compile(r'<span epub:type="pagebreak" role="doc-pagebreak" id="page-([^"]+)"[^>]*/>')
BLOCK_TAGS = re.compile(
    r"</?(?:p|h[1-6]|li|ol|ul|div|section|nav|aside|blockquote|pre|table|tr|td|th|br)\b[^>]*>"
)


def _text(markup: str) -> str:
    """Markup to words: blocks are separated by a space, inline tags vanish."""
    markup = re.sub(r"<head>.*?</head>", " ", markup, flags=re.S)
    markup = re.sub(r"<hr\b[^>]*>", " ⁂ ", markup)  # the scene-break ornament both editions draw
    markup = re.sub(r"<math\b.*?</math>", " ", markup, flags=re.S)  # print draws it: no text
    return normalize(html.unescape(re.sub(r"<[^>]+>", "", BLOCK_TAGS.sub(" ", markup))))


# Drawn by the editions, not text of the book: scene-break ornaments (the EPUB's ⁂, print's ❦)
# and list bullets (which a PDF reader extracts after the text of their page).
ORNAMENTS = str.maketrans("", "", "⁂❦•")
PREFIX = 40  # characters compared after each marker
DRAWING = 0.0  # a marker's picture is an SVG drawing: the PDF holds its paths, not an image


@dataclass(frozen=True)
class Marker:
    document: str
    words: list[str]  # the first words after it, reading on into the next documents
    mid_paragraph: bool  # text of the same paragraph stands before it
    picture: float | None = None  # width / height of the picture right after it (DRAWING: SVG)
    header: tuple[str, ...] = ()  # the words of the header row of the table it stands in
    before: str = ""  # the word before it in its document


@dataclass(frozen=True)
class PdfPage:
    text: str  # the text of the type area: no running heads, no folios
    pictures: tuple[float, ...]  # width / height of each picture that opens the page
    drawing: bool = False  # vector paths open the page (print draws an SVG picture as paths)


@dataclass
class Agreement:
    compared: int = 0
    mid_paragraph: int = 0
    mid_word: int = 0  # pages whose first word began, hyphenated, on the page before
    pictures: int = 0  # pages that open with a picture
    differences: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # printed folios the page-list lacks

    @property
    def pages(self) -> int:
        """The printed pages the page-list should name: those it names, and those it lacks."""
        return self.compared + len(self.unlisted)

    @property
    def agreeing(self) -> int:
        return self.compared - len(self.differences)

    @property
    def percent(self) -> float:
        return 100.0 * self.agreeing / self.pages if self.pages else 100.0


def _picture(epub: zipfile.ZipFile, name: str, rest: str) -> float | None:
    """The aspect ratio of the picture a marker stands before (`rest` follows the marker)."""
    match = re.match(r'\s*<img\b[^>]*?\bsrc="([^"]+)"', rest)
    if match is None:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(f"EPUB/{name}"), match[1]))
    if path.lower().endswith(".svg"):
        return DRAWING
    with Image.open(io.BytesIO(epub.read(path))) as image:
        return float(image.width) / image.height


def _header(doc: str, at: int) -> tuple[str, ...]:
    """The words of the header row of the table that holds position `at`, if any: print sets
    it again at the top of every page the table runs onto."""
    start = doc.rfind("<table", 0, at)
    if start < 0 or doc.rfind("</table>", 0, at) > start:
        return ()
    head = re.search(r"<thead\b.*?</thead>", doc[start:at], re.S)
    return tuple(_text(head[0]).split()) if head else ()


def epub_pages(path: Path) -> dict[str, Marker]:
    """Folio → its marker in the EPUB."""
    markers: dict[str, Marker] = {}
    with zipfile.ZipFile(path) as epub:
        opf = epub.read("EPUB/content.opf").decode()
        ids = re.findall(r'<itemref idref="([^"]+)"', opf)
        hrefs = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
        by_id = {v: k for k, v in hrefs.items()}
        docs = [(by_id[i], epub.read(f"EPUB/{by_id[i]}").decode()) for i in ids]
        for n, (name, doc) in enumerate(docs):
            for match in MARKER.finditer(doc):
                rest = doc[match.end() :]
                after = rest + " ".join(d for _, d in docs[n + 1 : n + 3])
                words = _text(MARKER.sub("", after)).split()[:WORDS]
                mid = doc[match.start() - 1] != ">"
                picture = _picture(epub, name, rest)
                before = (_text(MARKER.sub("", doc[: match.start()])).split() or [""])[-1]
                header = _header(doc, match.start())
                markers[match[1]] = Marker(name, words, mid, picture, header, before)
    return markers


def pdf_pages(path: Path, top: float, bottom: float) -> list[PdfPage]:
    """Each page's text inside the type area, and the pictures that open it: those whose top
    stands level with or above its first line of text."""
    doc = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in doc:
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = textpage.get_text_bounded(left=0, bottom=bottom, right=width, top=height - top)
            tops = [
                textpage.get_charbox(i)[3]
                for i in range(textpage.count_chars())
                if bottom <= textpage.get_charbox(i)[1] <= height - top
            ]
            first_line = max(tops, default=bottom)
            opening, drawing = [], False
            for obj in page.get_objects(max_depth=2):
                left, low, right, high = obj.get_bounds()
                if not (low < height - top and high >= first_line - 2 and high > low):
                    continue
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    opening.append((right - left) / (high - low))
                drawing |= obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and low >= bottom
            pages.append(PdfPage(text, tuple(opening), drawing))
        return pages
    finally:
        doc.close()


def pdf_folios(path: Path) -> list[str]:
    """Each page's folio as the PDF labels it ("" for a blank page). Openers print no folio;
    the labels match the printed ones (tests/test_pdf.py checks that)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [
            doc.get_page_label(i) if doc[i].get_textpage().get_text_range().strip() else ""
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def page_index(label: str, folios: list[str]) -> int:
    if label.isdigit():
        return folios.index(label)
    return from_roman(label) - 1  # front matter: counted from the first page, mostly unprinted


def _continues_word(previous: str, first: str, marker: Marker) -> bool:
    """Whether the page opens with the end of a word the page before broke with a hyphen (the
    marker then stands before the next whole word): some line of the page before (not always its
    last: footnotes and list bullets come after) ends with the word's beginning."""
    starts = [line.split()[-1][:-1] for line in previous.splitlines() if line.endswith("\u2010")]
    return any(start + first == marker.before for start in starts)


def _squash(words: list[str]) -> str:
    """Words as characters alone: a code line that turns over, or a word hyphenated at a line
    end, reads the same in both editions."""
    return "".join(words).translate(ORNAMENTS)


def _after_header(words: list[str], header: tuple[str, ...]) -> list[str]:
    """The page's words after the header row of the table the page opens in, which print sets
    again there: its characters, in whatever order a PDF reader takes its cells' lines."""
    left = Counter(_squash(list(header)))
    total = sum(left.values())
    used = 0
    for n, word in enumerate(words):
        chars = Counter(_squash([word]))
        if chars - left:
            break
        left -= chars
        used += sum(chars.values())
        if used == total:
            return words[n + 1 :]
    return words


def _agrees(marker: Marker, page: PdfPage, words: list[str]) -> bool:
    if marker.document == "nav.xhtml":
        return words[:1] == marker.words[:1]  # the printed contents has leaders and folios
    if marker.picture == DRAWING:
        return page.drawing  # the page opens with a drawing (its proportions are its own)
    if marker.picture is not None:
        # The page opens with that picture (a picture may be moved on, the text flowing past).
        return any(abs(ratio / marker.picture - 1) < 0.03 for ratio in page.pictures)
    words = _after_header(words, marker.header)
    printed, marked = _squash(words), _squash(marker.words)
    n = min(len(printed), len(marked), PREFIX)
    return n > 0 and printed[:n] == marked[:n]


def agreement(result: BuildResult) -> Agreement:
    """Compare every marker of the EPUB with the page of the PDF it names."""
    book = result.book
    pdf_path = output(result, "pdf")
    margins = margins_for(book.config.trim)
    pages = pdf_pages(pdf_path, margins.top, margins.bottom)
    folios = pdf_folios(pdf_path)
    found = Agreement()
    markers = epub_pages(output(result, "epub"))
    found.unlisted = [f for f in folios if f.isdigit() and f not in markers]
    for label, marker in markers.items():
        i = page_index(label, folios)
        words = normalize(pages[i].text).split()
        if i > 0 and words and _continues_word(pages[i - 1].text, words[0], marker):
            words = words[1:]
            found.mid_word += 1
        found.compared += 1
        found.mid_paragraph += marker.mid_paragraph
        found.pictures += marker.picture is not None
        if not _agrees(marker, pages[i], words):
            found.differences.append(f"page {label}: EPUB {marker.words} ≠ PDF {words[:WORDS]}")
    return found


@pytest.fixture(scope="module")
def features_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(FEATURES), tmp_path_factory.mktemp("features"), ["epub", "pdf"])


@pytest.fixture(scope="module")
def novel_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Four chapters of the corpus novel on small pages: many pages open mid-paragraph or in
    the middle of a hyphenated word (without the second layout pass, which mends words broken
    across a page turn)."""
    root = tmp_path_factory.mktemp("novel")
    (root / "manuscript").mkdir()
    for name in sorted((CORPUS / "manuscript").iterdir())[:4]:
        shutil.copy(name, root / "manuscript" / name.name)
    theme = unmended_theme(root)
    (root / "book.toml").write_text(
        'title = "Pride and Prejudice"\nauthor = "Jane Austen"\nlanguage = "en-GB"\n'
        f'date = "2014-05-25"\ntrim = "A6"\nisbn = "9780141439518"\ntheme = "{theme}"\n',
        "utf-8",
    )
    return build(load_book(root), root / "out", ["epub", "pdf"])


def test_every_printed_page_with_text_is_in_the_page_list(features_build: BuildResult) -> None:
    pages = epub_pages(output(features_build, "epub"))
    folios = [f for f in pdf_folios(output(features_build, "pdf")) if f.isdigit()]
    assert folios and set(folios) <= set(pages), (folios, list(pages))
    assert {"iii", "iv", "v"} <= set(pages)  # title page, copyright page, contents


def test_text_after_each_marker_begins_that_pdf_page(features_build: BuildResult) -> None:
    found = agreement(features_build)
    assert found.compared >= 8
    assert found.differences == []


def test_pages_opening_mid_paragraph_and_mid_word_agree_with_the_pdf(
    novel_build: BuildResult,
) -> None:
    found = agreement(novel_build)
    assert found.compared >= 20 and found.mid_paragraph >= 10 and found.mid_word >= 1, found
    assert found.differences == [] and found.unlisted == []
    assert not [w for w in novel_build.warnings if w.code == "E004"]


def test_page_list_is_declared_with_its_print_source(novel_build: BuildResult) -> None:
    with zipfile.ZipFile(output(novel_build, "epub")) as epub:
        opf = epub.read("EPUB/content.opf").decode()
        nav = epub.read("EPUB/nav.xhtml").decode()
    assert "<dc:source>urn:isbn:9780141439518</dc:source>" in opf
    for feature in ("pageBreakMarkers", "pageNavigation"):
        assert f'"schema:accessibilityFeature">{feature}<' in opf
    page_list = re.search(r'<nav epub:type="page-list" role="doc-pagelist".*?</nav>', nav, re.S)
    assert page_list is not None
    labels = re.findall(r">([^<]+)</a></li>", page_list[0])
    arabic = [int(x) for x in labels if x.isdigit()]
    assert arabic == sorted(arabic) and arabic[0] == 1


def test_epub_alone_has_no_page_list(tmp_path: Path) -> None:
    result = build(load_book(FEATURES), tmp_path, ["epub"])
    with zipfile.ZipFile(output(result, "epub")) as epub:
        opf = epub.read("EPUB/content.opf").decode()
        nav = epub.read("EPUB/nav.xhtml").decode()
        chapter = epub.read("EPUB/c01-the-light.xhtml").decode()
    assert "page-list" not in nav and "pagebreak" not in chapter
    assert "pageBreakMarkers" not in opf and "<dc:source>" not in opf


def test_markers_go_before_images_and_scene_breaks_and_never_inside_a_word() -> None:
    from lxml import etree

    from octavo.book.pages import PageStart
    from octavo.epub.pagebreaks import place_marker

    section = etree.fromstring(
        '<section xmlns="http://www.w3.org/1999/xhtml"><p>One <em>two three</em> four.</p>'
        '<hr/><p><img src="a.png" alt="A"/></p></section>'
    )
    starts = [
        PageStart("7", "c", "p", 0, 8, "three four."),  # inside <em>, before "three"
        PageStart("8", "c", "p", 0, 19, ""),  # after the last character
        PageStart("9", "c", "hr", 0, 0, ""),
        PageStart("10", "c", "img", 0, 0, ""),
    ]
    assert all(place_marker(section, s) for s in starts)
    text = etree.tostring(section, encoding="unicode")
    text = re.sub(r'<span [^>]*id="page-([0-9]+)"[^>]*/>', r"[\1]", text)
    assert "<em>two [7]three</em> four.[8]</p>[9]<hr/><p>[10]<img" in text
    # A preview that does not match the text there is refused, not placed somewhere wrong.
    assert not place_marker(section, PageStart("11", "c", "p", 0, 0, "Two"))


def test_a_footnote_call_is_text_of_neither_edition_to_the_page_map() -> None:
    """The EPUB's call number (`sup.footnote-ref`) and print's inline note (`span.footnote`) are
    skipped alike, so a page opening just before a call is found in both."""
    from lxml import etree

    from octavo.book.pages import PageStart, flat_text
    from octavo.epub.pagebreaks import place_marker

    section = etree.fromstring(
        '<section xmlns="http://www.w3.org/1999/xhtml"><p>“A drink.”<sup class="footnote-ref">'
        '<a href="#n">1</a></sup> That was all.</p></section>'
    )
    printed = etree.fromstring(
        '<p>“A drink.”<span class="footnote">Whisky.</span> That was all.</p>'
    )
    assert flat_text(section[0]) == flat_text(printed) == "“A drink.” That was all."
    assert place_marker(section, PageStart("4", "c", "p", 0, 11, "That was all."))
    text = etree.tostring(section, encoding="unicode")
    assert "</sup> [4]That was all." in re.sub(
        r'<span [^>]*id="page-([0-9]+)"[^>]*/>', r"[\1]", text
    )


def _marker(words: str, **kwargs: object) -> Marker:
    return Marker("c.xhtml", words.split(), False, **kwargs)  # type: ignore[arg-type]


def test_the_measure_compares_what_each_page_opens_with() -> None:
    """The comparison itself can fail: wrong text, a wrong picture, a page with no picture."""
    page = PdfPage("Some text here and more", ())
    assert _agrees(_marker("Some text here"), page, page.text.split())
    assert not _agrees(_marker("Other text here"), page, page.text.split())
    # A code line that turns over, a table's header row set again at the top of the page.
    code = PdfPage("let x = v.get(0).a s_ptr();", ())
    assert _agrees(_marker("let x = v.get(0).as_ptr();"), code, code.text.split())
    table = PdfPage("Type Variance T3 covariant", ())
    header = ("Type", "Variance")
    assert _agrees(_marker("T3 covariant", header=header), table, table.text.split())
    assert not _agrees(_marker("T4 covariant", header=header), table, table.text.split())
    # A page that opens with a picture: the same picture (by its proportions), or none.
    pictured = PdfPage("", (0.577,))
    assert _agrees(_marker("After it", picture=0.5769), pictured, [])
    assert not _agrees(_marker("After it", picture=2.3), pictured, [])
    assert not _agrees(_marker("After it", picture=0.5769), page, page.text.split())
    assert _agrees(_marker("After it", picture=DRAWING), PdfPage("After it", (), True), [])
    assert not _agrees(_marker("After it", picture=DRAWING), page, page.text.split())
    assert not _agrees(_marker(""), PdfPage("", ()), [])


@pytest.mark.parametrize("name", ["technical", "illustrated"])
def test_page_list_agrees_with_print_on_technical_and_illustrated_books(
    tmp_path: Path, name: str
) -> None:
    """Listings longer than a page, a table running onto the next page, lists and footnotes;
    pages that open with a picture, pictures too tall for what is left of a page."""
    result = build(load_book(REPO / "tests" / "books" / name), tmp_path, ["epub", "pdf"])
    found = agreement(result)
    assert found.compared >= 10 and found.differences == [] and found.unlisted == [], found
    assert not [w for w in result.warnings if w.code == "E004"]
    if name == "illustrated":
        assert found.pictures >= 2  # pages that open with a picture were compared as such
    else:
        starts = {m.document for m in epub_pages(output(result, "epub")).values()}
        assert {"c01-listings.xhtml", "c02-variance.xhtml", "c03-rules.xhtml"} <= starts
