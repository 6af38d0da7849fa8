"""Front matter made from book.toml: half-title, title page and copyright page, as HTML
fragments both targets share (each target wraps them in its own page furniture)."""

from __future__ import annotations

from html import escape

from octavo.config import Config


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
    lines = []
    year = (config.date or "")[:4]
    if config.rights:
        lines.append(escape(config.rights))
    elif config.authors and year:
        lines.append(f"Copyright © {escape(year)} {escape(config.author_line)}")
    if config.isbn:
        lines.append(f"ISBN {escape(config.isbn)}")
    if config.publisher:
        lines.append(f"Published by {escape(config.publisher)}")
    lines.append(f"Set in {escape(font_family)}. Made with octavo.")
    return lines


def copyright_page(config: Config, font_family: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in copyright_lines(config, font_family))
    return f'<div class="copyright-text">{body}</div>'
