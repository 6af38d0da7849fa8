"""Themes: a folder of CSS plus the font package it sets the book in (theme.py), and the
theme's fonts cut down for embedding (fonts.py)."""

from octavo.themes.theme import CSS_PARTS, FontFace, Theme, available, builtin_styles_dir, load

__all__ = ["CSS_PARTS", "FontFace", "Theme", "available", "builtin_styles_dir", "load"]
