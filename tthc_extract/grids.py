"""Write raw page grids (before normalization): a CSV per table and one JSON with every cell's box."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tthc_extract.schemas.raw import PageTable
from tthc_extract.writers import atomic_write_many


def grid_csv(table: PageTable) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in table.grid():
        writer.writerow(["" if cell is None else "\n".join(ln.text for ln in cell.lines) for cell in row])
    return buf.getvalue().encode("utf-8-sig")


def write_grids(tables: list[PageTable], out_dir: Path) -> list[Path]:
    files: list[tuple[Path, bytes]] = []
    per_page: dict[int, int] = {}
    for t in tables:
        per_page[t.page] = per_page.get(t.page, 0) + 1
    for t in tables:
        name = f"page-{t.page}.csv" if per_page[t.page] == 1 else f"page-{t.page}-{t.index + 1}.csv"
        files.append((out_dir / name, grid_csv(t)))
    data = [t.model_dump(mode="json") for t in tables]
    files.append((out_dir / "tables.json", (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")))
    atomic_write_many(files)
    return [p for p, _ in files]
