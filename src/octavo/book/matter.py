"""Front and back matter made from book.toml, as HTML fragments both targets share (each target
wraps them in its own page furniture).

Front matter, in the trade's order: half-title (the title alone), title page, copyright page
(rights, ISBN, edition, publisher, and a colophon naming the type), dedication, epigraph (a
quotation that sets the tone). Back matter: acknowledgements, about the author.
"""

from __future__ import annotations

from html import escape

from octavo.book import divisions
from octavo.book.config import Config
from octavo.book.model import Chapter


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


def dedication(config: Config) -> str:
    if not config.dedication:
        return ""
    return f'<section class="dedication" role="doc-dedication">{paragraphs(config.dedication)}</section>'


def epigraph(config: Config) -> str:
    if not config.epigraph:
        return ""
    source = ""
    if config.epigraph_source:
        source = f'<p class="epigraph-source">{escape(config.epigraph_source)}</p>'
    return (
        f'<section class="epigraph" role="doc-epigraph"><blockquote>{paragraphs(config.epigraph)}'
        f"</blockquote>{source}</section>"
    )


BACK_MATTER = (  # book.toml key (also its label's, book/labels.py), ARIA role
    ("acknowledgements", "doc-acknowledgments"),
    ("about_author", "doc-appendix"),
)


def back_matter(config: Config) -> list[tuple[str, str, str]]:
    """(id, title, HTML of the section body) for each back-matter section book.toml gives,
    titled in the book's language."""
    found = []
    for key, _role in BACK_MATTER:
        text = getattr(config, key)
        if text:
            found.append((key.replace("_", "-"), config.label(key), paragraphs(text)))
    return found


def chapter_section(chapter: Chapter, classes: str, body_html: str, label: str = "") -> str:
    """A manuscript piece as both editions set it: a `<section>` holding its title
    (`h1.chapter-title`, which carries the chapter's id) and its body (`div.chapter-body`),
    with the chapter's label ("Chapter One", book/labels.py) above the title when the design
    asks for one. The page map names places by counting elements inside this section
    (book/pages.py), so the EPUB and the print HTML both make it here; each target chooses
    its classes and both get the same labels."""
    division = divisions.get(chapter.division)
    above = f'<p class="chapter-label">{escape(label)}</p>' if label else ""
    return (
        f'<section epub:type="{division.name}" role="{division.role}" '
        f'class="{classes}" aria-labelledby="{chapter.id}">{above}'
        f'<h1 class="chapter-title" id="{chapter.id}">{chapter.title_html}</h1>'
        f'<div class="chapter-body">{body_html}</div></section>'
    )
