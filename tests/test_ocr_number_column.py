"""Which OCR cells are read as numbers (STT): narrow ones, and those of a first column that is a small fraction
of its table — an STT column drawn wider than the narrow limit (the real Lâm Đồng appendix: 50 pt of 744)."""

from __future__ import annotations

from tthc_extract.extract.ocr.grid import Grid
from tthc_extract.extract.ocr.reading import _number_cell
from tthc_extract.extract.ocr.settings import DPI


def _grid(widths_pt: list[float]) -> Grid:
    xs = [100.0]
    for w in widths_pt:
        xs.append(xs[-1] + w * DPI / 72.0)
    return Grid(xs, [100.0, 200.0])


def test_a_narrow_column_holds_numbers_wherever_it_is() -> None:
    g = _grid([200.0, 30.0, 300.0])
    assert [_number_cell(g, c, 1) for c in range(3)] == [False, True, False]


def test_a_wide_stt_column_first_in_a_wide_table_holds_numbers() -> None:
    g = _grid([50.0, 220.0, 120.0, 106.0, 85.0, 85.0, 78.0])  # the real appendix's columns (points)
    assert [_number_cell(g, c, 1) for c in range(7)] == [True, False, False, False, False, False, False]
    assert not _number_cell(g, 0, 2)  # a merged cell across the first two columns is text


def test_a_first_column_of_text_is_not_a_number_column() -> None:
    g = _grid([90.0, 300.0, 150.0])  # a description first: 17 % of the table
    assert not _number_cell(g, 0, 1)
