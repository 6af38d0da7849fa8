"""`octavo watch`: rebuild whenever the manuscript, book.toml, the book's styles or images change.

Each rebuild is reported as a `Rebuild`: when it started, which files set it off, and what it
wrote (or the error that stopped it). By default a rebuild remakes every output the last build
left in the output folder, so a booklet or a cover never goes stale beside a fresh PDF.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from octavo.book import config as config_mod
from octavo.core.errors import OctavoError
from octavo.core.slug import slugify
from octavo.pipeline import DEFAULT_FORMATS, BuildResult, build
from octavo.source.load import load_book

WATCHED = ("book.toml", "manuscript", "styles", "images")

Snapshot = frozenset[tuple[str, int, int]]


@dataclass(frozen=True)
class Rebuild:
    """One build of the book: when, why (the files that changed; none for the first build), and
    its result or the error that stopped it."""

    at: dt.datetime
    trigger: tuple[Path, ...]
    result: BuildResult | OctavoError
    seconds: float


def watched_paths(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    paths = [source / name for name in WATCHED]
    try:
        mdbook_src = config_mod.load(source).mdbook_src  # an mdBook's chapters: src/
    except OctavoError:
        mdbook_src = None
    if mdbook_src is not None:
        paths.append(mdbook_src)
    return [path for path in paths if path.exists()]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every watched file with its modification time and size."""
    files = []
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return frozenset(files)


def changed(before: Snapshot, after: Snapshot) -> tuple[Path, ...]:
    """The files added, removed or saved between two snapshots, in name order."""
    return tuple(sorted({Path(entry[0]) for entry in before ^ after}))


def _slug(source: Path) -> str | None:
    try:
        if source.is_dir():
            title = config_mod.load(source).title
        else:
            title = config_mod.defaults_for_file(source, None).title
    except OctavoError:
        return None
    return slugify(title) or "book"


def last_formats(source: Path, out_dir: Path) -> list[str]:
    """The formats whose outputs the last build left in out_dir (the print interior, booklet,
    cover and EPUB of this book), or the build's defaults when there are none yet."""
    slug = _slug(source)
    if slug is None:
        return list(DEFAULT_FORMATS)
    names = {
        "epub": f"{slug}.epub",
        "pdf": f"{slug}.pdf",
        "booklet": f"{slug}-booklet.pdf",
        "cover": f"{slug}-cover.pdf",
    }
    found = [fmt for fmt, name in names.items() if (out_dir / name).is_file()]
    return found or list(DEFAULT_FORMATS)


def rebuild(
    source: Path, out_dir: Path, formats: Iterable[str], trigger: Sequence[Path] = ()
) -> Rebuild:
    """One build; a bad edit is reported, not fatal, so the author can fix it and save again."""
    at = dt.datetime.now().astimezone()
    start = time.perf_counter()
    result: BuildResult | OctavoError
    try:
        result = build(load_book(source), out_dir, formats)
    except OctavoError as exc:
        result = exc
    return Rebuild(at, tuple(trigger), result, time.perf_counter() - start)


def follow(
    source: Path,
    on_change: Callable[[tuple[Path, ...]], None],
    stop: threading.Event | None = None,
) -> None:
    """Call on_change with the changed files after every save, until `stop` is set (or for
    ever). The file watcher starts only once iterated: comparing snapshots on each wake-up (a
    change or a half-second timeout) also catches a save made before it started."""
    from watchfiles import watch as watch_changes

    paths = watched_paths(source)
    seen = snapshot(paths)
    on_change(())
    for _changes in watch_changes(*paths, yield_on_timeout=True, rust_timeout=500, stop_event=stop):
        now = snapshot(paths)
        if now != seen:
            files = changed(seen, now)
            seen = now
            on_change(files)


def watch(
    source: Path,
    out_dir: Path,
    formats: Iterable[str] | None,
    report: Callable[[Rebuild], None],
    stop: threading.Event | None = None,
) -> None:
    """Build now and after every save; `formats` None means what the last build made."""
    wanted = list(formats) if formats is not None else last_formats(source, out_dir)
    follow(source, lambda files: report(rebuild(source, out_dir, wanted, files)), stop)


def log_lines(event: Rebuild, base: Path | None = None) -> list[str]:
    """What `octavo watch` prints for one rebuild: its time, what set it off and every output
    it refreshed (or the error, at its place)."""
    when = event.at.strftime("%H:%M:%S")
    why = ", ".join(_shown(p, base) for p in event.trigger) if event.trigger else "first build"
    if isinstance(event.result, OctavoError):
        return [f"{when} {why}: build failed", str(event.result)]
    lines = [f"{when} {why}: rebuilt in {event.seconds:.1f} s"]
    lines += [f"  {o.format:8} {o.path}" for o in event.result.outputs]
    return lines


def _shown(path: Path, base: Path | None) -> str:
    if base is not None and path.is_relative_to(base):
        return str(path.relative_to(base))
    return str(path)
