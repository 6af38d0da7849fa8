"""Themes: a folder of CSS plus the font package it sets the book in.

A theme is `styles/<name>/` holding `theme.toml`, `base.css` (both formats), `epub.css`
(reflowable, respects reader settings) and `print.css` (pages, running heads, hyphenation).
Built-in themes ship in the wheel; a book's own `styles/` folder can hold a whole theme of the
same name (it wins) or loose `base.css`/`epub.css`/`print.css` files that extend the theme.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, unknown
from octavo.themes.sheets import CSS_PARTS, builtin_styles_dir, style_sheet


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    style: str  # normal | italic
    weight: str  # "400" or a variable range "400 800"


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    family: str
    faces: tuple[FontFace, ...]
    parents: tuple[Path, ...] = ()  # folders of the themes this one extends, base first
    extra: tuple[Path, ...] = ()  # the book's own CSS files, applied after the theme's
    root: Path | None = None  # the book folder: its own sheets may not reach outside it
    embed_fonts: bool = False  # `embed_fonts = true` in theme.toml: subset fonts into the EPUB
    code_family: str = ""  # the monospace face of code (`code_font_family`), if the theme has one
    code_faces: tuple[FontFace, ...] = ()

    @property
    def families(self) -> tuple[str, ...]:
        """The families the theme sets text in: the text face, and the code face if any."""
        return tuple(f for f in (self.family, self.code_family) if f)

    @property
    def all_faces(self) -> tuple[FontFace, ...]:
        return (*self.faces, *self.code_faces)

    def css(self, part: str) -> str:
        folders = (*self.parents, self.folder)
        files = [f / part for f in folders if (f / part).is_file()]
        files += [p for p in self.extra if p.name == part]
        return "\n".join(style_sheet(p, self.root)[0] for p in files)

    def sheet_warnings(self) -> tuple[Diagnostic, ...]:
        """The warnings the theme's style sheets give when read (css() applies the same rules
        but has no place to report them)."""
        folders = (*self.parents, self.folder)
        files = [f / part for f in folders for part in CSS_PARTS if (f / part).is_file()]
        found: list[Diagnostic] = []
        for path in dict.fromkeys([*files, *self.extra]):
            found += style_sheet(path, self.root)[1]
        return tuple(found)

    @property
    def font_folders(self) -> tuple[Path, ...]:
        return tuple(sorted({face.path.parent for face in self.all_faces}))

    def font_face_css(self, url_of: dict[Path, str] | None = None) -> str:
        """@font-face rules for the text and code faces; `url_of` maps font files to URLs
        (faces it leaves out get no rule), by default every face by its file:// URI."""
        rules = []
        for face in self.all_faces:
            if url_of is not None and face.path not in url_of:
                continue  # e.g. a code face the EPUB does not embed: its book has no code
            url = url_of[face.path] if url_of is not None else face.path.as_uri()
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; src: url("{url}"); '
                f"font-style: {face.style}; font-weight: {face.weight}; }}"
            )
        return "\n".join(rules)


def available() -> list[str]:
    return sorted(p.name for p in builtin_styles_dir().iterdir() if (p / "theme.toml").is_file())


def _faces(
    meta: dict[str, object], theme_toml: Path, prefix: str = ""
) -> tuple[str, tuple[FontFace, ...]]:
    """The family and faces theme.toml names: `font_package`, `font_family` and `fonts` for the
    text; with `prefix="code_"`, `code_font_package`, `code_font_family` and `code_fonts`."""
    package = str(meta.get(f"{prefix}font_package", ""))
    family = str(meta.get(f"{prefix}font_family", ""))
    if prefix and not package:
        return "", ()
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise ConfigError(f"font package '{package}' is not installed", theme_toml) from None
    root = Path(module.ROOT) / "files"
    faces = []
    for spec in meta.get(f"{prefix}fonts", []):  # type: ignore[attr-defined]
        faces.append(
            FontFace(
                family, root / spec["file"], spec.get("style", "normal"), spec.get("weight", "400")
            )
        )
    return family, tuple(faces)


def _find(name: str, own: Path | None, config_path: Path | None) -> Path:
    candidates = [own / name] if own else []
    candidates.append(builtin_styles_dir() / name)
    folder = next((c for c in candidates if (c / "theme.toml").is_file()), None)
    if folder is None:
        raise ConfigError(unknown("theme", name, available()), config_path)
    return folder


def _read_meta(folder: Path) -> dict[str, object]:
    theme_toml = folder / "theme.toml"
    try:
        return tomllib.loads(theme_toml.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"theme settings cannot be read: {exc}", theme_toml) from None


def load(name: str, book_root: Path | None = None) -> Theme:
    """Find a theme by name: the book's own `styles/<name>/` first, then the built-in ones."""
    own = book_root / "styles" if book_root else None
    config_path = book_root / "book.toml" if book_root else None
    folder = _find(name, own, config_path)
    meta = _read_meta(folder)
    parents: list[Path] = []
    parent_name = meta.get("extends")
    code_meta, code_toml = meta, folder / "theme.toml"
    while isinstance(parent_name, str) and len(parents) < 5:
        parent = _find(parent_name, None, folder / "theme.toml")
        parents.insert(0, parent)
        parent_meta = _read_meta(parent)
        if "code_font_package" not in code_meta:  # a theme's code face is its parent's
            code_meta, code_toml = parent_meta, parent / "theme.toml"
        parent_name = parent_meta.get("extends")
    family, faces = _faces(meta, folder / "theme.toml")
    code_family, code_faces = _faces(code_meta, code_toml, "code_")
    extra: tuple[Path, ...] = ()
    if own and own.is_dir() and folder.parent != own:
        extra = tuple(own / part for part in CSS_PARTS if (own / part).is_file())
    return Theme(
        name=name,
        folder=folder,
        family=family,
        faces=faces,
        parents=tuple(parents),
        extra=extra,
        root=book_root,
        embed_fonts=meta.get("embed_fonts") is True,
        code_family=code_family,
        code_faces=code_faces,
    )
