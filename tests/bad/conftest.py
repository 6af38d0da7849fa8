"""Helpers for the bad-input cases: run the real CLI entry point in-process (fast, and the
same code path as `octavo build`), and put previous outputs in place to check they survive."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from octavo import cli

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


@pytest.fixture
def octavo(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Octavo:
    """`octavo(*args)` runs cli.main() as the console script would and returns its exit code
    and output. Signal handlers are left alone: they belong to the test process here."""
    monkeypatch.setattr(cli, "_catch_signals", lambda: None)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["octavo", *args])
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def previous_outputs(out: Path) -> dict[str, bytes]:
    """Outputs of an earlier build (stand-ins with known bytes): a failed build must leave
    them exactly as they are and add nothing, not even a temporary file."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_NAMES:
        (out / name).write_bytes(f"previous {name}".encode())
    return files_in(out)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
