"""Running heads that never wrap: the verso's (the author) and the recto's (the book's title, or
the chapter's in a theme whose `recto_head` is `chapter`), shortened until they fit the measure,
or as book.toml sets them (`running_head = { verso = "…", recto = "…" }`).

A running head set on two lines runs into the text block. CSS cannot shorten a string, so the
heads are measured before the layout: a three-page probe laid out with the book's own style
sheets gives the margin boxes' style and width, Pango measures each candidate in it, and the
first that fits is set with `string-set` in a small style sheet after the theme's. Heads short
enough to fit anyway (most books) skip the probe.

Shorter forms, tried in order: the whole text; for authors, their surnames, then the first
author "et al."; for a title, the part before its colon or dash; last, as many words as fit,
with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from octavo.book.model import Book
from octavo.print.geometry import Geometry

Fits = Callable[[str, str], bool]  # (text, side: "verso" | "recto") → whether it fits
SURE_EM = 0.45  # a head under this many ems a character of the measure always fits


@dataclass(frozen=True)
class Heads:
    """The heads to set: the verso's, the book's recto (None: the theme's own), and the
    recto of each chapter whose title had to be shortened (by the title's element id)."""

    verso: str | None
    recto: str | None
    chapters: tuple[tuple[str, str], ...] = ()


def _words_cut(text: str) -> Iterator[str]:
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        yield " ".join(words[:n]).rstrip(",;:—–-") + "…"


def author_forms(
    authors: tuple[str, ...], line: str, conjunction: Callable[[str, str], str]
) -> list[str]:
    """The author line, then shorter ways to name the same people."""
    forms = [line]
    if len(authors) > 1:
        surnames = [a.split()[-1] for a in authors]
        joined = ", ".join(surnames[:-1])
        forms.append(conjunction(joined, surnames[-1]))
        forms.append(f"{authors[0]} et al.")
        forms.append(f"{surnames[0]} et al.")
    elif "," in line or " with " in line:
        first = re.split(r",| with ", line)[0].strip()
        forms += [f"{first} et al.", f"{first.split()[-1]} et al."]
    return [*forms, *_words_cut(forms[-1])]


def title_forms(title: str) -> list[str]:
    """A title, then its main part (before a colon or a dash), then fewer words."""
    forms = [title]
    main = re.split(r"\s*[:—–]\s*|\s+-\s+", title)[0].strip()
    if main and main != title:
        forms.append(main)
    return [*forms, *_words_cut(forms[-1])]


def shortest_fitting(forms: list[str], side: str, fits: Fits) -> str:
    return next((f for f in forms if fits(f, side)), forms[-1])


def heads_for(book: Book, recto_head: str, fits: Fits) -> Heads:
    """The heads of this book, each shortened until `fits` accepts it."""
    cfg = book.config
    verso, recto = cfg.running_head
    if verso is None and cfg.authors:
        forms = author_forms(cfg.authors, cfg.author_line, lambda a, b: cfg.label("and", a=a, b=b))
        if forms[0] != (found := shortest_fitting(forms, "verso", fits)):
            verso = found
    chapters: list[tuple[str, str]] = []
    if recto is None and recto_head == "title":
        if (found := shortest_fitting(title_forms(cfg.title), "recto", fits)) != cfg.title:
            recto = found
    elif recto is None:
        for chapter in book.chapters:
            found = shortest_fitting(title_forms(chapter.title), "recto", fits)
            if found != chapter.title:
                chapters.append((chapter.id, found))
    return Heads(verso, recto, tuple(chapters))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def heads_css(heads: Heads) -> str:
    """`string-set` rules that outrank print.css's own (which set the heads from the title
    page, the half-title and each chapter's title)."""
    rules = []
    if heads.verso is not None:
        value = f"string-set: book-author {_css_string(heads.verso)}"
        rules.append(f"body > .half-title, body > .title-page .author {{ {value}; }}")
    if heads.recto is not None:
        value = f"string-set: recto-head {_css_string(heads.recto)}"
        rules.append(
            ".recto-title > .half-title .book-title, .recto-chapter > .half-title .book-title,"
            f" .recto-title h1.chapter-title, .recto-chapter h1.chapter-title {{ {value}; }}"
        )
    for ident, text in heads.chapters:
        rules.append(f"h1#{ident} {{ string-set: recto-head {_css_string(text)}; }}")
    return "\n".join(rules)


def surely_fits(book: Book, geometry: Geometry, recto_head: str) -> bool:
    """Whether every head is short enough to need no measuring (the heads are set smaller
    than the text; a character of small capitals with tracking is well under half an em)."""
    cfg = book.config
    measure = geometry.trim.width - geometry.margins.inner - geometry.margins.outer
    texts = [cfg.author_line, cfg.title]
    if recto_head != "title":
        texts += [c.title for c in book.chapters]
    longest = max(len(t) for t in texts)
    return longest * SURE_EM * 11.0 < measure


# --- measuring in the margin boxes' own style ---------------------------------------------


PROBE = (
    '<section class="chapter"><h1 class="chapter-title">M</h1><div class="chapter-body">'
    '<p>M</p><p style="break-before: page">M</p><p style="break-before: page">M</p>'
    "</div></section>"
)
PROBE_CSS = 'body { string-set: book-author "M", recto-head "M"; }'


def margin_styles(document: Any) -> dict[str, tuple[Any, float]]:
    """From a laid-out probe: the style of the text of each running head and the width it may
    take (the page's content width), by side."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, tuple[Any, float]] = {}
    for page in document.pages:
        page_box = page._page_box
        for box in page_box.children:
            if not isinstance(box, boxes.MarginBox) or not box.at_keyword.startswith("@top"):
                continue
            texts = [d for d in box.descendants() if isinstance(d, boxes.TextBox)]
            if texts:
                side = "verso" if page_box.page_type.side == "left" else "recto"
                found.setdefault(side, (texts[0].style, float(page_box.width)))
    return found


def pango_fits(styles: dict[str, tuple[Any, float]]) -> Fits:
    from weasyprint.text.line_break import create_layout, line_size

    def fits(text: str, side: str) -> bool:
        if side not in styles:
            return True  # the theme prints no head on that side
        style, width = styles[side]
        layout = create_layout(text, style, None, None, 0)
        return float(line_size(layout.get_first_line()[0], style)[0]) <= width - 1.0

    return fits
