"""``--cross-check``: two engines' Documents compared value by value; agreement on a sample, planted
disagreements reported with their place and both texts, and the CLI's line."""

from __future__ import annotations

import functools
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SAMPLES
from tthc_extract.crosscheck import compare, report
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document

GRID_SAMPLE = SAMPLES / "caobang_ubnd_2026_splits.pdf"  # merged cells, rows split across pages


@functools.cache
def doc(path: Path, engine: str) -> Document:
    return extract_document(path, engine=engine)



def test_cross_check_agrees_with_pdfplumber_on_a_sample():
    a, b = doc(GRID_SAMPLE, "pdfium"), doc(GRID_SAMPLE, "pdfplumber")
    assert compare(a, b) == []
    assert report(a, b, "pdfium", "pdfplumber") == ["0 disagreements between pdfium and pdfplumber"]


def test_cross_check_reports_planted_disagreements():
    a = doc(GRID_SAMPLE, "pdfium")
    b = a.model_copy(deep=True)
    task = b.sections[2].tasks[0]
    task.assignments[0].lead.text = "Sở Nội vụ"
    b.sections[1].title.text = "ANOTHER TITLE"
    dropped = b.sections[-1].tasks.pop()
    found = compare(a, b)
    sec3, sec2, last = a.sections[2], a.sections[1], a.sections[-1]
    where = {(d.where, d.field): d for d in found}
    assert len(found) == 3
    lead = where[(f"section {sec3.number.text} task {task.number.text} assignment 1", "lead")]
    assert (lead.a, lead.b) == (sec3.tasks[0].assignments[0].lead.text, "Sở Nội vụ")
    assert lead.pages
    title = where[(f"section {sec2.number.text}", "title")]
    assert (title.a, title.b) == (sec2.title.text, "ANOTHER TITLE")
    gone = where[(f"section {last.number.text} task {dropped.number.text}", "record")]
    assert gone.b == "(missing)" and dropped.description.text in gone.a
    lines = report(a, b, "pdfium", "edited")
    assert len(lines) == 4 and lines[-1] == "3 disagreements between pdfium and edited"
    assert "'Sở Nội vụ'" in lines[0] or "'Sở Nội vụ'" in "\n".join(lines)


def test_cli_cross_check(tmp_path: Path):
    from tthc_extract.cli import main

    res = CliRunner().invoke(main, ["extract", str(GRID_SAMPLE), "--engine", "pdfium", "--cross-check",
                                    "pdfplumber", "-o", str(tmp_path), "-q"])
    assert res.exit_code == 0, res.output
    assert f"cross-check {GRID_SAMPLE}: 0 disagreements between pdfium and pdfplumber" in res.output
