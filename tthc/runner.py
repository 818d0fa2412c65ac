"""Run one PDF through the pipeline: check the input, extract with an engine, normalize, validate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract import DEFAULT_ENGINE, get_engine
from normalize import NoTaskTable, normalize
from schemas.document import Document, SourceInfo
from tthc.errors import (
    CorruptPdf,
    EmptyFile,
    EncryptedPdf,
    ImageOnlyPdf,
    NotAPdf,
    NoTaskTableFound,
    TooLarge,
    UnmappableHeader,
)

#: Inputs above these limits are refused before extraction (bounded time and memory).
MAX_PAGES = 2000
MAX_BYTES = 512 * 1024 * 1024


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_pdf(path: Path, password: str | None = None) -> int:
    """Validate that ``path`` is a readable PDF; return its page count or raise an InputError."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("the file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise TooLarge(f"the file is {size // (1 << 20)} MiB; the limit is {MAX_BYTES // (1 << 20)} MiB")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf("not a PDF (no %PDF- header)")
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as e:
        text = str(e).lower()
        if "password" in text:
            if password:
                raise EncryptedPdf("the PDF is encrypted and the password given is wrong") from None
            raise EncryptedPdf("the PDF is encrypted: give its password with --password") from None
        raise CorruptPdf(f"the PDF is truncated or corrupted ({e})") from None
    try:
        pages = len(doc)
        if pages == 0:
            raise CorruptPdf("the PDF has no pages")
        if pages > MAX_PAGES:
            raise TooLarge(f"the PDF has {pages} pages; the limit is {MAX_PAGES}")
        has_text, has_images = _content(doc)
        if not has_text:
            if has_images:
                raise ImageOnlyPdf("image-only PDF (a scan without a text layer); OCR is not supported yet")
            raise NoTaskTableFound("the PDF has no text at all (blank pages)")
        return pages
    finally:
        doc.close()


def _content(doc: pdfium.PdfDocument) -> tuple[bool, bool]:
    """Whether any page has text, and whether any page has images (stops at the first text found)."""
    has_images = False
    for i in range(len(doc)):
        page = doc[i]
        try:
            textpage = page.get_textpage()
            try:
                if textpage.count_chars() > 0:
                    return True, has_images
            finally:
                textpage.close()
            if not has_images:
                has_images = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
        finally:
            page.close()
    return False, has_images


def extract_document(path: Path, engine: str = DEFAULT_ENGINE, password: str | None = None) -> Document:
    """The validated Document of one appendix PDF, or an InputError saying why there is none."""
    path = Path(path)
    check_pdf(path, password)
    eng = get_engine(engine)
    try:
        page_count, tables = eng.extract(path, password=password)
    except Exception as e:  # the libraries raise many kinds of errors on damaged files
        raise CorruptPdf(f"the PDF could not be read ({type(e).__name__}: {e})") from e
    source = SourceInfo(file_name=path.name, sha256=sha256_of(path), page_count=page_count, table_pages=[])
    try:
        return normalize(tables, source, engine=eng.name, engine_version=eng.version())
    except NoTaskTable as e:
        if tables:
            raise UnmappableHeader(f"no task table: {e}") from None
        raise NoTaskTableFound("no ruled table in the PDF (is this an appendix with a task table?)") from None
