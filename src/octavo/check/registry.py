"""Which function finds each code of the manuscript rules. The codes themselves, with their
severity, summary and explanation, are core/codes.py's one table; a rule module binds a function
to its code with `@file_rule("T001")`, next to the function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from octavo.core.codes import CODES

if TYPE_CHECKING:
    from octavo.check.prose import Manuscript


@dataclass(frozen=True)
class Finding:
    """Where a file rule found something (an offset into the file's text) and what exactly."""

    offset: int
    detail: str = ""


FileCheck = Callable[["Manuscript"], Iterable[Finding]]
F = TypeVar("F", bound=FileCheck)

FILE_RULES: dict[str, FileCheck] = {}


def file_rule(code: str) -> Callable[[F], F]:
    """Bind a function that reads one manuscript file and yields findings to its code."""
    if code not in CODES or code in FILE_RULES:
        raise ValueError(f"{code} is not in the table of codes, or has a rule already")

    def decorate(function: F) -> F:
        FILE_RULES[code] = function
        return function

    return decorate
