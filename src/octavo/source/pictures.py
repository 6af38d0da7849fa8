"""The copy of each picture an edition embeds: the original, or a smaller one made once.

- **EPUB.** A raster longer than EPUB_MAX_SIDE px on its longest side, or of more than
  EPUB_MAX_PIXELS in all, is downsampled (Lanczos) to fit both caps: 2048 px and 3.2 megapixels,
  what the stores accept and more than any reading device shows. A JPEG is saved again at the
  quality its quantisation tables show it was saved at (and its chroma subsampling), a PNG is
  optimised, a WebP is saved at quality WEBP_QUALITY; the ICC profile is kept and the EXIF
  orientation applied. GIF (it may move) and SVG (it has no pixels) are never touched; neither
  is an image within the caps.
- **Print.** A raster is embedded as it is unless it holds far more pixels than print needs:
  beyond FAR_LARGER × PRINT_DPI at the largest size it can print (the text block), it is
  downsampled to PRINT_DPI at that size. The printed page keeps at least PRINT_DPI: a picture
  never prints larger than the text block, and print/pictures.py only ever makes it smaller.

Making a copy of a large picture takes a second or more, so it is done once: copies are kept in
the user's cache (`$XDG_CACHE_HOME/octavo/images`, by default `~/.cache/octavo/images`), named
by the SHA-256 of the original's bytes and the settings that made them. A cache that cannot be
written costs only time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from octavo.book.model import Asset
from octavo.core.output import atomic_path

EPUB_MAX_SIDE = 2048  # px, the longest side
EPUB_MAX_PIXELS = 3_200_000
PRINT_DPI = 300
FAR_LARGER = 1.5  # a print copy is made only beyond this many times PRINT_DPI
WEBP_QUALITY = 90
JPEG_MAX_QUALITY = 95  # a higher estimate only makes a larger file of the same picture
RESAMPLED = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
VERSION = 1  # of the way copies are made: a change makes new copies
POINTS_PER_INCH = 72.0

# libjpeg's luminance table at quality 50: a JPEG's own table is this one scaled by its quality.
_IJG_LUMINANCE = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "octavo" / "images"


@dataclass(frozen=True)
class Fit:
    """The largest size, in pixels, a copy needs (aspect kept): none beyond it."""

    width: int
    height: int
    pixels: int

    def scale(self, width: int, height: int) -> float:
        """The factor (< 1) a width × height image must shrink by to fit, or 1."""
        area = (self.pixels / (width * height)) ** 0.5 if width * height > self.pixels else 1.0
        return min(1.0, self.width / width, self.height / height, area)


EPUB_FIT = Fit(EPUB_MAX_SIDE, EPUB_MAX_SIDE, EPUB_MAX_PIXELS)


def jpeg_quality(image: Any) -> int:
    """The quality a JPEG was saved at, read off its luminance table (libjpeg's scaling)."""
    tables = getattr(image, "quantization", None) or {}
    table = tables.get(0)
    if not table or len(table) != len(_IJG_LUMINANCE):
        return 90
    scale = 100.0 * sum(table) / sum(_IJG_LUMINANCE)
    quality = 5000.0 / scale if scale > 100 else (200.0 - scale) / 2
    return int(max(1, min(JPEG_MAX_QUALITY, round(quality))))


def _save(image: Any, resized: Any, kind: str) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    if kind == "JPEG":
        from PIL import JpegImagePlugin

        options["quality"] = jpeg_quality(image)
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling >= 0:
            options["subsampling"] = sampling
        if resized.mode not in {"RGB", "L", "CMYK"}:
            resized = resized.convert("RGB")
    elif kind == "PNG":
        options["optimize"] = True
    else:
        options["quality"] = WEBP_QUALITY
    resized.save(out, format=kind, **options)
    return out.getvalue()


def _resample(data: bytes, kind: str, scale: float) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image) or image
        if upright.mode not in {"RGB", "RGBA", "L", "LA", "CMYK"}:
            keep_alpha = upright.mode in {"P", "PA"} and "transparency" in upright.info
            upright = upright.convert("RGBA" if keep_alpha or "A" in upright.mode else "RGB")
        size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
        resized = upright.resize(size, Image.Resampling.LANCZOS)
        return _save(image, resized, kind)


def _size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in {5, 6, 7, 8} else (width, height)


def _cached(key: str, suffix: str, make: Any) -> tuple[bytes, Path | None]:
    """The bytes made for `key`, from the cache or made now and kept there (if it can be)."""
    path = cache_dir() / f"{key}{suffix}"
    with contextlib.suppress(OSError):
        return path.read_bytes(), path
    data: bytes = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except Exception:  # a read-only or full cache only costs the next build time
        return data, None
    return data, path


def _copy(asset: Asset, fit: Fit, purpose: str) -> tuple[bytes, Path | None] | None:
    """A copy of the asset no larger than `fit`, or None when the original fits already."""
    kind = RESAMPLED.get(asset.media_type)
    if kind is None:
        return None  # SVG and GIF are embedded as they are
    scale = fit.scale(*_size(asset.path))
    if scale >= 1.0:
        return None
    data = asset.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    settings = f"{purpose}:{fit.width}x{fit.height}:{fit.pixels}:v{VERSION}"
    key = hashlib.sha256(f"{digest}:{settings}".encode()).hexdigest()
    return _cached(key, asset.path.suffix.lower(), lambda: _resample(data, kind, scale))


def epub_bytes(asset: Asset) -> bytes:
    """What the EPUB stores for this asset: the original, or a copy within the EPUB's caps."""
    made = _copy(asset, EPUB_FIT, "epub")
    return made[0] if made is not None else asset.path.read_bytes()


def print_fit(text_block: tuple[float, float], width: int, height: int) -> Fit:
    """PRINT_DPI at the largest size a width × height picture prints at (the text block, in
    points); a copy is made only for a picture of more than FAR_LARGER times that."""
    box_w, box_h = (side / POINTS_PER_INCH for side in text_block)
    inches = min(box_w, box_h * width / height)  # the printed width at its largest
    dpi = width / inches if inches > 0 else 0.0
    if dpi <= FAR_LARGER * PRINT_DPI:
        return Fit(width, height, width * height)
    wide = max(1, math.ceil(inches * PRINT_DPI))  # never under PRINT_DPI, by a rounding
    high = max(1, round(wide * height / width))
    return Fit(wide, high, wide * high)


def print_path(asset: Asset, text_block: tuple[float, float]) -> Path:
    """The file the print edition embeds for this asset: the original or a print copy."""
    if asset.media_type not in RESAMPLED:
        return asset.path
    fit = print_fit(text_block, *_size(asset.path))
    made = _copy(asset, fit, "print")
    if made is None or made[1] is None:
        return asset.path  # no copy, or none that could be kept: the original has the pixels
    return made[1]
