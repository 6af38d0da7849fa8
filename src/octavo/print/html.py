"""The print edition as one HTML document: front matter, chapters, back matter.

The page furniture (folios, running heads) lives in the theme's print.css; this module only
marks up what each page is: `bare` pages (half-title, title, copyright, dedication, epigraph)
carry no furniture, `front` pages (contents) carry a roman folio, `chapter` and `back` pages
carry running heads and arabic folios from the first chapter on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from octavo.book import contents, labels, matter
from octavo.book.matter import chapter_section
from octavo.book.model import Book, Chapter
from octavo.book.pages import FOOTNOTE_SPAN
from octavo.core import scripts
from octavo.source import formulas
from octavo.source.verse import opens_with_poem


@dataclass(frozen=True)
class PrintLook:
    """Theme options for the print edition (theme.toml `[print]`)."""

    opening: str = "small-caps"  # small-caps | drop-cap | none: how a chapter's text begins
    recto_head: str = "title"  # title | chapter: what the running head of a recto shows
    repair: bool = True  # the second layout pass mends hyphens and short pages (second_pass.py)
    language: str = "en-US"  # the language hyphenation follows (see hyphenation_language)
    chapter_label: str = "none"  # words | number | none: "Chapter One" or "1" above the title


def hyphenation_language(language: str) -> str:
    """WeasyPrint takes its hyphenation patterns from `lang`, and a bare `en` silently gets
    British ones: a book that names no region is hyphenated the American way (`en-US`), one that
    says `en-GB` the British way."""
    return "en-US" if language.lower() == "en" else language


def dated(date: str | None) -> str:
    """The book's date as the PDF's creation and modification dates, so that a rebuild of the
    same book gives the same file (PDF/X would otherwise stamp the build's time)."""
    if not date:
        return ""
    return "".join(
        f'<meta name="dcterms.{k}" content="{escape(date)}">' for k in ("created", "modified")
    )


def _footnotes_inline(body_html: str) -> str:
    """Move each footnote to its call, as `<span class="footnote">`, so that CSS
    `float: footnote` sets it at the foot of the page where it is called. A note called twice
    is printed twice, on each page that calls it."""
    if "footnote-ref" not in body_html:
        return body_html
    import copy

    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    notes = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for sup in list(root.iterfind(".//sup[@class='footnote-ref']")):
        link = sup.find("a")
        note = notes.get((link.get("href") or "").lstrip("#")) if link is not None else None
        if note is None:
            continue
        note = copy.deepcopy(note)
        for back in note.iter("a"):
            if set((back.get("class") or "").split()) & {"footnote-backref", "footnote-label"}:
                back.drop_tree()  # the note's own number and its link back to the call
        span = lxml_html.fromstring(f"{FOOTNOTE_SPAN}</span>")
        blocks = note.findall("p") or [note]
        for i, block in enumerate(blocks):
            text = (block.text or "").lstrip() if i == 0 else block.text
            if i:  # a note of several paragraphs runs on, the breaks shown as spaces
                _append_text(span, " ")
            if text:
                _append_text(span, text)
            for child in list(block):
                span.append(child)
        span.tail = sup.tail
        sup.getparent().replace(sup, span)
    for leftover in root.xpath(
        ".//section[@class='footnotes'] | .//div[@class='footnotes'] | .//hr[@class='footnotes-sep']"
    ):
        leftover.drop_tree()
    return (root.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in root
    )


def _append_text(parent: Any, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_HR = re.compile(r"<hr((?:\s+data-line=\"\d+\")?)\s*/?>")


def _scene_breaks(body_html: str) -> str:
    """A scene break is an `<hr>` (with the manuscript line it came from, source/lines.py);
    the paragraph after it starts flush (base.css)."""
    return _HR.sub(r'<hr class="scene-break"\1 />', body_html)


SHORT_TABLE_ROWS = 5  # a table of this many body rows or fewer is kept whole on one page
_TABLE = re.compile(r"<table((?:\s[^>]*)?)>(.*?)</table>", re.S)


def _short_tables(body_html: str) -> str:
    """Mark short tables `class="short-table"`, which print.css keeps whole: CSS cannot count
    a table's rows, and a long table kept whole would leave a hole before it."""

    def mark(match: re.Match[str]) -> str:
        attrs, inside = match[1], match[2]
        rows = inside.split("</thead>")[-1].count("<tr")
        if rows > SHORT_TABLE_ROWS or "<table" in inside or "class=" in attrs:
            return match[0]
        return f'<table class="short-table"{attrs}>{inside}</table>'

    return _TABLE.sub(mark, body_html) if "<table" in body_html else body_html


_OPENING = re.compile(r"^(\s*<p(?:\s+data-line=\"\d+\")?>)([“‘\"'«(\[]*\w)", re.UNICODE)


def _initial(body_html: str) -> str:
    """Mark the first letter of a chapter (with any opening quote) as `<span class="initial">`,
    which the theme may set as a drop cap. A real element, not `::first-letter`: WeasyPrint
    does not move the first line aside for a floated first letter. Scripts without capitals
    (Arabic, Hebrew, Chinese, Japanese…) get none: a letter cut from an Arabic word would lose
    its joining, and a drop cap is not their custom."""
    found = _OPENING.match(body_html)
    if found is None or _caseless(found.group(2)[-1]):
        return body_html
    return _OPENING.sub(r'\1<span class="initial">\2</span>', body_html, count=1)


def _caseless(letter: str) -> bool:
    return letter.isalpha() and letter.upper() == letter.lower()


def _toc(
    chapters: list[Chapter],
    roman: list[Chapter],
    back: list[matter.MatterSection],
    links: bool,
    heading: str = "Contents",
) -> str:
    def entry(target: str, title: str, roman: bool = False, level: int = 0) -> str:
        # target-counter() reads data-ref, so the page number needs no link (KDP wants none)
        label = f'<span class="toc-title">{escape(title)}</span>'
        style = "toc-page roman" if roman else "toc-page"  # a preface has a roman folio
        page = f'<span class="{style}" data-ref="#{target}"></span>'
        li = f'<li class="toc-level-{level}">' if level else "<li>"  # print.css indents it
        if links:
            return f'{li}<a href="#{target}">{label}{page}</a></li>'
        return f"{li}{label}{page}</li>"

    level = dict(zip((c.id for c in chapters), contents.levels(chapters), strict=True))
    items = [entry(c.id, c.title, c in roman, level[c.id]) for c in chapters]
    items += [entry(section.region, section.title) for section in back]
    return (
        f'<nav class="toc" role="doc-toc"><h2 class="toc-heading">{escape(heading)}</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def body_chapters(book: Book) -> tuple[Chapter, ...]:
    """The chapters numbered in arabic: all but front- and back-matter pieces."""
    return tuple(c for c in book.chapters if c.matter == "body") or book.chapters


def _piece(chapter: Chapter) -> str:
    """A dedication or an epigraph from the manuscript: set like book.toml's (matter.py), on a
    page of its own without its title (print.css hides it)."""
    return chapter_section(chapter, chapter.division, formulas.print_html(chapter.body_html))


def _chapter(
    chapter: Chapter,
    first: bool,
    kind: str = "chapter",
    section: bool = False,
    label: str = "",
    level: int = 0,
) -> str:
    classes = f"{kind} first" if first else kind
    if section:
        classes += " section"  # a section with a file of its own: print.css opens a new page
    if level:
        classes += f" level-{level}"  # its level in the contents: the PDF's bookmarks nest
    if kind == "chapter" and opens_with_poem(chapter.body_html):
        classes += " poem"  # a poem of a collection: print.css begins it on a new page
    body = formulas.print_html(chapter.body_html)  # SVG pictures: WeasyPrint draws no MathML
    body = _initial(_short_tables(_scene_breaks(_footnotes_inline(body))))
    return chapter_section(chapter, classes, body, label)


def _kind(chapter: Chapter) -> str:
    """A part has a title page of its own (print.css); every other body piece is a chapter."""
    return "part" if chapter.division == "part" else "chapter"


@dataclass(frozen=True)
class PrintDocument:
    """The print HTML in its parts: each of `parts` is one element, a child of `<body>`. The
    first `front` of them are the front matter (half-title to contents); each part after them
    is a chapter or section of the book, or what follows the last (print/units.py lays these
    out apart)."""

    head: str  # from <!DOCTYPE html> to </head>
    body_class: str
    parts: tuple[str, ...]
    front: int

    def html(self) -> str:
        return f'{self.head}<body class="{self.body_class}">{"".join(self.parts)}</body></html>'


def body_class(look: PrintLook) -> str:
    """The theme options print.css reads, as classes of the body (no small-caps or drop-cap
    opening in a script without capitals)."""
    opening = look.opening if scripts.cased(look.language) else "none"
    return f"opening-{opening} recto-{look.recto_head}"


def print_html(
    book: Book,
    font_family: str,
    look: PrintLook = PrintLook(),
    links: bool = True,
    blank_last_page: bool = False,
) -> str:
    """The whole book as one HTML document, front matter first."""
    return print_document(book, font_family, look, links, blank_last_page).html()


def print_document(
    book: Book,
    font_family: str,
    look: PrintLook = PrintLook(),
    links: bool = True,
    blank_last_page: bool = False,
) -> PrintDocument:
    """The whole book, front matter first, in parts (see PrintDocument)."""
    cfg = book.config
    back = matter.back_matter(cfg)
    body = body_chapters(book)
    front = [c for c in book.chapters if c.matter == "front" and c not in body]
    after = [c for c in book.chapters if c.matter == "back" and c not in body]
    pieces = [c for c in front if matter.is_display_piece(c)]  # no title, no folio
    prefaces = [c for c in front if not matter.is_display_piece(c)]  # foreword, preface
    parts = [
        matter.half_title(cfg),
        f'<section class="title-page">{matter.title_page(cfg)}</section>',
        f'<section class="copyright">{matter.copyright_page(cfg, font_family)}</section>',
        *(section.html for section in matter.front_matter(cfg)),
        *(_piece(c) for c in pieces),
    ]
    listed = [*prefaces, *body, *after]
    if len(listed) + len(back) > 1:
        parts.append(_toc(listed, prefaces, back, links, cfg.label("contents")))
    opening = len(parts)  # the front matter's parts end here
    parts += [_chapter(c, first=False, kind="front-chapter") for c in prefaces]
    sections = contents.sections(book.chapters)
    numbered = labels.chapter_labels(book, look.chapter_label)
    level = dict(zip((c.id for c in book.chapters), contents.levels(book.chapters), strict=True))
    parts += [
        _chapter(c, i == 0, _kind(c), c.id in sections, numbered.get(c.id, ""), level[c.id])
        for i, c in enumerate(body)
    ]
    parts += [_chapter(c, first=False, kind="back-matter") for c in after]
    parts += [section.html for section in back]
    if blank_last_page:
        parts.append('<div class="last-blank"></div>')
    meta = "".join(f'<meta name="author" content="{escape(a)}">' for a in cfg.authors)
    if cfg.description:
        meta += f'<meta name="description" content="{escape(cfg.description)}">'
    meta += dated(cfg.date)
    head = (
        f'<!DOCTYPE html><html lang="{escape(look.language)}" '
        f'dir="{scripts.direction(look.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(cfg.title)}</title>{meta}</head>"
    )
    opening -= sum(1 for p in parts[:opening] if not p)
    return PrintDocument(head, body_class(look), tuple(p for p in parts if p), opening)
