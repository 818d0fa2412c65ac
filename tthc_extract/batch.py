"""Run many PDFs: expand folders, skip unchanged inputs, run files in a process pool, write a run report.

One bad file never stops the batch: each failure is recorded with its one-line reason. With several workers,
files start longest first (so that the last to start is a short one), and a file longer than its fair share of
the batch (a 100-page appendix among a few short ones, or alone) is shared out page by page: the workers read
runs of its pages with the engine while this process reads the first run, then normalizes and writes it.

Where outputs go: a file given directly writes ``OUT/<name>.json``; a PDF found in a folder given writes
``OUT/<its subfolders below that folder>/<name>.json``. Two inputs that would still write the same output
(the same name in two folders given, or given directly; ``x.pdf`` and ``X.PDF``; an input named ``run.pdf``,
whose JSON would be the run report) are refused before any work (``OutputCollision``, exit code 20).

SIGINT and SIGTERM (``stop_on_signals``) stop a batch: pending files are cancelled, the workers terminated
(their temporary files removed), and ``Interrupted`` carries the results: what was done, and ``interrupted``
for the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tthc_extract.errors import INTERRUPTED, OutputCollision, ToolError, write_error
from tthc_extract.runner import engine_tables, extract_document, page_count_of, sha256_of, split_pages
from tthc_extract.schemas.document import SCHEMA_VERSION
from tthc_extract.schemas.raw import PageTable
from tthc_extract.writers import (
    FULL,
    RUN_JSON,
    Formats,
    atomic_write_many,
    discard_staged,
    sweep_partial,
    write_outputs,
)

if TYPE_CHECKING:  # imported when used: the process pool (multiprocessing) only with several workers
    from concurrent.futures import ProcessPoolExecutor

    from tthc_extract.schemas.review import Review

#: The batch report's name in the output folder (no input may write an output of that name).
RUN_REPORT = RUN_JSON


class Status(StrEnum):
    """What became of one input (a plain string in run.json)."""

    DONE = "done"  # extracted, every character read accounted for
    SUSPECT = "suspect"  # extracted, but some text of the PDF is in no value, or in two (an error warning)
    SKIPPED = "skipped"  # unchanged since its outputs were made
    FAILED = "failed"
    INTERRUPTED = "interrupted"


STATUSES = tuple(Status)
SEVERITIES = ("error", "warning", "info")


@dataclass
class FileResult:
    path: str
    status: Status
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    error_kind: str = ""
    code: int = 0
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    traceback: str = ""
    stem: str = ""  # the outputs' path below the output folder, without suffix ("SoNoiVu/phuluc")
    coverage: float | None = None  # characters read that are in a value or page furniture (Document.coverage)
    warnings: dict[str, int] = field(default_factory=dict)  # the document's warnings by severity
    first_error: str = ""  # the first error-severity warning of a suspect file


@dataclass(frozen=True)
class Input:
    """An input PDF and where its outputs go: ``OUT/<stem>.json`` and ``OUT/<stem>.csv``."""

    path: Path
    stem: str


class Interrupted(BaseException):
    """A batch stopped by a signal (raised in the main process by ``stop_on_signals``); ``results`` are every
    input's result, ``interrupted`` for those not finished."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.results: list[FileResult] = []

    @property
    def exit_code(self) -> int:
        return INTERRUPTED.get(self.signum, 128 + self.signum)


def expand_inputs(inputs: Iterable[Path]) -> list[Input]:
    """Files as given, folders searched recursively for *.pdf (case-insensitive), in a stable order, each with
    its output stem; raises ``OutputCollision`` when two would write the same output."""
    out: list[Input] = []
    for p in inputs:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
            out.extend(Input(q, q.relative_to(p).with_suffix("").as_posix()) for q in found)
        else:
            out.append(Input(p, p.stem))
    seen: set[Path] = set()
    unique = []
    for i in out:
        if i.path.resolve() not in seen:
            seen.add(i.path.resolve())
            unique.append(i)
    check_collisions(unique)
    return unique


def check_collisions(inputs: Sequence[Input]) -> None:
    """Refuse inputs that would write the same output (compared case-insensitively, as on macOS and Windows
    file systems), or the run report."""
    taken: dict[str, Input] = {Path(RUN_REPORT).stem: Input(Path(RUN_REPORT), "")}
    for inp in inputs:
        other = taken.setdefault(inp.stem.casefold(), inp)
        if other is inp:
            continue
        if not other.stem:
            raise OutputCollision(f"{inp.path} would write its output over the run report {RUN_REPORT}: "
                                  "rename it, or give the folder that holds it")
        raise OutputCollision(f"{other.path} and {inp.path} would both write {inp.stem}.json: give the folder "
                              "that holds both (outputs then mirror its subfolders), or extract them with another -o")


def as_input(file: Path | Input) -> Input:
    return file if isinstance(file, Input) else Input(Path(file), Path(file).stem)


def output_paths(out_dir: Path, stem: str, formats: Formats = FULL) -> list[Path]:
    return formats.paths(out_dir, stem)


def is_unchanged(path: Path, out_dir: Path, engine: str, stem: str | None = None, formats: Formats = FULL) -> bool:
    """True when ``out_dir`` already holds outputs (``<stem>.json``, default the file's name; every file
    ``formats`` asks for, the JSON in its form) made from a file with the same sha256, by the same engine, in the
    current schema version (a newer tthc-extract re-extracts outputs of an older schema)."""
    paths = output_paths(out_dir, stem or path.stem, formats)
    json_path = paths[0]
    if not all(p.exists() for p in paths):
        return False
    try:
        old = json.loads(json_path.read_text(encoding="utf-8"))
        if (old.get("format") == "tthc-compact/1") != (formats.json == "compact") or "document_id" not in old:
            return False
        # a scanned file's output names the OCR engine too ("ocr", "pdfplumber+ocr")
        same = old["schema_version"] == SCHEMA_VERSION and old["engine"] in (engine, "ocr", f"{engine}+ocr")
        return same and old["source"]["sha256"] == sha256_of(path)
    except (OSError, ValueError, KeyError, TypeError):
        return False


#: A file is shared out page by page only from this length on (below it, the processes' overhead dominates).
SPLIT_MIN_PAGES = 16


def run_one(path: str, stem: str, out_dir: str, engine: str, password: str | None, debug: bool,
            read_tables: Callable[[], list[PageTable]] | None = None, review: Review | None = None,
            formats: Formats = FULL) -> FileResult:
    """Extract one file and write its outputs (runs in a worker process, or in this one for a shared-out file
    whose tables ``read_tables`` gathers)."""
    start = time.perf_counter()
    try:
        doc = extract_document(Path(path), engine=engine, password=password, read_tables=read_tables)
        if review is not None:
            from tthc_extract.review import apply_review

            doc = apply_review(doc, review)
        try:
            outputs = write_outputs(doc, Path(out_dir), stem, formats)
        except OSError as e:
            raise write_error(e, Path(out_dir) / stem) from e
        by_severity = {sev: sum(w.severity == sev for w in doc.warnings) for sev in SEVERITIES}
        errors = [w.message for w in doc.warnings if w.severity == "error"]
        return FileResult(path, Status.SUSPECT if errors else Status.DONE, [str(o) for o in outputs],
                          pages=doc.source.page_count, counts=doc.counts(), seconds=time.perf_counter() - start,
                          stem=stem, coverage=doc.coverage.ratio if doc.coverage else None,
                          warnings={k: v for k, v in by_severity.items() if v}, first_error=errors[0] if errors else "")
    except ToolError as e:
        return FileResult(path, Status.FAILED, error=e.message, error_kind=e.kind, code=e.code, stem=stem,
                          seconds=time.perf_counter() - start, traceback=traceback.format_exc() if debug else "")
    except Exception as e:  # an unexpected failure is a bug, but still must not stop the batch
        return FileResult(path, Status.FAILED, error=f"internal error: {type(e).__name__}: {e}", error_kind="internal",
                          code=1, seconds=time.perf_counter() - start, traceback=traceback.format_exc(),
                          stem=stem)


def _gather(engine: str, path: str, password: str | None, own: list[int], others: list[Future]
            ) -> list[PageTable]:
    """The tables of a shared-out file: its first run of pages read here, then the workers' runs, in order."""
    tables = engine_tables(engine, path, password, own)
    for fut in others:
        tables.extend(fut.result())
    return tables


@dataclass
class _Plan:
    """What a batch runs: the inputs to extract, longest first, and the ones shared out page by page."""

    todo: list[tuple[int, Input]]
    pages: dict[int, int]
    shared: list[tuple[int, Input]]


def _plan(inputs: list[Input], out_dir: Path, engine: str, password: str | None, workers: int, force: bool,
          results: dict[int, FileResult], on_result: Callable[[FileResult], None], formats: Formats = FULL,
          split_min_pages: int = SPLIT_MIN_PAGES) -> _Plan:
    """Record the unchanged inputs as skipped; order the others longest first and pick those shared out."""
    todo: list[tuple[int, Input]] = []
    for i, inp in enumerate(inputs):
        if not force and inp.path.is_file() and is_unchanged(inp.path, out_dir, engine, inp.stem, formats):
            results[i] = FileResult(str(inp.path), Status.SKIPPED,
                                    [str(p) for p in output_paths(out_dir, inp.stem, formats)],
                                    error="unchanged since the last run (same file, engine, schema; use --force)",
                                    stem=inp.stem)
            on_result(results[i])
        else:
            todo.append((i, inp))
    pages = {i: page_count_of(inp.path, password) for i, inp in todo} if workers > 1 else {}
    total = sum(pages.values())
    # longest first; a file longer than a worker's fair share of the batch is shared out page by page
    todo.sort(key=lambda item: -pages.get(item[0], 0))
    shared = [(i, inp) for i, inp in todo
              if engine != "ocr" and pages.get(i, 0) >= split_min_pages and pages[i] * workers > total]
    return _Plan(todo, pages, shared)


def run_batch(
    files: Sequence[Path | Input],
    out_dir: Path,
    *,
    engine: str,
    password: str | None = None,
    workers: int = 1,
    force: bool = False,
    debug: bool = False,
    on_result: Callable[[FileResult], None] = lambda r: None,
    review: Review | None = None,
    formats: Formats = FULL,
    split_min_pages: int = SPLIT_MIN_PAGES,
) -> list[FileResult]:
    """Extract every file; results come back in input order. ``on_result`` is called as each finishes.

    ``files`` are paths (outputs named after the file) or ``Input``s from ``expand_inputs``. A signal
    (``stop_on_signals``) or Ctrl-C raises ``Interrupted`` with every input's result once the workers stopped.
    ``review`` (one file only; implies ``force``) is applied to the file's Document before it is written.
    ``formats``: the JSON's form and the workbook (``tthc.writers.Formats``). ``split_min_pages``: a file is
    shared out page by page only from this length on.
    """
    if review is not None:
        if len(files) != 1:
            raise ValueError("a review applies to one PDF")
        force = True
    inputs = [as_input(f) for f in files]
    sweep_partial(out_dir)  # here only, before the workers start: they never remove a file they did not write
    results: dict[int, FileResult] = {}
    try:
        plan = _plan(inputs, out_dir, engine, password, workers, force, results, on_result, formats,
                     split_min_pages)
        one = partial(run_one, out_dir=str(out_dir), engine=engine, password=password, debug=debug, review=review,
                      formats=formats)
        if workers <= 1 or (len(plan.todo) <= 1 and not plan.shared):
            for i, inp in plan.todo:
                results[i] = one(str(inp.path), inp.stem)
                on_result(results[i])
        else:
            _run_pool(plan, one, engine, password, workers, results, on_result)
    except (Interrupted, KeyboardInterrupt) as e:
        stop = e if isinstance(e, Interrupted) else Interrupted(signal.SIGINT)
        sweep_partial(out_dir)  # the workers are gone: what they were writing is removed
        stop.results = [results.get(i) or _interrupted(inp, stop) for i, inp in enumerate(inputs)]
        raise stop from None
    return [results[i] for i in range(len(inputs))]


def _interrupted(inp: Input, stop: Interrupted) -> FileResult:
    return FileResult(str(inp.path), Status.INTERRUPTED, error=f"not finished: the batch was stopped by {stop}",
                      error_kind="interrupted", code=stop.exit_code, stem=inp.stem)


def _run_pool(plan: _Plan, one: Callable[..., FileResult], engine: str, password: str | None, workers: int,
              results: dict[int, FileResult], on_result: Callable[[FileResult], None]) -> None:
    """Run the plan in a pool of ``workers`` processes (this one reading the first run of shared-out files)."""
    from concurrent.futures import ProcessPoolExecutor

    splits = {i: split_pages(plan.pages[i], workers) for i, _ in plan.shared}
    # no more processes than tasks: one file shared out by 2 workers is 1 run in the pool, 1 read here
    tasks = sum(len(runs) - 1 for runs in splits.values()) + len(plan.todo) - len(splits)
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, tasks)), initializer=worker_init)
    pending: dict[Future, int] = {}
    try:
        # the page runs of shared-out files go first in the pool's queue, whole files after them
        runs: dict[int, tuple[list[int], list[Future]]] = {}
        for i, inp in plan.shared:
            own, *others = splits[i]
            runs[i] = own, [pool.submit(engine_tables, engine, str(inp.path), password, r) for r in others]
        pending.update({pool.submit(one, str(inp.path), inp.stem): i for i, inp in plan.todo if i not in runs})
        for i, inp in plan.shared:
            results[i] = one(str(inp.path), inp.stem,
                             read_tables=partial(_gather, engine, str(inp.path), password, *runs[i]))
            on_result(results[i])
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i = pending.pop(fut)
                results[i] = _result_of(fut, dict(plan.todo)[i])
                on_result(results[i])
    except BaseException:
        stop_pool(pool)
        _harvest(pending, results)
        raise
    pool.shutdown()


def _result_of(fut: Future, inp: Input) -> FileResult:
    """A worker's result; a worker that died (killed by the system, out of memory) fails its file in one line."""
    try:
        return fut.result()
    except Exception as e:  # BrokenProcessPool: every file still queued fails the same way
        first = str(e).splitlines()[0] if str(e) else ""
        return FileResult(str(inp.path), Status.FAILED, error=f"internal error: {type(e).__name__}: {first}",
                          error_kind="internal", code=1, stem=inp.stem)


def _harvest(pending: dict[Future, int], results: dict[int, FileResult]) -> None:
    """Keep the results of files that finished while the batch was being stopped."""
    for fut, i in pending.items():
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            results.setdefault(i, fut.result())


def stop_pool(pool: ProcessPoolExecutor, grace: float = 1.0) -> None:
    """Cancel the pool's pending work and end its processes now: SIGTERM (a worker removes its temporary files
    and exits), then SIGKILL for any still running after ``grace`` seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public handle before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(OSError, ValueError):
            p.terminate()
    deadline = time.monotonic() + grace
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join()


def warning_totals(results: list[FileResult]) -> dict[str, int]:
    """The warnings of every extracted document, by severity."""
    return {sev: sum(r.warnings.get(sev, 0) for r in results) for sev in SEVERITIES}


def write_run_report(results: list[FileResult], out_dir: Path, engine: str, seconds: float,
                     stopped_by: str = "") -> Path:
    """Write ``OUT/run.json``: the counts by status and every input's result (``stopped_by`` the signal)."""
    summary = {s.value: sum(r.status == s for r in results) for s in STATUSES}
    report = {
        "engine": engine,
        "seconds": round(seconds, 3),
        "summary": summary,
        "warnings": warning_totals(results),
        "files": [{k: v for k, v in asdict(r).items()
                   if (v not in ("", [], {}, 0, None) or k == "status") and k != "stem"} for r in results],
    }
    if stopped_by:
        report["stopped_by"] = stopped_by
    path = out_dir / RUN_REPORT
    atomic_write_many([(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))])
    return path


def worker_init() -> None:
    """In each worker: Ctrl-C is the main process's to handle; SIGTERM (from ``stop_pool``) removes the
    temporary files being written and exits at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)


def _exit_now(signum: int, frame: object) -> None:  # noqa: ARG001
    discard_staged()
    os._exit(128 + signum)


class SignalGuard:
    """SIGINT and SIGTERM in the main process: while ``raising``, the first raises ``Interrupted`` (a second one,
    while stopping, is only noted); after ``hold()`` they are only noted in ``received``, so that the report is
    written whole."""

    def __init__(self) -> None:
        self.main_pid = os.getpid()
        self.received: int | None = None
        self.raising = True

    def handler(self, signum: int, frame: object) -> None:
        if os.getpid() != self.main_pid:  # a worker forked before its initializer ran
            _exit_now(signum, frame)
        if self.received is not None:
            return
        self.received = signum
        if self.raising:
            raise Interrupted(signum)

    def hold(self) -> None:
        self.raising = False


@contextlib.contextmanager
def stop_on_signals() -> Iterator[SignalGuard]:
    """Handle SIGINT and SIGTERM with a ``SignalGuard`` inside the block; the previous handlers come back after."""
    guard = SignalGuard()
    previous = {s: signal.signal(s, guard.handler) for s in INTERRUPTED}
    try:
        yield guard
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
