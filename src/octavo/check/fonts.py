"""Font rule (F001): characters the theme's fonts cannot draw: its text face for prose, its
code face for code (inline code and listings), when the theme has one.

A missing glyph is drawn from whatever font the machine has (DejaVu, most often), so the page
shows a foreign letter and the PDF carries a font outside the theme. The coverage comes from the
font files themselves (fontTools reads their character maps).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from octavo.book.config import value_position
from octavo.check.metadata import PRINTED_KEYS, Metadata
from octavo.check.prose import Manuscript
from octavo.check.registry import Finding, file_rule
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.source import equivalents
from octavo.source.typography import CODE, MARKUP, PROSE
from octavo.themes import Theme


def coverage(theme: Theme) -> frozenset[int]:
    """Characters the theme's upright text faces can draw."""
    return equivalents.text_glyphs(theme)


def code_coverage(theme: Theme) -> frozenset[int]:
    """Characters the theme's upright code face can draw (none: the theme has no code face)."""
    return equivalents.code_glyphs(theme)


def needs_glyph(ch: str) -> bool:
    """Pango draws spaces and invisible format characters without a glyph (a narrow no-break
    space stays in EB Garamond although the font has none); the Ogham space mark is visible."""
    category = unicodedata.category(ch)
    if ch == "\u1680":
        return True
    return category not in {"Zs", "Zl", "Zp", "Cf", "Cc"}


def _describe(ch: str, count: int) -> str:
    name = unicodedata.name(ch, "unnamed character")
    times = f"; {count} times in this file, first here" if count > 1 else ""
    return f"{ch} (U+{ord(ch):04X} {name}){times}"


def missing(
    chars: Iterable[tuple[int, str]], glyphs: frozenset[int], substituted: bool = False
) -> dict[str, tuple[int, int]]:
    """Characters without a glyph: character → (first position, count). With `substituted`
    (the manuscript's text, which the build renders through source/equivalents.py), a
    character the book prints as its standard equivalent (⸺ as two em dashes) is no fault:
    the page is right, and a warning the author can do nothing about would only teach them
    to ignore F001."""
    first: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for position, ch in chars:
        if substituted and equivalents.substitute(ch, glyphs) is not None:
            continue
        if ord(ch) not in glyphs and needs_glyph(ch):
            first.setdefault(ch, position)
            counts[ch] += 1
    return {ch: (first[ch], counts[ch]) for ch in first}


def _book_chars(manuscript: Manuscript, kind: int) -> Iterator[tuple[int, str]]:
    """The characters of the book's text (kind PROSE) or of its inline code (kind CODE), each
    with its place in the file; markup is never printed."""
    glyphs = manuscript.glyphs if kind != CODE else manuscript.code_glyphs
    for paragraph in manuscript.paragraphs:
        if all(ord(c) in glyphs for c in set("".join(paragraph.book))):
            continue  # the common case, decided without a loop over every character
        for i, out in enumerate(paragraph.book):
            if paragraph.kinds[i] == MARKUP or (paragraph.kinds[i] == CODE) != (kind == CODE):
                continue
            for ch in out:
                yield paragraph.offsets[i], ch


def _code_chars(manuscript: Manuscript) -> Iterator[tuple[int, str]]:
    """Inline code and the printed lines of listings: set in the code face."""
    yield from _book_chars(manuscript, CODE)
    for offset, line in manuscript.code_lines:
        for i, ch in enumerate(line):
            yield offset + i, ch


@file_rule("F001")
def missing_glyphs(manuscript: Manuscript) -> Iterator[Finding]:
    found: list[tuple[int, str]] = []
    if manuscript.glyphs:
        text = missing(_book_chars(manuscript, PROSE), manuscript.glyphs, substituted=True)
        found += [(offset, _describe(ch, count)) for ch, (offset, count) in text.items()]
    if manuscript.code_glyphs:  # a theme without a code face: code is the CSS's business
        code = missing(_code_chars(manuscript), manuscript.code_glyphs, substituted=True)
        found += [(o, f"{_describe(ch, n)} (in code)") for ch, (o, n) in code.items()]
    for offset, detail in sorted(found):
        yield Finding(offset, detail)


def metadata_glyphs(metadata: Metadata, glyphs: frozenset[int]) -> Iterator[Diagnostic]:
    """F001 for the settings of book.toml that are printed (title, authors, rights…)."""
    config_path = metadata.config.path
    if not metadata.text or config_path is None or not glyphs:
        return
    lines = metadata.text.split("\n")
    for key in PRINTED_KEYS:
        place = value_position(metadata.text, key)
        if place is None:
            continue
        line, col = place
        value = lines[line - 1][col - 1 :]
        found = missing(enumerate(value), glyphs)
        for ch, (index, _count) in found.items():
            yield codes.get("F001").at(config_path, line, col + index, _describe(ch, 1))
