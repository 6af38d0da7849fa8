"""Text files as octavo reads them: UTF-8 only, with the characters XML forbids named."""

from __future__ import annotations

import re
from pathlib import Path

from octavo.core.errors import SourceError

# Characters XML 1.0 forbids: an EPUB holding one is not well-formed and will not open.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
