"""Plan metadata from the title block, and the structured fields that normalize() adds to every Document."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json

import pytest

from tests.conftest import REAL, SAMPLES, TRUTH
from tthc_extract.normalize.plan_meta import parse_plan_meta
from tthc_extract.runner import extract_document
from tthc_extract.schemas.csv_row import CSV_HEADER, IDENTITY_HEADER, STRUCTURED_HEADER
from tthc_extract.schemas.document import SCHEMA_VERSION, Document, TitleBlock, WarningCode
from tthc_extract.writers import write_outputs


@functools.cache
def doc_of(name: str) -> Document:
    return extract_document(SAMPLES / f"{name}.pdf")


def block(truth_name: str) -> TitleBlock:
    data = json.loads((TRUTH / f"{truth_name}.json").read_text(encoding="utf-8"))["doc"]
    return TitleBlock(**{k: v for k, v in data.items() if k in TitleBlock.model_fields})


def test_seed_000_draft_has_no_number_nor_date():
    plan = parse_plan_meta(block("caobang_ubnd_2026"))
    assert (plan.doc_type, plan.number, plan.symbol, plan.code) == ("Kế hoạch", None, "KH-UBND", None)
    assert plan.date is None
    assert plan.issuer == "Ủy ban nhân dân tỉnh Cao Bằng"
    assert plan.year == 2026
    assert any("number is blank" in w for w in plan.warnings)
    assert any("date is incomplete" in w for w in plan.warnings)


def test_seed_002_number_symbol_date_issuer():
    plan = parse_plan_meta(block("caobang_svhttdl_2026"))
    assert (plan.number, plan.symbol, plan.code) == ("18", "KH-SVHTTDL", "18/KH-SVHTTDL")
    assert plan.date == dt.date(2026, 1, 26)
    assert plan.issuer == "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng"
    assert plan.year == 2026
    assert plan.warnings == []


@pytest.mark.parametrize(("line", "number", "symbol", "date"), [
    ("(Ban hành kèm theo Quyết định số 123/QĐ-UBND ngày 05/3/2026 của UBND tỉnh)", "123", "QĐ-UBND",
     dt.date(2026, 3, 5)),
    ("(Ban hành kèm theo Kế hoạch số /KH-UBND ngày /12/2025 của Chủ tịch UBND tỉnh Lâm Đồng)", None, "KH-UBND", None),
    ("(Kèm theo Kế hoạch số 07/2026/KH-UBND ngày 2 tháng 2 năm 2026)", "07", "2026/KH-UBND", dt.date(2026, 2, 2)),
])
def test_other_attachment_lines(line: str, number: str | None, symbol: str, date: dt.date | None):
    plan = parse_plan_meta(TitleBlock(attachment_line=line))
    assert (plan.number, plan.symbol, plan.date) == (number, symbol, date)


def test_no_attachment_line_is_a_warning_not_an_error():
    plan = parse_plan_meta(TitleBlock())
    assert plan.number is plan.symbol is plan.date is None
    assert plan.warnings


@pytest.mark.parametrize(("name", "code"), [("caobang_ubnd_2026_landscape", None),
                                            ("caobang_svhttdl_2026_landscape", "18/KH-SVHTTDL")])
def test_extracted_documents_carry_the_structured_fields(name: str, code: str | None):
    doc = doc_of(name)
    assert doc.schema_version == SCHEMA_VERSION == "1.2.0"
    assert doc.plan is not None and doc.plan.code == code and doc.plan.year == 2026
    for s in doc.sections:
        for t in s.tasks:
            for a in t.assignments:
                assert a.lead_units is not None and a.partner_units is not None
                assert a.timeframe_parsed is not None and a.timeframe_parsed.raw == a.timeframe.text
                assert bool(a.partner_units) == bool(a.partner.text.strip())
    assert not [w for w in doc.warnings if w.code == WarningCode.UNPARSED_TIMEFRAME]
    plan_warnings = [w for w in doc.warnings if w.code == WarningCode.PLAN_METADATA]
    assert bool(plan_warnings) == (code is None)
    # the JSON round trip keeps them
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc


def test_seed_000_units_of_a_task():
    doc = doc_of("caobang_ubnd_2026_landscape")
    a = next(t for s in doc.sections if s.number.text == "I" for t in s.tasks if t.number.text == "2").assignments[0]
    assert [u.name for u in a.lead_units] == ["Các sở, ban, ngành", "UBND các xã, phường"]
    assert [u.name for u in a.partner_units] == ["Văn phòng UBND tỉnh"]
    assert a.lead_units[1].key == "ủy ban nhân dân các xã, phường"


def test_real_appendix_plan_is_a_draft():
    pdf = REAL / "lamdong_cchc_2026.pdf"
    if not pdf.exists():
        pytest.skip("the real appendix is not in ../shared")
    doc = extract_document(pdf)
    assert (doc.plan.number, doc.plan.symbol, doc.plan.date, doc.plan.year) == (None, "KH-UBND", None, 2026)
    assert doc.plan.issuer == "Chủ tịch UBND tỉnh Lâm Đồng"
    kinds = {p.kind for s in doc.sections for t in s.tasks for a in t.assignments for p in a.timeframe_parsed.parts}
    assert "unparsed" not in kinds and {"reference", "deadline", "ongoing", "periodic"} <= kinds


def test_csv_structured_columns_follow_the_contract(tmp_path):
    doc = doc_of("caobang_svhttdl_2026_landscape")
    doc = doc.model_copy(deep=True)
    a0 = doc.sections[0].tasks[0].assignments[0]
    a0.extra["Ghi chú"] = a0.result.model_copy(update={"text": "x"})
    _, csv_path = write_outputs(doc, tmp_path, "x")
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:10] == list(CSV_HEADER) == [
        "section", "section_title", "task", "description", "result", "lead", "partner", "timeframe", "page_first",
        "page_last"]
    assert reader.fieldnames[10:] == [*STRUCTURED_HEADER, "extra:Ghi chú", *IDENTITY_HEADER]
    assert STRUCTURED_HEADER == ("lead_units", "partner_units", "timeframe_kind", "deadline")
    by_time = {r["timeframe"]: r for r in rows}
    r = by_time["Báo cáo quý, BC năm; BC đột xuất theo yêu cầu của Văn phòng UBND tỉnh"]
    assert (r["timeframe_kind"], r["deadline"]) == ("periodic | on_demand", "")
    assert by_time["Trước 31/8/2026"]["deadline"] == "2026-08-31"
    multi = next(r for r in rows if r["partner"] == "Văn phòng; Các phòng thuộc Sở")
    assert multi["partner_units"] == "Văn phòng | Các phòng thuộc Sở"
