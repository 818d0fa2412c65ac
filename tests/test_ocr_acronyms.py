"""Acronyms repaired after the document's ordinary type (extract/ocr/acronyms.py): a misread "TTHC" in a bold
title or a sentence takes the spelling the document writes far more often; syllables, rare acronyms the document
writes itself and acronyms two edits away are left, and every repair keeps Tesseract's reading."""

from __future__ import annotations

import pytest

from tthc_extract.extract.ocr import acronyms
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine


def _table(*cells: str) -> PageTable:
    box = Box(x0=0, top=0, x1=10, bottom=10)
    return PageTable(page=1, page_width=10, page_height=10, box=box, n_rows=len(cells), n_cols=1, cells=[
        Cell(row=i, col=0, box=box, confidence=0.9, lines=[TextLine(text=t, box=box)]) for i, t in enumerate(cells)])


ORDINARY = ["Kế hoạch kiểm soát TTHC năm 2026", "công bố TTHC; rà soát TTHC", "UBND tỉnh; đơn giản hóa TTHC",
            "Thực hiện TTHC trên môi trường điện tử", "UBND các xã, phường", "Báo cáo UBND tỉnh"]


def test_a_misread_acronym_takes_the_documents_spelling():
    table = _table("RÀ SOÁT, ĐÁNH GIÁ THC THUỘC THẨM QUYỀN", "TỔ CHỨC GIẢI QUYẾT TFHC, TƯHC;", "quy định T'THC",
                   "thực hiện THC trên", *ORDINARY, *ORDINARY)
    assert acronyms.repair_acronyms([table], {}) == 5
    texts = [c.text for c in table.cells]
    assert texts[:4] == ["RÀ SOÁT, ĐÁNH GIÁ TTHC THUỘC THẨM QUYỀN", "TỔ CHỨC GIẢI QUYẾT TTHC, TTHC;",
                         "quy định TTHC", "thực hiện TTHC trên"]
    assert table.cells[1].lines[0].ocr_read == "TỔ CHỨC GIẢI QUYẾT TFHC, TƯHC;"
    assert table.cells[0].confidence == pytest.approx(0.9 * acronyms.TONE_CONF) and table.cells[4].confidence == 0.9
    assert texts[4:] == ORDINARY * 2  # the evidence itself is untouched (TTHC ten times, THC once)


@pytest.mark.parametrize("text", [
    "CÔNG TÁC KIỂM SOÁT TTHC",   # already right
    "TỔ CHỨC THỰC HIỆN",         # syllables, not acronyms ("THC" is none, "THỰC" is one)
    "Trung tâm TTHCC; các TTHCC",  # one edit from TTHC, but the document writes it itself, not 5× rarer
    "BAN TTTHCXX",               # two edits away
    "HĐND tỉnh",                 # two edits from UBND
])
def test_what_is_left(text):
    table = _table(text, *ORDINARY)
    assert acronyms.repair_acronyms([table], {}) == 0
    assert table.cells[0].text == text and table.cells[0].lines[0].ocr_read is None


def test_a_frequent_misreading_is_no_evidence():
    # "THC" three times in sentences beside "TTHC" fifteen: "TUHC" is one edit from both, "TTHC" decides
    table = _table("cải cách TUHC, kiểm soát", "thực hiện THC; công bố THC; rà soát THC", *ORDINARY * 3)
    assert acronyms.repair_acronyms([table], {}) == 4
    assert [c.text for c in table.cells[:2]] == ["cải cách TTHC, kiểm soát",
                                                 "thực hiện TTHC; công bố TTHC; rà soát TTHC"]


def test_two_evidences_one_edit_away_decide_nothing():
    table = _table("QUY ĐỊNH TTH", *ORDINARY, "các TTHN; TTHN; TTHN; TTHN; TTHN; TTHN; TTHN")
    assert acronyms.repair_acronyms([table], {}) == 0  # TTHC or TTHN: the document does not say
