"""Extraction engines: PDF path → every ruled table of every page as a PageTable (cells, text, boxes).

An engine knows ruling lines, cells and words; it never knows what a task or a section is. Choosing an
engine is a registry lookup. Every engine can read a subset of the pages (``pages``), so that a long file can
be shared out among processes page by page (``tthc_extract.batch``).

The contract is typed: an engine module (``extract/<name>_engine.py``) is an ``EngineModule`` — a ``NAME``,
``version()`` and ``extract(path, password, pages, *, settings)`` — and the registry's entries (``Engine``,
which import their module on first use) are ``TableEngine``s with the same ``name``, ``version`` and
``extract``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.schemas.raw import PageTable


class EngineModule(Protocol):
    """What an engine module provides."""

    NAME: str

    def version(self) -> str:
        """The library (and its version) the engine reads with, recorded in every Document."""
        ...

    def extract(self, path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
                settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
        """The page count and every ruled table of ``pages`` (1-based, ascending; default every page), in page
        order. Raises the PDF library's own errors on a damaged file (the runner maps them to input errors)."""
        ...


@runtime_checkable
class TableEngine(Protocol):
    """An engine as the runner uses it: its name, its version, its tables."""

    @property
    def name(self) -> str: ...

    def version(self) -> str: ...

    def extract(self, path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
                settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]: ...


@dataclass(frozen=True)
class Engine:
    """A registry entry: a ``TableEngine`` that imports its module on first use (OpenCV, camelot and the
    others are imported only by the runs that need them)."""

    name: str
    module: str  # relative to this package
    summary: str

    def load(self) -> EngineModule:
        return cast(EngineModule, import_module(self.module, __package__))

    def extract(self, path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
                settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
        """The page count and the tables of ``pages`` (1-based, ascending; default every page)."""
        return self.load().extract(path, password=password, pages=pages, settings=settings)

    def version(self) -> str:
        return self.load().version()


ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine("pdfplumber", ".pdfplumber_engine", "pdfplumber's ruling lines and words (reference)"),
        Engine("camelot", ".camelot_engine", "camelot lattice grid detection, words placed by position"),
        Engine("pdfium", ".pdfium_engine", "PDFium's characters and ruling lines, grid built here (default)"),
        Engine("ocr", ".ocr_engine", "Tesseract OCR (-l vie) of the rendered page, grid from the image's rules; "
               "chosen automatically for scanned pages"),
    )
}
DEFAULT_ENGINE = "pdfium"


def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
