"""Write a Document as JSON (full or compact) and as CSV (UTF-8 with BOM for Excel), and as an Excel workbook
when asked, atomically: temp file, then rename."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tthc_extract.schemas.csv_row import csv_header, csv_rows
from tthc_extract.schemas.document import Document

#: Suffix of the hidden files being written (``.<name>.<pid>.<random>.tthc-tmp``, beside their target, so that
#: each process has its own and the rename stays on one file system).
TMP_SUFFIX = ".tthc-tmp"
#: The shared folder of temporary files of earlier versions (raced between workers): swept, never written.
LEGACY_PARTIAL_DIR = ".tthc-partial"

#: Temporary files this process is writing (removed by ``discard_staged`` when a signal stops it).
_STAGED: set[str] = set()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _writer_pid(tmp: Path) -> int | None:
    """The pid in a temporary file's name (``.<name>.<pid>.<random>.tthc-tmp``), or None."""
    parts = tmp.name[: -len(TMP_SUFFIX)].rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def sweep_partial(out_dir: Path) -> int:
    """Remove temporary files left below ``out_dir`` by processes that no longer run (a SIGKILL); returns how
    many. Called by the main process only: before a batch starts its workers, and after they stopped."""
    if not out_dir.is_dir():
        return 0
    removed = 0
    for tmp in out_dir.rglob(f".*{TMP_SUFFIX}"):
        pid = _writer_pid(tmp)
        if pid is None or pid == os.getpid() or not _pid_alive(pid):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed += 1
    legacy = out_dir / LEGACY_PARTIAL_DIR
    if legacy.is_dir():
        for f in legacy.iterdir():
            with contextlib.suppress(OSError):
                f.unlink()
                removed += 1
        with contextlib.suppress(OSError):
            legacy.rmdir()
    return removed


def discard_staged() -> None:
    """Remove the temporary files this process is writing (from a signal handler, before exiting)."""
    for tmp in list(_STAGED):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _write_fd(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def atomic_write_many(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file under a temporary name beside it first; rename them into place only when all are
    written.

    Each temporary file is this process's own (``tempfile.mkstemp``, its pid in the name), so parallel
    writers never touch each other's. An interrupted write removes its temporary files; after a SIGKILL they
    stay hidden until the next run sweeps them. Finished outputs are never touched by a failure; an OSError
    (read-only folder, full disk) is raised as is, for the caller to classify.
    """
    files = list(files)
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX)
            staged.append((tmp, path))
            _STAGED.add(tmp)
            os.fchmod(fd, 0o666 & ~_umask())
            _write_fd(fd, data)
        for tmp, path in staged:
            os.replace(tmp, path)
            _STAGED.discard(tmp)
        staged.clear()
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            _STAGED.discard(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_bytes(doc: Document) -> bytes:
    """The Document as indented UTF-8 JSON (pydantic's serializer: the bytes ``json.dumps(..., indent=2,
    ensure_ascii=False)`` gives, about 15 times faster — Python's encoder has no C path with ``indent``). The
    serializer's own bytes (what ``model_dump_json`` decodes to a str): no str of the whole document in memory."""
    return doc.__pydantic_serializer__.to_json(doc, indent=2) + b"\n"


def csv_bytes(doc: Document) -> bytes:
    buf = io.StringIO()
    header = csv_header(doc)
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(doc):
        writer.writerow({k: row.get(k, "") for k in header})
    return buf.getvalue().encode("utf-8-sig")


#: The suffix of each output a document gets in the output folder: ``OUT/<stem><suffix>``.
SUFFIXES = {"json": ".json", "csv": ".csv", "xlsx": ".xlsx", "audit": ".audit.html"}
#: The batch's own files in the output folder.
RUN_JSON, RUN_XLSX = "run.json", "run.xlsx"


def output_path(out_dir: Path, stem: str, kind: str) -> Path:
    """Where the ``kind`` output (a key of ``SUFFIXES``) of the document ``stem`` goes: the one place that names
    output files."""
    return out_dir / f"{stem}{SUFFIXES[kind]}"


@dataclass(frozen=True)
class Formats:
    """What ``write_outputs`` writes: the JSON's form (``full``: the Document; ``compact``: tthc_extract/compact.py) and
    whether an Excel workbook goes beside it (tthc_extract/xlsx.py)."""

    json: str = "full"
    xlsx: bool = False

    def paths(self, out_dir: Path, stem: str) -> list[Path]:
        """The output files, the JSON first."""
        return [output_path(out_dir, stem, kind) for kind in ("json", "csv", *(("xlsx",) if self.xlsx else ()))]


FULL = Formats()


def write_outputs(doc: Document, out_dir: Path, stem: str, formats: Formats = FULL) -> list[Path]:
    """Write ``<stem>.json`` and ``<stem>.csv`` (and ``<stem>.xlsx`` when asked) into ``out_dir`` (``stem`` may
    name a subfolder: ``SoNoiVu/phuluc``), all or none; return their paths."""
    paths = formats.paths(out_dir, stem)
    if formats.json == "compact":
        from tthc_extract.compact import compact_json_bytes

        data = [compact_json_bytes(doc), csv_bytes(doc)]
    else:
        data = [json_bytes(doc), csv_bytes(doc)]
    if formats.xlsx:
        from tthc_extract.xlsx import xlsx_bytes

        data.append(xlsx_bytes(doc))
    atomic_write_many(zip(paths, data, strict=True))
    return paths
