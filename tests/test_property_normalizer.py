"""Property test of the normalizer: lay random logical tables out over random pages, assemble them back.

Hypothesis generates sections, tasks with one to three assignments (their STT and Nhiệm vụ cells merged
vertically), cells of one to four printed lines, runs of identical lead / timeframe cells merged vertically
across tasks, and page breaks between rows or inside a row at any line. Whatever the layout, the
normalizer must give back exactly the logical table: no text lost, none duplicated, nothing attached to
the wrong task — and its own text-conservation check (normalize/conservation.py) must agree: coverage 1.0.

Layouts that carry no information to tell two readings apart are not generated: a page break falling
exactly between two assignments of one merged task (the second assignment could be the first's
continuation), and an empty optional cell (partner) opening a page beside merged lead/timeframe
fragments under a filled partner (read, as offices usually merge such runs, as merged too).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gridkit import page_table
from tthc_extract.normalize import normalize
from tthc_extract.schemas import SourceInfo

WORDS = ["Văn", "phòng", "UBND", "tỉnh", "Các", "sở,", "ban,", "ngành", "Kế", "hoạch", "TTHC", "công", "khai",
         "Thường", "xuyên", "Báo", "cáo", "năm", "2026;", "đột", "xuất", "Quyết", "định", "phê", "duyệt"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
SRC = SourceInfo(file_name="p.pdf", sha256="0" * 64, page_count=1, table_pages=[])


@dataclass
class Line:
    """One grid row of the layout: its cells (lists of printed lines) and which cells a merge covers."""

    cells: list[list[str] | None]  # None = covered by the merged cell above
    section: bool = False
    starts_task: bool = False
    first_assignment: bool = False


def cell_lines(draw, min_lines: int = 1, max_lines: int = 4) -> list[str]:
    n = draw(st.integers(min_lines, max_lines))
    return [" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))) for _ in range(n)]


@st.composite
def logical_tables(draw):
    sections = []
    for s in range(draw(st.integers(1, 3))):
        tasks = []
        for t in range(draw(st.integers(1, 4))):
            assignments = []
            for _ in range(draw(st.integers(1, 3))):
                assignments.append({
                    "result": cell_lines(draw),
                    "lead": draw(st.sampled_from([["Văn phòng Sở"], ["Các phòng", "thuộc Sở"], ["UBND tỉnh"]])),
                    "partner": draw(st.sampled_from([[], ["Văn phòng UBND", "tỉnh"], ["Các sở"]])),
                    "timeframe": draw(st.sampled_from([["Thường xuyên"], ["Trước", "31/8/2026"], ["Năm 2026"]])),
                })
            desc_max = 4 if len(assignments) == 1 else max(1, min(4, max(len(a["result"]) for a in assignments[:1])))
            tasks.append({"number": str(t + 1), "description": cell_lines(draw, 1, desc_max),
                          "assignments": assignments})
        sections.append({"number": ROMAN[s], "title": ["MỤC " + ROMAN[s]], "tasks": tasks})
    return sections


def joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def expected_rows(sections) -> list[tuple]:
    return [
        (s["number"], joined(s["title"]), t["number"], joined(t["description"]),
         *(joined(a[k]) for k in ("result", "lead", "partner", "timeframe")))
        for s in sections for t in s["tasks"] for a in t["assignments"]
    ]


def layout(sections, merge_runs: bool) -> list[Line]:
    """The grid rows of the whole table (before pagination)."""
    rows: list[Line] = []
    for s in sections:
        rows.append(Line([[s["number"]], s["title"]], section=True))
        prev: dict[str, str] = {}
        for t in s["tasks"]:
            for i, a in enumerate(t["assignments"]):
                cells: list[list[str] | None] = [[t["number"]], t["description"]] if i == 0 else [None, None]
                for k in ("result", "lead", "partner", "timeframe"):
                    same = merge_runs and k in ("lead", "timeframe") and prev.get(k) == joined(a[k])
                    cells.append(None if same else list(a[k]))
                    prev[k] = joined(a[k])
                rows.append(Line(cells, starts_task=i == 0, first_assignment=i == 0))
    return rows


def height(line: Line) -> int:
    if line.section:
        return 1
    return max([len(c) for c in line.cells if c] + [1])


def blank_beside_merge(line: Line, nxt: Line) -> bool:
    """Would ``nxt`` open a page with merged (blank) lead/timeframe fragments beside an empty partner cell
    under a filled one? The normalizer reads such a partner as merged too (see the module docstring)."""
    return (nxt.cells[3] is None or nxt.cells[5] is None) and nxt.cells[4] == [] and bool(line.cells[4])


@st.composite
def paginations(draw, rows: list[Line]):
    """Page breaks: after a row (not inside a merged task) or inside a row at a line index."""
    breaks: dict[int, int | None] = {}  # row index -> None (break after the row) or k (split after k lines)
    for r, line in enumerate(rows):
        if line.section or not draw(st.booleans()):
            continue
        nxt = rows[r + 1] if r + 1 < len(rows) else None
        h = height(line)
        options: list[int | None] = list(range(1, h))
        if nxt is not None and (nxt.section or (nxt.starts_task and not blank_beside_merge(line, nxt))):
            options.append(None)
        if options:
            breaks[r] = draw(st.sampled_from(options))
    return breaks


def paginate(rows: list[Line], breaks: dict[int, int | None]):
    """Turn the layout into gridkit pages; a merged cell crossing a break leaves a blank fragment."""
    pages: list[list[list]] = [[]]
    carried: dict[int, bool] = {}  # column -> a merged cell from the previous page continues here
    for r, line in enumerate(rows):
        if line.section:
            pages[-1].append([line.cells[0][0], (joined(line.cells[1]), 5)])
            carried.clear()
            continue
        k = breaks.get(r, "no")
        entries: list = []
        rest: list = []
        for c, cell in enumerate(line.cells):
            if cell is None:
                if carried.get(c):
                    entries.append("")  # blank fragment of a merged cell continued from the previous page
                    carried[c] = False
                else:
                    entries.append("^")
                rest.append("^")
                continue
            carried[c] = False
            if isinstance(k, int):
                entries.append("\n".join(cell[:k]))
                rest.append("\n".join(cell[k:]))
            else:
                entries.append("\n".join(cell))
        pages[-1].append(entries)
        if k == "no":
            continue
        # everything merged that is open at the break continues on the next page
        carried = {c: True for c in range(6)}
        pages.append([])
        if isinstance(k, int):
            pages[-1].append([e if e != "^" else "" for e in rest])
            carried = {}
    return [p for p in pages if p]


def run_layout(sections, merge_runs, breaks):
    rows = layout(sections, merge_runs)
    pages = paginate(rows, breaks)
    tables = [page_table(i + 1, page) for i, page in enumerate(pages)]
    return normalize(tables, SRC, "test", "0")


def got_rows(doc) -> list[tuple]:
    return [
        (s.number.text, s.title.text, t.number.text, t.description.text, a.result.text, a.lead.text, a.partner.text,
         a.timeframe.text)
        for s in doc.sections for t in s.tasks for a in t.assignments
    ]


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), sections=logical_tables(), merge_runs=st.booleans())
def test_normalizer_reassembles_any_pagination(data, sections, merge_runs):
    rows = layout(sections, merge_runs)
    breaks = data.draw(paginations(rows))
    doc = run_layout(sections, merge_runs, breaks)
    assert got_rows(doc) == expected_rows(sections)
    # text conservation: every character read is in exactly one value, nothing assigned twice
    assert doc.coverage is not None
    assert (doc.coverage.ratio, doc.coverage.unassigned, doc.coverage.assigned_twice) == (1.0, 0, 0)
    assert [w for w in doc.warnings if w.severity == "error"] == []
