"""The pdfplumber engine: ruled tables found from the page's vector lines, words placed by position."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pdfplumber

from tthc_extract.extract.geometry import Word, build_page_table, inside
from tthc_extract.extract.plumber_words import page_words
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.extract.upright import upright
from tthc_extract.schemas.raw import Box, PageTable

NAME = "pdfplumber"



def table_settings(settings: EngineSettings) -> dict[str, object]:
    """pdfplumber's table settings: ruled tables only (the appendices are always fully ruled), rules snapped and
    joined as the pdfium engine does."""
    return {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": settings.snap,
            "join_tolerance": settings.join}


def version() -> str:
    return f"pdfplumber {pdfplumber.__version__}"


def extract(path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
            settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
    """Return the page count and every ruled table of the given pages (1-based; default every page)."""
    tables: list[PageTable] = []
    with upright(path, password, pages) as (path, password), pdfplumber.open(path, password=password or "") as pdf:
        for page in (pdf.pages if pages is None else [pdf.pages[p - 1] for p in pages]):
            found = page.find_tables(table_settings(settings))
            if not found:
                continue
            words = page_words(page, settings)
            tables.extend(_page_tables(page.page_number, page.width, page.height, found, words, settings))
            page.flush_cache()
    return len(pdf.pages), tables


def _page_tables(page_no: int, width: float, height: float, found: list, words: list[Word],
                 settings: EngineSettings) -> list[PageTable]:
    found = sorted(found, key=lambda t: t.bbox[1])
    out = []
    prev_bottom = 0.0
    for i, t in enumerate(found):
        box = Box(x0=t.bbox[0], top=t.bbox[1], x1=t.bbox[2], bottom=t.bbox[3])
        cell_boxes = [Box(x0=c[0], top=c[1], x1=c[2], bottom=c[3]) for c in t.cells]
        in_table = [w for w in words if inside(w, box, 0.5)]
        above = [w for w in words if prev_bottom <= w.cy < box.top]
        out.append(
            build_page_table(
                page=page_no,
                page_width=width,
                page_height=height,
                index=i,
                cell_boxes=cell_boxes,
                words=in_table,
                words_above=above,
                settings=settings,
            )
        )
        prev_bottom = box.bottom
    return out
