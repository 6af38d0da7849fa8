"""The build never touches the network: a hostile book (remote images, style sheets, fonts,
file: URLs, paths out of the book) builds with every socket call refused, and the URL fetcher
WeasyPrint uses records each request it gets: none leaves the book, its theme and its fonts."""

from __future__ import annotations

import io
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from octavo import build, load_book
from octavo.weasy.fetcher import BookFetcher, RefusedResource
from support import make_book, pdf_pages_text, squash

HOSTILE = """\
# One

Words of the book.

![remote](https://evil.example/a.png) ![outside](../../outside.png) ![inside](../images/in.png)

<img src="http://evil.example/b.png" alt="raw"> <img src="file:///etc/hostname" alt="file">

<link rel="stylesheet" href="https://evil.example/c.css">
<iframe src="https://evil.example/frame"></iframe>
<a rel="attachment" href="https://evil.example/attach.bin">an attachment</a>
<span style="background: url(https://evil.example/d.png)">styled</span>
"""
HOSTILE_CSS = """\
@import url(https://evil.example/e.css);
@font-face { font-family: Evil; src: url(https://evil.example/f.woff2); }
p { background: url(file:///etc/passwd); }
h1 { background: url(../../outside.png); }
"""


class Network:
    """Stands in for the network: records every attempt and fails it."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def refuse(self, what: str) -> Any:
        def attempt(*args: Any, **_kwargs: Any) -> Any:
            self.attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise OSError("the network is disabled in this test")

        return attempt


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network()
    monkeypatch.setattr(socket.socket, "connect", net.refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", net.refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", net.refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", net.refuse("getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", net.refuse("urlopen"))
    return net


@pytest.fixture
def fetchers(monkeypatch: pytest.MonkeyPatch) -> list[BookFetcher]:
    """Every BookFetcher the build makes, to read what it was asked for."""
    made: list[BookFetcher] = []
    original = BookFetcher.__init__

    def init(self: BookFetcher, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(BookFetcher, "__init__", init)
    return made


def hostile_book(root: Path) -> Path:
    book = make_book(root / "book", {"01.md": HOSTILE})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(HOSTILE_CSS, "utf-8")
    (book / "styles" / "epub.css").write_text(HOSTILE_CSS, "utf-8")
    (book / "images").mkdir()
    Image.new("RGB", (8, 8), "green").save(book / "images" / "in.png")
    Image.new("RGB", (8, 8), "red").save(root / "outside.png")
    return book


def test_a_hostile_book_builds_with_no_connection_attempted(
    tmp_path: Path, network: Network, fetchers: list[BookFetcher]
) -> None:
    book = hostile_book(tmp_path)
    result = build(load_book(book), tmp_path / "out", ["epub", "pdf"])
    assert network.attempts == []
    assert {w.code for w in result.warnings} == {"H002", "H003", "H004"}
    assert "Wordsofthebook" in squash(" ".join(pdf_pages_text(tmp_path / "out" / "test-book.pdf")))
    # The print layout's fetcher, and the typographic cover's when its image is not cached yet.
    assert fetchers and all(f.requested for f in fetchers), (
        "nothing fetched: the test proves nothing"
    )
    for fetcher in fetchers:
        for url in fetcher.requested:
            assert url.startswith(("file://", "data:")), url
            if url.startswith("file://"):
                assert fetcher.allows(Path(url.removeprefix("file://"))), url
        assert fetcher.refused == []  # everything hostile was removed before WeasyPrint saw it
        assert not any("evil" in url or "outside" in url for url in fetcher.requested)


def test_the_fetcher_refuses_and_records_what_leaves_the_book(tmp_path: Path) -> None:
    inside = tmp_path / "book"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}", "utf-8")
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    (inside / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = BookFetcher([inside])
    assert fetcher.fetch((inside / "ok.css").as_uri())
    refused = [
        "https://evil.example/x.css",
        "http://evil.example/y.png",
        "ftp://evil.example/z",
        (tmp_path / "secret.txt").as_uri(),
        (inside / "link.txt").as_uri(),
        (inside / ".." / "secret.txt").as_uri(),
        f"file://evil.example{inside}/ok.css",
    ]
    for url in refused:
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert fetcher.requested == [(inside / "ok.css").as_uri(), *refused]


def test_weasyprint_asks_only_the_fetcher_even_for_raw_remote_html(
    tmp_path: Path, network: Network
) -> None:
    """The fetcher is the backstop: a document that was never cleaned still fetches nothing."""
    from weasyprint import HTML

    html = (
        '<link rel="stylesheet" href="https://evil.example/a.css">'
        "<style>@import url(https://evil.example/b.css);"
        "@font-face { font-family: E; src: url(https://evil.example/c.woff) }"
        "p { font-family: E; background: url(https://evil.example/d.png) }</style>"
        '<p>Text <img src="https://evil.example/e.png"> <img src="file:///etc/hostname"></p>'
        '<a rel="attachment" href="https://evil.example/f.bin">f</a>'
    )
    fetcher = BookFetcher([tmp_path])
    HTML(string=html, base_url=tmp_path.as_uri() + "/", url_fetcher=fetcher).write_pdf(io.BytesIO())
    assert network.attempts == []
    assert sorted(fetcher.refused) == sorted(fetcher.requested)
    assert {u.split("/")[-1] for u in fetcher.refused} >= {"a.css", "b.css", "c.woff", "e.png"}
