"""Run one PDF through the pipeline: check the input, extract with an engine, OCR the scanned pages the engine
found no table on, normalize, validate.

Errors: a problem of the input is an ``InputError`` (its own exit code). The PDF libraries' own exceptions
(``LIBRARY_ERRORS``, told apart by type — and pypdfium2's ``PdfiumError`` by its ``err_code``) mean a damaged
file; any other exception is a bug of ours, reported as an ``InternalError`` that asks for a report.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from tthc_extract.errors import (
    CorruptPdf,
    EmptyFile,
    EncryptedPdf,
    ImageOnlyPdf,
    InputError,
    InternalError,
    NoTableFound,
    NotAPdf,
    TooLarge,
    UnmappableHeader,
    read_error,
)
from tthc_extract.extract import DEFAULT_ENGINE, Engine, get_engine
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.integrity import damaged_stream
from tthc_extract.normalize import DEFAULT_SETTINGS, NormalizeSettings, NoTaskTable, normalize
from tthc_extract.schemas.document import Document, SourceInfo
from tthc_extract.schemas.raw import PageTable

#: Inputs above these limits are refused before extraction (bounded time and memory).
MAX_PAGES = 2000
MAX_BYTES = 512 * 1024 * 1024

#: What the PDF libraries raise on a damaged file (pypdfium2; the decompressors): an input error, never a bug of
#: ours. ``library_errors`` adds those of pdfminer (the input check's reader of unusual files), pdfplumber
#: (camelot's reader too) and pypdf (upright copies) when a run has imported them.
LIBRARY_ERRORS: tuple[type[Exception], ...] = (pdfium.PdfiumError, zlib.error, struct.error)


def library_errors() -> tuple[type[Exception], ...]:
    """``LIBRARY_ERRORS`` and the errors of the optional readers this run imported (a library that was never
    imported raised nothing; importing it only to name its errors would cost the default path its start-up)."""
    errors = list(LIBRARY_ERRORS)
    if "pdfminer" in sys.modules:
        from pdfminer.psexceptions import PSException

        errors.append(PSException)
    if "pdfplumber" in sys.modules:
        from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

        errors += [PdfminerException, MalformedPDFException]
    if "pypdf" in sys.modules:
        from pypdf.errors import PyPdfError

        errors.append(PyPdfError)
    return tuple(errors)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_pdf(path: Path, password: str | None = None) -> int:
    """Validate that ``path`` is a readable PDF; return its page count or raise an InputError."""
    return _check(path, password)[0]


def _check(path: Path, password: str | None) -> tuple[int, bool]:
    """``check_pdf``'s page count, and whether any page has a text layer."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise EmptyFile("the file is empty (0 bytes)")
        if size > MAX_BYTES:
            raise TooLarge(f"the file is {size // (1 << 20)} MiB; the limit is {MAX_BYTES // (1 << 20)} MiB")
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise read_error(e, path) from None
    if b"%PDF-" not in head:
        raise NotAPdf("not a PDF (no %PDF- header)")
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as e:
        raise open_error(e, password) from None
    try:
        pages = len(doc)
        if pages == 0:
            raise CorruptPdf("the PDF has no pages")
        if pages > MAX_PAGES:
            raise TooLarge(f"the PDF has {pages} pages; the limit is {MAX_PAGES}")
        damage = damaged_stream(path, password)
        if damage:
            raise CorruptPdf(f"the PDF is corrupted: {damage}")
        has_text, has_images = _content(doc)
        if not has_text:
            if has_images:
                if not _ocr().available():  # scans are read by OCR (extract/ocr_engine.py) when it can run
                    raise ImageOnlyPdf(f"image-only PDF (a scan without a text layer); {_ocr().missing_reason()}")
                return pages, False
            raise NoTableFound("the PDF has no text at all (blank pages)")
        return pages, True
    finally:
        doc.close()


def open_error(e: pdfium.PdfiumError, password: str | None) -> InputError:
    """The input error for a PDF that PDFium cannot open, by its error code."""
    if e.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        if password:
            return EncryptedPdf("the PDF is encrypted and the password given is wrong")
        return EncryptedPdf("the PDF is encrypted: give its password with --password")
    if e.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedPdf("the PDF is encrypted with a security handler that cannot be read")
    return CorruptPdf(f"the PDF is truncated or corrupted ({e})")


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


def _ocr() -> ModuleType:
    """The OCR engine's module, imported on first use (OpenCV and numpy are needed for scans only)."""
    return cast(ModuleType, get_engine("ocr").load())


#: A page is a scan when one image covers at least this fraction of it (or it has images and no text).
SCAN_COVER = 0.5


def scanned_pages(path: Path, password: str | None = None, pages: Iterable[int] | None = None
                  ) -> tuple[list[int], list[int]]:
    """(pages without a text layer, pages that look scanned) among ``pages`` (1-based; default all); the
    first are among the second.

    A page looks scanned when it has images and no text, or when one image covers most of it (a scan with
    a text layer, which may lack the table: the runner OCRs such a page when the text engine found no table
    on it)."""
    doc = pdfium.PdfDocument(str(path), password=password)
    no_text: list[int] = []
    scans: list[int] = []
    try:
        for i in (range(len(doc)) if pages is None else [p - 1 for p in pages]):
            page = doc[i]
            try:
                textpage = page.get_textpage()
                try:
                    chars = textpage.count_chars()
                finally:
                    textpage.close()
                width, height = page.get_size()
                cover = 0.0
                images = 0
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                    images += 1
                    left, bottom, right, top = obj.get_bounds()
                    cover = max(cover, (right - left) * (top - bottom) / max(width * height, 1.0))
                if images and chars == 0:
                    no_text.append(i + 1)
                if (images and chars == 0) or cover >= SCAN_COVER:
                    scans.append(i + 1)
            finally:
                page.close()
    finally:
        doc.close()
    return no_text, scans


def page_count_of(path: Path, password: str | None = None) -> int:
    """The number of pages, or 0 when the file cannot be opened (``check_pdf`` says why, later)."""
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except (pdfium.PdfiumError, OSError):
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def split_pages(page_count: int, parts: int) -> list[list[int]]:
    """Pages 1..page_count in ``parts`` consecutive runs of near-equal length (no empty run)."""
    parts = max(1, min(parts, page_count))
    cuts = [round(k * page_count / parts) for k in range(parts + 1)]
    return [list(range(cuts[k] + 1, cuts[k + 1] + 1)) for k in range(parts)]


def engine_tables(engine: str, path: str, password: str | None, pages: list[int],
                  settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> list[PageTable]:
    """The tables one engine finds on some pages of a file (a task for a worker process)."""
    return get_engine(engine).extract(Path(path), password=password, pages=pages, settings=settings)[1]


def ocr_scanned_pages(path: Path, password: str | None, page_count: int, eng: Engine, tables: list[PageTable],
                      settings: EngineSettings = DEFAULT_ENGINE_SETTINGS
                      ) -> tuple[list[PageTable], str, str]:
    """The OCR step: the tables of ``eng`` (``tables``) with those OCR finds on the scanned pages where ``eng``
    found none, and the Document's engine name and version (``ocr`` when every table is from OCR,
    ``<engine>+ocr`` when some are, else ``eng``'s own).

    Only the pages without a table can be scans still to read (one cheap pass, often none). Scanned pages
    without Tesseract are an ``ImageOnlyPdf`` when the text layer gave no table at all."""
    ocr = get_engine("ocr")
    if eng.name == ocr.name:
        return tables, eng.name, eng.version()
    found_on = {t.page for t in tables}
    to_ocr = scanned_pages(path, password, [p for p in range(1, page_count + 1) if p not in found_on])[1]
    if to_ocr and _ocr().available():
        tables = sorted(tables + ocr.extract(path, password=password, pages=to_ocr, settings=settings)[1],
                        key=lambda t: (t.page, t.index))
        if not found_on:
            return tables, ocr.name, ocr.version()
        return tables, f"{eng.name}+{ocr.name}", f"{eng.version()}; {ocr.version()}"
    if to_ocr and not tables:
        raise ImageOnlyPdf(f"scanned pages and no table in the text layer; {_ocr().missing_reason()}")
    return tables, eng.name, eng.version()


def extract_document(path: Path, engine: str = DEFAULT_ENGINE, password: str | None = None,
                     read_tables: Callable[[], list[PageTable]] | None = None, *,
                     engine_settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
                     settings: NormalizeSettings = DEFAULT_SETTINGS) -> Document:
    """The validated Document of one appendix PDF, or an InputError saying why there is none.

    Scanned pages (no text layer, or a scan's text layer without the table) are read by the OCR engine
    whatever ``engine`` is, when Tesseract is installed (``ocr_scanned_pages``); the Document's engine is then
    ``ocr`` (every table from OCR) or ``<engine>+ocr``. ``read_tables`` replaces the one call of the engine on
    every page, e.g. by calls on runs of pages in several processes (``tthc.batch``); it must return the tables
    in page order. ``engine_settings`` and ``settings`` are the engines' and the normalizer's thresholds.
    A PDF library's error is a ``CorruptPdf``; any other exception is an ``InternalError`` (a bug)."""
    path = Path(path)
    page_count, has_text = _check(path, password)
    eng = get_engine(engine)
    ocr = get_engine("ocr")
    if eng.name == ocr.name and not _ocr().available():
        raise InputError(f"--engine {ocr.name}: {_ocr().missing_reason()}")
    try:
        if not (has_text or eng.name == ocr.name):
            tables = []
        elif read_tables is not None:
            tables = read_tables()
        else:
            tables = eng.extract(path, password=password, settings=engine_settings)[1]
        tables, name, version = ocr_scanned_pages(path, password, page_count, eng, tables, engine_settings)
    except InputError:
        raise
    except library_errors() as e:  # the libraries raise these on damaged files
        raise CorruptPdf(f"the PDF could not be read ({type(e).__name__}: {e})") from e
    except OSError as e:  # the file vanished or became unreadable after the check
        raise read_error(e, path) from e
    except Exception as e:
        raise InternalError.of(e) from e
    source = SourceInfo(file_name=path.name, sha256=sha256_of(path), page_count=page_count, table_pages=[])
    try:
        return normalize(tables, source, engine=name, engine_version=version, settings=settings)
    except NoTaskTable as e:
        if tables:
            raise UnmappableHeader(f"no task table: {e}") from None
        if name == ocr.name:
            raise NoTableFound("no ruled table found by OCR in the scanned PDF") from None
        raise NoTableFound("no ruled table in the PDF (is this an appendix with a task table?)") from None
    except Exception as e:
        raise InternalError.of(e) from e
