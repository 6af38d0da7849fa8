"""A book folder, a single manuscript file or an mdBook project → one Book: the configuration
validated, every file read and parsed, the whole checked for what no single file can show
(chapter ids that clash), and the links between chapters settled (links.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from octavo import themes
from octavo.book import config as config_mod
from octavo.book import matter
from octavo.book.model import Book, Chapter, Source
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, SourceError
from octavo.core.text import XML_FORBIDDEN
from octavo.source import confine, links, manuscript, markup, mdbook, split, typography


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


def _check_unique(chapters: Iterable[Chapter], reserved: frozenset[str] = RESERVED_IDS) -> None:
    seen: dict[str, Path] = {}
    for chapter in chapters:
        if chapter.id in reserved:
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


def _at_manuscript_lines(chapter: Chapter, source: Source) -> Chapter:
    """Findings in text assembled from several files (mdBook's includes) moved to the lines of
    the file as written; a column is kept only where the line is the file's own."""
    if not source.lines:
        return chapter
    shared = {line for line, n in Counter(source.lines).items() if n > 1}

    def moved(line: int | None, col: int | None) -> tuple[int | None, int | None]:
        mapped = source.manuscript_line(line)
        return mapped, None if mapped in shared else col

    diagnostics = tuple(
        replace(d, line=line, col=col)
        for d in chapter.diagnostics
        for line, col in [moved(d.line, d.col) if d.path == source.path else (d.line, d.col)]
    )
    notes = tuple(
        replace(link, line=line, col=col)
        for link in chapter.links
        for line, col in [moved(link.line, link.col)]
    )
    return replace(chapter, diagnostics=diagnostics, links=notes)


def _parse(
    source: Source, cfg: config_mod.Config, fallback: str, lenient: bool, cut: bool = True
) -> tuple[Chapter, ...]:
    """Parse one file into its chapters (one, or one per `#` section when `cut`: split.py),
    with the control characters XML forbids removed (and warned about)."""
    source, warnings = manuscript.strip_forbidden(source)
    _check_not_empty(source)
    try:
        if cut:
            first, *rest = split.chapters(source, cfg, fallback, lenient)
        else:
            first, rest = markup.parse(source, cfg, fallback, lenient), []
    except SourceError as exc:
        if not source.lines or exc.path != source.path:
            raise
        raise SourceError(exc.message, exc.path, source.manuscript_line(exc.line)) from None
    first = replace(first, diagnostics=(*warnings, *first.diagnostics))
    return tuple(_at_manuscript_lines(c, source) for c in (first, *rest))


def _project_chapters(
    project: mdbook.Project, cfg: config_mod.Config, lenient: bool
) -> tuple[Chapter, ...]:
    chapters = []
    for entry in project.entries:
        # SUMMARY.md says what the chapters are: a file is never cut into more
        (chapter,) = _parse(entry.source, cfg, entry.title, lenient, cut=False)
        chapter = replace(chapter, depth=entry.depth)
        if entry.part:
            chapter = replace(chapter, division="part", matter="body")
        chapters.append(chapter)
    return tuple(chapters)


def read_sources(cfg: config_mod.Config) -> list[Source]:
    """The manuscript files of a book folder or an mdBook project, in reading order."""
    if cfg.mdbook_src is not None:
        return mdbook.read(cfg, RESERVED_IDS).sources
    return manuscript.read_folder(cfg)


def load_book(source: Path, config: config_mod.Config | None = None, lenient: bool = False) -> Book:
    """Read a book folder (book.toml + manuscript/), an mdBook project (book.toml with [book]
    + src/SUMMARY.md) or a single .md/.txt file; `config`, when given, stands for the folder's
    book.toml, and `lenient` leaves broken images out (octavo check passes both, and reports
    what it let through)."""
    source = Path(source)
    project: mdbook.Project | None = None
    sources: list[Source] = []
    skipped: tuple[Diagnostic, ...] = ()
    if source.is_dir():
        cfg = config or config_mod.load(source)
        if cfg.mdbook_src is not None:
            project = mdbook.read(cfg, RESERVED_IDS | matter.regions(cfg))
        else:
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
    cfg = typography.typeset_config(cfg)
    if project is not None:
        chapters = _project_chapters(project, cfg, lenient)
        warnings = (*warnings, *project.diagnostics)
    else:
        single = len(sources) == 1
        chapters = split.assemble(
            [c for s in sources for c in _parse(s, cfg, _fallback_title(s, cfg, single), lenient)]
        )
    _check_unique(chapters, RESERVED_IDS | matter.regions(cfg))  # book.toml's pages too
    chapters = links.resolve(chapters, cfg)
    return Book(config=cfg, chapters=chapters, diagnostics=(*skipped, *warnings))
