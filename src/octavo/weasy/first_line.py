"""`::first-line` and `::first-letter` on the first line of an element only, not on the first
line of every page it runs onto.

WeasyPrint 70 applies an element's first-line style each time it lays out a piece of that
element, and a paragraph broken across pages is laid out once per page: the first line of each
following page was set in the opening's small caps too, mid-sentence (a word broken at the page
end came out as a small-caps "tion"; a verse line, wider in small caps, turned over and left its
last word alone on a line). CSS gives the pseudo-elements to the first formatted line of the
element, which only its first fragment holds. The patch lays out every later fragment (one that
resumes where the page before stopped) without them.

It wraps one function of WeasyPrint's layout (guarded, like patches.py, by the major version it
was written for) and is in force only while octavo lays out one of its own documents.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from octavo.weasy.patches import check_version


@contextlib.contextmanager
def on_first_fragment_only() -> Iterator[None]:
    check_version()
    from weasyprint.layout import block

    original = block.block_container_layout

    def layout(
        context: Any,
        box: Any,
        bottom_space: Any,
        skip_stack: Any,
        page_is_empty: Any,
        absolute_boxes: Any,
        fixed_boxes: Any,
        adjoining_margins: Any,
        first_letter_style: Any,
        first_line_style: Any,
        discard: Any,
        max_lines: Any,
    ) -> Any:
        def run(first_letter: Any, first_line: Any) -> Any:
            return original(
                context, box, bottom_space, skip_stack, page_is_empty, absolute_boxes,
                fixed_boxes, adjoining_margins, first_letter, first_line, discard, max_lines,
            )  # fmt: skip

        if skip_stack is None:  # the element's first fragment: its first line is here
            return run(first_letter_style, first_line_style)
        saved = box.first_letter_style, box.first_line_style
        box.first_letter_style = box.first_line_style = None
        try:
            return run(None, None)
        finally:
            box.first_letter_style, box.first_line_style = saved

    block.block_container_layout = layout
    try:
        yield
    finally:
        block.block_container_layout = original
