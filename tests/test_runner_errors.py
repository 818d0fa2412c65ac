"""The engine contract and the runner's error mapping: library errors are input errors (by type and code), our
own bugs are internal errors that ask for a report."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import tthc_extract.extract.pdfium_engine as pdfium_engine
import tthc_extract.runner as runner
from tests.conftest import sample_pdfs
from tthc_extract.errors import CorruptPdf, EncryptedPdf, InternalError
from tthc_extract.extract import ENGINES, TableEngine, get_engine
from tthc_extract.runner import extract_document, open_error


def test_every_registered_engine_is_a_table_engine_named_like_its_module():
    for name, engine in ENGINES.items():
        assert isinstance(engine, TableEngine)
        assert engine.name == name == engine.load().NAME
        assert isinstance(engine.version(), str) and engine.version()


def test_pdfium_open_errors_are_told_apart_by_code():
    wrong = open_error(pdfium.PdfiumError("Failed to load document", err_code=pdfium_c.FPDF_ERR_PASSWORD), "x")
    missing = open_error(pdfium.PdfiumError("Failed to load document", err_code=pdfium_c.FPDF_ERR_PASSWORD), None)
    assert isinstance(wrong, EncryptedPdf) and wrong.message == "the PDF is encrypted and the password given is wrong"
    assert isinstance(missing, EncryptedPdf) and "--password" in missing.message
    # the word "password" in another error's message no longer makes it an encrypted PDF
    other = open_error(pdfium.PdfiumError("password-like trouble (Format error)", err_code=pdfium_c.FPDF_ERR_FORMAT),
                       None)
    assert isinstance(other, CorruptPdf)
    assert isinstance(open_error(pdfium.PdfiumError("x", err_code=pdfium_c.FPDF_ERR_SECURITY), None), EncryptedPdf)


def test_a_library_error_in_an_engine_is_a_corrupt_pdf(monkeypatch):
    def damaged(*_a, **_k):
        raise pdfium.PdfiumError("page 3 could not be loaded")

    monkeypatch.setattr(pdfium_engine, "extract", damaged)
    with pytest.raises(CorruptPdf, match=r"could not be read \(PdfiumError: page 3 could not be loaded\)"):
        extract_document(sample_pdfs()[0])


@pytest.mark.parametrize("where", ["engine", "normalizer"])
def test_our_own_bug_is_an_internal_error_asking_for_a_report(monkeypatch, where):
    def bug(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pdfium_engine if where == "engine" else runner, "extract" if where == "engine" else
                        "normalize", bug)
    with pytest.raises(InternalError) as info:
        extract_document(sample_pdfs()[0])
    assert info.value.code == 1 and info.value.kind == "internal"
    assert info.value.message.startswith("internal error: ZeroDivisionError: division by zero")
    assert "please report" in info.value.message and "could not be read" not in info.value.message


def test_the_ocr_step_leaves_a_text_pdf_alone():
    pdf = sample_pdfs()[0]
    eng = get_engine("pdfium")
    count, tables = eng.extract(pdf)
    assert runner.ocr_scanned_pages(pdf, None, count, eng, tables) == (tables, "pdfium", eng.version())
