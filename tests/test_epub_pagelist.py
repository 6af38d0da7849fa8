"""The print edition's page numbers inside the EPUB: for every page in the page-list, the text
after marker N in the EPUB is the text that begins page N of the PDF (as pdfium reads it)."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.print.geometry import margins_for
from printsupport import from_roman, unmended_theme
from support import CORPUS, REPO, normalize

FEATURES = REPO / "tests" / "books" / "features"
WORDS = 6
MARKER = re.compile(r'<span epub:type="pagebreak" role="doc-pagebreak" id="page-([^"]+)"[^>]*/>')
BLOCK_TAGS = re.compile(
    r"</?(?:p|h[1-6]|li|ol|ul|div|section|nav|aside|blockquote|pre|table|tr|td|th|br)\b[^>]*>"
)


def _output(result: BuildResult, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


def _text(markup: str) -> str:
    """Markup to words: blocks are separated by a space, inline tags vanish."""
    markup = re.sub(r"<head>.*?</head>", " ", markup, flags=re.S)
    markup = re.sub(r"<hr\b[^>]*>", " ⁂ ", markup)  # the scene-break ornament both editions draw
    return normalize(html.unescape(re.sub(r"<[^>]+>", "", BLOCK_TAGS.sub(" ", markup))))


@dataclass(frozen=True)
class Marker:
    document: str
    words: list[str]  # the first words after it, reading on into the next documents
    mid_paragraph: bool  # text of the same paragraph stands before it
    picture: bool = False  # an image follows it: the page may show that picture alone


@dataclass
class Agreement:
    compared: int = 0
    mid_paragraph: int = 0
    mid_word: int = 0  # pages whose first word began, hyphenated, on the page before
    differences: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # printed folios the page-list lacks


def epub_pages(path: Path) -> dict[str, Marker]:
    """Folio → its marker in the EPUB."""
    with zipfile.ZipFile(path) as epub:
        opf = epub.read("EPUB/content.opf").decode()
        ids = re.findall(r'<itemref idref="([^"]+)"', opf)
        hrefs = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
        by_id = {v: k for k, v in hrefs.items()}
        docs = [(by_id[i], epub.read(f"EPUB/{by_id[i]}").decode()) for i in ids]
    markers: dict[str, Marker] = {}
    for n, (name, doc) in enumerate(docs):
        for match in MARKER.finditer(doc):
            after = doc[match.end() :] + " ".join(d for _, d in docs[n + 1 : n + 3])
            words = _text(MARKER.sub("", after)).split()[:WORDS]
            picture = re.match(r"\s*<img\b", doc[match.end() :]) is not None
            markers[match[1]] = Marker(name, words, doc[match.start() - 1] != ">", picture)
    return markers


def pdf_body_text(path: Path, top: float, bottom: float) -> list[str]:
    """Each page's text inside the type area: no running heads, no folios."""
    doc = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in doc:
            width, height = page.get_size()
            textpage = page.get_textpage()
            texts.append(
                textpage.get_text_bounded(left=0, bottom=bottom, right=width, top=height - top)
            )
        return texts
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


def agreement(result: BuildResult) -> Agreement:
    """Compare every marker of the EPUB with the page of the PDF it names."""
    book = result.book
    pdf_path = _output(result, "pdf")
    margins = margins_for(book.config.trim)
    bodies = pdf_body_text(pdf_path, margins.top, margins.bottom)
    folios = pdf_folios(pdf_path)
    found = Agreement()
    markers = epub_pages(_output(result, "epub"))
    found.unlisted = [f for f in folios if f.isdigit() and f not in markers]
    for label, marker in markers.items():
        i = page_index(label, folios)
        words = normalize(bodies[i]).split()
        if i > 0 and bodies[i - 1].rstrip().endswith("\u2010"):
            words = words[1:]  # the page opens with the end of a hyphenated word
            found.mid_word += 1
        n = min(len(words), len(marker.words))
        if marker.document == "nav.xhtml":
            n = 1  # the printed contents has leaders and folios; only its heading is the same
        found.compared += 1
        found.mid_paragraph += marker.mid_paragraph
        if not words and marker.picture:
            continue  # a page that shows only a picture: no words, its marker before the image
        if n == 0 or marker.words[:n] != words[:n]:
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
    pages = epub_pages(_output(features_build, "epub"))
    folios = [f for f in pdf_folios(_output(features_build, "pdf")) if f.isdigit()]
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
    with zipfile.ZipFile(_output(novel_build, "epub")) as epub:
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
    with zipfile.ZipFile(_output(result, "epub")) as epub:
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
