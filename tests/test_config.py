"""book.toml: one place validates it, and every mistake gets one line naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavo.book import config
from octavo.core.errors import ConfigError


def parse(text: str) -> config.Config:
    return config.parse(text, Path("book/book.toml"))


def test_a_real_users_file_with_singular_author_is_accepted() -> None:
    cfg = parse('title = "Pride and Prejudice"\nauthor = "Jane Austen"\nlanguage = "en-GB"\n')
    assert cfg.authors == ("Jane Austen",)
    assert cfg.language == "en-GB"


def test_defaults_fill_what_is_not_said() -> None:
    cfg = parse('title = "T"')
    assert (cfg.language, cfg.theme, cfg.trim.name) == ("en", "classic", "a5")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('title = "T"\nlanguage = "english please"\n', 2, "BCP 47"),
        ('title = "T"\ncolour = "red"\n', 2, "unknown setting 'colour' (known: "),
        (
            'title = "T"\nlangauge = "en"\n',
            2,
            "unknown setting 'langauge': did you mean 'language'?",
        ),
        ('title = "T"\ntrim = "huge"\n', 2, "'trim' must be"),
        ('title = "T"\nisbn = "978-0-306-40615-8"\n', 2, "check digit"),
        ('title = "T"\ndate = "31/12/2024"\n', 2, "a date such as"),
        ('title = "T"\nauthors = 3\n', 2, "'authors' must be"),
        ('subtitle = "S"\n', 1, "'title' is missing"),
        ('title = "T\n', 1, "not valid TOML"),
    ],
)
def test_bad_values_name_the_line_and_what_is_allowed(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"book/book.toml:{line}")


def test_a_valid_isbn_becomes_the_identifier() -> None:
    cfg = parse('title = "T"\nisbn = "978-0-306-40615-7"\n')
    assert cfg.uid == "urn:isbn:9780306406157"


def test_the_derived_identifier_is_stable() -> None:
    assert parse('title = "T"').uid == parse('title = "T"').uid
    assert parse('title = "T"').uid != parse('title = "U"').uid


@pytest.mark.parametrize(
    ("name", "width_in", "height_in"),
    [
        ("A5", 5.827, 8.268),
        ("6x9in", 6, 9),
        ("5.5 x 8.5 in", 5.5, 8.5),
        ("148mm x 210mm", 5.827, 8.268),
    ],
)
def test_trim_sizes_by_name_or_dimensions(name: str, width_in: float, height_in: float) -> None:
    trim = parse(f'title = "T"\ntrim = "{name}"\n').trim
    assert (trim.width / 72, trim.height / 72) == pytest.approx((width_in, height_in), abs=0.001)


def test_a_print_isbn_names_the_paperback_beside_the_ebooks_own() -> None:
    from octavo.book.matter import copyright_lines
    from octavo.epub.package import page_source

    cfg = parse('title = "T"\nisbn = "978-0-306-40615-7"\nprint_isbn = "9780141439518"\n')
    assert cfg.uid == "urn:isbn:9780306406157"  # the e-book is known by its own ISBN
    assert page_source(cfg) == "urn:isbn:9780141439518"  # its page numbers are the paperback's
    lines = copyright_lines(cfg, "EB Garamond")
    assert "ISBN 9780141439518 (paperback)" in lines and "ISBN 9780306406157 (e-book)" in lines
    with pytest.raises(ConfigError, match="'print_isbn' must be"):
        parse('title = "T"\nprint_isbn = "9780141439519"\n')


def test_an_unknown_theme_gets_a_suggestion(tmp_path: Path) -> None:
    from octavo import themes

    with pytest.raises(ConfigError, match=r"unknown theme 'clasic': did you mean 'classic'\?"):
        themes.load("clasic", tmp_path)


def test_a_folder_without_book_toml_names_itself_and_the_command_that_helps(
    tmp_path: Path,
) -> None:
    from octavo.book.config import load

    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    assert f"no book.toml in {tmp_path.resolve()}: run `octavo init {tmp_path}`" in str(
        caught.value
    )
