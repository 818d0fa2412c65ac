"""Draw task-table appendices with reportlab: a second producer beside LibreOffice, with exact control of layout.

A ``Plan`` (sections and tasks, like the truth files) is laid out in ruled cells and paginated as a word
processor does: rows may break across pages at line granularity — a merged task cell that is taller than its
assignment rows continues alone at the top of the next page — the header may be repeated on every page or
not, may be one or two rows (group cells over "Chủ trì | Phối hợp") with an optional column-number row, and
pages may be portrait or landscape, in any TrueType font installed. ``Drawing`` says where every block was
broken, so a test can search a layout parameter until the break it needs happens.

Used by the tests only; never by the pipeline.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FIELDS = ("stt", "description", "result", "lead", "partner", "timeframe")
HEADERS = {"stt": "STT", "description": "Nhiệm vụ", "result": "Kết quả công việc", "lead": "Đơn vị chủ trì",
           "partner": "Đơn vị phối hợp", "timeframe": "Thời gian thực hiện"}


@cache
def font(family: str, bold: bool = False) -> str:
    """Register a TrueType family (found with fc-match) with reportlab; return its reportlab name."""
    name = f"{family}{'-Bold' if bold else ''}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    fc = shutil.which("fc-match")
    assert fc, "fontconfig's fc-match is needed to find fonts"
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    path = subprocess.run([fc, "-f", "%{file}", pattern], capture_output=True, text=True, check=True).stdout
    found = subprocess.run([fc, "-f", "%{family}", pattern], capture_output=True, text=True, check=True).stdout
    if family not in found.split(","):
        raise LookupError(f"font {family!r} is not installed (fc-match gave {found!r})")
    pdfmetrics.registerFont(TTFont(name, path))
    return name


@dataclass(frozen=True)
class Style:
    """Page and table geometry."""

    family: str = "Liberation Serif"
    size: float = 11.0
    leading: float = 1.25  # × size
    landscape: bool = True
    margins: tuple[float, float, float, float] = (50.0, 40.0, 50.0, 40.0)  # top, right, bottom, left
    widths: tuple[float, ...] = (1.0, 6.0, 4.5, 3.0, 3.0, 2.6)  # relative, one per column
    fields: tuple[str, ...] = FIELDS  # the field of each column, in order
    headers: tuple[str, ...] | None = None  # printed header of each column (default HEADERS)
    group: tuple[str, tuple[str, ...]] | None = None  # ("Đơn vị thực hiện", ("lead", "partner")): two-row header
    number_row: str | None = None  # "({})" or "{}": a row of column numbers under the header
    repeat_header: bool = True
    page_numbers: bool = True
    pad: float = 3.0
    spacer: float = 0.0  # extra space above the table on its first page (moves every break)
    section_in_one_cell: bool = False  # "I. TITLE" in one cell across the row instead of "I" | "TITLE"
    rule: float = 0.5


@dataclass
class Cell:
    col0: int
    col1: int  # exclusive
    row0: int  # sub-rows of its block
    row1: int  # exclusive
    lines: list[str]
    bold: bool = False
    centre: bool = False


@dataclass
class Block:
    """Rows drawn together: a section row, a task with its assignment rows, or the header."""

    heights: list[float]
    cells: list[Cell]
    label: str = ""

    @property
    def height(self) -> float:
        return sum(self.heights)


@dataclass
class Drawing:
    pdf: Path
    pages: int
    breaks: dict[str, list[str]] = field(default_factory=dict)  # block label → how it was broken, per break


def _wrap(text: str, width: float, face: str, size: float) -> list[str]:
    """Greedy line breaking at blanks, as word processors do; a word longer than a whole line is broken
    between two characters where it reaches the line's end ("31/8/202" + "6")."""
    def w(t: str) -> float:
        return pdfmetrics.stringWidth(t, face, size)

    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            if line and w(f"{line} {word}") <= width:
                line = f"{line} {word}"
                continue
            if line:
                out.append(line)
            line = word
            while w(line) > width and len(line) > 1:
                cut = max(k for k in range(1, len(line)) if w(line[:k]) <= width or k == 1)
                out.append(line[:cut])
                line = line[cut:]
        if line:
            out.append(line)
    return out


class Layout:
    def __init__(self, style: Style, width: float) -> None:
        self.s = style
        total = sum(style.widths)
        inner = width - style.margins[1] - style.margins[3]
        self.xs = [style.margins[3]]
        for w in style.widths:
            self.xs.append(self.xs[-1] + inner * w / total)
        self.lead = style.size * style.leading
        self.regular, self.bold = font(style.family), font(style.family, True)

    def lines(self, text: str, col0: int, col1: int, bold: bool = False) -> list[str]:
        width = self.xs[col1] - self.xs[col0] - 2 * self.s.pad
        return _wrap(text, width, self.bold if bold else self.regular, self.s.size)

    def fit(self, cells: list[Cell], n_rows: int, label: str = "") -> Block:
        """Sub-row heights: each single-row cell's lines; a merged cell's surplus goes to its last row."""
        heights = [2 * self.s.pad + self.lead] * n_rows
        for c in cells:
            if c.row1 - c.row0 == 1:
                heights[c.row0] = max(heights[c.row0], 2 * self.s.pad + len(c.lines) * self.lead)
        for c in cells:
            need = 2 * self.s.pad + len(c.lines) * self.lead - sum(heights[c.row0:c.row1])
            if need > 0:
                heights[c.row1 - 1] += need
        return Block(heights, cells, label)

    def header(self) -> Block:
        s = self.s
        heads = s.headers or tuple(HEADERS[f] for f in s.fields)
        cells: list[Cell] = []
        rows = 1
        if s.group:
            rows = 2
            title, members = s.group
            cols = [s.fields.index(m) for m in members]
            c0, c1 = min(cols), max(cols) + 1
            cells.append(Cell(c0, c1, 0, 1, self.lines(title, c0, c1, True), bold=True, centre=True))
            for c in range(len(s.fields)):
                if c0 <= c < c1:
                    cells.append(Cell(c, c + 1, 1, 2, self.lines(heads[c], c, c + 1, True), bold=True, centre=True))
                else:
                    cells.append(Cell(c, c + 1, 0, 2, self.lines(heads[c], c, c + 1, True), bold=True, centre=True))
        else:
            cells = [Cell(c, c + 1, 0, 1, self.lines(h, c, c + 1, True), bold=True, centre=True)
                     for c, h in enumerate(heads)]
        if s.number_row:
            cells += [Cell(c, c + 1, rows, rows + 1, [s.number_row.format(c + 1)], centre=True)
                      for c in range(len(s.fields))]
            rows += 1
        return self.fit(cells, rows, "header")

    def section(self, number: str, title: str) -> Block:
        n = len(self.s.fields)
        if self.s.section_in_one_cell or "stt" not in self.s.fields:
            return self.fit([Cell(0, n, 0, 1, self.lines(f"{number}. {title}", 0, n, True), bold=True)], 1,
                            f"section {number}")
        return self.fit([Cell(0, 1, 0, 1, self.lines(number, 0, 1, True), bold=True, centre=True),
                         Cell(1, n, 0, 1, self.lines(title, 1, n, True), bold=True)], 1, f"section {number}")

    def task(self, section: str, number: str, description: str, assignments: list[dict[str, str]]) -> Block:
        s, k = self.s, len(assignments)
        cells: list[Cell] = []
        for c, f in enumerate(s.fields):
            if f in ("stt", "description"):
                text = number if f == "stt" else description
                cells.append(Cell(c, c + 1, 0, k, self.lines(text, c, c + 1), centre=(f == "stt")))
            else:
                for i, a in enumerate(assignments):
                    cells.append(Cell(c, c + 1, i, i + 1, self.lines(a.get(f, ""), c, c + 1)))
        return self.fit(cells, k, f"task {section}.{number}")

    def split(self, block: Block, room: float) -> tuple[Block, Block, str] | None:
        """The part of ``block`` that fits in ``room`` and the rest, or None when not one line fits."""
        tops = [sum(block.heights[:i]) for i in range(len(block.heights) + 1)]
        cut_row = next(i for i in range(len(block.heights)) if tops[i + 1] > room)

        def fit(c: Cell) -> int:
            return min(len(c.lines), max(0, int((room - self.s.pad - tops[c.row0] - self.s.pad) // self.lead + 1e-9)))

        if not any(fit(c) for c in block.cells if c.row0 == cut_row):
            if cut_row == 0:
                return None
            room = tops[cut_row]  # as a word processor does: a row of which not one line fits moves whole
        first_cells: list[Cell] = []
        rest_cells: list[Cell] = []
        whole = room == tops[cut_row]
        for c in block.cells:
            if c.row1 <= cut_row:
                first_cells.append(c)
            elif c.row0 > cut_row or (whole and c.row0 == cut_row):
                rest_cells.append(replace(c, row0=c.row0 - cut_row, row1=c.row1 - cut_row))
            else:
                n = fit(c)
                first_cells.append(replace(c, row1=cut_row + (0 if whole else 1), lines=c.lines[:n]))
                rest_cells.append(replace(c, row0=0, row1=c.row1 - cut_row, lines=c.lines[n:]))
        heights = block.heights[:cut_row] + ([] if whole else [room - tops[cut_row]])
        first = Block(heights, first_cells, block.label)
        n_rest = len(block.heights) - cut_row
        rest = self.fit(rest_cells, n_rest, block.label)
        texts = {self.s.fields[c.col0]: bool(c.lines) for c in rest_cells if c.row0 == 0}
        how = f"after row {cut_row}; continued: {','.join(f for f, has in texts.items() if has) or 'nothing'}"
        return first, rest, how


def draw(plan: dict, style: Style, pdf: Path, overlay: tuple[tuple[int, float, float, str], ...] = ()) -> Drawing:
    """Render ``plan`` ({"doc": {...}, "sections": [...]} as in samples/truth) to ``pdf``. ``overlay``: text
    drawn on top of the table, (page, x, top, text) each — a stray text box, as an editor may leave one."""
    size = landscape(A4) if style.landscape else A4
    width, height = size
    lay = Layout(style, width)
    blocks: list[Block] = []
    part = None
    for sec in plan["sections"]:
        if sec.get("part") and sec["part"] != part:  # a level above sections: {"number": "A", "title": …}
            part = sec["part"]
            blocks.append(lay.section(part["number"], part["title"]))
        blocks.append(lay.section(sec["number"], sec["title"]))
        for t in sec["tasks"]:
            blocks.append(lay.task(sec["number"], t["number"], t["description"], t["assignments"]))
    canvas = Canvas(str(pdf), pagesize=size, invariant=1)
    canvas.setTitle("Phụ lục")
    top, bottom = style.margins[0], height - style.margins[2]
    drawing = Drawing(pdf=pdf, pages=0)
    y = top + style.spacer
    canvas.setFont(lay.bold, style.size)
    for line in _title_lines(plan, lay, width):
        canvas.drawCentredString(width / 2, height - y - style.size, line)
        y += lay.lead
    y += lay.lead
    page = 1
    header = lay.header()
    placed: list[tuple[Block, float]] = [(header, y)]
    y += header.height
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        if y + block.height <= bottom:
            placed.append((block, y))
            y += block.height
            continue
        parts = lay.split(block, bottom - y)
        if parts is not None:
            first, rest, how = parts
            placed.append((first, y))
            drawing.breaks.setdefault(block.label, []).append(how)
            queue.insert(0, rest)
        else:
            queue.insert(0, block)
        _draw_page(canvas, lay, placed, height, [o for o in overlay if o[0] == page])
        canvas.showPage()
        page += 1
        y = top
        if style.page_numbers:
            canvas.setFont(lay.regular, style.size)
            canvas.drawCentredString(width / 2, height - (top - 2 * lay.lead) - style.size, str(page))
        placed = []
        if style.repeat_header:
            placed.append((header, y))
            y += header.height
    _draw_page(canvas, lay, placed, height, [o for o in overlay if o[0] == page])
    canvas.showPage()
    canvas.save()
    drawing.pages = page
    return drawing


def _title_lines(plan: dict, lay: Layout, width: float) -> list[str]:
    """The title block ("doc" in a truth file), wrapped to the text width."""
    tb = plan.get("doc", {})
    room = width - lay.s.margins[1] - lay.s.margins[3]
    return [ln for t in (tb.get("heading"), tb.get("title"), tb.get("attachment_line")) if t
            for ln in _wrap(t, room, lay.bold, lay.s.size)]


def _draw_page(canvas: Canvas, lay: Layout, placed: list[tuple[Block, float]], height: float,
               overlay: list[tuple[int, float, float, str]]) -> None:
    s = lay.s
    canvas.setFont(lay.regular, s.size)
    for _, x, top, text in overlay:
        canvas.drawString(x, height - top - s.size, text)
    canvas.setLineWidth(s.rule)
    for block, y in placed:
        tops = [y + sum(block.heights[:i]) for i in range(len(block.heights) + 1)]
        for c in block.cells:
            x0, x1, t, b = lay.xs[c.col0], lay.xs[c.col1], tops[c.row0], tops[c.row1]
            canvas.rect(x0, height - b, x1 - x0, b - t, stroke=1, fill=0)
            face = lay.bold if c.bold else lay.regular
            canvas.setFont(face, s.size)
            for i, text in enumerate(c.lines):
                base = height - (t + s.pad + i * lay.lead + s.size)
                if c.centre:
                    canvas.drawCentredString((x0 + x1) / 2, base, text)
                else:
                    canvas.drawString(x0 + s.pad, base, text)


def turned(src: Path, dst: Path, rotation: int, *, set_rotate: bool = True) -> Path:
    """A copy of ``src`` (made with pypdf) whose pages are drawn turned counter-clockwise by ``rotation`` degrees
    in user space, with /Rotate ``rotation`` so that a viewer shows them upright as before — as printer drivers
    and scan-merging tools make landscape pages. ``set_rotate=False`` leaves /Rotate out: the text then runs
    sideways on the page."""
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=str(src))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        shift = {90: (h, 0.0), 180: (w, h), 270: (0.0, w)}[rotation]
        page.add_transformation(Transformation().rotate(rotation).translate(*shift))
        box = RectangleObject([0, 0, h, w] if rotation in (90, 270) else [0, 0, w, h])
        page.mediabox = box
        page.cropbox = box
        if set_rotate:
            page.rotation = rotation
    writer.write(str(dst))
    return dst
