"""A run of text that fits on its line but for the space after its last word is not broken up.

WeasyPrint 70 lays out a line one inline box at a time. A run of text that ends in a space (the
space before an inline element, `(Rust <code>panic</code>`) and is short enough to finish on the
line goes to `split_first_line` whole. Pango sets it on one line, its trailing space hanging past
the measure as Pango lets spaces do; WeasyPrint then measures that line *with* the space, finds
it wider than the measure, and takes the branch meant for a first word that cannot fit ("the
line can't be split earlier, try to hyphenate the first word"): it ends the line inside or
after the run's first word. The line holds nothing but a piece of a word, `mit‐` (the first
word hyphenated at its longest first part that fits), or that word alone, `be`, when it cannot
be hyphenated; the rest of the run, `ted to unwind, … (Rust`, follows on the next line, where
the inline element that did not fit is put off as it should have been in the first place. The
Rustonomicon, classic theme: "not per‐ / mit‐ / ted to unwind", "no longer / need‐ / ed, so",
"An / exception:"; Pride and Prejudice, modern: "design and / arrange‐ / ment of them", "be /
entirely silent" (the inline element there is code or emphasis).

The patch leaves the trailing space out of that measure, as WeasyPrint itself does where it
checks a whole line (`trailing_whitespace_size` in `split_inline_box`): when WeasyPrint ended
the line inside or after a run's first word and the run, without its trailing spaces, fits on
the line, the run is laid out again without a width limit, so it is kept whole and the inline
element after it goes on to the next line. Every other line is WeasyPrint's own, and the extra
layout is made only in that one case.

It wraps one function of WeasyPrint's inline layout (guarded, like patches.py, by the major
version it was written for) and is in force only while octavo lays out one of its own documents.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

from octavo.weasy.patches import check_version

WRAPPED = ("normal", "pre-line")  # white-space values whose lines wrap and whose spaces collapse


@contextlib.contextmanager
def left_out() -> Iterator[None]:
    check_version()
    from weasyprint.layout import inline
    from weasyprint.text.line_break import create_layout, line_size

    original = inline.split_first_line

    def fits_but_for_its_space(
        text: str, style: Any, context: Any, max_width: float, spacing: float
    ) -> bool:
        probe = create_layout(text.rstrip(" "), style, context, max_width, spacing)
        line, resume = probe.get_first_line()
        fits = resume is None and line_size(line, style)[0] <= max_width
        probe.deactivate()
        return fits

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        found = original(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        _, length, resume = found[:3]
        if (
            resume is None
            or max_width is None
            or not text.endswith(" ")
            or style["white_space"] not in WRAPPED
            or " " in text.encode()[:length].decode()  # a line of words: Pango wrapped the run
            or not fits_but_for_its_space(text, style, context, max_width, justification_spacing)
        ):
            return found
        return original(
            text, style, context, math.inf, justification_spacing, is_line_start, minimum
        )

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original
