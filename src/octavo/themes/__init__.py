"""Themes: a folder of CSS plus the font package it sets the book in (theme.py), and the
theme's fonts cut down for embedding (fonts.py), its style sheets kept inside the book (sheets.py)."""

from octavo.themes.faces import FontFace
from octavo.themes.sheets import CSS_PARTS, builtin_styles_dir
from octavo.themes.theme import Theme, available, load

__all__ = ["CSS_PARTS", "FontFace", "Theme", "available", "builtin_styles_dir", "load"]
