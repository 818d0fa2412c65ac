"""OCR numbering over a layout that does not merge its section rows (the real Lâm Đồng appendix: "VII | Công tác
chỉ đạo, điều hành | | | …"): a row whose number is Roman-like and whose only other text is its title is a
section, so section numbers keep their own sequence; a repeated last section number gives way ("VI" after "VI":
a stem of "VII" lost); a heading task ("1" with a description and nothing else) stays a task."""

from __future__ import annotations

import pytest

from tthc_extract.extract.ocr import numbering
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

pytestmark = [pytest.mark.ocr]

BOX = Box(x0=0, top=0, x1=10, bottom=10)


def _rows(*rows: tuple[str, str, str]) -> PageTable:
    """A 3-column table (number, description, result), one cell per position, nothing merged."""
    cells = [Cell(row=r, col=c, box=BOX, confidence=0.9 if t else None,
                  lines=[TextLine(text=t, box=BOX)] if t else [])
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    return PageTable(page=1, page_width=10, page_height=10, box=BOX, n_rows=len(rows), n_cols=3, cells=cells)


def _numbers(table: PageTable) -> list[str]:
    return [c.text for c in table.cells if c.col == 0]


def test_unmerged_section_rows_keep_the_section_sequence() -> None:
    t = _rows(("V", "Cải cách tài chính công", ""), ("1", "Nhiệm vụ", "Báo cáo"),
              ("VI", "Chính quyền số", ""), ("1", "Nhiệm vụ", "Báo cáo"), ("2", "Nhiệm vụ", "Báo cáo"),
              ("VI", "Công tác chỉ đạo, điều hành", ""), ("1", "Nhiệm vụ", "Báo cáo"))
    assert numbering.enforce_numbering([t]) == 1
    assert _numbers(t) == ["V", "1", "VI", "1", "2", "VII", "1"]
    (fixed,) = [c for c in t.cells if c.text == "VII"]
    assert fixed.lines[0].ocr_read == "VI" and fixed.confidence == 0.45


def test_a_task_row_with_its_cells_filled_reads_one_not_roman_one() -> None:
    t = _rows(("I", "Cải cách thể chế", ""), ("I", "Nhiệm vụ", "Báo cáo"), ("2", "Nhiệm vụ hai", "Báo cáo"))
    assert numbering.enforce_numbering([t]) == 1
    assert _numbers(t) == ["I", "1", "2"]


def test_a_heading_task_with_blank_cells_stays_a_task() -> None:
    t = _rows(("I", "Cải cách thể chế", ""), ("1", "Nhiệm vụ chung", ""), ("2", "Nhiệm vụ", "Báo cáo"),
              ("II", "Cải cách thủ tục", ""), ("1", "Nhiệm vụ", "Báo cáo"))
    assert numbering.enforce_numbering([t]) == 0
    assert _numbers(t) == ["I", "1", "2", "II", "1"]
