"""A column rule a scanned page lost is put back from the neighbouring pages' grids (extract/ocr/crosspage.py,
grid.impose_columns): which lines are missing, which cells the line splits, and end to end on a scan whose
every third page lost one inner column rule (``faded200``)."""

from __future__ import annotations

import numpy as np
import pytest

from tthc_extract.extract.ocr import crosspage, grid
from tthc_extract.schemas.raw import Box, Cell, PageTable


def _table(page: int, xs: list[float], x0: float = 50.0, rows: int = 3) -> PageTable:
    """A table whose column lines are at ``xs`` (points), ``rows`` rows of plain cells, outline from ``x0``."""
    lines = [x0, *xs, 800.0]
    cells = [Cell(row=r, col=c, box=Box(x0=lines[c], top=100 + 40 * r, x1=lines[c + 1], bottom=140 + 40 * r))
             for r in range(rows) for c in range(len(lines) - 1)]
    return PageTable(page=page, page_width=842, page_height=595, n_rows=rows, n_cols=len(lines) - 1, cells=cells,
                     box=Box(x0=x0, top=100, x1=800, bottom=100 + 40 * rows))


FULL = [100.0, 300.0, 450.0, 570.0, 690.0]


def _pattern(xs: list[float], x0: float = 50.0) -> crosspage.ColumnPattern:
    return crosspage.pattern_of(_table(0, xs, x0))


def test_the_neighbours_pattern_goes_to_a_page_that_lost_a_line_of_it():
    lost = [100.0, 300.0, 570.0, 690.0]  # the rule at 450 pt faded on page 2
    hints = crosspage.grid_hints([_table(1, FULL), _table(2, lost), _table(3, FULL)], [1, 2, 3])
    assert list(hints) == [2]
    assert hints[2].fractions == pytest.approx((0.0, *[(x - 50) / 750 for x in FULL], 1.0))
    assert hints[2].width == 750.0
    # one neighbour is enough (the last page of the table)
    assert list(crosspage.grid_hints([_table(1, FULL), _table(2, lost)], [1, 2])) == [2]
    # the left border lost: the first column, open on the left, is left out of the page's table
    hints = crosspage.grid_hints([_table(1, FULL), _table(2, FULL[1:], x0=100.0), _table(3, FULL)], [1, 2, 3])
    assert list(hints) == [2] and hints[2].width == 750.0
    # a page with no table between two that agree: a lost border, perhaps (read_page checks it)
    assert list(crosspage.grid_hints([_table(1, FULL), _table(3, FULL)], [1, 2, 3])) == [2]


def test_no_hint_when_a_neighbour_agrees_with_the_page_or_the_neighbours_disagree():
    lost = [100.0, 300.0, 570.0, 690.0]
    # the page before has the same lines: another table, not a lost rule
    assert crosspage.grid_hints([_table(1, lost), _table(2, lost), _table(3, FULL)], [1, 2, 3]) == {}
    # a table of another width (a signature block, another appendix) is no neighbour
    assert crosspage.grid_hints([_table(1, FULL), _table(2, lost, x0=200.0)], [1, 2]) == {}
    # a page whose own line is not among the neighbours' lines has another layout
    assert crosspage.grid_hints([_table(1, FULL), _table(2, [100.0, 330.0, 570.0, 690.0])], [1, 2]) == {}
    assert crosspage.grid_hints([_table(k, FULL) for k in (1, 2, 3)], [1, 2, 3]) == {}
    # no table between two tables of different columns: no pattern to lay on page 2 (page 3, two pages from
    # page 1, may have lost a line of page 1's)
    assert 2 not in crosspage.grid_hints([_table(1, FULL), _table(3, lost)], [1, 2, 3])


def test_the_pattern_is_laid_where_most_of_its_lines_land_on_the_pages_rules():
    pattern = _pattern(FULL)  # lines at 50, 100, 300, 450, 570, 690, 800 pt: width 750
    rules = [x + 12.0 for x in (50.0, 100.0, 300.0, 450.0, 570.0, 690.0)]  # the sheet 12 pt further right, the
    lines = crosspage.align(rules, pattern, 750.0)                          # right border lost
    assert lines == pytest.approx([62.0, 112.0, 312.0, 462.0, 582.0, 702.0, 812.0])
    assert crosspage.align([100.0, 400.0], pattern, 750.0) is None  # two stray rules: not this table
    assert crosspage.align([], pattern, 750.0) is None


def _grid_and_ink() -> tuple[grid.Grid, np.ndarray]:
    """Columns 0-100-400-700-1000 px with the line at 700 lost: row 0 a section (number | title merged to the
    right edge), row 1 a task whose last two columns merged, row 2 a short section title merged across."""
    g = grid.Grid(xs=[0.0, 100.0, 400.0, 1000.0], ys=[0.0, 100.0, 200.0, 300.0],
                  cells=[(0, 0, 1, 3), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1), (2, 1, 1, 2)])
    ink = np.zeros((300, 1000), np.uint8)
    ink[40:60, 20:60] = 255      # row 0: the section number "V" in the first column
    ink[40:60, 120:950] = 255    # row 0: its title, across the lost line at 700 (no split there)
    ink[140:160, 420:650] = 255  # row 1: lead unit
    ink[140:160, 720:900] = 255  # row 1: partner unit (a gap at 700)
    ink[240:260, 120:500] = 255  # row 2: a short title, nothing right of the lost line
    return g, ink


def test_the_imposed_line_splits_only_cells_the_lost_rule_merged():
    g, ink = _grid_and_ink()
    assert grid.impose_columns(g, [700.0], ink, band=4) == 1
    assert g.xs == [0.0, 100.0, 400.0, 700.0, 1000.0]
    assert (1, 2, 1, 1) in g.cells and (1, 3, 1, 1) in g.cells  # lead and partner apart again
    assert (2, 1, 1, 3) in g.cells  # the short title still spans to the right edge


def test_a_lost_first_column_rule_separates_a_section_number_from_its_title():
    g = grid.Grid(xs=[0.0, 400.0, 1000.0], ys=[0.0, 100.0], cells=[(0, 0, 1, 2)])
    ink = np.zeros((100, 1000), np.uint8)
    ink[40:60, 20:60] = 255    # "V"
    ink[40:60, 120:950] = 255  # its title, merged across the rest of the row
    assert grid.impose_columns(g, [100.0], ink, band=4) == 1
    assert g.cells == [(0, 0, 1, 1), (0, 1, 1, 2)]
