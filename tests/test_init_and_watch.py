"""`octavo init` starts a book that builds; `octavo watch` rebuilds when the author saves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from octavo import build, load_book
from octavo.book import config
from octavo.cli.init import create
from octavo.core.errors import OctavoError


def test_init_makes_a_book_that_builds(tmp_path: Path) -> None:
    create(tmp_path, title='The "Quoted" Title', author="Ann Lee", language="en-GB")
    book = load_book(tmp_path)
    assert config.load(tmp_path).title == 'The "Quoted" Title'  # book.toml holds it as typed
    assert book.config.title == "The “Quoted” Title"  # the book sets it with its typography
    assert book.config.authors == ("Ann Lee",)
    assert book.chapters[0].title == "Chapter One"
    result = build(book, tmp_path / "out", ["epub"])
    assert result.outputs[0].path.stat().st_size > 0


def test_init_never_overwrites_a_book(tmp_path: Path) -> None:
    (tmp_path / "book.toml").write_text('title = "Mine"\n')
    with pytest.raises(OctavoError, match="already here"):
        create(tmp_path, title="Other", author="X")
    assert (tmp_path / "book.toml").read_text() == 'title = "Mine"\n'


def _chapter_text(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith("chapter-one.xhtml"))


def _wait_for(predicate, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, zipfile.BadZipFile, KeyError):
            pass
        time.sleep(0.2)
    return False


def test_watch_rebuilds_after_a_save(tmp_path: Path) -> None:
    create(tmp_path, title="Watched", author="X")
    out = tmp_path / "out"
    epub = out / "watched.epub"
    cmd = [sys.executable, "-m", "octavo", "watch", str(tmp_path), "--out", str(out), "-f", "epub"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    try:
        assert _wait_for(lambda: "Write here" in _chapter_text(epub)), "first build never came"
        chapter = tmp_path / "manuscript" / "01-chapter-one.md"
        chapter.write_text("# Chapter One\n\nA brand new sentence.\n")
        assert _wait_for(lambda: "brand new sentence" in _chapter_text(epub)), "no rebuild on save"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_watch_remakes_what_the_last_build_made(tmp_path: Path) -> None:
    from octavo.live.watch import last_formats

    create(tmp_path, title="Watched", author="X")
    out = tmp_path / "out"
    assert last_formats(tmp_path, out) == ["epub", "pdf", "booklet"]  # nothing built yet
    build(load_book(tmp_path), out, ["epub", "pdf", "booklet", "cover"])
    assert last_formats(tmp_path, out) == ["epub", "pdf", "booklet", "cover"]
    (out / "watched-cover.pdf").unlink()
    assert last_formats(tmp_path, out) == ["epub", "pdf", "booklet"]


def test_watch_logs_the_time_the_file_and_every_output(tmp_path: Path) -> None:
    create(tmp_path, title="Watched", author="X")
    out = tmp_path / "out"
    build(load_book(tmp_path), out, ["epub", "pdf", "booklet", "cover"])
    booklet = out / "watched-booklet.pdf"
    before = booklet.stat().st_mtime_ns
    cmd = [sys.executable, "-m", "octavo", "watch", str(tmp_path), "--out", str(out)]
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=os.environ)
        try:
            assert _wait_for(lambda: "first build: rebuilt" in log.read_text(), 180)
            chapter = tmp_path / "manuscript" / "01-chapter-one.md"
            chapter.write_text("# Chapter One\n\nA brand new sentence.\n")
            assert _wait_for(
                lambda: "manuscript/01-chapter-one.md: rebuilt" in log.read_text(), 180
            )
            assert _wait_for(lambda: log.read_text().count("cover") >= 2, 60)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    lines = text.splitlines()
    rebuilt = next(i for i, line in enumerate(lines) if "01-chapter-one.md: rebuilt" in line)
    assert re.match(
        r"\d\d:\d\d:\d\d manuscript/01-chapter-one\.md: rebuilt in \d+\.\d s", lines[rebuilt]
    )
    refreshed = [line.split()[0] for line in lines[rebuilt + 1 : rebuilt + 5]]
    assert refreshed == ["epub", "pdf", "booklet", "cover"], text
    assert str(booklet) in text
    assert booklet.stat().st_mtime_ns > before  # the booklet is not left stale
