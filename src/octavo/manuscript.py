"""Finding and reading manuscript files: order, encodings, Markdown or plain text."""

from __future__ import annotations

from pathlib import Path

from octavo.config import Config
from octavo.errors import SourceError
from octavo.model import Source, SourceKind

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".text"}
MANUSCRIPT_DIR = "manuscript"


def kind_of(path: Path) -> SourceKind:
    return "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 only (a BOM is allowed); anything else is named with its line and byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("this file is UTF-16; save it as UTF-8", path, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise SourceError(
            f"not valid UTF-8 (byte 0x{byte:02X} at column {col}); save the file as UTF-8",
            path,
            line,
            col,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path) -> Source:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a manuscript file", path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    return Source(path=path, text=decode(raw, path), kind=kind_of(path))


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
    paths = _ordered(folder, config)
    if not paths:
        raise SourceError("no .md or .txt files: the manuscript is empty", folder)
    return [read_file(p) for p in paths]
