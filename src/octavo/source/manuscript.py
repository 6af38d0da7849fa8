"""Finding and reading manuscript files: order, encodings, Markdown or plain text."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from octavo.book.config import Config
from octavo.book.model import Source, SourceKind
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".text"}
MANUSCRIPT_DIR = "manuscript"
# Characters XML 1.0 forbids: an EPUB holding one is not well-formed and will not open.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROL_CODE = "s-001"


def kind_of(path: Path) -> SourceKind:
    return "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, told by the byte-order mark or, without one, by the NUL bytes that
    fill every other byte of mostly-Latin text (such a file is valid UTF-8 full of NULs)."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:4096]
    halves = (sample[0::2].count(0), sample[1::2].count(0))
    if len(sample) >= 8 and max(halves) > 0.4 * len(sample) / 2 and min(halves) < max(halves) / 4:
        return "UTF-16"
    return None


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 only (a BOM is allowed); anything else is named with its line and byte."""
    wide = _wide_encoding(raw)
    if wide:
        raise SourceError(f"this file is {wide}; save it as UTF-8", path, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise SourceError(
            f"not valid UTF-8 (byte 0x{byte:02X} at column {col}; perhaps Windows-1252 or "
            "Latin-1): save the file as UTF-8",
            path,
            line,
            col,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        raise SourceError("no .md or .txt files: the manuscript is empty", folder)
    return [read_file(p) for p in paths]


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
    warning = Diagnostic(
        source.path,
        line,
        col,
        "warning",
        CONTROL_CODE,
        f"removed {len(found)} control character(s) that XML forbids ({names})",
    )
    return replace(source, text=XML_FORBIDDEN.sub("", text)), (warning,)
