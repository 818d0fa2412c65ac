"""Write a Document as JSON and as CSV (UTF-8 with BOM for Excel), atomically: temp file, then rename."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from schemas.csv_row import csv_header, csv_rows
from schemas.document import Document


def atomic_write_many(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary sibling first; rename them into place only when all are written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            os.fchmod(fd, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        staged.clear()
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_bytes(doc: Document) -> bytes:
    return (json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csv_bytes(doc: Document) -> bytes:
    buf = io.StringIO()
    header = csv_header(doc)
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(doc):
        writer.writerow({k: row.get(k, "") for k in header})
    return buf.getvalue().encode("utf-8-sig")


def write_outputs(doc: Document, out_dir: Path, stem: str) -> list[Path]:
    """Write ``<stem>.json`` and ``<stem>.csv`` into ``out_dir``; return their paths."""
    json_path, csv_path = out_dir / f"{stem}.json", out_dir / f"{stem}.csv"
    atomic_write_many([(json_path, json_bytes(doc)), (csv_path, csv_bytes(doc))])
    return [json_path, csv_path]
