"""A rule interrupted by something laid over it (a seal's ink lifted to paper hides a column rule for an inch)
is still a rule: its collinear pieces from one rule across to another make it, so the page keeps its column
(the real Lâm Đồng appendix scanned with a seal over the lead column's rule lost a column on three pages)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tthc_extract.extract.ocr import grid, raster

pytestmark = [pytest.mark.ocr]

W, H = 2400, 1600
XS, YS = [200, 330, 1200, 1700, 2200], [300, 420, 700, 980, 1260]


def _table(gaps: list[tuple[int, int, int]]) -> list[grid.Grid]:
    """A 4×4 ruled table whose column rules at x have no ink from y0 to y1 for each (x, y0, y1) of ``gaps``."""
    img = np.full((H, W), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 2)
    for x, y0, y1 in gaps:
        img[y0:y1, x - 3:x + 4] = 255
    ink = raster.binarize(img)
    return grid.find_grids(raster._open(ink, True), raster._open(ink, False))


def test_a_column_rule_hidden_across_a_row_rule_keeps_its_column() -> None:
    # the seal hides the rule from inside row 1 to inside row 2 (neither piece ends on a row rule)
    (g,) = _table([(1700, 560, 840)])
    assert len(g.xs) == len(XS) and len(g.ys) == len(YS)
    # where the rule is hidden over half a row's side, the two cells beside it cannot be told apart (row 2);
    # everywhere else they are
    assert sorted(g.cells) == sorted([(r, c, 1, 1) for r in range(4) for c in range(4) if (r, c) not in
                                      {(2, 2), (2, 3)}] + [(2, 2, 1, 2)])


def test_pieces_covering_too_little_are_no_rule() -> None:
    # only a stub at the top and one at the bottom of the table: not a column
    (g,) = _table([(1700, 340, 1230)])
    assert len(g.xs) == len(XS) - 1


def test_an_uninterrupted_table_is_unchanged() -> None:
    (g,) = _table([])
    assert len(g.xs) == len(XS) and len(g.cells) == 16
