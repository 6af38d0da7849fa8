"""Pictures put where print/pictures.py decided, in the print HTML: moved later in the text
(between the two halves of a paragraph, if need be) or given a smaller greatest height.

A place is named as the page map names it (book/pages.py): the n-th element of a tag in its
chapter and a character offset into its text. The second half of a split paragraph says where
in the whole paragraph it begins (`data-split`), so the page map still names places by the
paragraph the EPUB holds, and a later decision can name a place in a paragraph split before.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from octavo.book.pages import is_footnote, is_formula, local

SPLIT = "data-split"  # on a paragraph's second half: where it begins in the whole paragraph
SPLIT_WORD = "data-split-word"  # "1": that half begins inside a word the layout hyphenated
HYPHEN = "\u2010"  # the hyphen WeasyPrint sets at a broken word


@dataclass(frozen=True)
class Target:
    """After character `offset` of the `ordinal`-th `tag` of the chapter (None: after the whole
    element); `hyphen` when that falls inside a word the layout broke with a hyphen."""

    tag: str
    ordinal: int
    offset: int | None = None
    hyphen: bool = False


@dataclass(frozen=True)
class Placement:
    """What becomes of one picture: its ordinal among the chapter's pictures, the greatest
    height of its image (CSS px) when scaled to fit where it stands, and where it goes when
    moved; `cap` is the greatest height at which it fits a page at all, with its caption."""

    picture: int
    height: float | None = None
    target: Target | None = None
    natural: float | None = None  # the image's height before it was first scaled
    cap: float | None = None

    @property
    def greatest(self) -> float | None:
        heights = [h for h in (self.height, self.cap) if h is not None]
        return min(heights) if heights else None


Placements = Mapping[str, Sequence[Placement]]  # by chapter id


def is_picture(element: Any) -> bool:
    """A picture set apart (source/figures.py), not any figure: a code listing is one too."""
    return "picture" in (element.get("class") or "").split()


# --- Splitting a paragraph at a character offset -------------------------------------------


def _slots(element: Any) -> Iterator[tuple[Any, bool, str]]:
    """(node, is_tail, text) of every text node inside `element` that the page map counts:
    the notes the print HTML sets at their calls are not (book/pages.flat_text)."""
    if element.text:
        yield element, False, element.text
    for child in element:
        if isinstance(child.tag, str) and not is_footnote(child):
            yield from _slots(child)
        if child.tail:
            yield child, True, child.tail


def _mark(element: Any, offset: int, hyphen: bool) -> Any | None:
    """Put an empty marker element before flat-text character `offset` (whitespace runs count
    as one, as in book/pages.flat_text); a hyphen before it when a word is broken there."""
    flat, previous_space = 0, False
    for node, is_tail, text in list(_slots(element)):
        for i, ch in enumerate(text):
            space = ch.isspace()
            if space and previous_space:
                continue
            if flat == offset:
                return _insert(node, is_tail, text[:i] + (HYPHEN if hyphen else ""), text[i:])
            flat += 1
            previous_space = space
    return None


def _insert(node: Any, is_tail: bool, before: str, after: str) -> Any:
    marker = node.makeelement("octavo-split", {})
    marker.tail = after
    if is_tail:
        node.tail = before
        node.addnext(marker)
    else:
        node.text = before
        node.insert(0, marker)
    return marker


def _chain(marker: Any, root: Any) -> list[Any]:
    chain = [marker]
    while chain[-1] is not root:
        chain.append(chain[-1].getparent())
    return chain


def _keep_before(marker: Any, root: Any) -> None:
    for node in _chain(marker, root)[:-1]:
        while node.getnext() is not None:
            node.getparent().remove(node.getnext())
        node.tail = None
    marker.getparent().remove(marker)


def _keep_after(marker: Any, root: Any) -> None:
    for node in _chain(marker, root)[:-1]:
        while node.getprevious() is not None:
            node.getparent().remove(node.getprevious())
        node.getparent().text = None
    parent = marker.getparent()
    parent.text = marker.tail
    parent.remove(marker)


def _add_class(element: Any, name: str) -> None:
    classes = (element.get("class") or "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def split(element: Any, offset: int, hyphen: bool) -> Any | None:
    """Cut a paragraph in two before flat-text character `offset`; the second half is put
    right after the first and returned (None if the offset lies beyond its text)."""
    base = int(element.get(SPLIT) or 0)
    marker = _mark(element, offset - base, hyphen)
    if marker is None:
        return None
    second = copy.deepcopy(element)
    second_marker = next(second.iter("octavo-split"))
    _keep_before(marker, element)
    _keep_after(second_marker, second)
    second.attrib.pop("id", None)
    second.set(SPLIT, str(offset))
    if hyphen:
        second.set(SPLIT_WORD, "1")
    else:
        second.attrib.pop(SPLIT_WORD, None)
    _add_class(element, "split-before")
    _add_class(second, "split-after")
    second.tail = element.tail
    element.addnext(second)
    return second


# --- Applying a chapter's placements ---------------------------------------------------------


def _places(section: Any) -> dict[tuple[str, int], Any]:
    """(tag, ordinal) → element, counted as the page map counts (print/pagemap.regions)."""
    counts: dict[str, int] = {}
    found: dict[tuple[str, int], Any] = {}
    for el in section.iter():
        if not isinstance(el.tag, str) or is_formula(el):
            continue
        tag = local(el.tag)
        found[(tag, counts.get(tag, 0))] = el
        counts[tag] = counts.get(tag, 0) + 1
    return found


def _scale(picture: Any, height: float) -> None:
    for img in picture.iter("img"):
        style = (img.get("style") or "").rstrip("; ")
        rule = f"max-height: {height:.1f}px"
        img.set("style", f"{style}; {rule}" if style else rule)
        return


def place_chapter(section: Any, placements: Sequence[Placement]) -> None:
    body = next((el for el in section if "chapter-body" in (el.get("class") or "")), None)
    if body is None:
        return
    pictures = [el for el in body if isinstance(el.tag, str) and is_picture(el)]
    places = _places(section)
    moves = []
    for placement in placements:
        if placement.picture >= len(pictures):
            continue
        picture = pictures[placement.picture]
        if placement.greatest is not None:
            _scale(picture, placement.greatest)
        target = placement.target
        if target is not None and (target.tag, target.ordinal) in places:
            moves.append((places[(target.tag, target.ordinal)], target, placement.picture))
    # the furthest first, so that each split leaves the offsets still to come where they were
    moves.sort(key=lambda m: (m[1].offset if m[1].offset is not None else 1 << 60, m[2]))
    for element, target, ordinal in reversed(moves):
        picture = pictures[ordinal]
        picture.getparent().remove(picture)
        if target.offset is not None:
            # None when a picture placed before (it comes later) cut the paragraph here
            # already: this one goes right after the first half too, before that one
            split(element, target.offset, target.hyphen)
        picture.tail = element.tail
        element.addnext(picture)


def apply(html: str, placements: Placements) -> str:
    """The print HTML with each chapter's pictures placed."""
    if not any(placements.values()):
        return html
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    for section in root.iter("section"):
        key = section.get("aria-labelledby")
        if key is not None and key in placements:
            place_chapter(section, placements[key])
    out: str = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return out
