"""Laid-out units and frames kept between builds, in the output folder
(`build/.octavo-cache/`): a rebuild after an edit lays out only the units that changed.

An entry is keyed by everything its pages depend on: its HTML, every style sheet (the theme's,
the book's own, the page geometry's), the PDF variant and printer options, the bytes of the
images it shows and of the theme's fonts and files, and the versions of octavo (and of its own
print code) and of what lays out (WeasyPrint, Pango, pydyf, Pyphen…). A different theme,
option or version gives another key: its entries are never used for this one.

An entry is two files, `<key>.pdf` and `<key>.json`; the JSON names the PDF's SHA-256, so a
truncated or altered entry is seen, reported (P016) and laid out again, never trusted. JSON
and not pickle: a cache folder is a file anyone could have written, and unpickling runs code.
The JSON is written last, so an entry is whole or absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from octavo.core import codes
from octavo.core.diagnostics import Diagnostic
from octavo.print.pool import Laid
from octavo.print.survey import Survey
from octavo.weasy.patches import FontSource

FORMAT = 1  # what an entry holds; bump when that changes
FOLDER = ".octavo-cache"
KEEP_DAYS = 7  # unused entries younger than this are kept (another theme, an undone edit)
_LIBRARIES = ("weasyprint", "pydyf", "pyphen", "tinycss2", "cssselect2", "fonttools", "uharfbuzz")
_DIGESTS: dict[tuple[str, int, int], bytes] = {}  # file → SHA-256, while it is unchanged


def file_digest(path: Path) -> bytes:
    """A file's SHA-256, remembered for as long as its size and time are unchanged (`octavo
    watch` keys every rebuild)."""
    stat = path.stat()
    mark = (str(path), stat.st_size, stat.st_mtime_ns)
    if mark not in _DIGESTS:
        _DIGESTS[mark] = hashlib.sha256(path.read_bytes()).digest()
    return _DIGESTS[mark]


def _code_digest() -> str:
    """octavo's own print and WeasyPrint code: a change to it is a new version for the cache,
    whatever the version number says."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), *(here.parent / "weasy").glob("*.py")]):
        digest.update(file_digest(path))
    return digest.hexdigest()[:16]


def versions() -> str:
    """What lays out, and which version of it."""
    from weasyprint.text.ffi import pango

    found = [f"octavo+{_code_digest()}"]
    for name in ("octavo", *_LIBRARIES):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    found.append(f"pango={pango.pango_version()}")  # it breaks the lines
    return "|".join(found)


class Key:
    """Keys for one build's entries: what all of them share, digested once."""

    def __init__(self, shared: Iterable[str], files: Iterable[Path]) -> None:
        digest = hashlib.sha256(f"{FORMAT}\0{versions()}".encode())
        for part in shared:
            digest.update(part.encode())
            digest.update(b"\0")
        for path in sorted(set(files)):
            digest.update(file_digest(path))
        self.shared = digest.digest()

    def of(self, *parts: str, files: Iterable[Path] = ()) -> str:
        digest = hashlib.sha256(self.shared)
        for part in parts:
            digest.update(part.encode())
            digest.update(b"\0")
        for path in files:
            digest.update(file_digest(path))
        return digest.hexdigest()[:40]


class Cache:
    """The entries under one folder; `warnings` collects the damaged ones found."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.warnings: list[Diagnostic] = []
        self.used: set[str] = set()

    # --- laid-out documents: units and the frame's pieces ---------------------------------

    def laid(self, key: str) -> Laid | None:
        record = self._read(key)
        if record is None:
            return None
        meta, pdf = record
        try:
            fonts = {str(k): FontSource(**v) for k, v in meta["fonts"].items()}
            return Laid(Survey.from_json(meta["survey"]), pdf, fonts)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._damaged(key, f"its record is incomplete ({exc})")
            return None

    def put_laid(self, key: str, laid: Laid, kind: str) -> None:
        """Keep a laid-out document (`kind`: unit or frame, for whoever reads the folder)."""
        fonts = {name: asdict(source) for name, source in laid.fonts.items()}
        meta = {"kind": kind, "survey": laid.survey.to_json(), "fonts": fonts}
        self._write(key, meta, laid.pdf)

    # --- frames and small records ---------------------------------------------------------

    def record(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        return self._read(key)

    def put_record(self, key: str, meta: Mapping[str, Any], pdf: bytes = b"") -> None:
        self._write(key, meta, pdf)

    def remembered_pages(self) -> int | None:
        """The page count of the last build into this folder: a first guess for this one's."""
        try:
            pages = json.loads((self.folder / "pages.json").read_text("utf-8"))["pages"]
            return int(pages) if isinstance(pages, int) and pages > 0 else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember_pages(self, pages: int) -> None:
        with contextlib.suppress(OSError):  # only the next build's first guess is lost
            self._replace(self.folder / "pages.json", json.dumps({"pages": pages}).encode())

    # --- files ----------------------------------------------------------------------------

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.json", self.folder / f"{key}.pdf"

    def _read(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        meta_path, pdf_path = self._paths(key)
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            pdf = pdf_path.read_bytes()
        except (OSError, ValueError) as exc:
            self._damaged(key, f"it cannot be read ({exc})")
            return None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            self._damaged(key, "its record is not one this octavo writes")
            return None
        if meta.get("sha256") != hashlib.sha256(pdf).hexdigest():
            self._damaged(key, "its PDF does not match its record (a truncated file?)")
            return None
        self.used.add(key)
        return meta, pdf

    def _write(self, key: str, meta: Mapping[str, Any], pdf: bytes) -> None:
        meta_path, pdf_path = self._paths(key)
        record = {**meta, "format": FORMAT, "sha256": hashlib.sha256(pdf).hexdigest()}
        try:
            self._replace(pdf_path, pdf)
            self._replace(meta_path, json.dumps(record).encode())  # last: the entry is whole
        except OSError:
            return  # a cache that cannot be written only costs the next build its time
        self.used.add(key)

    def _damaged(self, key: str, why: str) -> None:
        meta_path, pdf_path = self._paths(key)
        self.warnings.append(codes.get("P016").at(meta_path, None, None, f"{why}; laid out again"))
        for path in (meta_path, pdf_path):
            path.unlink(missing_ok=True)

    @staticmethod
    def _replace(path: Path, data: bytes) -> None:
        """Write a file whole or not at all (two builds into one folder each write their own
        temporary file; an interrupted build leaves none)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def prune(self) -> None:
        """Forget the entries this build did not use once they are a week old; touch the ones
        it used, so that they stay."""
        now = time.time()
        for path in self.folder.glob("*.tmp"):  # a build killed outright left it
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > 3600:
                    path.unlink()
        for path in self.folder.glob("*.json"):
            key = path.stem
            if key == "pages":
                continue
            try:
                if key in self.used:
                    os.utime(path)
                elif now - path.stat().st_mtime > KEEP_DAYS * 86400:
                    path.unlink()
                    path.with_suffix(".pdf").unlink(missing_ok=True)
            except OSError:
                continue
