"""The pipeline: load → parse → assemble → render targets. The CLI and the tests call these."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from octavo import themes
from octavo.book import config as config_mod
from octavo.book.model import Book, Chapter, Source
from octavo.book.paper import sheet_for
from octavo.booklet.plan import BookletOptions
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import ConfigError, OctavoError, SourceError
from octavo.core.output import prepare_dir
from octavo.print.printers import PrintRequest, print_options
from octavo.source import confine, manuscript, markup

FORMATS = ("epub", "pdf", "booklet", "cover")
DEFAULT_FORMATS = ("epub", "pdf", "booklet")  # the paperback cover only when asked for


@dataclass(frozen=True)
class Output:
    format: str
    path: Path
    seconds: float
    notes: tuple[str, ...] = ()


@dataclass
class BuildResult:
    book: Book
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


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
        bad = manuscript.XML_FORBIDDEN.search(value or "")
        if bad:
            raise ConfigError(
                f"'{key}' holds the control character U+{ord(bad[0]):04X}, which XML forbids",
                cfg.path,
            )
    cfg, cover_warnings = confine.cover(cfg)
    theme = themes.load(cfg.theme, cfg.root)  # an unknown theme stops the build here, early
    return cfg, (*cover_warnings, *confine.theme_warnings(theme))


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
    if source.is_dir():
        cfg = config or config_mod.load(source)
        sources = manuscript.read_folder(cfg)
    elif source.is_file():
        if source.suffix.lower() not in manuscript.MARKDOWN_SUFFIXES | manuscript.TEXT_SUFFIXES:
            raise SourceError("not a book folder, nor a .md or .txt file", source)
        sources = [manuscript.read_file(source)]
        cfg = config or config_mod.defaults_for_file(source, None)
    else:
        raise SourceError("no such file or folder", source)
    cfg, warnings = _check_config(cfg)
    chapters = tuple(_parse(s, cfg, len(sources) == 1, lenient) for s in sources)
    _check_unique(chapters)
    return Book(config=cfg, chapters=chapters, diagnostics=warnings)


def build(
    book: Book,
    out_dir: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    on_step: Callable[[str], None] | None = None,
    booklet_options: BookletOptions | None = None,
    press: PrintRequest | None = None,
) -> BuildResult:
    """Render the requested targets into out_dir; each file is replaced atomically."""
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise OctavoError(f"unknown format '{unknown[0]}' (formats: {', '.join(FORMATS)})")
    prepare_dir(out_dir)
    theme = themes.load(book.config.theme, book.config.root)
    chapter_warnings = [d for c in book.chapters for d in c.diagnostics]
    result = BuildResult(book, warnings=[*book.diagnostics, *chapter_warnings])
    step = on_step or (lambda _msg: None)
    slug = book.slug

    # The print edition is laid out first when both are wanted: its page map becomes the
    # EPUB's page-break markers and page-list.
    document = None
    if "pdf" in wanted or "booklet" in wanted:
        from octavo.print import layout as pdf

        step("print layout")
        start = time.perf_counter()
        press = press or PrintRequest()
        document = pdf.layout(book, theme, print_options(book.config, press)[0])
        layout_seconds = time.perf_counter() - start

    if "epub" in wanted:
        _build_epub(book, theme, out_dir / f"{slug}.epub", document, result, step)

    if document is not None:
        from octavo.print import layout as pdf

        step("print PDF")
        start = time.perf_counter() - layout_seconds  # the PDF's time includes its layout
        printed = pdf.finish_book(document, book, press)
        result.warnings.extend(printed.warnings)
        data = printed.data
        if "pdf" in wanted:
            path = out_dir / f"{slug}.pdf"
            from octavo.core.output import write_bytes

            write_bytes(path, data)
            result.outputs.append(Output("pdf", path, time.perf_counter() - start))
        if "booklet" in wanted:
            step("booklet")
            start = time.perf_counter()
            options = booklet_options or BookletOptions()
            interior = pdf.trim_size_interior(book, theme, printed)  # no bleed, no marks
            result.outputs.append(
                _booklet(interior, options, book, out_dir / f"{slug}-booklet.pdf", start)
            )

    if "cover" in wanted:  # the paperback's wraparound cover: its spine needs the page count
        from octavo.print import cover

        step("cover")
        start = time.perf_counter()
        built = next((o.path for o in result.outputs if o.format == "pdf"), None)
        path, notes = cover.write(book, theme, press or PrintRequest(), out_dir, built)
        result.outputs.append(Output("cover", path, time.perf_counter() - start, notes))
    return result


def _build_epub(
    book: Book,
    theme: themes.Theme,
    path: Path,
    document: object | None,
    result: BuildResult,
    step: Callable[[str], None],
) -> None:
    """The EPUB, with the print edition's page numbers when it was laid out in this build."""
    from octavo.epub import package as epub
    from octavo.print import pagemap

    step("EPUB")
    start = time.perf_counter()
    pages = pagemap.page_starts(document, book) if document is not None else ()
    rendered = epub.write(book, theme, path, pages)
    result.warnings.extend(rendered.diagnostics)
    notes = (f"print page numbers: {len(rendered.pages)} pages in the page-list",)
    result.outputs.append(
        Output("epub", path, time.perf_counter() - start, notes if rendered.pages else ())
    )


def _booklet(pdf: bytes, options: BookletOptions, book: Book, path: Path, start: float) -> Output:
    """Impose the print interior; the notes tell the person how to print and fold it."""
    from dataclasses import replace

    from octavo.booklet import sheets as booklet

    # The sheet follows the configured trim (a US trim goes on Letter), not the PDF's size.
    sheet = options.sheet or sheet_for(book.config.trim)
    made = booklet.write(pdf, replace(options, sheet=sheet), path)
    return Output("booklet", path, time.perf_counter() - start, booklet.guidance(made.plan))
