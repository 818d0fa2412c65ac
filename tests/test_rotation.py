"""Pages drawn turned: landscape tables stored as portrait pages with /Rotate (as printer drivers and
scan-merging tools make them), and text drawn sideways with no /Rotate at all. Every engine reads the page in its
upright frame, so the table comes back exactly and its boxes are where the upright page shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, TRUTH, engine_params
from tests.drawn_tables import Style, draw, turned
from tthc_extract.evaluate import evaluate
from tthc_extract.runner import extract_document

SEED = TRUTH / "caobang_ubnd_2026.json"


@pytest.fixture(scope="module")
def upright_pdfs(tmp_path_factory) -> dict[bool, Path]:
    out = tmp_path_factory.mktemp("upright")
    plan = json.loads(SEED.read_text(encoding="utf-8"))
    return {land: draw(plan, Style(landscape=land, size=11 if land else 10, family="DejaVu Serif"),
                       out / f"{'landscape' if land else 'portrait'}.pdf").pdf for land in (True, False)}


def _boxes(doc) -> list[tuple[int, float, float, float, float]]:
    return [(f.page, f.box.x0, f.box.top, f.box.x1, f.box.bottom)
            for s in doc.sections for t in s.tasks for f in t.description.provenance.fragments]


@pytest.mark.parametrize("engine", engine_params(["pdfium", "pdfplumber", "camelot"]))
@pytest.mark.parametrize("rotation", [90, 180, 270])
@pytest.mark.parametrize("landscape", [True, False], ids=["landscape", "portrait"])
def test_page_with_rotate_reads_upright(tmp_path, upright_pdfs, landscape, rotation, engine):
    if engine == "camelot" and not landscape:
        pytest.skip("camelot is slow; one orientation is enough for it")
    pdf = turned(upright_pdfs[landscape], tmp_path / "turned.pdf", rotation)
    doc = extract_document(pdf, engine=engine)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    assert evaluate(out, SEED).accuracy == 1.0
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
    assert doc.source.turned_pages == {}
    # the boxes are those of the upright original, where the audit report (which renders /Rotate) draws them
    want = _boxes(extract_document(upright_pdfs[landscape], engine=engine))
    got = _boxes(doc)
    assert len(got) == len(want)
    assert all(abs(a - b) <= 0.6 for g, w in zip(got, want, strict=True) for a, b in zip(g[1:], w[1:], strict=True))


@pytest.mark.parametrize("rotation", [90, 270])
def test_text_drawn_sideways_without_rotate_is_read_upright(tmp_path, upright_pdfs, rotation):
    pdf = turned(upright_pdfs[True], tmp_path / "sideways.pdf", rotation, set_rotate=False)
    doc = extract_document(pdf)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    assert evaluate(out, SEED).accuracy == 1.0
    assert doc.source.turned_pages == dict.fromkeys(doc.source.table_pages, rotation)


@pytest.mark.parametrize("set_rotate", [True, False], ids=["/Rotate 90", "text sideways"])
def test_audit_report_shows_turned_pages_upright_under_their_boxes(tmp_path, upright_pdfs, set_rotate):
    import re

    from tthc_extract.audit import build_audit_html

    pdf = turned(upright_pdfs[True], tmp_path / "turned.pdf", 90, set_rotate=set_rotate)
    html = build_audit_html(extract_document(pdf), pdf)
    ratios = re.findall(r'class="page" id="page-1" data-page="1" style="aspect-ratio: ([\d.]+) / ([\d.]+)"', html)
    assert ratios == [("841.89", "595.28")]  # landscape, as the boxes' frame


@pytest.mark.slow
def test_scan_stored_turned_with_rotate_is_read_upright_by_ocr(tmp_path):
    from tthc_extract.extract import ocr_engine

    if not ocr_engine.available():
        pytest.skip(ocr_engine.missing_reason())
    src = SAMPLES / "scans" / "caobang_svhttdl_2026_landscape_scan.pdf"
    pdf = turned(src, tmp_path / "scan.pdf", 90)
    doc = extract_document(pdf)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, TRUTH / "caobang_svhttdl_2026.json")
    assert (doc.engine, report.got_rows, report.truth_rows) == ("ocr", 28, 28)
    assert report.accuracy >= 0.95
