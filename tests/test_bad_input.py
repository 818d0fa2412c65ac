"""Bad input gets a one-line error, a distinct exit code, no traceback and no output file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import sample_pdfs
from tthc.cli import main

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
    assert code == 16
    assert one_failure_line(out).endswith("scan.pdf: image-only PDF (a scan without a text layer); OCR is not "
                                          "supported yet")
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
    assert "1 done, 0 skipped, 1 failed" in out
    # a second run skips the unchanged good file and leaves its outputs as they were
    before = (tmp_path / "out" / f"{stem}.json").read_bytes()
    code, out, _ = run(tmp_path, good_pdf)
    assert code == 0 and "0 done, 1 skipped, 0 failed" in out
    assert (tmp_path / "out" / f"{stem}.json").read_bytes() == before
