"""Build synthetic page grids (PageTable) for normalizer tests, without a PDF.

A row is a list with one entry per column: a string (cell text, "\\n" between printed lines), "^" for a
position covered by the cell above (a vertical merge), or ("text", n) for a cell spanning n columns. Row
height is its tallest cell's lines, so shorter cells have room left, as in a real layout.
"""

from __future__ import annotations

from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

HEADER = ["STT", "Nhiệm vụ", "Kết quả công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"]
WIDTHS = [30.0, 200.0, 150.0, 100.0, 100.0, 80.0]
PITCH = 14.0
PAD = 3.0
CHAR_W = 5.0


def _lines(text: str, x0: float, top: float) -> list[TextLine]:
    out = []
    for i, t in enumerate(text.split("\n") if text else []):
        y = top + PAD + i * PITCH
        out.append(TextLine(text=t, box=Box(x0=x0 + PAD, top=y, x1=x0 + PAD + CHAR_W * len(t), bottom=y + 12)))
    return out


def page_table(page: int, rows: list[list], widths: list[float] | None = None, header: list | None = HEADER,
               top: float = 60.0) -> PageTable:
    widths = widths or WIDTHS
    xs = [40.0]
    for w in widths:
        xs.append(xs[-1] + w)
    all_rows = ([header] if header else []) + rows
    heights = []
    for row in all_rows:
        n = max((len(e[0].split("\n")) if isinstance(e, tuple) else len(e.split("\n")) if e and e != "^" else 1)
                for e in row)
        heights.append(n * PITCH + 2 * PAD)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    cells: list[Cell] = []
    open_cells: dict[int, Cell] = {}
    for r, row in enumerate(all_rows):
        c = 0
        for entry in row:
            if entry == "^":
                cell = open_cells[c]
                cell.row_span += 1
                cell.box = Box(x0=cell.box.x0, top=cell.box.top, x1=cell.box.x1, bottom=ys[r + 1])
                c += cell.col_span
                continue
            text, span = entry if isinstance(entry, tuple) else (entry, 1)
            box = Box(x0=xs[c], top=ys[r], x1=xs[c + span], bottom=ys[r + 1])
            cell = Cell(row=r, col=c, col_span=span, box=box, lines=_lines(text or "", xs[c], ys[r]))
            cells.append(cell)
            open_cells[c] = cell
            c += span
        assert c == len(widths), f"row {r} covers {c} columns"
    return PageTable(page=page, page_width=842, page_height=595, box=Box(x0=xs[0], top=ys[0], x1=xs[-1],
                     bottom=ys[-1]), n_rows=len(all_rows), n_cols=len(widths), cells=cells)
