"""What the built-in themes do for the page-quality report, read back from the PDF: running
heads that never wrap, contents numbers in lining figures flush right, short tables whole and
long ones under their repeated header, scene breaks on the line grid."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from octavo import build, load_book
from octavo.check import pagequality
from octavo.pipeline import BuildResult
from octavo.print import quality
from octavo.print.layout import Pace
from printsupport import SHORT_WORDS, read_pages
from support import make_book, output

# the page-quality report reads the boxes of the book laid out as one document
WHOLE = Pace(whole=True)

WORDS = SHORT_WORDS


def prose(paragraphs: int, seed: int, words: int = 40) -> str:
    out = []
    for p in range(paragraphs):
        chosen = [WORDS[(seed + p * 7 + i * 3) % len(WORDS)] for i in range(words + p % 4 * 11)]
        out.append(" ".join(chosen).capitalize() + ".")
    return "\n\n".join(out)


def built(root: Path, files: dict[str, str], toml: str) -> BuildResult:
    return build(load_book(make_book(root / "b", files, toml)), root / "out", ["pdf"], pace=WHOLE)


def pdf(result: BuildResult) -> Path:
    return output(result, "pdf")


def page_faults(result: BuildResult, code: str) -> list[str]:
    assert result.layout is not None
    return [
        str(d)
        for d in pagequality.diagnostics(result.layout.document, result.book)
        if d.code == code
    ]


# --- running heads ----------------------------------------------------------------------------

RUST_AUTHORS = (
    "Steve Klabnik, Carol Nichols, and Chris Krycho, with contributions from the Rust Community"
)


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_running_head_too_long_for_the_page_is_shortened(tmp_path: Path, theme: str) -> None:
    title = "Understanding Ownership, References, Slices and the Borrow Checker, in Depth"
    files = {f"0{i}.md": f"# Chapter {i}: {title}\n\n{prose(30, i)}\n" for i in (1, 2)}
    toml = (
        f'title = "The Rust Programming Language"\nauthor = "{RUST_AUTHORS}"\ntheme = "{theme}"\n'
    )
    result = built(tmp_path, files, toml)
    assert page_faults(result, "P030") == []
    heads = {p.head.lower() for p in read_pages(pdf(result)) if p.head and p.index % 2}
    assert heads == {"steve klabnik et al."}  # every verso
    rectos = {p.head.lower() for p in read_pages(pdf(result)) if p.head and p.index % 2 == 0}
    expected = (
        {"chapter 1", "chapter 2"} if theme == "modern" else {"the rust programming language"}
    )
    assert rectos == expected  # modern: the chapter's title, before its colon


def test_book_toml_sets_the_running_heads(tmp_path: Path) -> None:
    toml = (
        'title = "A Title"\nauthor = "Ann Lee"\n'
        'running_head = { verso = "Lee", recto = "Short Title" }\n'
    )
    result = built(tmp_path, {"01.md": f"# One\n\n{prose(30, 1)}\n"}, toml)
    pages = [p for p in read_pages(pdf(result)) if p.head]
    assert {p.head.lower() for p in pages if p.index % 2} == {"lee"}
    assert {p.head.lower() for p in pages if p.index % 2 == 0} == {"short title"}


# --- contents ---------------------------------------------------------------------------------


def digits_of_contents(path: Path) -> list[list[tuple[str, float, float]]]:
    """Per line of the contents page: (digit, bottom, right edge) of each figure."""
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            text = page.get_textpage()
            if not text.get_text_range().startswith("Contents"):
                continue
            lines: dict[int, list[tuple[str, float, float]]] = {}
            middle = page.get_width() / 2  # the page numbers, not a digit of a title
            for i in range(text.count_chars()):
                ch = text.get_text_range(i, 1)
                left, bottom, _, _ = text.get_charbox(i)
                if ch.isdigit() and left > middle:
                    # the ink's foot; the advance's right edge and the line (the loose box)
                    _, line, advance, _ = text.get_charbox(i, loose=True)
                    lines.setdefault(round(line), []).append((ch, bottom, advance))
            return list(lines.values())
    finally:
        doc.close()
    raise AssertionError("no contents page")


@pytest.mark.parametrize("theme", ["classic", "modern", "manual"])
def test_contents_numbers_are_lining_figures_flush_right(tmp_path: Path, theme: str) -> None:
    files = {f"{i:02d}.md": f"# Part {i}\n\n{prose(1, i, 20)}\n" for i in range(1, 14)}
    result = built(tmp_path, files, f'title = "Numbers"\ntheme = "{theme}"\n')
    lines = digits_of_contents(pdf(result))
    assert {ch for line in lines for ch, _, _ in line} >= set("13579")
    for line in lines:
        bottoms = [bottom for _, bottom, _ in line]
        # old-style 3, 5, 7, 9 hang below the line; lining figures all stand on it (round ones
        # overshoot it a little)
        assert max(bottoms) - min(bottoms) < 1.0, line
    rights = [line[-1][2] for line in lines]
    assert max(rights) - min(rights) < 0.5  # the numbers end flush at the right edge


# --- tables -----------------------------------------------------------------------------------


def test_short_tables_stay_whole_and_long_ones_repeat_their_header(tmp_path: Path) -> None:
    blocks = []
    for t in range(40):  # tables of 3 rows, between paragraphs of many lengths
        blocks.append(prose(1, t, 5 + t % 6 * 9))
        rows = "".join(f"| t{t}r{r} | x |\n" for r in range(3))
        blocks.append(f"| name | value |\n|---|---|\n{rows}")
    long_rows = "".join(f"| long{r} | x |\n" for r in range(80))
    blocks.append(f"| key | value |\n|---|---|\n{long_rows}")
    result = built(
        tmp_path, {"01.md": "# Tables\n\n" + "\n\n".join(blocks) + "\n"}, 'title = "T"\n'
    )
    pages = read_pages(pdf(result))
    for t in range(40):
        holding = {p.index for p in pages for r in range(3) if f"t{t}r{r}" in p.text}
        assert len(holding) == 1, (t, holding)
    long_pages = [p for p in pages if re.search(r"long\d+", p.text)]
    assert len(long_pages) > 1
    for page in long_pages:  # each page of the long table starts under its header
        body = page.text[page.text.find("key") :]
        assert re.match(r"key\s*value\s*long\d+", body), page.text[:200]
    assert page_faults(result, "P028") == []


# --- the line grid ----------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_lines_after_a_scene_break_stay_on_the_grid(tmp_path: Path, theme: str) -> None:
    text = "\n\n***\n\n".join(prose(3, s) for s in range(12))
    result = built(
        tmp_path, {"01.md": f"# Breaks\n\n{text}\n"}, f'title = "T"\ntheme = "{theme}"\n'
    )
    assert result.layout is not None
    reading = quality.Reading(result.layout.document, result.book)
    checked = 0
    for flow in reading.flows[1:]:
        if not reading.body_page(flow) or not any(b.kind == "break" for b in flow.blocks):
            continue
        top = result.layout.document.pages[flow.index]._page_box.content_box_y()
        if any(quality.tag(b.element) == "h1" for b in flow.blocks):
            continue  # an opener: its text starts below the title, a grid of its own
        for block in reading.text_blocks(flow):
            for line in block.lines:
                steps = (line.top - top) / reading.line_height
                assert abs(steps - round(steps)) < 0.02, (flow.index, line.text, steps)
                checked += 1
    assert checked > 30


@pytest.mark.parametrize("theme", ["classic", "modern", "manual", "poetry"])
def test_a_loose_list_item_starts_at_its_marker_like_its_later_lines(
    tmp_path: Path, theme: str
) -> None:
    """A list with blank lines between its items wraps each item in a paragraph; the body's
    paragraph indent pushed the item's first line 1 em past its later ones (the mdBook guide's
    index.hbs page)."""
    item = " ".join(WORDS[i % len(WORDS)] for i in range(45))
    files = {"01.md": f"# One\n\n{prose(1, 1)}\n\n- Zanzibar {item}.\n\n- Second {item}.\n"}
    result = built(tmp_path, files, f'title = "Lists"\ntheme = "{theme}"\n')
    doc = pdfium.PdfDocument(str(pdf(result)))
    for page in doc:
        text = page.get_textpage()
        found = text.search("Zanzibar").get_next()
        if found is None:
            continue
        start = found[0]
        first_x, _, _, first_top = text.get_charbox(start)
        item_text = text.get_text_range(start, len(f"Zanzibar {item}"))
        lefts = [
            text.get_charbox(start + i)[0]
            for i, c in enumerate(item_text)
            if c.isalpha() and text.get_charbox(start + i)[3] < first_top - 5
        ]
        assert lefts, item_text
        assert abs(min(lefts) - first_x) < 0.5, (first_x, min(lefts))
        return
    raise AssertionError("the list item is not in the PDF")
