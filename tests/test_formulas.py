"""TeX mathematics (source/formulas.py; tests/books/math): MathML with its TeX as alttext in the
EPUB, SVG pictures on the text's baseline in the print PDF, prices left as prose, and a formula
that does not parse set as code and reported where it is written."""

from __future__ import annotations

import ctypes
import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from lxml import etree
from PIL import Image

from octavo import build, load_book
from octavo.check import check
from octavo.pipeline import BuildResult
from octavo.source import formulas
from support import REPO, epubcheck, make_book, output
from test_epub_pagelist import agreement

BOOK = REPO / "tests" / "books" / "math"
MATHML = formulas.MATHML_NS
NS = {"m": MATHML, "x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}
# The formulas of tests/books/math, in the order the chapter gives them, with how each is set.
FORMULAS = [
    ("E = mc^2", "inline"),
    (r"a_n = \frac{1}{n}", "inline"),
    (r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}", "block"),
    (r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}", "block"),
    ("f'(x) = 2x", "inline"),
    ("x^2", "inline"),
    ("a -- b", "inline"),
    (r"\alpha \ldots \omega", "inline"),
]


@pytest.fixture(scope="module")
def math_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(load_book(BOOK), tmp_path_factory.mktemp("math"), ["epub", "pdf"])


def _body(tmp_path: Path, text: str, toml: str = 'title = "T"\n') -> str:
    book = load_book(make_book(tmp_path / "b", {"01.md": f"# A\n\n{text}\n"}, toml))
    return book.chapters[0].body_html


# --- What is a formula ---------------------------------------------------------------------


def test_prices_stay_prose(tmp_path: Path) -> None:
    body = _body(tmp_path, "It cost $5 and $10, or $20,000 and $30,000 for $n$ lots.")
    assert "It cost $5 and $10, or $20,000 and $30,000 for " in body
    assert body.count("math-inline") == 1


def test_pandocs_rules_decide_what_opens_and_closes(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            r"No $ x$ here.",
            r"Nor $x $ here.",
            r"A dollar \$y$ here.",
            "Code `$z$` here.",
            "But $x$ is.",
        ]
    )
    body = _body(tmp_path, text)
    assert body.count('class="math-inline"') == 1
    assert '<span class="math-inline">x</span> is' in body
    for prose in ("No $ x$ here", "Nor $x $ here", "A dollar $y$ here", "Code <code>$z$</code>"):
        assert prose in body


def test_a_formula_never_runs_into_a_code_span(tmp_path: Path) -> None:
    body = _body(tmp_path, "Pay $10, and the code `$x$` stays code; $y$ is a formula.")
    assert "Pay $10, and the code <code>$x$</code> stays code; " in body
    assert body.count("math-inline") == 1


def _mdbook(root: Path, tables: str, text: str) -> str:
    (root / "src").mkdir(parents=True)
    (root / "book.toml").write_text(f'[book]\ntitle = "T"\n\n{tables}', "utf-8")
    (root / "src" / "SUMMARY.md").write_text("- [A](a.md)\n", "utf-8")
    (root / "src" / "a.md").write_text(f"# A\n\n{text}\n", "utf-8")
    return load_book(root).chapters[0].body_html


def test_mdbook_mathjax_delimiters_only_where_mathjax_is_on(tmp_path: Path) -> None:
    text = r"Inline \\( x_1 \\) and shown \\[ \frac{a}{b} \\] here, and $y$ dollars."
    body = _mdbook(tmp_path / "on", "[output.html]\nmathjax-support = true\n", text)
    assert '<span class="math-inline">x_1</span>' in body
    assert r'<span class="math-display">\frac{a}{b}</span>' in body
    assert "$y$ dollars" in body  # mdBook's MathJax takes no dollars
    off = _mdbook(tmp_path / "off", "[output.html]\nmathjax-support = false\n", text)
    assert "math-" not in off


def test_mdbook_katex_takes_dollars(tmp_path: Path) -> None:
    body = _mdbook(tmp_path / "k", "[preprocessor.katex]\n", "A sum $a+b$ here.")
    assert '<span class="math-inline">a+b</span>' in body


def test_what_latex2mathml_lets_through_is_still_a_problem() -> None:
    assert formulas.problem(r"\frac{1}{2") == "a '{' is never closed"
    assert formulas.problem("a}") == "a '}' closes no '{'"
    assert formulas.problem(r"\foo{x}") == r"unknown command \foo"
    assert formulas.problem(r"\begin{nope}a\end{nope}") == "unknown environment 'nope'"
    assert formulas.problem("x^") is not None
    assert formulas.problem(r"\begin{aligned}a&=b\\c&=d\end{aligned}") is None


# --- The EPUB ------------------------------------------------------------------------------


def test_the_epub_sets_mathml_with_the_tex_as_alttext(math_book: BuildResult) -> None:
    with zipfile.ZipFile(output(math_book, "epub")) as epub:
        chapter = etree.fromstring(epub.read("EPUB/c01-sums.xhtml"))
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
    maths = chapter.findall(".//m:math", NS)
    assert [(m.get("alttext"), m.get("display")) for m in maths] == FORMULAS
    assert maths[0].find("m:mrow/m:msup/m:mi", NS).text == "c"
    assert chapter.find(".//x:code[@class='math-tex']", NS).text == r"$\frac{1}{2$"
    properties = {
        i.get("href"): i.get("properties") for i in opf.iterfind(".//opf:manifest/opf:item", NS)
    }
    assert properties["c01-sums.xhtml"] == "mathml"
    assert properties["titlepage.xhtml"] is None


def test_the_epub_with_mathml_passes_epubcheck(math_book: BuildResult) -> None:
    with zipfile.ZipFile(output(math_book, "epub")) as epub:
        assert f'<math xmlns="{MATHML}"'.encode() in epub.read("EPUB/c01-sums.xhtml")
    assert epubcheck(output(math_book, "epub")).problems() == []


# --- The bad formula -----------------------------------------------------------------------


def test_a_formula_that_does_not_parse_is_reported_at_its_place(math_book: BuildResult) -> None:
    found = [d for d in math_book.warnings if d.code == "S010"]
    assert [(d.path, d.line, d.col, d.severity) for d in found] == [
        (BOOK / "manuscript" / "01-sums.md", 16, 18, "warning")
    ]
    assert r"a '{' is never closed in \frac{1}{2; set as code" in found[0].message


def test_the_linter_reads_no_tex_as_prose() -> None:
    """Straight quotes, double hyphens and dots inside TeX are mathematics, not typography."""
    found = [(d.code, d.line) for d in check(BOOK, build=False).diagnostics]
    assert found == [("S010", 16)]


# --- The print PDF -------------------------------------------------------------------------


def _chapter_page(pdf: pdfium.PdfDocument) -> int:
    return next(
        i for i in range(len(pdf)) if "Inline math" in pdf[i].get_textpage().get_text_range()
    )


def test_the_pdf_keeps_no_tex_and_reads_in_order(math_book: BuildResult) -> None:
    pdf = pdfium.PdfDocument(str(output(math_book, "pdf")))
    text = " ".join(pdf[_chapter_page(pdf)].get_textpage().get_text_range().split())
    pdf.close()
    assert "Inline math sits on the line like any word, and so does in the middle" in text
    assert "numbers: and the integral is set apart too." in text
    # the only dollars left are the prices, the code span and the formula set as code
    assert re.findall(r"\S*\$\S*", text) == ["$5", "$10,", "$20", "$x$", r"$\frac{1}{2$"]
    assert "mc^2" not in text and "\\sum" not in text


def test_inline_formulas_are_drawn_on_the_baseline_at_the_texts_size(
    math_book: BuildResult,
) -> None:
    pdf = pdfium.PdfDocument(str(output(math_book, "pdf")))
    page = pdf[_chapter_page(pdf)]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    before, after = text.index("math"), text.index("sits")
    left = textpage.get_charbox(before + 3)[2]  # the right edge of "math"
    right = textpage.get_charbox(after)[0]
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, after, x, y)
    baseline, size = y.value, pdfium_c.FPDFText_GetFontSize(textpage.raw, after)
    capital = textpage.get_charbox(text.index("Inline"))  # the I: a capital of the text face
    glyphs = [
        o.get_bounds()
        for o in page.get_objects(max_depth=6)
        if o.type == pdfium_c.FPDF_PAGEOBJ_PATH
    ]
    formula = [g for g in glyphs if left <= g[0] and g[2] <= right and abs(g[1] - baseline) < size]
    pdf.close()
    assert len(formula) >= 5  # E, =, m, c and the superscript 2, drawn between the words
    e = min(formula, key=lambda g: g[0])
    assert abs(e[1] - baseline) < 0.3  # the E stands on the baseline of "sits"
    # as tall as the text's own capitals (Garamond's I, STIX's E: both about 0.66 em)
    assert 0.9 < (e[3] - e[1]) / (capital[3] - capital[1]) < 1.1


def test_displayed_formulas_stand_centred_on_their_own_line(math_book: BuildResult) -> None:
    pdf = pdfium.PdfDocument(str(output(math_book, "pdf")))
    page = pdf[_chapter_page(pdf)]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    top = textpage.get_charbox(text.index("numbers:"))[1]  # the line before the sum
    under = textpage.get_charbox(text.index("and the integral"))[3]  # the line after it
    glyphs = [
        o.get_bounds()
        for o in page.get_objects(max_depth=6)
        if o.type == pdfium_c.FPDF_PAGEOBJ_PATH
    ]
    edges = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    pdf.close()
    shown = [g for g in glyphs if under < g[1] and g[3] < top]
    assert len(shown) >= 10
    # the text block: justified lines reach its right edge, flush ones its left
    block = (min(e[0] for e in edges if e[2] > e[0]), max(e[2] for e in edges))
    middle = (min(g[0] for g in shown) + max(g[2] for g in shown)) / 2
    # centred by its box, which holds the glyphs' side bearings as well as their ink
    assert abs(middle - sum(block) / 2) < 4.0
    assert min(g[0] for g in shown) - block[0] > 50  # not flush left, nor indented only


def test_the_page_list_finds_pages_that_open_after_formulas(tmp_path: Path) -> None:
    """Print draws a formula as a picture, the EPUB as MathML: neither is a place the page map
    counts (book/pages.py), so pages opening mid-paragraph after formulas, and at a real
    picture after eighty formulas, are found in the EPUB where the PDF's pages begin."""
    text = ["# Long\n"]
    for i in range(27):
        text.append(
            f"Paragraph {i} with $x_{{{i}}} = \\frac{{a}}{{b}}$ inline and words to fill the "
            "line, then more words so that it runs over several lines of the small page, with "
            f"$y^{i}$ and still more words, and more, until the paragraph is five lines long.\n"
        )
        if i % 3 == 0:
            text.append(f"$$\n\\sum_{{k=1}}^{{{i + 2}}} k^2 = \\frac{{n(n+1)(2n+1)}}{{6}}\n$$\n")
    text.append("![A red block](block.png)\n\nThe end.\n")
    root = make_book(tmp_path / "b", {"01.md": "\n".join(text)}, 'title = "L"\ntrim = "A6"\n')
    Image.new("RGB", (200, 500), "red").save(root / "manuscript" / "block.png")
    result = build(load_book(root), tmp_path / "out", ["epub", "pdf"])
    found = agreement(result)
    assert found.compared >= 8 and found.mid_paragraph >= 2 and found.pictures == 1, found
    assert found.differences == [] and found.unlisted == [], found
    assert not [w for w in result.warnings if w.code == "E004"]
