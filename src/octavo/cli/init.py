"""`octavo init`: a new book folder with a book.toml and a first chapter to write over."""

from __future__ import annotations

from pathlib import Path

from octavo.core.errors import OctavoError

BOOK_TOML = """\
title = "{title}"
authors = ["{author}"]
language = "{language}"   # BCP 47: decides quotes and hyphenation (en-GB, en-US, fr, de…)
trim = "A5"          # A5, A6, B5, 5x8in, 5.25x8in, 5.5x8.5in, 6x9in, letter, A4 or "W x H unit"
theme = "classic"    # classic (fiction) or modern (non-fiction)
"""

FIRST_CHAPTER = """\
# Chapter One

Write here. One file per chapter in manuscript/, read in file-name order.

A blank line starts a new paragraph. *Italics* and footnotes[^1] work as in Markdown.

[^1]: Like this one.
"""


def create(folder: Path, title: str, author: str, language: str = "en") -> list[Path]:
    """Write book.toml and manuscript/01-chapter-one.md; never overwrite an existing book."""
    toml = folder / "book.toml"
    if toml.exists():
        raise OctavoError("a book.toml is already here; init never overwrites a book", toml)
    chapter = folder / "manuscript" / "01-chapter-one.md"
    chapter.parent.mkdir(parents=True, exist_ok=True)
    toml.write_text(
        BOOK_TOML.format(
            title=title.replace('"', '\\"'), author=author.replace('"', '\\"'), language=language
        ),
        "utf-8",
    )
    if not chapter.exists():
        chapter.write_text(FIRST_CHAPTER, "utf-8")
    return [toml, chapter]
