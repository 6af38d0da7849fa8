"""mdBook projects as they are (issue 11, item 6): book.toml's [book] and [octavo] tables,
SUMMARY.md's order and nesting, includes, hidden lines, links between folders; the nomicon
(../shared/corpus) builds unchanged and passes EPUBCheck."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from octavo import build, load_book
from octavo.book import config
from octavo.book.model import Book
from octavo.core.errors import ConfigError
from support import REPO, SHARED, epubcheck, pdf_pages_text

MDBOOK = REPO / "tests" / "books" / "mdbook"
NOMICON = SHARED / "corpus" / "nomicon"
NS = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def book() -> Book:
    return load_book(MDBOOK)


def _chapter_html(book: Book, ident: str) -> str:
    return next(c.body_html for c in book.chapters if c.id == ident)


def _project(root: Path, files: dict[str, str], toml: str = '[book]\ntitle = "T"\n') -> Path:
    """An mdBook project: book.toml, and each file under src/ (or elsewhere, by its path)."""
    (root / "src").mkdir(parents=True)
    (root / "book.toml").write_text(toml, "utf-8")
    for name, text in files.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root


# --- book.toml --------------------------------------------------------------------------------


def test_book_table_is_read_octavo_table_applied_and_mdbook_tables_ignored(book: Book) -> None:
    cfg = book.config
    assert (cfg.title, cfg.authors, cfg.language) == (
        "The Harbour Manual",
        ("Ada Lind", "Bo Kim"),
        "en",
    )
    assert cfg.description == "How a small harbour is run, with its code."
    assert (cfg.trim.name, cfg.date) == ("a6", "2025-03-01")  # from [octavo]
    assert cfg.mdbook_src == MDBOOK / "src"
    assert book.slug == "the-harbour-manual"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[book]\ntitle = "T"\n[octavo]\ntrim = "huge"\n', "'trim' must be"),
        ('[book]\ntitle = "T"\n[octavo]\nsplendour = 1\n', "unknown setting 'splendour'"),
        ('[book]\ntitle = "T"\nsrc = 3\n', "'src' in [book]"),
    ],
)
def test_octavo_settings_in_an_mdbook_are_validated(toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        config.parse(toml, Path("book.toml"))


def test_an_mdbook_without_title_or_authors_is_not_refused(tmp_path: Path) -> None:
    root = _project(
        tmp_path / "untitled",
        {"SUMMARY.md": "- [A](a.md)\n", "a.md": "# A\n\nText.\n"},
        '[book]\nauthors = []\ndescription = ""\nlanguage = "en_GB"\n[output.html]\n',
    )
    cfg = load_book(root).config
    assert (cfg.title, cfg.authors, cfg.description, cfg.language) == (
        "untitled",
        (),
        None,
        "en-GB",
    )


# --- SUMMARY.md -------------------------------------------------------------------------------


def test_summary_gives_the_reading_order_parts_and_nesting(book: Book) -> None:
    assert [(c.id, c.depth, c.division) for c in book.chapters] == [
        ("foreword", 0, "foreword"),  # a prefix chapter
        ("part-getting-started", 0, "part"),  # a part title: a page of its own
        ("guide-intro", 1, "chapter"),  # numbered chapters sit one level below their part
        ("guide-tides", 2, "chapter"),  # nested items are sections with files of their own
        ("guide-spring-tides", 3, "chapter"),
        ("guide-readme", 1, "chapter"),  # files in folders get ids unique in the book
        ("part-reference", 0, "part"),
        ("reference-signals", 1, "chapter"),
        ("reference-readme", 1, "chapter"),
        ("colophon", 0, "colophon"),  # a suffix chapter
    ]
    assert [c.title for c in book.chapters][:3] == ["Foreword", "Getting Started", "Introduction"]


def test_a_draft_chapter_is_left_out_with_a_note_at_its_place(book: Book) -> None:
    notes = [(d.code, d.severity, d.path, d.line, d.col) for d in book.diagnostics]
    assert notes == [("S008", "info", MDBOOK / "src" / "SUMMARY.md", 12, 3)]
    assert "Not Yet Written" not in {c.title for c in book.chapters}


def test_a_summary_entry_naming_no_file_stops_the_build_at_its_place(tmp_path: Path) -> None:
    root = _project(
        tmp_path / "b",
        {"SUMMARY.md": "# Summary\n\n- [A](a.md)\n  - [Gone](gone/b.md)\n", "a.md": "# A\n"},
    )
    run = subprocess.run(
        [sys.executable, "-m", "octavo", "build", str(root), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    summary = root / "src" / "SUMMARY.md"
    assert run.stderr.strip() == f"{summary}:4:5: error: 'gone/b.md' names no file (in src/)"


def test_the_contents_nest_in_the_epub_nav_and_ncx(tmp_path: Path, book: Book) -> None:
    result = build(book, tmp_path, ["epub"])
    epub = zipfile.ZipFile(next(o.path for o in result.outputs if o.format == "epub"))
    nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    top = nav.find(".//x:nav[@id='toc']/x:ol", NS)
    assert top is not None

    def tree(ol: etree._Element) -> list[object]:
        return [
            (li[0].text, *([tree(li[1])] if len(li) > 1 else [])) for li in ol.iterfind("x:li", NS)
        ]

    assert tree(top) == [
        ("Foreword",),
        (
            "Getting Started",
            [
                (
                    "Introduction",
                    [("Tides", [("High and Low Water",), ("Spring Tides",)])],
                ),
                ("The Guide",),
            ],
        ),
        ("Reference", [("Signals", [("Flags",)]), ("The Reference",)]),
        ("Colophon",),
    ]
    ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
    spring = ncx.xpath("//*[local-name()='navLabel']/*[text()='Spring Tides']")[0]
    assert len(spring.xpath("ancestor::*[local-name()='navPoint']")) == 4


def test_the_print_bookmarks_nest_and_sections_open_a_new_page(tmp_path: Path, book: Book) -> None:
    result = build(book, tmp_path, ["pdf"])
    pdf = next(o.path for o in result.outputs if o.format == "pdf")
    reader = PdfReader(pdf)

    def outline(items: list[object]) -> list[object]:
        return [outline(i) if isinstance(i, list) else getattr(i, "title", "") for i in items]

    assert outline(reader.outline) == [
        "Foreword",
        "Getting Started",
        ["Introduction", ["Tides", ["Spring Tides"]], "The Guide"],
        "Reference",
        ["Signals", "The Reference"],
        "Colophon",
    ]
    pages = pdf_pages_text(pdf)
    starts = {t.split("\n")[0].strip(): n for n, t in enumerate(pages)}
    for section in ("Tides", "Spring Tides"):  # the next page, recto or verso: no blank before
        assert pages[starts[section] - 1].strip(), section
    for chapter in ("Introduction", "The Guide", "Signals", "The Reference"):
        assert starts[chapter] % 2 == 0, chapter  # a recto (page index 0 is one)


# --- Includes and listings --------------------------------------------------------------------


def _listings(book: Book, ident: str) -> list[str]:
    """The text of each listing of a chapter, as a reader sees it."""
    root = lxml_html.fragment_fromstring(_chapter_html(book, ident), create_parent="div")
    return ["".join(pre.itertext()).rstrip("\n") for pre in root.iter("pre")]


def test_includes_take_the_whole_file_a_line_range_or_an_anchor(book: Book) -> None:
    listings = _listings(book, "guide-intro")
    moor = (MDBOOK / "listings" / "moor.rs").read_text().rstrip("\n").split("\n")
    assert listings[0] == "\n".join(moor)  # the whole file
    assert listings[1] == "\n".join(moor[1:4])  # :2:4
    assert listings[2] == "\n".join([moor[5], moor[0], moor[2]])  # :6:  ::1  :3
    bowline = 'fn bowline() -> &\'static str {\n    "a fixed loop"\n}'
    assert listings[3] == bowline  # :bowline, anchor lines left out
    assert listings[4] == bowline  # rustdoc_include: the rest of the file hidden


def test_rust_listings_hide_mdbooks_hidden_lines(book: Book) -> None:
    listing = _listings(book, "guide-intro")[5]
    assert listing == "let tide = 3;\n# this line begins with a hash\n#[derive(Debug)]"


def test_an_escaped_directive_is_shown_as_written(book: Book) -> None:
    assert "not included: {{#include moor.rs}}</p>" in _chapter_html(book, "guide-intro")


def test_findings_after_an_include_point_at_the_manuscript_line(book: Book) -> None:
    intro = next(c for c in book.chapters if c.id == "guide-intro")
    found = [(d.code, d.path, d.line, d.col) for d in intro.diagnostics]
    assert found == [("S005", MDBOOK / "src" / "guide" / "intro.md", 48, 26)]


def test_an_include_outside_the_book_is_refused_and_a_missing_one_named(tmp_path: Path) -> None:
    (tmp_path / "secret.rs").write_text("fn secret() {}\n")
    root = _project(
        tmp_path / "b",
        {
            "SUMMARY.md": "- [A](a.md)\n",
            "a.md": "# A\n\n```\n{{#include ../../secret.rs}}\n{{#include nope.rs}}\n"
            "{{#include b.rs:gone}}\n```\n\nAfter: [x](#none).\n",
            "b.rs": "fn b() {}\n",
        },
    )
    book = load_book(root)
    found = [(d.code, d.line) for d in book.diagnostics]
    assert found == [("H004", 4), ("S007", 5), ("S007", 6)]
    body = book.chapters[0].body_html
    assert "secret()" not in body and "{{#include ../../secret.rs}}" in body
    assert [(d.code, d.line, d.col) for d in book.chapters[0].diagnostics] == [("S005", 9, 8)]


def test_check_fixes_an_mdbooks_files_but_never_one_with_includes(tmp_path: Path) -> None:
    from octavo.check.fixes import plan_fixes

    root = _project(
        tmp_path / "b",
        {
            "SUMMARY.md": "- [A](a.md)\n- [B](b.md)\n",
            "a.md": "# A\n\n```\n{{#include c.rs}}\n```\n\nTwo  spaces.\n",
            "b.md": "# B\n\nTwo  spaces.\n",
            "c.rs": "fn c() {}\nfn d() {}\n",
        },
    )
    fixes = {f.path.name: (f.unsafe, f.after) for f in plan_fixes(root)}
    assert fixes["a.md"][0] == "its text includes other files ({{#include}})"
    assert fixes["b.md"] == ("", "# B\n\nTwo spaces.\n")


def test_links_between_folders_and_html_pages_resolve(book: Book) -> None:
    hrefs = {c.id: re.findall(r'href="([^"]*)"', c.body_html) for c in book.chapters if c.body_html}
    assert hrefs["guide-intro"] == ["#guide-tides--high-and-low-water", "#reference-signals--flags"]
    assert hrefs["guide-tides"] == ["#guide-spring-tides"]  # ./spring-tides.md
    assert hrefs["guide-spring-tides"] == ["#guide-intro"]  # intro.html
    assert hrefs["guide-readme"] == ["#reference-readme"]  # ../reference/index.html
    assert hrefs["reference-signals"] == ["#guide-readme"]  # ../guide/index.html


def test_links_that_leave_the_book_go_to_its_web_edition_when_it_has_one(tmp_path: Path) -> None:
    files = {
        "SUMMARY.md": "- [A](guide/a.md)\n",
        "guide/a.md": "# A\n\n[std](../../std/x.html#y), [picture](../img/p.png), [b](b.md)\n",
    }
    plain = load_book(_project(tmp_path / "plain", files))
    assert [d.message.split(": ", 2)[2] for d in plain.chapters[0].diagnostics] == [
        "leaves the book (web_edition in book.toml would link it to the web); set as plain text",
        "not a chapter of this book; set as plain text",
        "not a chapter of this book; set as plain text",
    ]
    toml = '[book]\ntitle = "T"\n[octavo]\nweb_edition = "https://example.org/harbour"\n'
    online = load_book(_project(tmp_path / "online", files, toml))
    assert re.findall(r'href="([^"]*)"', online.chapters[0].body_html) == [
        "https://example.org/std/x.html#y",
        "https://example.org/harbour/img/p.png",
    ]
    assert [d.code for d in online.chapters[0].diagnostics] == ["S005"]  # b.md: no chapter


def test_watch_follows_an_mdbooks_source_folder() -> None:
    from octavo.live.watch import watched_paths

    assert watched_paths(MDBOOK) == [MDBOOK / "book.toml", MDBOOK / "src"]


# --- The nomicon, unchanged -------------------------------------------------------------------


@pytest.mark.skipif(not NOMICON.is_dir(), reason="the corpus lives in ../shared")
def test_the_nomicon_builds_unchanged_and_passes_epubcheck(tmp_path: Path) -> None:
    result = build(load_book(NOMICON), tmp_path / "nomicon", ["epub", "pdf", "booklet"])
    epub = next(o.path for o in result.outputs if o.format == "epub")
    assert epubcheck(epub).problems() == []
    assert len(result.book.chapters) == 63
    # What the build says names the book's own flaws: links into the Rust documentation that
    # only the web edition can follow, a <details> block, two emoji the text face lacks.
    leaving = [w for w in result.warnings if w.code == "S005"]
    assert leaving and all(
        re.search(r": (\.\./)+\w.*: leaves the book", w.message) for w in leaving
    )
    others = {(w.code, w.path.name if w.path else "") for w in result.warnings} - {
        (w.code, w.path.name if w.path else "") for w in leaving
    }
    assert others == {("H002", "phantom-data.md"), ("P002", "book.toml")}
    assert {o.format for o in result.outputs} == {"epub", "pdf", "booklet"}


def test_an_mdbook_without_language_is_told_where_to_set_it(tmp_path: Path) -> None:
    from octavo.check import check

    files = {"SUMMARY.md": "- [A](a.md)\n", "a.md": "# A\n\nText.\n"}
    root = _project(tmp_path / "nolang", files)
    report = check(root, build=False)
    found = [d for d in report.diagnostics if d.code == "M002"]
    assert len(found) == 1 and "under [book]" in found[0].message, found
    root = _project(tmp_path / "lang", files, '[book]\ntitle = "T"\nlanguage = "en"\n')
    assert not [d for d in check(root, build=False).diagnostics if d.code == "M002"]
