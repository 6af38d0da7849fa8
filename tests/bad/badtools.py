"""Helpers for the bad-input cases: a CLI run's result, and previous outputs put in place to
check that a failed build leaves them as they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUTPUT_NAMES = ("test-book.epub", "test-book.pdf", "test-book-booklet.pdf")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip().splitlines()


Octavo = Callable[..., Run]


def previous_outputs(out: Path) -> dict[str, bytes]:
    """Outputs of an earlier build (stand-ins with known bytes): a failed build must leave
    them exactly as they are and add nothing, not even a temporary file."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_NAMES:
        (out / name).write_bytes(f"previous {name}".encode())
    return files_in(out)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
