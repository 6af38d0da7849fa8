"""Nothing lost: a build that fails or is interrupted (a full disk, Ctrl-C, SIGTERM) leaves the
previous outputs byte for byte and no temporary file; two builds into one folder at once both
finish and leave valid files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from support import make_book

# Runs the real CLI with the write of each temporary output file slowed or failed halfway.
DRIVER = r"""
import errno, os, pathlib, sys, time
mode = sys.argv.pop(1)
real = pathlib.Path.write_bytes
def write_bytes(self, data):
    if not self.name.startswith(".octavo-"):
        return real(self, data)
    with open(self, "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
    if mode == "full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    print("half written", file=sys.stderr, flush=True)
    time.sleep(60)
pathlib.Path.write_bytes = write_bytes
from octavo.cli.app import main
sys.argv[0] = "octavo"
main()
"""
CHAPTERS = {"01.md": "# One\n\nThe first chapter.\n", "02.md": "# Two\n\nThe second.\n"}


def octavo(*args: str) -> list[str]:
    return [sys.executable, "-m", "octavo", *args]


def driven(mode: str, *args: str) -> list[str]:
    return [sys.executable, "-c", DRIVER, mode, *args]


def files_in(folder: Path) -> dict[str, bytes]:
    """The outputs in a folder (not the print layout's cache, .octavo-cache/)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A book, its EPUB from a first good build, and the output folder's bytes."""
    book = make_book(tmp_path / "book", CHAPTERS)
    out = tmp_path / "out"
    first = subprocess.run(octavo("build", str(book), "--out", str(out), "--format", "epub"))
    assert first.returncode == 0
    (book / "manuscript" / "03.md").write_text("# Three\n\nA new chapter.\n", "utf-8")
    return book, out, files_in(out)


def test_a_full_disk_leaves_the_previous_output_and_no_temporary_file(
    built: tuple[Path, Path, dict[str, bytes]],
) -> None:
    book, out, before = built
    args = ("build", str(book), "--out", str(out), "--format", "epub")
    proc = subprocess.run(driven("full", *args), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"{out / 'test-book.epub'}: error: cannot write test-book.epub: No space left on "
        "device; the previous file is untouched"
    ]
    assert files_in(out) == before


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_leaves_the_previous_output_and_no_temporary_file(
    built: tuple[Path, Path, dict[str, bytes]], signum: int, code: int
) -> None:
    book, out, before = built
    args = ("build", str(book), "--out", str(out), "--format", "epub")
    proc = subprocess.Popen(driven("slow", *args), stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().strip() == "half written"
        temporary = [p.name for p in out.iterdir() if p.name.startswith(".octavo-")]
        assert len(temporary) == 1, "the signal must arrive while a temporary file exists"
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == code
        assert proc.stderr.read().strip() == "octavo: interrupted; earlier outputs are untouched"
    finally:
        proc.kill()
        proc.wait()
    assert files_in(out) == before


def test_two_builds_into_one_folder_at_once_both_finish_with_valid_files(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book", CHAPTERS)
    out = tmp_path / "out"
    args = octavo("build", str(book), "--out", str(out), "--format", "epub,pdf")
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    assert sorted(files_in(out)) == ["test-book.epub", "test-book.pdf"]
    with zipfile.ZipFile(out / "test-book.epub") as epub:
        assert epub.testzip() is None
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                etree.fromstring(epub.read(name))
    assert len(PdfReader(out / "test-book.pdf").pages) > 2


def test_a_target_that_fails_leaves_its_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavo import build, load_book
    from octavo.core.errors import RenderError
    from octavo.epub import package as epub

    out = tmp_path / "out"
    out.mkdir()
    (out / "test-book.epub").write_bytes(b"previous")

    def fail_halfway(*_args: object, **_kwargs: object) -> bytes:
        raise RenderError("the EPUB could not be made")

    monkeypatch.setattr(epub, "render", fail_halfway)
    book = load_book(make_book(tmp_path / "book", CHAPTERS))
    with pytest.raises(RenderError):
        build(book, out, ["epub"])
    assert files_in(out) == {"test-book.epub": b"previous"}
    assert os.listdir(out) == ["test-book.epub"]
