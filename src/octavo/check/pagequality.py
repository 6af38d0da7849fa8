"""The page-quality report as diagnostics: one code per kind of fault (P003, P020–P031), each at
the manuscript line of the paragraph concerned and naming the page twice, as printed and as the
PDF counts it: `manuscript/06.md:25: warning P022 hyphen ladder…: 3 lines (page 25, PDF page
32)`. `octavo check` and `octavo build --report` print the same list; `check --format json`
carries the page and the folio as fields of their own.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from octavo.book.model import Book
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.print import quality

CODE_OF_KIND = {
    "overfull-line": "P003",
    "widow": "P020",
    "orphan": "P021",
    "hyphen-ladder": "P022",
    "hyphen-recto": "P023",
    "hyphen-verso": "P024",
    "short-page": "P025",
    "stranded": "P026",
    "loose-line": "P027",
    "split-table": "P028",
    "picture-hole": "P029",
    "running-head": "P030",
    "word-part": "P031",
}


@cache
def _file_lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text("utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        return ()


def _column(fault: quality.Fault) -> tuple[int | None, int | None]:
    """For an overfull line: the line and column of its longest word in the manuscript, at
    or after the paragraph's first line (the word that could not break)."""
    if fault.path is None or fault.line is None or not fault.text:
        return fault.line, None
    words = [w.strip(".,;:!?“”‘’«»()[]\"'") for w in fault.text.replace("\u00ad", "").split()]
    longest = max(words, key=len, default="")
    lines = _file_lines(fault.path)
    for number in range(fault.line, min(len(lines), fault.line + 200) + 1):
        col = lines[number - 1].find(longest) if longest else -1
        if col >= 0:
            return number, col + 1
    return fault.line, None


def diagnostic(fault: quality.Fault) -> Diagnostic:
    """One fault in the report's words."""
    code = codes.get(CODE_OF_KIND[fault.kind])
    where = f"page {fault.folio}, PDF page {fault.page + 1}"
    detail = f"{fault.detail} ({where})" if fault.detail else f"({where})"
    line, col = _column(fault) if fault.kind == "overfull-line" else (fault.line, None)
    found = code.at(fault.path, line, col, detail)
    return replace(found, page=fault.page + 1, folio=fault.folio)


def diagnostics(document: Any, book: Book) -> list[Diagnostic]:
    """The page-quality report of a laid-out book (print.layout.Layout.document)."""
    return [diagnostic(f) for f in quality.report(document, book)]
