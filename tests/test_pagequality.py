"""The page-quality report (print/quality.py, check/pagequality.py): a crafted book lays out each
kind of fault at a known place, and the report names it by page, folio and manuscript line; a
clean book has none. The pages are read back from the PDF to confirm each place.

The crafted book measures its pages first (a calibration build: how many one-line paragraphs
an opener page and a full page hold, how many words a line holds), then puts each fault on the
second page of a chapter of its own. Its theme switches off the safeguards the built-in themes
have (widows, keep-with-next, whole tables) and the second layout pass, so the faults stay.
"""

from __future__ import annotations

import json
import random
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from octavo import build, load_book
from octavo.check import pagequality
from octavo.check.report import CheckReport, as_json
from octavo.cli.app import app
from octavo.core.diagnostics import Diagnostic
from octavo.pipeline import BuildResult
from octavo.print.layout import Pace
from printsupport import SHORT_WORDS, UNMENDED, PageView, read_pages
from support import make_book

# the page-quality report reads the boxes of the book laid out as one document
WHOLE = Pace(whole=True)

FAULT_THEME = UNMENDED.replace('"unmended"', '"faults"')  # and its own CSS below
FAULT_CSS = """\
p { widows: 1; orphans: 1; }
h2 { break-after: auto; }
.chapter-body hr.scene-break { break-before: auto; break-after: auto; }
table.split-me, table.split-me tr { break-inside: auto; }
.chapter-body p.narrow { width: 7em; hyphens: manual; }
"""
LONG_WORDS = [
    "incomprehensibilities",
    "disinterestedness",
    "misunderstandings",
    "characteristically",
    "acknowledgements",
    "internationalisation",
    "counterrevolutionaries",
]
LOREM = "lorem"
HEAD = "A running head much too long for any page, so long that it wraps onto two lines here"
TOML = 'title = "Faults"\nauthor = "Ann Lee"\nlanguage = "en-US"\ntheme = "faults"\n'


@dataclass
class Chapter:
    """A manuscript file whose blocks are written one to a line, so each block's line is known."""

    title: str
    lines: list[str] = field(default_factory=list)
    filled: int = 0

    def __post_init__(self) -> None:
        self.lines = [f"# {self.title}", ""]

    def add(self, block: str) -> int:
        line = len(self.lines) + 1
        self.lines += [*block.split("\n"), ""]
        return line

    def fill(self, count: int) -> int:
        """One-line paragraphs; the line of the last."""
        line = 0
        for _ in range(count):
            self.filled += 1
            line = self.add(f"Line {self.filled}.")
        return line

    def text(self) -> str:
        return "\n".join(self.lines)


def png(path: Path, width: int, height: int) -> None:
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def fault_book(root: Path, files: dict[str, str], toml: str = TOML) -> Path:
    book = make_book(root, files, toml)
    theme = book / "styles" / "faults"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text(FAULT_THEME, "utf-8")
    (theme / "print.css").write_text(FAULT_CSS, "utf-8")
    return book


def pdf_of(result: BuildResult) -> Path:
    return next(o.path for o in result.outputs if o.format == "pdf")


def body_lines(page: PageView) -> list[str]:
    """The lines of the text block: the page's text without its running head and folio."""
    lines = [ln.strip() for ln in page.text.replace("\r", "").split("\n") if ln.strip()]
    return [
        ln for ln in lines if ln not in {page.head, page.foot} and ln.lower() not in HEAD.lower()
    ]


@dataclass(frozen=True)
class Measure:
    opener: int  # one-line paragraphs on a chapter's first page
    page: int  # … on a full page
    words: int  # words of LOREM a line holds


@pytest.fixture(scope="module")
def measure(tmp_path_factory: pytest.TempPathFactory) -> Measure:
    root = tmp_path_factory.mktemp("calibrate")
    chapter = Chapter("Calibration")
    chapter.fill(90)
    chapter.add(" ".join([LOREM] * 60))
    book = fault_book(root / "book", {"01.md": chapter.text()})
    pages = read_pages(pdf_of(build(load_book(book), root / "out", ["pdf"])))
    counts = [sum(bool(re.fullmatch(r"Line \d+\.", ln)) for ln in body_lines(p)) for p in pages]
    opener = next(i for i, n in enumerate(counts) if n)
    lorem = next(ln for p in pages for ln in body_lines(p) if ln.lower().startswith(LOREM))
    return Measure(counts[opener], counts[opener + 1], len(lorem.split()))


@dataclass
class Crafted:
    result: BuildResult
    pages: list[PageView]
    faults: list[Diagnostic]
    where: dict[str, tuple[str, int]]  # kind → (file, manuscript line) it was put at
    openers: dict[str, int]  # file → index of its opening page


def crafted_chapters(m: Measure) -> tuple[dict[str, Chapter], dict[str, tuple[str, int]]]:
    """One chapter per fault; each fills its opening page, then sets the fault on page two."""
    chapters: dict[str, Chapter] = {}
    where: dict[str, tuple[str, int]] = {}

    def chapter(name: str) -> Chapter:
        chapters[name] = Chapter(name[3:-3].title())
        chapters[name].fill(m.opener)
        return chapters[name]

    c = chapter("01-widows.md")  # a two-line paragraph across the turn: orphan, then widow
    c.fill(m.page - 1)
    line = c.add(" ".join([LOREM] * (m.words + m.words // 2)))
    where["widow"] = where["orphan"] = ("01-widows.md", line)
    c.fill(3)
    c = chapter("02-hyphens.md")  # long words over several pages: ladders, broken words
    words = LONG_WORDS * 60
    random.Random(7).shuffle(words)  # line ends fall everywhere in the words
    line = c.add(" ".join(words))
    where["hyphen-ladder"] = where["hyphen-recto"] = where["hyphen-verso"] = ("02-hyphens.md", line)
    c = chapter("03-short.md")  # a short table that does not fit moves on, leaving 4 lines
    line = c.fill(m.page - 4)
    where["short-page"] = ("03-short.md", line)
    c.add("| a | b |\n|---|---|\n" + "".join(f"| {i} | {i} |\n" for i in range(5)))
    c.fill(3)
    c = chapter("04-stranded.md")  # a heading with room for itself and nothing after it
    c.fill(m.page - 3)
    where["stranded"] = ("04-stranded.md", c.add("## A Heading Left Alone"))
    c.fill(3)
    c = chapter("05-spacing.md")  # a loose line, an overfull one
    line = c.add("{.narrow}\nIt was an extraordinarily quiet evening.")
    where["loose-line"] = ("05-spacing.md", line + 1)  # the paragraph, after its attributes
    where["overfull-line"] = ("05-spacing.md", c.add("Number " + "1234567890" * 12 + " end."))
    c = chapter("06-table.md")  # a three-row table allowed to break, at the foot
    c.fill(m.page - 4)
    table = "{.split-me}\n| a | b |\n|---|---|\n" + "".join(f"| {i} | {i} |\n" for i in range(3))
    where["split-table"] = ("06-table.md", c.add(table) + 1)  # the table, after its attributes
    c.fill(3)
    c = chapter("07-picture.md")  # a tall picture that moves on, leaving eight lines
    c.fill(m.page - 8)
    where["picture-hole"] = ("07-picture.md", c.add("![A grey field](grey.png)"))
    c.fill(3)
    c = chapter("08-broken.md")  # a soft hyphen after a syllable, the rest too long to join it
    line = c.add("{.narrow}\nRe\u00adestablishment")
    where["word-part"] = ("08-broken.md", line + 1)  # the paragraph, after its attributes
    return chapters, where


@pytest.fixture(scope="module")
def crafted(measure: Measure, tmp_path_factory: pytest.TempPathFactory) -> Crafted:
    root = tmp_path_factory.mktemp("crafted")
    chapters, where = crafted_chapters(measure)
    toml = TOML + f'running_head = {{ verso = "{HEAD}" }}\n'
    book = fault_book(root / "book", {name: c.text() for name, c in chapters.items()}, toml)
    png(book / "manuscript" / "grey.png", 200, 320)
    loaded = load_book(book)
    result = build(loaded, root / "out", ["pdf"], pace=WHOLE)
    assert result.layout is not None
    faults = pagequality.diagnostics(result.layout.document, loaded)
    pages = read_pages(pdf_of(result))
    openers = {}
    for name, c in chapters.items():
        openers[name] = next(p.index for p in pages if c.title in body_lines(p)[:1])
    where["running-head"] = ("book.toml", 0)
    return Crafted(result, pages, faults, where, openers)


def found(crafted: Crafted, code: str) -> list[Diagnostic]:
    return [d for d in crafted.faults if d.code == code]


def second_page(crafted: Crafted, kind: str) -> int:
    return crafted.openers[crafted.where[kind][0]] + 1  # 0-based


def assert_at(crafted: Crafted, kind: str, page: int) -> Diagnostic:
    """The report names the kind at the manuscript line it was put at, on the PDF page
    `page` (0-based), with that page's folio."""
    code = pagequality.CODE_OF_KIND[kind]
    file, line = crafted.where[kind]
    hits = [
        d for d in found(crafted, code) if d.path and d.path.name == file and d.page == page + 1
    ]
    assert hits, (kind, page + 1, [(d.page, d.line, d.message) for d in crafted.faults])
    hit = hits[0]
    assert hit.line == line, (kind, hit)
    assert hit.folio == crafted.pages[page].label
    assert f"(page {hit.folio}, PDF page {page + 1})" in hit.message
    return hit


def test_a_widow_and_an_orphan_are_named_where_the_paragraph_breaks(crafted: Crafted) -> None:
    page = second_page(crafted, "orphan")
    assert_at(crafted, "orphan", page)
    assert_at(crafted, "widow", page + 1)
    # read back: the paragraph's first line ends page two, its last opens page three
    assert body_lines(crafted.pages[page])[-1].lower().startswith(LOREM)
    assert body_lines(crafted.pages[page + 1])[0].lower().startswith(LOREM)


def test_a_hyphen_ladder_is_named_on_its_page(crafted: Crafted) -> None:
    hits = found(crafted, "P022")
    assert hits and all(h.path and h.path.name == "02-hyphens.md" for h in hits)
    for hit in hits:
        assert hit.line == crafted.where["hyphen-ladder"][1]
        assert hit.page is not None
        ends = [ln.endswith("\u2010") for ln in body_lines(crafted.pages[hit.page - 1])]
        runs = "".join("h" if e else "." for e in ends)
        assert "hhh" in runs, (hit, runs)


@pytest.mark.parametrize(("kind", "side"), [("hyphen-recto", 0), ("hyphen-verso", 1)])
def test_a_hyphen_at_the_foot_of_a_page_is_named_by_its_side(
    crafted: Crafted, kind: str, side: int
) -> None:
    code = pagequality.CODE_OF_KIND[kind]
    hits = found(crafted, code)
    assert hits
    for hit in hits:
        assert hit.page is not None
        page = crafted.pages[hit.page - 1]
        assert page.index % 2 == side  # rectos are the odd pages, the first page's side
        assert body_lines(page)[-1].endswith("\u2010")
        assert hit.line == crafted.where[kind][1]


def test_a_short_page_before_a_table_that_moved_on(crafted: Crafted) -> None:
    page = second_page(crafted, "short-page")
    hit = assert_at(crafted, "short-page", page)
    assert "4 lines empty" in hit.message
    assert body_lines(crafted.pages[page + 1])[0].replace(" ", "") == "ab"  # the table's head


def test_a_heading_stranded_at_the_foot(crafted: Crafted) -> None:
    page = second_page(crafted, "stranded")
    assert_at(crafted, "stranded", page)
    assert body_lines(crafted.pages[page])[-1] == "A Heading Left Alone"


def test_a_loose_line_and_an_overfull_line(crafted: Crafted) -> None:
    page = second_page(crafted, "loose-line")
    loose = assert_at(crafted, "loose-line", page)
    assert loose.severity == "info" and "× the normal space" in loose.message
    overfull = assert_at(crafted, "overfull-line", page)
    assert overfull.col == 8  # the number that could not break, where it starts
    assert re.search(r"\d+\.\d pt too long", overfull.message)


def test_a_short_table_split_across_pages(crafted: Crafted) -> None:
    page = second_page(crafted, "split-table")
    assert_at(crafted, "split-table", page)
    assert body_lines(crafted.pages[page])[-1].replace(" ", "") in {"00", "11"}


def test_a_picture_that_moved_on_leaves_a_hole(crafted: Crafted) -> None:
    page = second_page(crafted, "picture-hole")
    hit = assert_at(crafted, "picture-hole", page)
    found = re.search(r"(\d+) lines", hit.message)
    assert found and int(found[1]) > 4  # more than HOLE_LINES left empty


def test_a_line_holding_only_part_of_a_word(crafted: Crafted) -> None:
    page = second_page(crafted, "word-part")
    hit = assert_at(crafted, "word-part", page)
    assert "“Re‐” alone on its line" in hit.message
    lines = [ln.replace("\u00ad", "") for ln in body_lines(crafted.pages[page])]
    assert lines[:2] == ["Re‐", "establishment"]


def test_a_running_head_too_long_for_the_page(crafted: Crafted) -> None:
    hits = found(crafted, "P030")
    assert hits and all(h.path and h.path.name == "book.toml" for h in hits)
    for hit in hits:
        assert hit.page is not None and crafted.pages[hit.page - 1].index % 2 == 1  # versos
        assert "A RUNNING HEAD" in hit.message.upper()


def test_every_kind_is_found_in_the_crafted_book(crafted: Crafted) -> None:
    codes = {d.code for d in crafted.faults}
    assert codes == set(pagequality.CODE_OF_KIND.values())


def test_json_carries_the_page_and_the_folio(crafted: Crafted) -> None:
    report = json.loads(as_json(CheckReport.of(crafted.faults, 0, True)))
    stranded = next(d for d in report["diagnostics"] if d["code"] == "P026")
    page = second_page(crafted, "stranded")
    assert stranded["page"] == page + 1 and stranded["folio"] == crafted.pages[page].label
    assert stranded["line"] == crafted.where["stranded"][1]


def test_build_report_prints_the_same_list(crafted: Crafted, tmp_path: Path) -> None:
    book = crafted.result.book.config.root
    run = CliRunner().invoke(
        app, ["build", str(book), "-o", str(tmp_path), "-f", "pdf", "--report"]
    )
    assert run.exit_code == 0, run.output
    for fault in crafted.faults:
        assert str(fault) in run.output


# --- a clean book ---------------------------------------------------------------------------

CLEAN_WORDS = SHORT_WORDS


def clean_prose(paragraphs: int, seed: int) -> list[str]:
    out = []
    for p in range(paragraphs):
        words = [
            CLEAN_WORDS[(seed + p * 7 + i * 3) % len(CLEAN_WORDS)] for i in range(20 + p % 5 * 9)
        ]
        out.append(" ".join(words).capitalize() + ".")
    return out


def test_a_clean_book_has_no_fault(tmp_path: Path) -> None:
    """Short words (nothing to hyphenate), a small table, a small picture, a heading and a
    scene break, in the built-in theme: the report finds nothing."""
    first = "\n\n".join(clean_prose(12, 1))
    second = "\n\n".join(
        [*clean_prose(4, 2), "## A Heading", *clean_prose(3, 3), "***", *clean_prose(3, 4)]
    )
    second += "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\n![A small grey field](grey.png)\n"
    toml = 'title = "Clean"\nauthor = "Ann Lee"\nlanguage = "en-US"\n'
    book = make_book(
        tmp_path / "b", {"01.md": f"# One\n\n{first}\n", "02.md": f"# Two\n\n{second}\n"}, toml
    )
    png(book / "manuscript" / "grey.png", 120, 60)
    loaded = load_book(book)
    result = build(loaded, tmp_path / "out", ["pdf"], pace=WHOLE)
    assert result.layout is not None
    faults = pagequality.diagnostics(result.layout.document, loaded)
    assert [d for d in faults if d.code != "P027"] == []


def dialogue_poem(stanzas: int) -> str:
    """A poem in the manner of Frost's dialogues: stanzas of four to nine lines between runs of
    one-line speeches, hard-broken lines (source/verse.py finds the poem)."""
    out = []
    for s in range(stanzas):
        size = 1 if s % 4 in (1, 2) else 4 + s % 6
        lines = [f"Line {k} of the {s}th stanza, and some words after" for k in range(size)]
        out.append("\\\n".join(lines))
    return "\n\n".join(out)


def test_one_line_stanzas_leave_no_page_short(tmp_path: Path) -> None:
    """A stanza of one line is both first and last child: the verse rules that keep a stanza's
    first and last two lines together must not tie it to its neighbours (which moved the break
    back into the stanza before a run of them and left pages nine lines short), even without
    the second layout pass."""
    from printsupport import unmended_theme

    root = tmp_path / "b"
    toml = 'title = "Talk"\nauthor = "Ann Lee"\nlanguage = "en-US"\ntheme = "unmended"\n'
    book = make_book(root, {"01.md": f"# The Hill\n\n{dialogue_poem(60)}\n"}, toml)
    unmended_theme(book)
    loaded = load_book(book)
    result = build(loaded, tmp_path / "out", ["pdf"], pace=WHOLE)
    assert result.layout is not None
    faults = pagequality.diagnostics(result.layout.document, loaded)
    assert len(read_pages(pdf_of(result))) > 6  # several pages of it
    short = [d for d in faults if d.code == pagequality.CODE_OF_KIND["short-page"]]
    assert short == [], short


# What the theme's page-quality block undoes: WeasyPrint's own rule for lists, and the rule
# that kept a scene break with the line above it.
TIED_TURNS = """\
.chapter-body ul, .chapter-body ol { break-before: avoid; }
hr.scene-break, .chapter-body hr { break-before: avoid; }
"""


@pytest.mark.parametrize("rules", ["", TIED_TURNS], ids=["theme", "tied"])
def test_a_list_or_a_scene_break_at_the_turn_leaves_no_page_short(
    measure: Measure, tmp_path: Path, rules: str
) -> None:
    """A paragraph that leads into a list stays at the foot of its page when the list's first
    item cannot follow it there, and a scene break may open the next page. Tied to what follows
    (WeasyPrint's `ol, ul { break-before: avoid }`, the theme's old rule for a scene break), the
    line before went overleaf with it and left the page three lines short: the Rustonomicon's
    pages 58, 76, 140 and 189 in the modern theme. Without the second layout pass."""
    lead, scene = Chapter("Lists"), Chapter("Breaks")
    scene.filled = 1000  # its lines numbered apart from the first chapter's
    lead.fill(measure.opener + measure.page - 3)  # three lines left on page two
    lead.add("These follow:")
    lead.add(f"- {' '.join([LOREM] * (measure.words * 3 // 2))}\n- A short one.")
    lead.fill(3)
    scene.fill(measure.opener + measure.page - 2)  # two lines left: not enough for the break
    scene.add("***")
    scene.fill(3)
    theme = "classic-turns"
    book = make_book(
        tmp_path / "b",
        {"01-lists.md": lead.text(), "02-breaks.md": scene.text()},
        TOML.replace('"faults"', f'"{theme}"'),
    )
    folder = book / "styles" / theme
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text(UNMENDED.replace('"unmended"', f'"{theme}"'), "utf-8")
    (folder / "print.css").write_text(rules, "utf-8")
    loaded = load_book(book)
    result = build(loaded, tmp_path / "out", ["pdf"], pace=WHOLE)
    assert result.layout is not None
    faults = pagequality.diagnostics(result.layout.document, loaded)
    short = sorted(
        d.path.name
        for d in faults
        if d.code == pagequality.CODE_OF_KIND["short-page"] and d.path is not None
    )
    pages = read_pages(pdf_of(result))
    last_line = {"These follow:": lead.filled, "❦": scene.filled}
    for mark, filled in last_line.items():
        # page two (the page of the filler line two before the mark), and the mark's page
        two = next(p.index for p in pages if f"Line {filled - 4}." in body_lines(p))
        at = next(p.index for p in pages if mark in body_lines(p))
        if rules:
            assert at == two + 1, mark  # gone overleaf, the line before it with it
        else:
            assert at == two + (mark == "❦"), mark  # the lead stays; the break opens a page
    if rules:
        assert short == ["01-lists.md", "02-breaks.md"], short
    else:
        assert short == [], short
