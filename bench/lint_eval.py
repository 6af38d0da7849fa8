"""Measure `octavo check` as a proofreader would: plant flaws in a proofread book, see whether
each is reported at its file and line, and count what it reports on the untouched text.

    .venv/bin/python bench/lint_eval.py ../shared/corpus/pride-and-prejudice
    .venv/bin/python bench/lint_eval.py BOOK --per-kind 40 --seed 1 --show misses,alarms
    .venv/bin/python bench/lint_eval.py BOOK --seeds 10     # seeds 1–10, their flaws summed
    .venv/bin/python bench/lint_eval.py BOOK --every-site --kinds "deleted closing quote"

The book is copied to a temporary folder; nothing in BOOK is changed. Flaws are planted one per
paragraph, with an untouched paragraph between two planted ones (so that no two flaws meet, and
a quotation continued into the next paragraph is never planted twice), at sites chosen with a
fixed seed. Quote flaws are planted only in paragraphs whose primary quotation marks pair up
within the paragraph, so the flaw's own paragraph is where it must be reported. A flaw is found
when the check reports one of its codes on its line (for a deleted quote: on any line of its
paragraph). False alarms are the manuscript findings (T…, S…) on the untouched copy, per 100,000
words (`wc -w` of the manuscript files).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from octavo.check import check, fixes
from octavo.core.diagnostics import Diagnostic
from octavo.source.typography import conventions_for

KINDS = (
    "turned quote",
    "deleted closing quote",
    "deleted opening quote",
    "straight quote",
    "double space",
    "spaced hyphen",
    "three dots",
    "wrong apostrophe",
    "undefined footnote",
)
# The codes that report each kind (T001 also names a turned quote that no longer pairs).
CODES: dict[str, frozenset[str]] = {
    "turned quote": frozenset({"T002", "T003"}),
    "deleted closing quote": frozenset({"T001", "T011"}),
    "deleted opening quote": frozenset({"T001", "T011"}),
    "straight quote": frozenset({"T004"}),
    "double space": frozenset({"T006"}),
    "spaced hyphen": frozenset({"T005"}),
    "three dots": frozenset({"T007"}),
    "wrong apostrophe": frozenset({"T009"}),
    "undefined footnote": frozenset({"S001"}),
}
WHOLE_PARAGRAPH = frozenset({"deleted closing quote", "deleted opening quote"})
LINT = re.compile(r"^[TS]\d{3}$")
# Blocks the sites are never taken from: headings, code, tables, HTML, links, scene breaks.
SKIP_BLOCK = re.compile(r"^\s*(?:#|```|~~~|\||<|\* \* \*|[-*+] |\d+\. )|`|\]\(|<|https?:")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] of one file by `new`."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Block:
    file: str  # relative to the book folder
    start: int  # offset of the block in its file
    text: str


@dataclass
class Plant:
    kind: str
    block: Block
    edit: Edit  # offsets in the file
    line: int = 0  # in the planted file
    lines: tuple[int, int] = (0, 0)  # first and last line of its paragraph
    found: bool = False
    fixed: bool = False  # found, and no longer found after `octavo check --fix`


@dataclass
class Result:
    words: int
    clean: list[Diagnostic]
    plants: list[Plant]
    collateral: list[Diagnostic] = field(default_factory=list)
    clean_fixes: int = 0  # fixes --fix would make to the untouched text


# ---- the book's paragraphs --------------------------------------------------------------------


def manuscript_files(book: Path) -> list[Path]:
    folder = book / "manuscript"
    return sorted(p for p in folder.rglob("*") if p.suffix in {".md", ".txt", ".markdown"})


def blocks(book: Path, path: Path) -> Iterator[Block]:
    """Paragraphs: blocks between blank lines (lines of a plain-text file without blank
    lines); a block quotation's `>` lines count as blank when they hold nothing else."""
    text = path.read_text(encoding="utf-8")
    name = str(path.relative_to(book))
    if path.suffix == ".txt" and not re.search(r"\n\s*\n", text.strip()):
        pattern = re.compile(r"[^\n]+")
    else:
        pattern = re.compile(r"(?:^(?![ \t>]*$)[^\n]*(?:\n|$))+", re.MULTILINE)
    for match in pattern.finditer(text):
        if not SKIP_BLOCK.search(match.group()):
            yield Block(name, match.start(), match.group().rstrip("\n"))


# ---- where each kind of flaw can go -------------------------------------------------------------

Site = tuple[int, int, str]  # start, end (in the block), replacement
Finder = Callable[[Block, str, random.Random], list[Site]]


def _balanced(text: str, quotes: str) -> bool:
    """The block's primary quotes alternate open, close, open, close… and there is a pair."""
    marks = [c for c in text if c in quotes[:2]]
    if quotes[0] == quotes[1] or not marks or len(marks) % 2:
        return False
    return all(c == quotes[k % 2] for k, c in enumerate(marks))


def _quote_sites(block: Block, quotes: str, which: str) -> list[int]:
    if not _balanced(block.text, quotes):
        return []
    glyphs = {"open": quotes[0], "close": quotes[1], "any": quotes[:2]}[which]
    return [m.start() for m in re.finditer(f"[{re.escape(glyphs)}]", block.text)]


def turned(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    swap = {quotes[0]: quotes[1], quotes[1]: quotes[0]}
    return [(i, i + 1, swap[block.text[i]]) for i in _quote_sites(block, quotes, "any")]


def deleted_close(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    return [(i, i + 1, "") for i in _quote_sites(block, quotes, "close")]


def deleted_open(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    return [(i, i + 1, "") for i in _quote_sites(block, quotes, "open")]


def straight(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    sites = [(i, i + 1, '"') for i in _quote_sites(block, quotes, "any")]
    sites += [(m.start(), m.end(), "'") for m in re.finditer(r"(?<=\w)’(?=\w)", block.text)]
    return sites


def double_space(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    return [(m.start(), m.end(), "  ") for m in re.finditer(r"(?<=\w) (?=\w)", block.text)]


def spaced_hyphen(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    dashes = [(m.start(), m.end(), " - ") for m in re.finditer(r"(?<=\w)—(?=\w)", block.text)]
    return dashes or [(m.start(), m.end(), " - ") for m in re.finditer(r", (?=\w)", block.text)]


def three_dots(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    ellipses = [(m.start(), m.end(), "...") for m in re.finditer(r"(?<!\.)…(?!\.)", block.text)]
    stops = [
        (m.start(), m.end(), "...") for m in re.finditer(r"(?<=[a-z])\.(?= [A-Z])", block.text)
    ]
    return ellipses or stops


def wrong_apostrophe(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    return [
        (m.start(), m.end(), rng.choice("‘´"))
        for m in re.finditer(r"(?<=[^\W\d_])’(?=[^\W\d_])", block.text)
    ]


def footnote(block: Block, quotes: str, rng: random.Random) -> list[Site]:
    if not block.file.endswith((".md", ".markdown")):
        return []
    return [
        (m.start(), m.start(), f"[^lint{m.start()}]")
        for m in re.finditer(r"(?<=[a-z])(?= )", block.text)
    ]


FINDERS: dict[str, Finder] = {
    "turned quote": turned,
    "deleted closing quote": deleted_close,
    "deleted opening quote": deleted_open,
    "straight quote": straight,
    "double space": double_space,
    "spaced hyphen": spaced_hyphen,
    "three dots": three_dots,
    "wrong apostrophe": wrong_apostrophe,
    "undefined footnote": footnote,
}


def choose(
    all_blocks: Sequence[Block], quotes: str, per_kind: int, kinds: Sequence[str], seed: int
) -> list[Plant]:
    """Up to `per_kind` plants of each kind, one per block, never in neighbouring blocks."""
    rng = random.Random(seed)
    taken: set[int] = set()
    plants: list[Plant] = []
    order = list(range(len(all_blocks)))
    for kind in kinds:
        rng.shuffle(order)
        count = 0
        for k in order:
            if count == per_kind:
                break
            if taken & {k - 1, k, k + 1}:
                continue
            block = all_blocks[k]
            sites = FINDERS[kind](block, quotes, rng)
            if not sites:
                continue
            start, end, new = rng.choice(sites)
            plants.append(Plant(kind, block, Edit(block.start + start, block.start + end, new)))
            taken.add(k)
            count += 1
    return plants


# ---- planting and matching ----------------------------------------------------------------------


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def plant(copy: Path, plants: Sequence[Plant]) -> None:
    """Apply the edits, file by file, and note each plant's line in the planted file."""
    by_file: dict[str, list[Plant]] = {}
    for p in plants:
        by_file.setdefault(p.block.file, []).append(p)
    for name, group in by_file.items():
        path = copy / name
        text = path.read_text(encoding="utf-8")
        for p in sorted(group, key=lambda p: p.edit.start, reverse=True):
            text = text[: p.edit.start] + p.edit.new + text[p.edit.end :]
        shift = 0
        for p in sorted(group, key=lambda p: p.edit.start):
            p.line = _line(text, p.edit.start + shift)
            first = _line(text, p.block.start + shift)
            p.lines = (first, first + p.block.text.count("\n"))
            shift += len(p.edit.new) - (p.edit.end - p.edit.start)
        path.write_text(text, encoding="utf-8")


def _key(book: Path, d: Diagnostic) -> tuple[str, int, str]:
    path = d.path.resolve().relative_to(book.resolve()) if d.path else Path()
    return str(path), d.line or 0, d.code


def match(book: Path, plants: Sequence[Plant], found: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Mark the plants that were reported; return the findings that matched none."""
    unmatched = []
    by_place: dict[tuple[str, int], list[Plant]] = {}
    for p in plants:
        first, last = p.lines if p.kind in WHOLE_PARAGRAPH else (p.line, p.line)
        for line in range(first, last + 1):
            by_place.setdefault((p.block.file, line), []).append(p)
    for d in found:
        name, line, code = _key(book, d)
        hits = [p for p in by_place.get((name, line), []) if code in CODES[p.kind]]
        for p in hits:
            p.found = True
        if not hits:
            unmatched.append(d)
    return unmatched


def lint_findings(report_diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in report_diagnostics if LINT.match(d.code)]


def _fix(copy: Path, plants: Sequence[Plant]) -> None:
    """Run `octavo check --fix` on the planted copy; mark the plants it mended."""
    fixes.run(copy, apply=True, note=lambda line: None)
    found = [p for p in plants if p.found]
    for p in found:
        p.found = False
    match(copy, found, lint_findings(check(copy, build=False).diagnostics))
    for p in found:
        p.fixed, p.found = not p.found, True


def _relative(copy: Path, found: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [
        replace(d, path=d.path.resolve().relative_to(copy.resolve()) if d.path else None)
        for d in found
    ]


def evaluate(
    book: Path, per_kind: int, seed: int, kinds: Sequence[str], fix: bool = False
) -> Result:
    files = manuscript_files(book)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    config = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    quotes = conventions_for(str(config.get("language", "en"))).quotes
    all_blocks = [b for path in files for b in blocks(book, path)]
    with tempfile.TemporaryDirectory(prefix="lint-eval-") as folder:
        copy = Path(folder) / book.name
        shutil.copytree(book, copy, ignore=shutil.ignore_patterns("build", ".git"))
        clean = lint_findings(check(copy, build=False).diagnostics)
        clean_fixes = sum(len(f.edits) for f in fixes.plan_fixes(copy)) if fix else 0
        plants = choose(all_blocks, quotes, per_kind, kinds, seed)
        plant(copy, plants)
        planted = lint_findings(check(copy, build=False).diagnostics)
        unmatched = match(copy, plants, planted)
        before = {_key(copy, d) for d in clean}
        collateral = [d for d in unmatched if _key(copy, d) not in before]
        if fix:
            _fix(copy, plants)
        return Result(words, _relative(copy, clean), plants, collateral, clean_fixes)


def every_site(book: Path, kinds: Sequence[str]) -> Result:
    """Plant each kind's flaw at every site the book has, not a sample: in batches of
    paragraphs three apart (the j-th site of each), one copy of the book per batch."""
    files = manuscript_files(book)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    config = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    quotes = conventions_for(str(config.get("language", "en"))).quotes
    all_blocks = [b for path in files for b in blocks(book, path)]
    rng = random.Random(0)
    plants: list[Plant] = []
    with tempfile.TemporaryDirectory(prefix="lint-eval-") as folder:
        copy = Path(folder) / book.name
        shutil.copytree(book, copy, ignore=shutil.ignore_patterns("build", ".git"))
        clean = lint_findings(check(copy, build=False).diagnostics)
    for kind in kinds:
        sites = {k: FINDERS[kind](b, quotes, rng) for k, b in enumerate(all_blocks)}
        depth = max((len(found) for found in sites.values()), default=0)
        for remainder in range(3):
            for j in range(depth):
                batch = [
                    Plant(
                        kind,
                        all_blocks[k],
                        Edit(all_blocks[k].start + a, all_blocks[k].start + b, new),
                    )
                    for k, found in sites.items()
                    if k % 3 == remainder and j < len(found)
                    for a, b, new in [found[j]]
                ]
                if batch:
                    _plant_and_match(book, batch)
                    plants += batch
    return Result(words, clean, plants)


def _plant_and_match(book: Path, plants: Sequence[Plant]) -> None:
    with tempfile.TemporaryDirectory(prefix="lint-eval-") as folder:
        copy = Path(folder) / book.name
        shutil.copytree(book, copy, ignore=shutil.ignore_patterns("build", ".git"))
        plant(copy, plants)
        match(copy, plants, lint_findings(check(copy, build=False).diagnostics))


# ---- the report ---------------------------------------------------------------------------------


def _context(book: Path, p: Plant) -> str:
    text = p.block.text
    at = p.edit.start - p.block.start
    return (
        f"…{text[max(0, at - 50) : at]}⟦{text[at : at + 1]}→{p.edit.new}⟧{text[at + 1 : at + 40]}…"
    )


def report(book: Path, result: Result, kinds: Sequence[str], show: set[str]) -> str:
    lines = [f"{book.name}: {result.words:,} words"]
    fixing = "fixed" in show
    lines.append(
        f"  {'kind':24} {'planted':>7} {'found':>6} {'recall':>8}"
        + (f" {'fixed by --fix':>15}" if fixing else "")
    )
    for kind in kinds:
        group = [p for p in result.plants if p.kind == kind]
        found = sum(p.found for p in group)
        recall = f"{100 * found / len(group):.1f} %" if group else "—"
        fixed = f" {sum(p.fixed for p in group):15}" if fixing else ""
        lines.append(f"  {kind:24} {len(group):7} {found:6} {recall:>8}{fixed}")
    per_100k = 100_000 * len(result.clean) / max(result.words, 1)
    codes = Counter(d.code for d in result.clean)
    by_code = ", ".join(f"{c}×{n}" for c, n in sorted(codes.items()))
    lines.append(
        f"  false alarms on the untouched text: {len(result.clean)} "
        f"({per_100k:.2f} per 100k words){': ' + by_code if by_code else ''}"
    )
    lines.append(f"  other new findings in the planted copy: {len(result.collateral)}")
    if fixing:
        lines.append(f"  fixes --fix would make to the untouched text: {result.clean_fixes}")
    if "misses" in show:
        for p in result.plants:
            if not p.found:
                lines.append(f"  MISS {p.kind}: {p.block.file}:{p.line} {_context(book, p)}")
    if "alarms" in show:
        lines += [f"  ALARM {d}" for d in result.clean]
    if "collateral" in show:
        lines += [f"  COLLATERAL {d}" for d in result.collateral]
    return "\n".join(lines)


def combined(results: Sequence[Result]) -> Result:
    """One result for several seeds: their plants summed (one seed's chance sites say little
    on a short book); the untouched text is the same for each."""
    first = results[0]
    return Result(
        first.words,
        first.clean,
        [p for r in results for p in r.plants],
        [d for r in results for d in r.collateral],
        first.clean_fixes,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("books", nargs="+", type=Path, help="book folders")
    parser.add_argument("--per-kind", type=int, default=40, help="flaws planted of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--seeds", type=int, default=1, help="plant with this many seeds from --seed on, and sum"
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--show", default="", help="misses,alarms,collateral")
    parser.add_argument(
        "--fix", action="store_true", help="also run --fix on the planted copy: what it mends"
    )
    parser.add_argument(
        "--every-site",
        action="store_true",
        help="plant at every site of each kind, not --per-kind sampled ones (no --seed)",
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FINDERS]
    if unknown:
        sys.exit(f"unknown kinds: {', '.join(unknown)} (known: {', '.join(KINDS)})")
    show = {s.strip() for s in args.show.split(",") if s.strip()}
    seeds = range(args.seed, args.seed + max(args.seeds, 1))
    for book in args.books:
        if args.every_site:
            print(report(book, every_site(book, kinds), kinds, show))
            continue
        result = combined([evaluate(book, args.per_kind, s, kinds, args.fix) for s in seeds])
        show |= {"fixed"} if args.fix else set()
        print(report(book, result, kinds, show))
        if len(seeds) > 1:
            print(f"  (seeds {seeds[0]}–{seeds[-1]}: the flaws of every seed summed)")


if __name__ == "__main__":
    main()
