"""Metadata rules (M…): what book.toml must say. The check reads book.toml leniently: a missing
title or a bad ISBN is reported and set aside, so that the rest of the book is still checked."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.book import config as config_mod
from octavo.book.config import Config
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError

MISSING_TITLE = codes.get("M001")
MISSING_LANGUAGE = codes.get("M002")
BAD_ISBN = codes.get("M003")

# The settings printed on the title and copyright pages, in the theme's font.
PRINTED_KEYS = ("title", "subtitle", "author", "authors", "publisher", "rights")


@dataclass(frozen=True)
class Metadata:
    config: Config
    diagnostics: tuple[Diagnostic, ...] = ()
    text: str = ""  # book.toml as written ("" for a single manuscript file)


def _findings(
    data: dict[str, Any], text: str, path: Path, mdbook: bool = False
) -> Iterator[Diagnostic]:
    title = data.get("title")
    if not (isinstance(title, str) and title.strip()):
        line, col = config_mod.value_position(text, "title") or (1, 1)
        yield MISSING_TITLE.at(path, line, col)
    if "language" not in data and "lang" not in data:
        where = " under [book]" if mdbook else ""  # mdBook's own place for it (it says "en")
        yield MISSING_LANGUAGE.at(path, 1, 1, f'add a line such as language = "en-GB"{where}')
    isbn = data.get("isbn")
    if isinstance(isbn, str):
        problem = config_mod.isbn_problem(isbn)
        if problem:
            line, col = config_mod.value_position(text, "isbn") or (1, 1)
            yield BAD_ISBN.at(path, line, col, problem)


def read(source: Path) -> Metadata:
    """The book's configuration, and what is wrong with its metadata."""
    if not source.is_dir():
        # One manuscript file: the title comes from its name and the language is English, as
        # the README promises; there is no book.toml to report on.
        return Metadata(config_mod.defaults_for_file(source, None))
    path = source / config_mod.CONFIG_NAME
    failure: ConfigError | None = None
    try:
        config = config_mod.load(source)
    except ConfigError as exc:
        failure = exc
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        assert failure is not None  # config.load read the same file
        raise failure from None
    settings = config_mod.settings(data, path, text)
    diagnostics = tuple(_findings(settings, text, path, config_mod.is_mdbook(data)))
    if failure is not None:
        codes = {d.code for d in diagnostics}
        table = config_mod.settings_table(data)  # the file itself, or an mdBook's [octavo]
        if "M001" in codes:
            table["title"] = source.resolve().name
        if "M003" in codes:
            table.pop("isbn", None)
        config = config_mod.from_mapping(data, path, text)  # anything else stops the check
    return Metadata(config, diagnostics, text)
