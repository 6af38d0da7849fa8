"""The words octavo prints come in the book's language (book/labels.py), in the print PDF and
the EPUB alike, read back from both; book.toml can change any of them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from octavo import build, load_book
from octavo.book import labels
from octavo.core.errors import ConfigError
from printsupport import find_opener, read_pages
from support import make_book, squash

TOML = """\
title = "Labels"
authors = ["Ann Lee", "Bo Kim"]
language = "{language}"
date = "2026-01-02"
isbn = "978-0-306-40615-7"
print_isbn = "978-3-16-148410-0"
publisher = "Small Press"
acknowledgements = "Thanks."
about_author = "Born by the sea."
dedication = "For Ida."

[design]
chapter_label = "words"
"""
# language → what its pages must say
EXPECTED = {
    "en": ("Contents", "Acknowledgements", "About the Author", "Copyright © 2026 Ann Lee and Bo Kim",
           "(paperback)", "Published by Small Press", "Set in EB Garamond. Made with octavo."),
    "de": ("Inhalt", "Danksagung", "Über den Autor", "© 2026 Ann Lee und Bo Kim", "(Taschenbuch)",
           "Erschienen bei Small Press", "Gesetzt aus der EB Garamond. Hergestellt mit octavo."),
    "fr": ("Table des matières", "Remerciements", "À propos de l’auteur", "© 2026 Ann Lee et Bo Kim",
           "(broché)", "Publié par Small Press", "Composé en EB Garamond. Réalisé avec octavo."),
    "es": ("Índice", "Agradecimientos", "Sobre el autor", "© 2026 Ann Lee y Bo Kim",
           "(tapa blanda)", "Publicado por Small Press", "Compuesto en EB Garamond. Hecho con octavo."),
    "it": ("Indice", "Ringraziamenti", "Nota sull’autore", "© 2026 Ann Lee e Bo Kim", "(brossura)",
           "Pubblicato da Small Press", "Composto in EB Garamond. Realizzato con octavo."),
    "nl": ("Inhoud", "Dankwoord", "Over de auteur", "© 2026 Ann Lee en Bo Kim", "(paperback)",
           "Uitgegeven door Small Press", "Gezet in de EB Garamond. Gemaakt met octavo."),
}  # fmt: skip


def labelled_book(root: Path, language: str, extra: str = "") -> Path:
    files = {"01.md": "# One\n\nText of one.\n", "02.md": "# Two\n\nText of two.\n"}
    return make_book(root, files, TOML.format(language=language) + extra)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_printed_labels_are_in_the_books_language(tmp_path: Path, language: str) -> None:
    book = labelled_book(tmp_path / "b", language)
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    pdf = next(o.path for o in result.outputs if o.format == "pdf")
    pages = read_pages(pdf)
    text = squash(" ".join(p.text for p in pages))
    contents, thanks, about, copyright_line, paperback, publisher, colophon = EXPECTED[language]
    for words in (contents, copyright_line, paperback, publisher, colophon):
        assert squash(words) in text, words
    # the back matter opens under its heading, and the contents lists it by that name
    for heading in (thanks, about):
        assert find_opener(pages, heading).label.isdigit()
    listing = next(p for p in pages if squash(contents) in squash(p.text)).text
    assert thanks in listing and about in listing
    # the EPUB names its contents and its landmarks with the same table
    epub = next(o.path for o in result.outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as z:
        nav = next(z.read(n).decode() for n in z.namelist() if n.endswith("nav.xhtml"))
    assert f"<h1>{contents}</h1>" in nav
    assert labels.wording(language, "landmarks") in nav
    # the back matter in the EPUB's contents, the dedication's page named, in the same words
    assert f">{thanks}</a>" in nav and f">{about}</a>" in nav
    with zipfile.ZipFile(epub) as z:
        dedication = next(
            z.read(n).decode() for n in z.namelist() if n.endswith("dedication.xhtml")
        )
    assert f"<title>{labels.wording(language, 'dedication')}</title>" in dedication


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_chapter_labels_are_in_the_books_language_in_both_editions(
    tmp_path: Path, language: str
) -> None:
    """`[design] chapter_label = "words"` prints "Kapitel eins" above the first chapter's title:
    the word from the same table as the contents' heading, the number spelled in the language."""
    book = labelled_book(tmp_path / "b", language)
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    first, second = labels.label(1, "words", language), labels.label(2, "words", language)
    assert first.split()[0] == labels.wording(language, "chapter", n="").strip()
    pages = read_pages(next(o.path for o in result.outputs if o.format == "pdf"))
    one, two = find_opener(pages, "One"), find_opener(pages, "Two")
    assert squash(first) in squash(one.text) and squash(second) in squash(two.text)
    epub = next(o.path for o in result.outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as z:
        chapter = next(z.read(n).decode() for n in z.namelist() if n.endswith("c01.xhtml"))
    # (the print page's marker may stand inside the label: its text is what counts)
    label = re.search(r'<p class="chapter-label">(.*?)</p>', chapter)
    assert label and re.sub(r"<[^>]+>", "", label[1]) == first


def test_an_american_book_spells_acknowledgments_its_way() -> None:
    assert labels.wording("en-US", "acknowledgements") == "Acknowledgments"
    assert labels.wording("en-GB", "acknowledgements") == "Acknowledgements"
    assert labels.wording("de-AT", "contents") == "Inhalt"
    assert labels.wording("pt-BR", "contents") == "Sumário"
    assert labels.wording("xx", "contents") == "Contents"  # a language without a table: English


def test_every_language_of_the_typography_table_has_every_label() -> None:
    from octavo.source.typography import CONVENTIONS

    for language in [*CONVENTIONS, "ar", "he", "ko"]:  # and the right-to-left books' faces, Korean
        own = labels.LABELS[language]
        assert set(own) == set(labels.KEYS), language
        assert all("{" not in v or re.search(r"\{\w+\}", v) for v in own.values())


def test_book_toml_can_word_a_label_its_own_way(tmp_path: Path) -> None:
    book = labelled_book(tmp_path / "b", "de", '\n[labels]\nabout_author = "Über die Autorin"\n')
    result = build(load_book(book), tmp_path / "out", ["pdf"])
    pages = read_pages(next(o.path for o in result.outputs if o.format == "pdf"))
    assert find_opener(pages, "Über die Autorin").label.isdigit()
    assert not any("Über den Autor" in p.text for p in pages)


def test_an_unknown_label_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    book = labelled_book(tmp_path / "b", "de", '\n[labels]\nforeword = "Vorwort"\n')
    with pytest.raises(ConfigError, match=r"not 'foreword'.*about_author"):
        load_book(book)


# language → a part's printed label ("Part One" in English words, a roman numeral elsewhere:
# "Partie un" is no French), and the title of a part that names itself, printed alone
PARTS = {
    "en": ("Part One", "Part Two: Summer"),
    "de": ("Teil I", "Teil II: Sommer"),
    "fr": ("Partie I", "Deuxième partie"),
    "es": ("Parte I", "Parte II: Verano"),
    "it": ("Parte I", "Parte seconda"),
    "nl": ("Deel I", "Deel II: Zomer"),
}


@pytest.mark.parametrize("language", sorted(PARTS))
def test_a_part_title_page_carries_its_label_in_the_books_language(
    tmp_path: Path, language: str
) -> None:
    """A part titled "Spring" is "Part One" to its reader: its title page (a recto alone)
    prints the label above the title, in print and in the EPUB; a part whose title already
    names it ("Teil II: Sommer") gets no second label."""
    label, named = PARTS[language]
    files = {
        "01-spring.md": "---\ntype: part\n---\n# Spring\n",
        "02.md": "# One\n\nText of one.\n",
        "03-summer.md": f"---\ntype: part\n---\n# {named}\n",
        "04.md": "# Two\n\nText of two.\n",
    }
    book = make_book(tmp_path / "b", files, TOML.format(language=language))
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    pages = read_pages(next(o.path for o in result.outputs if o.format == "pdf"))
    spring = find_opener(pages, "Spring")  # not the contents: the title in its first lines
    assert squash(spring.text) == squash(f"{label} Spring"), spring.text
    assert spring.text.strip().splitlines()[0].strip() == label  # above the title
    summer = find_opener(pages, named)
    assert squash(summer.text) == squash(named), summer.text  # not "Teil II Teil II: Sommer"
    epub = next(o.path for o in result.outputs if o.format == "epub")
    with zipfile.ZipFile(epub) as z:
        texts = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
    part = next(t for t in texts if ">Spring</h1>" in t)
    found = re.search(r'<p class="chapter-label">(.*?)</p>', part)
    assert found and re.sub(r"<[^>]+>", "", found[1]) == label
    assert not any('class="chapter-label"' in t for t in texts if named in t and "<h1" in t)


def test_part_labels_are_numbered_apart_from_chapters() -> None:
    assert labels.part_label(3, "words", "en") == "Part Three"
    assert labels.part_label(3, "none", "en") == "Part III"
    assert labels.part_label(14, "words", "de") == "Teil XIV"
    assert labels.part_label(2, "words", "ja") == "第2部"  # figures, not roman numerals
    assert labels.roman(1994) == "MCMXCIV"
