"""EPUBCheck reports no error and no warning on any fixture book nor on the corpus novel.

Each EPUBCheck run costs a Java start-up (~5 s), so the books are checked in parallel threads
within one test."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from octavo import build, load_book
from support import CORPUS, REPO, EpubCheckReport, epubcheck

BOOKS = REPO / "tests" / "books"
# (book folder, formats): with "pdf" the EPUB also carries the print page-list.
FIXTURES = [
    ("features", ["epub", "pdf"]),
    ("missing-alt", ["epub"]),
    ("rtl", ["epub", "pdf"]),
    ("cjk", ["epub"]),
    ("embedded-fonts", ["epub"]),
    ("links", ["epub", "pdf"]),
    ("mdbook", ["epub", "pdf"]),
    ("matter", ["epub", "pdf"]),
    ("verse", ["epub", "pdf"]),
    ("pictures", ["epub", "pdf"]),
]


def _check_all(paths: list[Path]) -> dict[str, list[str]]:
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports: list[EpubCheckReport] = list(pool.map(epubcheck, paths))
    return {r.path.parent.name: r.problems() for r in reports}


def test_every_fixture_book_passes_epubcheck_with_no_errors_or_warnings(
    tmp_path: Path,
) -> None:
    paths = []
    for name, formats in FIXTURES:
        result = build(load_book(BOOKS / name), tmp_path / name, formats)
        paths.append(next(o.path for o in result.outputs if o.format == "epub"))
    assert _check_all(paths) == {name: [] for name, _ in FIXTURES}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus lives in ../shared")
def test_corpus_novel_passes_epubcheck_with_no_errors_or_warnings(tmp_path: Path) -> None:
    result = build(load_book(CORPUS), tmp_path / "corpus", ["epub"])
    path = next(o.path for o in result.outputs if o.format == "epub")
    assert epubcheck(path).problems() == []
