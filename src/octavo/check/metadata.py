"""Metadata rules (M…): what book.toml must say. The check reads book.toml leniently: a missing
title or a bad ISBN is reported and set aside, so that the rest of the book is still checked."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.book import config as config_mod
from octavo.book.config import Config
from octavo.check.registry import register
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError

MISSING_TITLE = register(
    "M001",
    "error",
    "the book has no title",
    """book.toml needs a title (title = "My Book"): it goes on the cover page, in the EPUB's
    metadata and in every reading system's library. The check goes on with the folder's name.""",
    "book",
)
MISSING_LANGUAGE = register(
    "M002",
    "warning",
    "the book's language is not set",
    """Without language = "…" (a BCP 47 tag such as en-GB, fr, de) the book is declared English:
    quotes, hyphenation, the EPUB's metadata and screen readers' voices all follow it.""",
    "book",
)
BAD_ISBN = register(
    "M003",
    "error",
    "invalid ISBN",
    """An ISBN has 10 or 13 digits and its last digit is a check digit computed from the others;
    when it does not match, the number was mistyped. The check goes on without the ISBN.""",
    "book",
)

# The settings printed on the title and copyright pages, in the theme's font.
PRINTED_KEYS = ("title", "subtitle", "author", "authors", "publisher", "rights")


@dataclass(frozen=True)
class Metadata:
    config: Config
    diagnostics: tuple[Diagnostic, ...] = ()
    text: str = ""  # book.toml as written ("" for a single manuscript file)


def value_position(text: str, key: str) -> tuple[int, int] | None:
    """Line and column of the value of a top-level `key = value` line."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=\s*", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.end() - (text.rfind("\n", 0, match.end()) + 1) + 1


def isbn_problem(value: str) -> str | None:
    """Why an ISBN is invalid, or None."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        expected = str((10 - total % 10) % 10)
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        expected = "X" if check == 10 else str(check)
    else:
        return f"{value!r} has {len(digits)} characters; an ISBN has 10 or 13 digits"
    if digits[-1] != expected:
        return f"{value}: the check digit is {digits[-1]}, it should be {expected}"
    return None


def _findings(data: dict[str, Any], text: str, path: Path) -> Iterator[Diagnostic]:
    title = data.get("title")
    if not (isinstance(title, str) and title.strip()):
        line, col = value_position(text, "title") or (1, 1)
        yield MISSING_TITLE.diagnostic(path, line, col)
    if "language" not in data and "lang" not in data:
        yield MISSING_LANGUAGE.diagnostic(path, 1, 1, 'add a line such as language = "en-GB"')
    isbn = data.get("isbn")
    if isinstance(isbn, str):
        problem = isbn_problem(isbn)
        if problem:
            line, col = value_position(text, "isbn") or (1, 1)
            yield BAD_ISBN.diagnostic(path, line, col, problem)


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
    diagnostics = tuple(_findings(data, text, path))
    if failure is not None:
        codes = {d.code for d in diagnostics}
        if "M001" in codes:
            data["title"] = source.resolve().name
        if "M003" in codes:
            data.pop("isbn")
        config = config_mod.from_mapping(data, path, text)  # anything else stops the check
    return Metadata(config, diagnostics, text)
