"""The frame: the pages that carry the book's furniture (folios, running heads, blank versos,
the contents' page numbers, the front matter itself), laid out by WeasyPrint with the theme's
own print.css, for the units' pages to be drawn on (join.py).

A unit is stood in for by a *placeholder*: each of its parts' opening tags (the same element,
so the same named pages, breaks and page groups) holding one empty block for each page that
begins in that part, carrying the named strings the unit set on that page. The frame is laid
out in pieces, each a document of its own, so that its pages too are laid out in the pool and
cached, and an edit that moves the folios of the chapters after it lays out their frames alone:

- the *front*: the real front matter (half-title to contents); then the first unit's
  placeholder for its first page, so that the contents end where they end in the book and a
  blank verso comes before the first unit if it does there; then a *stub* page for each other
  unit page the front matter points to (the contents' page numbers), holding those ids and, by
  its named page, the page counter that page has in the book;
- a *unit frame* for each unit: a lead page holding the named strings as they stand where the
  unit begins and setting the page counter, the blank verso the unit's break to a recto makes
  after it, then the unit's placeholder, among the shells of every other part.

Folios follow the rule the PDF's page labels say (folios.py): counted from the first page in
roman up to the first chapter, from 1 there on. The join keeps the front's pages before the
first unit and each unit frame's pages from its third (its second too, when the unit before
it ends on a recto and the book has a blank verso there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from octavo.print.folios import to_roman
from octavo.print.html import PrintDocument
from octavo.print.survey import PageRecord
from octavo.print.units import ELSEWHERE, Split, Unit, opening, shell, tag

PLACEHOLDER = "data-octavo-unit"  # a unit's part in the frame
LEAD = "data-octavo-lead"
STUB = "data-octavo-stub"
MARK = "octavo-first-unit"  # the anchor of the first unit's first page in the front
LEAD_PAGES = 2  # a unit frame's pages before the unit's own: the lead, a blank verso

# A placeholder, a lead page and a stub show nothing of their own (the units draw their pages).
FRAME_CSS = (
    f"[{PLACEHOLDER}], [{PLACEHOLDER}] *, [{LEAD}], [{STUB}], [{STUB}] *"
    " { visibility: hidden !important; }\n"
    f"[{PLACEHOLDER}]::before, [{PLACEHOLDER}]::after, [{PLACEHOLDER}] *::before,"
    f" [{PLACEHOLDER}] *::after {{ content: none !important; }}\n"
    f"[{LEAD}] {{ page: octavo-lead; }}\n"
)


@dataclass(frozen=True)
class Folios:
    """Where each unit begins in the book, and the page counter of every page."""

    firsts: tuple[int, ...]  # the book's page index of each unit's first page
    counts: tuple[int, ...]  # each unit's pages
    body: int  # the index of the page that carries folio 1

    @property
    def total(self) -> int:
        return self.firsts[-1] + self.counts[-1]

    def counter(self, page: int) -> int:
        return page + 1 if page < self.body else page - self.body + 1

    def labels(self) -> tuple[str, ...]:
        """Every page's folio, printed or not (folios.page_labels says the same of a book
        laid out whole)."""
        return tuple(
            to_roman(i + 1) if i < self.body else str(self.counter(i)) for i in range(self.total)
        )

    def blank_before(self, unit: int) -> bool:
        """Does a blank verso stand before this unit (the one before it ending on a recto)?"""
        return unit > 0 and self.counts[unit - 1] % 2 == 1


def offsets(counts: Sequence[int]) -> list[int]:
    """Each unit's first page, counted from the first unit's: each opens on a recto."""
    found, page = [], 0
    for count in counts:
        found.append(page)
        page += count + count % 2
    return found


def folios(first: int, counts: Sequence[int], body: tuple[int, int]) -> Folios:
    """The folios of a book whose first unit begins on page `first`, its units having these
    page counts; folio 1 falls on page body[1] of unit body[0] (the first chapter's)."""
    firsts = tuple(first + o for o in offsets(counts))
    return Folios(firsts, tuple(counts), firsts[body[0]] + body[1])


def wanted_anchors(document: PrintDocument) -> set[str]:
    """The ids the front matter points to: the contents' page numbers and links."""
    front = "".join(document.parts[: document.front])
    return set(re.findall(r'(?:href|data-ref)="#([^"]+)"', front))


def css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _strings(strings: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f'<span style="{escape(f"string-set: {name} {css_string(text)}")}"></span>'
        for name, text in strings
    )


def _ids(names: Iterable[str]) -> str:
    return "".join(f'<span id="{escape(name)}"></span>' for name in names)


def _block(page: PageRecord, broken: bool) -> str:
    style = ' style="break-before: page"' if broken else ""
    return f"<div{style}>{_strings(page.strings)}</div>"


def placeholder(unit: Unit, pages: Sequence[PageRecord], forced: Sequence[bool]) -> str:
    """A unit in the frame: each of its parts' opening tags, holding one block for each page
    that begins in that part. A part's first block breaks to a new page unless the part itself
    does (`forced`); a blank page needs no block, the frame makes its own."""
    out = []
    for p, part in enumerate(unit.parts):
        blocks: list[str] = []
        for page in pages:
            if page.blank or page.part != unit.first + p:
                continue
            broken = bool(blocks) or not (page.opens and forced[unit.first + p])
            blocks.append(_block(page, broken))
        head = opening(part)
        end = -2 if head.endswith("/>") else -1
        out.append(f"{head[:end]} {PLACEHOLDER}>{''.join(blocks)}</{tag(part)}>")
    return "".join(out)


# --- the front ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stub:
    """A page of a unit the front matter points to: its ids, and its place in the book as an
    offset from the first unit's first page."""

    offset: int
    ids: tuple[str, ...]


def stubs(surveyed: Sequence[Sequence[PageRecord]], wanted: set[str]) -> list[Stub]:
    """A stub for every page of a unit that holds an id the front matter points to (the
    first unit's first page among them: the front holds that page itself)."""
    found = []
    for start, pages in zip(offsets([len(p) for p in surveyed]), surveyed, strict=True):
        for j, page in enumerate(pages):
            ids = tuple(a.name for a in page.anchors if a.name in wanted)
            if ids or start + j == 0:
                found.append(Stub(start + j, ids))
    return found


def front_html(cut: Split, found: Sequence[Stub]) -> str:
    """The front matter, the first unit's first page (its placeholder, cut to that page, with
    the ids on it) and a stub page for each other page the contents point to (front_css
    gives each its counter)."""
    doc = cut.document
    part = cut.units[0].parts[0]
    head = opening(part)
    end = -2 if head.endswith("/>") else -1
    first = (
        f'{head[:end]} {PLACEHOLDER}><div><span id="{MARK}"></span>{_ids(found[0].ids)}</div>'
        f"</{tag(part)}>"
    )
    pages = "".join(
        f'<div {STUB} style="page: octavo-stub-{k}">{_ids(stub.ids)}</div>'
        for k, stub in enumerate(found[1:], start=1)
    )
    front = "".join(doc.parts[: doc.front])
    return f'{doc.head}<body class="{doc.body_class}">{front}{first}{pages}</body></html>'


def front_css(found: Sequence[Stub], body: int) -> str:
    """Each stub's page counter: counted on from the first unit's first page before the
    first chapter, whatever the front matter's length; from 1 at it (`body`: its offset from
    the first unit's first page)."""
    rules = [FRAME_CSS]
    for k in range(1, len(found)):
        offset = found[k].offset
        if offset >= body:
            rule = f"counter-reset: page {offset - body + 1}"
        else:
            rule = f"counter-increment: page {offset - found[k - 1].offset}"
        rules.append(f"@page octavo-stub-{k} {{ {rule}; }}")
    return "\n".join(rules) + "\n"


# --- a unit's frame ----------------------------------------------------------------------------


def entry_strings(
    front: Sequence[PageRecord], surveyed: Sequence[Sequence[PageRecord]]
) -> list[dict[str, str]]:
    """For each unit, the named strings as they stand where it begins: the last value set on
    any page before it (WeasyPrint's `string()` looks back so far when a page sets none)."""
    current: dict[str, str] = {}
    for page in front:
        current.update(page.strings)
    found = []
    for pages in surveyed:
        found.append(dict(current))
        for page in pages:
            current.update(page.strings)
    return found


def unit_frame_html(
    cut: Split,
    index: int,
    pages: Sequence[PageRecord],
    forced: Sequence[bool],
    entry: Mapping[str, str],
) -> str:
    """A unit's frame: its lead page, then its placeholder among the shells of every other
    part (so that sibling selectors match as in the book)."""
    doc = cut.document
    unit = cut.units[index]
    lead = f"<div {LEAD}>{_strings(entry.items())}</div>"
    before = "".join(shell(p, ELSEWHERE) for p in doc.parts[: unit.first])
    after = "".join(shell(p, ELSEWHERE) for p in doc.parts[unit.first + len(unit.parts) :])
    body = f"{lead}{before}{placeholder(unit, pages, forced)}{after}"
    return f'{doc.head}<body class="{doc.body_class}">{body}</body></html>'


def unit_frame_css(first_counter: int, feet: Sequence[tuple[int, float]] = ()) -> str:
    """The shells hidden, and the page counter such that the unit's first page, the third,
    carries the counter it has in the book. The pages whose folios move (`feet`, the frame's
    pages: pool.py moves them) are named in a comment, for the cache's key."""
    moved = f"/* feet {list(feet)} */\n" if feet else ""
    return (
        f"{FRAME_CSS}[{ELSEWHERE}] {{ display: none !important; }}\n"
        f"@page octavo-lead {{ counter-reset: page {first_counter - LEAD_PAGES}; }}\n{moved}"
    )
