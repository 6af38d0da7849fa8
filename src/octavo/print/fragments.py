"""A paragraph of the print HTML as text the layout sets, and as HTML again with edits: what
the second pass (repair.py, spreads.py) needs to set a paragraph anew.

- Its *flat text*: the text of the element with HTML's white-space runs folded to one space,
  the characters WeasyPrint sets, in order. A laid-out line is matched against it to know
  where each line starts (`line_starts`).
- An *edit*: styles over ranges of the flat text (a tracking nudge, hyphenation forbidden in
  a word), written back as `<span style>` around those ranges (`serialize`). Recorded on the
  print HTML, an edit makes any later layout of the paragraph set it the same way.
"""

from __future__ import annotations

import copy
import html
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

WHITE = " \t\n\r\f"  # what HTML folds (the no-break spaces are text)
_WHITE = re.compile(r"[ \t\n\r\f]+")
INVISIBLE = "\u00ad\u200b"  # soft hyphen, zero-width space: set only where a line breaks
ADDED = "\u2010-"  # what layout adds at a line's end: the hyphen of a broken word


@dataclass(frozen=True)
class Span:
    """A style over a range of a paragraph's flat text: [start, end)."""

    start: int
    end: int
    style: str


def _slots(element: Any) -> Iterator[tuple[Any, bool]]:
    """(node, is_tail) for each piece of text inside element, in document order."""
    yield element, False
    for child in element:
        yield from _slots(child)
        yield child, True


def _text(node: Any, is_tail: bool) -> str:
    return (node.tail if is_tail else node.text) or ""


def _inner(element: Any) -> Iterator[tuple[Any, bool]]:
    return ((n, t) for n, t in _slots(element) if not (t and n is element))


def flat_text(element: Any) -> str:
    return _WHITE.sub(" ", "".join(_text(n, t) for n, t in _inner(element)))


def line_starts(flat: str, lines: Sequence[str]) -> list[int] | None:
    """The flat offset of the first character of each laid-out line, or None when the lines
    are not the flat text (generated text, or text set elsewhere)."""
    pos = 0
    starts = []
    for text in lines:
        while pos < len(flat) and flat[pos] in " " + INVISIBLE:
            pos += 1
        starts.append(pos)
        for ch in text:
            if ch in WHITE:
                continue
            while pos < len(flat) and (
                flat[pos] == " " or (flat[pos] in INVISIBLE and ch != flat[pos])
            ):
                pos += 1
            if pos < len(flat) and flat[pos] == ch:
                pos += 1
            elif ch not in ADDED:
                return None
    return starts


def word_at(flat: str, offset: int) -> tuple[int, int]:
    """The letters of the word around `offset` (a broken word's halves joined): [start, end)."""
    start = offset
    while start > 0 and (flat[start - 1].isalpha() or flat[start - 1] in "\u00ad'’-"):
        start -= 1
    end = offset
    while end < len(flat) and (flat[end].isalpha() or flat[end] in "\u00ad'’"):
        end += 1
    return start, end


VOID = frozenset({"br", "img", "wbr"})  # elements that show something with no text


def cut(element: Any, start: int, end: int) -> Any:
    """A copy of element holding only the flat text [start, end), its inline markup kept (an
    element left empty stays, harmlessly; a line break or picture outside the range goes)."""
    copied = copy.deepcopy(element)
    copied.tail = None
    parents = {id(child): parent for parent in copied.iter() for child in parent}
    texts = {id(el): bool("".join(el.itertext())) for el in copied.iter()}
    offset = 0
    space = False
    outside = []
    for node, is_tail in list(_inner(copied)):
        if not is_tail and local(node) in VOID and not start <= offset < end:
            outside.append(node)
        kept = []
        for ch in _text(node, is_tail):
            if ch in WHITE:
                if space:
                    continue
                space, ch = True, " "
            else:
                space = False
            if start <= offset < end:
                kept.append(ch)
            offset += 1
        if is_tail:
            node.tail = "".join(kept)
        else:
            node.text = "".join(kept)
    # an element whose text was all outside the range goes too (its tail stays)
    emptied = [
        el for el in copied.iter() if el is not copied and local(el) not in VOID and texts[id(el)]
    ]
    outside += [el for el in reversed(emptied) if not "".join(el.itertext())]
    for node in outside:
        _drop(node, parents[id(node)])
    return copied


def _drop(node: Any, parent: Any) -> None:
    """Take an element out of its parent, keeping its tail in place."""
    if node not in list(parent):
        return  # inside an element already dropped
    at = list(parent).index(node)
    tail = node.tail or ""
    if at:
        parent[at - 1].tail = (parent[at - 1].tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _markup(element: Any) -> str:
    from xml.etree import ElementTree

    text = html.escape(element.text or "", quote=False)
    return text + "".join(
        ElementTree.tostring(child, encoding="unicode", method="html") for child in element
    )


def local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def open_tag(element: Any, attrs: dict[str, str]) -> str:
    shown = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<{local(element)}{shown}>"


def serialize(
    element: Any,
    spans: Sequence[Span] = (),
    start: int = 0,
    attrs: dict[str, str] | None = None,
    end: int | None = None,
) -> str:
    """The element as HTML from flat offset `start` on (up to `end`, if given), each span's
    style on its range (ranges that overlap share one `<span>` per piece, their styles
    joined)."""
    flat = flat_text(element)
    stop = len(flat) if end is None else end
    bounds = (min(max(start, x), stop) for s in spans for x in (s.start, s.end))
    cuts = sorted({start, stop, *bounds})
    parts = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        inside = "; ".join(s.style for s in spans if s.start <= a and b <= s.end)
        piece = _markup(cut(element, a, b))
        parts.append(f'<span style="{inside}">{piece}</span>' if inside else piece)
    attributes = dict(element.attrib) if attrs is None else attrs
    return f"{open_tag(element, attributes)}{''.join(parts)}</{local(element)}>"
