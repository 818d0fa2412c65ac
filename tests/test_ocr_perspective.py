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


def test_boxes_go_back_onto_the_page_as_it_is():
    from tthc_extract.extract.ocr import reading
    from tthc_extract.extract.ocr.settings import DPI
    from tthc_extract.schemas.raw import Box, PageTable

    shape, skew = (H, W), 1.2
    keystone = cv2.getPerspectiveTransform(np.float32([[0, 0], [W, 0], [W, H], [0, H]]),
                                           np.float32([[60, 0], [W - 60, 0], [W, H], [0, H]]))
    m = reading._to_page(shape, skew, keystone)
    assert reading._to_page(shape, 0.004, None) is None  # a page read as it is keeps its frame
    # a point of the scan (px), turned back and warped as read_page does, comes back to where it was (in points)
    turn = np.vstack([cv2.getRotationMatrix2D((W / 2, H / 2), skew, 1.0), [0, 0, 1]])
    for x, y in ((300.0, 400.0), (2100.0, 2500.0), (1200.0, 1600.0)):
        read = keystone @ turn @ np.array([x, y, 1.0])
        read = read[:2] / read[2] * 72.0 / DPI
        table = PageTable(page=1, page_width=W * 72 / DPI, page_height=H * 72 / DPI, n_rows=1, n_cols=1, cells=[],
                          box=Box(x0=0, top=0, x1=1, bottom=1), to_page=m)
        back = table.page_box(Box(x0=read[0], top=read[1], x1=read[0], bottom=read[1]))
        assert back.x0 == pytest.approx(x * 72.0 / DPI, abs=0.1) and back.top == pytest.approx(y * 72.0 / DPI, abs=0.1)


def test_every_box_of_the_document_is_put_on_the_page_as_it_is():
    from tests.gridkit import page_table
    from tthc_extract.normalize import normalize
    from tthc_extract.schemas.document import Fragment, SourceInfo

    rows = [[("I. CÔNG TÁC CHỈ ĐẠO", 6)], ["1", "Báo cáo kết quả", "Báo cáo", "Sở Tư pháp", "", "Tháng 12"],
            ["2", "Kiểm tra", "Văn bản", "Sở Tư pháp", "Các sở", "Tháng 6"]]
    source = SourceInfo(file_name="x.pdf", sha256="0" * 64, page_count=1, table_pages=[1])

    def fragments(doc) -> list[Fragment]:
        found: list[Fragment] = []

        def walk(obj) -> None:
            if isinstance(obj, Fragment):
                found.append(obj)
            elif hasattr(type(obj), "model_fields"):
                for name in type(obj).model_fields:
                    walk(getattr(obj, name))
            elif isinstance(obj, list | tuple):
                for item in obj:
                    walk(item)
        walk(doc)
        return found

    as_read = fragments(normalize([page_table(1, rows)], source, "ocr", "test"))
    shifted = page_table(1, rows)
    shifted.to_page = [1.0, 0.0, 12.5, 0.0, 1.0, -4.0, 0.0, 0.0, 1.0]  # the page read 12.5 pt left of and 4 pt below
    on_page = fragments(normalize([shifted], source, "ocr", "test"))
    assert len(on_page) == len(as_read) > 10
    for a, b in zip(as_read, on_page, strict=True):
        assert (b.box.x0, b.box.top, b.box.x1, b.box.bottom) == pytest.approx(
            (a.box.x0 + 12.5, a.box.top - 4.0, a.box.x1 + 12.5, a.box.bottom - 4.0), abs=0.1)
