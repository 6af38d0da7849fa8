"""`make bench`: octavo and pandoc side by side, in the same run, against the targets of issue 13.

Books: ../shared/corpus/pride-and-prejudice, and an illustrated book generated from a seed by
bench/illustrated.py (40 chapters, ≈62 MB of SVG line drawings, 19 MB of photographs), kept
in build/bench/ between runs.

How each figure is taken (see bench/measure.py):
- wall seconds of a fresh process, `octavo build` by its console script;
- pandoc 3.9 from `pypandoc-binary`: the EPUB by `pandoc FILES -o book.epub`, the PDF by
  `pandoc FILES -o book.pdf --pdf-engine=weasyprint`, which writes HTML5 and runs the
  `weasyprint` command (this venv's WeasyPrint, put first on PATH);
- peak memory: the sum of RSS over the whole process tree, sampled every 50 ms;
- a one-word edit: " indeed" inserted into a paragraph of the middle chapter of a copy of the
  book, then (a) `octavo build` run again into the same output folder, and (b) the rebuild of
  a running `octavo watch`, timed from the saved edit to its "rebuilt in" line;
- cold start: `octavo --help`, best and median of 5;
- CPU seconds (user + system of the whole tree) beside wall seconds: on a shared machine wall
  time stretches with others' load. The targets are judged on wall time.

    make bench                                 # both books
    .venv/bin/python bench/run.py --book pp    # pp | illustrated | a book folder
    .venv/bin/python bench/run.py --json figures.json
    # another octavo measured in the same run, each measure taken by both in turn (e.g. main's)
    .venv/bin/python bench/run.py --book pp --against ../main/.venv/bin/octavo
    # full builds only (a book without a manuscript/ folder, e.g. an mdBook, has no pandoc rows)
    .venv/bin/python bench/run.py --book ../shared/corpus/nomicon --full-only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import illustrated  # noqa: E402
import measure  # noqa: E402

REPO = HERE.parent
PP = REPO.parent / "shared" / "corpus" / "pride-and-prejudice"
FIXTURE_HOME = REPO / "build" / "bench"
BIN = Path(sys.executable).parent
OCTAVO = BIN / "octavo"
FULL = "epub,pdf,booklet"
EDIT = " indeed"


@dataclass
class Row:
    book: str
    what: str
    octavo: float
    pandoc: float | None  # None: the target is absolute or relative to octavo itself
    unit: str
    limit: float | None  # the target for the ratio (or for the value when pandoc is None)
    note: str = ""
    cpu: tuple[float | None, float | None] = (None, None)  # CPU seconds: octavo, pandoc

    @property
    def ratio(self) -> float | None:
        return self.octavo / self.pandoc if self.pandoc else None

    @property
    def met(self) -> bool | None:
        if self.limit is None:
            return None
        value = self.ratio if self.pandoc is not None else self.octavo
        return value is not None and value <= self.limit


# --- pandoc -------------------------------------------------------------------------------


def pandoc_binary() -> Path:
    import pypandoc

    return Path(pypandoc.get_pandoc_path())


def manuscript_files(book: Path) -> list[Path]:
    folder = book / "manuscript"
    if not folder.is_dir():  # an mdBook project
        return sorted(p for p in (book / "src").rglob("*.md") if p.name != "SUMMARY.md")
    return sorted(p for p in folder.iterdir() if p.suffix in {".md", ".markdown", ".txt"})


def has_pandoc_input(book: Path) -> bool:
    """pandoc is given a book folder's manuscript files in order; an mdBook's order is its
    SUMMARY.md's, which pandoc does not read."""
    return (book / "manuscript").is_dir()


def pandoc(book: Path, out: Path) -> measure.Run:
    """pandoc on the book's manuscript files in order, with book.toml's title, author and
    language; images resolve from the manuscript folder (the working directory)."""
    config = tomllib.loads((book / "book.toml").read_text("utf-8"))
    meta = [
        f"--metadata=title:{config.get('title', book.name)}",
        f"--metadata=lang:{config.get('language', 'en')}",
    ]
    for author in config.get("authors", [config["author"]] if "author" in config else []):
        meta.append(f"--metadata=author:{author}")
    cmd = [str(pandoc_binary()), "-f", "markdown", *map(str, manuscript_files(book))]
    cmd += ["-o", str(out), *meta]
    if out.suffix == ".pdf":
        cmd.append("--pdf-engine=weasyprint")
    return measure.run(cmd, cwd=book / "manuscript", env=measure.env_with_path(BIN))


# --- octavo -------------------------------------------------------------------------------


def octavo(book: Path, out: Path, formats: str, binary: Path = OCTAVO) -> measure.Run:
    return measure.run([str(binary), "build", str(book), "--out", str(out), "--format", formats])


def pdf_pages(folder: Path, pattern: str) -> int:
    from pypdf import PdfReader

    found = [p for p in folder.glob(pattern) if not p.name.endswith("-booklet.pdf")]
    return len(PdfReader(found[0]).pages) if found else 0


def one_word_edit(book: Path) -> Callable[[], None]:
    """An edit of the middle chapter: a word inserted after the first word of its middle
    paragraph. Returns the function that makes it (and saves the file)."""
    files = manuscript_files(book)
    target = files[len(files) // 2]

    def edit() -> None:
        lines = target.read_text("utf-8").split("\n")
        prose = [i for i, line in enumerate(lines) if len(line.split()) > 8]
        i = prose[len(prose) // 2]
        first, rest = lines[i].split(" ", 1)
        lines[i] = f"{first}{EDIT} {rest}"
        target.write_text("\n".join(lines), "utf-8")

    return edit


def rebuilds(
    book: Path, work: Path, binary: Path = OCTAVO
) -> tuple[measure.Run, measure.Run, float]:
    """(CLI rebuild, watch rebuild, watch's first build seconds) after a one-word edit, each
    on its own copy of the book."""
    cli_book, watch_book = work / "cli" / book.name, work / "watch" / book.name
    for copy in (cli_book, watch_book):
        shutil.copytree(book, copy)
    out = work / "cli" / "out"
    octavo(cli_book, out, FULL, binary)  # the build before the edit (a cache may fill here)
    one_word_edit(cli_book)()
    cli = octavo(cli_book, out, FULL, binary)
    cmd = [str(binary), "watch", str(watch_book), "--out", str(work / "watch" / "out")]
    first, again = measure.watch_rebuild(
        [*cmd, "--format", FULL], one_word_edit(watch_book), "rebuilt in", dict(os.environ)
    )
    return cli, again, first.seconds


def cold_start(runs: int = 5, binary: Path = OCTAVO) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(binary), "--help"], capture_output=True, check=True)
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


# --- the two books ------------------------------------------------------------------------


def cpu(octavo_run: measure.Run, pandoc_run: measure.Run) -> tuple[float | None, float | None]:
    return octavo_run.cpu, pandoc_run.cpu


def bench_pp(book: Path, work: Path, name: str, against: Path | None = None) -> list[Row]:
    """Each measure taken by this octavo and the one it is measured against in turn, so that
    both meet the same load."""
    say(f"{name}: pandoc EPUB, pandoc PDF, octavo EPUB, octavo full build, rebuilds")
    p_epub = pandoc(book, work / "pandoc.epub")
    p_pdf = pandoc(book, work / "pandoc.pdf")
    binaries = _binaries(against)
    epubs = {label: octavo(book, work / label / "epub", "epub", b) for label, b in binaries}
    fulls = {label: octavo(book, work / label / "full", FULL, b) for label, b in binaries}
    edits = {label: rebuilds(book, work / label / "edit", b) for label, b in binaries}
    rows: list[Row] = []
    for label, _ in binaries:
        o_epub, o_full = epubs[label], fulls[label]
        cli, watched, watch_first = edits[label]
        here = work / label
        pages = f"{pdf_pages(here / 'full', '*.pdf')} pages vs {pdf_pages(work, 'pandoc.pdf')}"
        who = f"{name}{label}"
        rows += [
            Row(
                who, "EPUB (s)", o_epub.seconds, p_epub.seconds, "s", None, "", cpu(o_epub, p_epub)
            ),
            Row(
                who,
                "full build vs pandoc PDF (s)",
                o_full.seconds,
                p_pdf.seconds,
                "s",
                0.5,
                pages,
                cpu(o_full, p_pdf),
            ),
            Row(who, "peak memory, full vs PDF (MB)", o_full.peak_mb, p_pdf.peak_mb, "MB", 1.0),
            Row(who, "  …summed PSS (MB)", o_full.pss_mb, p_pdf.pss_mb, "MB", 1.0),
            Row(who, "EPUB peak memory (MB)", o_epub.peak_mb, p_epub.peak_mb, "MB", None),
            Row(who, "one-word edit: watch rebuild (s)", watched.seconds, None, "s", 1.5),
            Row(
                who,
                "  …as a fraction of the full build",
                watched.seconds / o_full.seconds,
                None,
                "×",
                0.1,
                f"watch's own first build {watch_first:.1f} s",
            ),
            Row(
                who,
                "one-word edit: `octavo build` again (s)",
                cli.seconds,
                None,
                "s",
                1.5,
                "",
                (cli.cpu, None),
            ),
        ]
    return rows


def bench_full(book: Path, work: Path, name: str, against: Path | None = None) -> list[Row]:
    """Full builds alone (beside pandoc's PDF when pandoc can read the book)."""
    say(f"{name}: full builds")
    p_pdf = pandoc(book, work / "pandoc.pdf") if has_pandoc_input(book) else None
    rows = []
    for label, binary in _binaries(against):
        o_full = octavo(book, work / label / "full", FULL, binary)
        pages = f"{pdf_pages(work / label / 'full', '*.pdf')} pages"
        rows.append(
            Row(
                f"{name}{label}",
                "full build vs pandoc PDF (s)" if p_pdf else "full build (s)",
                o_full.seconds,
                p_pdf.seconds if p_pdf else None,
                "s",
                0.5 if p_pdf else None,
                pages,
                (o_full.cpu, p_pdf.cpu if p_pdf else None),
            )
        )
    return rows


def _binaries(against: Path | None) -> list[tuple[str, Path]]:
    """This octavo, and the one it is measured against (its rows' book name marked `*`)."""
    return [("", OCTAVO), *([("*", against)] if against is not None else [])]


def bench_illustrated(book: Path, work: Path, name: str) -> list[Row]:
    say(f"{name}: pandoc EPUB, pandoc PDF, octavo EPUB, octavo PDF (several minutes)")
    p_epub = pandoc(book, work / "pandoc.epub")
    p_pdf = pandoc(book, work / "pandoc.pdf")
    o_epub = octavo(book, work / "epub", "epub")
    o_pdf = octavo(book, work / "pdf", "pdf")
    pages = f"{pdf_pages(work / 'pdf', '*.pdf')} pages vs {pdf_pages(work, 'pandoc.pdf')}"
    return [
        Row(name, "EPUB (s)", o_epub.seconds, p_epub.seconds, "s", 0.5, "", cpu(o_epub, p_epub)),
        Row(name, "PDF (s)", o_pdf.seconds, p_pdf.seconds, "s", 0.5, pages, cpu(o_pdf, p_pdf)),
        Row(name, "peak memory, PDF (MB)", o_pdf.peak_mb, p_pdf.peak_mb, "MB", 1.0),
        Row(name, "EPUB peak memory (MB)", o_epub.peak_mb, p_epub.peak_mb, "MB", None),
    ]


def illustrated_fixture() -> Path:
    """The generated book, made again only when bench/illustrated.py changes."""
    stamp = hashlib.sha256((HERE / "illustrated.py").read_bytes()).hexdigest()[:12]
    book = FIXTURE_HOME / f"illustrated-{stamp}"
    if not (book / "book.toml").is_file():
        say(f"generating the illustrated book into {book} (≈30 s)")
        shutil.rmtree(book, ignore_errors=True)
        partial = book.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        illustrated.make(partial)
        partial.rename(book)
    return book


# --- report -------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def versions() -> str:
    import weasyprint

    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    version = subprocess.run(
        [str(pandoc_binary()), "--version"], capture_output=True, text=True
    ).stdout.split("\n")[0]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"octavo {commit}, WeasyPrint {weasyprint.__version__}, {version}, "
        f"{os.cpu_count()} CPUs, load average at start {load}"
    )


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if unit == "MB" else f"{value:.2f}"


def table(rows: list[Row]) -> str:
    lines = [
        f"{'book':12} {'measure':40} {'octavo':>7} {'pandoc':>7} {'ratio':>6} "
        f"{'CPU s o/p':>11}  target"
    ]
    for r in rows:
        if r.limit is None:
            target = ""
        else:
            what = "ratio" if r.pandoc is not None else "value"
            target = f"{what} ≤ {r.limit:g}  {'met' if r.met else 'MISSED'}"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        o_cpu, p_cpu = r.cpu
        cpus = f"{fmt(o_cpu, 's')}/{fmt(p_cpu, 's')}" if o_cpu is not None else ""
        line = (
            f"{r.book:12} {r.what:40} {fmt(r.octavo, r.unit):>7} {fmt(r.pandoc, r.unit):>7} "
            f"{ratio:>6} {cpus:>11}  {target}"
        )
        lines.append(line + (f"   ({r.note})" if r.note else ""))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="octavo vs pandoc (issue 13)")
    parser.add_argument(
        "--book", action="append", help="pp, illustrated or a book folder (default: both)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--against", type=Path, help="another octavo command, measured in the same run (rows *)"
    )
    parser.add_argument("--full-only", action="store_true", help="full builds alone")
    args = parser.parse_args()
    print(versions())
    if args.against:
        print(f"* = {args.against}")
    rows: list[Row] = []
    for choice in args.book or ["pp", "illustrated"]:
        with tempfile.TemporaryDirectory(prefix="octavo-bench-") as tmp:
            if choice == "illustrated":
                rows += bench_illustrated(illustrated_fixture(), Path(tmp), "illustrated")
                continue
            book = PP if choice == "pp" else Path(choice).resolve()
            name = "P&P" if choice == "pp" else book.name
            measured = bench_full if args.full_only else bench_pp
            rows += measured(book, Path(tmp), name, args.against)
    for label, binary in _binaries(args.against):
        best, median = cold_start(binary=binary)
        rows.append(
            Row(
                f"—{label}",
                "cold start `octavo --help` (s)",
                best,
                None,
                "s",
                0.3,
                f"median {median:.2f}",
            )
        )
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), "utf-8")


if __name__ == "__main__":
    main()
