"""Helpers for the preview's tests: a running preview of a small book, and its HTTP answers."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from octavo.live import server
from support import make_book

CHAPTER = """\
# The Lantern

A lantern swung above the quay while the ferry came in.

The harbour master counted the passengers twice.
"""


def lantern_book(root: Path) -> Path:
    return make_book(root, {"01-lantern.md": CHAPTER}, toml='title = "Lantern"\nlanguage = "en"\n')


@contextmanager
def previewing(book: Path) -> Iterator[server.Running]:
    running = server.start(book)
    try:
        yield running
    finally:
        running.close()


def fetch(url: str, host: str | None = None) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET (errors are answers too)."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def state(running: server.Running) -> dict[str, Any]:
    return dict(json.loads(fetch(running.url + "state")[2]))


def wait_for(predicate: Callable[[], bool], seconds: float) -> float | None:
    """Seconds until predicate() held, or None if it did not within `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def built(running: server.Running) -> bool:
    now = state(running)
    return bool(now["epub"] and now["pdf"] and not now["building"])


def chapter_text(running: server.Running) -> str:
    epub = state(running)["epub"]
    if not epub:
        return ""
    href = epub["spine"][epub["start"]]["href"]
    return fetch(running.url + "epub/" + href)[2].decode("utf-8")
