"""An mdBook project as it is: book.toml's [book] table (book/config.py), src/SUMMARY.md for
the reading order, `{{#include}}` and `{{#rustdoc_include}}` for code kept in files.

SUMMARY.md (mdBook's format, read the way mdBook reads it):
- a first `# Summary` heading is the list's own title and is passed over;
- links before the first list are prefix chapters, links after the last one suffix chapters;
- list items are numbered chapters; an item nested under another is a section with a file of its
  own: a chapter of the book one level deeper in the contents (`Chapter.depth`);
- a later heading (`# Part One`) is a part title: a page of its own, with the chapters after it
  one level below it in the contents;
- `---` separators only draw a line in mdBook's sidebar, and mean nothing on a page;
- a draft chapter (`[Not yet written]()`) has no file: it is left out, with a note (S008).
A file SUMMARY.md names that does not exist stops the build at that line and column.

Includes are mdBook's: `{{#include file}}`, a line `file:12`, a range `file:10:20`, `file:10:`,
`file::20`, or the lines between `ANCHOR: name` and `ANCHOR_END: name` (`file:name`; anchor
lines themselves are left out). `{{#rustdoc_include}}` takes the whole file and marks the lines
outside the range `# `, which a Rust listing hides as mdBook does (source/code.py).
`{{#playground file}}` includes the file as a Rust listing. A path is relative to
the file holding it and must stay inside the book folder (H004); a file or anchor that cannot be
found leaves the directive as written and says so (S007). Lines of the included text are
reported at the line of the directive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from octavo.book.config import Config
from octavo.book.model import Source
from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.core.errors import SourceError
from octavo.core.slug import slugify
from octavo.source import links, manuscript

SUMMARY = "SUMMARY.md"
MAX_INCLUDE_DEPTH = 10  # mdBook's own limit: an include cycle ends here


@dataclass(frozen=True)
class Entry:
    """One piece of the book as SUMMARY.md lists it."""

    source: Source  # the chapter file, includes expanded (a part title: its heading alone)
    title: str  # SUMMARY's words for it: the title when the file has no `#` heading
    depth: int  # levels of the contents above it
    part: bool = False  # a part title, with no file of its own


@dataclass(frozen=True)
class Project:
    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # drafts left out, includes refused or missing

    @property
    def sources(self) -> list[Source]:
        """The chapter files, in reading order (what `octavo check` lints)."""
        return [e.source for e in self.entries if not e.part]


# --- SUMMARY.md -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    title: str
    href: str | None  # None: a part title; "": a draft chapter
    line: int | None
    col: int | None
    depth: int


def _summary_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    links.note_link_positions(md)
    return md


def _link_items(
    inline: Token, lines: Sequence[str], depth: int, first_only: bool
) -> Iterator[_Item]:
    children = inline.children or []
    for i, child in enumerate(children):
        if child.type != "link_open":
            continue
        words = []
        for inner in children[i + 1 :]:
            if inner.type == "link_close":
                break
            if inner.type in {"text", "code_inline"}:
                words.append(inner.content)
        line, col = links.position(inline, child.meta.get("pos", 0), lines)
        yield _Item("".join(words).strip(), str(child.attrGet("href") or ""), line, col, depth)
        if first_only:
            return


def _summary_items(text: str) -> list[_Item]:
    """SUMMARY.md's chapters, part titles and drafts, in order, with their depth."""
    tokens = _summary_parser().parse(text)
    lines = text.split("\n")
    items: list[_Item] = []
    lists = 0  # how deep in nested lists
    parted = False  # a part title came: numbered chapters sit one level below it
    for i, token in enumerate(tokens):
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            lists += 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            lists -= 1
        elif token.type == "heading_open" and i > 0:
            inline = tokens[i + 1]
            line = inline.map[0] + 1 if inline.map else None
            items.append(_Item(inline.content.strip(), None, line, 1, 0))
            parted = True
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            depth = max(lists - 1, 0) + (1 if parted and lists else 0)
            items.extend(_link_items(token, lines, depth, first_only=lists > 0))
    return items


# --- Chapter ids ------------------------------------------------------------------------------


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _chapter_id(relative: str) -> str:
    """`vec/vec-layout.md` → `vec-vec-layout`: files in folders get ids unique in the book."""
    slug = slugify(str(Path(relative).with_suffix(""))) or "chapter"
    return slug if slug[0].isalpha() else f"c{slug}"


# --- Includes ---------------------------------------------------------------------------------

_DIRECTIVE = re.compile(
    r"\\\{\{#.*\}\}|\{\{\s*#(?P<kind>[a-zA-Z0-9_]+)\s+(?P<args>[a-zA-Z0-9 \t_.\-:/\\]+?)\s*\}\}"
)
_ANCHOR_START = re.compile(r"ANCHOR:\s*(?P<name>[\w-]+)")
_ANCHOR_END = re.compile(r"ANCHOR_END:\s*(?P<name>[\w-]+)")
_INCLUDES = {"include", "rustdoc_include", "playground", "playpen"}


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _range(spec: str) -> range | str:
    """mdBook's `:12`, `:10:20`, `:10:`, `::20` as a range of 0-based line indexes, or an
    anchor's name."""
    parts = spec.split(":", 1) if spec else []
    first = parts[0] if parts else ""
    if first and not first.isdigit():
        return first
    start = max(int(first) - 1, 0) if first else None
    end = parts[1] if len(parts) > 1 else None
    end_number = int(end) if end is not None and end.isdigit() else None
    huge = 2**31
    if start is None:
        return range(0, end_number if end_number is not None else huge)
    if end is None:
        return range(start, start + 1)
    return range(start, end_number if end_number is not None else huge)


def _anchored(lines: Sequence[str], name: str, every: bool) -> tuple[list[int], bool]:
    """Indexes of the lines between `ANCHOR: name` and `ANCHOR_END: name` (anchor lines left
    out), and whether the anchor was found. `include` takes the first such stretch, as mdBook
    does; `rustdoc_include` every one."""
    inside, found, kept = False, False, []
    for n, line in enumerate(lines):
        start, end = _ANCHOR_START.search(line), _ANCHOR_END.search(line)
        if start and start["name"] == name:
            inside = found = True
        elif end and end["name"] == name and inside:
            inside = False
            if not every:
                break
        elif inside and not start and not end:
            kept.append(n)
    return kept, found


def _select(text: str, spec: str, rustdoc: bool) -> tuple[str, bool]:
    """The part of an included file a directive asks for; False when its anchor is missing."""
    lines = _lines(text)
    wanted = _range(spec)
    if isinstance(wanted, str):
        chosen, found = _anchored(lines, wanted, every=rustdoc)
        keep = set(chosen)
    else:
        found, keep = True, set(range(wanted.start, min(wanted.stop, len(lines))))
    if not rustdoc:
        return "\n".join(lines[n] for n in sorted(keep)), found
    shown = [
        line if n in keep else f"# {line}"
        for n, line in enumerate(lines)
        if n in keep or not (_ANCHOR_START.search(line) or _ANCHOR_END.search(line))
    ]
    return "\n".join(shown), found


@dataclass
class _Expansion:
    """Expanding one chapter file's directives: where it is, what was said about it."""

    chapter: Path
    root: Path
    warnings: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, line: int, detail: str) -> None:
        self.warnings.append(codes.get(code).at(self.chapter, line, None, detail))

    def directive(self, match: re.Match[str], folder: Path, line: int, depth: int) -> str:
        if match["kind"] is None:
            return match[0][1:]  # an escaped directive, shown as written
        kind, args = match["kind"], match["args"].split()
        if kind == "title":
            return ""  # mdBook's page title for the browser: nothing on a page
        if kind not in _INCLUDES or not args:
            return match[0]
        name, _, spec = args[0].partition(":")
        text = self.read(folder / name, args[0], line)
        if text is None:
            return match[0]
        if kind in {"playground", "playpen"}:
            return f"```rust\n{text.rstrip(chr(10))}\n```"
        chosen, found = _select(text, spec, kind == "rustdoc_include")
        if not found:
            self.warn("S007", line, f"{args[0]}: no 'ANCHOR: {spec}' in {name}")
        if depth >= MAX_INCLUDE_DEPTH:
            self.warn("S007", line, f"{args[0]}: includes nest deeper than {MAX_INCLUDE_DEPTH}")
            return chosen
        return "\n".join(self.expand(chosen, (folder / name).parent, line, depth + 1)[0])

    def read(self, path: Path, written: str, line: int) -> str | None:
        if not path.resolve().is_relative_to(self.root.resolve()):
            self.warn("H004", line, f"{{{{#include {written}}}}}: outside the book folder")
            return None
        if not path.is_file():
            self.warn("S007", line, f"{written}: no such file")
            return None
        try:
            return manuscript.read_file(path).text
        except SourceError as exc:
            self.warn("S007", line, f"{written}: {exc.message}")
            return None

    def expand(
        self, text: str, folder: Path, at: int | None = None, depth: int = 0
    ) -> tuple[list[str], list[int]]:
        """The text's lines with every directive expanded, and the chapter line each stands
        for (`at`, the directive's line, for everything an include brought in)."""
        out: list[str] = []
        where: list[int] = []
        for n, line in enumerate(text.split("\n"), start=1):
            here = at if at is not None else n
            if "{{" in line:
                line = _DIRECTIVE.sub(
                    partial(self.directive, folder=folder, line=here, depth=depth), line
                )
            pieces = line.split("\n")
            out += pieces
            where += [here] * len(pieces)
        return out, where


def expand_includes(source: Source, root: Path) -> tuple[Source, list[Diagnostic]]:
    """The chapter with its directives expanded, its lines mapped back to the file."""
    if "{{" not in source.text:
        return source, []
    expansion = _Expansion(source.path, root)
    lines, where = expansion.expand(source.text, source.path.parent)
    expanded = Source(source.path, "\n".join(lines), source.kind, source.id, tuple(where))
    return expanded, expansion.warnings


# --- The project --------------------------------------------------------------------------------


def _chapter_file(item: _Item, src: Path, summary: Path, root: Path) -> Path:
    path = src / unquote(str(item.href).partition("#")[0])
    if not path.resolve().is_relative_to(root.resolve()):
        raise SourceError(
            f"'{item.href}' lies outside the book folder", summary, item.line, item.col
        )
    if not path.is_file():
        raise SourceError(
            f"'{item.href}' names no file (in {src.name}/)", summary, item.line, item.col
        )
    return path


def _part(item: _Item, summary: Path, taken: set[str]) -> Entry:
    ident = _unique_id(f"part-{slugify(item.title) or 'untitled'}", taken)
    text = f"# {item.title}\n"
    source = Source(summary, text, "markdown", ident, (item.line or 1,) * 2)
    return Entry(source, item.title, item.depth, part=True)


def read(config: Config, reserved: frozenset[str] = frozenset()) -> Project:
    """The project's entries in reading order, each chapter file read and expanded."""
    assert config.mdbook_src is not None
    src, root = config.mdbook_src, config.root
    summary = src / SUMMARY
    if not summary.is_file():
        raise SourceError(f"an mdBook project lists its chapters in {src.name}/{SUMMARY}", summary)
    entries: list[Entry] = []
    notes: list[Diagnostic] = []
    taken = set(reserved)
    for item in _summary_items(manuscript.read_file(summary).text):
        if item.href is None:
            entries.append(_part(item, summary, taken))
        elif not item.href:
            notes.append(codes.get("S008").at(summary, item.line, item.col, item.title))
        else:
            path = _chapter_file(item, src, summary, root)
            ident = _unique_id(_chapter_id(os.path.relpath(path, src)), taken)
            read_source = manuscript.read_file(path)
            source = Source(path, read_source.text, read_source.kind, ident)
            source, warnings = expand_includes(source, root)
            notes += warnings
            entries.append(Entry(source, item.title or path.stem, item.depth))
    if not any(not e.part for e in entries):
        raise SourceError(f"{SUMMARY} lists no chapter", summary)
    return Project(tuple(entries), tuple(notes))
