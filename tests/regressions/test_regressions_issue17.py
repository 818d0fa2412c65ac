"""Regression tests: one per bug, named after its symptom; the docstring says where it was seen.

New bugs get a test here (a file per issue or per area), written before the fix, so that the symptom is what
the test's name says and the fix can be found from the issue it names.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import tthc_extract.runner as runner
from tests.conftest import GOLDEN, ROOT, sample_pdfs
from tthc_extract.errors import CorruptPdf, InternalError
from tthc_extract.runner import extract_document, open_error


def test_the_golden_files_were_rewritten_by_the_readme_command():
    """Issue 17: the golden files lived in output/, which ``tthc extract samples/*.pdf -o output/ --force``
    rewrites, so tests/test_golden.py compared the outputs with themselves."""
    assert GOLDEN.is_relative_to(ROOT / "tests") and not GOLDEN.is_relative_to(ROOT / "output")
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(p.stem for p in sample_pdfs())


def test_a_bug_of_ours_was_reported_as_an_unreadable_pdf(monkeypatch):
    """Issue 17: any exception of an engine or the normalizer became "the PDF could not be read" (CorruptPdf),
    sending users to check a good file instead of reporting the bug."""
    def bug(*_a, **_k):
        raise KeyError("stt")

    monkeypatch.setattr(runner, "normalize", bug)
    with pytest.raises(InternalError, match="please report") as info:
        extract_document(sample_pdfs()[0])
    assert not isinstance(info.value, CorruptPdf)


def test_an_open_error_mentioning_a_password_was_taken_for_encryption():
    """Issue 17: encryption was detected by matching "password" in PdfiumError's message, although its
    ``err_code`` says which error it is."""
    e = pdfium.PdfiumError("Failed to load document (PDFium: password? no: Data format error)",
                           err_code=pdfium_c.FPDF_ERR_FORMAT)
    assert isinstance(open_error(e, None), CorruptPdf)
