"""The built EPUB as the preview's left pane serves it: its files straight from the zip, and
its reading order (the spine) with each document's title, as a reading system would."""

from __future__ import annotations

import io
import mimetypes
import posixpath
import re
import zipfile
from dataclasses import dataclass
from html import unescape

from lxml import etree

OPF_NS = {"opf": "http://www.idpf.org/2007/opf"}
CONTAINER_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}
MEDIA_TYPES = {
    ".xhtml": "application/xhtml+xml",
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".ncx": "application/x-dtbncx+xml",
    ".opf": "application/oebps-package+xml",
}
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


@dataclass(frozen=True)
class SpineItem:
    href: str  # the file's name inside the zip
    title: str


class EpubView:
    """An EPUB held in memory: a rebuild replaces the file on disk, never what is being read."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = frozenset(self.zip.namelist())
        self.spine = self._spine()

    def read(self, name: str) -> tuple[bytes, str] | None:
        """A file of the EPUB and its media type; None if the zip has no such file (the name
        is looked up, never joined to a folder, so nothing outside the EPUB can be read)."""
        if name not in self.names:
            return None
        suffix = posixpath.splitext(name)[1].lower()
        kind = (
            MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        return self.zip.read(name), kind

    def _spine(self) -> tuple[SpineItem, ...]:
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", CONTAINER_NS)
        opf_name = str(rootfile.get("full-path") if rootfile is not None else "")
        opf = etree.fromstring(self.zip.read(opf_name))
        folder = posixpath.dirname(opf_name)
        hrefs = {
            str(item.get("id")): posixpath.normpath(posixpath.join(folder, str(item.get("href"))))
            for item in opf.iterfind(".//opf:manifest/opf:item", OPF_NS)
        }
        items = []
        for ref in opf.iterfind(".//opf:spine/opf:itemref", OPF_NS):
            href = hrefs.get(str(ref.get("idref")), "")
            if href in self.names:
                text = self.zip.read(href).decode("utf-8", "replace")
                found = _TITLE.search(text)
                title = unescape(re.sub(r"<[^>]+>", "", found[1])).strip() if found else href
                items.append(SpineItem(href, title))
        return tuple(items)
