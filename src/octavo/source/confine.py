"""Keeping a book inside its folder: its cover image (style sheets: themes/sheets.py).

The cover named in book.toml is checked like any image: a JPEG or PNG file inside the book
folder that really is one. A broken cover stops the build; one that is remote or lies outside
the book is refused with a warning (H004) and the book is built without a cover.
"""

from __future__ import annotations

from dataclasses import replace

from octavo.book.config import Config
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, SourceError
from octavo.source import images

COVER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def cover(config: Config) -> tuple[Config, tuple[Diagnostic, ...]]:
    """The book's configuration with its cover checked, or without a cover that was refused."""
    if config.cover is None or config.path is None:
        return config, ()
    if config.cover.suffix.lower() not in COVER_TYPES:
        raise ConfigError(
            f"'cover' must be a JPEG or PNG image, not '{config.cover.name}'", config.path
        )
    written = (
        config.cover.relative_to(config.root).as_posix()
        if config.cover.is_relative_to(config.root)
        else str(config.cover)
    )
    try:
        images.resolve(written, config.path, config.root, None)
    except images.ImageRefused as reason:
        warning = codes.get("H004").at(
            config.path, None, None, f"cover {reason}; the book is built without a cover"
        )
        return replace(config, cover=None), (warning,)
    except SourceError as exc:
        raise SourceError(f"cover: {exc.message}", config.path) from None
    return config, ()
