"""The front cover every book gets: the configured image, or one set in type from the book's
title, subtitle and author with the theme's fonts (WeasyPrint lays it out, pdfium rasterises).

Stores ask for covers of at least 1600 × 2560 pixels in the ratio 1 : 1.6; a configured cover
that falls short is used all the same, with a warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

from octavo.book.config import Config
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.output import atomic_path
from octavo.source.confine import COVER_TYPES
from octavo.themes import Theme, fonts
from octavo.weasy import document as weasy

WIDTH, HEIGHT = 1600, 2560  # pixels: what the big stores recommend
RATIO = HEIGHT / WIDTH


@dataclass(frozen=True)
class Cover:
    data: bytes
    media_type: str
    href: str  # inside the EPUB's content folder
    alt: str
    width: int
    height: int
    generated: bool


def alt_text(config: Config) -> str:
    """What a cover of this book shows, as text: title, subtitle, author."""
    parts = [config.title, config.subtitle or "", config.author_line]
    return " — ".join(p for p in parts if p)


def _size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def configured(config: Config) -> Cover | None:
    """The cover named in book.toml (checked when the book was loaded: source/confine.py)."""
    if config.cover is None:
        return None
    data = config.cover.read_bytes()
    width, height = _size(data)
    media_type = COVER_TYPES[config.cover.suffix.lower()]
    ext = ".jpg" if media_type == "image/jpeg" else ".png"
    return Cover(data, media_type, f"images/cover{ext}", alt_text(config), width, height, False)


def _system_covers(ch: str) -> bool:
    """Whether any installed font has the character (WeasyPrint falls back to those)."""
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run(
        [fc_list, f":charset={ord(ch):x}", "file"], capture_output=True, check=False, timeout=30
    )
    return bool(found.stdout.strip())


def missing_glyphs(text: str, theme: Theme) -> list[str]:
    """Characters of `text` that no font can draw: they would come out as empty boxes."""
    covered = fonts.coverage(theme.faces)
    wanted = sorted({c for c in text if not c.isspace() and ord(c) not in covered})
    return [c for c in wanted if not _system_covers(c)]


def diagnostics(cover: Cover, config: Config, theme: Theme) -> tuple[Diagnostic, ...]:
    """Warnings for a configured cover that stores would reject or show blurred, or for a
    typographic cover whose text no installed font can draw."""
    where = config.path
    if cover.generated:
        missing = missing_glyphs(alt_text(config), theme)
        if not missing:
            return ()
        detail = (
            f"{''.join(missing[:12])}: no installed font has them; give the book a cover image "
            "('cover' in book.toml)"
        )
        return (codes.get("E003").at(where, None, None, detail),)
    found = []
    if cover.width < WIDTH or cover.height < HEIGHT:
        detail = f"{cover.width} × {cover.height} pixels; stores want at least {WIDTH} × {HEIGHT}"
        found.append(codes.get("E001").at(where, None, None, detail))
    if abs(cover.height / cover.width - RATIO) > 0.02 * RATIO:
        ratio = cover.height / cover.width
        detail = f"{cover.width} × {cover.height} pixels (1 : {ratio:.2f}); stores expect 1 : 1.6"
        found.append(codes.get("E002").at(where, None, None, detail))
    return tuple(found)


def cover_html(config: Config) -> str:
    title = escape(config.title)
    length = "long" if len(config.title) > 40 else "medium" if len(config.title) > 18 else "short"
    subtitle = f'<p class="subtitle">{escape(config.subtitle)}</p>' if config.subtitle else ""
    author = f'<p class="author">{escape(config.author_line)}</p>' if config.authors else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(config.language)}"><head><meta charset="utf-8">'
        f'<title>{title}</title></head><body class="{length}"><main>'
        f'<h1 class="title">{title}</h1>{subtitle}<hr/>{author}</main></body></html>'
    )


def _page_css() -> str:
    # WeasyPrint's px is 1/96 in; rendering at 4/3 then gives exactly WIDTH × HEIGHT pixels.
    return f"@page {{ size: {WIDTH}px {HEIGHT}px; margin: 0; }}"


def _rasterise(html_text: str, stylesheets: list[str], theme: Theme) -> bytes:
    import pypdfium2 as pdfium

    folders = [theme.folder, *theme.parents, *theme.font_folders]
    document = weasy.render(
        html_text, stylesheets, base=theme.folder, css_base=theme.folder, roots=folders
    )
    pdf = pdfium.PdfDocument(weasy.write_pdf(document))
    try:
        page = pdf[0]
        image = page.render(scale=WIDTH / page.get_width()).to_pil().convert("RGB")
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "octavo" / "covers"


def _cache_key(html_text: str, stylesheets: list[str], theme: Theme) -> str:
    from importlib.metadata import version

    fonts = [(str(f.path), f.path.stat().st_size) for f in theme.faces]
    tools = [version(name) for name in ("weasyprint", "pypdfium2", "pillow")]
    seed = json.dumps([html_text, stylesheets, fonts, tools, WIDTH, HEIGHT])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def generated(config: Config, theme: Theme) -> Cover:
    """A typographic cover in the theme's type: title, subtitle, author.

    Laying it out takes seconds (WeasyPrint subsets the theme's variable fonts into the
    intermediate PDF), so the image is kept in the user's cache, keyed by everything it is
    made from; the bytes are the same either way."""
    html_text = cover_html(config)
    stylesheets = [theme.font_face_css(), theme.css("cover.css"), _page_css()]
    cached = cache_dir() / f"{_cache_key(html_text, stylesheets, theme)}.png"
    try:
        data = cached.read_bytes()
    except OSError:
        data = _rasterise(html_text, stylesheets, theme)
        with contextlib.suppress(OSError):  # a read-only home only costs the next build time
            cached.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(cached) as tmp:
                tmp.write_bytes(data)
    width, height = _size(data)
    return Cover(data, "image/png", "images/cover.png", alt_text(config), width, height, True)


def cover_for(config: Config, theme: Theme) -> Cover:
    return configured(config) or generated(config, theme)
