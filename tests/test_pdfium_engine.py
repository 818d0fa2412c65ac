"""The pdfium engine: exact on every sample and on the real appendix, the same page grids as the pdfplumber
engine, its grid builder and word splitter on synthetic input."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.conftest import REAL, SAMPLES, sample_pdfs, truth_for
from tthc_extract.evaluate import evaluate
from tthc_extract.extract import get_engine
from tthc_extract.extract.pdfium_engine import Rule, _words, cell_boxes, join_rules, rule_groups
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document
from tthc_extract.schemas.raw import Box, PageTable
from tthc_extract.writers import write_outputs

REAL_PDF = REAL / "lamdong_cchc_2026.pdf"
REAL_TRUTH = REAL / "lamdong_cchc_2026.json"
GRID_SAMPLE = SAMPLES / "caobang_ubnd_2026_splits.pdf"  # merged cells, rows split across pages


@functools.cache
def doc(path: Path, engine: str) -> Document:
    return extract_document(path, engine=engine)


def assert_exact(document: Document, truth: Path, tmp_path: Path, stem: str) -> None:
    for out in write_outputs(document, tmp_path, stem):
        rep = evaluate(out, truth)
        assert rep.accuracy == 1.0, "\n".join(f"{m.row} {m.field}: {m.expected!r} != {m.got!r}"
                                              for m in rep.mismatches)


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_exact_on_every_sample(pdf: Path, tmp_path: Path):
    document = doc(pdf, "pdfium")
    assert document.engine == "pdfium"
    assert_exact(document, truth_for(pdf), tmp_path, pdf.stem)


@pytest.mark.skipif(not (REAL_PDF.exists() and REAL_TRUTH.exists()), reason="the real appendix is not here")
def test_exact_on_the_real_appendix(tmp_path: Path):
    assert_exact(doc(REAL_PDF, "pdfium"), REAL_TRUTH, tmp_path, REAL_PDF.stem)


def _grid(table: PageTable) -> list[tuple]:
    return [(c.row, c.col, c.row_span, c.col_span, tuple(line.text for line in c.lines)) for c in table.cells]


def _close(a: Box, b: Box, tol: float) -> bool:
    return all(abs(getattr(a, k) - getattr(b, k)) <= tol for k in ("x0", "top", "x1", "bottom"))


def test_page_grids_equal_pdfplumbers():
    pages_a, ours = get_engine("pdfium").extract(GRID_SAMPLE)
    pages_b, theirs = get_engine("pdfplumber").extract(GRID_SAMPLE)
    assert pages_a == pages_b
    assert [(t.page, t.index, t.n_rows, t.n_cols) for t in ours] == [(t.page, t.index, t.n_rows, t.n_cols)
                                                                    for t in theirs]
    assert any(c.row_span > 1 for t in ours for c in t.cells), "the sample has merged cells"
    for a, b in zip(ours, theirs, strict=True):
        assert _grid(a) == _grid(b), f"page {a.page}"
        assert [line.text for line in a.text_above] == [line.text for line in b.text_above]
        assert _close(a.box, b.box, 0.2)
        for ca, cb in zip(a.cells, b.cells, strict=True):
            assert _close(ca.box, cb.box, 0.2), (a.page, ca.row, ca.col)
            for la, lb in zip(ca.lines, cb.lines, strict=True):
                assert _close(la.box, lb.box, 1.0), (a.page, la.text)


def test_text_is_nfc():
    import unicodedata

    _, tables = get_engine("pdfium").extract(GRID_SAMPLE)
    texts = [line.text for t in tables for c in t.cells for line in c.lines]
    assert any("ệ" in text for text in texts)
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


# ------------------------------------------------------------------------------------------------
# Grid builder and words on synthetic input
# ------------------------------------------------------------------------------------------------


def _boxes(hs: list[tuple[float, float, float]], vs: list[tuple[float, float, float]]) -> list[tuple]:
    groups = rule_groups(join_rules(hs), join_rules(vs))
    return sorted((round(b.x0), round(b.top), round(b.x1), round(b.bottom)) for h, v in groups
                  for b in cell_boxes(h, v))


def test_grid_cells_and_merged_cells():
    # 3 columns x 2 rows; the rule between the two rows is missing under column 0: one merged cell there.
    hs = [(0, 0, 90), (20, 30, 90), (40, 0, 90)]
    vs = [(0, 0, 40), (30, 0, 40), (60, 0, 40), (90, 0, 40)]
    assert _boxes(hs, vs) == [(0, 0, 30, 40), (30, 0, 60, 20), (30, 20, 60, 40), (60, 0, 90, 20), (60, 20, 90, 40)]


def test_rules_snapped_and_joined():
    # a rule drawn in two pieces 0.4 pt apart vertically and with a 1 pt gap is one rule
    assert join_rules([(10.0, 0.0, 40.0), (10.4, 41.0, 90.0)]) == [Rule(10.2, 0.0, 90.0)]


def test_region_without_its_outer_rule_is_not_a_cell():
    # the right border is missing beside the second row: that region is open, not a cell
    hs = [(0, 0, 60), (20, 0, 60), (40, 0, 60)]
    vs = [(0, 0, 40), (30, 0, 40), (60, 0, 20)]
    assert _boxes(hs, vs) == [(0, 0, 30, 20), (0, 20, 30, 40), (30, 0, 60, 20)]


def test_separate_tables_and_stray_lines():
    table = ([(0, 0, 50), (20, 0, 50)], [(0, 0, 20), (50, 0, 20)])
    other = ([(100, 0, 50), (130, 0, 50)], [(0, 100, 130), (50, 100, 130)])
    underline = ([(70, 10, 40)], [])
    hs = table[0] + other[0] + underline[0]
    vs = table[1] + other[1]
    assert _boxes(hs, vs) == [(0, 0, 50, 20), (0, 100, 50, 130)]


def test_words_split_on_blanks_and_gaps():
    # (baseline, x0, x1, text, index): "ab cd" then "e" after a 2 pt gap, a second line below
    chars = [(10.0, 0.0, 5.0, "a", 0), (10.0, 5.0, 10.0, "b", 1), (10.0, 10.0, 13.0, " ", 2),
             (10.2, 13.0, 18.0, "c", 3), (10.0, 18.5, 23.0, "d", 4), (10.0, 25.0, 30.0, "e", 5),
             (25.0, 0.0, 5.0, "f", 6)]
    words = _words(list(reversed(chars)), lambda i: 8.0)
    assert [(w.text, w.x0, w.x1) for w in sorted(words, key=lambda w: (round(w.bottom), w.x0))] == [
        ("ab", 0.0, 10.0), ("cd", 13.0, 23.0), ("e", 25.0, 30.0), ("f", 0.0, 5.0)]
    assert words[0].bottom - words[0].top == pytest.approx(8.0)


def test_words_are_nfc():
    chars = [(10.0, 0.0, 5.0, "e", 0), (10.0, 5.0, 5.0, "\u0302", 1), (10.0, 5.0, 9.0, "\u0323", 2)]
    assert [w.text for w in _words(chars, lambda i: 8.0)] == ["ệ"]
