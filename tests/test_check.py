"""`octavo check` end to end: the sample book, the built EPUB (real EPUBCheck) and print PDF
(fonts, overfull lines), the report formats, the exit codes and the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from octavo import build, load_book
from octavo.check import as_json, as_text, check, epubcheck, pdfcheck, prose
from octavo.source.manuscript import read_file
from support import REPO, SEED, make_book

TOML = 'title = "T"\nlanguage = "en"\n'

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) (?P<code>[A-Z]\d{3}) .+$"
)


def test_sample_book_has_exactly_its_two_flaws() -> None:
    """The whole check: lint, EPUB + EPUBCheck, print PDF. Two findings, both real flaws:
    line 1 has `son—”I don’t have a mother,”`, which opens a quotation with a closing mark, and
    line 8 ends `and said,` with the words said on the next line (a sentence split in two)."""
    report = check(REPO)
    found = [(d.path and d.path.name, d.line, d.col, d.code) for d in report.diagnostics]
    assert found == [("01-story.txt", 1, 59, "T002"), ("01-story.txt", 8, 268, "T010")]
    assert report.built and report.pages and report.pages > 1
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1


def test_report_lines_read_path_line_col_severity_code() -> None:
    lines = as_text(check(SEED, build=False)).splitlines()
    assert LINE.match(lines[0]), lines[0]
    assert lines[0].endswith("write “ instead of ”")
    assert lines[1].endswith("T010 paragraph ends with a comma: join it to the next paragraph")
    assert lines[-1] == "0 errors, 2 warnings, manuscript only (EPUB and PDF not built)"


def test_json_report_for_tools() -> None:
    data = json.loads(as_json(check(SEED, build=False)))
    assert data["errors"] == 0 and data["warnings"] == 2 and data["exit_code"] == 0
    assert data["diagnostics"][:1] == [
        {
            "path": str(SEED),
            "line": 1,
            "col": 59,
            "severity": "warning",
            "code": "T002",
            "message": "closing quotation mark where an opening one belongs: write “ instead of ”",
        }
    ]


def test_findings_of_every_stage_are_merged_sorted_and_located(tmp_path: Path) -> None:
    """A book whose print PDF borrows a glyph from another font and has an overfull line."""
    book = make_book(
        tmp_path / "b",
        {
            "01-one.md": "# One\n\nFine text.\n\nAn arrow ↩ here.\n\n" + "x" * 150 + " end.\n",
            "02-two.txt": "Bad close” here.\n",
        },
        TOML,
    )
    report = check(book)
    found = [(d.path and d.path.name, d.line, d.col, d.code) for d in report.diagnostics]
    assert found == [
        ("01-one.md", 5, 10, "F001"),
        ("01-one.md", 5, 10, "P002"),
        ("01-one.md", 7, 1, "P003"),
        ("02-two.txt", 1, 10, "T001"),
    ]
    by_code = {d.code: d.message for d in report.diagnostics}
    assert "DejaVu" in by_code["P002"] and "'↩'" in by_code["P002"]
    assert re.search(r"\d+\.\d pt too long: xxxx+ \(page 1, PDF page \d+\)", by_code["P003"])


def test_a_foreign_glyph_the_theme_adds_is_reported_on_book_toml(tmp_path: Path) -> None:
    root = make_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}, TOML)
    (root / "styles").mkdir()
    (root / "styles" / "print.css").write_text('h1::after { content: " ↩"; }\n', "utf-8")
    book = load_book(root)
    result = build(book, tmp_path / "out", ["pdf"])
    assert result.layout is not None
    manuscripts = [prose.read(read_file(c.source), book.config) for c in book.chapters]
    found = list(pdfcheck.foreign_font_diagnostics(result.layout, manuscripts, root / "book.toml"))
    assert [(d.code, d.path, d.line) for d in found] == [("P002", root / "book.toml", None)]
    assert "'↩'" in found[0].message and "the theme's CSS or the build adds it" in found[0].message


def test_pdf_fonts_not_embedded_are_errors(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(helvetica)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    path = tmp_path / "bare.pdf"
    with path.open("wb") as f:
        writer.write(f)
    found = list(pdfcheck.embedding_diagnostics(path, None))
    assert [(d.code, d.severity, d.message) for d in found] == [
        ("P001", "error", "font not embedded in the print PDF: Helvetica")
    ]


def test_epubcheck_findings_point_at_the_chapters_manuscript(tmp_path: Path) -> None:
    book = load_book(make_book(tmp_path / "b", {"01-one.md": "# One\n\nText.\n"}))
    path = build(book, tmp_path / "out", ["epub"]).outputs[0].path
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("c01-one.xhtml"):
                data = data.replace(b"<p>Text.</p>", b"<p><blink>Text.</blink></p>")
            dst.writestr(info, data)
    found = list(epubcheck.diagnostics(epubcheck.run(broken), book))
    assert [(d.code, d.severity, d.path) for d in found] == [
        ("RSC-005", "error", tmp_path / "b" / "manuscript" / "01-one.md")
    ]
    assert "blink" in found[0].message and "EPUB/c01-one.xhtml:" in found[0].message


# ---- the command line ------------------------------------------------------------------------


def run(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "octavo", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_check_a_single_text_file(tmp_path: Path) -> None:
    proc = run(str(SEED), "--no-build")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"{SEED}:1:59: warning T002 closing quotation mark where an opening one belongs: "
        "write “ instead of ”"
    )


def test_exit_1_on_errors_and_with_strict_on_warnings(tmp_path: Path) -> None:
    warned = make_book(tmp_path / "w", {"01.md": "# A\n\nTwo  spaces.\n"}, TOML)
    broken = make_book(tmp_path / "e", {"01.md": "# A\n\nText[^1].\n"}, TOML)
    assert run(str(warned), "--no-build").returncode == 0
    assert run(str(warned), "--no-build", "--strict").returncode == 1
    proc = run(str(broken), "--no-build")
    assert proc.returncode == 1
    assert ": error S001 footnote reference without a definition: [^1]" in proc.stdout


def test_output_is_sorted_by_file_then_line(tmp_path: Path) -> None:
    book = make_book(
        tmp_path / "b",
        {"01.md": "# A\n\nB  c.\n\nD - e.\n", "02.txt": "F  g - h.\n"},
        'title = "T"\n',
    )
    lines = run(str(book), "--no-build").stdout.splitlines()[:-1]
    places = [(m["path"], int(m["line"]), int(m["col"])) for m in map(LINE.match, lines) if m]
    assert len(places) == len(lines) == 5
    assert places == sorted(places)


def test_json_format(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# A\n\nText[^1].\n"}, TOML)
    proc = run(str(book), "--no-build", "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == data["exit_code"] == 1
    assert [(d["line"], d["col"], d["code"]) for d in data["diagnostics"]] == [(3, 5, "S001")]


def test_explain_a_code() -> None:
    proc = run("--explain", "t005")
    assert proc.returncode == 0
    assert proc.stdout.startswith("T005 (warning): spaced hyphen used as a dash")
    assert "em dash" in proc.stdout


def test_explain_an_epubcheck_code_and_an_unknown_one() -> None:
    assert "EPUBCheck" in run("--explain", "RSC-005").stdout
    proc = run("--explain", "Z999")
    assert proc.returncode == 2 and "unknown diagnostic code 'Z999'" in proc.stderr


def test_without_java_check_says_so_and_exits_2(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b", {"01.md": "# A\n\nText.\n"}, TOML)
    proc = run(str(book), path=str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("octavo: error: EPUBCheck needs Java")
    assert run(str(book), "--no-build", path=str(tmp_path)).returncode == 0


def test_a_book_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    proc = run(str(tmp_path / "nowhere"), "--no-build")
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr
