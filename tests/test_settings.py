"""The thresholds as settings objects: today's values by default, passed in (never patched), validated."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import sample_pdfs
from tests.gridkit import WIDTHS, page_table
from tthc_extract.extract import get_engine
from tthc_extract.extract.pdfium_engine import Rule, _words, join_rules
from tthc_extract.extract.settings import EngineSettings
from tthc_extract.normalize import NormalizeSettings, normalize
from tthc_extract.normalize.text import join_lines
from tthc_extract.schemas import SourceInfo
from tthc_extract.schemas.document import WarningCode
from tthc_extract.schemas.raw import Box, TextLine

SRC = SourceInfo(file_name="t.pdf", sha256="0" * 64, page_count=2, table_pages=[])


def test_normalize_defaults_are_the_tuned_values():
    s = NormalizeSettings()
    assert (s.max_top_gap, s.default_top_gap, s.pitch_per_height, s.default_pitch, s.room_lines) == (
        8.0, 2.0, 1.15, 14.0, 2.0)
    assert (s.max_syllable, s.fallback_glyph, s.min_padding, s.max_padding, s.default_padding) == (
        7, 0.6, 1.0, 10.0, 5.0)
    assert (s.max_header_rows, s.same_columns_share, s.same_columns_pt) == (3, 0.01, 4.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.max_syllable = 5  # type: ignore[misc]


@pytest.mark.parametrize("change", [
    {"max_syllable": 0}, {"max_syllable": 2.5}, {"max_top_gap": -1.0}, {"default_pitch": 0.0},
    {"fallback_glyph": float("nan")}, {"room_lines": float("inf")}, {"min_padding": 11.0},
    {"default_padding": 20.0}, {"same_columns_share": 1.5}, {"max_header_rows": True}, {"pitch_per_height": "1"},
    {"default_top_gap": 9.0},
])
def test_invalid_normalize_settings_are_refused(change):
    with pytest.raises((ValueError, TypeError), match="NormalizeSettings"):
        NormalizeSettings(**change)


def line(text: str, x1: float, row: int = 0) -> TextLine:
    return TextLine(text=text, box=Box(x0=5, top=row * 14, x1=x1, bottom=row * 14 + 12))


def test_max_syllable_decides_a_broken_word():
    """"Thường" (6 letters) fills its line: a syllable by default, a broken word when syllables are ≤ 5."""
    lines = [line("Thường", 54, 0), line("xuyên", 30, 1)]
    cell = Box(x0=0, top=0, x1=60, bottom=100)
    assert join_lines(lines, cell) == "Thường xuyên"
    assert join_lines(lines, cell, settings=NormalizeSettings(max_syllable=5)) == "Thườngxuyên"


def test_same_columns_tolerance_decides_whether_a_page_continues_the_table():
    """Page 2's column rules are 6 pt off on a 660 pt table: the same table by default (1 %), another table
    when the tolerance is 0.5 %."""
    p1 = page_table(1, [["I", ("CÔNG TÁC CHỈ ĐẠO", 5)], ["1", "Rà soát", "Báo cáo", "Sở Tư pháp", "", "Quý I"]])
    shifted = [WIDTHS[0], WIDTHS[1] + 6, WIDTHS[2] - 6, *WIDTHS[3:]]
    p2 = page_table(2, [["2", "Tổng hợp", "Báo cáo", "Văn phòng", "", "Tháng 9"]], widths=shifted, header=None)
    default = normalize([p1, p2], SRC, engine="test", engine_version="0")
    assert [t.number.text for s in default.sections for t in s.tasks] == ["1", "2"]
    strict = normalize([p1, p2], SRC, engine="test", engine_version="0",
                       settings=NormalizeSettings(same_columns_share=0.005, same_columns_pt=1.0))
    assert [t.number.text for s in strict.sections for t in s.tasks] == ["1"]
    assert any(w.code == WarningCode.TABLE_NOT_READ and w.pages == [2] for w in strict.warnings)


# ------------------------------------------------------------------------------------------------
# Engine settings
# ------------------------------------------------------------------------------------------------


def test_engine_defaults_are_the_tuned_values():
    s = EngineSettings()
    assert (s.snap, s.join, s.thin, s.min_rule, s.axis_eps) == (3.0, 3.0, 2.0, 2.0, 0.5)
    assert (s.x_tolerance, s.y_tolerance, s.edge_tolerance) == (1.5, 2.0, 2.0)


@pytest.mark.parametrize("change", [{"snap": 0.0}, {"join": -1.0}, {"x_tolerance": float("nan")},
                                    {"edge_tolerance": float("inf")}, {"thin": "2"}, {"axis_eps": False}])
def test_invalid_engine_settings_are_refused(change):
    with pytest.raises((ValueError, TypeError), match="EngineSettings"):
        EngineSettings(**change)


def test_snap_and_join_decide_which_rule_pieces_are_one_rule():
    pieces = [(10.0, 0.0, 40.0), (10.4, 41.0, 90.0)]
    assert join_rules(pieces) == [Rule(10.2, 0.0, 90.0)]
    assert join_rules(pieces, EngineSettings(join=0.5)) == [Rule(10.2, 0.0, 40.0), Rule(10.2, 41.0, 90.0)]
    assert join_rules(pieces, EngineSettings(snap=0.2)) == [Rule(10.0, 0.0, 40.0), Rule(10.4, 41.0, 90.0)]


def test_x_tolerance_decides_where_a_word_ends():
    chars = [(10.0, 0.0, 5.0, "a", 0), (10.0, 5.0, 10.0, "b", 1), (10.0, 12.0, 17.0, "c", 2)]
    assert [w.text for w in _words(list(chars), lambda i: 8.0)] == ["ab", "c"]
    assert [w.text for w in _words(list(chars), lambda i: 8.0, EngineSettings(x_tolerance=2.5))] == ["abc"]


def test_engine_settings_reach_the_engines():
    """A strict grid tolerance passed to ``extract`` gives the same tables as the default on a sample (its rules
    are exact), and an absurd word tolerance changes the text read."""
    pdf = sample_pdfs()[0]
    for name in ("pdfium", "pdfplumber"):
        engine = get_engine(name)
        _, default = engine.extract(pdf, pages=[1])
        _, strict = engine.extract(pdf, pages=[1], settings=EngineSettings(edge_tolerance=0.5))
        assert strict == default
        _, glued = engine.extract(pdf, pages=[1], settings=EngineSettings(x_tolerance=500.0))
        words = [ln.text for t in default for c in t.cells for ln in c.lines]
        glued_words = [ln.text for t in glued for c in t.cells for ln in c.lines]
        assert glued_words != words
