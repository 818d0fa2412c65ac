"""Wrapped lines are joined with one space, except where the wrap falls inside a token."""

from __future__ import annotations

import unicodedata

from tthc_extract.normalize.text import join_lines
from tthc_extract.schemas.raw import Box, TextLine

CELL = Box(x0=0, top=0, x1=60, bottom=100)


def line(text: str, x1: float, row: int = 0) -> TextLine:
    return TextLine(text=text, box=Box(x0=5, top=row * 14, x1=x1, bottom=row * 14 + 12))


def test_date_broken_mid_token_joins_tight():
    # "31/8/202" fills the 50-pt text width; the "6" went to the next line
    lines = [line("Trước", 30), line("31/8/202", 54.5, 1), line("6", 10, 2)]
    assert join_lines(lines, CELL) == "Trước 31/8/2026"


def test_hyphen_inside_symbol_joins_tight():
    lines = [line("52/2015/NĐ-", 40, 0), line("CP ngày 28/5/2015", 50, 1)]
    assert join_lines(lines, CELL) == "52/2015/NĐ-CP ngày 28/5/2015"


def test_spaced_hyphen_keeps_its_spaces():
    lines = [line("Phòng Tổ chức -", 54, 0), line("Pháp chế", 40, 1)]
    assert join_lines(lines, CELL) == "Phòng Tổ chức - Pháp chế"


def test_whole_token_on_its_own_line_keeps_the_space():
    # "52/2015/NĐ-CP" filled its line but ended there: upper-case end, lower-case start is a word boundary
    lines = [line("52/2015/NĐ-CP", 54.8, 0), line("ngày 28/5/2015", 50, 1)]
    assert join_lines(lines, CELL) == "52/2015/NĐ-CP ngày 28/5/2015"


def test_short_word_wrapped_normally():
    lines = [line("Thường", 54, 0), line("xuyên", 30, 1)]
    assert join_lines(lines, CELL) == "Thường xuyên"


def test_roman_numeral_in_narrow_stt_is_one_token():
    lines = [line("VII", 20, 0), line("I", 8, 1)]
    assert join_lines(lines, Box(x0=0, top=0, x1=22, bottom=40), no_spaces=True) == "VIII"


def test_nfc_of_stray_combining_marks():
    decomposed = unicodedata.normalize("NFD", "Văn phòng UBND tỉnh")
    out = join_lines([line(decomposed, 40)], CELL)
    assert out == "Văn phòng UBND tỉnh"
    assert unicodedata.is_normalized("NFC", out)
