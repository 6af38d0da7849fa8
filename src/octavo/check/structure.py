"""Structure rules (S…): footnotes, headings and images of Markdown chapters. Broken links
(S005) are found by the build itself when it reads the book (source/links.py), with their
places, and reach the check with the book's other warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
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
