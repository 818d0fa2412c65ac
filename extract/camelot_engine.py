"""The camelot engine: camelot's lattice parser finds each ruled table's grid and which cell edges are
drawn (merged cells are the groups of grid cells with no rule between them); the words are placed into
the cells by the shared geometry, from the same text layer the pdfplumber engine reads."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import camelot
import pdfplumber

from tthc_extract.extract.geometry import build_page_table, inside, join_unruled
from tthc_extract.extract.plumber_words import page_words
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.extract.upright import upright
from tthc_extract.schemas.raw import Box, PageTable

NAME = "camelot"


def version() -> str:
    return f"camelot-py {camelot.__version__}"


def _merged_boxes(table, page_height: float) -> list[Box]:
    """Union the grid cells of a camelot table that are not separated by a drawn rule."""
    grid = table.cells
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    groups = join_unruled(
        n_rows,
        n_cols,
        joins_right=lambda r, c: not grid[r][c].right and not grid[r][c + 1].left,
        joins_down=lambda r, c: not grid[r][c].bottom and not grid[r + 1][c].top,
    )
    return [
        Box(x0=grid[r0][c0].x1, top=page_height - grid[r0][c0].y2, x1=grid[r1][c1].x2,
            bottom=page_height - grid[r1][c1].y1)
        for r0, c0, r1, c1, _ in groups
    ]


def extract(path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
            settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
    """Return the page count and every ruled table camelot's lattice parser finds on the given pages
    (1-based; default every page). Of ``settings``, the words' and the grid's tolerances apply (camelot finds
    the rules itself)."""
    if pages is not None and not pages:
        with pdfplumber.open(path, password=password or "") as pdf:
            return len(pdf.pages), []
    with upright(path, password, pages) as (readable, key):
        return _extract(readable, key, pages, settings)


def _extract(path: Path, password: str | None, pages: Sequence[int] | None, settings: EngineSettings
             ) -> tuple[int, list[PageTable]]:
    logging.getLogger("camelot").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(str(path), pages="all" if pages is None else ",".join(map(str, pages)),
                                 flavor="lattice", password=password)
    by_page: dict[int, list] = {}
    for t in found:
        by_page.setdefault(int(t.page), []).append(t)
    out: list[PageTable] = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for page_no in sorted(by_page):
            page = pdf.pages[page_no - 1]
            h = float(page.height)
            words = page_words(page, settings)
            tables = sorted(by_page[page_no], key=lambda t: h - t._bbox[3])
            prev_bottom = 0.0
            for i, t in enumerate(tables):
                x1, y1, x2, y2 = t._bbox
                box = Box(x0=x1, top=h - y2, x1=x2, bottom=h - y1)
                out.append(
                    build_page_table(
                        page=page_no,
                        page_width=float(page.width),
                        page_height=h,
                        index=i,
                        cell_boxes=_merged_boxes(t, h),
                        words=[w for w in words if inside(w, box, 0.5)],
                        words_above=[w for w in words if prev_bottom <= w.cy < box.top],
                        settings=settings,
                    )
                )
                prev_bottom = box.bottom
        return len(pdf.pages), out
