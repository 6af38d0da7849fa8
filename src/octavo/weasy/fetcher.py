"""The URL fetcher WeasyPrint uses: files inside the allowed folders only, never the network.

It is the last line of defence: the manuscript's HTML and the book's style sheets have already
been cleaned of remote and outside references (source/sanitize.py, themes/sheets.py), so in a normal build
nothing is refused here. tests/test_network.py proves that no connection is ever attempted."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedResource(Exception):
    """A document named something outside the book, its theme and its fonts."""


class BookFetcher(URLFetcher):  # type: ignore[misc]
    """Serves file:// URLs under `roots` and data: URLs; refuses everything else, and keeps a
    list of every request and every refusal so the build can warn and tests can check."""

    def __init__(self, roots: Iterable[Path], aliases: Mapping[str, Path] | None = None) -> None:
        super().__init__(fail_on_errors=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        # URL → file, for names the book gives its assets (see source/images.py)
        self.aliases = dict(aliases or {})
        self.refused: list[str] = []
        self.requested: list[str] = []

    def allows(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        parsed = urlparse(url)
        if parsed.scheme == "data":
            meta, _, payload = url[5:].partition(",")
            body = (
                base64.b64decode(payload) if meta.endswith(";base64") else unquote_to_bytes(payload)
            )
            return URLFetcherResponse(
                url, body, {"Content-Type": meta.split(";")[0] or "text/plain"}
            )
        if url in self.aliases:
            return URLFetcherResponse(url, self.aliases[url].read_bytes())
        if parsed.scheme == "file" and parsed.netloc in {"", "localhost"}:  # never a share
            path = Path(unquote(parsed.path))
            if self.allows(path) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise RefusedResource(f"refused {url}: only files inside the book are read")
