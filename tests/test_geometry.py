"""extract/geometry.py, the pure geometry every text engine shares: grid edges, cells, words into cells and
lines, merged regions."""

from __future__ import annotations

import unicodedata

from tthc_extract.extract.geometry import (
    Word,
    build_page_table,
    edge_index,
    fits,
    group_lines,
    inside,
    join_unruled,
    share_fields_sets,
    snap_edges,
)
from tthc_extract.extract.settings import EngineSettings
from tthc_extract.schemas.raw import Box


def test_nearly_equal_positions_snap_to_their_mean():
    assert snap_edges([10.0, 11.5, 30.0, 10.5, 31.0]) == [(10.0 + 10.5 + 11.5) / 3, 30.5]
    assert snap_edges([10.0, 11.5], tol=1.0) == [10.0, 11.5]
    assert snap_edges([]) == []


def test_edge_index_is_the_nearest_edge_first_on_a_tie():
    edges = [0.0, 10.0, 20.0]
    assert [edge_index(v, edges) for v in (-5.0, 4.9, 5.0, 5.1, 19.0, 25.0)] == [0, 0, 0, 1, 2, 2]


def test_words_grouped_into_lines_top_to_bottom_left_to_right():
    words = [Word("b", 20, 0, 25, 10), Word("a", 0, 1, 5, 11, first=5.0), Word("c", 0, 14, 6, 24),
             Word(unicodedata.normalize("NFD", "ệ"), 10, 14, 15, 24)]
    lines = group_lines(words)
    assert [ln.text for ln in lines] == ["a b", "c ệ"]
    assert lines[0].box == Box(x0=0, top=0, x1=25, bottom=11) and lines[0].first_width == 5.0
    assert lines[1].first_width is None  # the engine did not know the first glyph's width


def test_a_word_may_poke_past_a_rule_by_half_its_height_not_more():
    box = Box(x0=0, top=0, x1=50, bottom=20)
    assert fits(Word("Ệ", 2, -4, 10, 10), box)  # the accent above an unpadded capital
    assert not fits(Word("across", 40, 5, 70, 15), box)
    assert inside(Word("x", 48, 5, 51, 15), box) and not inside(Word("x", 52, 5, 60, 15), box)  # by its centre
    assert inside(Word("x", 49, 5, 52.5, 15), box, margin=1.0)


def test_grid_cells_merged_cells_uncovered_positions_and_stray_words():
    # 2 x 2 grid: a cell merged across the top row; the bottom-right position has no box of its own
    boxes = [Box(x0=0, top=0, x1=100, bottom=20), Box(x0=0, top=20, x1=50, bottom=40)]
    words = [Word("head", 10, 5, 40, 15), Word("left", 5, 25, 30, 35), Word("right", 60, 25, 90, 35),
             Word("stray", 40, 25, 70, 35)]  # lies across the rule at x = 50
    table = build_page_table(page=3, page_width=595, page_height=842, index=0, cell_boxes=boxes, words=words,
                             words_above=[Word("Phụ lục", 0, -30, 40, -20)])
    assert (table.page, table.n_rows, table.n_cols) == (3, 2, 2)
    assert [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells] == [
        (0, 0, 1, 2, "head"), (1, 0, 1, 1, "left"), (1, 1, 1, 1, "right")]
    assert [ln.text for ln in table.stray] == ["stray"]
    assert [ln.text for ln in table.text_above] == ["Phụ lục"]
    assert table.box == Box(x0=0, top=0, x1=100, bottom=40)


def test_edge_tolerance_decides_which_box_edges_are_one_grid_line():
    # two boxes whose shared edge is drawn 1.5 pt apart: one grid line by default, two with a 1 pt tolerance
    boxes = [Box(x0=0, top=0, x1=50, bottom=20), Box(x0=51.5, top=0, x1=100, bottom=20)]
    kw = {"page": 1, "page_width": 595, "page_height": 842, "index": 0, "cell_boxes": boxes, "words": []}
    assert build_page_table(**kw).n_cols == 2
    assert build_page_table(**kw, settings=EngineSettings(edge_tolerance=1.0)).n_cols == 3


def test_unruled_neighbours_join_and_open_regions_are_dropped():
    # 2 x 3: no rule between (0, 0) and (0, 1), nor between (0, 2) and (1, 2); (1, 0) lies on an open outline
    groups = join_unruled(2, 3, joins_right=lambda r, c: (r, c) == (0, 0), joins_down=lambda r, c: (r, c) == (0, 2),
                          is_open=lambda r, c: (r, c) == (1, 0))
    assert sorted(groups) == [(0, 0, 0, 1, 2), (0, 2, 1, 2, 2), (1, 1, 1, 1, 1)]


def test_shared_fields_sets_change_nothing_a_model_shows():
    """share_fields_sets (the pdfium engine's memory saving) keeps every model equal, its dump and its fields set;
    a copy with an update gets a set of its own, so the others' sets stay as they were."""
    boxes = [Box(x0=0.0, top=0.0, x1=50.0, bottom=20.0), Box(x0=50.0, top=0.0, x1=100.0, bottom=20.0)]
    words = [Word("Một", 2.0, 4.0, 20.0, 14.0, 7.5), Word("hai", 22.0, 4.0, 40.0, 14.0, 6.0),
             Word("ba", 52.0, 4.0, 70.0, 14.0)]
    tables = [build_page_table(page=1, page_width=200.0, page_height=100.0, index=0, cell_boxes=boxes, words=words)]
    before = [t.model_dump() for t in tables], [t.model_dump(exclude_unset=True) for t in tables]
    share_fields_sets(tables)
    assert ([t.model_dump() for t in tables], [t.model_dump(exclude_unset=True) for t in tables]) == before
    a, b = tables[0].cells
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    assert a.lines[0].box.__pydantic_fields_set__ is b.lines[0].box.__pydantic_fields_set__
    changed = a.model_copy(update={"confidence": 0.5})
    assert "confidence" in changed.model_fields_set and "confidence" not in b.model_fields_set

