"""Images a chapter refers to: resolved inside the book folder, given one canonical name.

Every image gets the href `images/<slug>-<hash>.<ext>` in the chapter HTML. The EPUB stores the
file under that name; the PDF's URL fetcher maps the same name back to the file. So neither
target ever follows a path the author wrote, and names are always safe for EPUB (no spaces).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it.token import Token

from octavo.errors import SourceError
from octavo.model import Asset
from octavo.slug import slugify

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
IMAGE_DIR = "images"


def _image_tokens(tokens: Sequence[Token]) -> Iterator[tuple[Token, int | None]]:
    """Image tokens with the 1-based source line of the block they sit in."""
    for block in tokens:
        line = block.map[0] + 1 if block.map else None
        for child in block.children or []:
            if child.type == "image":
                yield child, line


def canonical_href(path: Path) -> str:
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:8]
    stem = slugify(path.stem) or "image"
    return f"{IMAGE_DIR}/{stem}-{digest}{path.suffix.lower()}"


def resolve(src: str, source: Path, book_root: Path, line: int | None) -> Asset:
    """The asset an image `src` names, or a one-line error saying why it cannot be used."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        raise SourceError(
            f"image '{src}' is not a file in the book; remote images are not fetched", source, line
        )
    path = (source.parent / unquote(parsed.path)).resolve()
    if not path.is_relative_to(book_root.resolve()):
        raise SourceError(f"image '{src}' lies outside the book folder", source, line)
    if not path.is_file():
        raise SourceError(f"image '{src}' not found", source, line)
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        known = ", ".join(sorted(MEDIA_TYPES))
        raise SourceError(f"image '{src}' is not a supported type ({known})", source, line)
    return Asset(href=canonical_href(path), path=path, media_type=media_type)


def collect(tokens: Sequence[Token], source: Path, book_root: Path) -> tuple[Asset, ...]:
    """Resolve every image in the token stream and point its src at the canonical name."""
    assets: dict[str, Asset] = {}
    for token, line in _image_tokens(tokens):
        asset = resolve(str(token.attrGet("src") or ""), source, book_root, line)
        token.attrSet("src", asset.href)
        assets[asset.href] = asset
    return tuple(assets.values())
