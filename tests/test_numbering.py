"""Numbering beyond I / 1: sub-tasks (1.1, 1.2; a), b); "-" items) keep their numbers as printed and name the task
they belong to; a numbered row with only a description is a heading task (one empty assignment, so the CSV keeps
a row for it); a level above sections (A, B; "Phần I") becomes the sections' part. Drawn with reportlab in two
fonts and both orientations, parts and sections in their own cells and in one cell across the row."""

from __future__ import annotations

import json

import pytest

from tests.drawn_tables import Style, draw
from tests.plans import numbered_plan
from tthc_extract.evaluate import evaluate
from tthc_extract.normalize.numbering import kind_of, parents
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import WarningCode


@pytest.mark.parametrize(("numbers", "want"), [
    (["1", "1.1", "1.2", "a)", "b)", "-", "2"], [None, 0, 0, 2, 2, 4, None]),
    (["1", "2", "2.1", "2.1.1", "2.2", "3"], [None, None, 1, 2, 1, None]),
    (["1.", "a.", "b.", "+", "+", "2."], [None, 0, 0, 2, 2, None]),
    (["a)", "-", "1"], [None, 0, None]),
])
def test_parents(numbers, want):
    assert parents(numbers) == want


@pytest.mark.parametrize(("number", "kind"), [("1", "number"), ("12.", "number"), ("1.2", "dotted"),
                                              ("2.1.3", "dotted"), ("a)", "letter"), ("đ)", "letter"),
                                              ("(b)", "letter"), ("c.", "letter"), ("-", "bullet"), ("•", "bullet"),
                                              ("IV", "other"), ("", "other")])
def test_kind_of(number, kind):
    assert kind_of(number) == kind


@pytest.mark.parametrize("family", ["Liberation Serif", "DejaVu Serif"])
@pytest.mark.parametrize("landscape", [True, False], ids=["landscape", "portrait"])
@pytest.mark.parametrize("one_cell", [False, True], ids=["number in STT", "heading in one cell"])
def test_sub_tasks_and_parts_are_exact(tmp_path, family, landscape, one_cell):
    plan = numbered_plan()
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    draw(plan, Style(family=family, landscape=landscape, size=11 if landscape else 10,
                     section_in_one_cell=one_cell), pdf)
    doc = extract_document(pdf)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, truth)
    assert report.accuracy == 1.0, report.mismatches[:3]
    assert [(p.id, p.number.text, p.title.text) for p in doc.parts] == [
        ("p1", "A", "NHIỆM VỤ CHUNG"), ("p2", "B", "NHIỆM VỤ CỤ THỂ")]
    assert [(s.number.text, s.part) for s in doc.sections] == [("I", "p1"), ("II", "p1"), ("III", "p2"),
                                                              ("IV", "p2")]
    tasks = doc.sections[1].tasks
    assert [(t.id, t.number.text, t.parent) for t in tasks] == [
        ("s2.t1", "1", None), ("s2.t2", "1.1", "s2.t1"), ("s2.t3", "1.2", "s2.t1"), ("s2.t4", "a)", "s2.t3"),
        ("s2.t5", "-", "s2.t4"), ("s2.t6", "2", None)]
    assert [a.result.text for a in tasks[0].assignments] == [""]  # the heading task keeps its one (empty) row
    noise = [w.message for w in doc.warnings if w.code in (WarningCode.NUMBERING_GAP, WarningCode.EMPTY_REQUIRED_CELL)]
    assert noise == []
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
