"""Write a Document as JSON and as CSV (UTF-8 with BOM for Excel), atomically: temp file, then rename."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from schemas.csv_row import csv_header, csv_rows
from schemas.document import Document

#: Hidden folder (inside the output folder, so renames stay on one file system) for files being written.
PARTIAL_DIR = ".tthc-partial"


def sweep_partial(out_dir: Path) -> int:
    """Remove files a killed run left half-written; returns how many. Call before a run starts writing."""
    folder = out_dir / PARTIAL_DIR
    if not folder.is_dir():
        return 0
    removed = 0
    for f in folder.iterdir():
        with contextlib.suppress(OSError):
            f.unlink()
            removed += 1
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed


def atomic_write_many(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file under a temporary name first; rename them into place only when all are written.

    An interrupted write (Ctrl-C, SIGTERM) removes its temporary files; after a SIGKILL they stay in
    ``<out>/.tthc-partial/`` until the next run sweeps them. Finished outputs are never touched by a failure.
    """
    files = list(files)
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            folder = path.parent / PARTIAL_DIR
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{path.name}.", suffix=".tmp")
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
        for folder in {path.parent / PARTIAL_DIR for path, _ in files}:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: another worker may still be writing there


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_bytes(doc: Document) -> bytes:
    """The Document as indented UTF-8 JSON (pydantic's serializer: the bytes ``json.dumps(..., indent=2,
    ensure_ascii=False)`` gives, about 15 times faster — Python's encoder has no C path with ``indent``)."""
    return doc.model_dump_json(indent=2).encode("utf-8") + b"\n"


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
