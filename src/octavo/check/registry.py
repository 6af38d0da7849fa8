"""Every diagnostic code octavo can report: its severity, its one-line message and the longer
explanation `octavo check --explain CODE` prints. Adding a rule touches one place: the module of
its family registers it here with a decorator, next to the function that finds it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from octavo.core.diagnostics import Diagnostic, Severity
from octavo.core.errors import OctavoError

if TYPE_CHECKING:
    from octavo.check.prose import Manuscript

Scope = Literal["file", "book", "build"]


@dataclass(frozen=True)
class Finding:
    """Where a file rule found something (an offset into the file's text) and what exactly."""

    offset: int
    detail: str = ""


FileCheck = Callable[["Manuscript"], Iterable[Finding]]
F = TypeVar("F", bound=FileCheck)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    message: str  # printed with every finding: one line, fixed, so authors can search for it
    explanation: str  # what --explain prints
    scope: Scope
    run: FileCheck | None = None

    def diagnostic(
        self, path: Path | None, line: int | None, col: int | None, detail: str = ""
    ) -> Diagnostic:
        message = f"{self.message}: {detail}" if detail else self.message
        return Diagnostic(path, line, col, self.severity, self.code, message)


RULES: dict[str, Rule] = {}


def register(
    code: str,
    severity: Severity,
    message: str,
    explanation: str,
    scope: Scope,
    run: FileCheck | None = None,
) -> Rule:
    if code in RULES:
        raise ValueError(f"diagnostic code {code} is registered twice")
    rule = Rule(code, severity, message, " ".join(explanation.split()), scope, run)
    RULES[code] = rule
    return rule


def file_rule(code: str, severity: Severity, message: str, explanation: str) -> Callable[[F], F]:
    """Register a function that reads one manuscript file and yields findings in it."""

    def decorate(function: F) -> F:
        register(code, severity, message, explanation, "file", function)
        return function

    return decorate


def file_rules() -> list[Rule]:
    return [rule for rule in RULES.values() if rule.run is not None]


# EPUBCheck's own message IDs (RSC-005, OPF-014…) are passed through unchanged: they are stable
# and documented by EPUBCheck, and they are what an author will search for.
EPUBCHECK_ID = re.compile(r"^[A-Z]{3}-\d{3}[a-z]?$")


def explain(code: str) -> str:
    """The text `octavo check --explain CODE` prints."""
    _load_all()
    rule = RULES.get(code.upper())
    if rule is not None:
        return f"{rule.code} ({rule.severity}): {rule.message}\n\n{rule.explanation}"
    if EPUBCHECK_ID.match(code.upper()):
        return (
            f"{code.upper()}: a message of EPUBCheck, the reference validator of EPUB files, run "
            "on the EPUB this book builds. Its meaning is listed in EPUBCheck's message table: "
            "https://github.com/w3c/epubcheck/blob/main/src/main/resources/com/adobe/epubcheck/"
            "messages/MessageBundle.properties"
        )
    known = ", ".join(sorted(RULES))
    raise OctavoError(f"unknown diagnostic code '{code}' (octavo's codes: {known})")


def _load_all() -> None:
    """Import every rule family so that its codes are registered."""
    from octavo.check import epubcheck, fonts, metadata, pdfcheck, punctuation, structure

    del epubcheck, fonts, metadata, pdfcheck, punctuation, structure
