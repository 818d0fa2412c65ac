"""End to end on the bundled samples: every engine exact against the truth; each hard case of the seeds."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from tests.conftest import REAL, SAMPLES, engine_params, sample_pdfs, truth_for
from tthc_extract.evaluate import evaluate
from tthc_extract.extract import ENGINES
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document, Repair, WarningCode
from tthc_extract.writers import write_outputs


@functools.cache
def doc_of(name: str, engine: str = "pdfplumber") -> Document:
    return extract_document(SAMPLES / f"{name}.pdf", engine=engine)


def task(doc: Document, section: str, number: str, nth_section: int = 0):
    sections = [s for s in doc.sections if s.number.text == section]
    return next(t for t in sections[nth_section].tasks if t.number.text == number)


def test_six_samples_present():
    names = sorted(p.stem for p in sample_pdfs())
    assert names == [f"{seed}_{v}" for seed in ("caobang_svhttdl_2026", "caobang_ubnd_2026")
                     for v in ("landscape", "portrait", "splits")]


@pytest.mark.parametrize("engine", engine_params(sorted(e for e in ENGINES if e != "ocr")))  # OCR: tests/test_ocr.py
@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_exact_on_every_sample(pdf: Path, engine: str, tmp_path):
    doc = doc_of(pdf.stem, engine)
    json_path, csv_path = write_outputs(doc, tmp_path, pdf.stem)
    for out in (json_path, csv_path):
        rep = evaluate(out, truth_for(pdf))
        assert rep.accuracy == 1.0, "\n".join(f"{m.row} {m.field}: {m.expected!r} != {m.got!r}" for m in rep.mismatches)
    assert doc.coverage is not None and doc.coverage.ratio == 1.0  # every character read is in one value
    assert [w.message for w in doc.warnings if w.severity == "error"] == []


# Rows split across page breaks in each sample: (section, task, assignment index) → (first page, last page).
SPLIT_ROWS = {
    "caobang_ubnd_2026_landscape": {("V", "2", 0): (2, 3), ("VI", "3", 0): (3, 4), ("X", "1", 0): (5, 6)},
    "caobang_ubnd_2026_portrait": {("III", "1", 0): (1, 2), ("V", "3", 0): (2, 3), ("VII", "1", 0): (3, 4),
                                   ("VIII", "2", 0): (4, 5), ("XI", "1", 0): (5, 6)},
    "caobang_svhttdl_2026_landscape": {("III", "2", 0): (1, 2), ("V", "3", 1): (2, 3), ("VII", "4", 0): (3, 4),
                                       ("VIII", "5", 0): (4, 5)},
    "caobang_svhttdl_2026_portrait": {("IV", "1", 0): (1, 2), ("VI", "2", 0): (2, 3), ("VIII", "1", 0): (3, 4),
                                      ("IX", "1", 0): (4, 5)},
}


@pytest.mark.parametrize("name", sorted(SPLIT_ROWS))
def test_rows_split_across_pages(name: str):
    doc = doc_of(name)
    split = {}
    for s in doc.sections:
        for t in s.tasks:
            for i, a in enumerate(t.assignments):
                if a.page_first != a.page_last and (s.number.text, t.number.text, i) not in split:
                    split[(s.number.text, t.number.text, i)] = (a.page_first, a.page_last)
    # a task of the duplicated section title (seed 002 has VII and VIII alike) is keyed by its own numeral
    assert split == SPLIT_ROWS[name]
    joined = [w for w in doc.warnings if w.code == WarningCode.JOINED_ACROSS_PAGES]
    assert joined, "a split row must be reported"


def test_seed000_II1_split_over_pages_in_portrait():
    t = task(doc_of("caobang_ubnd_2026_landscape"), "II", "1")
    assert t.description.text == ("Tổ chức thực hiện rà soát, đơn giản hóa TTHC thuộc thẩm quyền giải quyết của các "
                                  "cấp chính quyền trên địa bàn tỉnh")
    t = task(doc_of("caobang_ubnd_2026_splits"), "V", "3")
    assert t.assignments[0].page_first != t.assignments[1].page_first


@pytest.mark.parametrize("name", ["caobang_ubnd_2026_splits", "caobang_svhttdl_2026_splits"])
def test_merged_task_V3_crosses_the_page_break(name: str):
    t = task(doc_of(name), "V", "3")
    assert len(t.assignments) == 2
    assert t.assignments[1].page_first > t.assignments[0].page_first


def test_V3_two_assignments_seed000():
    t = task(doc_of("caobang_ubnd_2026_portrait"), "V", "3")
    assert t.description.text == "Thực hiện công khai TTHC đã được công bố"
    assert [a.result.text for a in t.assignments] == [
        "Cập nhật các TTHC được công bố mới, sửa đổi, bổ sung trên Cơ sở dữ liệu quốc gia về TTHC để công khai trên "
        "Cổng thông tin điện tử tỉnh và Trang thông tin điện tử của các cơ quan, đơn vị",
        "Niêm yết, công khai các TTHC đã được công bố tại nơi giải quyết TTHC và trên Cổng thông tin điện tử của "
        "tỉnh, Trang thông tin điện tử của các cơ quan, đơn vị",
    ]
    assert [a.lead.text for a in t.assignments] == [
        "Văn phòng UBND tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh, Trung tâm Phục vụ hành chính công các xã, phường",
    ]
    assert Repair.JOINED_ACROSS_PAGES in t.assignments[0].result.provenance.repairs


def test_V3_two_assignments_seed002():
    t = task(doc_of("caobang_svhttdl_2026_landscape"), "V", "3")
    assert [a.result.text for a in t.assignments] == [
        "Công khai trên Cổng Dịch vụ công tỉnh, Trang thông tin điện tử của Sở",
        "- Cập nhật các TTHC đã được công bố mới, sửa đổi, bổ sung trên Trang thông tin điện tử của Sở; - Phối hợp "
        "với TTPVHCC niêm yết, công khai các TTHC đã được công bố tại TTPVHCC và trên Trang thông tin điện tử của Sở.",
    ]
    assert [(a.lead.text, a.partner.text, a.timeframe.text) for a in t.assignments] == [
        ("Văn phòng Sở", "Các phòng thuộc Sở", "Thường xuyên")] * 2


@pytest.mark.parametrize("name", ["caobang_svhttdl_2026_landscape", "caobang_svhttdl_2026_portrait",
                                  "caobang_svhttdl_2026_splits"])
def test_seed002_VII1_continues_with_duyet(name: str):
    t = task(doc_of(name), "VII", "1")
    assert t.description.text == (
        "Tham mưu dự thảo Quyết định phê duyet quy trình nội bộ trong giải quyết TTHC thuộc phạm vi chức năng quản lý "
        "của Sở VH TTDL trình Văn phòng UBND tỉnh (ngay sau khi Chủ tịch UBND tỉnh công bố TTHC, danh mục TTHC)")
    result = t.assignments[0].result.text
    assert result == "Tờ trình, Dự thảo Quyết định phê duyệt quy trình nội bộ trong giải quyết TTHC"


def test_seed002_duplicate_section_titles_kept_with_warning():
    doc = doc_of("caobang_svhttdl_2026_landscape")
    vii, viii = doc.sections[6], doc.sections[7]
    assert (vii.number.text, viii.number.text) == ("VII", "VIII")
    title = "TỔ CHỨC, THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG TRONG GIẢI QUYẾT TTHC"
    assert vii.title.text == viii.title.text == title
    dup = [w for w in doc.warnings if w.code == WarningCode.DUPLICATE_SECTION_TITLE]
    assert [(w.section, w.message) for w in dup] == [
        ("VIII", "section VIII repeats the title of section VII: " + vii.title.text)]


def test_seed000_typos_kept():
    doc = doc_of("caobang_ubnd_2026_landscape")
    assert "Trung tâm Phục vụ hành chính công tinh," in task(doc, "VI", "3").description.text
    assert task(doc, "VII", "2").assignments[0].partner.text == "các sở, ban, ngành"


def test_seed000_merged_time_cell_over_section_III():
    doc = doc_of("caobang_ubnd_2026_landscape")
    iii = doc.sections[2]
    times = [t.assignments[0].timeframe for t in iii.tasks]
    assert [v.text for v in times] == ["Thường xuyên", "Thường xuyên"]
    assert Repair.MERGED_CELL in times[1].provenance.repairs
    assert times[0].provenance.fragments == times[1].provenance.fragments[:1]


def test_portrait_mid_token_breaks_joined():
    doc = doc_of("caobang_ubnd_2026_portrait")
    assert task(doc, "II", "1").assignments[0].timeframe.text == "Trước 31/8/2026"
    assert [s.number.text for s in doc.sections][7] == "VIII"
    assert doc.columns[0].header.replace(" ", "") == "STT"


def test_title_block():
    tb = doc_of("caobang_svhttdl_2026_portrait").title_block
    assert tb.heading == "Phụ lục"
    assert tb.title == ("NHIỆM VỤ CỤ THỂ CÔNG TÁC KIỂM SOÁT TTHC, TRIỂN KHAI CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG VÀ "
                        "THỰC HIỆN TTHC TRÊN MÔI TRƯỜNG ĐIỆN TỬ NĂM 2026")
    assert tb.attachment_line == ("(Kèm theo Kế hoạch số 18/KH-SVHTTDL ngày 26 tháng 01 năm 2026 của Sở Văn hóa, Thể "
                                  "thao và Du lịch tỉnh Cao Bằng)")
    assert tb.issuer == "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng"
    assert tb.year == 2026


def test_every_value_has_provenance():
    doc = doc_of("caobang_ubnd_2026_splits")
    for s in doc.sections:
        for t in s.tasks:
            for v in (t.number, t.description):
                assert v.provenance.fragments
            for a in t.assignments:
                for v in (a.result, a.lead, a.timeframe):
                    assert v.provenance.fragments, (s.number.text, t.number.text)
                    for f in v.provenance.fragments:
                        # a merged cell's text may sit on an earlier page than the row it covers
                        if Repair.MERGED_CELL not in v.provenance.repairs:
                            assert a.page_first <= f.page <= a.page_last
                        assert 0 <= f.box.x0 < f.box.x1 <= 842 and 0 <= f.box.top < f.box.bottom <= 842


def test_json_validates_against_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from click.testing import CliRunner

    from tthc_extract.cli import main

    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    assert schema["$id"].startswith("tthc-extract/document/")
    json_path, _ = write_outputs(doc_of("caobang_ubnd_2026_portrait"), tmp_path, "x")
    jsonschema.validate(json.loads(json_path.read_text(encoding="utf-8")), schema)


def test_csv_header_and_bom(tmp_path):
    _, csv_path = write_outputs(doc_of("caobang_ubnd_2026_portrait"), tmp_path, "x")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n", 1)[0].decode()
    contract = "section,section_title,task,description,result,lead,partner,timeframe,page_first,page_last"
    assert header.startswith(contract)
    assert raw.decode("utf-8-sig").count("\r\n") == 28  # header + 27 assignments


REAL_PDF = REAL / "lamdong_cchc_2026.pdf"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/real is not present")
@pytest.mark.parametrize("engine", engine_params(["pdfplumber", "pdfium"]))
def test_real_appendix_lamdong(tmp_path, engine):
    doc = extract_document(REAL_PDF, engine=engine)
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
    assert [w.message for w in doc.warnings if w.severity == "error"] == []
    assert doc.source.table_pages == list(range(12, 31))
    assert [c.field for c in doc.columns] == ["stt", "description", "result", "timeframe", "lead", "partner", "extra"]
    json_path, _ = write_outputs(doc, tmp_path, "lamdong")
    rep = evaluate(json_path, REAL / "lamdong_cchc_2026.json")
    assert rep.accuracy >= 0.98
    assert rep.accuracy == 1.0, [m.__dict__ for m in rep.mismatches]
