"""Characters no font has. When neither the document's fonts nor any font of the machine has a
character, Pango hands WeasyPrint an "unknown" glyph and the PDF shows an empty box (tofu) in its
place. WeasyPrint says so only in its log, which octavo keeps quiet (document.py): this listens
to that one message while a PDF is written, so the build can report it in its own words."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_MESSAGE = ".notdef glyph rendered"  # WeasyPrint 70's draw/text.py


class _Collector(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.chars: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(_MESSAGE) and record.args:
            self.chars.add(str(record.args[0]))  # type: ignore[index]
        return False  # nothing of WeasyPrint's log reaches the author


@contextmanager
def listening() -> Iterator[set[str]]:
    """The characters drawn as .notdef inside the block (filled as the PDF is written)."""
    logger = logging.getLogger("weasyprint")
    collector, level = _Collector(), logger.level
    logger.addFilter(collector)
    logger.setLevel(logging.WARNING)
    try:
        yield collector.chars
    finally:
        logger.removeFilter(collector)
        logger.setLevel(level)
