"""The preview's HTTP server: the page, the build state, the EPUB's files and the PDF's pages.

Loopback only: `serve` refuses any other address, and a request must name the server by its
loopback address in its Host header (so a page on another site cannot reach it by pointing
a name of its own at 127.0.0.1)."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from octavo.core.errors import OctavoError
from octavo.live.preview import Preview, state_json
from octavo.live.watch import Rebuild, follow

LOOPBACK_NAMES = {"localhost": "127.0.0.1", "ip6-localhost": "::1"}


def loopback(host: str) -> str:
    """The address to listen on, which must be this machine's own: 127.0.0.1, ::1, localhost."""
    address = LOOPBACK_NAMES.get(host.strip().lower(), host.strip().strip("[]"))
    try:
        ok = ipaddress.ip_address(address).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise OctavoError(
            f"--host {host}: the preview is served to this machine only; use 127.0.0.1 "
            "(the default), ::1 or localhost"
        )
    return address


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, port: int, preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self.preview = preview
        try:
            super().__init__((address, port), PreviewHandler)
        except OSError as exc:
            raise OctavoError(
                f"cannot listen on {address} port {port}: {exc.strerror}; "
                "leave out --port to take a free one"
            ) from None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"

    def allowed_hosts(self) -> set[str]:
        port = self.port
        return {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}


def _page() -> bytes:
    return resources.files("octavo.live").joinpath("page.html").read_bytes()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal shows the rebuilds."""

    def do_GET(self) -> None:
        if self.headers.get("Host", "").lower() not in self.server.allowed_hosts():
            self._send(HTTPStatus.FORBIDDEN, b"this preview answers on its loopback address only")
            return
        path = unquote(urlsplit(self.path).path)
        preview = self.server.preview
        if path == "/":
            self._send(HTTPStatus.OK, _page(), "text/html; charset=utf-8")
        elif path == "/state":
            self._send(HTTPStatus.OK, state_json(preview), "application/json")
        elif path.startswith("/epub/"):
            found = preview.epub.read(path.removeprefix("/epub/")) if preview.epub else None
            self._send(*((HTTPStatus.OK, *found) if found else _missing()))
        elif path == "/book.pdf" and preview.pdf is not None:
            self._send(HTTPStatus.OK, preview.pdf.data, "application/pdf")
        elif path.startswith("/pdf/") and path.endswith(".png"):
            self._page_png(path)
        else:
            self._send(*_missing())

    def _page_png(self, path: str) -> None:
        query = dict(p.split("=", 1) for p in urlsplit(self.path).query.split("&") if "=" in p)
        pdf = self.server.preview.pdf
        try:
            index = int(path.removeprefix("/pdf/").removesuffix(".png")) - 1
            width = int(query.get("w", "700"))
        except ValueError:
            index, width = -1, 0
        png = pdf.png(index, width) if pdf is not None else None
        self._send(*((HTTPStatus.OK, png, "image/png") if png else _missing()))

    def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # every build changes every file
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)


def _missing() -> tuple[HTTPStatus, bytes, str]:
    return HTTPStatus.NOT_FOUND, b"not in this build", "text/plain"


def serve(preview: Preview, host: str = "127.0.0.1", port: int = 0) -> PreviewServer:
    """A server for the preview on a loopback address; port 0 takes a free one."""
    return PreviewServer(loopback(host), port, preview)


class Running:
    """A preview being served: the HTTP server and the watcher, each on a thread of its own."""

    def __init__(self, server: PreviewServer, stop: threading.Event, watcher: threading.Thread):
        self.server, self.stop, self.watcher = server, stop, watcher
        self.preview = server.preview
        self.url = server.url

    def close(self) -> None:
        """Stop watching and serving, and remove the preview's build folder."""
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.watcher.join(timeout=10)  # a build under way finishes first, if it can
        self.preview.close()


def start(
    source: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    log: Callable[[Rebuild], None] | None = None,
) -> Running:
    """Serve the preview of the book at `source` and rebuild it on every save, in the
    background; the caller closes it."""
    address = loopback(host)  # refused before anything is built or bound
    preview = Preview(source, log)
    try:
        server = PreviewServer(address, port, preview)
    except OctavoError:
        preview.close()
        raise
    stop = threading.Event()
    watcher = threading.Thread(target=follow, args=(source, preview.rebuild, stop), daemon=True)
    watcher.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Running(server, stop, watcher)
