"""Front and back matter made from book.toml, as HTML fragments both targets share (each target
wraps them in its own page furniture).

Front matter, in the trade's order: half-title (the title alone), title page, copyright page
(rights, ISBN, edition, publisher, and a colophon naming the type), dedication, epigraph (a
quotation that sets the tone). Back matter: acknowledgements, about the author.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from octavo.book import divisions
from octavo.book.config import Config
from octavo.book.model import Chapter, Matter


def half_title(config: Config) -> str:
    return f'<section class="half-title"><p class="book-title">{escape(config.title)}</p></section>'


def title_page(config: Config) -> str:
    parts = [f'<h1 class="book-title">{escape(config.title)}</h1>']
    if config.subtitle:
        parts.append(f'<p class="subtitle">{escape(config.subtitle)}</p>')
    if config.authors:
        parts.append(f'<p class="author">{escape(config.author_line)}</p>')
    if config.publisher:
        parts.append(f'<p class="publisher">{escape(config.publisher)}</p>')
    return "".join(parts)


def copyright_lines(config: Config, font_family: str) -> list[str]:
    """The copyright page's lines, in the book's language (book/labels.py)."""
    lines = []
    year = (config.date or "")[:4]
    if config.rights:
        lines.append(config.rights)
    elif config.authors and year:
        lines.append(config.label("copyright", year=year, holder=config.author_line))
    if config.edition:
        lines.append(config.edition)
    if config.isbn and config.print_isbn and config.isbn != config.print_isbn:
        lines.append(config.label("isbn_paperback", isbn=config.print_isbn))
        lines.append(config.label("isbn_ebook", isbn=config.isbn))
    elif config.isbn or config.print_isbn:
        lines.append(f"ISBN {config.isbn or config.print_isbn or ''}")
    if config.publisher:
        lines.append(config.label("published_by", publisher=config.publisher))
    lines.append(config.label("colophon", font=font_family))
    return [escape(line) for line in lines]


def copyright_page(config: Config, font_family: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in copyright_lines(config, font_family))
    return f'<div class="copyright-text">{body}</div>'


def paragraphs(text: str) -> str:
    """book.toml text → <p> elements: paragraphs are separated by blank lines."""
    blocks = [" ".join(b.split()) for b in text.replace("\r", "").split("\n\n")]
    return "".join(f"<p>{escape(b)}</p>" for b in blocks if b)


@dataclass(frozen=True)
class MatterSection:
    """A page of front or back matter made from book.toml, the same `<section>` in both
    editions. Its `region` is its id, its EPUB file's stem and its name in the page map
    (book/pages.py), so the print edition's pages of it can be found in the EPUB."""

    region: str
    title: str  # the heading of a back-matter section; a display page shows none
    matter: Matter
    html: str


def _dedication(config: Config) -> MatterSection | None:
    if not config.dedication:
        return None
    html = (
        '<section id="dedication" epub:type="dedication" role="doc-dedication" '
        f'class="dedication">{paragraphs(config.dedication)}</section>'
    )
    return MatterSection("dedication", config.label("dedication"), "front", html)


def _epigraph(config: Config) -> MatterSection | None:
    """The quotation, then its source, set apart after it (right-aligned, after a dash): the
    source is no part of the quotation, so it stands outside the `<blockquote>`."""
    if not config.epigraph:
        return None
    source = ""
    if config.epigraph_source:
        source = f'<p class="epigraph-source">{escape(config.epigraph_source)}</p>'
    html = (
        '<section id="epigraph" epub:type="epigraph" role="doc-epigraph" class="epigraph">'
        f"<blockquote>{paragraphs(config.epigraph)}</blockquote>{source}</section>"
    )
    return MatterSection("epigraph", config.label("epigraph"), "front", html)


# book.toml key (also its heading's label, book/labels.py) → (region, epub:type, DPUB-ARIA
# role). Neither vocabulary has a term
# for an author's biography but DAISY's Z39.98 structural vocabulary, which EPUB allows with its
# prefix; DPUB-ARIA has no role for it, so that section is a region named by its heading.
BACK_MATTER = (
    ("acknowledgements", "acknowledgements", "acknowledgments", "doc-acknowledgments"),
    ("about_author", "about-author", "z3998:biographical-note", None),
)  # fmt: skip


def _back(region: str, title: str, epub_type: str, role: str | None, text: str) -> MatterSection:
    role_attr = f' role="{role}"' if role else ""
    html = (
        f'<section id="{region}" epub:type="{epub_type}"{role_attr} class="back-matter" '
        f'aria-labelledby="{region}-title">'
        f'<h1 class="chapter-title" id="{region}-title">{escape(title)}</h1>'
        f'<div class="chapter-body">{paragraphs(text)}</div></section>'
    )
    return MatterSection(region, title, "back", html)


def front_matter(config: Config) -> list[MatterSection]:
    """Dedication and epigraph, in that order: after the copyright page, before the contents."""
    return [s for s in (_dedication(config), _epigraph(config)) if s]


def back_matter(config: Config) -> list[MatterSection]:
    """Acknowledgements and about the author, in that order: after the last chapter, titled in
    the book's language."""
    found = []
    for key, region, epub_type, role in BACK_MATTER:
        text = getattr(config, key)
        if text:
            found.append(_back(region, config.label(key), epub_type, role, text))
    return found


# Manuscript pieces set like book.toml's dedication and epigraph: a page of their own, without
# their title, before the contents.
DISPLAY_PIECES = frozenset({"dedication", "epigraph"})


def is_display_piece(chapter: Chapter) -> bool:
    return chapter.matter == "front" and chapter.division in DISPLAY_PIECES


def regions(config: Config) -> set[str]:
    """The names book.toml's matter takes in this book: no chapter may take them too."""
    return {s.region for s in (*front_matter(config), *back_matter(config))}


def chapter_heading(chapter: Chapter) -> str:
    """The chapter's title (`h1.chapter-title`, which carries the chapter's id), with its
    subtitle under it when the chapter has one: the two then make an `<hgroup>`, the subtitle a
    `<p>` marked `doc-subtitle`. Only the title names the chapter in the contents, the
    bookmarks and the running heads."""
    title = f'<h1 class="chapter-title" id="{chapter.id}">{chapter.title_html}</h1>'
    if not chapter.subtitle:
        return title
    subtitle = (
        '<p class="chapter-subtitle" epub:type="subtitle" role="doc-subtitle">'
        f"{escape(chapter.subtitle)}</p>"
    )
    return f'<hgroup class="chapter-heading">{title}{subtitle}</hgroup>'


def chapter_section(chapter: Chapter, classes: str, body_html: str, label: str = "") -> str:
    """A manuscript piece as both editions set it: a `<section>` holding its heading
    (chapter_heading) and its body (`div.chapter-body`), with the chapter's label ("Chapter
    One", book/labels.py) above the title when the design asks for one. The page map names
    places by counting elements inside this section (book/pages.py), so the EPUB and the print
    HTML both make it here; each target chooses its classes and both get the same labels."""
    division = divisions.get(chapter.division)
    above = f'<p class="chapter-label">{escape(label)}</p>' if label else ""
    return (
        f'<section epub:type="{division.name}" role="{division.role}" '
        f'class="{classes}" aria-labelledby="{chapter.id}">{above}'
        f"{chapter_heading(chapter)}"
        f'<div class="chapter-body">{body_html}</div></section>'
    )
