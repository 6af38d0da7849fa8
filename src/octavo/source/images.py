"""Images a chapter refers to: resolved inside the book folder, checked, given one canonical name.

Every image gets the href `images/<slug>-<hash>.<ext>` in the chapter HTML. The EPUB stores the
file under that name; the PDF's URL fetcher maps the same name back to the file. So neither
target ever follows a path the author wrote, and names are always safe for EPUB (no spaces).

Two kinds of trouble, told apart on purpose:
- a *broken* image (missing, unreadable, corrupt, far too large, of an unknown type) is the
  author's own file gone wrong: the build stops with an error naming it;
- an image that *reaches outside the book* (a remote URL, a `file:` URL, a path or symlink
  leaving the book folder, an SVG with XML entities, scripts or outside references) is refused
  with a warning and left out; its alt text stands in its place, so no words are lost.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator, Sequence
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it.token import Token

from octavo.book.model import Asset
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.slug import slugify

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
# What Pillow calls each format, to catch a JPEG saved as `.png` (EPUBCheck rejects a file
# whose bytes do not match its declared media type).
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
IMAGE_DIR = "images"
# Far beyond any print need (a 300 dpi A3 page is 17.4 megapixels), yet a decoded 50 MP image
# fits in memory. Larger ones are decompression bombs or scans nobody meant to ship.
MAX_PIXELS = 50_000_000
MAX_BYTES = 50 * 1024 * 1024


class ImageRefused(Exception):
    """An image that reaches outside the book: left out with a warning, never fetched."""


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


def _located(src: str, source: Path, book_root: Path) -> Path:
    """The file `src` names, or ImageRefused when that is not a file inside the book."""
    parsed = urlparse(src)
    if parsed.scheme in {"http", "https", "ftp"} or parsed.netloc:
        raise ImageRefused(f"'{src}' is remote; octavo never fetches from the network")
    if parsed.scheme:
        raise ImageRefused(f"'{src}' is a '{parsed.scheme}:' URL, not a file in the book")
    path = (source.parent / unquote(parsed.path)).resolve()
    if not path.is_relative_to(book_root.resolve()):
        raise ImageRefused(f"'{src}' lies outside the book folder")
    return path


def _check_svg(path: Path, src: str, where: tuple[Path, int | None]) -> None:
    from octavo.source import svg

    problem = svg.problem(path)
    if problem is None:
        return
    broken, reason = problem
    if broken:
        raise SourceError(f"image '{src}' is not a valid SVG file: {reason}", *where)
    raise ImageRefused(f"'{src}': {reason}")


def _check_raster(path: Path, media_type: str, src: str, where: tuple[Path, int | None]) -> None:
    """Open and decode the image: corrupt, truncated or oversized files stop the build here,
    with their name, rather than deep inside WeasyPrint or a reading system."""
    from PIL import ImageFile

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when it is imported, which
    # would let a cut-off file decode as half a picture: check with Pillow's strict default.
    truncated_ok, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        _decode(path, media_type, src, where)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok


def _decode(path: Path, media_type: str, src: str, where: tuple[Path, int | None]) -> None:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise SourceError(
                        f"image '{src}' is {width}×{height} pixels "
                        f"({width * height / 1e6:.0f} megapixels); octavo accepts at most "
                        f"{MAX_PIXELS // 1_000_000}: scale it down",
                        *where,
                    )
                expected = PILLOW_FORMATS[media_type]
                if image.format != expected:
                    raise SourceError(
                        f"image '{src}' holds {image.format} data, not {expected}: "
                        "save it with the right extension",
                        *where,
                    )
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # fast, whole
                image.load()
        except SourceError:
            raise
        except Image.DecompressionBombError:
            raise SourceError(
                f"image '{src}' is far too large (far beyond {MAX_PIXELS // 1_000_000} "
                f"megapixels, octavo accepts at most {MAX_PIXELS // 1_000_000}): scale it down",
                *where,
            ) from None
        except Exception as exc:  # Pillow reports corrupt data with many exception types
            reason = str(exc).split("\n")[0] or type(exc).__name__
            raise SourceError(f"image '{src}' is corrupt: {reason}", *where) from None


class ImageBroken(ImageRefused):
    """A broken image left out while checking: `octavo check` reports it under its own code."""


def resolve(
    src: str, source: Path, book_root: Path, line: int | None, lenient: bool = False
) -> Asset:
    """The asset an image `src` names. Raises SourceError for a broken image (ImageBroken when
    `lenient`, so a check can go on), ImageRefused for one that reaches outside the book."""
    try:
        return _resolve(src, source, book_root, line)
    except SourceError as exc:
        if lenient:
            raise ImageBroken(exc.message) from None
        raise


def _resolve(src: str, source: Path, book_root: Path, line: int | None) -> Asset:
    where = (source, line)
    path = _located(src, source, book_root)
    if not path.is_file():
        raise SourceError(f"image '{src}' not found", *where)
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        known = ", ".join(sorted(MEDIA_TYPES))
        raise SourceError(f"image '{src}' is not a supported type ({known})", *where)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(
            f"image '{src}' is {size / 2**20:.0f} MB; octavo accepts at most "
            f"{MAX_BYTES // 2**20} MB: scale or compress it",
            *where,
        )
    if size == 0:
        raise SourceError(f"image '{src}' is an empty file", *where)
    if media_type == "image/svg+xml":
        _check_svg(path, src, where)
    else:
        _check_raster(path, media_type, src, where)
    return Asset(href=canonical_href(path), path=path, media_type=media_type)


def refusal(reason: ImageRefused, source: Path, line: int | None) -> list[Diagnostic]:
    """The warning for a refused image; none for a broken one (check's S006 reports those)."""
    if isinstance(reason, ImageBroken):
        return []
    return [codes.get("H003").at(source, line, None, str(reason))]


def left_out(alt: str) -> str:
    """What stands in for a refused image: its alt text, so its words stay in the book."""
    return f'<span class="image-left-out">{escape(alt)}</span>' if alt else ""


def _leave_out(token: Token) -> None:
    alt = "".join(child.content for child in token.children or [])
    token.type, token.tag, token.attrs, token.children = "html_inline", "", {}, None
    token.content = left_out(alt)


def collect(
    tokens: Sequence[Token], source: Path, book_root: Path, lenient: bool = False
) -> tuple[tuple[Asset, ...], tuple[Diagnostic, ...]]:
    """Resolve every image in the token stream and point its src at the canonical name;
    refused images become their alt text, with a warning."""
    assets: dict[str, Asset] = {}
    refused: list[Diagnostic] = []
    for token, line in _image_tokens(tokens):
        try:
            asset = resolve(str(token.attrGet("src") or ""), source, book_root, line, lenient)
        except ImageRefused as reason:
            refused.extend(refusal(reason, source, line))
            _leave_out(token)
            continue
        token.attrSet("src", asset.href)
        assets[asset.href] = asset
    return tuple(assets.values()), tuple(refused)
