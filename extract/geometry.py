"""Pure geometry shared by the engines: snap ruling positions into a grid, place words into cells, group
words into printed lines. Plain values in, plain values out; no PDF library is imported here."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from schemas.raw import Box, Cell, PageTable, TextLine

#: Two ruling positions closer than this (points) are the same grid edge.
EDGE_TOLERANCE = 2.0


@dataclass(frozen=True, slots=True)
class Word:
    """A word as a PDF text layer gives it: text and box (points, top-left origin)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def snap_edges(values: Iterable[float], tol: float = EDGE_TOLERANCE) -> list[float]:
    """Cluster nearly equal positions; return one representative (the mean) per cluster, sorted."""
    edges: list[list[float]] = []
    for v in sorted(values):
        if edges and v - edges[-1][-1] <= tol:
            edges[-1].append(v)
        else:
            edges.append([v])
    return [sum(c) / len(c) for c in edges]


def edge_index(value: float, edges: Sequence[float], tol: float = EDGE_TOLERANCE) -> int:
    """Index of the edge nearest to ``value``."""
    best = min(range(len(edges)), key=lambda i: abs(edges[i] - value))
    return best


def group_lines(words: Sequence[Word]) -> list[TextLine]:
    """Group words into printed lines (top to bottom), words in a line left to right, one space apart."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        height = max(w.bottom - w.top, 1.0)
        for line in lines:
            ref = line[0]
            overlap = min(ref.bottom, w.bottom) - max(ref.top, w.top)
            if overlap > 0.5 * min(height, ref.bottom - ref.top):
                line.append(w)
                break
        else:
            lines.append([w])
    out = []
    for line in sorted(lines, key=lambda ln: min(w.top for w in ln)):
        line.sort(key=lambda w: w.x0)
        text = unicodedata.normalize("NFC", " ".join(w.text for w in line))
        box = Box(
            x0=min(w.x0 for w in line),
            top=min(w.top for w in line),
            x1=max(w.x1 for w in line),
            bottom=max(w.bottom for w in line),
        )
        out.append(TextLine(text=text, box=box.rounded()))
    return out


def build_page_table(
    *,
    page: int,
    page_width: float,
    page_height: float,
    index: int,
    cell_boxes: Sequence[Box],
    words: Sequence[Word],
    words_above: Sequence[Word] = (),
) -> PageTable:
    """Turn the boxes of a table's (possibly merged) cells into a grid and place the words into cells.

    A word belongs to the cell that contains its centre. Grid positions that no box covers become
    empty cells, so every position of the grid is covered exactly once.
    """
    xs = snap_edges([b.x0 for b in cell_boxes] + [b.x1 for b in cell_boxes])
    ys = snap_edges([b.top for b in cell_boxes] + [b.bottom for b in cell_boxes])
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
    for w in words:
        for i, (_, _, _, _, b) in enumerate(placed):
            if b.x0 <= w.cx <= b.x1 and b.top <= w.cy <= b.bottom:
                buckets[i].append(w)
                break
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
    )


def inside(w: Word, box: Box, margin: float = 0.0) -> bool:
    return box.x0 - margin <= w.cx <= box.x1 + margin and box.top - margin <= w.cy <= box.bottom + margin
