"""Excel workbooks for office users (``tthc extract … --xlsx``), written with openpyxl.

``<stem>.xlsx`` holds the task table as in the PDF: the title block above it, a header row of Vietnamese column
titles (frozen, with an autofilter), each section as one merged bold row, each task's STT and description merged
down over its assignments' rows, wrapped text and widths fitted to the columns; then a sheet "Cảnh báo" listing
the warnings. A batch also gets ``run.xlsx``: every input with its status, counts and error.

Every cell is text: a value is stored as a string, never a formula (openpyxl would take "=…" for one: the cell's
type is set back to string), with the text number format "@" and, when it starts with "-", "=", "+" or "@",
the quote prefix, so that Excel and LibreOffice show it as typed even when the cell is edited. Control
characters a workbook cannot hold (a damaged font's text) are written as U+FFFD.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tthc_extract.schemas.csv_row import identity
from tthc_extract.schemas.document import Document
from tthc_extract.schemas.text import collapse
from tthc_extract.writers import RUN_XLSX

if TYPE_CHECKING:
    from tthc_extract.batch import FileResult

#: The task sheet's columns: (title, width in characters).
MAIN_COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Nhiệm vụ", 48),
    ("Kết quả/Sản phẩm", 30),
    ("Đơn vị chủ trì", 24),
    ("Đơn vị phối hợp", 24),
    ("Thời gian thực hiện", 20),
)
TAIL_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Hạn hoàn thành", 13),
    ("Trang", 7),
    ("Mã", 12),
)
WARNING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Mức độ", 10), ("Loại", 24), ("Nội dung", 80), ("Trang", 8), ("Mục", 7), ("Nhiệm vụ", 9),
)
SEVERITY_VI = {"info": "thông tin", "warning": "cảnh báo", "error": "lỗi"}
STATUS_VI = {"done": "xong", "skipped": "bỏ qua (không đổi)", "failed": "lỗi", "interrupted": "bị dừng",
             "suspect": "đáng ngờ"}
RUN_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Tệp", 40), ("Trạng thái", 16), ("Mã tài liệu", 20), ("Số kế hoạch", 18), ("Cơ quan ban hành", 30),
    ("Năm", 7), ("Số trang", 9), ("Số mục", 8), ("Số nhiệm vụ", 11), ("Số dòng kết quả", 14),
    ("Số cảnh báo", 11), ("Lỗi", 60),
)

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
PART_FILL = PatternFill("solid", fgColor="D9D9D9")
#: First characters that a spreadsheet would read as the start of a formula when typed.
FORMULA_START = ("=", "+", "-", "@")


def put(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False, center: bool = False,
        border: bool = True, fill: PatternFill | None = None) -> Cell:
    """Write ``value`` as text into the cell: never a formula, text format, wrapped."""
    text = "" if value is None else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)  # control characters cannot be stored in a workbook
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"  # openpyxl marks a string starting with "=" as a formula: it is text here
    cell.number_format = "@"
    cell.alignment = CENTER if center else WRAP
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill
    return cell


def _widths(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _header(ws: Worksheet, row: int, columns: Sequence[tuple[str, int]]) -> None:
    for i, (title, _) in enumerate(columns, 1):
        put(ws, row, i, title, bold=True, center=True, fill=HEADER_FILL)
    _widths(ws, columns)


#: Points per text line of the default 11 pt font, and characters per unit of column width (a margin kept).
LINE_POINTS = 15.0
CHARS_PER_WIDTH = 1.1


def fit_row_heights(ws: Worksheet) -> None:
    """Give every row the height its wrapped texts need (spreadsheets do not measure wrapped text on opening
    a file: LibreOffice keeps one line). Lines are estimated from each text's length and its cell's width; a
    cell merged across columns has their width, one merged down over rows shares its lines among them."""
    spans: dict[tuple[int, int], tuple[int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_col, rng.max_row - rng.min_row + 1, rng.max_row)
    covered = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
               for c in range(rng.min_col, rng.max_col + 1) if (r, c) != (rng.min_row, rng.min_col)}
    need: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not cell.value or (cell.row, cell.column) in covered:
                continue
            last_col, nrows, _ = spans.get((cell.row, cell.column), (cell.column, 1, cell.row))
            width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                        for c in range(cell.column, last_col + 1))
            per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
            lines = sum(max(1, -(-len(par) // per_line)) for par in str(cell.value).split("\n"))
            need[cell.row] = max(need.get(cell.row, 1.0), lines / nrows)
    for r, wanted in need.items():
        ws.row_dimensions[r].height = round(max(1.0, wanted) * LINE_POINTS + 2, 1)


def _pages(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _task_sheet(ws: Worksheet, doc: Document) -> None:
    extras: list[str] = []
    for s in doc.sections:
        for t in s.tasks:
            for a in t.assignments:
                extras.extend(h for h in a.extra if h not in extras)
    columns = [*MAIN_COLUMNS, *((h, 20) for h in extras), *TAIL_COLUMNS]
    ncol = len(columns)
    last = get_column_letter(ncol)
    tb = doc.title_block
    top = [line for line in (tb.heading, tb.title, tb.attachment_line) if line]
    for r, line in enumerate(top, 1):
        put(ws, r, 1, collapse(line), bold=r <= 2, center=True, border=False)
        ws.merge_cells(f"A{r}:{last}{r}")
    head = len(top) + 2
    _header(ws, head, columns)
    ws.freeze_panes = f"A{head + 1}"
    ws.print_title_rows = f"{head}:{head}"
    row = head + 1
    parts = {p.id: p for p in doc.parts}
    shown: set[str] = set()
    for s in doc.sections:
        part = parts.get(s.part or "")
        if part is not None and part.id not in shown:  # a level above sections ("A. …", "Phần I"): one row
            shown.add(part.id)
            _heading(ws, row, part.number.text, part.title.text, ncol, PART_FILL)
            row += 1
        _heading(ws, row, s.number.text, s.title.text, ncol, SECTION_FILL)
        row += 1
        for t in s.tasks:
            first = row
            for a in t.assignments:
                tf = a.timeframe_parsed
                values = [t.number.text if row == first else "",
                          collapse(t.description.text) if row == first else "",
                          a.result.text, a.lead.text, a.partner.text, a.timeframe.text,
                          *(a.extra[h].text if h in a.extra else "" for h in extras),
                          tf.deadline.strftime("%d/%m/%Y") if tf and tf.deadline else "",
                          _pages(a.page_first, a.page_last), a.id]
                for c, v in enumerate(values, 1):
                    put(ws, row, c, collapse(v), center=c in (1, ncol - 1, ncol - 2))
                row += 1
            if row - first > 1:
                for c in (1, 2):
                    ws.merge_cells(start_row=first, start_column=c, end_row=row - 1, end_column=c)
    ws.auto_filter.ref = f"A{head}:{last}{max(head, row - 1)}"
    fit_row_heights(ws)
    _landscape(ws)


def _heading(ws: Worksheet, row: int, number: str, title: str, ncol: int, fill: PatternFill) -> None:
    """A part or section row as in the PDF: its number, then its bold title merged across the other columns."""
    put(ws, row, 1, number, bold=True, center=True, fill=fill)
    put(ws, row, 2, collapse(title), bold=True, fill=fill)
    for c in range(3, ncol + 1):
        put(ws, row, c, "", fill=fill)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncol)

def _landscape(ws: Worksheet) -> None:
    """Print (and render to PDF) landscape, every column on one page's width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _warning_sheet(ws: Worksheet, doc: Document) -> None:
    _header(ws, 1, WARNING_COLUMNS)
    ws.freeze_panes = "A2"
    for r, w in enumerate(doc.warnings, 2):
        values = [SEVERITY_VI.get(w.severity, w.severity), str(w.code), w.message,
                  ", ".join(str(p) for p in w.pages), w.section or "", w.task or ""]
        for c, v in enumerate(values, 1):
            put(ws, r, c, v, center=c in (1, 4, 5, 6))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(WARNING_COLUMNS))}{max(1, len(doc.warnings) + 1)}"
    fit_row_heights(ws)
    _landscape(ws)


def _info_sheet(ws: Worksheet, doc: Document) -> None:
    ident = identity(doc)
    c = doc.counts()
    rows = [("Tệp", doc.source.file_name), ("Mã tài liệu", ident["document_id"]), ("SHA-256", doc.source.sha256),
            ("Số kế hoạch", ident["plan_code"]), ("Cơ quan ban hành", ident["issuer"]), ("Năm", ident["year"]),
            ("Số trang", str(doc.source.page_count)),
            ("Trang có bảng", ", ".join(str(p) for p in doc.source.table_pages)),
            ("Số mục", str(c["sections"])), ("Số nhiệm vụ", str(c["tasks"])),
            ("Số dòng kết quả", str(c["assignments"])), ("Số cảnh báo", str(len(doc.warnings))),
            ("Bộ trích xuất", f"{doc.engine} {doc.engine_version}"), ("Phiên bản lược đồ", doc.schema_version)]
    for r, (k, v) in enumerate(rows, 1):
        put(ws, r, 1, k, bold=True)
        put(ws, r, 2, v)
    _widths(ws, (("", 20), ("", 70)))
    fit_row_heights(ws)


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_bytes(doc: Document) -> bytes:
    """The workbook of one document: sheets "Nhiệm vụ" (the table), "Cảnh báo" (warnings), "Thông tin"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    _task_sheet(ws, doc)
    _warning_sheet(wb.create_sheet("Cảnh báo"), doc)
    _info_sheet(wb.create_sheet("Thông tin"), doc)
    return _save(wb)


def _document_facts(result: FileResult) -> dict[str, str]:
    """Identity, counts and warning count of a result's document, read from its JSON (full or compact) when
    there (a skipped file's result has no counts of its own)."""
    json_out = next((o for o in result.outputs if o.endswith(".json")), None)
    if not json_out:
        return {}
    try:
        data = json.loads(Path(json_out).read_text(encoding="utf-8"))
        plan = data.get("plan") or {}
        title = data.get("title_block") or {}
        sections = data.get("sections") or []
        return {"document_id": str(data.get("document_id") or ""),
                "plan_code": str(plan.get("code") or ""),
                "issuer": str(plan.get("issuer") or title.get("issuer") or data.get("issuer") or ""),
                "year": str(plan.get("year") or title.get("year") or data.get("year") or ""),
                "warnings": str(len(data.get("warnings") or [])),
                "pages": str((data.get("source") or {}).get("page_count") or ""),
                "sections": str(len(sections)), "tasks": str(sum(len(x["tasks"]) for x in sections)),
                "assignments": str(sum(len(t["assignments"]) for x in sections for t in x["tasks"]))}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def run_xlsx_bytes(results: Sequence[FileResult]) -> bytes:
    """The batch's workbook: one row per input with its status, the document's identity, counts and error."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tài liệu"
    _header(ws, 1, RUN_COLUMNS)
    ws.freeze_panes = "A2"
    for r, res in enumerate(results, 2):
        facts = _document_facts(res) if res.status in ("done", "skipped", "suspect") else {}
        c = {k: str(v) for k, v in (res.counts or {}).items()}
        values = [res.path, STATUS_VI.get(res.status, res.status), facts.get("document_id", ""),
                  facts.get("plan_code", ""), facts.get("issuer", ""), facts.get("year", ""),
                  str(res.pages or facts.get("pages", "")),
                  *(c.get(k) or facts.get(k, "") for k in ("sections", "tasks", "assignments")),
                  facts.get("warnings", ""),
                  res.error if res.status != "skipped" else ""]
        for col, v in enumerate(values, 1):
            put(ws, r, col, v, center=col in (2, 6, 7, 8, 9, 10, 11))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RUN_COLUMNS))}{max(1, len(results) + 1)}"
    fit_row_heights(ws)
    _landscape(ws)
    return _save(wb)


def write_run_xlsx(results: Sequence[FileResult], out_dir: Path) -> Path:
    """Write ``OUT/run.xlsx`` atomically; its path."""
    from tthc_extract.writers import atomic_write_many

    path = out_dir / RUN_XLSX
    atomic_write_many([(path, run_xlsx_bytes(results))])
    return path


__all__ = ["run_xlsx_bytes", "write_run_xlsx", "xlsx_bytes"]
