"""`octavo watch`: rebuild whenever the manuscript, book.toml or the book's styles change."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from octavo.core.errors import OctavoError
from octavo.pipeline import BuildResult, build
from octavo.source.load import Parsed, load_book

if TYPE_CHECKING:
    from octavo.print.layout import Pace

WATCHED = ("book.toml", "manuscript", "styles")


def watched_paths(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return [source / name for name in WATCHED if (source / name).exists()]


Report = Callable[[BuildResult | OctavoError, float], None]


def rebuild(
    source: Path,
    out_dir: Path,
    formats: Iterable[str],
    pace: Pace | None = None,
    parsed: Parsed | None = None,
) -> BuildResult | OctavoError:
    """One build; a bad edit is reported, not fatal, so the author can fix it and save again.
    Only the files saved since `parsed` was filled are parsed again, and the print edition's
    chapters come from the cache in the output folder unless an edit touched them
    (print/cache.py)."""
    try:
        return build(load_book(source, parsed=parsed), out_dir, formats, pace=pace)
    except OctavoError as exc:
        return exc


def snapshot(paths: Iterable[Path]) -> frozenset[tuple[str, int, int]]:
    """Every watched file with its modification time and size."""
    files = []
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return frozenset(files)


def watch(
    source: Path,
    out_dir: Path,
    formats: Iterable[str],
    report: Report,
    pace: Pace | None = None,
) -> None:
    """Build, then build again after every change; `report` hears of each build and its
    seconds."""
    from watchfiles import watch as watch_changes

    wanted = list(formats)
    paths = watched_paths(source)
    seen = snapshot(paths)

    parsed: Parsed = {}

    def again() -> None:
        start = time.perf_counter()
        result = rebuild(source, out_dir, wanted, pace, parsed)
        report(result, time.perf_counter() - start)

    again()
    # The file watcher starts only once iterated, after the first build: comparing snapshots on
    # each wake-up (a change or a half-second timeout) catches a save made in between.
    for _changes in watch_changes(*paths, yield_on_timeout=True, rust_timeout=500):
        now = snapshot(paths)
        if now != seen:
            seen = now
            again()
