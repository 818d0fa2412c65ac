"""Issue 16, files for office users and machines: the Excel workbook (read back with openpyxl, rendered by
LibreOffice) and the compact JSON (validated by its model and its JSON Schema)."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tthc_extract.cli import main
from tthc_extract.compact import COMPACT_FORMAT, CompactDocument, compact_json_bytes
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document
from tthc_extract.writers import Formats, write_outputs
from tthc_extract.xlsx import MAIN_COLUMNS, TAIL_COLUMNS, xlsx_bytes

SAMPLE = "caobang_svhttdl_2026_splits"
FORMULA_LIKE = {"result": "- Cập nhật =SUM(A1:A3)", "lead": "=1+2", "partner": "+84 912", "timeframe": "@Tháng 9"}


@functools.cache
def doc_of(name: str = SAMPLE) -> Document:
    return extract_document(SAMPLES / f"{name}.pdf")


def formula_doc() -> Document:
    doc = doc_of().model_copy(deep=True)
    a = doc.sections[0].tasks[0].assignments[0]
    for field, text in FORMULA_LIKE.items():
        getattr(a, field).text = text
    return doc


def test_workbook_read_back(tmp_path: Path):
    doc = formula_doc()
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(doc))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Nhiệm vụ", "Cảnh báo", "Thông tin"]
    ws = wb["Nhiệm vụ"]
    assert ws["A1"].value == "Phụ lục" and ws["A1"].font.bold
    assert ws["A3"].value.startswith("(Kèm theo Kế hoạch số 18/KH-SVHTTDL")
    titles = [c.value for c in ws[5]]
    assert titles == [t for t, _ in (*MAIN_COLUMNS, *TAIL_COLUMNS)]
    assert titles[:6] == ["STT", "Nhiệm vụ", "Kết quả/Sản phẩm", "Đơn vị chủ trì", "Đơn vị phối hợp",
                          "Thời gian thực hiện"]
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref == f"A5:I{ws.max_row}"
    assert ws.column_dimensions["B"].width == 48 and ws.column_dimensions["A"].width == 6
    merged = {str(r) for r in ws.merged_cells.ranges}
    # section rows: the number in A, the title merged bold over the rest, as in the PDF
    assert (ws["A6"].value, ws["B6"].value) == ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    assert "B6:I6" in merged and ws["B6"].font.bold
    section_rows = [r for r in range(6, ws.max_row + 1) if f"B{r}:I{r}" in merged]
    assert [ws[f"A{r}"].value for r in section_rows] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    # a task of two assignments: STT and description merged down over both rows
    v3 = next(r for r in range(6, ws.max_row + 1) if ws[f"I{r}"].value == "s5.t3.a1")
    assert ws[f"I{v3 + 1}"].value == "s5.t3.a2"
    assert {f"A{v3}:A{v3 + 1}", f"B{v3}:B{v3 + 1}"} <= merged
    assert ws.row_dimensions[v3 + 1].height > 60  # its long result wraps over several lines
    # every cell is text, the formula-like ones too, shown as typed
    row = [c for c in ws[7]]
    assert [c.value for c in row[2:6]] == list(FORMULA_LIKE.values())
    assert all(c.quotePrefix for c in row[2:6]) and not row[1].quotePrefix
    assert (row[6].value, row[7].value, row[8].value) == ("31/01/2026", "1", "s1.t1.a1")
    for sheet in wb:
        for r in sheet.iter_rows():
            for c in r:
                assert c.data_type in ("s", "inlineStr", "n") and (c.value is None or isinstance(c.value, str))
                if c.value:
                    assert c.number_format == "@" and c.alignment.wrap_text
    with zipfile.ZipFile(path) as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    warnings = wb["Cảnh báo"]
    assert [c.value for c in warnings[1]] == ["Mức độ", "Loại", "Nội dung", "Trang", "Mục", "Nhiệm vụ"]
    assert warnings.max_row == len(doc.warnings) + 1
    assert [c.value for c in warnings[2]] == ["thông tin", "joined_across_pages",
                                              doc.warnings[0].message, "1, 2", "I", "2"]
    info = {r[0].value: r[1].value for r in wb["Thông tin"].iter_rows()}
    assert info["Mã tài liệu"] == doc.document_id and info["Số dòng kết quả"] == "28"


def _calc_available() -> bool:
    return bool(shutil.which("soffice")) and any(Path("/usr/lib/libreoffice/program").glob("libsclo.so"))


@pytest.mark.skipif(not (_calc_available() and shutil.which("pdftotext") and shutil.which("pdftoppm")),
                    reason="LibreOffice Calc (libreoffice-calc) and poppler-utils are needed")
def test_workbook_renders_in_libreoffice(tmp_path: Path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(formula_doc()))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "x.pdf"
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for shown in ("- Cập nhật =SUM(A1:A3)", "=1+2", "+84 912", "@Tháng 9", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
                  "Kết quả/Sản phẩm", "Đơn vị chủ trì"):
        assert shown in text, shown
    assert "#NAME?" not in text and "Err:" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    assert (tmp_path / "page-1.png").stat().st_size > 20_000


def test_cli_xlsx_for_a_batch(tmp_path: Path):
    pdfs = [str(SAMPLES / f"{n}.pdf") for n in (SAMPLE, "caobang_ubnd_2026_landscape")]
    out = tmp_path / "o"
    r = CliRunner().invoke(main, ["extract", *pdfs, str(tmp_path / "missing.pdf"), "-o", str(out), "-q", "--xlsx"])
    assert r.exit_code == 3, r.output
    assert (out / f"{SAMPLE}.xlsx").is_file() and (out / "caobang_ubnd_2026_landscape.xlsx").is_file()
    ws = openpyxl.load_workbook(out / "run.xlsx")["Tài liệu"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [(Path(r[0]).name, r[1], r[2], r[8], r[9]) for r in rows] == [
        (f"{SAMPLE}.pdf", "xong", doc_of().document_id, "27", "28"),
        ("caobang_ubnd_2026_landscape.pdf", "xong", doc_of("caobang_ubnd_2026_landscape").document_id, "26", "27"),
        ("missing.pdf", "lỗi", None, None, None)]
    assert rows[2][11]
    # a second run skips both and still lists their counts; a missing workbook is a reason to extract again
    (out / f"{SAMPLE}.xlsx").unlink()
    r = CliRunner().invoke(main, ["extract", *pdfs, "-o", str(out), "-q", "--xlsx"])
    assert r.exit_code == 0 and r.output.count("skipped ") == 1 and (out / f"{SAMPLE}.xlsx").is_file()
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out / "run.xlsx").active.iter_rows(min_row=2)]
    assert [(r[1], r[8]) for r in rows] == [("xong", "27"), ("bỏ qua (không đổi)", "26")]


def test_compact_json_is_valid_and_keeps_the_ids(tmp_path: Path):
    doc = doc_of()
    raw = compact_json_bytes(doc)
    compact = CompactDocument.model_validate_json(raw)
    data = json.loads(raw)
    schema = json.loads(CliRunner().invoke(main, ["schema", "--compact"]).output)
    jsonschema.validate(data, schema)
    assert data["format"] == COMPACT_FORMAT and compact.document_id == doc.document_id
    assert [t.id for s in compact.sections for t in s.tasks] == [t.id for s in doc.sections for t in s.tasks]
    a = compact.sections[0].tasks[0].assignments[0]
    assert (a.id, a.result, a.lead, a.timeframe, a.page_first, a.deadline.isoformat()) == (
        "s1.t1.a1", "Xây dựng và ban hành Kế hoạch", "Văn phòng Sở", "Tháng 01/2026", 1, "2026-01-31")
    assert a.lead_units == ["Văn phòng Sở"] and a.timeframe_kinds == ["month"]
    assert compact.sections[0].tasks[1].pages == [1, 2]
    assert (compact.plan_code, compact.year) == ("18/KH-SVHTTDL", 2026)
    assert len(raw) * 5 < len(doc.model_dump_json(indent=2))
    with pytest.raises(ValueError):
        CompactDocument.model_validate({**data, "sections": [{**data["sections"][0], "tasks": [
            {**data["sections"][0]["tasks"][0], "description": {"text": "x"}}]}]})
    # the full JSON validates against `tthc schema` too
    full = json.loads(doc.model_dump_json())
    jsonschema.validate(full, json.loads(CliRunner().invoke(main, ["schema"]).output))


def test_cli_json_compact_then_full(tmp_path: Path):
    pdf = str(SAMPLES / f"{SAMPLE}.pdf")
    out = tmp_path / "o"
    runner = CliRunner()
    r = runner.invoke(main, ["extract", pdf, "-o", str(out), "-q", "--json", "compact"])
    assert r.exit_code == 0, r.output
    CompactDocument.model_validate_json((out / f"{SAMPLE}.json").read_bytes())
    again = runner.invoke(main, ["extract", pdf, "-o", str(out), "-q", "--json", "compact"])
    assert "skipped" in again.output
    # asking for the other form extracts again
    full = runner.invoke(main, ["extract", pdf, "-o", str(out), "-q"])
    assert full.exit_code == 0 and "done" in full.output
    assert Document.model_validate_json((out / f"{SAMPLE}.json").read_bytes()).document_id == doc_of().document_id
    refused = runner.invoke(main, ["extract", pdf, "-o", str(out), "--json", "compact", "--db", "sqlite:///x.db"])
    assert refused.exit_code == 2 and "--db reads the full JSON back: use --json full" in refused.output
    refused = runner.invoke(main, ["extract", pdf, "-o", str(out), "--json", "compact", "--cross-check", "camelot"])
    assert refused.exit_code == 2 and "--cross-check reads the full JSON back" in refused.output


def test_write_outputs_with_every_format_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tthc_extract.xlsx

    def boom(_doc: Document) -> bytes:
        raise OSError(28, "No space left on device")

    write_outputs(doc_of(), tmp_path, "x", Formats(json="full", xlsx=True))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == ["x.csv", "x.json", "x.xlsx"]
    monkeypatch.setattr(tthc_extract.xlsx, "xlsx_bytes", boom)
    with pytest.raises(OSError):
        write_outputs(doc_of(), tmp_path, "x", Formats(json="compact", xlsx=True))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_control_characters_do_not_break_the_workbook(tmp_path: Path):
    doc = doc_of().model_copy(deep=True)
    doc.sections[0].tasks[0].assignments[0].result.text = "Báo cáo\x02 quý\x0b"
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(doc))
    ws = openpyxl.load_workbook(path)["Nhiệm vụ"]
    assert ws["C7"].value == "Báo cáo\ufffd quý"  # \x0b is whitespace: collapsed


def test_parts_and_sub_tasks_in_the_workbook_compact_json_and_database(tmp_path: Path):
    from sqlalchemy import select

    from tests.drawn_tables import Style, draw
    from tests.test_numbering import numbered_plan
    from tthc_extract import db

    pdf = tmp_path / "plan.pdf"
    draw(numbered_plan(), Style(family="Liberation Serif", landscape=True, size=11), pdf)
    doc = extract_document(pdf)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx_bytes(doc))
    ws = openpyxl.load_workbook(path)["Nhiệm vụ"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    rows = [(ws[f"A{r}"].value, ws[f"B{r}"].value) for r in range(6, ws.max_row + 1) if f"B{r}:I{r}" in merged]
    assert [n for n, _ in rows] == ["A", "I", "II", "B", "III", "IV"]
    assert rows[0] == ("A", "NHIỆM VỤ CHUNG") and rows[3] == ("B", "NHIỆM VỤ CỤ THỂ")
    stt = [ws[f"A{r}"].value for r in range(6, ws.max_row + 1)]
    at = stt.index("II") + 1
    assert stt[at:at + 7] == ["1", "1.1", "1.2", "a)", "-", "2", "B"]  # sub-tasks keep their printed numbers
    compact = CompactDocument.model_validate_json(compact_json_bytes(doc))
    assert [(p.id, p.number, p.title) for p in compact.parts] == [("p1", "A", "NHIỆM VỤ CHUNG"),
                                                                   ("p2", "B", "NHIỆM VỤ CỤ THỂ")]
    assert [s.part for s in compact.sections] == ["p1", "p1", "p2", "p2"]
    assert [(t.number, t.parent) for t in compact.sections[1].tasks] == [
        ("1", None), ("1.1", "s2.t1"), ("1.2", "s2.t1"), ("a)", "s2.t3"), ("-", "s2.t4"), ("2", None)]
    engine = db.open_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        db.ingest(engine, doc)
        with engine.connect() as conn:
            sections = conn.execute(select(db.sections.c.local_id, db.sections.c.part_id, db.sections.c.part_number)
                                    .order_by(db.sections.c.position)).all()
            parents = conn.execute(select(db.tasks.c.number, db.tasks.c.parent_id)
                                   .where(db.tasks.c.local_id.like("s2.%")).order_by(db.tasks.c.position)).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in sections] == [("s1", "p1", "A"), ("s2", "p1", "A"), ("s3", "p2", "B"),
                                            ("s4", "p2", "B")]
    assert [tuple(r) for r in parents] == [(t.number, t.parent) for t in compact.sections[1].tasks]
