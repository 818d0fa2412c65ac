"""Nothing lost: every character read in the task table is in exactly one output value, or a visible error.

* the check itself (normalize/conservation.py): a value dropped or doubled after normalization is reported
  with its page, box and text; text inside the table that lies in no cell is reported;
* the repair it made visible: the continuation of a merged task cell at the top of a page (only the Nhiệm vụ
  column has text there), above a section row, with and without a repeated header — on synthetic grids and
  on appendices drawn with reportlab in four fonts, both orientations, found by searching the layout until
  the break falls there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.drawn_tables import Style, draw, font
from tests.gridkit import page_table
from tests.plans import DESCRIPTION, case_plan, seed
from tthc_extract.evaluate import evaluate
from tthc_extract.normalize import normalize
from tthc_extract.normalize.conservation import account
from tthc_extract.runner import extract_document
from tthc_extract.schemas import SourceInfo
from tthc_extract.schemas.document import WarningCode

SRC = SourceInfo(file_name="t.pdf", sha256="0" * 64, page_count=2, table_pages=[])
LONG = ("Rà soát, đánh giá việc thực hiện cơ\nchế một cửa, một cửa liên thông và thực hiện\nthủ tục hành chính trên "
        "môi trường")


def _grid_case(repeat_header: bool):
    p1 = page_table(1, [["I", ("CÔNG TÁC CHỈ ĐẠO", 5)],
                        ["1", LONG, "Báo cáo", "Sở Nội vụ", "", "Tháng 6"],
                        ["^", "^", "Kế hoạch", "Văn phòng", "", "Tháng 9"]])
    p2 = page_table(2, [["", "điện tử năm 2027", "", "", "", ""],
                        ["II", ("KIỂM TRA", 5)], ["1", "Kiểm tra", "Báo cáo", "Sở Tư pháp", "", "Quý IV"]],
                    **({} if repeat_header else {"header": None}))
    return p1, p2


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header repeated", "header on page 1 only"])
def test_merged_task_text_continuing_above_a_section_row_goes_to_its_description(repeat_header):
    p1, p2 = _grid_case(repeat_header)
    doc = normalize([p1, p2], SRC, engine="t", engine_version="0")
    task = doc.sections[0].tasks[0]
    assert task.description.text == ("Rà soát, đánh giá việc thực hiện cơ chế một cửa, một cửa liên thông và thực "
                                     "hiện thủ tục hành chính trên môi trường điện tử năm 2027")
    assert task.description.provenance.pages == [1, 2]
    assert [(a.result.text, a.lead.text, a.timeframe.text) for a in task.assignments] == [
        ("Báo cáo", "Sở Nội vụ", "Tháng 6"), ("Kế hoạch", "Văn phòng", "Tháng 9")]
    assert [(s.number.text, s.title.text, len(s.tasks)) for s in doc.sections] == [
        ("I", "CÔNG TÁC CHỈ ĐẠO", 1), ("II", "KIỂM TRA", 1)]
    assert doc.coverage is not None
    assert (doc.coverage.ratio, doc.coverage.unassigned, doc.coverage.assigned_twice) == (1.0, 0, 0)
    assert doc.coverage.furniture == (2 if repeat_header else 1) * sum(
        len(h.replace(" ", "")) for h in ("STT", "Nhiệm vụ", "Kết quả công việc", "Đơn vị chủ trì",
                                          "Đơn vị phối hợp", "Thời gian thực hiện"))


def test_a_value_dropped_after_normalization_is_text_not_assigned_with_page_box_and_text():
    p1, p2 = _grid_case(True)
    doc = normalize([p1, p2], SRC, engine="t", engine_version="0")
    broken = doc.model_copy(deep=True)
    lead = broken.sections[0].tasks[0].assignments[1].lead
    lead.text = ""
    coverage, warnings = account(broken, [p1, p2], [1, 1])
    assert (coverage.unassigned, coverage.assigned_twice) == (len("Vănphòng"), 0)
    assert coverage.ratio == pytest.approx((coverage.read - len("Vănphòng")) / coverage.read)
    [w] = warnings
    assert (w.code, w.severity, w.pages) == (WarningCode.TEXT_NOT_ASSIGNED, "error", [1])
    assert w.box == lead.provenance.fragments[0].box
    assert w.message == "page 1: text read in the table is in no output value: 'Văn phòng'"


def test_part_of_a_cell_lost_names_the_missing_characters():
    p1, p2 = _grid_case(True)
    doc = normalize([p1, p2], SRC, engine="t", engine_version="0")
    broken = doc.model_copy(deep=True)
    broken.sections[1].tasks[0].assignments[0].timeframe.text = "Quý"
    _, [w] = account(broken, [p1, p2], [1, 1])
    assert w.message == "page 2: 2 of 5 characters ('IV') of text read in the table is in no output value: 'Quý IV'"


def test_a_cell_read_into_two_values_is_text_assigned_twice():
    p1, p2 = _grid_case(True)
    doc = normalize([p1, p2], SRC, engine="t", engine_version="0")
    doubled = doc.model_copy(deep=True)
    a = doubled.sections[1].tasks[0].assignments[0]
    a.partner = a.lead.model_copy(deep=True)  # the lead cell's text (and provenance) once more, not as a merge
    coverage, [w] = account(doubled, [p1, p2], [1, 1])
    assert coverage.assigned_twice == len("SởTưpháp")
    assert (w.code, w.severity, w.message) == (WarningCode.TEXT_ASSIGNED_TWICE, "error",
                                               "page 2: text of a cell is in two output values: 'Sở Tư pháp'")


STRAY = "(đã-rà-soát-lại)"


def draw_stray(tmp_path: Path) -> tuple[dict, Path]:
    """The first three sections of seed 002 (landscape), with a text box left across the rule between the
    Nhiệm vụ and Kết quả columns of a task row on page 1: the plan and the PDF."""
    plan = seed()
    plan["sections"] = plan["sections"][:3]
    pdf = tmp_path / "stray.pdf"
    style = Style(family="Liberation Serif")
    rule_x = 40 + (842 - 80) * 7.0 / sum(style.widths)
    draw(plan, style, pdf, overlay=((1, rule_x - 25, 200.0, STRAY),))
    return plan, pdf


def test_stray_text_box_inside_the_table_is_text_not_assigned(tmp_path):
    """A text box left across a rule inside the table (in no cell): named in an error, the rest exact."""
    plan, pdf = draw_stray(tmp_path)
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    for engine in ("pdfium", "pdfplumber"):
        doc = extract_document(pdf, engine=engine)
        errors = [w for w in doc.warnings if w.severity == "error"]
        assert [(w.code, w.pages) for w in errors] == [(WarningCode.TEXT_NOT_ASSIGNED, [1])], engine
        assert errors[0].message == "page 1: text inside the table lies in no cell: '(đã-rà-soát-lại)'"
        assert errors[0].box is not None and errors[0].box.top == pytest.approx(200.0, abs=3)
        assert doc.coverage is not None and doc.coverage.unassigned == len("(đã-rà-soát-lại)")
        out = tmp_path / f"{engine}.json"
        out.write_text(doc.model_dump_json(), encoding="utf-8")
        assert evaluate(out, truth).accuracy == 1.0


# --------------------------------------------------------------------------------------------------------
# Drawn appendices: a long merged task whose Nhiệm vụ text alone continues at a page top, then a section row
# --------------------------------------------------------------------------------------------------------

def draw_case(plan: dict, style: Style, pdf: Path) -> bool:
    """Search the space above the table until the long task breaks with only its Nhiệm vụ text continuing."""
    label = f"task II.{plan['sections'][1]['tasks'][-1]['number']}"
    for spacer in range(0, 400, 4):
        drawing = draw(plan, Style(**{**style.__dict__, "spacer": float(spacer)}), pdf)
        hows = drawing.breaks.get(label, [])
        if hows and hows[-1].endswith("continued: description"):
            return True
    return False


FONTS = ["Liberation Serif", "DejaVu Serif", "Liberation Sans", "Noto Serif"]


@pytest.mark.parametrize("family", FONTS)
@pytest.mark.parametrize(("landscape", "repeat_header"), [(True, True), (False, False)],
                         ids=["landscape, header repeated", "portrait, header on page 1 only"])
def test_drawn_long_merged_task_continuing_above_a_section_is_exact(tmp_path, family, landscape, repeat_header):
    try:
        font(family)
    except LookupError:
        pytest.skip(f"{family} is not installed")
    plan = case_plan()
    pdf = tmp_path / "case.pdf"
    style = Style(family=family, landscape=landscape, repeat_header=repeat_header, size=11 if landscape else 10)
    assert draw_case(plan, style, pdf), "no layout put the break inside the long Nhiệm vụ cell"
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    doc = extract_document(pdf)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, truth)
    assert report.accuracy == 1.0, report.mismatches[:3]
    task = doc.sections[1].tasks[-1]
    assert task.description.text == DESCRIPTION
    assert len(task.description.provenance.pages) == 2
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
    assert [w.message for w in doc.warnings if w.severity == "error"] == []


def test_a_file_with_unassigned_text_is_suspect_in_the_summary_run_json_and_exit_code(tmp_path):
    from click.testing import CliRunner

    from tests.conftest import sample_pdfs
    from tthc_extract.cli import main

    _, stray = draw_stray(tmp_path)
    good = sample_pdfs()[0]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(good), str(stray), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 4, result.output
    lines = result.output.splitlines()
    [suspect] = [ln for ln in lines if ln.startswith("SUSPECT")]
    assert suspect.endswith(f": 1 error, first: page 1: text inside the table lies in no cell: {STRAY!r}")
    assert "coverage 0.98" in suspect
    assert any(ln.startswith(f"done    {good}") and ln.endswith("coverage 1.0000)") for ln in lines)
    assert lines[-1].startswith("1 done, 1 suspect, 0 skipped, 0 failed; warnings: 1 errors, ")
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"done": 1, "suspect": 1, "skipped": 0, "failed": 0, "interrupted": 0}
    assert report["warnings"]["error"] == 1
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert (files["stray.pdf"]["status"], files["stray.pdf"]["warnings"]["error"]) == ("suspect", 1)
    assert files["stray.pdf"]["coverage"] < 1.0 and files[good.name]["coverage"] == 1.0
    assert (out / "stray.json").exists() and (out / "stray.csv").exists()  # a suspect file's outputs are written


def test_audit_report_outlines_unassigned_text_in_red(tmp_path):
    import re

    from tthc_extract.audit import build_audit_html

    _, pdf = draw_stray(tmp_path)
    doc = extract_document(pdf)
    html = build_audit_html(doc, pdf)
    [lost] = re.findall(r'<div class="box k-lost"[^>]*>', html)
    assert 'data-page="1"' in lost
    assert "text_not_assigned" in lost and "(đã-rà-soát-lại)" in lost
    assert "text read in the table that is in no value (or in two): an error" in html  # the legend
