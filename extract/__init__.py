"""Extraction engines: PDF path → every ruled table of every page as a PageTable (cells, text, boxes).

An engine knows ruling lines, cells and words; it never knows what a task or a section is. Choosing an
engine is a registry lookup. Every engine can read a subset of the pages (``pages``), so that a long file can
be shared out among processes page by page (``tthc.batch``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from schemas.raw import PageTable


@dataclass(frozen=True)
class Engine:
    name: str
    module: str
    summary: str

    def load(self):
        return import_module(self.module)

    def extract(self, path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
                settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
        """The page count and the tables of ``pages`` (1-based, ascending; default every page)."""
        return self.load().extract(path, password=password, pages=pages, settings=settings)

    def version(self) -> str:
        return self.load().version()


ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine("pdfplumber", "extract.pdfplumber_engine", "pdfplumber's ruling lines and words (reference)"),
        Engine("camelot", "extract.camelot_engine", "camelot lattice grid detection, words placed by position"),
        Engine("pdfium", "extract.pdfium_engine", "PDFium's characters and ruling lines, grid built here (default)"),
        Engine("ocr", "extract.ocr_engine", "Tesseract OCR (-l vie) of the rendered page, grid from the image's rules; "
               "chosen automatically for scanned pages"),
    )
}
DEFAULT_ENGINE = "pdfium"

Extractor = Callable[[Path], tuple[int, list[PageTable]]]


def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
