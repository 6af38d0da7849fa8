"""What a manuscript file is in the book: a chapter, or a front- or back-matter piece.

Each division has its EPUB structural semantics term (`epub:type`) and the matching DPUB-ARIA
role, so reading systems and assistive technology agree on what the section is. A file says
what it is with `type:` in its front matter, or by its name (`00-dedication.md`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from octavo.book.model import Matter
from octavo.core.slug import slugify


@dataclass(frozen=True)
class Division:
    name: str  # the epub:type term
    role: str  # the DPUB-ARIA role
    matter: Matter  # front, body or back matter


_ALL = (
    Division("dedication", "doc-dedication", "front"),
    Division("epigraph", "doc-epigraph", "front"),
    Division("foreword", "doc-foreword", "front"),
    Division("preface", "doc-preface", "front"),
    Division("introduction", "doc-introduction", "body"),
    Division("prologue", "doc-prologue", "body"),
    Division("part", "doc-part", "body"),
    Division("chapter", "doc-chapter", "body"),
    Division("conclusion", "doc-conclusion", "body"),
    Division("epilogue", "doc-epilogue", "body"),
    Division("afterword", "doc-afterword", "back"),
    Division("appendix", "doc-appendix", "back"),
    Division("acknowledgments", "doc-acknowledgments", "back"),
    Division("glossary", "doc-glossary", "back"),
    Division("bibliography", "doc-bibliography", "back"),
    Division("endnotes", "doc-endnotes", "back"),
    Division("colophon", "doc-colophon", "back"),
)
DIVISIONS = {d.name: d for d in _ALL}
_NAME_ALIASES = {"acknowledgements": "acknowledgments", "notes": "endnotes"}


def division_for(declared: str | None, path: Path) -> Division:
    """The declared `type:`, else the one the file's name says, else a chapter."""
    if declared:
        return DIVISIONS[declared]
    stem = slugify(path.stem.lstrip("0123456789-_ ")) or ""
    name = _NAME_ALIASES.get(stem, stem)
    return DIVISIONS.get(name, DIVISIONS["chapter"])


def get(name: str) -> Division:
    return DIVISIONS.get(name, DIVISIONS["chapter"])
