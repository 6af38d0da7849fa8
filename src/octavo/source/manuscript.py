"""Finding and reading manuscript files: order, encodings, Markdown or plain text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from octavo.book.config import Config
from octavo.book.model import Source, SourceKind
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.text import XML_FORBIDDEN, decode

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".text"}
MANUSCRIPT_DIR = "manuscript"
# What word processors save: octavo does not read them, `octavo import` converts a .docx.
WORD_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".pages"}


def kind_of(path: Path) -> SourceKind:
    return "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"


# A long novel is 1-2 MB of text; anything this large is not a chapter (and would be read whole).
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def read_file(path: Path) -> Source:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceError(
                f"is {path.stat().st_size // 2**20} MB; a manuscript file may hold at most "
                f"{MAX_SOURCE_BYTES // 2**20} MB",
                path,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a manuscript file", path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    return Source(path=path, text=decode(raw, path), kind=kind_of(path))


def _inside(paths: list[Path], config: Config) -> list[Path]:
    """Chapters are read from the book folder only: a `chapters` entry with `../` or a symlink
    leading elsewhere is an error (never a warning: a chapter left out would lose text)."""
    root = config.root.resolve()
    for path in paths:
        if not path.resolve().is_relative_to(root):
            raise SourceError("this chapter lies outside the book folder (a link?)", path)
    return paths


def _ordered(folder: Path, config: Config) -> list[Path]:
    if config.chapters:
        paths = [folder / name for name in config.chapters]
        for path in paths:
            if not path.is_file():
                raise SourceError(
                    f"'chapters' in book.toml names {path.name}, which is not in {MANUSCRIPT_DIR}/",
                    config.path,
                )
        return paths
    suffixes = MARKDOWN_SUFFIXES | TEXT_SUFFIXES
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file()),
        key=lambda p: p.name,
    )


def read_folder(config: Config) -> list[Source]:
    """All manuscript files of a book folder, in reading order."""
    folder = config.root / MANUSCRIPT_DIR
    if not folder.is_dir():
        raise SourceError(f"no {MANUSCRIPT_DIR}/ folder: put the chapters there", folder)
    paths = _inside(_ordered(folder, config), config)
    if not paths:
        found = word_files(folder)
        if found:
            raise SourceError(
                f"no .md or .txt files, only {found[0].name}: run `{import_command(found[0], config)}` "
                "to turn it into Markdown chapters",
                folder,
            )
        raise SourceError("no .md or .txt files: the manuscript is empty", folder)
    return [read_file(p) for p in paths]


def word_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in WORD_SUFFIXES and p.is_file())


def import_command(path: Path, config: Config) -> str:
    return f"octavo import {path} --into {config.root}"


def left_out(config: Config) -> tuple[Diagnostic, ...]:
    """S009 for each word-processor file in manuscript/: it is not read, and saying nothing
    would leave the author wondering where a chapter went."""
    folder = config.root / MANUSCRIPT_DIR
    if not folder.is_dir():
        return ()
    return tuple(
        codes.get("S009").at(
            path, None, None, f"left out; `{import_command(path, config)}` converts it"
        )
        for path in word_files(folder)
    )


def strip_forbidden(source: Source) -> tuple[Source, tuple[Diagnostic, ...]]:
    """Remove the control characters XML forbids (NUL, form feed, …), with one warning per
    file that says how many, which, and where the first one was."""
    found = list(XML_FORBIDDEN.finditer(source.text))
    if not found:
        return source, ()
    text = source.text
    start = found[0].start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    names = ", ".join(dict.fromkeys(f"U+{ord(m[0]):04X}" for m in found))
    warning = codes.get("H001").at(
        source.path, line, col, f"{len(found)} that XML forbids ({names})"
    )
    return replace(source, text=XML_FORBIDDEN.sub("", text)), (warning,)
