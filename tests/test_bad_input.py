"""Bad input gets a one-line error, a distinct exit code, no traceback and no output file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import sample_pdfs
from tthc_extract.cli import main

pytestmark = pytest.mark.skipif(not sample_pdfs(), reason="no sample PDFs")


@pytest.fixture
def good_pdf() -> Path:
    return next(p for p in sample_pdfs() if "svhttdl" in p.name and "landscape" in p.name)


def run(tmp_path: Path, *files: Path, extra: tuple[str, ...] = ()) -> tuple[int, str, list[str]]:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", *map(str, files), "-o", str(out), "--workers", "1", *extra])
    assert "Traceback" not in res.output
    produced = sorted(p.name for p in out.iterdir()) if out.exists() else []
    return res.exit_code, res.output, produced


def one_failure_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith("FAILED")]
    assert len(lines) == 1, output
    return lines[0]


def test_not_a_pdf(tmp_path):
    f = tmp_path / "notes.pdf"
    f.write_text("Kế hoạch — not a PDF", encoding="utf-8")
    code, out, produced = run(tmp_path, f)
    assert code == 11
    assert one_failure_line(out).endswith("notes.pdf: not a PDF (no %PDF- header)")
    assert produced == ["run.json"]


def test_empty_file(tmp_path):
    f = tmp_path / "empty.pdf"
    f.write_bytes(b"")
    code, out, produced = run(tmp_path, f)
    assert code == 12
    assert one_failure_line(out).endswith("empty.pdf: the file is empty (0 bytes)")
    assert produced == ["run.json"]


def test_truncated(tmp_path, good_pdf):
    data = good_pdf.read_bytes()
    f = tmp_path / "half.pdf"
    f.write_bytes(data[: len(data) // 3])
    code, out, produced = run(tmp_path, f)
    assert code in (13, 15, 17)  # a third of a PDF: unreadable, or readable without the table
    assert "half.pdf: " in one_failure_line(out)
    assert produced == ["run.json"]


def test_encrypted_without_and_with_password(tmp_path, good_pdf):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(good_pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="bi-mat", owner_password="chu", algorithm="AES-128")
    f = tmp_path / "locked.pdf"
    with f.open("wb") as fh:
        writer.write(fh)
    code, out, produced = run(tmp_path, f)
    assert code == 14
    assert one_failure_line(out).endswith("locked.pdf: the PDF is encrypted: give its password with --password")
    assert produced == ["run.json"]
    code, out, produced = run(tmp_path, f, extra=("--password", "bi-mat"))
    assert code == 0, out
    assert produced == ["locked.csv", "locked.json", "run.json"]


def test_image_only_and_blank(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    obj = pdfium.PdfImage.new(doc)
    obj.load_jpeg(io.BytesIO(buf.getvalue()))
    obj.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(50, 500))
    page.insert_obj(obj)
    page.gen_content()
    scan = tmp_path / "scan.pdf"
    doc.save(str(scan))
    blank_doc = pdfium.PdfDocument.new()
    blank_doc.new_page(595, 842)
    blank = tmp_path / "blank.pdf"
    blank_doc.save(str(blank))
    code, out, _ = run(tmp_path, scan)
    from tthc_extract.extract import ocr_engine

    if ocr_engine.available():  # the scan is read by OCR: a blank image holds no table
        assert code == 15
        assert one_failure_line(out).endswith("scan.pdf: no ruled table found by OCR in the scanned PDF")
    else:
        assert code == 16
        assert "scan.pdf: image-only PDF (a scan without a text layer); OCR needs " in one_failure_line(out)
    code, out, _ = run(tmp_path, blank)
    assert code == 15
    assert one_failure_line(out).endswith("blank.pdf: the PDF has no text at all (blank pages)")


def test_batch_goes_on_after_failures_and_never_overwrites(tmp_path, good_pdf):
    bad = tmp_path / "bad.pdf"
    bad.write_text("x")
    code, out, produced = run(tmp_path, good_pdf, bad)
    assert code == 3
    stem = good_pdf.stem
    assert produced == sorted([f"{stem}.json", f"{stem}.csv", "run.json"])
    assert "1 done, 0 suspect, 0 skipped, 1 failed;" in out
    # a second run skips the unchanged good file and leaves its outputs as they were
    before = (tmp_path / "out" / f"{stem}.json").read_bytes()
    code, out, _ = run(tmp_path, good_pdf)
    assert code == 0 and "0 done, 0 suspect, 1 skipped, 0 failed;" in out
    assert (tmp_path / "out" / f"{stem}.json").read_bytes() == before


def test_truncated_and_corrupted_corpus(tmp_path, good_pdf):
    """Cut a sample at many offsets and flip bytes: every file is either extracted or fails with one line."""
    data = good_pdf.read_bytes()
    corpus = []
    for i, frac in enumerate((0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98, 0.999)):
        f = tmp_path / f"cut{i}.pdf"
        f.write_bytes(data[: int(len(data) * frac)])
        corpus.append(f)
    for i, pos in enumerate(range(len(data) // 7, len(data), len(data) // 7)):
        flipped = bytearray(data)
        for j in range(pos, min(pos + 64, len(data))):
            flipped[j] ^= 0xFF
        f = tmp_path / f"flip{i}.pdf"
        f.write_bytes(bytes(flipped))
        corpus.append(f)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", *map(str, corpus), "-o", str(out), "--workers", "2"])
    assert "Traceback" not in res.output
    run_json = __import__("json").loads((out / "run.json").read_text(encoding="utf-8"))
    statuses = {Path(f["path"]).name: f for f in run_json["files"]}
    assert len(statuses) == len(corpus)
    for name, f in statuses.items():
        if f["status"] == "failed":
            assert f["error_kind"] in {"corrupt_pdf", "no_task_table", "unmappable_header", "image_only"}, f
            assert "\n" not in f["error"]
            assert not (out / f"{Path(name).stem}.json").exists()
        else:
            assert f["status"] == "done"
            assert (out / f"{Path(name).stem}.json").exists() and (out / f"{Path(name).stem}.csv").exists()
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == []
    assert res.exit_code == (3 if any(f["status"] == "failed" for f in statuses.values()) else 0)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_pdf_with_another_table_and_no_table(tmp_path):
    """A ruled table whose header names no task columns, and a PDF of plain text, each fail in one line."""
    shutil = pytest.importorskip("shutil")
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    docx = pytest.importorskip("docx")
    import subprocess

    d = docx.Document()
    d.add_paragraph("Bảng giá dịch vụ")
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    for r, row in enumerate([["Họ và tên", "Chức vụ", "Đơn vị"], ["Nguyễn Văn A", "Chuyên viên", "Văn phòng"],
                             ["Trần Thị B", "Trưởng phòng", "Sở Tư pháp"]]):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.save(tmp_path / "other.docx")
    p = docx.Document()
    p.add_paragraph("Kế hoạch kiểm soát thủ tục hành chính năm 2026 — không có bảng.")
    p.save(tmp_path / "plain.docx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "other.docx"), str(tmp_path / "plain.docx")],
                   check=True, capture_output=True, timeout=180)
    code, out, produced = run(tmp_path, tmp_path / "other.pdf")
    assert code == 17
    assert one_failure_line(out).endswith(
        "other.pdf: no task table: no table header names a description and an assignment column (best candidate, "
        "page 1: Họ và tên | Chức vụ | Đơn vị — no description column (Nhiệm vụ / Nội dung))")
    code, out, produced = run(tmp_path, tmp_path / "plain.pdf")
    assert code == 15
    assert "plain.pdf: no ruled table in the PDF" in one_failure_line(out)
    assert produced == ["run.json"]


@pytest.mark.slow
def test_killed_batch_leaves_earlier_outputs_and_no_partial_files(tmp_path):
    """Kill a batch mid-run (SIGTERM, then SIGKILL): earlier outputs stay intact, no partial output is
    visible, and the hidden temporary files a SIGKILL leaves are swept by the next run."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    pdfs = sample_pdfs()
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "tthc_extract.cli", "extract"]
    first = subprocess.run([*cmd, str(pdfs[0]), "-o", str(out), "-q"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".json", ".csv")}
    many = [str(p) for p in pdfs] * 3
    for sig in (signal.SIGTERM, signal.SIGKILL):
        proc = subprocess.Popen([*cmd, *many, "-o", str(out), "--force", "--workers", "2", "-q"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(3)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)
        visible = [p for p in out.iterdir() if not p.name.startswith(".")]
        assert all(p.suffix in (".json", ".csv") for p in visible)
        for p in visible:  # every visible output is complete
            if p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
        for name, data in before.items():
            assert (out / name).read_bytes() == data or name == "run.json"
        if sig == signal.SIGTERM:
            assert [p.name for p in out.iterdir() if p.name.endswith(".tthc-tmp")] == []
    again = subprocess.run([*cmd, str(pdfs[0]), "-o", str(out), "-q"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_outputs_of_another_engine_or_schema_are_not_skipped(tmp_path, good_pdf):
    import json

    code, _, _ = run(tmp_path, good_pdf)
    assert code == 0
    out_json = tmp_path / "out" / f"{good_pdf.stem}.json"
    data = json.loads(out_json.read_text(encoding="utf-8"))
    data["schema_version"] = "0.9.0"
    out_json.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(tmp_path, good_pdf)
    assert code == 0 and "1 done, 0 suspect, 0 skipped" in out
    assert json.loads(out_json.read_text(encoding="utf-8"))["schema_version"] != "0.9.0"
    code, out, _ = run(tmp_path, good_pdf, extra=("--engine", "camelot"))
    assert code == 0 and "1 done, 0 suspect, 0 skipped" in out
