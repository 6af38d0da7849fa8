"""The check's report as text (`path:line:col: severity CODE message`, one finding a line, the
format of compilers and ruff) or as JSON for tools; and its exit code."""

from __future__ import annotations

import json
from dataclasses import dataclass

from octavo.core.diagnostics import Diagnostic, Severity, sort_key
from octavo.core.errors import EXIT_OK, EXIT_PROBLEMS


@dataclass(frozen=True)
class CheckReport:
    diagnostics: tuple[Diagnostic, ...]  # sorted by file, line and column
    pages: int | None = None  # pages of the print interior, when the PDF was built
    built: bool = False  # whether the EPUB and PDF were built and checked
    notes: tuple[str, ...] = ()  # what could not be checked here, one line each
    ace: bool = False  # whether DAISY Ace checked the EPUB

    @classmethod
    def of(
        cls,
        found: list[Diagnostic],
        pages: int | None,
        built: bool,
        notes: tuple[str, ...] = (),
        ace: bool = False,
    ) -> CheckReport:
        return cls(tuple(sorted(_once(found), key=sort_key)), pages, built, notes, ace)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def exit_code(self, strict: bool = False) -> int:
        """1 when there are errors (or, with strict, warnings); else 0."""
        counted = {"error", "warning"} if strict else {"error"}
        return EXIT_PROBLEMS if any(d.severity in counted for d in self.diagnostics) else EXIT_OK


def _once(found: list[Diagnostic]) -> set[Diagnostic]:
    """Each problem once: the build and the linter can both find one (an image without alt
    text: the build by its line, the linter by its line and column); the more exact one stays."""
    exact = {(d.path, d.line, d.code) for d in found if d.col is not None}
    return {d for d in found if d.col is not None or (d.path, d.line, d.code) not in exact}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary(report: CheckReport) -> str:
    parts = [_plural(report.count("error"), "error"), _plural(report.count("warning"), "warning")]
    if report.built:
        parts.append("EPUB checked by EPUBCheck" + (" and DAISY Ace" if report.ace else ""))
        if report.pages is not None:
            parts.append(f"print PDF of {_plural(report.pages, 'page')}")
    else:
        parts.append("manuscript only (EPUB and PDF not built)")
    return ", ".join(parts)


def as_text(report: CheckReport) -> str:
    notes = (f"note: {n}" for n in report.notes)
    return "\n".join([*(str(d) for d in report.diagnostics), *notes, summary(report)])


def as_json(report: CheckReport, strict: bool = False) -> str:
    return json.dumps(
        {
            "diagnostics": [d.as_dict() for d in report.diagnostics],
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "pages": report.pages,
            "built": report.built,
            "notes": list(report.notes),
            "ace": report.ace,
            "exit_code": report.exit_code(strict),
        },
        ensure_ascii=False,
        indent=2,
    )
