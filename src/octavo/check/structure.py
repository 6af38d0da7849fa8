"""Structure rules (S…): footnotes, headings, images and links of Markdown chapters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from octavo.check.prose import Construct, Manuscript
from octavo.check.registry import Finding, file_rule

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _constructs(manuscript: Manuscript, kind: str) -> Iterator[tuple[int, Construct]]:
    """Each construct of a kind with its file offset."""
    for paragraph in manuscript.paragraphs:
        for construct in paragraph.constructs:
            if construct.kind == kind:
                yield paragraph.offsets[construct.start], construct


@file_rule("S001")
def undefined_footnote(manuscript: Manuscript) -> Iterator[Finding]:
    defined = {label for label, _ in manuscript.footnote_definitions}
    for offset, construct in _constructs(manuscript, "footnote"):
        if construct.target not in defined:
            yield Finding(offset, f"[^{construct.target}]")


@file_rule("S002")
def unused_footnote(manuscript: Manuscript) -> Iterator[Finding]:
    cited = {c.target for _, c in _constructs(manuscript, "footnote")}
    for label, offset in manuscript.footnote_definitions:
        if label not in cited:
            yield Finding(offset, f"[^{label}]")


@file_rule("S003")
def heading_skips(manuscript: Manuscript) -> Iterator[Finding]:
    previous = 1  # the chapter title, written or taken from the file name
    for level, offset in manuscript.headings:
        if level > previous + 1:
            yield Finding(
                offset, f"level {level} follows level {previous}; use level {previous + 1}"
            )
        previous = level


@file_rule("S004")
def image_without_alt(manuscript: Manuscript) -> Iterator[Finding]:
    for offset, construct in _constructs(manuscript, "image"):
        if not construct.text.strip():
            yield Finding(offset, construct.target)


def _split(target: str) -> tuple[str, str]:
    path, _, anchor = target.partition("#")
    return unquote(path), unquote(anchor)


def _has_anchor(manuscript: Manuscript, chapter: Path, anchor: str) -> bool:
    return not anchor or anchor in manuscript.anchors.get(chapter, frozenset())


@file_rule("S005")
def broken_link(manuscript: Manuscript) -> Iterator[Finding]:
    here = manuscript.path.resolve()
    for offset, construct in _constructs(manuscript, "link"):
        target = construct.target
        if not target or _SCHEME.match(target):
            continue  # web and mail links are not checked: check works offline
        path, anchor = _split(target)
        chapter = (here.parent / path).resolve() if path else here
        if chapter in manuscript.anchors:
            if not _has_anchor(manuscript, chapter, anchor):
                yield Finding(offset, f"{target}: no #{anchor} in {chapter.name}")
        elif chapter.is_file():
            yield Finding(offset, f"{target}: not a chapter of this book")
        else:
            yield Finding(offset, f"{target}: no such file")


@file_rule("S006")
def missing_image(manuscript: Manuscript) -> Iterator[Finding]:
    root = manuscript.config.root.resolve()
    for offset, construct in _constructs(manuscript, "image"):
        if not construct.target or _SCHEME.match(construct.target):
            continue
        path = (manuscript.path.resolve().parent / _split(construct.target)[0]).resolve()
        if not path.is_relative_to(root):
            yield Finding(offset, f"{construct.target}: outside the book folder")
        elif not path.is_file():
            yield Finding(offset, f"{construct.target}: no such file")
