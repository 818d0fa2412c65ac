"""A photographed page's perspective undone (extract/ocr/perspective.py): the table's outline is found from its
four outer rules, a keystoned table is warped back to a rectangle and then gives its whole grid, a scanned
(merely turned back) table is left alone. End to end on phone captures: tests/test_ocr_scans.py."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tthc_extract.extract.ocr import grid, perspective, raster

pytestmark = [pytest.mark.ocr]

W, H = 2400, 3200
XS, YS = [300, 420, 1000, 1500, 1800, 2100], [400, 700, 1000, 1300, 1600, 1900, 2200, 2500]


def _table() -> np.ndarray:
    img = np.full((H, W), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 0, 3)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 3)
    return img


def _keystone(img: np.ndarray, shift: float) -> np.ndarray:
    """The page as a phone takes it: the top edge narrower than the bottom by ``shift`` px on each side."""
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = np.float32([[shift, 0], [W - shift, 0], [W, H], [0, H]])
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (W, H), flags=cv2.INTER_CUBIC,
                               borderValue=255)


def _masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ink = raster.binarize(gray)
    return raster._open(ink, True), raster._open(ink, False)


@pytest.mark.parametrize("shift", [80.0, 120.0])
def test_a_keystoned_table_is_made_a_rectangle_and_gives_its_whole_grid(shift):
    # the outer column rules lean 1.4-2.1° inwards, in opposite directions: read as it is, cells merge
    photo = _keystone(_table(), shift)
    assert len(grid.find_grids(*_masks(photo))[0].cells) < (len(XS) - 1) * (len(YS) - 1)
    corners = perspective.outline_corners(*_masks(photo))
    assert corners is not None
    assert corners[0][0] - corners[3][0] > 8 and corners[2][0] - corners[1][0] > 8  # the sides lean inwards
    matrix = perspective.undo_perspective(*_masks(photo))
    assert matrix is not None
    straight = perspective.warp(photo, matrix)
    back = perspective.outline_corners(*_masks(straight))
    assert back is not None
    assert np.abs(back - perspective.rectified(back)).max() <= 2.0  # within 2 px of a rectangle
    grids = grid.find_grids(*_masks(straight))
    assert len(grids) == 1 and len(grids[0].xs) == len(XS) and len(grids[0].ys) == len(YS)
    assert len(grids[0].cells) == (len(XS) - 1) * (len(YS) - 1)  # no cell merged across a leaning rule


@pytest.mark.parametrize("angle", [0.0, 0.4, -1.2])
def test_a_scanned_table_turned_back_is_left_alone(angle):
    page = raster.rotate(_table(), angle) if angle else _table()
    turned = raster.rotate(page, -angle) if angle else page  # as the deskew leaves it
    assert perspective.undo_perspective(*_masks(turned)) is None


def test_no_table_no_corners():
    blank = np.full((H, W), 255, np.uint8)
    cv2.line(blank, (300, 400), (2100, 400), 0, 3)  # one rule is no outline
    assert perspective.outline_corners(*_masks(blank)) is None
    assert perspective.undo_perspective(*_masks(blank)) is None
