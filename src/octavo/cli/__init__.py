"""The command line: typer commands (app.py), `octavo init` (init.py), `octavo watch` (watch.py)."""

from octavo.cli.app import main

__all__ = ["main"]
