"""Find the task table by its header and map its printed column headers to schema fields.

Issuers word and wrap headers differently ("STT"/"TT"/"ST T", "Nhiệm vụ"/"Nội dung", "Kết quả công
việc"/"Sản phẩm", "Đơn vị chủ trì"/"Cơ quan chủ trì", "Thời gian thực hiện"/"Thời hạn hoàn thành"), so
columns are mapped by their words, never by position. Columns nobody recognises are kept as extras.

The header is a band of one to three rows: group cells ("Đơn vị thực hiện") over leaf cells ("Chủ trì |
Phối hợp"), the other cells merged down over the band, each leaf column named by its whole path; a row of
column numbers ("(1) (2) …") may follow. A task table needs a description column and at least one of the
result, lead, partner and timeframe columns; the STT and the others may be absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tthc_extract.normalize.settings import DEFAULT_SETTINGS, NormalizeSettings
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, TASK_FIELDS, Field
from tthc_extract.schemas.raw import PageTable
from tthc_extract.schemas.text import squeeze

#: Field → key phrases (compared without spaces, case-folded). Checked in this order; first match wins,
#: so "Kết quả công việc" is a result before "công việc" could make it a description.
FIELD_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Field.RESULT, ("kếtquả", "sảnphẩm", "hìnhthức")),
    (Field.LEAD, ("chủtrì",)),
    (Field.PARTNER, ("phốihợp",)),
    (Field.TIMEFRAME, ("thờigian", "thờihạn", "tiếnđộ")),
    (Field.DESCRIPTION, ("nhiệmvụ", "nộidung", "côngviệc", "têndự")),
)
STT_KEYS = ("stt", "tt", "sốtt", "sốthứtự")
#: The fields of an assignment row; a task table has a description column and at least one of these.
EXTRA = "extra"
#: A header band has at most this many rows (a group row, the leaf row, a wrapped third row).
#: A cell of a column-number row under the header: "(1)", "1", "1.", "( 2 )".
NUMBER_CELL = re.compile(r"^\(?\s*(\d{1,2})\s*\)?\.?$")


def header_key(text: str) -> str:
    """Case-folded NFC text without whitespace: "ST T" and "STT" give the same key."""
    return squeeze(text)


def is_combined(header: str) -> bool:
    """A column whose header names both the lead and the partner ("Đơn vị chủ trì/phối hợp")."""
    key = header_key(header)
    return "chủtrì" in key and "phốihợp" in key


def field_for(header: str) -> str:
    """The field a printed header names; punctuation is ignored ("'STT", "TT.", an OCR's stray quote)."""
    key = "".join(ch for ch in header_key(header) if ch.isalnum())
    if key in STT_KEYS:
        return Field.STT
    if is_combined(header):
        return Field.LEAD  # printed as one text; the column is marked combined
    for field, keys in FIELD_KEYS:
        if any(k in key for k in keys):
            return field
    return EXTRA


@dataclass(frozen=True)
class HeaderMatch:
    """The header of a task table: which grid rows it occupies and what each grid column holds.

    ``rows`` counts every row of the header band, the column-number row included (``number_row``);
    ``headers`` is each column's whole printed path ("Đơn vị thực hiện / Chủ trì")."""

    rows: int
    headers: tuple[str, ...]
    fields: tuple[str, ...]
    number_row: bool = False

    @property
    def combined(self) -> tuple[int, ...]:
        """The columns that hold the lead and the partner together."""
        return tuple(i for i, h in enumerate(self.headers) if self.fields[i] == Field.LEAD and is_combined(h))

    def present(self) -> set[str]:
        """The fields this table has a column for (a combined lead/partner column holds the partner too)."""
        return set(self.fields) | ({Field.PARTNER} if self.combined else set())

    def missing(self) -> list[str]:
        """The task fields this table has no column for."""
        present = self.present()
        return [f for f in (*TASK_FIELDS, *ASSIGNMENT_FIELDS) if f not in present]


def column_headers(table: PageTable, rows: int, start: int = 0) -> list[str]:
    """The printed header path of every grid column, reading grid rows ``start`` … ``rows - 1``: the texts of
    the distinct cells above each other, joined with " / " (a group cell over its leaf cells)."""
    owner = table.owner()
    texts: list[str] = []
    for c in range(table.n_cols):
        seen: list[str] = []
        for r in range(start, min(rows, table.n_rows)):
            cell = owner[r][c]
            if cell is not None and cell.text and cell.text not in seen:
                seen.append(cell.text)
        texts.append(" / ".join(seen))
    return texts


def is_task_header(fields: list[str]) -> bool:
    """A task table names a description and at least one assignment field, each field in one column."""
    named = [f for f in fields if f != EXTRA]
    return (len(named) == len(set(named)) and Field.DESCRIPTION in named
            and any(f in named for f in ASSIGNMENT_FIELDS))


def _score(fields: list[str]) -> int:
    return sum(f != EXTRA for f in fields)


def is_number_row(table: PageTable, row: int) -> bool:
    """Is grid row ``row`` a row of column numbers ("(1) (2) (3) …" or "1 2 3 …"), increasing left to right?"""
    if row >= table.n_rows:
        return False
    cells = [c for c in table.cells if c.row == row]
    numbers = [int(m.group(1)) for c in cells if (m := NUMBER_CELL.match(c.text.strip()))]
    # most cells (a repeated header's clipped text may overprint one), increasing from 1
    return (len(numbers) >= max(2, (len(cells) + 1) // 2) and numbers == sorted(set(numbers))
            and numbers[0] <= 1 and numbers[-1] <= len(cells))


def match_header(table: PageTable, settings: NormalizeSettings = DEFAULT_SETTINGS) -> HeaderMatch | None:
    """The header of ``table`` if its top rows name the task columns, else None.

    The header band is the one to three top rows that name the most columns (fewer rows on a tie: a data
    row read into the header names nothing new), followed by an optional column-number row."""
    best: tuple[int, int, list[str], list[str]] | None = None
    for rows in range(1, settings.max_header_rows + 1):
        if table.n_rows <= rows:
            break
        headers = column_headers(table, rows)
        fields = [field_for(h) if h else EXTRA for h in headers]
        if is_task_header(fields) and (best is None or _score(fields) > best[0]):
            best = (_score(fields), rows, headers, fields)
    if best is None:
        return None
    _, rows, headers, fields = best
    numbered = is_number_row(table, rows)
    return HeaderMatch(rows=rows + numbered, headers=tuple(headers), fields=tuple(fields), number_row=numbered)


def describe_candidate(table: PageTable, settings: NormalizeSettings = DEFAULT_SETTINGS) -> str:
    """Why a table is not a task table: its page, its header as printed and what it lacks."""
    fields: list[str] = []
    headers: list[str] = []
    for rows in range(1, min(settings.max_header_rows, table.n_rows) + 1):
        h = column_headers(table, rows)
        f = [field_for(x) if x else EXTRA for x in h]
        if not fields or _score(f) > _score(fields):
            fields, headers = f, h
    named = [f for f in fields if f != EXTRA]
    if Field.DESCRIPTION not in named:
        lacks = "no description column (Nhiệm vụ / Nội dung)"
    elif not any(f in named for f in ASSIGNMENT_FIELDS):
        lacks = "no result, lead, partner or timeframe column"
    else:
        twice = sorted({f for f in named if named.count(f) > 1})
        lacks = f"two columns for {', '.join(twice)}"
    printed = " | ".join(h for h in headers if h) or "(no text in its first rows)"
    return f"page {table.page}: {printed} — {lacks}"


def is_repeated_header(table: PageTable, header: HeaderMatch) -> bool:
    """True when the top row(s) of a continuation page repeat the header (and its column-number row)."""
    if table.n_rows <= header.rows:
        return False
    names = header.rows - header.number_row
    printed = column_headers(table, names)
    # as printed on the first page, or naming the same field in every column (a word processor may clip a
    # repeated header's text: "Thời gian thực hiện" shows as "Thời gian")
    same = ([header_key(h) for h in printed] == [header_key(h) for h in header.headers]
            or [field_for(h) if h else EXTRA for h in printed] == list(header.fields))
    return same and (not header.number_row or is_number_row(table, names))


def number_row_only(table: PageTable, header: HeaderMatch) -> bool:
    """True when a continuation page repeats only the column-number row."""
    return header.number_row and is_number_row(table, 0)


def same_columns(a: PageTable, b: PageTable, settings: NormalizeSettings = DEFAULT_SETTINGS) -> bool:
    """True when two page tables have the same column grid (a table continuing on the next page): the same
    number of columns, their rules at the same places relative to each table's outline (within
    ``settings.same_columns_share`` of its width, never closer than ``settings.same_columns_pt``)."""
    if a.n_cols != b.n_cols:
        return False
    edges_a, edges_b = column_edges(a), column_edges(b)
    width_a, width_b = edges_a[-1] - edges_a[0], edges_b[-1] - edges_b[0]
    if width_a <= 0 or width_b <= 0:
        return False
    tol = max(settings.same_columns_share, settings.same_columns_pt / max(width_a, width_b))
    return all(abs((x - edges_a[0]) / width_a - (y - edges_b[0]) / width_b) <= tol
               for x, y in zip(edges_a, edges_b, strict=True))


def column_edges(table: PageTable) -> list[float]:
    edges = [0.0] * (table.n_cols + 1)
    for cell in table.cells:
        if cell.col_span == 1:
            edges[cell.col] = cell.box.x0
            edges[cell.col + 1] = cell.box.x1
    return edges
