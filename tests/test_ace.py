"""DAISY Ace, the accessibility checker publishers use, confirms what the EPUB claims (issue 15):
0 violations on the sample, on every fixture book and on the corpus novel; a book octavo's own
audit fails gets no conformance claim, and Ace fails it too; `octavo check` reports Ace's
findings under their codes.

Each test that runs Ace skips where Ace or Chromium is missing, and fails in CI (acesupport)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import pytest

import acesupport
from acesupport import require_ace, run_ace
from octavo import build, load_book
from octavo.check import ace, check
from octavo.check.ace import Violation
from octavo.pipeline import BuildResult
from support import CORPUS, REPO, make_book

BOOKS = sorted(p for p in (REPO / "tests" / "books").iterdir() if (p / "book.toml").is_file())
CONFORMS = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def epub_of(result: BuildResult) -> Path:
    return next(o.path for o in result.outputs if o.format == "epub")


def claims_conformance(epub: Path) -> bool:
    with zipfile.ZipFile(epub) as z:
        opf = z.read("EPUB/content.opf").decode("utf-8")
    return f'property="dcterms:conformsTo">{CONFORMS}<' in opf


def test_sample_epub_has_no_ace_violations(sample_build: BuildResult, tmp_path: Path) -> None:
    require_ace()
    epub = epub_of(sample_build)
    with zipfile.ZipFile(epub) as z:
        nav = next(z.read(n) for n in z.namelist() if n.endswith("nav.xhtml"))
    # Built with its print edition, the sample has a page-list: Ace's page-source rule applies.
    assert b'epub:type="page-list"' in nav
    found = run_ace(epub, tmp_path / "ace")
    assert found == [], "\n".join(map(str, found))
    assert claims_conformance(epub)


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_octavos_audit_and_ace_agree_on_every_fixture_book(book: Path, tmp_path: Path) -> None:
    """Conformance is claimed exactly when Ace finds nothing: earned, never asserted."""
    require_ace()
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    epub = epub_of(result)
    found = run_ace(epub, tmp_path / "ace")
    assert claims_conformance(epub) == (found == []), "\n".join(map(str, found))
    if book.name == "missing-alt":
        assert {v.rule for v in found} == {"image-alt"}
        with zipfile.ZipFile(epub) as z:
            opf = z.read("EPUB/content.opf").decode("utf-8")
        assert "does not claim conformance" in opf and "1 image(s) without alt text" in opf
    else:
        assert found == [], "\n".join(map(str, found))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus lives in ../shared")
def test_the_corpus_novel_passes_ace(tmp_path: Path) -> None:
    require_ace()
    result = build(load_book(CORPUS), tmp_path / "out", ["epub", "pdf"])
    found = run_ace(epub_of(result), tmp_path / "ace")
    assert found == [], "\n".join(map(str, found[:20]))


def test_check_reports_a_colour_only_link_at_its_chapter(tmp_path: Path) -> None:
    require_ace()
    text = "# One\n\nRead [the other chapter](02-two.md) before this one.\n"
    book = make_book(
        tmp_path / "b",
        {"01-one.md": text, "02-two.md": "# Two\n\nText.\n"},
        'title = "Links"\nlanguage = "en"\n',
    )
    (book / "styles").mkdir()
    (book / "styles" / "epub.css").write_text("a { text-decoration: none; }\n", "utf-8")
    report = check(book)
    found = [(d.code, d.path and d.path.name, d.line) for d in report.diagnostics]
    assert ("A003", "01-one.md", 3) in found, found
    assert report.ace


def test_check_says_in_one_line_when_ace_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("OCTAVO_ACE", raising=False)
    monkeypatch.setattr(ace, "command", lambda: None)
    report = check(make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}))
    assert len(report.notes) == 1 and "accessibility not checked by Ace" in report.notes[0]
    assert not report.ace and report.built


def _spoil(epub: Path, out: Path) -> tuple[Path, str]:
    """A copy of the EPUB whose first chapter has an image without alt and an h4 right after
    its h1: faults Ace must find whatever octavo fixes."""
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        chapter = next(
            n for n in names if n.endswith(".xhtml") and b"</h1>" in src.read(n) and "nav" not in n
        )
        for name in names:
            data = src.read(name)
            if name == chapter:
                fault = b'<h4>Skipped levels</h4><p><img src="nowhere.png"/></p>'
                data = re.sub(rb"</p>", b"</p>" + fault, data, count=1)
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(src.getinfo(name), data, compress_type=method)
    return out, chapter


def test_ace_reports_each_fault_with_its_rule_impact_and_place(
    sample_build: BuildResult, tmp_path: Path
) -> None:
    require_ace()
    spoiled, chapter = _spoil(epub_of(sample_build), tmp_path / "spoiled.epub")
    found = run_ace(spoiled, tmp_path / "ace")
    faults = {(v.rule, v.impact, v.file, v.location) for v in found if v.file == chapter}
    assert ("image-alt", "critical", chapter, "img") in faults
    assert ("heading-order", "moderate", chapter, "h4") in faults
    assert all(v.impact in acesupport.IMPACTS for v in found)


def test_missing_ace_skips_outside_ci_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTAVO_ACE", raising=False)
    monkeypatch.setattr(ace, "command", lambda: None)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="DAISY Ace"):
        require_ace()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run DAISY Ace"):
        require_ace()


def test_violations_are_read_from_an_ace_report() -> None:
    report = {
        "assertions": [
            {
                "earl:testSubject": {"url": "EPUB/content.opf"},
                "assertions": [
                    {
                        "earl:result": {"earl:outcome": "fail", "dct:description": "no lang"},
                        "earl:test": {"dct:title": "epub-lang", "earl:impact": "serious"},
                    }
                ],
            },
            {
                "earl:testSubject": {"url": "c01.xhtml"},
                "assertions": [
                    {
                        "earl:result": {
                            "earl:outcome": "fail",
                            "dct:description": "empty",
                            "earl:pointer": {"css": ["th", "table"], "cfi": ["/4/2", "/4"]},
                            "html": "<th></th> <!--##--> <table/>",
                        },
                        "earl:test": {"dct:title": "empty-table-header", "earl:impact": "minor"},
                    },
                    {"earl:result": {"earl:outcome": "pass"}, "earl:test": {"dct:title": "x"}},
                ],
            },
        ]
    }
    found = ace.violations(report, PurePosixPath("EPUB"))
    assert found == [
        Violation("empty-table-header", "minor", "EPUB/c01.xhtml", "th", "<th></th>", "empty"),
        Violation("epub-lang", "serious", "EPUB/content.opf", "", "", "no lang"),
    ]
