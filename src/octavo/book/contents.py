"""The book's contents as a tree: each piece's level, and what stands above it.

`Chapter.depth` says how many levels of the contents lie above a piece: a chapter inside a part,
or an mdBook section with a file of its own under its chapter. Both editions' contents nest by
it, and the print edition opens a section on a new page rather than on a recto.
"""

from __future__ import annotations

from collections.abc import Sequence

from octavo.book.model import Chapter


def levels(chapters: Sequence[Chapter]) -> list[int]:
    """Each piece's level in the contents: its depth, but never more than one below the piece
    before it (a list cannot open two levels at once), the first at the top."""
    found: list[int] = []
    for chapter in chapters:
        found.append(min(chapter.depth, found[-1] + 1) if found else 0)
    return found


def sections(chapters: Sequence[Chapter]) -> frozenset[str]:
    """Ids of the pieces that are sections of a chapter (their parent in the contents is a
    chapter, not a part)."""
    parents: list[Chapter] = []  # the piece open at each level
    found = set()
    for chapter, level in zip(chapters, levels(chapters), strict=True):
        del parents[level:]
        if parents and parents[-1].division != "part":
            found.add(chapter.id)
        parents.append(chapter)
    return frozenset(found)
