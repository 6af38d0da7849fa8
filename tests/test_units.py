"""The print edition laid out in units (print/units.py), in a pool of processes and from the
cache, is the book laid out whole: the same text on every page, the same folios and boxes, the
same outline and links, the same EPUB page-list. And a rebuild lays out only what changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from octavo import build, load_book
from octavo.pipeline import BuildResult
from octavo.print.layout import Pace
from octavo.print.printers import PrintRequest
from printsupport import read_pages
from support import REPO, font_dicts, pdf_pages_text

BOOK = REPO / "tests" / "books" / "units"
# the foreword, three chapters (the interlude runs on after the third), the appendix, and
# book.toml's acknowledgements and about the author
UNITS = 7
PRESSES = {
    "plain": PrintRequest(),
    "bleed, crop marks, PDF/X-4": PrintRequest(bleed=True, crop_marks=True, pdf_x="4"),
    "KDP": PrintRequest(printer="kdp"),
}


def output(result: BuildResult, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


# --- what a reader of the PDF sees ------------------------------------------------------------


def labels_and_boxes(path: Path) -> list[tuple[Any, ...]]:
    reader = PdfReader(path)
    boxes = ("/MediaBox", "/TrimBox", "/BleedBox")

    def box(page: Any, name: str) -> tuple[float, ...]:
        return tuple(round(float(v), 2) for v in page.get(name, []))

    return [
        (label, *(box(page, b) for b in boxes))
        for label, page in zip(reader.page_labels, reader.pages, strict=True)
    ]


def outline(path: Path) -> list[tuple[int, str, int, float, float]]:
    """(depth, title, page, x, y) of every bookmark."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int, float, float]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            page = reader.get_destination_page_number(item)
            where = (round(float(item.left or 0), 1), round(float(item.top or 0), 1))
            found.append((depth, str(item.title), page, *where))

    walk(reader.outline, 0)
    return found


def links(path: Path) -> list[tuple[int, tuple[float, ...], Any]]:
    """(page, rectangle, where it leads: page and place, or the URI) of every link."""
    reader = PdfReader(path)
    index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    names: dict[str, tuple[int, float, float]] = {}
    tree = reader.trailer["/Root"].get("/Names")
    if tree and "/Dests" in tree:
        flat = tree["/Dests"].get_object()["/Names"]
        for k in range(0, len(flat), 2):
            dest = flat[k + 1].get_object()
            names[str(flat[k])] = (
                index[dest[0].idnum],
                round(float(dest[2]), 1),
                round(float(dest[3]), 1),
            )
    found = []
    for i, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            rect = tuple(round(float(v), 1) for v in annot["/Rect"])
            target = names.get(str(annot["/Dest"])) if "/Dest" in annot else annot["/A"]["/URI"]
            found.append((i, rect, target))
    return found


# --- units beside the whole --------------------------------------------------------------------


@pytest.fixture(scope="module", params=[*PRESSES, "modern"])
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[BuildResult, BuildResult]:
    """The book laid out whole, and in units in two processes. The modern theme takes a
    recto's running head from its chapter's title: a named string a unit sets."""
    out = tmp_path_factory.mktemp("units")
    folder = BOOK
    if request.param == "modern":
        folder = out / "book"
        shutil.copytree(BOOK, folder)
        toml = folder / "book.toml"
        toml.write_text(toml.read_text("utf-8") + 'theme = "modern"\n', "utf-8")
    book = load_book(folder)
    press = PRESSES.get(request.param, PrintRequest())
    formats = ["epub", "pdf"]
    whole = build(book, out / "whole", formats, press=press, pace=Pace(whole=True))
    apart = build(book, out / "units", formats, press=press, pace=Pace(jobs=2))
    return whole, apart


def test_the_book_is_laid_out_in_units(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = pair
    assert whole.layout is not None and apart.layout is not None
    assert whole.layout.units == ()
    assert len(apart.layout.units) == UNITS
    assert [u.laid_out for u in apart.layout.units] == [True] * UNITS
    assert apart.layout.pages == whole.layout.pages > 20


def test_every_page_shows_the_same_text(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = (pdf_pages_text(output(r, "pdf")) for r in pair)
    assert len(whole) == len(apart)
    for i, (a, b) in enumerate(zip(whole, apart, strict=True)):
        assert a == b, f"page {i + 1}"
    assert any("· 10 ·" in text for text in apart)  # the interlude's own folio, on a verso


def test_a_chapters_opening_recto_after_footnotes_is_mended_as_in_the_whole_book(
    pair: tuple[BuildResult, BuildResult],
) -> None:
    """In the modern theme the third chapter's opening recto ends on a broken word. The page
    pass sets that page a line shorter and the chapter again: laid out whole, the chapter's
    footnote must go on from the two before it (or the words differ and the change is
    refused); in its unit the recto is the document's first page, which has no verso (and was
    never tried). Both mend it, and so print the same pages (the test above)."""
    whole, _ = pair
    assert whole.layout is not None
    if whole.layout.family != "Literata":
        pytest.skip("the broken word is the modern theme's")
    mended = whole.layout.mended
    assert [f.kind for f in mended.before].count("hyphen-recto") == 1
    assert [k for k in mended.pages.kept_faults if k.startswith("hyphen-recto")]


def test_every_page_keeps_its_label_and_boxes(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = (labels_and_boxes(output(r, "pdf")) for r in pair)
    assert whole == apart
    assert [label for label, *_ in apart][:3] == ["i", "ii", "iii"]


def test_running_heads_and_folios_are_the_same(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = (read_pages(output(r, "pdf")) for r in pair)
    assert [(p.head, p.foot) for p in whole] == [(p.head, p.foot) for p in apart]
    assert {p.foot for p in apart} >= {"2", "3", "9", "· 10 ·"}
    heads = {p.head.lower() for p in apart if p.index % 2 == 0 and p.head}
    assert heads  # rectos carry the book's title, or (modern) their chapter's


def test_the_outline_is_the_same(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = (outline(output(r, "pdf")) for r in pair)
    assert whole == apart
    kdp = not pair[0].layout or not pair[0].layout.geometry.options.bookmarks
    assert kdp or len(apart) == UNITS + 1  # every chapter, the interlude too


def test_links_lead_to_the_same_places(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = (links(output(r, "pdf")) for r in pair)
    assert whole == apart
    options = pair[1].layout.geometry.options if pair[1].layout else None
    if options is not None and options.links:
        assert all(target is not None for _, _, target in apart)  # every link leads somewhere
        contents = min(page for page, _, _ in apart)
        across = [(page, target) for page, _, target in apart if page > contents]
        assert len(across) == 2  # Arrival → The Storm, The Storm → Arrival: unit to unit
        assert all(target[0] != page for page, target in across)


def test_the_epub_page_list_is_unchanged(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = pair
    assert whole.layout is not None and apart.layout is not None
    assert apart.layout.starts == whole.layout.starts
    assert len(apart.layout.starts) > 10
    assert output(apart, "epub").read_bytes() == output(whole, "epub").read_bytes()


def test_the_checks_read_the_same_pages(pair: tuple[BuildResult, BuildResult]) -> None:
    whole, apart = pair
    assert whole.layout is not None and apart.layout is not None
    assert apart.layout.fonts == whole.layout.fonts
    assert apart.layout.overfull == whole.layout.overfull


def test_one_process_makes_the_same_pdf_as_two(tmp_path: Path) -> None:
    book = load_book(BOOK)
    one = build(book, tmp_path / "one", ["pdf"], pace=Pace(jobs=1))
    two = build(book, tmp_path / "two", ["pdf"], pace=Pace(jobs=2))
    assert output(one, "pdf").read_bytes() == output(two, "pdf").read_bytes()


def test_one_font_program_serves_every_unit(pair: tuple[BuildResult, BuildResult]) -> None:
    """Each unit embeds its own subsets; the join gives every face one program again, with
    the glyphs of all units, as the book laid out whole has."""

    def programs(path: Path) -> set[int]:
        found = set()
        for page in PdfReader(path).pages:
            for font in font_dicts(page):
                descendant = font["/DescendantFonts"][0].get_object()
                found.add(descendant["/FontDescriptor"].raw_get("/FontFile2").idnum)
        return found

    whole, apart = (programs(output(r, "pdf")) for r in pair)
    assert len(apart) == len(whole)


# --- the cache ---------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    return book


def _edit(book: Path, name: str) -> None:
    """One word more in a paragraph of a manuscript file."""
    path = book / "manuscript" / name
    text = path.read_text("utf-8")
    path.write_text(text.replace("The canal flooded", "The canal indeed flooded", 1), "utf-8")


def _laid_out(result: BuildResult) -> list[str]:
    assert result.layout is not None
    return [u.name for u in result.layout.units if u.laid_out]


def test_an_edited_chapter_is_laid_out_again_and_no_other(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    first = build(load_book(book), tmp_path / "out", ["pdf"])  # the cache: out/.octavo-cache
    assert len(_laid_out(first)) == UNITS  # nothing cached yet: every unit laid out
    _edit(book, "03-the-storm.md")
    again = build(load_book(book), tmp_path / "out", ["pdf"])
    assert _laid_out(again) == ["c03-the-storm"]
    assert any("from the cache" in note for note in again.layout.notes)  # type: ignore[union-attr]
    fresh = build(load_book(book), tmp_path / "fresh", ["pdf"], pace=Pace(whole=True))
    assert pdf_pages_text(output(again, "pdf")) == pdf_pages_text(output(fresh, "pdf"))
    assert any("The canal indeed flooded" in t for t in pdf_pages_text(output(again, "pdf")))


def test_a_chapter_grown_by_a_page_moves_the_frames_after_it_alone(tmp_path: Path) -> None:
    """A chapter that gains a page moves the folios of every page after it: the frames of the
    chapters after it (and the contents' page numbers) are laid out again, not those before."""
    book = _copy(tmp_path)
    first = build(load_book(book), tmp_path / "out", ["pdf"])
    storm = book / "manuscript" / "03-the-storm.md"
    storm.write_text(storm.read_text("utf-8") + "\n" + "More rain fell, and more. " * 60 + "\n")
    again = build(load_book(book), tmp_path / "out", ["pdf"])
    assert again.layout is not None and first.layout is not None
    assert again.layout.pages > first.layout.pages
    assert _laid_out(again) == ["c03-the-storm"]
    framed = [u.name for u in again.layout.units if u.frame_laid_out]
    assert framed == ["c03-the-storm", "c05-appendix", "acknowledgements", "about-author"]
    fresh = build(load_book(book), tmp_path / "fresh", ["pdf"], pace=Pace(whole=True))
    assert read_pages(output(again, "pdf")) == read_pages(output(fresh, "pdf"))


def test_a_rebuild_of_an_unchanged_book_lays_out_nothing(tmp_path: Path) -> None:
    book = load_book(BOOK)
    first = build(book, tmp_path / "out", ["pdf"])
    again = build(book, tmp_path / "out", ["pdf"])
    assert _laid_out(again) == []
    assert again.layout is not None
    assert "the frame from the cache" in again.layout.notes[0]
    assert output(again, "pdf").read_bytes() == output(first, "pdf").read_bytes()


def test_a_cache_from_another_theme_is_not_used(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    build(load_book(book), tmp_path / "out", ["pdf"])
    toml = book / "book.toml"
    toml.write_text(toml.read_text("utf-8") + 'theme = "modern"\n', "utf-8")
    again = build(load_book(book), tmp_path / "out", ["pdf"])
    assert len(_laid_out(again)) == UNITS


def test_a_cache_from_another_version_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavo.print import cache

    book = load_book(BOOK)
    build(book, tmp_path / "out", ["pdf"])
    versions = cache.versions()
    monkeypatch.setattr(cache, "versions", lambda: versions.replace("weasyprint=", "weasyprint=0"))
    again = build(book, tmp_path / "out", ["pdf"])
    assert len(_laid_out(again)) == UNITS


def test_a_truncated_cache_entry_is_laid_out_again_with_a_warning(tmp_path: Path) -> None:
    book = load_book(BOOK)
    first = build(book, tmp_path / "out", ["pdf"])
    cache = tmp_path / "out" / ".octavo-cache"
    units = [p for p in cache.glob("*.json") if '"kind": "unit"' in p.read_text()]
    assert len(units) == UNITS
    damaged = units[0].with_suffix(".pdf")  # one unit's pages
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    again = build(book, tmp_path / "out", ["pdf"])
    warnings = [w for w in again.warnings if w.code == "P016"]
    assert len(warnings) == 1 and warnings[0].path == damaged.with_suffix(".json")
    assert len(_laid_out(again)) == 1
    assert output(again, "pdf").read_bytes() == output(first, "pdf").read_bytes()
    third = build(book, tmp_path / "out", ["pdf"])  # the entry was written anew
    assert _laid_out(third) == [] and not [w for w in third.warnings if w.code == "P016"]


def test_a_theme_a_unit_cannot_stand_alone_in_is_laid_out_whole(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    css = book / "styles" / "print.css"
    css.write_text(css.read_text("utf-8") + "@page :first { margin-top: 30mm; }\n", "utf-8")
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    assert result.layout is not None and result.layout.units == ()
    assert "@page :first" in result.layout.notes[0]


def test_page_numbers_printed_in_a_chapter_make_the_book_laid_out_whole(tmp_path: Path) -> None:
    book = _copy(tmp_path)
    css = book / "styles" / "print.css"
    rule = '.chapter-body a[href^="#"]::after { content: " (p. " target-counter(attr(href url), page) ")"; }'
    css.write_text(css.read_text("utf-8") + rule + "\n", "utf-8")
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    assert result.layout is not None and result.layout.units == ()
    assert "page numbers of other pages" in result.layout.notes[0]
    whole = pdf_pages_text(output(result, "pdf"))
    assert any("(p. 1)" in text.replace("\r\n", " ") for text in whole)


# --- the forms main's fixtures hold, units beside the whole ----------------------------------

FORMS = {
    # poems cut from one file, each on a new page inside its unit (`section.chapter.poem`),
    # a poem's first line in small caps
    "verse": "verse",
    # the same poems, each on its own recto: every poem its own unit
    "verse, poetry theme": "verse",
    # book.toml's dedication, epigraph, acknowledgements, about the author; subtitles
    "matter": "matter",
    # parts on their own rectos, nested chapters (bookmarks by depth), sections on new pages
    "mdbook": "mdbook",
    # links across files and to the pieces of a file cut at its headings
    "links": "links",
    # small-caps first lines (a poem's, a paragraph's running onto later pages), a footnote
    "openings": "openings",
    # a book set right to left (Hebrew): laid out whole (no chapter opens on a recto)
    "rtl": "rtl",
}


Form = tuple[str, BuildResult, BuildResult]


@pytest.fixture(scope="module", params=list(FORMS))
def form(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Form:
    """The fixture's name, the book laid out whole, and in units in two processes."""
    out = tmp_path_factory.mktemp("forms")
    folder = REPO / "tests" / "books" / FORMS[request.param]
    if request.param.endswith("poetry theme"):
        folder = out / "book"
        shutil.copytree(REPO / "tests" / "books" / "verse", folder)
        toml = folder / "book.toml"
        toml.write_text(toml.read_text("utf-8") + 'theme = "poetry"\n', "utf-8")
    book = load_book(folder)
    formats = ["epub", "pdf"]
    whole = build(book, out / "whole", formats, pace=Pace(whole=True))
    apart = build(book, out / "units", formats, pace=Pace(jobs=2))
    return request.param, whole, apart


def test_each_form_is_laid_out_in_units_as_a_whole_book(form: Form) -> None:
    name, whole, apart = form
    assert whole.layout is not None and apart.layout is not None
    assert whole.layout.units == ()
    if name == "rtl":  # its chapters open on left-hand pages: laid out whole, and it says so
        assert apart.layout.units == () and "opens on no recto" in apart.layout.notes[0]
    else:
        assert len(apart.layout.units) > 1, apart.layout.notes
        assert [u.laid_out for u in apart.layout.units] == [True] * len(apart.layout.units)
    assert pdf_pages_text(output(apart, "pdf")) == pdf_pages_text(output(whole, "pdf"))
    assert labels_and_boxes(output(apart, "pdf")) == labels_and_boxes(output(whole, "pdf"))
    heads = [(p.head, p.foot) for p in read_pages(output(whole, "pdf"))]
    assert [(p.head, p.foot) for p in read_pages(output(apart, "pdf"))] == heads
    assert outline(output(apart, "pdf")) == outline(output(whole, "pdf"))
    assert links(output(apart, "pdf")) == links(output(whole, "pdf"))
    assert apart.layout.starts == whole.layout.starts and whole.layout.starts
    assert output(apart, "epub").read_bytes() == output(whole, "epub").read_bytes()


def test_poems_run_on_inside_a_unit_or_make_their_own(form: Form) -> None:
    """In the classic theme a poem of a collection begins a new page, recto or verso, inside
    the unit of the chapter before it; in the poetry theme it opens on a recto, and so is a
    unit of its own."""
    name, _, apart = form
    if not name.startswith("verse"):
        pytest.skip("no collection of poems")
    assert apart.layout is not None
    names = [u.name for u in apart.layout.units]
    poems = ["c03-poems-the-tyger", "c03-poems-the-sick-rose"]
    if name.endswith("poetry theme"):
        assert names[-2:] == poems
    else:
        assert names[-1] == "c02-walk" and not set(poems) & set(names)


# --- the second pass (second_pass.py), unit by unit ----------------------------------------------


def test_the_second_pass_mends_each_unit_as_it_mends_the_whole_book(tmp_path: Path) -> None:
    """A unit opens on a recto, so its spreads and its pages' sides are the book's: the pass
    run in each unit's worker makes the pages it makes in the book laid out whole."""
    from test_second_pass import novel, pdf_pages

    mended = load_book(novel(tmp_path / "classic", "classic"))
    whole = build(mended, tmp_path / "whole", ["pdf"], pace=Pace(whole=True))
    apart = build(mended, tmp_path / "units", ["pdf"], pace=Pace(jobs=2))
    assert apart.layout is not None and len(apart.layout.units) > 10
    assert whole.layout is not None and whole.layout.mended is not None
    assert whole.layout.mended.lines.mended or whole.layout.mended.pages.kept  # it did mend
    texts = pdf_pages_text(output(apart, "pdf"))
    assert texts == pdf_pages_text(output(whole, "pdf"))
    assert labels_and_boxes(output(apart, "pdf")) == labels_and_boxes(output(whole, "pdf"))
    assert outline(output(apart, "pdf")) == outline(output(whole, "pdf"))
    assert apart.layout.starts == whole.layout.starts
    # the folios of a spread made longer or shorter move with its foot, by the frame's hand
    assert pdf_pages(apart) == pdf_pages(whole)
    moved = {u.first + page: by for u in apart.layout.units for page, by in u.survey.feet}
    assert moved == whole.layout.mended.pages.feet
    plain = load_book(novel(tmp_path / "unmended", "unmended"))
    unmended = build(plain, tmp_path / "plain", ["pdf"], pace=Pace(jobs=2))
    assert pdf_pages_text(output(unmended, "pdf")) != texts  # the units were mended


def test_a_spread_the_second_pass_shortens_moves_its_folios_in_units_too(tmp_path: Path) -> None:
    """The page pass makes a spread a line shorter (test_second_pass's short page); the frame
    moves that spread's folios up with its foot, as the book laid out whole does."""
    from octavo.print import quality
    from test_second_pass import novel_like, one_line_paragraphs, pdf_pages

    toml = 'title = "Short"\nauthor = "Ann Lee"\nlanguage = "en-GB"\ntheme = "classic"\n'
    probe = novel_like(
        tmp_path / "probe", {"01.md": "# Lines\n\n" + "\n\n".join(one_line_paragraphs(90))}, toml
    )
    laid = build(load_book(probe), tmp_path / "probe-out", ["pdf"], pace=Pace(whole=True))
    assert laid.layout is not None
    reading = quality.Reading(laid.layout.document, laid.book)
    counts = [len(reading.text_blocks(f)) for f in reading.flows if reading.body_page(f)]
    lines = one_line_paragraphs(counts[0] - 1 + counts[1] - 3)  # a page left 3 lines short
    # … by a heading that does not fit with the two lines it keeps (a scene break may open a
    # page, so it no longer leaves one short)
    two = " ".join(["lorem"] * 16)
    text = "\n\n".join([*lines, "## A Heading", two, *one_line_paragraphs(40, 500)])
    book = load_book(novel_like(tmp_path / "book", {"01.md": f"# Lines\n\n{text}\n"}, toml))
    whole = build(book, tmp_path / "whole", ["pdf"], pace=Pace(whole=True))
    apart = build(book, tmp_path / "units", ["pdf"], pace=Pace(jobs=2))
    assert whole.layout is not None and whole.layout.mended is not None
    assert apart.layout is not None and apart.layout.units
    moved = {u.first + page: by for u in apart.layout.units for page, by in u.survey.feet}
    assert moved and moved == whole.layout.mended.pages.feet
    assert pdf_pages(apart) == pdf_pages(whole)
