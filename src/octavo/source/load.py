"""A book folder, a single manuscript file (or, later, an mdBook project) → one Book: the
configuration validated, every file read and parsed, the whole checked for what no single file
can show (chapter ids that clash)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from octavo import themes
from octavo.book import config as config_mod
from octavo.book.model import Book, Chapter, Source
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, SourceError
from octavo.core.text import XML_FORBIDDEN
from octavo.source import confine, manuscript, markup


def _fallback_title(source: Source, config: config_mod.Config, single: bool) -> str:
    if single:
        return config.title
    return (
        source.path.stem.lstrip("0123456789-_ ").replace("-", " ").replace("_", " ").strip().title()
        or config.title
    )


# Names the EPUB gives its own documents and manifest items: a chapter file called `nav.md` or
# `copyright.md` would otherwise overwrite them and break the package.
RESERVED_IDS = frozenset({"titlepage", "copyright", "nav", "ncx", "css", "cover", "toc"})


def _check_unique(chapters: Iterable[Chapter]) -> None:
    seen: dict[str, Path] = {}
    for chapter in chapters:
        if chapter.id in RESERVED_IDS:
            raise SourceError(
                f"the chapter id '{chapter.id}' is a name octavo uses for its own pages; "
                f"rename the file (for example 00-{chapter.id}.md)",
                chapter.source,
            )
        if chapter.id in seen:
            raise SourceError(
                f"gives the same chapter id '{chapter.id}' as {seen[chapter.id].name}; rename one",
                chapter.source,
            )
        seen[chapter.id] = chapter.source


def _check_not_empty(source: Source) -> None:
    if not source.text.strip():
        raise SourceError("this chapter is empty", source.path, 1)


_CONFIG_TEXT = ("title", "subtitle", "identifier", "isbn", "date", "publisher", "rights")


def _check_config(cfg: config_mod.Config) -> tuple[config_mod.Config, tuple[Diagnostic, ...]]:
    """What book.toml names must be usable: text XML can hold (TOML's \\u0000 escapes can
    write a NUL), a cover and style sheets inside the book, a theme that exists."""
    texts = [(k, getattr(cfg, k)) for k in (*_CONFIG_TEXT, "description")]
    texts += [("authors", a) for a in cfg.authors]
    for key, value in texts:
        bad = XML_FORBIDDEN.search(value or "")
        if bad:
            raise ConfigError(
                f"'{key}' holds the control character U+{ord(bad[0]):04X}, which XML forbids",
                cfg.path,
            )
    cfg, cover_warnings = confine.cover(cfg)
    theme = themes.load(
        cfg.theme, cfg.root, cfg.design
    )  # an unknown theme stops the build here, early
    return cfg, (*cover_warnings, *theme.sheet_warnings())


def _parse(source: Source, cfg: config_mod.Config, single: bool, lenient: bool) -> Chapter:
    """Parse one file, with the control characters XML forbids removed (and warned about)."""
    source, warnings = manuscript.strip_forbidden(source)
    _check_not_empty(source)
    chapter = markup.parse(source, cfg, _fallback_title(source, cfg, single), lenient)
    return replace(chapter, diagnostics=(*warnings, *chapter.diagnostics)) if warnings else chapter


def load_book(source: Path, config: config_mod.Config | None = None, lenient: bool = False) -> Book:
    """Read a book folder (book.toml + manuscript/) or a single .md/.txt file; `config`, when
    given, stands for the folder's book.toml, and `lenient` leaves broken images out (octavo
    check passes both, and reports what it let through)."""
    source = Path(source)
    skipped: tuple[Diagnostic, ...]
    if source.is_dir():
        cfg = config or config_mod.load(source)
        sources = manuscript.read_folder(cfg)
        skipped = manuscript.left_out(cfg)
    elif source.is_file():
        if source.suffix.lower() in manuscript.WORD_SUFFIXES:
            raise SourceError(
                f"a word-processor file: `octavo import {source}` turns a .docx into a book folder",
                source,
            )
        if source.suffix.lower() not in manuscript.MARKDOWN_SUFFIXES | manuscript.TEXT_SUFFIXES:
            raise SourceError("not a book folder, nor a .md or .txt file", source)
        sources = [manuscript.read_file(source)]
        cfg = config or config_mod.defaults_for_file(source, None)
        skipped = ()
    else:
        raise SourceError("no such file or folder", source)
    cfg, warnings = _check_config(cfg)
    chapters = tuple(_parse(s, cfg, len(sources) == 1, lenient) for s in sources)
    _check_unique(chapters)
    return Book(config=cfg, chapters=chapters, diagnostics=(*skipped, *warnings))
