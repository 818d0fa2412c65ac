"""The OCR engine on the bundled scans (samples/scans/, made by samples/make_scans.py) and its pieces.

The end-to-end tests need Tesseract and its Vietnamese model (``apt-get install tesseract-ocr
tesseract-ocr-vie``) and skip without them; each scan is OCR'd once per session. The image-processing tests
(deskew, grid and merged cells) run everywhere.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES, truth_for
from tthc_extract.errors import ImageOnlyPdf
from tthc_extract.evaluate import Report, evaluate
from tthc_extract.extract import ocr_engine
from tthc_extract.extract.ocr import grid, raster, reading, tesseract, tones
from tthc_extract.runner import check_pdf, extract_document, scanned_pages
from tthc_extract.schemas.document import Document
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine
from tthc_extract.writers import write_outputs

pytestmark = [pytest.mark.slow, pytest.mark.ocr]

SCANS = sorted((SAMPLES / "scans").glob("*_scan.pdf"))
needs_tesseract = pytest.mark.skipif(not ocr_engine.available(), reason=ocr_engine.missing_reason() or "")

#: Regression floors, a little under what the scans measure (character accuracy 0.9993 and 0.9996, exact cells
#: 0.974 and 0.982 with Debian's tesseract 5.3.0 and its vie model).
MIN_CHAR_ACCURACY = 0.998
MIN_EXACT_CELLS = 0.95


@pytest.fixture(scope="session")
def scan_results(tmp_path_factory) -> dict[str, tuple[Document, Report, dict]]:
    """Each scan extracted once (the default engine: the runner must switch to OCR) and evaluated."""
    out = tmp_path_factory.mktemp("ocr")
    results = {}
    for pdf in SCANS:
        doc = extract_document(pdf)
        json_path, _ = write_outputs(doc, out, pdf.stem)
        results[pdf.stem] = (doc, evaluate(json_path, truth_for(pdf)), json.loads(json_path.read_text("utf-8")))
    return results


def test_scans_present_image_only_and_small():
    assert [p.stem for p in SCANS] == ["caobang_svhttdl_2026_landscape_scan", "caobang_ubnd_2026_landscape_scan"]
    for pdf in SCANS:
        assert pdf.stat().st_size < 2 * 1024 * 1024, pdf.name
        no_text, scans = scanned_pages(pdf)
        assert no_text == scans and len(no_text) >= 5, pdf.name


@needs_tesseract
def test_runner_picks_ocr_for_an_image_only_pdf(scan_results):
    for doc, _, _ in scan_results.values():
        assert doc.engine == "ocr"
        assert doc.engine_version.startswith("tesseract")


@needs_tesseract
@pytest.mark.parametrize("name", [p.stem for p in SCANS])
def test_structure_exact(scan_results, name):
    doc, report, _ = scan_results[name]
    assert report.missing == [] and report.extra == []
    assert report.got_rows == report.truth_rows
    truth = json.loads(truth_for(SAMPLES / "scans" / f"{name}.pdf").read_text("utf-8"))
    # the same sections, tasks and assignments (their texts are scored by the next test)
    assert [[len(t.assignments) for t in s.tasks] for s in doc.sections] == [
        [len(t["assignments"]) for t in s["tasks"]] for s in truth["sections"]]


@needs_tesseract
@pytest.mark.parametrize("name", [p.stem for p in SCANS])
def test_character_accuracy_and_exact_cells(scan_results, name):
    _, report, _ = scan_results[name]
    assert report.char_accuracy >= MIN_CHAR_ACCURACY, report.char_columns()
    assert report.accuracy >= MIN_EXACT_CELLS, report.column_accuracy()
    assert report.title_correct == report.title_checked == 3


@needs_tesseract
def test_confidences_in_the_json(scan_results):
    for doc, _, data in scan_results.values():
        values = [a[f] for s in data["sections"] for t in s["tasks"] for a in t["assignments"]
                  for f in ("result", "lead", "timeframe")]
        values += [t["description"] for s in data["sections"] for t in s["tasks"]]
        assert values and all(0.0 < v["confidence"] <= 1.0 for v in values if v["text"])
        assert doc.title_block.heading == "Phụ lục" and doc.title_block.year == 2026


@needs_tesseract
def test_text_pages_and_scanned_pages_in_one_pdf(tmp_path):
    """Pages 1-3 of a text PDF and pages 4-6 of its scan: the text engine reads the first, OCR the others, and
    the table continues across the change."""
    import pypdfium2 as pdfium

    text_pdf, scan_pdf = SAMPLES / "caobang_ubnd_2026_landscape.pdf", SAMPLES / "scans" / (
        "caobang_ubnd_2026_landscape_scan.pdf")
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(text_pdf)), [0, 1, 2])
    mixed.import_pages(pdfium.PdfDocument(str(scan_pdf)), [3, 4, 5])
    target = tmp_path / "caobang_ubnd_2026_mixed.pdf"
    mixed.save(str(target))
    assert scanned_pages(target) == ([4, 5, 6], [4, 5, 6])
    doc = extract_document(target)
    assert doc.engine.endswith("+ocr")
    json_path, _ = write_outputs(doc, tmp_path, target.stem)
    report = evaluate(json_path, truth_for(target))
    assert report.missing == [] and report.extra == []
    assert report.char_accuracy >= MIN_CHAR_ACCURACY


@needs_tesseract
def test_scan_with_a_text_layer_without_the_table(tmp_path):
    """A scan whose text layer holds only page numbers: the text engine finds no table there, so OCR reads it."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(str(SCANS[-1])), [0, 1])
    for i in range(len(doc)):
        page = doc[i]
        obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(10))
        data = f"Trang {i + 1}\0".encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, (ctypes.c_ushort * (len(data) // 2)).from_buffer_copy(data))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 400, 20)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    target = tmp_path / "numbered_scan.pdf"
    doc.save(str(target))
    assert scanned_pages(target) == ([], [1, 2])  # text on every page, but each is covered by an image
    result = extract_document(target)
    assert result.engine == "ocr"
    assert result.counts() == {"sections": 5, "tasks": 10, "assignments": 10}


def test_image_only_pdf_without_tesseract_says_so(monkeypatch):
    monkeypatch.setattr(tesseract, "tessdata", lambda: None)
    with pytest.raises(ImageOnlyPdf, match="OCR needs Tesseract's Vietnamese model: apt-get install tesseract-ocr-vie"):
        check_pdf(SCANS[0])
    monkeypatch.setattr(tesseract, "_binding", lambda: None)
    with pytest.raises(ImageOnlyPdf, match="OCR needs Tesseract's Python binding: pip install tesserocr"):
        check_pdf(SCANS[0])
    assert check_pdf(SAMPLES / "caobang_ubnd_2026_landscape.pdf") == 6  # text PDFs need no OCR


# --------------------------------------------------------------------------------------------------
# Image processing, without Tesseract


def _table_image(angle: float = 0.0) -> np.ndarray:
    """A 300-dpi page with a 3-row × 3-column ruled table; the middle row's last two cells are merged, and a
    tall letter-like stroke stands in the first cell."""
    img = np.full((1200, 1600), 255, np.uint8)
    xs, ys = [100, 300, 900, 1500], [200, 400, 600, 800]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 3)
    for x in xs:
        for r in range(3):
            if x == 900 and r == 1:
                continue  # merged: no rule between the middle row's last two cells
            cv2.line(img, (x, ys[r]), (x, ys[r + 1]), 0, 3)
    cv2.line(img, (200, 230), (200, 370), 0, 4)  # a stroke inside a cell, shorter than the row
    cv2.putText(img, "Text", (320, 520), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    if angle:
        matrix = cv2.getRotationMatrix2D((800, 600), angle, 1.0)
        img = cv2.warpAffine(img, matrix, (1600, 1200), borderValue=255)
    return img


@pytest.mark.parametrize("angle", [-0.8, -0.3, 0.0, 0.5, 0.8])
def test_deskew_measures_the_angle_of_the_rules(angle):
    skew = raster.estimate_skew(raster.binarize(_table_image(angle)))
    assert skew == pytest.approx(-angle, abs=0.05)
    straight = raster.rotate(_table_image(angle), skew)
    assert abs(raster.estimate_skew(raster.binarize(straight))) < 0.05


def test_grid_with_a_merged_cell():
    ink = raster.binarize(_table_image())
    grids = grid.find_grids(raster._open(ink, True), raster._open(ink, False))
    assert len(grids) == 1
    found = grids[0]
    assert [round(x) for x in found.xs] == [100, 300, 900, 1500]
    assert [round(y) for y in found.ys] == [200, 400, 600, 800]
    assert found.cells == [(0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 0, 1, 1), (1, 1, 1, 2),
                          (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]


def test_numeral_repairs_and_tsv():
    assert [reading.fix_numeral(t) for t in ("H", "VH", "VIH", "|", "Il", "1", "12", "STT", "Vi", "Xx")] == [
        "II", "VII", "VIII", "I", "II", "1", "12", "STT", "VI", "Xx"]
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t96.5\tTho\u031b\u0300i\n"
           "4\t1\t1\t1\t1\t0\t10\t20\t30\t40\t-1\t\n")
    words = tesseract.parse_tsv(tsv)
    assert len(words) == 1 and words[0].text == "Thời" and words[0].x1 == 40 and words[0].conf == 96.5


def _table_of(*cells: list[str]) -> PageTable:
    box = Box(x0=0, top=0, x1=10, bottom=10)
    return PageTable(page=1, page_width=10, page_height=10, box=box, n_rows=len(cells), n_cols=1, cells=[
        Cell(row=i, col=0, box=box, lines=[TextLine(text=t, box=box) for t in lines]) for i, lines in enumerate(cells)])


def test_tone_marks_of_capitals_follow_ordinary_text():
    table = _table_of(["NÂNG CAO NĂNG LỰC KIẾM", "SOÁT TTHC; TỐ CHỨC"], ["Kiểm soát TTHC"], ["kiểm soát và tổ", "chức"],
                      ["Tổ chức"], ["CÔNG BỐ, CÔNG KHAI"], ["cán bộ, công chức; cán bộ, công chức"],
                      ["THẤM QUYỀN"], ["thẩm quyền; thấm quyền; thẩm quyền"])
    assert tones.repair_tones([table], {}, {}) == 2  # the document's evidence alone (no word list)
    texts = [c.text for c in table.cells]
    assert texts[0] == "NÂNG CAO NĂNG LỰC KIỂM SOÁT TTHC; TỔ CHỨC"  # across the line break too
    assert texts[4] == "CÔNG BỐ, CÔNG KHAI"  # "bộ, công" is no pair: a comma stands between
    assert texts[6] == "THẤM QUYỀN"  # ordinary text spells it as read, too: left alone
    assert texts[1:4] == ["Kiểm soát TTHC", "kiểm soát và tổ chức", "Tổ chức"]  # ordinary text never changes
