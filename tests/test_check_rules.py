"""Every lint rule of `octavo check`: a manuscript that triggers it, at an exact line and column
of the manuscript file, and one that does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from octavo.check import check, failure
from octavo.check.prose import plain_spans
from octavo.core.codes import CODES
from octavo.core.errors import OctavoError
from octavo.source.markup import plain_text_paragraphs
from support import make_book

TOML = 'title = "T"\nlanguage = "en"\n'
OFF = TOML + "typography = false\n"
MDBOOK = '[book]\ntitle = "T"\nlanguage = "en"\n'  # files then go to ../src/
FM = "---\ntitle: A chapter\ntypography: true\n---\n"  # front matter: 4 lines before the text
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'  # a real (tiny) image
Files = dict[str, str]
# One speaker's words over three paragraphs: each opens with “, only the last one closes.
LONG_SPEECH = (
    "“When I was a boy we lived by the river, and every spring the water came up to the door "
    "of the kitchen. My father would carry the chairs upstairs, one by one, and my mother would "
    "stand at the window and count the boats going by. We children thought it was a holiday, and "
    "nobody ever told us that it was not.\n"
    "“Then one year the water did not stop at the door. It came up the stairs.\n"
    "“That is all I remember. I was six.”\n"
)
Where = tuple[str, int, int]

# (code, files, book.toml, expected places)
TRIGGERS: list[tuple[str, Files, str, list[Where]]] = [
    ("T001", {"01.txt": "He said, “Hello.\nShe left.\n"}, TOML, [("01.txt", 1, 10)]),
    ("T001", {"01.md": FM + "# A\n\nShe said “no.\n\nEnd.\n"}, TOML, [("01.md", 7, 10)]),
    ("T001", {"01.txt": "Bad close” here.\n"}, TOML, [("01.txt", 1, 10)]),
    (
        "T001",
        {"01.txt": "‘Hello there,” he said.\n"},
        TOML,
        [("01.txt", 1, 1), ("01.txt", 1, 14)],
    ),
    ("T002", {"01.txt": "My son—”I don’t,” he said.\n"}, TOML, [("01.txt", 1, 8)]),
    ("T002", {"01.md": FM + "> Nope, she said, ”yes.”\n"}, TOML, [("01.md", 5, 19)]),
    ("T003", {"01.txt": "“Hello“ he said.\n"}, TOML, [("01.txt", 1, 7)]),
    ("T004", {"01.txt": 'He said "hi".\n'}, OFF, [("01.txt", 1, 9), ("01.txt", 1, 12)]),
    ("T004", {"01.md": FM + 'A lone " quote.\n'}, TOML, [("01.md", 5, 8)]),
    ("T005", {"01.txt": "Wait - no.\n"}, TOML, [("01.txt", 1, 6)]),
    ("T005", {"01.txt": "- Who is it?\n"}, TOML, [("01.txt", 1, 1)]),
    ("T006", {"01.txt": "Two  spaces.\n"}, TOML, [("01.txt", 1, 4)]),
    (
        "T006",
        {"01.txt": "A wrapped\nparagraph  here.\n\nAnd another\none.\n"},
        TOML,
        [("01.txt", 2, 10)],
    ),
    ("T006", {"01.md": FM + "- item  two\n"}, TOML, [("01.md", 5, 7)]),
    ("T007", {"01.txt": "Wait... no.\n"}, OFF, [("01.txt", 1, 5)]),
    ("T007", {"01.md": "---\ntypography: false\n---\nWait... no.\n"}, TOML, [("01.md", 4, 5)]),
    ("T008", {"01.txt": "Wait -- no --- yes.\n"}, OFF, [("01.txt", 1, 6), ("01.txt", 1, 12)]),
    (
        "T009",
        {"01.txt": "‘Tis the ‘90s, don´t.\n"},
        TOML,
        [("01.txt", 1, 1), ("01.txt", 1, 10), ("01.txt", 1, 19)],
    ),
    (
        "T010",
        {"01.txt": "He ran up and said,\n“Hello.”\n", "02.md": "# B\n\nShe wrote,\n"},
        TOML,
        [("01.txt", 1, 19), ("02.md", 3, 10)],
    ),
    (
        "S001",
        {"01.md": FM + "# A\n\nText[^1] and[^2].\n\n[^1]: Note.\n"},
        TOML,
        [("01.md", 7, 13)],
    ),
    ("S002", {"01.md": "# A\n\nText.\n\n[^gone]: Note.\n"}, TOML, [("01.md", 5, 1)]),
    ("S003", {"01.md": FM + "# A\n\n### Deep\n"}, TOML, [("01.md", 7, 1)]),
    ("S003", {"01.md": "# A\n\n## B\n\n#### D\n"}, TOML, [("01.md", 5, 1)]),
    ("S004", {"01.md": "# A\n\nSee ![](pic.png).\n"}, TOML, [("01.md", 3, 5)]),
    ("S005", {"01.md": "# A\n\n[x](nope.md)\n"}, TOML, [("01.md", 3, 1)]),
    (
        "S005",
        {"01.md": "# A\n\nSee [x](02.md#nowhere).\n", "02.md": "# B\n"},
        TOML,
        [("01.md", 3, 5)],
    ),
    ("S005", {"01.md": "# A\n\n[me](#nowhere)\n"}, TOML, [("01.md", 3, 1)]),
    ("S006", {"01.md": FM + "# A\n\n> ![A cat](cat.png)\n"}, TOML, [("01.md", 7, 3)]),
    (
        "S007",
        {
            "../src/SUMMARY.md": "- [A](a.md)\n",
            "../src/a.md": "# A\n\n```\n{{#include b.rs}}\n```\n",
        },
        MDBOOK,
        [("a.md", 4, 0)],
    ),
    (
        "S008",
        {"../src/SUMMARY.md": "- [A](a.md)\n- [Later]()\n", "../src/a.md": "# A\n"},
        MDBOOK,
        [("SUMMARY.md", 2, 3)],
    ),
    ("S009", {"01.md": "# A\n", "02-draft.docx": "PK"}, TOML, [("02-draft.docx", 0, 0)]),
    (
        "S010",
        {"01.md": FM + "# A\n\n> So $x^$ and $\\frac{1}{2$ fail.\n"},
        TOML,
        [("01.md", 7, 6), ("01.md", 7, 15)],
    ),
    ("S010", {"01.md": "# A\n\nText.\n\n$$\n\\foo{x}\n$$\n"}, TOML, [("01.md", 5, 1)]),
    (
        "S010",
        {"../src/SUMMARY.md": "- [A](a.md)\n", "../src/a.md": "# A\n\nSee \\\\( x_ \\\\) here.\n"},
        MDBOOK + "\n[output.html]\nmathjax-support = true\n",
        [("a.md", 3, 5)],
    ),
    ("M001", {"01.md": "# A\n"}, 'language = "en"\n', [("book.toml", 1, 1)]),
    ("M001", {"01.md": "# A\n"}, 'language = "en"\ntitle = ""\n', [("book.toml", 2, 9)]),
    ("M002", {"01.md": "# A\n"}, 'title = "T"\n', [("book.toml", 1, 1)]),
    ("M003", {"01.md": "# A\n"}, TOML + 'isbn = "978-3-16-148410-1"\n', [("book.toml", 3, 8)]),
    ("M003", {"01.md": "# A\n"}, TOML + 'isbn = "0-306-40615-3"\n', [("book.toml", 3, 8)]),
    ("F001", {"01.txt": "A rune ᚠ, twice ᚠ.\n"}, TOML, [("01.txt", 1, 8)]),
    ("F001", {"01.md": "# A\n"}, 'title = "Runes ᚠ"\nlanguage = "en"\n', [("book.toml", 1, 16)]),
    ("L001", {"01.md": "# A\n"}, 'title = "T\n', [("book.toml", 1, 11)]),
]

# (code, files, book.toml): nothing for that code to find.
CLEAN: list[tuple[str, Files, str]] = [
    ("T001", {"01.txt": LONG_SPEECH}, TOML),
    ("T001", {"01.txt": "‘The boys’ toys,’ she said. “It’s James’.”\n"}, TOML),
    ("T001", {"01.txt": '"Straight," he said, "curled."\n'}, TOML),
    ("T002", {"01.txt": "My son—“I don’t,” he said. ’Tis the ’90s; ’ow do?\n"}, TOML),
    ("T003", {"01.txt": "“Hello” he said.\n"}, TOML),
    ("T004", {"01.md": '# A\n\nHe said "hi". Code: `"x"`, <a title="b">.\n'}, TOML),
    ("T005", {"01.txt": "Wait—no. A well-known - \n"}, TOML),
    ("T005", {"01.md": "- a list\n- of items\n"}, TOML),
    ("T006", {"01.md": "# A\n\nHard  \nbreak. `two  spaces`\n"}, TOML),
    ("T007", {"01.txt": "Wait... no.\n"}, TOML),
    ("T008", {"01.txt": "Wait -- no.\n"}, TOML),
    ("T009", {"01.txt": "’Tis the ’90s, don’t.\n"}, TOML),
    ("T010", {"01.md": "# A\n\nOne, two,\nthree.\n\n`a,`\n\n> Dear Sir,\n>\n> Yours,\n"}, TOML),
    # a sentence that runs on into a listing or a list, and a list's items, end with commas
    (
        "T010",
        {
            "01.md": "# A\n\nIn this code,\n\n```\nx\n```\n\nwe see:\n\n- one,\n- two,\n\nSo,\n\n1. a\n"
        },
        TOML,
    ),
    ("S001", {"01.md": "# A\n\nText[^1]. Code `[^2]`.\n\n[^1]: Note.\n"}, TOML),
    ("S002", {"01.md": "# A\n\nText[^a].\n\n[^a]: Note[^b].\n\n[^b]: Nested.\n"}, TOML),
    ("S003", {"01.md": "# A\n\n## B\n\n### C\n\n## D\n"}, TOML),
    ("S003", {"01.md": "## B\n\n### C\n"}, TOML),
    ("S004", {"01.md": "# A\n\n![A pic](pic.svg)\n", "pic.svg": SVG}, TOML),
    (
        "S005",
        {
            "01.md": "# A\n\n[b](02.md), [c](02.md#c), [me](#x), [w](https://x.org), [r][ref]\n\n"
            "## X\n\n[ref]: 02.md\n",
            "02.md": "# B\n\n## C\n",
        },
        TOML,
    ),
    (
        "S006",
        {"01.md": "# A\n\n![A pic](pic.svg) ![](https://x.org/a.png)\n", "pic.svg": SVG},
        TOML,
    ),
    (
        "S007",
        {
            "../src/SUMMARY.md": "- [A](a.md)\n",
            "../src/a.md": "# A\n\n```\n{{#include b.rs:x}}\n```\n",
            "../src/b.rs": "// ANCHOR: x\nfn b() {}\n// ANCHOR_END: x\n",
        },
        MDBOOK,
    ),
    ("S008", {"../src/SUMMARY.md": "- [A](a.md)\n\n---\n", "../src/a.md": "# A\n"}, MDBOOK),
    ("S009", {"01.md": "# A\n", "02-draft.md.bak": "PK"}, TOML),
    (
        "S010",
        {"01.md": "# A\n\nIt cost $5 and $10; $x^2$ and $$\\frac{1}{2}$$ parse, `$x^$` is code.\n"},
        TOML,
    ),
    ("M001", {"01.md": "# A\n"}, TOML),
    ("M002", {"01.md": "# A\n"}, TOML),
    ("M003", {"01.md": "# A\n"}, TOML + 'isbn = "978-3-16-148410-0"\n'),
    ("F001", {"01.txt": '"Oui !" dit-il.\n'}, 'title = "T"\nlanguage = "fr"\n'),
    ("F001", {"01.txt": "Ligatures ﬁ, dashes —, ellipsis …, no-break\u00a0space.\n"}, TOML),
    ("L001", {"01.md": "# A\n"}, TOML),
]


def places(tmp_path: Path, files: Files, toml: str, code: str) -> list[Where]:
    book = make_book(tmp_path / "book", files, toml)
    try:
        report = check(book, build=False)
    except OctavoError as exc:  # what `check --format json` reports instead (L001)
        report = failure.report(exc)
    return [
        (d.path.name if d.path else "", d.line or 0, d.col or 0)
        for d in report.diagnostics
        if d.code == code
    ]


@pytest.mark.parametrize(("code", "files", "toml", "expected"), TRIGGERS)
def test_rule_reports_the_exact_place(
    tmp_path: Path, code: str, files: Files, toml: str, expected: list[Where]
) -> None:
    assert places(tmp_path, files, toml, code) == expected


@pytest.mark.parametrize(("code", "files", "toml"), CLEAN)
def test_rule_stays_quiet_on_a_clean_manuscript(
    tmp_path: Path, code: str, files: Files, toml: str
) -> None:
    assert places(tmp_path, files, toml, code) == []


def test_every_manuscript_rule_has_a_trigger_and_a_clean_case() -> None:
    lint_codes = {code for code in CODES if code[0] in "TSMFL"}  # what the manuscript shows
    assert {c for c, *_ in TRIGGERS} == lint_codes
    assert {c for c, *_ in CLEAN} == lint_codes


MARKDOWN_EVERYWHERE = """# One #

Para  one
   indented  continuation
lazy  line

> - quote  list
>   continues  here
> > nested  deep

| a  b | a  b |
|------|------|
| c  d | a  b |

Setext  head
============

Ref[^n].

[^n]: Note  one
    continued  note.

1. item  x
   1. sub  y
"""


def test_columns_are_exact_inside_every_markdown_block(tmp_path: Path) -> None:
    expected = [(3, 5), (4, 12), (5, 5), (7, 10), (8, 14), (9, 11), (11, 4), (11, 11)]
    expected += [(13, 4), (13, 11), (15, 7), (20, 11), (21, 14), (23, 8), (24, 10)]
    found = places(tmp_path, {"01.md": MARKDOWN_EVERYWHERE}, TOML, "T006")
    assert [(line, col) for _, line, col in found] == expected


@given(
    st.lists(st.sampled_from(["a", "b", " ", "\n", "\n\n", "  x", "“"]), max_size=40).map("".join)
)
def test_plain_text_paragraphs_are_the_builds_paragraphs(text: str) -> None:
    spans = plain_spans(text)
    assert [" ".join(text[s:e] for s, e in p) for p in spans] == plain_text_paragraphs(text)


def test_a_list_nested_thirty_levels_deep_is_linted_to_its_end(tmp_path: Path) -> None:
    """check parses with the build's parser: CommonMark's nesting limit (20) would silently stop
    reading the file there, and the flaw after the list would go unseen."""
    nested = "".join(f"{'  ' * depth}- level {depth}\n" for depth in range(30))
    text = f"# A\n\n{nested}\nThe end  here.\n"
    book = make_book(tmp_path / "b", {"01.md": text}, TOML)
    found = [(d.code, d.line) for d in check(book, build=False).diagnostics]
    assert ("T006", 34) in found


def test_raw_html_blocks_are_not_linted_as_prose(tmp_path: Path) -> None:
    text = '# A\n\n<div class="x">\nA "straight"  quote\n</div>\n\nFine.\n'
    book = make_book(tmp_path / "b", {"01.md": text}, OFF)
    assert [d.code for d in check(book, build=False).diagnostics] == []
