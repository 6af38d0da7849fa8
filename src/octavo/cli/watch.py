"""`octavo watch`: rebuild whenever the manuscript, book.toml or the book's styles change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from octavo.core.errors import OctavoError
from octavo.pipeline import BuildResult, build
from octavo.source.load import load_book

WATCHED = ("book.toml", "manuscript", "styles")


def watched_paths(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return [source / name for name in WATCHED if (source / name).exists()]


def rebuild(source: Path, out_dir: Path, formats: Iterable[str]) -> BuildResult | OctavoError:
    """One build; a bad edit is reported, not fatal, so the author can fix it and save again."""
    try:
        return build(load_book(source), out_dir, formats)
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
    report: Callable[[BuildResult | OctavoError], None],
) -> None:
    from watchfiles import watch as watch_changes

    wanted = list(formats)
    paths = watched_paths(source)
    seen = snapshot(paths)
    report(rebuild(source, out_dir, wanted))
    # The file watcher starts only once iterated, after the first build: comparing snapshots on
    # each wake-up (a change or a half-second timeout) catches a save made in between.
    for _changes in watch_changes(*paths, yield_on_timeout=True, rust_timeout=500):
        now = snapshot(paths)
        if now != seen:
            seen = now
            report(rebuild(source, out_dir, wanted))
