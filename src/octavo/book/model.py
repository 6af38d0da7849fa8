"""The one book model every target reads: what reaches the EPUB reaches the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from octavo.book.config import Config
from octavo.core.diagnostics import Diagnostic

SourceKind = Literal["markdown", "text"]
Matter = Literal["front", "body", "back"]


@dataclass(frozen=True)
class Source:
    """One manuscript file as read from disk."""

    path: Path
    text: str
    kind: SourceKind


@dataclass(frozen=True)
class Heading:
    """A heading below the chapter title, for the nested table of contents."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Asset:
    """A file a chapter refers to (an image), checked to lie inside the book folder."""

    href: str  # as written in the chapter's HTML, relative to the manuscript file
    path: Path  # resolved, inside the book folder
    media_type: str


@dataclass(frozen=True)
class Chapter:
    """One manuscript file, parsed: the chapter title apart from its body."""

    id: str  # unique in the book; also the EPUB file name stem
    title: str  # plain text, for navigation and running heads
    title_html: str  # inline HTML, for the opening page
    body_html: str  # block HTML after the title
    source: Path
    headings: tuple[Heading, ...] = ()
    matter: Matter = "body"
    assets: tuple[Asset, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # warnings found while parsing (e.g. missing alt)
    division: str = "chapter"  # epub:type of the piece: chapter, dedication, … (divisions.py)
    subtitle: str | None = None  # plain text (typography set), shown under the title
    # How deep the contents nest it: 0 at the top; 1 for a chapter inside a part (a division
    # "part" before it), or a section under its chapter (an mdBook SUMMARY's nested items).
    depth: int = 0


@dataclass(frozen=True)
class Book:
    config: Config
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # book-wide warnings (cover, style sheets)

    @property
    def slug(self) -> str:
        from octavo.core.slug import slugify

        return slugify(self.config.title) or "book"
