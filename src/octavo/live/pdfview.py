"""The print PDF as the preview's right pane shows it: each page drawn to a PNG when first asked
for (pypdfium2), then kept until the next build."""

from __future__ import annotations

import io
import threading
from typing import Any

DEFAULT_WIDTH = 700  # pixels of a page image: sharp in a half-window pane


class PdfView:
    """A print PDF held in memory. pdfium is not thread-safe: one lock guards every call."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        self.data = data
        self._lock = threading.Lock()
        self._pdf: Any = pdfium.PdfDocument(data)
        self.sizes = tuple(tuple(self._pdf[i].get_size()) for i in range(len(self._pdf)))
        self._pngs: dict[tuple[int, int], bytes] = {}
        self.starts = self._starts()

    def _starts(self) -> dict[str, int]:
        """Chapter title → the index of its opening page, from the PDF's bookmarks: the left
        pane's chapter is then shown beside its printed pages."""
        starts: dict[str, int] = {}
        for mark in self._pdf.get_toc():
            dest = mark.get_dest()
            if dest is not None and dest.get_index() is not None:
                starts.setdefault(mark.get_title().strip(), int(dest.get_index()))
        return starts

    def __len__(self) -> int:
        return len(self.sizes)

    def png(self, index: int, width: int = DEFAULT_WIDTH) -> bytes | None:
        """Page `index` (from 0) drawn `width` pixels wide, or None past the last page."""
        if not 0 <= index < len(self.sizes) or not 100 <= width <= 3000:
            return None
        with self._lock:
            key = (index, width)
            if key not in self._pngs:
                page = self._pdf[index]
                bitmap = page.render(scale=width / page.get_width())
                out = io.BytesIO()
                bitmap.to_pil().save(out, "PNG", optimize=False)
                self._pngs[key] = out.getvalue()
            return self._pngs[key]

    def close(self) -> None:
        with self._lock:
            self._pdf.close()
