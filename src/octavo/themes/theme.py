"""Themes: a folder of CSS plus the font package it sets the book in.

A theme is `styles/<name>/` holding `theme.toml`, `base.css` (both formats), `epub.css`
(reflowable, respects reader settings) and `print.css` (pages, running heads, hyphenation).
Built-in themes ship in the wheel; a book's own `styles/` folder can hold a whole theme of the
same name (it wins) or loose `base.css`/`epub.css`/`print.css` files that extend the theme.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, unknown
from octavo.themes import design as design_mod
from octavo.themes.design import Design
from octavo.themes.faces import FontFace
from octavo.themes.sheets import CSS_PARTS, builtin_styles_dir, style_sheet


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
    design: Design = field(
        default_factory=Design
    )  # the theme's [design] defaults with the book's laid over them
    generic: str = "serif"  # the CSS generic family behind the text face
    code_family: str = ""  # the monospace face of code (`code_font_family`), if the theme has one
    code_faces: tuple[FontFace, ...] = ()

    @property
    def families(self) -> tuple[str, ...]:
        """The families the theme sets text in: the text face, and the code face if any."""
        return tuple(f for f in (self.family, self.code_family) if f)

    @property
    def all_faces(self) -> tuple[FontFace, ...]:
        return (*self.faces, *self.code_faces)

    def css(self, part: str, cased: bool = True) -> str:
        """The theme's sheets of this part (the themes it extends first), then what the
        book's [design] changes, then the book's own sheets, which have the last word. A book
        in a script without capitals (`cased` False) gets no small-caps or drop-cap opening."""
        folders = (*self.parents, self.folder)
        texts = [style_sheet(f / part, self.root)[0] for f in folders if (f / part).is_file()]
        texts.append(design_mod.overrides(self.design, part, self.generic, cased))
        texts += [style_sheet(p, self.root)[0] for p in self.extra if p.name == part]
        return "\n".join(t for t in texts if t)

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


def _find(
    name: str, own: Path | None, config_path: Path | None, skip: tuple[Path, ...] = ()
) -> Path:
    """The folder of theme `name`: the book's own `styles/<name>/` first, then the built-in
    one. `skip` holds the folders already in an extends chain: a book's `styles/classic/` that
    extends "classic" extends the built-in classic, not itself."""
    candidates = [own / name] if own else []
    candidates.append(builtin_styles_dir() / name)
    folder = next(
        (c for c in candidates if (c / "theme.toml").is_file() and c.resolve() not in skip), None
    )
    if folder is None:
        raise ConfigError(unknown("theme", name, available()), config_path)
    return folder


def _read_meta(folder: Path) -> dict[str, object]:
    theme_toml = folder / "theme.toml"
    try:
        return tomllib.loads(theme_toml.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"theme settings cannot be read: {exc}", theme_toml) from None


def _chain(name: str, own: Path | None, config_path: Path | None) -> list[Path]:
    """The theme's folder and the folders of the themes it extends, base first."""
    folder = _find(name, own, config_path)
    chain = [folder]
    parent_name = _read_meta(folder).get("extends")
    while isinstance(parent_name, str):
        if len(chain) > 5:
            raise ConfigError("themes extend each other in a circle", folder / "theme.toml")
        skip = tuple(f.resolve() for f in chain)
        parent = _find(parent_name, own, chain[0] / "theme.toml", skip)
        chain.insert(0, parent)
        parent_name = _read_meta(parent).get("extends")
    return chain


def _theme_design(chain: list[Path]) -> Design:
    """The [design] defaults of the chain, each theme's laid over the one it extends."""
    merged = Design()
    for folder in chain:
        table = _read_meta(folder).get("design")
        if table is None:
            continue
        try:
            merged = design_mod.parse(table).over(merged)
        except design_mod.DesignError as exc:
            raise ConfigError(exc.message, folder / "theme.toml") from None
    return merged


def _text_face(chain: list[Path], design: Design) -> tuple[str, tuple[FontFace, ...], str]:
    """The family, faces and generic family the text is set in: [design] font if given, else
    the nearest theme in the chain that names a font package (a theme that extends another and
    names none keeps its parent's)."""
    if design.font is not None:
        from octavo.themes import families

        found = families.find(design.font)
        if found is None:
            raise ConfigError(f"font family '{design.font}' is not installed")
        generic = "sans-serif" if found.category == "sans-serif" else "serif"
        return found.name, found.faces, generic
    for folder in reversed(chain):
        meta = _read_meta(folder)
        if meta.get("font_package"):
            family, faces = _faces(meta, folder / "theme.toml")
            return family, faces, str(meta.get("generic", "serif"))
    raise ConfigError("no theme in this chain names a font_package", chain[-1] / "theme.toml")


def _code_face(chain: list[Path], design: Design) -> tuple[str, tuple[FontFace, ...]]:
    """The family and faces of code: [design] code_font if given, else the nearest theme in
    the chain that names a code font package, else none (code is set in the text face)."""
    if design.code_font is not None:
        from octavo.themes import families

        found = families.find(design.code_font)
        if found is None:
            raise ConfigError(f"font family '{design.code_font}' is not installed")
        return found.name, found.faces
    for folder in reversed(chain):
        meta = _read_meta(folder)
        if meta.get("code_font_package"):
            return _faces(meta, folder / "theme.toml", "code_")
    return "", ()


def load(name: str, book_root: Path | None = None, design: Design | None = None) -> Theme:
    """Find a theme by name: the book's own `styles/<name>/` first, then the built-in ones;
    `design` (book.toml's [design]) is laid over the theme's own defaults."""
    own = book_root / "styles" if book_root else None
    config_path = book_root / "book.toml" if book_root else None
    chain = _chain(name, own, config_path)
    folder = chain[-1]
    chosen = (design or Design()).over(_theme_design(chain))
    family, faces, generic = _text_face(chain, chosen)
    code_family, code_faces = _code_face(chain, chosen)
    extra: tuple[Path, ...] = ()
    if own and own.is_dir() and folder.parent != own:
        extra = tuple(own / part for part in CSS_PARTS if (own / part).is_file())
    embed = next(
        (m["embed_fonts"] for m in map(_read_meta, reversed(chain)) if "embed_fonts" in m), False
    )
    return Theme(
        name=name,
        folder=folder,
        family=family,
        faces=faces,
        parents=tuple(chain[:-1]),
        extra=extra,
        root=book_root,
        embed_fonts=embed is True,
        design=chosen,
        generic=generic,
        code_family=code_family,
        code_faces=code_faces,
    )
