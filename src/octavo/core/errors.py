"""Errors are values with a place: the CLI alone turns them into a message and an exit code."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1  # `check` found errors in the book
EXIT_CANNOT_RUN = 2  # bad config, missing file, bad input: nothing was built


class OctavoError(Exception):
    """Something about the book or the command stops the build."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col

    def location(self) -> str:
        if self.path is None:
            return "octavo"
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: error: {self.message}"


class ConfigError(OctavoError):
    """book.toml is missing a value, has a wrong one, or cannot be parsed."""


class SourceError(OctavoError):
    """A manuscript file cannot be found, read or decoded."""


class RenderError(OctavoError):
    """A target could not be written."""


def unknown(kind: str, word: str, choices: Iterable[str]) -> str:
    """ "unknown theme 'clasic': did you mean 'classic'?", or the list of what is known."""
    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"unknown {kind} '{word}': did you mean '{close[0]}'?"
    return f"unknown {kind} '{word}' (known: {', '.join(known)})"
