"""DAISY Ace, the accessibility checker publishers use, confirms what the EPUB claims (issue 15).

Each test that runs Ace skips where Ace or Chromium is missing, and fails in CI (acesupport)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import acesupport
from acesupport import Violation, require_ace, run_ace
from octavo.pipeline import BuildResult


def epub_of(result: BuildResult) -> Path:
    return next(o.path for o in result.outputs if o.format == "epub")


# raises=AssertionError: in CI, a missing Ace must fail this test, not count as the expected failure.
@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 15: fixes pending")
def test_sample_epub_has_no_ace_violations(sample_build: BuildResult, tmp_path: Path) -> None:
    require_ace()
    epub = epub_of(sample_build)
    with zipfile.ZipFile(epub) as z:
        nav = next(z.read(n) for n in z.namelist() if n.endswith("nav.xhtml"))
    # Built with its print edition, the sample has a page-list: Ace's page-source rule applies.
    assert b'epub:type="page-list"' in nav
    found = run_ace(epub, tmp_path / "ace")
    assert found == [], "\n".join(map(str, found))


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


def test_missing_ace_skips_outside_ci_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(acesupport, "LOCAL_BIN", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
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
    found = acesupport.violations(report, acesupport.PurePosixPath("EPUB"))
    assert found == [
        Violation(
            "empty-table-header", "minor", "EPUB/c01.xhtml", "th", "/4/2", "<th></th>", "empty"
        ),
        Violation("epub-lang", "serious", "EPUB/content.opf", "", "", "", "no lang"),
    ]
