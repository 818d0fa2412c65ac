"""Find the task table by its header and map its printed column headers to schema fields.

Issuers word and wrap headers differently ("STT"/"TT"/"ST T", "Nhiệm vụ"/"Nội dung", "Kết quả công
việc"/"Sản phẩm", "Đơn vị chủ trì"/"Cơ quan chủ trì", "Thời gian thực hiện"/"Thời hạn hoàn thành"), so
columns are mapped by their words, never by position. Columns nobody recognises are kept as extras.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from schemas.raw import PageTable

#: Field → key phrases (compared without spaces, case-folded). Checked in this order; first match wins,
#: so "Kết quả công việc" is a result before "công việc" could make it a description.
FIELD_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("result", ("kếtquả", "sảnphẩm", "hìnhthức")),
    ("lead", ("chủtrì",)),
    ("partner", ("phốihợp",)),
    ("timeframe", ("thờigian", "thờihạn", "tiếnđộ")),
    ("description", ("nhiệmvụ", "nộidung", "côngviệc", "têndự")),
)
STT_KEYS = ("stt", "tt", "sốtt", "sốthứtự")
REQUIRED = ("stt", "description", "result", "lead", "timeframe")
EXTRA = "extra"


def header_key(text: str) -> str:
    """Case-folded NFC text without whitespace: "ST T" and "STT" give the same key."""
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


def field_for(header: str) -> str:
    key = header_key(header).strip(".:")
    if key in STT_KEYS:
        return "stt"
    for field, keys in FIELD_KEYS:
        if any(k in key for k in keys):
            return field
    return EXTRA


@dataclass(frozen=True)
class HeaderMatch:
    """The header of a task table: which grid rows it occupies and what each grid column holds."""

    rows: int
    headers: tuple[str, ...]
    fields: tuple[str, ...]


def column_headers(table: PageTable, rows: int) -> list[str]:
    """The printed header text of every grid column, reading the first ``rows`` grid rows."""
    owner = table.owner()
    texts: list[str] = []
    for c in range(table.n_cols):
        seen: list[str] = []
        for r in range(min(rows, table.n_rows)):
            cell = owner[r][c]
            if cell is not None and cell.text and cell.text not in seen:
                seen.append(cell.text)
        texts.append(" ".join(seen))
    return texts


def match_header(table: PageTable) -> HeaderMatch | None:
    """The header of ``table`` if its top row(s) name the task columns, else None."""
    for rows in (1, 2):
        if table.n_rows <= rows:
            break
        headers = column_headers(table, rows)
        fields = [field_for(h) if h else EXTRA for h in headers]
        if all(f in fields for f in REQUIRED):
            named = [f for f in fields if f != EXTRA]
            if len(named) == len(set(named)):
                return HeaderMatch(rows=rows, headers=tuple(headers), fields=tuple(fields))
    return None


def is_repeated_header(table: PageTable, header: HeaderMatch) -> bool:
    """True when the top row(s) of a continuation page repeat the header."""
    if table.n_rows <= header.rows:
        return False
    return [header_key(h) for h in column_headers(table, header.rows)] == [
        header_key(h) for h in header.headers
    ]


def same_columns(a: PageTable, b: PageTable, tol: float = 4.0) -> bool:
    """True when two page tables have the same column grid (a table continuing on the next page)."""
    if a.n_cols != b.n_cols:
        return False
    edges_a = column_edges(a)
    edges_b = column_edges(b)
    return all(abs(x - y) <= tol for x, y in zip(edges_a, edges_b, strict=True))


def column_edges(table: PageTable) -> list[float]:
    edges = [0.0] * (table.n_cols + 1)
    for cell in table.cells:
        if cell.col_span == 1:
            edges[cell.col] = cell.box.x0
            edges[cell.col + 1] = cell.box.x1
    return edges
