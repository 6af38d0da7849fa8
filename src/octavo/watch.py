"""`octavo watch`: rebuild whenever the manuscript, book.toml or the book's styles change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from octavo.build import BuildResult, build, load_book
from octavo.errors import OctavoError

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


def watch(
    source: Path,
    out_dir: Path,
    formats: Iterable[str],
    report: Callable[[BuildResult | OctavoError], None],
) -> None:
    from watchfiles import watch as watch_changes

    wanted = list(formats)
    report(rebuild(source, out_dir, wanted))
    for _changes in watch_changes(*watched_paths(source)):
        report(rebuild(source, out_dir, wanted))
