"""Work shared among processes: engines reading a subset of pages, a long file shared out page by page, and
files started longest first — each must give exactly what one process reading everything gives."""

from __future__ import annotations

import pytest

import tthc_extract.batch as batch
from tests.conftest import GOLDEN, REAL, SAMPLES, engine_params
from tthc_extract.evaluate import evaluate
from tthc_extract.runner import engine_tables, page_count_of, split_pages

SPLITS = SAMPLES / "caobang_ubnd_2026_splits.pdf"  # 13 pages, 10 rows split across page breaks


def test_split_pages_runs():
    assert split_pages(102, 2) == [list(range(1, 52)), list(range(52, 103))]
    assert split_pages(7, 3) == [[1, 2], [3, 4, 5], [6, 7]]
    assert split_pages(2, 4) == [[1], [2]]  # never an empty run
    assert split_pages(5, 1) == [[1, 2, 3, 4, 5]]


def test_page_count_of_unreadable_file_is_zero(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    assert page_count_of(bad) == 0
    assert page_count_of(SPLITS) == 13


@pytest.mark.parametrize("engine", engine_params(["pdfium", "pdfplumber", "camelot"]))
def test_engine_on_some_pages_equals_those_pages_of_the_whole(engine):
    whole = engine_tables(engine, str(SPLITS), None, list(range(1, 14)))
    runs = [engine_tables(engine, str(SPLITS), None, run) for run in split_pages(13, 3)]
    assert [t for run in runs for t in run] == whole
    assert [t.page for t in runs[1]] == [5, 6, 7, 8, 9]
    assert engine_tables(engine, str(SPLITS), None, []) == []


def test_long_file_shared_out_gives_the_golden_outputs(tmp_path, monkeypatch):
    gathered: list[tuple[list[int], int]] = []
    real_gather = batch._gather

    def spy(engine, path, password, own, others):
        gathered.append((own, len(others)))
        return real_gather(engine, path, password, own, others)

    monkeypatch.setattr(batch, "_gather", spy)
    [result] = batch.run_batch([SPLITS], tmp_path, engine="pdfium", workers=2, force=True,
                               split_min_pages=4)  # the samples are short; the rule is the same
    assert result.status == "done", result.error
    assert gathered == [([1, 2, 3, 4, 5, 6], 1)]  # this process read pages 1-6, one worker pages 7-13
    assert result.counts == {"sections": 11, "tasks": 26, "assignments": 27}
    out_json = (tmp_path / "caobang_ubnd_2026_splits.json").read_text(encoding="utf-8")
    golden = (GOLDEN / "caobang_ubnd_2026_splits.json").read_text(encoding="utf-8")
    strip = [line for line in out_json.splitlines() if '"engine_version"' not in line]
    assert strip == [line for line in golden.splitlines() if '"engine_version"' not in line]
    assert (tmp_path / "caobang_ubnd_2026_splits.csv").read_bytes() == \
        (GOLDEN / "caobang_ubnd_2026_splits.csv").read_bytes()


def test_only_a_file_longer_than_its_fair_share_is_shared_out(tmp_path, monkeypatch):
    """Six samples of 5-13 pages (47 in all): none exceeds 47 / 2 pages, so whole files go to the workers
    (longest first), results still come back in input order."""
    gathered = []
    monkeypatch.setattr(batch, "_gather", lambda *a: gathered.append(a))
    files = sorted(SAMPLES.glob("*.pdf"))
    results = batch.run_batch(files, tmp_path, engine="pdfium", workers=2, force=True, split_min_pages=4)
    assert gathered == []
    assert [r.path for r in results] == [str(f) for f in files]
    assert [r.status for r in results] == ["done"] * 6
    assert [r.pages for r in results] == [5, 5, 12, 6, 6, 13]


def test_encrypted_file_shared_out_with_its_password(tmp_path, monkeypatch):
    """The password reaches the workers; with a wrong one the file is not shared out and fails in one line."""
    locked = tmp_path / "locked.pdf"
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(SPLITS))
    writer.encrypt("secret")
    with locked.open("wb") as f:
        writer.write(f)
    [result] = batch.run_batch([locked], tmp_path / "out", engine="pdfium", workers=2, password="secret",
                               split_min_pages=4)
    assert result.status == "done", result.error
    assert result.counts == {"sections": 11, "tasks": 26, "assignments": 27}
    [wrong] = batch.run_batch([locked], tmp_path / "out2", engine="pdfium", workers=2, password="nope",
                              split_min_pages=4)
    assert (wrong.status, wrong.error_kind, wrong.error) == (
        "failed", "encrypted_pdf", "the PDF is encrypted and the password given is wrong")


REAL_PDF = REAL / "lamdong_cchc_2026.pdf"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/real is not present")
def test_real_appendix_shared_out_is_exact(tmp_path):
    """The real 30-page appendix (table on pages 12-30) read by two processes, pages 1-15 and 16-30: the row
    split across pages 15/16 is joined like any other, and the result equals the truth cell for cell."""
    [result] = batch.run_batch([REAL_PDF], tmp_path, engine="pdfium", workers=2)
    assert result.status == "done", result.error
    assert split_pages(30, 2)[1][0] == 16
    rep = evaluate(tmp_path / "lamdong_cchc_2026.json", REAL / "lamdong_cchc_2026.json")
    assert rep.accuracy == 1.0, [m.__dict__ for m in rep.mismatches]
