"""The OCR engine: scanned (image-only) pages read with OpenCV and Tesseract's Vietnamese model.

Per page:

1. Render the page with pypdfium2 at ``DPI`` in colour (``prepare``): colour ink (a red seal, a blue
   signature) is lifted to paper by its chroma, and the paper's own brightness (a wide maximum of the shrunk
   page) is divided out, so uneven light, an edge shadow or a scanner's dark frame do not reach the threshold.
   One Otsu threshold gives the ink; ink components that come near the image's edge (the frame, the desk
   around a photographed page) are dropped (``edge_ink``).
2. Deskew (``estimate_skew``): the raw ink is projected onto rows along candidate angles over ±``MAX_SKEW``,
   coarse to fine (50 → 100 → 300 dpi, steps 0.25° → 0.05° → 0.01°); the sharpest profile is the skew. The
   page is turned back with bicubic interpolation and thresholded at the level found before. A photographed
   page's perspective is undone (``undo_perspective``): the widest table's four outer rules are fitted as
   lines, and when a corner of the outline they make lies more than ``MAX_OFF_PT`` off a rectangle the page is
   warped (a homography) to make it one.
3. Ruling lines (``_open``, ``find_grids``): the ink is thickened across each direction by ``BRIDGE_PT``
   (a 1-px rule that jogs by a pixel stays one run), then opened with long kernels along it; pieces that bend
   (a seal's ring) are dropped, broken pieces of one rule joined; a rule counts when both its ends lie on rules
   across it (within ``END_TOL_PT`` or ``END_FRAC`` of its length) and a column rule when it runs down
   ``V_SUPPORT`` of its table. Each connected group of rules away from the image's edge and enclosing no other
   group is one table; its distinct rule positions make a grid; a grid side is *ruled* when the rule mask
   covers most of it, and grid rectangles not separated by a rule are one merged cell (a merged region that
   reaches the table's outline through an unruled side is not a cell).
4. Text: the rules are erased, every non-empty cell's inside (and the band above the table: the title
   block) is cut out and the pieces are stacked into one tall image, which Tesseract reads once
   (``vie``, page segmentation 6, TSV output; in this process through tesserocr, each thread keeping its
   models loaded) — one reading per page instead of one per cell. Each word is mapped back
   to its piece and to page coordinates; Tesseract's text lines become the cell's TextLines (NFC), and the
   mean word confidence / 100 is the cell's ``confidence``. Narrow cells (the STT column: "1", "IV", "STT")
   are read in a run of their own with the English model on a binarised, doubled image, and common
   misreadings of Roman numerals are repaired ("H" → "II"); a narrow cell whose reading is not a number is
   read again alone, then with a numeral whitelist, and only then as text. A Roman numeral of I and V has its
   stems counted in the middle band of its ink (``count_stems``: a bold "II" whose serifs touch is read "I").

Then, over the document: a page whose table lost a column rule or a border that the nearest pages' tables have is
read again with their column pattern (``grid_hints``, ``lay_pattern``, ``impose_columns``); a section title split by
a spurious column side (a blurred bold stem joined to a rule's end) is joined back across its row
(``join_split_titles``: a Roman numeral, a title spanning two columns or more, capitals only); section numbers
(Roman, section rows: their title merged across the row) and task numbers (Arabic, restarting after each section)
that break their sequence are repaired where the readings around them fix what they must be (``enforce_numbering``;
the cell's confidence is cut, so the audit shows it), and tone marks are repaired (``repair_tones``): a syllable
that cannot be written so (a stop final with a tone other than sắc or nặng, a tone the syllable list does not know
it with) takes the tone the document's own words make most likely, and a word pair the document's ordinary text
spells otherwise, often and never as read, is respelled (bold capitals after ordinary type; in ordinary type only a
dropped tone over a vowel's quality mark), and after a word list of Vietnamese (pyvi's: a hook read as an acute,
capitals' lost marks); acronyms one edit from one the document's sentences write far more often are respelled so
("THC", "TFHC" → "TTHC", ``repair_acronyms``). Every repaired line keeps Tesseract's reading
(``TextLine.ocr_read``): the output has an ``ocr_repaired`` warning with the value's address and both texts.

Coordinates are PDF points with a top-left origin. A PageTable's are those of the page as it was read (the scan
turned back by the measured skew about the page centre, a photographed page also rectified); ``to_page`` holds
the matrix back to the page as it is, through which the normalizer puts every box of the Document, so an audit's
overlay lies on the scan (``normalize/page_frame.py``). Pages are
rendered one at a time (PDFium is not thread-safe) and read ``workers`` at a time in threads (Tesseract runs
single-threaded and releases the GIL while it reads).

The stages live in extract/ocr/: ``settings`` (resolution and thresholds), ``tesseract``, ``raster`` and
``perspective`` (steps 1-2), ``grid`` (step 3), ``reading`` (step 4), ``crosspage``, ``numbering``, ``tones`` and
``acronyms`` (the checks and repairs over the document); this module runs them page by page.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from tthc_extract.extract.ocr.acronyms import repair_acronyms
from tthc_extract.extract.ocr.crosspage import grid_hints
from tthc_extract.extract.ocr.numbering import enforce_numbering, join_split_titles
from tthc_extract.extract.ocr.reading import PageImage, read_page
from tthc_extract.extract.ocr.settings import DPI
from tthc_extract.extract.ocr.tesseract import available, missing_reason, version
from tthc_extract.extract.ocr.tones import repair_tones
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.schemas.raw import PageTable

NAME = "ocr"
__all__ = ["NAME", "available", "default_workers", "extract", "missing_reason", "render", "version"]


def source_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution (dpi) of the widest image on the page (a scan's), or None when it has none."""
    best: tuple[float, float] | None = None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, _bottom, right, _top = obj.get_bounds()
        width_px, _height_px = obj.get_px_size()
        if right - left > 1 and (best is None or right - left > best[0]):
            best = (right - left, width_px * 72.0 / (right - left))
    return best[1] if best else None


def render(pdf: pdfium.PdfDocument, index: int) -> PageImage:
    page = pdf[index]
    try:
        width, height = page.get_size()
        # in colour: a seal's red and a signature's blue are told from black ink before anything is thresholded
        bitmap = page.render(scale=DPI / 72.0)
        pixels = bitmap.to_numpy().reshape(bitmap.height, bitmap.width, -1)
        image = np.ascontiguousarray(pixels[:, :, :3] if pixels.shape[2] >= 3 else pixels[:, :, 0])
        return PageImage(index + 1, float(width), float(height), image, source_dpi(page))
    finally:
        page.close()


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def extract(path: Path, password: str | None = None, pages: Sequence[int] | None = None,
            workers: int | None = None, *, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS
            ) -> tuple[int, list[PageTable]]:
    """Return the page count and every ruled table of the given pages (1-based; default all), OCR'd.

    ``settings`` are the text engines' thresholds in points; OCR measures rendered pixels and keeps its own
    (extract/ocr/settings.py), so it takes them only to share the engines' signature."""
    if not available():
        raise RuntimeError(missing_reason())
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        count = len(pdf)
        todo = [p for p in (pages if pages is not None else range(1, count + 1)) if 1 <= p <= count]
        n = workers or default_workers()
        tables: list[PageTable] = []
        with ThreadPoolExecutor(max_workers=n) as pool:
            # render in this thread (PDFium is not thread-safe), read at most n pages ahead
            pending = []
            for number in todo:
                pending.append(pool.submit(read_page, render(pdf, number - 1)))
                if len(pending) >= n:
                    tables.extend(pending.pop(0).result())
            for fut in pending:
                tables.extend(fut.result())
        # a page whose table lost a rule (or a border) that its neighbours' table has is read again with it
        for number, hint in grid_hints(tables, todo).items():
            tables = [t for t in tables if t.page != number] + read_page(render(pdf, number - 1), hint)
        tables.sort(key=lambda t: (t.page, t.index))
    finally:
        pdf.close()
    join_split_titles(tables)
    enforce_numbering(tables)
    repair_tones(tables)
    repair_acronyms(tables)
    return count, tables


