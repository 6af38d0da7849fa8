"""`[design]`: the choices an author makes about the look of the book, in book.toml (or as a
theme's defaults, in theme.toml), laid over the theme as CSS that comes after the theme's own.

    [design]
    font = "Crimson Pro"          # the text face: any installed fontpkg family (octavo fonts)
    code_font = "IBM Plex Mono"   # the face of code (listings and inline code)
    size = "10.5pt"               # the print edition's type size (an e-reader lets its reader choose)
    leading = 1.4                 # line height, times the type size (or "14pt")
    paragraphs = "indented"       # indented | spaced
    opening = "drop-cap"          # plain | small-caps | drop-cap: how a chapter's text begins
    chapter_label = "words"       # words ("Chapter One") | number ("1") | none
    running_heads = "author-title"  # author-title | title-chapter | none
    scene_break = "❦"             # the ornament a scene break (***) is set as
    margins = "18mm"              # print: all four, or { top, bottom, inside, outside }

Every key is checked here, with messages an author understands; the CSS each one becomes is
made here too (`overrides`), so a theme is never copied to change one thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from octavo.core.errors import unknown
from octavo.core.units import parse_length

# Book faces for scripts the built-in themes' fonts lack (EB Garamond, Literata, Crimson Pro and
# Source Sans have Latin, Greek and Cyrillic only), installed with octavo (OFL, with Latin of
# their own): a book in one of these languages is set in its script's face unless its [design]
# names a font. Without them Pango borrows DejaVu Sans, a screen face, for every letter.
SCRIPT_FONTS = {
    "ar": "Amiri",  # Arabic naskh, after the Amiria press of Bulaq
    "fa": "Amiri",
    "ur": "Amiri",
    "ps": "Amiri",
    "he": "Frank Ruhl Libre",  # the Hebrew book face of the 20th century
    "yi": "Frank Ruhl Libre",
}


def for_language(design: Design, language: str) -> Design:
    """The book's [design] with the face of its language's script, when the book names none."""
    family = SCRIPT_FONTS.get(language.split("-")[0].lower())
    if design.font is not None or family is None:
        return design
    return replace(design, font=family)


class DesignError(ValueError):
    """A [design] setting that cannot be used: which key, and the whole sentence to say."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Margins:
    """Print margins in points; None leaves the theme's proportion."""

    top: float | None = None
    bottom: float | None = None
    inside: float | None = None
    outside: float | None = None


@dataclass(frozen=True)
class Design:
    """What [design] says; None everywhere the theme decides."""

    font: str | None = None
    code_font: str | None = None
    size: float | None = None  # points
    leading: float | str | None = None  # a ratio, or a CSS length such as "14pt"
    paragraphs: str | None = None
    opening: str | None = None
    chapter_label: str | None = None
    running_heads: str | None = None
    scene_break: str | None = None
    margins: Margins | None = None

    def over(self, base: Design) -> Design:
        """This design laid over `base`: what this one says wins, the rest is base's."""
        changes = {f.name: getattr(self, f.name) for f in fields(self)}
        return replace(base, **{k: v for k, v in changes.items() if v is not None})


# --- Checking what the author wrote --------------------------------------------------------


def _choice(*allowed: str, aliases: Mapping[str, str] | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
        text = (aliases or {}).get(text, text)
        if not isinstance(value, str) or text not in allowed:
            shown = ", ".join(f'"{a}"' for a in allowed[:-1]) + f' or "{allowed[-1]}"'
            raise ValueError(f"one of {shown}")
        return text

    return check


def _family(value: Any) -> str:
    from octavo.themes import families

    if not isinstance(value, str) or not value.strip():
        raise ValueError('the name of a font family in quotes, such as "Crimson Pro"')
    found = families.find(value)
    if found is None:
        raise ValueError(
            f"an installed font family: '{value}' is not one; {families.suggestion(value)}"
        )
    return found.name


def _size(value: Any) -> float:
    points = _points(value, 'a type size such as 11 or "10.5pt"')
    if not 6 <= points <= 24:
        raise ValueError('a type size between 6pt and 24pt, such as 11 or "10.5pt"')
    return points


def _points(value: Any, what: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return parse_length(str(value))
    except ValueError:
        raise ValueError(what) from None


def _leading(value: Any) -> float | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1.0 <= value <= 2.5:
            return float(value)
        raise ValueError("a line height between 1.0 and 2.5 times the type size, such as 1.4")
    points = _points(value, 'a line height such as 1.4 (times the type size) or "14pt"')
    if not 6 <= points <= 48:
        raise ValueError('a line height between 6pt and 48pt, such as "14pt"')
    return f"{points:.2f}pt"


def _ornament(value: Any) -> str:
    if not isinstance(value, str) or len(value.strip()) > 12:
        raise ValueError('a short ornament in quotes, such as "❦", "* * *" or "" for a blank line')
    return value.strip()


_MARGIN_SIDES = ("top", "bottom", "inside", "outside")
_MARGIN_HELP = 'a length such as "18mm", or a table such as { top = "20mm", inside = "22mm" }'


def _margin(value: Any) -> float:
    points = _points(value, _MARGIN_HELP)
    if not 0 <= points <= 200:
        raise ValueError("a margin between 0 and 70 mm")
    return points


_SIDE_ALIASES = {"inner": "inside", "outer": "outside"}


def _margins(value: Any) -> Margins:
    if isinstance(value, Mapping):
        sides: dict[str, float] = {}
        for side, length in value.items():
            name = _SIDE_ALIASES.get(str(side), str(side))
            if name not in _MARGIN_SIDES:
                raise ValueError(
                    f"a table of top, bottom, inside and outside: '{side}' is not one of them "
                    "(a page of a book has an inside, by the binding, and an outside)"
                )
            sides[name] = _margin(length)
        return Margins(**sides)
    side = _margin(value)
    return Margins(side, side, side, side)


# key → validator. Adding a design choice touches this table, Design and overrides() below.
SCHEMA: dict[str, Callable[[Any], Any]] = {
    "font": _family,
    "code_font": _family,
    "size": _size,
    "leading": _leading,
    "paragraphs": _choice("indented", "spaced"),
    "opening": _choice("plain", "small-caps", "drop-cap", aliases={"none": "plain"}),
    "chapter_label": _choice(
        "words", "number", "none", aliases={"chapter-one": "words", "1": "number"}
    ),
    "running_heads": _choice(
        "author-title",
        "title-chapter",
        "none",
        aliases={"author/title": "author-title", "title/chapter": "title-chapter"},
    ),
    "scene_break": _ornament,
    "margins": _margins,
}


def parse(table: Any) -> Design:
    """A [design] table → Design; DesignError names the key at fault and what it must be."""
    if not isinstance(table, Mapping):
        raise DesignError("design", "'design' must be a table: a [design] line, settings below")
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in SCHEMA:
            raise DesignError(key, f"[design]: {unknown('setting', key, SCHEMA)}")
        try:
            values[key] = SCHEMA[key](raw)
        except ValueError as exc:
            raise DesignError(key, f"[design] '{key}' must be {exc}") from None
    return Design(**values)


# --- The CSS each choice becomes -------------------------------------------------------------

_HEAD_PAGES_LEFT = "@page chapter:left, first-chapter:left, back:left"
_HEAD_PAGES_RIGHT = "@page chapter:right, first-chapter:right, back:right"


def _css_string(text: str) -> str:
    return '"' + re.sub(r'["\\\n]', lambda m: f"\\{ord(m[0]):x} ", text) + '"'


def _font_rules(design: Design, generic: str, print_edition: bool) -> list[str]:
    if design.font is None:
        return []
    family = f'"{design.font}", {generic}'
    rules = [f"body {{ font-family: {family}; }}"]
    if print_edition:  # margin boxes do not inherit the body's font
        rules.append(f"@page {{ font-family: {family}; }}")
    return rules


def _code_rules(design: Design) -> list[str]:
    if design.code_font is None:
        return []
    return [f'code, kbd, samp, pre {{ font-family: "{design.code_font}", monospace; }}']


def _paragraph_rules(design: Design) -> list[str]:
    flush = (
        ".chapter-body > p:first-child, .chapter-body > hr + p, .chapter-body > h2 + p, "
        ".chapter-body > h3 + p, .chapter-body > blockquote + p"
    )
    if design.paragraphs == "spaced":
        return [
            ".chapter-body p { text-indent: 0; margin: 0; }",
            ".chapter-body p + p { margin-top: 0.75em; }",
        ]
    if design.paragraphs == "indented":
        return [
            ".chapter-body p { text-indent: 1.2em; margin: 0; }",
            f"{flush} {{ text-indent: 0; }}",
        ]
    return []


def _scene_break_rules(design: Design) -> list[str]:
    if design.scene_break is None:
        return []
    return [
        "hr::after, hr.scene-break::after, .chapter-body hr::after "
        f"{{ content: {_css_string(design.scene_break)}; }}"
    ]


def _epub_opening(design: Design) -> list[str]:
    """The EPUB's chapter openings, from CSS alone (a reading system draws its own first line
    and first letter; the print edition marks its initial in the HTML)."""
    first = "section.chapter > .chapter-body > p:first-child"
    verse = (
        "section.chapter > .chapter-body > .verse:first-child > .stanza:first-child"
        " > .line:first-child"
    )
    if design.opening == "small-caps":
        return [
            f"{first}::first-line, {verse}::first-line "
            "{ font-variant-caps: small-caps; letter-spacing: 0.03em; }"
        ]
    if design.opening == "drop-cap":
        return [
            f"{first}::first-letter {{ float: left; font-size: 3.1em; line-height: 0.85; "
            "margin: 0.05em 0.08em 0 0; }",
        ]
    if design.opening == "plain":
        return [f"{first}::first-line {{ font-variant-caps: normal; letter-spacing: normal; }}"]
    return []


def _running_head_rules(design: Design) -> list[str]:
    if design.running_heads == "none":
        return [
            f"{_HEAD_PAGES_LEFT} {{ @top-left {{ content: none; }} }}",
            f"{_HEAD_PAGES_RIGHT} {{ @top-right {{ content: none; }} }}",
        ]
    if design.running_heads == "title-chapter":
        return [
            "body > .half-title .book-title { string-set: book-title content(); }",
            f"{_HEAD_PAGES_LEFT} {{ @top-left {{ content: string(book-title); }} }}",
        ]
    if design.running_heads == "author-title":
        return [f"{_HEAD_PAGES_LEFT} {{ @top-left {{ content: string(book-author); }} }}"]
    return []


def _type_rules(design: Design, print_edition: bool) -> list[str]:
    rules = []
    if design.size is not None and print_edition:  # an e-reader's reader chooses the size
        rules.append(f"html {{ font-size: {design.size:g}pt; }}")
    if design.leading is not None:
        rules.append(f"body {{ line-height: {design.leading}; }}")
    return rules


def overrides(design: Design, part: str, generic: str = "serif", cased: bool = True) -> str:
    """The CSS that [design] adds after the theme's `part` (epub.css, print.css, or a cover's
    sheet), or "" when it changes nothing there. In a script without capitals the EPUB's
    opening stays plain: small capitals would letter-space Arabic's joined letters apart (the
    print edition leaves its opening off by a class of the body: print/html.py)."""
    if part == "epub.css":
        rules = [
            *_font_rules(design, generic, False),
            *_code_rules(design),
            *_type_rules(design, False),
            *_paragraph_rules(design),
            *(_epub_opening(design) if cased else []),
            *_scene_break_rules(design),
        ]
    elif part == "print.css":
        rules = [
            *_font_rules(design, generic, True),
            *_code_rules(design),
            *_type_rules(design, True),
            *_paragraph_rules(design),
            *_scene_break_rules(design),
            *_running_head_rules(design),
        ]
    elif part in {"cover.css", "print-cover.css"}:
        rules = _font_rules(design, generic, part == "print-cover.css")
    else:
        rules = []
    if not rules:
        return ""
    return "/* --- [design] --- */\n" + "\n".join(rules) + "\n"
