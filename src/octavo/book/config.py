"""book.toml: declared once here, validated at the edge, read nowhere else.

Every problem is reported as one line naming the file, the line, the key and what is allowed,
in words an author understands.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavo.book import labels
from octavo.book.paper import SIZE_HELP, Size, parse_size
from octavo.core.errors import ConfigError, unknown
from octavo.themes import design as design_mod
from octavo.themes.design import Design

CONFIG_NAME = "book.toml"
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Config:
    """Everything book.toml can say, with defaults filled in."""

    title: str
    language: str = "en"
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    identifier: str | None = None
    isbn: str | None = None  # this edition's (the e-book's identifier when set)
    print_isbn: str | None = None  # the paperback's, named as the EPUB's page source
    date: str | None = None
    publisher: str | None = None
    rights: str | None = None
    description: str | None = None
    cover: Path | None = None
    theme: str = "classic"
    trim: Size = field(default_factory=lambda: parse_size("A5"))
    chapters: tuple[str, ...] = ()
    typography: bool = True
    split: str = "auto"  # one file, many chapters: "h1", "none", or "auto" (source/split.py)
    # print front and back matter (book/matter.py) and the cover's paper (print/cover.py)
    edition: str | None = None
    dedication: str | None = None
    epigraph: str | None = None
    epigraph_source: str | None = None
    acknowledgements: str | None = None
    about_author: str | None = None
    caliper: float = 0.002252  # inches of spine per page: KDP white paper
    # the running heads, when the author sets them: (verso, recto); None = made from the book
    running_head: tuple[str | None, str | None] = (None, None)
    labels: tuple[tuple[str, str], ...] = ()  # book.toml's [labels]: its own wording
    design: Design = field(default_factory=Design)  # [design]: laid over the theme
    root: Path = Path(".")
    path: Path | None = None  # the book.toml it came from, if any
    mdbook_src: Path | None = None  # an mdBook project's source folder ([book] src), else None
    # which delimiters set off TeX formulas (source/formulas.py): ($…$ and $$…$$, \\(…\\) and
    # \\[…\\]); an mdBook project writes dollars only with mdbook-katex, the backslashed ones
    # when its HTML loads MathJax
    math_delimiters: tuple[bool, bool] = (True, False)
    # The address of the book's pages on the web (an mdBook's site): links that leave the book
    # (`../std/index.html`) are made absolute against it instead of being set as plain text.
    web_edition: str | None = None

    @property
    def author_line(self) -> str:
        if len(self.authors) == 2:
            return self.label("and", a=self.authors[0], b=self.authors[1])
        return ", ".join(self.authors)

    def label(self, key: str, **values: object) -> str:
        """One of the words octavo prints (book/labels.py), in the book's language or in
        book.toml's own wording."""
        return labels.wording(self.language, key, dict(self.labels), **values)

    @property
    def uid(self) -> str:
        """A stable identifier: the ISBN or the configured one, else derived from the metadata."""
        if self.isbn:
            return f"urn:isbn:{self.isbn}"
        if self.identifier:
            return self.identifier
        seed = "\x1f".join([self.title, *self.authors, self.language, self.date or ""])
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'octavo:' + seed)}"


def value_position(text: str, key: str) -> tuple[int, int] | None:
    """Line and column of the value of a top-level `key = value` line of book.toml."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=\s*", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.end() - (text.rfind("\n", 0, match.end()) + 1) + 1


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("text in quotes")
    if not value.strip():
        raise ValueError("text that is not empty")
    return value.strip()


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_string(value),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ValueError('a name in quotes, or a list of names such as ["Ann Lee", "Bo Kim"]')


def _language(value: Any) -> str:
    text = _string(value)
    if not _LANG_RE.match(text):
        raise ValueError("a BCP 47 language tag such as 'en', 'en-GB', 'fr' or 'zh-Hans'")
    return text


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _string(value)
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if len(text) == width:
            return text
    raise ValueError("a date such as 2024-05-31, 2024-05 or 2024")


def isbn_problem(value: str) -> str | None:
    """Why an ISBN is invalid (its length, or the check digit it should have), or None."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        expected = str((10 - total % 10) % 10)
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        expected = "X" if check == 10 else str(check)
    else:
        return f"{value!r} has {len(digits)} characters; an ISBN has 10 or 13 digits"
    if digits[-1] != expected:
        return f"{value}: the check digit is {digits[-1]}, it should be {expected}"
    return None


def _isbn(value: Any) -> str:
    text = _string(value)
    if isbn_problem(text):
        raise ValueError("a valid ISBN-10 or ISBN-13 (the check digit does not match)")
    return re.sub(r"[\s-]", "", text).upper()


def _trim(value: Any) -> Size:
    try:
        return parse_size(_string(value))
    except ValueError:
        raise ValueError(SIZE_HELP) from None


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _string_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ValueError('a list of file names such as ["01-start.md", "02-end.md"]')


def _web_address(value: Any) -> str:
    text = _string(value)
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
        raise ValueError("a web address such as 'https://doc.rust-lang.org/nomicon/'")
    return text if text.endswith("/") else f"{text}/"


def _theme(value: Any) -> str:
    text = _string(value)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
        raise ValueError("a theme name made of letters, digits, '-' or '_'")
    return text


def _running_head(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict) and value and set(value) <= {"verso", "recto"}:
        return (
            _string(value["verso"]) if "verso" in value else None,
            _string(value["recto"]) if "recto" in value else None,
        )
    raise ValueError('a table such as { verso = "Austen", recto = "Pride and Prejudice" }')


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ValueError('a table such as { about_author = "Über die Autorin" }')
    strange = [k for k in value if k not in labels.KEYS]
    if strange:
        raise ValueError(f"labels octavo prints, not '{strange[0]}' ({', '.join(labels.KEYS)})")
    return tuple((k, _string(v)) for k, v in value.items())


SPLITS = ("auto", "h1", "none")


def _split(value: Any) -> str:
    """Where a manuscript file is cut into chapters: at every `#` heading ("h1"), never
    ("none"), or when the file is nothing but `#` sections ("auto", the default)."""
    if value not in SPLITS:
        raise ValueError(
            '"h1" (every # heading begins a chapter), "none", or "auto" (a file made only '
            "of # sections is split)"
        )
    return str(value)


PAPER_CALIPERS = {"white": 0.002252, "cream": 0.0025, "colour": 0.002347, "color": 0.002347}


def _paper(value: Any) -> float:
    """A paper name (KDP's calipers) or the thickness of one leaf-side in inches."""
    if isinstance(value, str) and value.strip().lower() in PAPER_CALIPERS:
        return PAPER_CALIPERS[value.strip().lower()]
    if isinstance(value, int | float) and not isinstance(value, bool) and 0.001 <= value <= 0.01:
        return float(value)
    raise ValueError("'white', 'cream', 'colour' or inches per page such as 0.0025")


# key in book.toml → (field of Config, validator). Adding a setting touches this table only.
_SCHEMA: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", _string),
    "subtitle": ("subtitle", _string),
    "author": ("authors", _authors),
    "authors": ("authors", _authors),
    "language": ("language", _language),
    "lang": ("language", _language),
    "identifier": ("identifier", _string),
    "isbn": ("isbn", _isbn),
    "print_isbn": ("print_isbn", _isbn),
    "date": ("date", _date),
    "publisher": ("publisher", _string),
    "rights": ("rights", _string),
    "description": ("description", _string),
    "cover": ("cover", _string),
    "theme": ("theme", _theme),
    "trim": ("trim", _trim),
    "trim_size": ("trim", _trim),
    "chapters": ("chapters", _string_list),
    "typography": ("typography", _bool),
    "split": ("split", _split),
    "edition": ("edition", _string),
    "dedication": ("dedication", _string),
    "epigraph": ("epigraph", _string),
    "epigraph_source": ("epigraph_source", _string),
    "acknowledgements": ("acknowledgements", _string),
    "about_author": ("about_author", _string),
    "paper": ("caliper", _paper),
    "running_head": ("running_head", _running_head),
    "labels": ("labels", _labels),
    "web_edition": ("web_edition", _web_address),
    "design": ("design", design_mod.parse),
}


def table_key_line(text: str, table: str, key: str) -> int | None:
    """The line of `key = …` inside `[table]` of book.toml, or of the table's header."""
    header = re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]", text, re.MULTILINE)
    if header is None:
        return None
    nxt = re.search(r"^\s*\[", text[header.end() :], re.MULTILINE)
    body = text[header.end() : header.end() + nxt.start()] if nxt else text[header.end() :]
    found = value_position(body, key)
    first = text.count("\n", 0, header.start()) + 1
    return first + text.count("\n", header.start(), header.end()) + found[0] - 1 if found else first


def parse(text: str, path: Path) -> Config:
    """Validate the text of a book.toml found at `path`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at line.*\)", "", str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (None, None)
        raise ConfigError(f"not valid TOML: {reason}", path, line, col) from None
    return from_mapping(data, path, text)


# mdBook's book.toml: [book] says what octavo needs; [octavo] holds octavo's own settings; the
# other tables ([output.*], [rust], [preprocessor.*], [build], any a plugin reads) are mdBook's.
MDBOOK_KEYS = ("title", "authors", "description", "language")


def is_mdbook(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("book"), dict)


def settings_table(data: dict[str, Any]) -> dict[str, Any]:
    """The table of a book.toml where octavo's settings are written: the file itself, or an
    mdBook project's [octavo] table."""
    if not is_mdbook(data):
        return data
    table = data.setdefault("octavo", {})
    return table if isinstance(table, dict) else {}


def _mdbook_settings(data: Mapping[str, Any], path: Path, text: str) -> dict[str, Any]:
    """An mdBook's [book] values that octavo reads (empty ones, which mdBook allows, left
    out), with its [octavo] table over them."""
    book = data["book"]
    flat = {k: book[k] for k in MDBOOK_KEYS if book.get(k) not in (None, "", [])}
    if isinstance(flat.get("language"), str):
        flat["language"] = flat["language"].replace("_", "-")  # en_US, as some write it
    own = data.get("octavo", {})
    if not isinstance(own, dict):
        line = (value_position(text, "octavo") or (None, None))[0]
        raise ConfigError("'octavo' must be a table: [octavo] and its settings below", path, line)
    return {**flat, **own}


def settings(data: Mapping[str, Any], path: Path, text: str = "") -> dict[str, Any]:
    """book.toml's settings as one flat table, whichever form the file has."""
    return _mdbook_settings(data, path, text) if is_mdbook(data) else dict(data)


def _mdbook_src(data: Mapping[str, Any], path: Path, text: str) -> Path | None:
    if not is_mdbook(data):
        return None
    src = data["book"].get("src", "src")
    if not isinstance(src, str) or not src.strip():
        line = (value_position(text, "src") or (None, None))[0]
        raise ConfigError("'src' in [book] must be a folder name in quotes", path, line)
    return path.parent / src.strip()


def _math_delimiters(data: Mapping[str, Any]) -> tuple[bool, bool]:
    if not is_mdbook(data):
        return True, False
    output = data.get("output", {})
    html = output.get("html", {}) if isinstance(output, dict) else {}
    mathjax = isinstance(html, dict) and html.get("mathjax-support") is True
    preprocessors = data.get("preprocessor", {})
    katex = isinstance(preprocessors, dict) and isinstance(preprocessors.get("katex"), dict)
    return katex, mathjax


def from_mapping(data: Mapping[str, Any], path: Path, text: str = "") -> Config:
    mdbook_src = _mdbook_src(data, path, text)
    values: dict[str, Any] = {}
    for key, raw in settings(data, path, text).items():
        line = (value_position(text, key) or (None, None))[0]
        if key not in _SCHEMA:
            raise ConfigError(unknown("setting", key, _SCHEMA), path, line)
        name, validate = _SCHEMA[key]
        if name in values:
            raise ConfigError(f"'{key}' repeats a setting given under another name", path, line)
        try:
            values[name] = validate(raw)
        except design_mod.DesignError as exc:
            where = table_key_line(text, key, exc.key)
            raise ConfigError(exc.message, path, where) from None
        except ValueError as exc:
            raise ConfigError(f"'{key}' must be {exc}", path, line) from None
    root = path.parent
    if "title" not in values and mdbook_src is not None:
        values["title"] = root.resolve().name  # mdBook does without one; check says M001
    if "title" not in values:
        raise ConfigError("'title' is missing: add a line such as title = \"My Book\"", path, 1)
    if "cover" in values:
        values["cover"] = root / values["cover"]
    if "language" in values:
        values["design"] = design_mod.for_language(
            values.get("design", Design()), values["language"]
        )
    return Config(
        root=root,
        path=path,
        mdbook_src=mdbook_src,
        math_delimiters=_math_delimiters(data),
        **values,
    )


def load(book_dir: Path) -> Config:
    path = book_dir / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no {CONFIG_NAME} in {book_dir.resolve()}: run `octavo init {book_dir}` to start a "
            "book there, or name a book folder or a .md/.txt file",
            path,
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"not UTF-8 (byte {exc.start + 1})", path, line) from None
    return parse(text, path)


def defaults_for_file(source: Path, title: str | None) -> Config:
    """A book made of one file, with no book.toml: sensible defaults."""
    fallback = source.stem.replace("-", " ").replace("_", " ").strip().title() or "Untitled"
    return Config(title=title or fallback, root=source.parent)
