"""Typography by language: quotes, apostrophes, dashes, ellipses and no-break spaces, set on
text only (never in code, URLs or HTML), switchable per book and per file, source untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavo import build, load_book
from octavo.source.typography import smarten
from support import make_book

NB = "\u00a0"  # no-break space
NN = "\u202f"  # narrow no-break space

# (language, typed, printed)
CASES = [
    # English: double quotes outside, single inside; apostrophes of every kind.
    ("en", '"Hello," she said.', "“Hello,” she said."),
    ("en", "\"Say 'never' again.\"", "“Say ‘never’ again.”"),
    ("en", "Don't stop.", "Don’t stop."),
    ("en", "'Tis the season.", "’Tis the season."),
    ("en", "Rock 'n' roll in the '90s.", "Rock ’n’ roll in the ’90s."),
    ("en", "The boys' toys.", "The boys’ toys."),
    (
        "en",
        "C++'s copy and F#'s types, not the 'snake'.",
        "C++’s copy and F#’s types, not the ‘snake’.",
    ),
    ("en", 'son—"I know."', "son—“I know.”"),
    ("en", '("Quoted.")', "(“Quoted.”)"),
    ("en", "1990--1999 --- then...", "1990–1999 — then…"),
    ("en", "Mr Smith met Dr. Jones.", f"Mr{NB}Smith met Dr.{NB}Jones."),
    ("en", "It is 10 km away, 5 kg, 30 %.", f"It is 10{NB}km away, 5{NB}kg, 30{NB}%."),
    ("en-GB", "'Single,' she said.", "‘Single,’ she said."),
    ("en", 'A lone " stays.', 'A lone " stays.'),
    # German: low-high quotes, apostrophe ’, abbreviations.
    ("de", '"Geht\'s dir gut?", fragte sie.', "„Geht’s dir gut?“, fragte sie."),
    ("de", "'Ja', sagte er.", "‚Ja‘, sagte er."),
    ("de", "z. B. auf S. 12", f"z.{NB}B. auf S.{NB}12"),
    ("de-CH", '"Grüezi"', "«Grüezi»"),
    # French: guillemets with narrow no-break spaces, and before ; : ! ?
    ("fr", '"Bonjour", dit-il.', f"«{NN}Bonjour{NN}», dit-il."),
    ("fr", "Vraiment ? Oui ! Non ; enfin : si.", f"Vraiment{NN}? Oui{NN}! Non{NN}; enfin{NN}: si."),
    ("fr", "Vraiment? Oui!", f"Vraiment{NN}? Oui{NN}!"),
    ("fr", "« Déjà tapé »", f"«{NN}Déjà tapé{NN}»"),
    (
        "fr",
        "L'homme à 10:30, voir http://exemple.fr/a:b",
        "L’homme à 10:30, voir http://exemple.fr/a:b",
    ),
    ("fr", "M. Dupont", f"M.{NB}Dupont"),
    # Spanish, Italian, Portuguese: guillemets outside, English quotes inside.
    ("es", "\"Dijo 'hola'\"", "«Dijo “hola”»"),
    ("it", '"Ciao"', "«Ciao»"),
    ("pt", '"Olá"', "«Olá»"),
    # Dutch, Swedish, Polish, Czech, Russian.
    ("nl", '"Zo," zei hij. \'s Avonds', "“Zo,” zei hij. ’s Avonds"),
    ("sv", '"Hej," sa hon.', "”Hej,” sa hon."),
    ("pl", '"Tak" i w domu', f"„Tak” i{NB}w{NB}domu"),
    ("cs", '"Ano" v lese', f"„Ano“ v{NB}lese"),
    ("ru", '"Да" в доме', f"«Да» в{NB}доме"),
    # An unknown language is set the English way.
    ("xx", '"Hi"', "“Hi”"),
]


@pytest.mark.parametrize(("language", "typed", "printed"), CASES)
def test_typography_by_language(language: str, typed: str, printed: str) -> None:
    assert smarten(typed, language) == printed


def _chapter_html(
    tmp_path: Path, text: str, toml: str = 'title = "T"\n', name: str = "01.md"
) -> str:
    book = make_book(tmp_path / "b", {name: text}, toml)
    return load_book(book).chapters[0].body_html


def test_markdown_keeps_code_urls_and_html_as_typed(tmp_path: Path) -> None:
    html = _chapter_html(
        tmp_path,
        '# T\n\n"Run `a -- "b"...` at <http://x.org/a--b> or '
        'http://y.org/a--b...c, <b class="c">x</b>, \\"escaped\\"."\n\n'
        '```\n"fenced" -- ...\n```\n',
    )
    assert "<code>a -- &quot;b&quot;...</code>" in html
    assert 'href="http://x.org/a--b">http://x.org/a--b</a>' in html
    assert "http://y.org/a--b...c," in html
    assert '<b class="c">x</b>' in html  # raw HTML is kept (sanitized), its quotes untouched
    assert "&quot;escaped&quot;" in html
    assert "&quot;fenced&quot; -- ..." in html
    assert html.count("“") == 1 and html.count("”") == 1


def test_quotes_pair_across_emphasis_and_links(tmp_path: Path) -> None:
    html = _chapter_html(tmp_path, '# T\n\n"*Hello*," she said, "[read](#t)."\n')  # to the title
    assert "“<em>Hello</em>,” she said, “<a" in html
    assert "read</a>.”" in html


def test_plain_text_gets_typography_too(tmp_path: Path) -> None:
    html = _chapter_html(tmp_path, '"It\'s late..." -- she said.\n', name="01.txt")
    assert "“It’s late…” – she said." in html


def test_the_books_language_decides(tmp_path: Path) -> None:
    html = _chapter_html(tmp_path, '# T\n\n"Oui!"\n', 'title = "T"\nlanguage = "fr"\n')
    assert f"«{NN}Oui{NN}!{NN}»" in html


def test_typography_can_be_switched_off_for_the_book(tmp_path: Path) -> None:
    html = _chapter_html(tmp_path, '# T\n\n"Hi" -- ...\n', 'title = "T"\ntypography = false\n')
    assert "&quot;Hi&quot; -- ..." in html


def test_typography_can_be_switched_off_for_one_file(tmp_path: Path) -> None:
    book = make_book(
        tmp_path / "b",
        {
            "01.md": '---\ntypography: false\n---\n# A\n\n"Hi" -- ...\n',
            "02.md": '# B\n\n"Hi" -- ...\n',
        },
    )
    one, two = load_book(book).chapters
    assert "&quot;Hi&quot; -- ..." in one.body_html
    assert "“Hi” – …" in two.body_html


def test_chapter_titles_get_typography(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": '# It\'s "Here"\n\nText.\n'})
    assert load_book(book).chapters[0].title == "It’s “Here”"


def test_a_build_never_rewrites_the_source(tmp_path: Path) -> None:
    text = '# T\n\n"Hi," Mr Smith said -- 10 km... \'90s.\n'
    book = make_book(tmp_path / "b", {"01.md": text})
    before = (book / "manuscript" / "01.md").read_bytes()
    build(load_book(book), tmp_path / "out", ["epub"])
    assert (book / "manuscript" / "01.md").read_bytes() == before


# (language, typed, printed): a footnote call (shown here as ¹) hangs on the text before it, so
# the quotation mark before it closes and French still spaces the mark after it.
NOTE_CASES = [
    ("en", '"It was a drink."[^1] She left.', "“It was a drink.”¹ She left."),
    ("en", 'He said "drink"[^1], then "more."', "He said “drink”¹, then “more.”"),
    ("en", "The boys'[^1] toys.", "The boys’¹ toys."),
    ("de", '"Es war ein Getränk."[^1] Sie ging.', "„Es war ein Getränk.“¹ Sie ging."),
    ("de", "Er sagte 'nein'[^1].", "Er sagte ‚nein‘¹."),
    (
        "fr",
        '"C\'était une boisson."[^1] Elle partit.',
        f"«{NN}C’était une boisson.{NN}»¹ Elle partit.",
    ),
    ("fr", 'Vraiment[^1]? "Oui[^1]"', f"Vraiment¹{NN}? «{NN}Oui¹{NN}»"),
]


@pytest.mark.parametrize(("language", "typed", "printed"), NOTE_CASES)
def test_a_footnote_call_after_a_quote_keeps_it_closing(
    tmp_path: Path, language: str, typed: str, printed: str
) -> None:
    import re

    from octavo.check import check

    toml = f'title = "T"\nlanguage = "{language}"\n'
    book = make_book(tmp_path / "b", {"01.md": f"# T\n\n{typed}\n\n[^1]: A note.\n"}, toml)
    paragraph = load_book(book).chapters[0].body_html.split("\n")[0]
    paragraph = re.sub(r' data-line="\d+"', "", paragraph)  # the manuscript's line (lines.py)
    assert re.sub(r"<sup .*?</sup>", "¹", paragraph) == f"<p>{printed}</p>"
    # The linter reads the quotes the same way: nothing unbalanced, nothing turned.
    found = [d.code for d in check(book, build=False).diagnostics if d.code.startswith("T")]
    assert found == []
