"""Regenerate realistic sample appendix PDFs from the ground-truth JSON files.

Every ``samples/truth/<name>.json`` is rendered the way provincial offices produce these appendices:
a Word document (built with python-docx, font "Liberation Serif", A4) is converted to PDF by
LibreOffice (``soffice --headless --convert-to pdf``).  Three layout variants are written for each
truth file as ``<out>/<name>_<variant>.pdf``:

``landscape``
    A4 landscape, 13 pt, wide columns.  Only the merges present in the source documents.
``portrait``
    A4 portrait, 12 pt, a very narrow STT column (the header "STT" and the numeral "VIII" wrap) and a
    narrow timeframe column (dates such as "31/8/2026" are broken in the middle of the token).
``splits``
    A4 portrait, 14 pt, loose line spacing and cell padding so that many rows break across pages.
    Runs of identical lead / partner / timeframe cells inside a section are merged vertically, and a
    spacer above the table (then the line spacing, 1.3-1.5) is searched until the two-assignment task
    V.3 crosses a page break, preferably between its two assignment rows.

``Layout`` also takes the font family (``font``), justified task / result cells (``justify``) and any
number of columns beyond the six task columns: ``truth["columns"]`` may name extra columns (e.g. "Ghi chú")
whose cells come from each assignment's optional ``"extra"`` mapping.  ``Converter.to_pdfs`` converts many
documents in one LibreOffice run (``tests/test_variants.py`` builds further layouts that way).

Tasks with several assignments are drawn as one task whose STT and "Nhiệm vụ" cells are merged
vertically over the assignment rows.  After conversion each PDF is checked with pdfplumber and the
rows that break across pages are printed.

Usage::

    python samples/make_samples.py [--only NAME] [--out DIR]

``NAME`` may be a truth name (``caobang_ubnd_2026``), a variant (``splits``) or an output stem
(``caobang_ubnd_2026_splits``).  Requires LibreOffice (``soffice``) on PATH.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pdfplumber
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

SAMPLES_DIR = Path(__file__).resolve().parent
TRUTH_DIR = SAMPLES_DIR / "truth"
FONT = "Liberation Serif"
FIELDS = ("result", "lead", "partner", "timeframe")  # table columns 2..5
A4_SHORT_CM, A4_LONG_CM = 21.0, 29.7
FIXED_DATE = datetime(2026, 1, 26, tzinfo=UTC)

# Vertical merges that exist in the source documents, beyond the merged STT / "Nhiệm vụ" cells of
# multi-assignment tasks: (section number, field) -> that column is one cell over the whole section.
FAITHFUL_MERGES: dict[str, list[tuple[str, str]]] = {
    "caobang_ubnd_2026": [("III", "timeframe")],
}
# Task that must straddle a page break in the ``splits`` variant: (section number, task number).
SPLIT_TASK = ("V", "3")
# Layouts tried for it, in order: (line spacing, space before the table in pt).  The spacer alone often
# cannot move the break: LibreOffice re-anchors the flow whenever a page happens to break between rows,
# so the line spacing is varied too.  Both stay modest so the pages still look like a real appendix.
SPLIT_SEARCH: list[tuple[float, float]] = [
    (spacing, float(spacer)) for spacing in (1.3, 1.4, 1.5, 1.35, 1.45) for spacer in range(0, 49, 12)
]


@dataclass(frozen=True)
class Layout:
    """Page and table geometry of one variant."""

    name: str
    landscape: bool
    font_pt: float
    line_spacing: float
    margins_cm: tuple[float, float, float, float]  # top, right, bottom, left
    col_widths_cm: tuple[float, ...]  # one per column (6, or more with extra columns); scaled to the text width
    cell_pad_cm: tuple[float, float]  # (top/bottom, left/right)
    merge_identical_runs: bool = False
    require_split: tuple[str, str] | None = None
    font: str = FONT  # font family of every script
    justify: bool = False  # justify the task and result cells (Lâm Đồng's real plan does)
    group_header: str | None = None  # a group cell over the lead and partner columns: a two-row header
    number_row: str | None = None  # a row of column numbers under the header, e.g. "({})"
    repeat_header: bool = True  # Word's "repeat as header row at the top of each page"


LAYOUTS: dict[str, Layout] = {
    "landscape": Layout(
        name="landscape",
        landscape=True,
        font_pt=13,
        line_spacing=1.0,
        margins_cm=(2.0, 2.0, 2.0, 2.0),
        col_widths_cm=(1.2, 8.0, 6.0, 3.8, 3.5, 3.0),
        cell_pad_cm=(0.0, 0.15),
    ),
    "portrait": Layout(
        name="portrait",
        landscape=False,
        font_pt=12,
        line_spacing=1.0,
        margins_cm=(2.0, 2.0, 2.0, 3.0),
        # STT 0.95 cm (bold "STT" -> "ST"/"T", "VIII" -> "VII"/"I"); timeframe 1.8 cm ("31/8/2026" breaks).
        col_widths_cm=(0.95, 4.6, 3.85, 2.5, 2.3, 1.8),
        cell_pad_cm=(0.0, 0.1),
    ),
    "splits": Layout(
        name="splits",
        landscape=False,
        font_pt=14,
        line_spacing=1.3,
        margins_cm=(2.0, 2.0, 2.0, 3.0),
        col_widths_cm=(1.2, 4.0, 3.8, 2.6, 2.4, 2.0),
        cell_pad_cm=(0.1, 0.15),
        merge_identical_runs=True,
        require_split=SPLIT_TASK,
    ),
}


# --------------------------------------------------------------------------------------------------
# Table model
# --------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One table row: header, section heading or one assignment of a task."""

    kind: str  # "header" | "section" | "task"
    cells: list[str]
    section: str = ""
    task: str = ""
    assignment: int = 0  # index within the task
    n_assignments: int = 1


@dataclass
class Merge:
    """A merged rectangle of the table grid (inclusive bounds)."""

    r0: int
    c0: int
    r1: int
    c1: int
    valign: str = "top"  # "top" | "center"


@dataclass
class TablePlan:
    rows: list[Row] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)

    def covered(self) -> dict[tuple[int, int], Merge]:
        """Map every grid position swallowed by a merge (not its origin) to that merge."""
        out: dict[tuple[int, int], Merge] = {}
        for m in self.merges:
            for r in range(m.r0, m.r1 + 1):
                for c in range(m.c0, m.c1 + 1):
                    if (r, c) != (m.r0, m.c0):
                        out[(r, c)] = m
        return out


def plan_table(truth: dict[str, Any], truth_name: str, layout: Layout) -> TablePlan:
    """Lay the truth out as table rows plus the merges of the given variant.

    ``truth["columns"]`` names the six task columns, optionally followed by extra columns (e.g. "Ghi chú")
    whose cells come from each assignment's optional ``"extra"`` mapping {column header: text}.
    """
    columns = list(truth["columns"])
    if len(columns) < 6:
        raise ValueError(f"{truth_name}: at least 6 columns are needed, got {columns}")
    if len(layout.col_widths_cm) != len(columns):
        raise ValueError(f"layout {layout.name}: {len(layout.col_widths_cm)} widths for {len(columns)} columns")
    extra_cols = columns[6:]
    last_col = len(columns) - 1
    plan = TablePlan()
    if layout.group_header:  # "Đơn vị thực hiện" over "chủ trì | phối hợp"; the other cells merged down
        plan.rows.append(Row("header", columns[:3] + [layout.group_header, ""] + columns[5:]))
        plan.rows.append(Row("header", ["", "", "", columns[3], columns[4]] + [""] * (len(columns) - 5)))
        plan.merges.append(Merge(0, 3, 0, 4, valign="center"))
        plan.merges.extend(Merge(0, c, 1, c, valign="center") for c in range(len(columns)) if c not in (3, 4))
    else:
        plan.rows.append(Row("header", columns))
    if layout.number_row:
        plan.rows.append(Row("header", [layout.number_row.format(c + 1) for c in range(len(columns))]))
    for section in truth["sections"]:
        sec_no = section["number"]
        r_sec = len(plan.rows)
        plan.rows.append(Row("section", [sec_no, section["title"]] + [""] * (last_col - 1), section=sec_no))
        plan.merges.append(Merge(r_sec, 1, r_sec, last_col, valign="center"))
        first_task_row = len(plan.rows)
        for task in section["tasks"]:
            n = len(task["assignments"])
            r0 = len(plan.rows)
            for i, a in enumerate(task["assignments"]):
                head = [task["number"], task["description"]] if i == 0 else ["", ""]
                extra = [a.get("extra", {}).get(h, "") for h in extra_cols]
                plan.rows.append(Row("task", head + [a[f] for f in FIELDS] + extra, sec_no, task["number"], i, n))
            if n > 1:
                plan.merges.append(Merge(r0, 0, r0 + n - 1, 0))
                plan.merges.append(Merge(r0, 1, r0 + n - 1, 1))
        last_task_row = len(plan.rows) - 1

        if layout.merge_identical_runs:
            for col in (3, 4, 5):
                for r0, r1 in _identical_runs(plan.rows, first_task_row, last_task_row, col):
                    plan.merges.append(Merge(r0, col, r1, col, valign="center"))
        else:
            for merge_sec, fld in FAITHFUL_MERGES.get(truth_name, []):
                if merge_sec != sec_no:
                    continue
                col = 2 + FIELDS.index(fld)
                values = {plan.rows[r].cells[col] for r in range(first_task_row, last_task_row + 1)}
                if len(values) != 1:
                    raise ValueError(f"{truth_name}: {sec_no}.{fld} differs between tasks: {values}")
                plan.merges.append(Merge(first_task_row, col, last_task_row, col, valign="center"))
    # Only the origin cell of a merge keeps its text.
    for r, c in plan.covered():
        plan.rows[r].cells[c] = ""
    return plan


def _identical_runs(rows: list[Row], first: int, last: int, col: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of runs of >= 2 consecutive identical non-empty cells in ``col``."""
    start = first
    for r in range(first + 1, last + 2):
        if r > last or rows[r].cells[col] != rows[start].cells[col]:
            if r - 1 > start and rows[start].cells[col].strip():
                yield start, r - 1
            start = r


# --------------------------------------------------------------------------------------------------
# DOCX construction
# --------------------------------------------------------------------------------------------------


def _set_rfonts(rpr: Any, font: str = FONT) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)


def _set_child(parent: Any, tag: str, **attrs: str) -> Any:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def setup_styles(doc: DocxDocument, layout: Layout) -> None:
    """The variant's font (all scripts; Liberation Serif by default) and size, no paragraph spacing."""
    half_points = str(round(layout.font_pt * 2))
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_rfonts(rpr, layout.font)
    for tag in ("w:sz", "w:szCs"):
        _set_child(rpr, tag, val=half_points)
    _set_child(rpr, "w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA")

    for style_name in ("Normal", "Header"):
        style = doc.styles[style_name]
        style.font.name = layout.font
        style.font.size = Pt(layout.font_pt)
        _set_rfonts(style.element.get_or_add_rPr(), layout.font)
        _set_child(style.element.get_or_add_rPr(), "w:szCs", val=half_points)
    pf = doc.styles["Normal"].paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = layout.line_spacing


def setup_page(doc: DocxDocument, layout: Layout) -> float:
    """A4 page, margins and the page-number header (not on page 1). Returns the text width in cm."""
    sec = doc.sections[0]
    if layout.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(A4_LONG_CM), Cm(A4_SHORT_CM)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(A4_SHORT_CM), Cm(A4_LONG_CM)
    top, right, bottom, left = layout.margins_cm
    sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = (
        Cm(top),
        Cm(right),
        Cm(bottom),
        Cm(left),
    )
    sec.header_distance = Cm(1.0)
    sec.footer_distance = Cm(1.0)
    sec.different_first_page_header_footer = True
    sec.first_page_header.is_linked_to_previous = False  # empty header on page 1

    para = sec.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    fld.append(run)
    para._p.append(fld)
    page_w = A4_LONG_CM if layout.landscape else A4_SHORT_CM
    return page_w - left - right


def add_title_block(doc: DocxDocument, truth: dict[str, Any], spacer_pt: float) -> None:
    info = truth["doc"]
    for text, bold, italic in (
        (info["heading"], True, False),
        (info["title"], True, False),
        (info["attachment_line"], False, True),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
    blank = doc.add_paragraph()
    blank.paragraph_format.space_before = Pt(spacer_pt)


def _table_properties(table: Table, widths_twips: list[int], layout: Layout) -> None:
    tbl_pr = table._tbl.tblPr
    _set_child(tbl_pr, "w:tblW", w=str(sum(widths_twips)), type="dxa")
    borders = _set_child(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set_child(borders, f"w:{edge}", val="single", sz="4", space="0", color="000000")
    _set_child(tbl_pr, "w:tblLayout", type="fixed")
    mar = _set_child(tbl_pr, "w:tblCellMar")
    pad_v = str(round(layout.cell_pad_cm[0] / 2.54 * 1440))
    pad_h = str(round(layout.cell_pad_cm[1] / 2.54 * 1440))
    for edge, val in (("top", pad_v), ("left", pad_h), ("bottom", pad_v), ("right", pad_h)):
        _set_child(mar, f"w:{edge}", w=val, type="dxa")
    # Schema order inside tblPr: tblStyle, ..., tblW, ..., tblBorders, ..., tblLayout, tblCellMar, tblLook.
    order = ["tblStyle", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook"]
    children = sorted(
        tbl_pr,
        key=lambda el: order.index(el.tag.split("}")[1]) if el.tag.split("}")[1] in order else len(order),
    )
    for el in children:
        tbl_pr.append(el)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_twips, strict=True):
        col.set(qn("w:w"), str(w))


def _write_cell(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH, valign: str) -> None:
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.CENTER if valign == "center" else WD_CELL_VERTICAL_ALIGNMENT.TOP
    )
    para = cell.paragraphs[0]
    para.alignment = align
    if text:
        para.add_run(text).bold = bold


def add_table(doc: DocxDocument, plan: TablePlan, layout: Layout, text_width_cm: float) -> None:
    scale = text_width_cm / sum(layout.col_widths_cm)
    widths_twips = [round(w * scale / 2.54 * 1440) for w in layout.col_widths_cm]
    n_cols = len(plan.rows[0].cells)
    table = doc.add_table(rows=len(plan.rows), cols=n_cols)
    table.autofit = False
    _table_properties(table, widths_twips, layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_twips, strict=True):
            cell.width = w

    # The header rows repeat on every page (unless the layout says not); rows may break across pages.
    if layout.repeat_header:
        for r, row in enumerate(plan.rows):
            if row.kind != "header":
                break
            _set_child(table.rows[r]._tr.get_or_add_trPr(), "w:tblHeader", val="true")

    # Cells are looked up through their row: Table.cell() rebuilds the whole grid on every call, which
    # makes long tables quadratic.
    rows = table.rows
    for m in plan.merges:
        rows[m.r0].cells[m.c0].merge(rows[m.r1].cells[m.c1])

    origins = {(m.r0, m.c0): m for m in plan.merges}
    covered = plan.covered()
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    body = WD_ALIGN_PARAGRAPH.JUSTIFY if layout.justify else left
    for r, row in enumerate(plan.rows):
        row_cells = rows[r].cells
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            cell = row_cells[c]
            text = row.cells[c]
            merge = origins.get((r, c))
            valign = merge.valign if merge else "top"
            if row.kind == "header":
                _write_cell(cell, text, bold=True, align=center, valign="center")
            elif row.kind == "section":
                _write_cell(cell, text, bold=True, align=center if c == 0 else left, valign="center")
            else:
                align = body if c in (1, 2) else center
                _write_cell(cell, text, bold=False, align=align, valign=valign)


def build_docx(truth: dict[str, Any], truth_name: str, layout: Layout, spacer_pt: float, path: Path) -> None:
    doc = Document()
    props = doc.core_properties
    props.title = truth["doc"]["title"]
    props.author = props.last_modified_by = truth["doc"]["issuer"]
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    setup_styles(doc, layout)
    text_width = setup_page(doc, layout)
    add_title_block(doc, truth, spacer_pt)
    add_table(doc, plan_table(truth, truth_name, layout), layout, text_width)
    # Word documents always end with a paragraph after a table; keep it tiny.
    tail = doc.add_paragraph()
    _set_child(tail._p.get_or_add_pPr(), "w:rPr")
    _set_child(tail._p.pPr.find(qn("w:rPr")), "w:sz", val="2")
    doc.save(str(path))


# --------------------------------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------------------------------


class Converter:
    """Runs LibreOffice with a private profile so parallel runs never share one."""

    def __init__(self, soffice: str, workdir: Path) -> None:
        self.soffice = soffice
        self.profile = workdir / "lo-profile"

    def to_pdf(self, docx: Path, out_dir: Path) -> Path:
        return self.to_pdfs([docx], out_dir)[0]

    def to_pdfs(self, docxs: list[Path], out_dir: Path, timeout: float = 300) -> list[Path]:
        """Convert several documents in ONE LibreOffice run (one start-up); returns the PDFs in order.

        The documents must have distinct stems, since each PDF is written as ``out_dir/<stem>.pdf``.
        """
        stems = [d.stem for d in docxs]
        if len(set(stems)) != len(stems):
            raise ValueError(f"documents with the same stem would overwrite each other's PDF: {stems}")
        cmd = [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(d) for d in docxs),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        pdfs = [out_dir / (d.stem + ".pdf") for d in docxs]
        failed = [d.name for d, pdf in zip(docxs, pdfs, strict=True) if not pdf.exists()]
        if proc.returncode != 0 or failed:
            raise RuntimeError(f"soffice failed on {failed or docxs}:\n{proc.stdout}\n{proc.stderr}")
        return pdfs


def make_reproducible(pdf: Path) -> None:
    """Replace LibreOffice's conversion timestamps and random file ID by fixed same-length values.

    The substitutions keep every byte offset, so the xref table stays valid.
    """
    data = pdf.read_bytes()
    stamp = FIXED_DATE.strftime("%Y%m%d%H%M%S").encode()

    def fix_date(m: re.Match[bytes]) -> bytes:
        return m.group(1) + stamp + b"0" * (len(m.group(2)) - len(stamp)) + m.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d+)([^)]*\))", fix_date, data)
    data = re.sub(
        rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]*)(<)",
        lambda m: m.group(1) + _fixed_iso(len(m.group(2))) + m.group(3),
        data,
    )
    # The file ID and LibreOffice's /DocChecksum change on every run: derive both from the content instead.
    volatile = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)|(/DocChecksum\s*/)([0-9A-Fa-f]+)")
    digest = hashlib.md5(volatile.sub(b"", data)).hexdigest().encode()

    def fix(m: re.Match[bytes]) -> bytes:
        if m.group(1) is not None:
            return m.group(1) + _hex(digest, m.group(2)) + m.group(3) + _hex(digest, m.group(4)) + m.group(5)
        return m.group(6) + _hex(digest.upper(), m.group(7))

    pdf.write_bytes(volatile.sub(fix, data))


def _hex(digest: bytes, like: bytes) -> bytes:
    return (digest * (len(like) // len(digest) + 1))[: len(like)]


def _fixed_iso(length: int) -> bytes:
    iso = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%S").encode()
    return (iso + b"+00:00" + b" " * length)[:length]


# --------------------------------------------------------------------------------------------------
# PDF inspection: on which pages does each row lie?
# --------------------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _column_bounds(page: Any) -> tuple[list[float], float, float] | None:
    """x positions of the table's vertical rulings and the table's vertical extent on a page."""
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 4]
    if not verticals:
        return None
    xs: list[float] = []
    for x in sorted(e["x0"] for e in verticals):
        if not xs or x - xs[-1] > 2:
            xs.append(x)
    top = min(e["top"] for e in verticals)
    bottom = max(e["bottom"] for e in verticals)
    return xs, top, bottom


@dataclass
class Span:
    first: int  # 1-based pages
    last: int

    def __str__(self) -> str:
        return f"p{self.first}" if self.first == self.last else f"p{self.first}→p{self.last}"


@dataclass
class PageReport:
    n_pages: int
    rows: dict[int, Span]  # plan row index -> pages its cells' text occupies
    merges: dict[int, Span]  # index into plan.merges -> pages of the merged cell's text
    missing: list[str]


def locate_rows(pdf_path: Path, plan: TablePlan) -> PageReport:
    """Find, for every task row, the pages its cell texts occupy.

    Each column of the table is read top to bottom on every page (header row removed), concatenated
    over the pages, and the cell texts are looked up in document order with a moving cursor.
    """
    header = plan.rows[0].cells
    n_cols = len(header)
    streams = ["" for _ in range(n_cols)]
    page_of: list[list[int]] = [[] for _ in range(n_cols)]  # page number per character of each stream
    with pdfplumber.open(pdf_path) as pdf:
        n_pages = len(pdf.pages)
        for pno, page in enumerate(pdf.pages, start=1):
            bounds = _column_bounds(page)
            if bounds is None or len(bounds[0]) < n_cols + 1:
                continue
            xs, top, bottom = bounds
            xs = [xs[0], *xs[-n_cols:]] if len(xs) > n_cols + 1 else xs
            for c in range(n_cols):
                crop = page.within_bbox((xs[c], top - 6, xs[c + 1], bottom))  # glyph boxes overhang
                text = _squash(crop.extract_text() or "")
                head = _squash(header[c])
                if text.startswith(head):
                    text = text[len(head) :]
                streams[c] += text
                page_of[c].extend([pno] * len(text))

    origins = {(m.r0, m.c0): i for i, m in enumerate(plan.merges)}
    covered = plan.covered()
    cursor = [0] * n_cols
    rows: dict[int, Span] = {}
    merges: dict[int, Span] = {}
    missing: list[str] = []
    for r, row in enumerate(plan.rows):
        if row.kind != "task":
            continue
        for c in range(n_cols):
            if (r, c) in covered or not row.cells[c].strip():
                continue
            needle = _squash(row.cells[c])
            idx = streams[c].find(needle, cursor[c])
            if idx < 0:
                missing.append(f"{row.section}.{row.task} col {c}: {row.cells[c][:40]!r}")
                continue
            cursor[c] = idx + len(needle)
            span = Span(page_of[c][idx], page_of[c][idx + len(needle) - 1])
            key = origins.get((r, c))
            if key is not None and plan.merges[key].r1 > plan.merges[key].r0 and c >= 2:
                merges[key] = span  # merged lead/partner/timeframe cell: not a property of one row
                continue
            old = rows.get(r)
            rows[r] = span if old is None else Span(min(old.first, span.first), max(old.last, span.last))
    return PageReport(n_pages, rows, merges, missing)


def task_spans(plan: TablePlan, report: PageReport) -> dict[tuple[str, str], Span]:
    out: dict[tuple[str, str], Span] = {}
    for r, span in report.rows.items():
        row = plan.rows[r]
        key = (row.section, row.task)
        old = out.get(key)
        out[key] = span if old is None else Span(min(old.first, span.first), max(old.last, span.last))
    return out


def describe(plan: TablePlan, report: PageReport) -> list[str]:
    lines = []
    for r, span in sorted(report.rows.items()):
        if span.first != span.last:
            row = plan.rows[r]
            part = f" (assignment {row.assignment + 1}/{row.n_assignments})" if row.n_assignments > 1 else ""
            lines.append(f"row {row.section}.{row.task}{part}: {span}")
    for (sec, task), span in task_spans(plan, report).items():
        n = next(r.n_assignments for r in plan.rows if r.section == sec and r.task == task)
        if n > 1 and span.first != span.last:
            lines.append(f"task {sec}.{task} ({n} assignments): {span}")
    for i, text_span in sorted(report.merges.items()):
        m = plan.merges[i]
        first = min([text_span.first] + [report.rows[m.r0].first] * (m.r0 in report.rows))
        last = max([text_span.last] + [report.rows[m.r1].last] * (m.r1 in report.rows))
        if first != last:
            a, b = plan.rows[m.r0], plan.rows[m.r1]
            lines.append(
                f"merged {FIELDS[m.c0 - 2]} cell {a.section}.{a.task}–{b.section}.{b.task}: "
                f"{Span(first, last)} (text {text_span})"
            )
    for miss in report.missing:
        lines.append(f"WARNING text not located: {miss}")
    return lines


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------


def split_quality(plan: TablePlan, report: PageReport, task: tuple[str, str]) -> int:
    """0: the task sits on one page; 1: it crosses a page break; 2: its assignments start on different pages."""
    rows = [r for r, row in enumerate(plan.rows) if row.kind == "task" and (row.section, row.task) == task]
    spans = [report.rows[r] for r in rows if r in report.rows]
    if len(spans) != len(rows) or not spans:
        return 0
    if len({s.first for s in spans}) > 1:
        return 2
    return 1 if max(s.last for s in spans) > spans[0].first else 0


def render(
    truth: dict[str, Any], truth_name: str, layout: Layout, conv: Converter, work: Path, out: Path
) -> tuple[Path, PageReport, TablePlan, float, float]:
    """Build and convert one variant; returns the PDF, its page report, the plan, spacer and line spacing.

    With ``layout.require_split`` the space above the table (and, if needed, the line spacing) is varied
    over ``SPLIT_SEARCH`` until the task crosses a page break between its assignment rows, so that the
    merged STT / "Nhiệm vụ" cells are cut; failing that, the first layout where a row of the task breaks
    across pages is kept.
    """
    stem = f"{truth_name}_{layout.name}"
    plan = plan_table(truth, truth_name, layout)
    target = out / f"{stem}.pdf"
    docx = work / f"{stem}.docx"
    if layout.require_split is None:
        build_docx(truth, truth_name, layout, 0.0, docx)
        pdf = conv.to_pdf(docx, work)
        report = locate_rows(pdf, plan)
        make_reproducible(pdf)
        shutil.move(str(pdf), target)
        return target, report, plan, 0.0, layout.line_spacing

    fallback: tuple[Path, PageReport, float, float] | None = None
    for spacing, spacer in SPLIT_SEARCH:
        trial = replace(layout, line_spacing=spacing)
        build_docx(truth, truth_name, trial, spacer, docx)
        pdf = conv.to_pdf(docx, work)
        report = locate_rows(pdf, plan)
        quality = split_quality(plan, report, layout.require_split)
        if quality == 2 or (quality == 1 and fallback is None):
            kept = work / f"{stem}.q{quality}.pdf"
            shutil.move(str(pdf), kept)
            fallback = (kept, report, spacer, spacing)
            if quality == 2:
                break
    if fallback is None:
        sec, task = layout.require_split
        raise RuntimeError(f"{stem}: no spacer / line spacing in the search makes {sec}.{task} cross a page")
    kept, report, spacer, spacing = fallback
    make_reproducible(kept)
    shutil.move(str(kept), target)
    return target, report, plan, spacer, spacing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="NAME", help="truth name, variant, or <truth>_<variant>")
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="output directory (default: samples/)")
    args = parser.parse_args(argv)

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("make_samples: LibreOffice 'soffice' not found on PATH; install LibreOffice first.")

    jobs = [
        (path, layout)
        for path in sorted(TRUTH_DIR.glob("*.json"))
        for layout in LAYOUTS.values()
        if args.only in (None, path.stem, layout.name, f"{path.stem}_{layout.name}")
    ]
    if not jobs:
        sys.exit(f"make_samples: nothing matches --only {args.only!r}")
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tthc-samples-") as tmp:
        work = Path(tmp)
        conv = Converter(soffice, work)
        for path, layout in jobs:
            truth = json.loads(path.read_text(encoding="utf-8"))
            pdf, report, plan, spacer, spacing = render(truth, path.stem, layout, conv, work, args.out)
            extra = f", spacer {spacer:g} pt, line spacing {spacing:g}" if layout.require_split else ""
            print(f"{pdf.name}: {report.n_pages} pages{extra}")
            lines = describe(plan, report)
            for line in lines or ["no row breaks across pages"]:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
