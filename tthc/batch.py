"""Run many PDFs: expand folders, skip unchanged inputs, run files in a process pool, write a run report.

One bad file never stops the batch: each failure is recorded with its one-line reason. With several workers,
files start longest first (so that the last to start is a short one), and a file longer than its fair share of
the batch (a 100-page appendix among a few short ones, or alone) is shared out page by page: the workers read
runs of its pages with the engine while this process reads the first run, then normalizes and writes it.
"""

from __future__ import annotations

import json
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from schemas.document import SCHEMA_VERSION
from schemas.raw import PageTable
from schemas.review import Review
from tthc.errors import InputError
from tthc.runner import engine_tables, extract_document, page_count_of, sha256_of, split_pages
from tthc.writers import atomic_write_many, sweep_partial, write_outputs


@dataclass
class FileResult:
    path: str
    status: str  # "done", "skipped", "failed"
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    error_kind: str = ""
    code: int = 0
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    traceback: str = ""


def expand_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, folders searched recursively for *.pdf (case-insensitive), in a stable order."""
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def output_stem(path: Path) -> str:
    return path.stem


def is_unchanged(path: Path, out_dir: Path, engine: str) -> bool:
    """True when ``out_dir`` already holds outputs made from a file with the same sha256, by the same engine,
    in the current schema version (a newer tthc-extract re-extracts outputs of an older schema)."""
    json_path = out_dir / f"{output_stem(path)}.json"
    csv_path = out_dir / f"{output_stem(path)}.csv"
    if not (json_path.exists() and csv_path.exists()):
        return False
    try:
        old = json.loads(json_path.read_text(encoding="utf-8"))
        # a scanned file's output names the OCR engine too ("ocr", "pdfplumber+ocr")
        same = old["schema_version"] == SCHEMA_VERSION and old["engine"] in (engine, "ocr", f"{engine}+ocr")
        return same and old["source"]["sha256"] == sha256_of(path)
    except (OSError, ValueError, KeyError, TypeError):
        return False


#: A file is shared out page by page only from this length on (below it, the processes' overhead dominates).
SPLIT_MIN_PAGES = 16


def run_one(path: str, out_dir: str, engine: str, password: str | None, debug: bool,
            read_tables: Callable[[], list[PageTable]] | None = None, review: Review | None = None) -> FileResult:
    """Extract one file and write its outputs (runs in a worker process, or in this one for a shared-out file
    whose tables ``read_tables`` gathers); with ``review``, the review is applied before writing."""
    start = time.perf_counter()
    p = Path(path)
    try:
        if not p.exists():
            raise InputError("no such file")
        doc = extract_document(p, engine=engine, password=password, read_tables=read_tables)
        if review is not None:
            from tthc.review import apply_review

            doc = apply_review(doc, review)
        outputs = write_outputs(doc, Path(out_dir), output_stem(p))
        return FileResult(path, "done", [str(o) for o in outputs], pages=doc.source.page_count,
                          counts=doc.counts(), seconds=time.perf_counter() - start)
    except InputError as e:
        return FileResult(path, "failed", error=e.message, error_kind=e.kind, code=e.code,
                          seconds=time.perf_counter() - start, traceback=traceback.format_exc() if debug else "")
    except Exception as e:  # an unexpected failure is a bug, but still must not stop the batch
        return FileResult(path, "failed", error=f"internal error: {type(e).__name__}: {e}", error_kind="internal",
                          code=1, seconds=time.perf_counter() - start, traceback=traceback.format_exc())


def _gather(engine: str, path: str, password: str | None, own: list[int], others: list[Future]
            ) -> list[PageTable]:
    """The tables of a shared-out file: its first run of pages read here, then the workers' runs, in order."""
    tables = engine_tables(engine, path, password, own)
    for fut in others:
        tables.extend(fut.result())
    return tables


def run_batch(
    files: list[Path],
    out_dir: Path,
    *,
    engine: str,
    password: str | None = None,
    workers: int = 1,
    force: bool = False,
    debug: bool = False,
    on_result: Callable[[FileResult], None] = lambda r: None,
    review: Review | None = None,
) -> list[FileResult]:
    """Extract every file; results come back in input order. ``on_result`` is called as each finishes.

    ``review`` (one file only; implies ``force``) is applied to the file's Document before it is written."""
    if review is not None:
        if len(files) != 1:
            raise ValueError("a review applies to one PDF")
        force = True
    sweep_partial(out_dir)
    results: dict[int, FileResult] = {}
    todo: list[tuple[int, Path]] = []
    for i, path in enumerate(files):
        if not force and path.is_file() and is_unchanged(path, out_dir, engine):
            results[i] = FileResult(str(path), "skipped",
                                    error="unchanged since the last run (same file, engine, schema; use --force)")
            on_result(results[i])
        else:
            todo.append((i, path))
    pages = {i: page_count_of(path, password) for i, path in todo} if workers > 1 else {}
    total = sum(pages.values())
    # longest first; a file longer than a worker's fair share of the batch is shared out page by page
    todo.sort(key=lambda item: -pages.get(item[0], 0))
    shared = [(i, path) for i, path in todo
              if engine != "ocr" and pages.get(i, 0) >= SPLIT_MIN_PAGES and pages[i] * workers > total]
    if workers <= 1 or (len(todo) <= 1 and not shared):
        for i, path in todo:
            results[i] = run_one(str(path), str(out_dir), engine, password, debug, review=review)
            on_result(results[i])
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=exit_on_sigterm) as pool:
            # the page runs of shared-out files go first in the pool's queue, whole files after them
            runs: dict[int, tuple[list[int], list[Future]]] = {}
            for i, path in shared:
                own, *others = split_pages(pages[i], workers)
                runs[i] = own, [pool.submit(engine_tables, engine, str(path), password, r) for r in others]
            pending: dict[Future, int] = {
                pool.submit(run_one, str(path), str(out_dir), engine, password, debug): i
                for i, path in todo if i not in runs
            }
            for i, path in shared:
                results[i] = run_one(str(path), str(out_dir), engine, password, debug,
                                     read_tables=partial(_gather, engine, str(path), password, *runs[i]),
                                     review=review)
                on_result(results[i])
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    results[i] = fut.result()
                    on_result(results[i])
    return [results[i] for i in range(len(files))]


def write_run_report(results: list[FileResult], out_dir: Path, engine: str, seconds: float) -> Path:
    summary = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    report = {
        "engine": engine,
        "seconds": round(seconds, 3),
        "summary": summary,
        "files": [{k: v for k, v in asdict(r).items() if v not in ("", [], {}, 0) or k == "status"}
                  for r in results],
    }
    path = out_dir / "run.json"
    atomic_write_many([(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))])
    return path


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so that pending writes clean up their temporary files."""

    def handler(signum, frame):  # noqa: ARG001
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
