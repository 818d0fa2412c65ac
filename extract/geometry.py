"""Pure geometry shared by the engines: snap ruling positions into a grid, place words into cells, group
words into printed lines. Plain values in, plain values out; no PDF library is imported here."""

from __future__ import annotations

import statistics
import unicodedata
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import NamedTuple

from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine


class Word(NamedTuple):
    """A word as a PDF text layer gives it: text and box (points, top-left origin). A named tuple: an engine
    makes one per word (tens of thousands on a long file), and a tuple is made several times faster than a
    frozen dataclass."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    first: float = 0.0  # the advance width of its first glyph (0: unknown)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def snap_edges(values: Iterable[float], tol: float = DEFAULT_ENGINE_SETTINGS.edge_tolerance,
               centre: Callable[[list[float]], float] = statistics.fmean) -> list[float]:
    """Cluster nearly equal positions; return one representative (``centre``, the mean) per cluster, sorted."""
    edges: list[list[float]] = []
    for v in sorted(values):
        if edges and v - edges[-1][-1] <= tol:
            edges[-1].append(v)
        else:
            edges.append([v])
    return [centre(c) for c in edges]


def edge_index(value: float, edges: Sequence[float]) -> int:
    """Index of the edge nearest to ``value`` (the first one on a tie); ``edges`` sorted ascending."""
    i = bisect_left(edges, value)
    if i == len(edges) or (i > 0 and abs(edges[i - 1] - value) <= abs(edges[i] - value)):
        i -= 1
    while i > 0 and edges[i - 1] == edges[i]:
        i -= 1
    return i


_TOP_X0, _X0 = attrgetter("top", "x0"), attrgetter("x0")


def group_lines(words: Sequence[Word]) -> list[TextLine]:
    """Group words into printed lines (top to bottom), words in a line left to right, one space apart.

    Words are taken by (top, x0); a word joins the first line whose first word overlaps it vertically by
    more than half the smaller height. (Written with plain comparisons: it runs for every cell.)
    """
    if len(words) == 1:  # most cells hold one word or none: the loop below, without the loop
        w = words[0]
        return [_text_line({"text": unicodedata.normalize("NFC", w.text),
                            "box": {"x0": round(w.x0, 1), "top": round(w.top, 1), "x1": round(w.x1, 1),
                                    "bottom": round(w.bottom, 1)},
                            "first_width": round(w.first, 2) or None})]
    lines: list[list[Word]] = []
    refs: list[tuple[float, float, float]] = []  # (top, bottom, height) of each line's first word
    # The lines a word may still join, in order. A line whose first word has a positive height and ends at or
    # above a word's top cannot take it (no overlap, and the threshold is positive), nor any later word (they
    # come by top): it leaves the front of the scan, which keeps a tall cell linear instead of quadratic.
    open_lines: deque[tuple[list[Word], float, float, float]] = deque()
    for w in sorted(words, key=_TOP_X0):
        top, bottom = w.top, w.bottom
        height = bottom - top
        if height < 1.0:
            height = 1.0
        while open_lines and open_lines[0][2] <= top and open_lines[0][3] > 0:
            open_lines.popleft()
        for line, r_top, r_bottom, r_height in open_lines:
            overlap = (bottom if bottom < r_bottom else r_bottom) - (top if top > r_top else r_top)
            if overlap > 0.5 * (r_height if r_height < height else height):
                line.append(w)
                break
        else:
            lines.append([w])
            refs.append((top, bottom, bottom - top))
            open_lines.append((lines[-1], top, bottom, bottom - top))
    out = []
    # a line's first word has its smallest top (words come by top)
    for _, line in sorted(zip(refs, lines, strict=True), key=lambda rl: rl[0][0]):
        line.sort(key=_X0)
        text = unicodedata.normalize("NFC", " ".join([w.text for w in line]))
        x0, top, x1, bottom = line[0].x0, line[0].top, line[0].x1, line[0].bottom
        for w in line:
            if w.top < top:
                top = w.top
            if w.x1 > x1:
                x1 = w.x1
            if w.bottom > bottom:
                bottom = w.bottom
        out.append(_text_line({"text": text,
                               "box": {"x0": round(x0, 1), "top": round(top, 1), "x1": round(x1, 1),
                                       "bottom": round(bottom, 1)},
                               "first_width": round(line[0].first, 2) or None}))
    return out


#: ``TextLine(**data)`` with its box as a dict: one call of pydantic's validator makes both models (the same
#: models, fields sets included), about half the time of ``TextLine(box=Box(...))``; it runs for every line.
_text_line = TextLine.__pydantic_validator__.validate_python


def _first_containing(
    placed: Sequence[tuple[int, int, int, int, Box]], xs: Sequence[float], ys: Sequence[float]
) -> Callable[[float, float], int | None]:
    """``find(x, y)``: the index of the first box of ``placed`` (in order) that contains the point, or None.

    The same answer as scanning every box in order, but only the boxes near the point's grid position are
    tried: a box's edges were snapped to their nearest grid edges, so it reaches at most into the
    neighbouring grid row or column; boxes are registered there too. Points off the grid scan every box.
    """
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    rects = [(b.x0, b.top, b.x1, b.bottom) for *_, b in placed]
    near: list[list[list[int]]] = [[[] for _ in range(n_cols)] for _ in range(n_rows)]
    for i, (r0, c0, rs, cs, _) in enumerate(placed):
        for r in range(max(r0 - 1, 0), min(r0 + rs + 1, n_rows)):
            for c in range(max(c0 - 1, 0), min(c0 + cs + 1, n_cols)):
                near[r][c].append(i)

    def scan(candidates: Iterable[int], x: float, y: float) -> int | None:
        for i in candidates:
            x0, top, x1, bottom = rects[i]
            if x0 <= x <= x1 and top <= y <= bottom:
                return i
        return None

    def find(x: float, y: float) -> int | None:
        r, c = bisect_right(ys, y) - 1, bisect_right(xs, x) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols:
            hit = scan(near[r][c], x, y)
            if hit is not None:
                return hit
        return scan(range(len(rects)), x, y)

    return find


def build_page_table(
    *,
    page: int,
    page_width: float,
    page_height: float,
    index: int,
    cell_boxes: Sequence[Box],
    words: Sequence[Word],
    words_above: Sequence[Word] = (),
    settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
) -> PageTable:
    """Turn the boxes of a table's (possibly merged) cells into a grid and place the words into cells.

    A word belongs to the cell that contains its centre and that it ``fits``; a word inside the table that
    crosses a cell's rules belongs to no cell and is kept as ``stray`` (the normalizer reports it). Grid
    positions that no box covers become empty cells, so every position of the grid is covered exactly once.
    Box edges within ``settings.edge_tolerance`` are one grid line.
    """
    tol = settings.edge_tolerance
    xs = snap_edges([b.x0 for b in cell_boxes] + [b.x1 for b in cell_boxes], tol)
    ys = snap_edges([b.top for b in cell_boxes] + [b.bottom for b in cell_boxes], tol)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    covered = [[False] * n_cols for _ in range(n_rows)]
    placed: list[tuple[int, int, int, int, Box]] = []
    for b in cell_boxes:
        c0, c1 = edge_index(b.x0, xs), edge_index(b.x1, xs)
        r0, r1 = edge_index(b.top, ys), edge_index(b.bottom, ys)
        if c1 <= c0 or r1 <= r0 or any(covered[r][c] for r in range(r0, r1) for c in range(c0, c1)):
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                covered[r][c] = True
        placed.append((r0, c0, r1 - r0, c1 - c0, b))
    for r in range(n_rows):
        for c in range(n_cols):
            if not covered[r][c]:
                placed.append((r, c, 1, 1, Box(x0=xs[c], top=ys[r], x1=xs[c + 1], bottom=ys[r + 1])))
    buckets: list[list[Word]] = [[] for _ in placed]
    stray: list[Word] = []
    find = _first_containing(placed, xs, ys)
    rects = [(b.x0, b.top, b.x1, b.bottom) for *_, b in placed]
    for w in words:
        _, x0, top, x1, bottom, _ = w
        i = find((x0 + x1) / 2, (top + bottom) / 2)  # the centre (Word.cx, Word.cy), inlined
        if i is not None:
            b_x0, b_top, b_x1, b_bottom = rects[i]
            slack = 0.5 * (bottom - top)  # fits(w, box), inlined: it runs for every word
            if slack < 1.0:
                slack = 1.0
            if b_x0 - slack <= x0 and x1 <= b_x1 + slack and b_top - slack <= top and bottom <= b_bottom + slack:
                buckets[i].append(w)
                continue
        stray.append(w)
    cells = [
        Cell(row=r, col=c, row_span=rs, col_span=cs, box=b.rounded(), lines=group_lines(bucket))
        for (r, c, rs, cs, b), bucket in zip(placed, buckets, strict=True)
    ]
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return PageTable(
        page=page,
        page_width=page_width,
        page_height=page_height,
        index=index,
        box=Box(x0=xs[0], top=ys[0], x1=xs[-1], bottom=ys[-1]).rounded(),
        n_rows=n_rows,
        n_cols=n_cols,
        cells=cells,
        text_above=group_lines(words_above),
        stray=group_lines(stray),
    )


def fits(w: Word, box: Box) -> bool:
    """Does a word lie inside a cell's box? Glyph boxes may poke past a rule by up to half their height
    (accents over capitals in an unpadded cell); text placed across a rule (a stray text box) does not."""
    slack = max(0.5 * (w.bottom - w.top), 1.0)
    return (box.x0 - slack <= w.x0 and w.x1 <= box.x1 + slack
            and box.top - slack <= w.top and w.bottom <= box.bottom + slack)


def inside(w: Word, box: Box, margin: float = 0.0) -> bool:
    return box.x0 - margin <= w.cx <= box.x1 + margin and box.top - margin <= w.cy <= box.bottom + margin


def join_unruled(
    n_rows: int,
    n_cols: int,
    joins_right: Callable[[int, int], bool],
    joins_down: Callable[[int, int], bool],
    is_open: Callable[[int, int], bool] = lambda r, c: False,
) -> list[tuple[int, int, int, int, int]]:
    """Group the grid cells that no drawn rule separates (a merged cell is such a group).

    ``joins_right(r, c)``: no rule between cells (r, c) and (r, c + 1); ``joins_down(r, c)``: none between
    (r, c) and (r + 1, c). Returns ``(r0, c0, r1, c1, members)`` per group (inclusive bounds; a group is a
    rectangle when ``members`` fills it), leaving out groups with a cell for which ``is_open(r, c)`` says it
    lies on an unruled stretch of the table's outline.
    """
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            k = r * n_cols + c
            if c + 1 < n_cols and joins_right(r, c):
                parent[find(k + 1)] = find(k)
            if r + 1 < n_rows and joins_down(r, c):
                parent[find(k + n_cols)] = find(k)
    groups: dict[int, list[int]] = {}
    open_groups: set[int] = set()
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            g = groups.setdefault(root, [r, c, r, c, 0])
            g[0], g[1], g[2], g[3], g[4] = min(g[0], r), min(g[1], c), max(g[2], r), max(g[3], c), g[4] + 1
            if is_open(r, c):
                open_groups.add(root)
    return [(g[0], g[1], g[2], g[3], g[4]) for root, g in groups.items() if root not in open_groups]


def share_fields_sets(tables: Iterable[PageTable]) -> None:
    """Let the models of ``tables`` that were given the same fields share one ``__pydantic_fields_set__``.

    Pydantic keeps a set of the fields given per model instance (216 bytes for a line's box, 728 for a cell's six
    fields): on a 100-page file that is ≈6 MB of the ≈18 MB its page tables take. Nothing reads those sets but
    pydantic's ``exclude_unset`` (unused here) and ``model_copy``, which copies the set before changing it, so
    equal sets may be one object; pickled to and from a worker, a shared set is written once.
    """
    shared: dict[frozenset[str], set[str]] = {}

    def share(model: Box | TextLine | Cell | PageTable) -> None:
        fields = model.__pydantic_fields_set__
        one = shared.setdefault(frozenset(fields), fields)
        if one is not fields:
            object.__setattr__(model, "__pydantic_fields_set__", one)

    for table in tables:
        share(table)
        share(table.box)
        for cell in table.cells:
            share(cell)
            share(cell.box)
            for line in cell.lines:
                share(line)
                share(line.box)
        for line in (*table.text_above, *table.stray):
            share(line)
            share(line.box)

