"""The print interior joined: the frame's pages (folios, running heads, boxes, crop marks, the
output intent: frame.py, finisher.py) with each unit's pages drawn on them.

Each page of a unit becomes a Form XObject holding its content stream as it is (still
compressed, never parsed) and its resources, drawn on its frame page before the frame's own
content, in the place it had: unit and frame share the page geometry, so their coordinates
agree. Links come along as the unit's annotations; they point at named destinations, and the
names and the outline (bookmarks) are made again for the whole book from the surveys, since
each unit's PDF knows only its own pages. One font program per face serves every unit
(subsets.py).

pikepdf (qpdf) does the work: it copies objects between PDFs and writes the result in a
fraction of the time pypdf takes (0.3 s against 1.5–3 s for a novel of 416 pages).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from octavo.print import subsets
from octavo.print.survey import Bookmark
from octavo.weasy.patches import FontSource

FORM = "/OctavoUnit"  # the unit page's name in its frame page's resources


@dataclass(frozen=True)
class Placed:
    """A unit: its PDF, and its frame's PDF with the pages of it the book keeps (frame.py:
    the unit's own from the third, the blank verso before them when the book has one)."""

    pdf: bytes
    frame: bytes
    frame_pages: tuple[int, ...]


@dataclass(frozen=True)
class Marks:
    """What the join makes again for the whole book: named destinations (name → page index,
    x, y), the outline (page index, bookmark) in page order, and where folio 1 falls."""

    dests: Mapping[str, tuple[int, float, float]]
    bookmarks: Sequence[tuple[int, Bookmark]]
    body: int


def join(
    front: bytes,
    front_pages: int,
    units: Sequence[Placed],
    marks: Marks,
    links: bool,
    bookmarks: bool,
    fonts: tuple[Mapping[str, FontSource], Mapping[str, bytes]],
) -> bytes:
    """The front's first `front_pages` pages, then each unit's pages on its frame's."""
    import pikepdf

    out = pikepdf.open(io.BytesIO(front))
    del out.pages[front_pages:]
    for unit in units:
        frame = pikepdf.open(io.BytesIO(unit.frame))
        source = pikepdf.open(io.BytesIO(unit.pdf))
        out.pages.extend([frame.pages[i] for i in unit.frame_pages])
        first = len(out.pages) - len(source.pages)  # after the blank verso, if there is one
        for j, page in enumerate(source.pages):
            _draw_on(out, out.pages[first + j], page, links)
    _labels(out, marks.body)
    _name_tree(out, marks.dests)
    if bookmarks:
        _outline(out, marks.bookmarks)
    subsets.share(out, *fonts)
    buffer = io.BytesIO()
    # streams pass through as they are: qpdf would otherwise inflate and deflate each of them
    # again (seconds for a book of pictures)
    out.save(
        buffer,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        deterministic_id=True,  # the same book gives the same file
    )
    return buffer.getvalue()


def _labels(out: Any, body: int) -> None:
    """Page labels: lower-case roman up to folio 1, arabic from there (finisher.py labels a
    book laid out whole alike)."""
    from pikepdf import Array, Dictionary, Name

    nums: list[Any] = [0, Dictionary(S=Name.r)] if body > 0 else []
    nums += [body, Dictionary(S=Name.D, St=1)]
    out.Root.PageLabels = Dictionary(Nums=Array(nums))


def _form(out: Any, page: Any) -> Any:
    """A unit's page as a Form XObject: its one content stream (WeasyPrint writes one) with
    the page's resources, bounding box and transparency group."""
    import pikepdf
    from pikepdf import Array, Name

    contents = page.obj.get(Name.Contents)
    if not isinstance(contents, pikepdf.Stream):  # not what WeasyPrint writes: the long way
        return out.copy_foreign(page.as_form_xobject())
    form = out.copy_foreign(contents)
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = Array([float(v) for v in page.mediabox])
    form.Resources = out.copy_foreign(page.obj.Resources)
    if Name.Group in page.obj:
        form.Group = out.copy_foreign(page.obj.Group)
    return form


def _draw_on(out: Any, page: Any, unit_page: Any, links: bool) -> None:
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    form = _form(out, unit_page)
    # WeasyPrint gives every page of a document the same resources dictionary: this page
    # gets its own, or every unit page would be named on every page
    resources = Dictionary(dict(page.obj.Resources.items()))
    xobjects = Dictionary(dict(resources.get(Name.XObject, Dictionary()).items()))
    xobjects[FORM] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(pikepdf.Stream(out, f"q {FORM} Do Q\n".encode()), prepend=True)
    if links and Name.Annots in unit_page.obj:
        annots = Array(list(page.obj.get(Name.Annots, Array())))
        for annot in unit_page.obj.Annots:
            annots.append(out.copy_foreign(annot))
        page.obj.Annots = annots


def _name_tree(out: Any, dests: Mapping[str, tuple[int, float, float]]) -> None:
    from pikepdf import Array, Dictionary, Name, String

    names = Array()
    for name in sorted(dests):
        index, x, y = dests[name]
        names.append(String(name))
        names.append(Array([out.pages[index].obj, Name.XYZ, x, y, 0]))
    if Name.Names not in out.Root:
        if not dests:
            return
        out.Root.Names = Dictionary()
    out.Root.Names.Dests = Dictionary(Names=names)


def _outline(out: Any, bookmarks: Sequence[tuple[int, Bookmark]]) -> None:
    """The outline as WeasyPrint makes it (anchors.make_page_bookmark_tree): a bookmark nests
    under the last one of a lower level; skipped levels do not make empty ones."""
    from pikepdf import Array, Dictionary, Name, String

    tree = _tree(bookmarks)
    if not tree:
        out.Root.pop(Name.Outlines, None)
        return

    def items(nodes: list[_Node], parent: Any) -> tuple[list[Any], int]:
        made: list[Any] = []
        count = len(nodes)
        for node in nodes:
            page, mark = node.entry
            dest = Array([out.pages[page].obj, Name.XYZ, mark.x, mark.y, 0])
            item = out.make_indirect(Dictionary(Title=String(mark.label), Dest=dest))
            kids, kids_count = items(node.children, item)
            item.Count = -kids_count if mark.state == "closed" else kids_count
            if mark.state != "closed":
                count += kids_count
            if made:
                item.Prev = made[-1]
                made[-1].Next = item
            if kids:
                item.First, item.Last = kids[0], kids[-1]
            item.Parent = parent
            made.append(item)
        return made, count

    root = out.make_indirect(Dictionary())
    top, count = items(tree, root)
    root.Count = count
    root.First, root.Last = top[0], top[-1]
    out.Root.Outlines = root


@dataclass
class _Node:
    entry: tuple[int, Bookmark]
    children: list[_Node]


def _tree(bookmarks: Sequence[tuple[int, Bookmark]]) -> list[_Node]:
    root: list[_Node] = []
    skipped: list[int] = []
    last_by_depth = [root]
    previous = 0
    for page, mark in bookmarks:
        level = mark.level
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            temp = level
            while temp < previous:
                temp += 1 + skipped.pop()
            if temp > previous:
                skipped.append(temp - previous - 1)
        previous = level
        depth = level - sum(skipped)
        node = _Node((page, mark), [])
        last_by_depth[depth - 1].append(node)
        del last_by_depth[depth:]
        last_by_depth.append(node.children)
    return root
