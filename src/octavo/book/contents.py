"""The contents as both editions list them (the print contents page, the EPUB's navigation):
one entry per piece, nested by `Chapter.depth`, so that a part holds its chapters."""

from __future__ import annotations

from collections.abc import Sequence


def nested(items: Sequence[tuple[int, str, str]]) -> str:
    """Entries (depth, inner HTML, class of the `<li>`) as the items of an `<ol>`: an entry
    deeper than the one before opens a list inside it (one level deeper, however much deeper
    its depth), a shallower one closes lists down to its own level."""
    out: list[str] = []
    levels: list[int] = []  # the depth of each list open, outermost first; each has an open <li>
    for depth, inner, cls in items:
        li = f'<li class="{cls}">' if cls else "<li>"
        if not levels:
            levels.append(depth)
            out.append(f"{li}{inner}")
            continue
        if depth > levels[-1]:
            levels.append(depth)
            out.append(f"<ol>{li}{inner}")
            continue
        while len(levels) > 1 and levels[-1] > depth:
            levels.pop()
            out.append("</li></ol>")
        out.append(f"</li>{li}{inner}")
    if levels:
        out.append("</li>" + "</ol></li>" * (len(levels) - 1))
    return "".join(out)


def has_children(depths: Sequence[int], index: int) -> bool:
    """Does the entry at `index` hold the entries after it (a part its chapters)?"""
    return index + 1 < len(depths) and depths[index + 1] > depths[index]
