"""The `octavo` fixture: run the real CLI entry point in-process (fast, and the same code path
as the `octavo` console script)."""

from __future__ import annotations

import sys

import pytest
from badtools import Octavo, Run

from octavo.cli import app as cli


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
