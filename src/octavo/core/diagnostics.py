"""Diagnostics: a finding with a place, a severity and a stable code (`path:line:col: severity
CODE message`, the format of compilers and ruff, so editors can jump to it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: Path | None
    line: int | None
    col: int | None
    severity: Severity
    code: str
    message: str
    page: int | None = None  # the print PDF's page (1-based), for a fault of the page layout
    folio: str | None = None  # the number printed on that page ('ix', '35')

    def location(self) -> str:
        parts = [str(self.path) if self.path else "octavo"]
        parts += [str(n) for n in (self.line, self.col) if n is not None]
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON fields (`check --format json`, `build --json`)."""
        found: dict[str, object] = {
            "path": str(self.path) if self.path else None,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.page is not None:  # a fault of the page layout: where it is in the PDF
            found.update(page=self.page, folio=self.folio)
        return found


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (str(d.path or ""), d.line or 0, d.col or 0, d.code)
