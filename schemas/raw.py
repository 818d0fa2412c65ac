"""The raw page-level table an extraction engine returns: ruled cells with their text lines and boxes.

Coordinates are PDF points with the origin at the top-left corner of the page (pdfplumber's convention):
``x0`` left, ``top`` upper edge, ``x1`` right, ``bottom`` lower edge.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Box(BaseModel):
    """A rectangle on a page, in PDF points from the top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(
            x0=min(self.x0, other.x0),
            top=min(self.top, other.top),
            x1=max(self.x1, other.x1),
            bottom=max(self.bottom, other.bottom),
        )

    def rounded(self) -> Box:
        return Box(x0=round(self.x0, 1), top=round(self.top, 1), x1=round(self.x1, 1), bottom=round(self.bottom, 1))


class TextLine(BaseModel):
    """One printed line of text inside a cell (or above the table)."""

    text: str
    box: Box
    first_width: float | None = Field(None, description="advance width of its first glyph, where the engine knows "
                                                        "it (decides whether a wrap fell inside a token)")
    ocr_read: str | None = Field(None, description="OCR engine: the line as Tesseract read it, when a repair over "
                                                   "the document (tone marks, numbering) changed its text")


class Cell(BaseModel):
    """One ruled cell of a page's table grid; a merged cell spans several grid rows or columns."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    box: Box
    lines: list[TextLine] = Field(default_factory=list)
    confidence: float | None = Field(None, description="OCR engine: mean word confidence 0..1; None otherwise")

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


class PageTable(BaseModel):
    """One ruled table found on one page, as an engine saw it (no knowledge of tasks or sections)."""

    page: int = Field(description="1-based page number")
    page_width: float
    page_height: float
    index: int = Field(0, description="0-based index of this table among the tables of its page")
    box: Box
    n_rows: int
    n_cols: int
    cells: list[Cell]
    text_above: list[TextLine] = Field(
        default_factory=list, description="text lines between the previous table (or page top) and this table"
    )
    turn: int = Field(0, description="degrees the page was turned clockwise beyond its /Rotate to read its text "
                                     "upright (text drawn sideways); 0 for pages shown upright")
    stray: list[TextLine] = Field(
        default_factory=list, description="text inside the table's box that lies in no cell (it crosses rules)"
    )
    to_page: list[float] | None = Field(
        None, description="OCR engine: the 3×3 matrix (row-major) taking this table's coordinates (points, on the "
                          "scan as it was turned back and rectified to read it) to the page's own; None when the "
                          "scan was read as it is")

    def page_box(self, box: Box) -> Box:
        """``box`` (this table's coordinates) on the page as it is: the bounding box of its mapped corners."""
        if self.to_page is None:
            return box
        m = self.to_page
        xs, ys = [], []
        for x, y in ((box.x0, box.top), (box.x1, box.top), (box.x1, box.bottom), (box.x0, box.bottom)):
            w = m[6] * x + m[7] * y + m[8]
            xs.append((m[0] * x + m[1] * y + m[2]) / w)
            ys.append((m[3] * x + m[4] * y + m[5]) / w)
        return Box(x0=min(xs), top=min(ys), x1=max(xs), bottom=max(ys)).rounded()

    def grid(self) -> list[list[Cell | None]]:
        """Rows of cells; a position covered by a merged cell (not its top-left) is None."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell
        return rows

    def owner(self) -> list[list[Cell]]:
        """Rows of cells where every grid position holds the (possibly merged) cell that covers it."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    rows[r][c] = cell
        return rows  # type: ignore[return-value]
