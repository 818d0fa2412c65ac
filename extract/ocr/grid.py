"""Ruling lines of a scanned page: rule masks, rule segments, tables as grids of (merged) cells."""


from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from tthc_extract.extract.geometry import join_unruled, snap_edges
from tthc_extract.extract.ocr.crosspage import LINE_FRAC, ColumnPattern, align
from tthc_extract.extract.ocr.raster import pieces
from tthc_extract.extract.ocr.settings import (
    ALIGN_PT,
    BRIDGE_COVER,
    CURVE_PT,
    DPI,
    EDGE_PT,
    END_FRAC,
    END_TOL_PT,
    MIN_RULE_PT,
    MIN_TABLE_PT,
    RULED,
    SNAP_PT,
    V_SUPPORT,
    _pixels,
)


@dataclass(slots=True)
class Segment:
    """A rule found in the image: ``pos`` its y (horizontal) or x (vertical), spanning ``lo``..``hi`` (px)."""

    pos: float
    lo: int
    hi: int


def _bend(along: np.ndarray, across: np.ndarray) -> float:
    """How far (px) the centre line of a rule's pixels (``along`` / ``across`` the rule) strays from a straight
    line: the largest residual of a line fitted to the mean ``across`` of each position ``along``."""
    counts = np.bincount(along)
    used = counts > 0
    if used.sum() < 3:
        return 0.0
    pos = np.nonzero(used)[0].astype(np.float64)
    centre = np.bincount(along, weights=across)[used] / counts[used]
    fit = np.polyval(np.polyfit(pos, centre, 1), pos)
    return float(np.max(np.abs(centre - fit)))


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    """The rules of one direction's mask; pieces that bend (arcs of a seal or a signature) are left out."""
    curve = _pixels(CURVE_PT)
    out = []
    for x, y, w, h, own in pieces(mask):
        rows, cols = np.nonzero(own)
        if horizontal:
            if _bend(cols, rows) > curve:
                continue
            out.append(Segment(y + float(np.median(rows)), int(x), int(x + w - 1)))
        else:
            if _bend(rows, cols) > curve:
                continue
            out.append(Segment(x + float(np.median(cols)), int(y), int(y + h - 1)))
    return out


@dataclass
class Grid:
    """One table's grid (pixel positions of its rules) and its cells as grid index ranges."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, row_span, col_span)

    def box(self, r: int, c: int, rs: int, cs: int) -> tuple[int, int, int, int]:
        return round(self.xs[c]), round(self.ys[r]), round(self.xs[c + cs]), round(self.ys[r + rs])


def _coverage(mask: np.ndarray, horizontal: bool, pos: float, lo: float, hi: float, band: int) -> float:
    """Fraction of the side from ``lo`` to ``hi`` at ``pos`` that the rule mask covers (within ``band`` px)."""
    p = round(pos)
    a, b = round(lo), round(hi)
    if b <= a:
        return 0.0
    if horizontal:
        strip = mask[max(p - band, 0):p + band + 1, a:b]
        hit = strip.any(axis=0)
    else:
        strip = mask[a:b, max(p - band, 0):p + band + 1]
        hit = strip.any(axis=1)
    return float(hit.mean()) if hit.size else 0.0


def find_grids(hmask: np.ndarray, vmask: np.ndarray) -> list[Grid]:
    """The grids of the ruled tables of a page, top to bottom, merged cells included.

    A group of rules within ``EDGE_PT`` of the image's edge (a scanner's frame, a shadow) or enclosing another
    group (a frame drawn around the page) is no table.
    """
    lines = cv2.bitwise_or(hmask, vmask)
    joined = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    contours, hierarchy = cv2.findContours(joined, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    snap = _pixels(SNAP_PT)
    band = max(2, snap // 2 + 1)
    edge = _pixels(EDGE_PT)
    height, width = hmask.shape
    boxes = []
    for k, contour in enumerate(contours):
        if hierarchy[0][k][3] != -1:
            continue  # a hole's boundary; the outer ones have the groups' bounding boxes
        x, y, w, h = cv2.boundingRect(contour)
        if w < _pixels(MIN_TABLE_PT[0]) or h < _pixels(MIN_TABLE_PT[1]):
            continue
        if x <= edge or y <= edge or x + w >= width - edge or y + h >= height - edge:
            continue
        boxes.append((int(x), int(y), int(x + w), int(y + h)))
    boxes = [b for b in boxes if not any(o != b and b[0] <= o[0] and b[1] <= o[1] and o[2] <= b[2] and o[3] <= b[3]
                                         for o in boxes)]
    tall, short = _rule_pieces(vmask, hmask, _pixels(MIN_RULE_PT))
    grids = []
    for x, y, x1, y1 in boxes:
        hsegs = _join(_segments(hmask[y:y1, x:x1], True), snap)
        vsegs = _join(_segments(vmask[y:y1, x:x1], False), snap)
        # a rule runs from one rule across it to another; a tall letter, a seal's arc stop short of them
        hsegs = _ruled(hsegs, [s.pos for s in vsegs], snap)
        ys = snap_edges([s.pos + y for s in hsegs], snap, centre=statistics.median)
        if len(ys) < 2:
            continue
        vsegs = _ruled(vsegs, [p - y for p in ys], snap)
        xs = snap_edges([s.pos + x for s in vsegs], snap, centre=statistics.median)
        # a column rule runs down a good part of the table; a bold capital filling a one-line row does not
        need = V_SUPPORT * (ys[-1] - ys[0])
        xs = [c for c in xs if sum(s.hi - s.lo for s in vsegs if abs(s.pos + x - c) <= snap) >= need]
        if len(xs) < 2:
            continue
        grid = Grid(xs, ys)
        grid.cells = _merge_cells(grid, hmask, _column_side(tall, short, xs), band)
        _drop_unused(grid)
        if grid.cells:
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _ruled(segments: list[Segment], across: Sequence[float], snap: int) -> list[Segment]:
    """The segments whose both ends lie on a rule across them (positions ``across``): within ``END_TOL_PT``, or
    ``END_FRAC`` of the segment's length (a scanned rule fades or breaks near its end). A rule interrupted by
    something laid over it (a seal's ink hides a column rule for an inch) is its collinear pieces: a run of
    them from a rule across to a rule across counts when they cover ``BRIDGE_COVER`` of it."""
    end = _pixels(END_TOL_PT)

    def ends_on_rules(lo: float, hi: float) -> bool:
        tol = max(end, END_FRAC * (hi - lo))
        return _near(lo, across, tol) and _near(hi, across, tol)

    out = [s for s in segments if ends_on_rules(s.lo, s.hi)]
    lines: list[list[Segment]] = []
    for s in sorted(segments, key=lambda s: (s.pos, s.lo)):
        if lines and abs(lines[-1][0].pos - s.pos) <= snap:
            lines[-1].append(s)
        else:
            lines.append([s])
    for line in lines:
        line.sort(key=lambda s: s.lo)
        for i in range(len(line)):
            for j in range(i + 1, len(line)):
                lo, hi = line[i].lo, line[j].hi
                ink = sum(s.hi - s.lo for s in line[i:j + 1])
                if ink >= BRIDGE_COVER * (hi - lo) and ends_on_rules(lo, hi):
                    out.append(Segment(statistics.median(s.pos for s in line[i:j + 1]), lo, hi))
    return out


def _join(segments: list[Segment], snap: int) -> list[Segment]:
    """Collinear pieces of one rule (broken by noise) joined: same position within ``snap``, small gaps."""
    out: list[Segment] = []
    for s in sorted(segments, key=lambda s: (s.pos, s.lo)):
        for o in out:
            if abs(o.pos - s.pos) <= snap and s.lo - o.hi <= 2 * snap and o.lo - s.hi <= 2 * snap:
                o.lo, o.hi = min(o.lo, s.lo), max(o.hi, s.hi)
                break
        else:
            out.append(Segment(s.pos, s.lo, s.hi))
    return out


def _rule_pieces(vmask: np.ndarray, hmask: np.ndarray, length: int
                 ) -> tuple[np.ndarray, list[tuple[float, int, int, int, int, np.ndarray]]]:
    """The pieces of the vertical mask that can be a column rule's: those at least ``length`` px tall (a mask),
    and the shorter ones that touch a horizontal rule (centre x, box, pixels): a rule broken where a signature
    crossed it, or a letter's stem sitting on a rule, told apart by ``_column_side``. A bold capital's stem,
    thickened by a blurred scan, may cover half of a one-line row's side where a title runs across the row."""
    tall = np.zeros_like(vmask)
    short = []
    for x, y, w, h, own in pieces(vmask):
        if h >= length:
            tall[y:y + h, x:x + w] |= own
        elif cv2.bitwise_and(own, hmask[y:y + h, x:x + w]).any():
            short.append((x + float(np.median(np.nonzero(own)[1])), x, y, w, h, own))
    return tall, short


def _column_side(tall: np.ndarray, short: list[tuple[float, int, int, int, int, np.ndarray]],
                 xs: Sequence[float]) -> np.ndarray:
    """The rule mask of a table's column sides: the tall pieces, and the short ones touching a row's rule that
    lie on a column's line (within ``ALIGN_PT``; a letter's stem stands anywhere near it)."""
    near = [(x, y, w, h, own) for cx, x, y, w, h, own in short if _near(cx, xs, _pixels(ALIGN_PT))]
    if not near:
        return tall
    out = tall.copy()
    for x, y, w, h, own in near:
        out[y:y + h, x:x + w] |= own
    return out


def _drop_unused(grid: Grid) -> None:
    """Drop the inner grid lines that no cell has a side on (every cell spans across them), in place: a short
    piece of ink (a letter's stroke, a photographed page's bent rule) made a rule position that bounds no
    cell, and an empty column in every row would make the page's table look unlike its neighbours'."""
    for axis in (0, 1):  # rows, then columns
        lines = grid.ys if axis == 0 else grid.xs
        i = 1
        while i < len(lines) - 1:
            if any(cell[axis] == i or cell[axis] + cell[axis + 2] == i for cell in grid.cells):
                i += 1
                continue
            del lines[i]
            grid.cells = [_shrink(cell, axis, i) for cell in grid.cells]
        grid.cells.sort()


def _shrink(cell: tuple[int, int, int, int], axis: int, i: int) -> tuple[int, int, int, int]:
    """A cell (row, col, row_span, col_span) with grid line ``i`` of ``axis`` (0: rows, 1: columns) removed."""
    out = list(cell)
    if out[axis] > i:
        out[axis] -= 1
    elif out[axis] < i < out[axis] + out[axis + 2]:
        out[axis + 2] -= 1
    return (out[0], out[1], out[2], out[3])


def _near(value: float, positions: Sequence[float], tol: float) -> bool:
    return any(abs(value - p) <= tol for p in positions)


def _merge_cells(grid: Grid, hmask: np.ndarray, vmask: np.ndarray, band: int) -> list[tuple[int, int, int, int]]:
    """Union the grid rectangles not separated by a rule; keep the rectangular groups inside the outline."""
    xs, ys = grid.xs, grid.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    m = band + 2

    def ruled_right(r: int, c: int) -> bool:  # the side right of column c (c = -1: the left outline)
        return _coverage(vmask, False, xs[c + 1], ys[r] + m, ys[r + 1] - m, band) > RULED

    def ruled_below(r: int, c: int) -> bool:  # the side below row r (r = -1: the top outline)
        return _coverage(hmask, True, ys[r + 1], xs[c] + m, xs[c + 1] - m, band) > RULED

    groups = join_unruled(
        n_rows,
        n_cols,
        joins_right=lambda r, c: not ruled_right(r, c),
        joins_down=lambda r, c: not ruled_below(r, c),
        is_open=lambda r, c: ((c == n_cols - 1 and not ruled_right(r, c)) or (r == n_rows - 1 and not ruled_below(r, c))
                              or (c == 0 and not ruled_right(r, -1)) or (r == 0 and not ruled_below(-1, c))),
    )
    # a group that is not a rectangle is no cell
    cells = [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1, n in groups if n == (r1 - r0 + 1) * (c1 - c0 + 1)]
    cells.sort()
    return cells




def impose_columns(grid: Grid, positions: Sequence[float], text_ink: np.ndarray, band: int) -> int:
    """Add column lines at ``positions`` (px) that the page lost (a faded rule the neighbouring pages' tables
    have), in place; return how many cells were split. A cell is split at a new line when no text ink crosses
    the line inside it (within ``band`` px) and it spans just the two columns on either side of it, or it has
    text on both sides (a section's number and its title); a cell that spans other columns too with text on one
    side only (a short section title merged across the row) stays whole."""
    split = 0
    for x in sorted(positions):
        k = int(np.searchsorted(grid.xs, x))
        if not 0 < k < len(grid.xs) or min(abs(x - grid.xs[k - 1]), abs(grid.xs[k] - x)) <= band * 2:
            continue
        grid.xs.insert(k, float(x))
        cells = []
        for r, c, rs, cs in grid.cells:
            if c >= k:
                cells.append((r, c + 1, rs, cs))
            elif c + cs < k:
                cells.append((r, c, rs, cs))
            else:  # spans the new line: now one column wider
                x0, y0, x1, y1 = grid.box(r, c, rs, cs + 1)
                rows, at = text_ink[y0 + band:y1 - band], round(x)
                crossed = rows[:, at - band:at + band + 1].any()
                both = rows[:, x0 + band:at - band].any() and rows[:, at + band + 1:x1 - band].any()
                if not crossed and (cs == 1 or both):
                    cells += [(r, c, rs, k - c), (r, k, rs, c + cs + 1 - k)]
                    split += 1
                else:
                    cells.append((r, c, rs, cs + 1))
        grid.cells = sorted(cells)
    return split


#: Vertical rules at least this long (points) are matched against a neighbouring page's column pattern.
PATTERN_RULE_PT = 60.0


def lay_pattern(vmask: np.ndarray, pattern: ColumnPattern) -> tuple[np.ndarray, list[float] | None]:
    """The neighbouring pages' column pattern laid over this page's vertical rules (``crosspage.align``): the
    vertical rule mask with a missing border drawn in (from the top to the bottom of the rules that match), and
    the pattern's lines (pixels); the mask as it is and None when the pattern does not fit the page."""
    snap = _pixels(SNAP_PT)
    rules = [r for r in _join(_segments(vmask, False), snap) if r.hi - r.lo >= _pixels(PATTERN_RULE_PT)]
    width = pattern.width * DPI / 72.0
    lines = align([r.pos for r in rules], pattern, width)
    if lines is None:
        return vmask, None
    tol = LINE_FRAC * width
    matched = [r for r in rules if any(abs(r.pos - x) <= tol for x in lines)]
    top, bottom = min(r.lo for r in matched), max(r.hi for r in matched)
    out = vmask
    for x in (lines[0], lines[-1]):
        if not any(abs(r.pos - x) <= tol for r in rules):
            out = out.copy() if out is vmask else out
            cv2.line(out, (round(x), top), (round(x), bottom), 255, 3)
    return out, lines
