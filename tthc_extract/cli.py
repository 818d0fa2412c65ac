"""The ``tthc`` command line: extract appendix task tables, evaluate against truth, print the schema."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from tthc_extract.errors import SOME_FAILED, SOME_SUSPECT, DatabaseError, MissingInput, ToolError, write_error
from tthc_extract.extract import DEFAULT_ENGINE, ENGINES
from tthc_extract.i18n import LANGUAGES, I18nGroup, tr

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tthc_extract.batch import FileResult, Input, Interrupted, SignalGuard
    from tthc_extract.schemas.review import Review
    from tthc_extract.writers import Formats

ENGINE_HELP = "Extraction engine: " + "; ".join(f"{e.name} — {e.summary}" for e in ENGINES.values())


def _set_lang(ctx: click.Context, param: click.Parameter, lang: str | None) -> str | None:
    from tthc_extract.i18n import setup

    if lang:
        setup(lang)
    return lang


@click.group(cls=I18nGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="tthc-extract")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
              callback=_set_lang,
              help="Language of messages and help: en or vi [default: vi when LC_ALL, LC_MESSAGES or LANG is vi_*, "
                   "else en].")
def main() -> None:
    """Turn the task-table appendices ("Phụ lục nhiệm vụ") of Vietnamese TTHC-control plans from PDF
    into validated JSON and CSV, with the page and box of every value.

    \b
    Typical use:
      tthc extract samples/ -o output/          # every PDF in a folder
      tthc evaluate output/x.json truth/x.json  # compare with a ground truth
      tthc schema > schema.json                 # the JSON Schema of the output
    """


def _fail(e: ToolError, where: Path | str | None = None) -> NoReturn:
    """Print the one-line error (``error: [where: ]message``) and exit with its code."""
    click.echo(tr(f"error: {f'{where}: ' if where else ''}{e.message}"), err=True)
    sys.exit(e.code)


def _check_db_url(ctx: click.Context, param: click.Parameter, url: str | None) -> str | None:
    """--db takes a sqlite:/// or postgresql:// URL; anything else (a bare path, mysql://) is refused."""
    if url is None:
        return None
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise click.BadParameter(f"{url!r} is not a sqlite:///PATH or postgresql://user:pass@host/db URL "
                                 f"(for a SQLite file, write sqlite:///{url if not scheme else 'PATH'})",
                                 ctx=ctx, param=param)
    return url


def _prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and make sure a file can be written in it, before any work."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as e:
        raise write_error(e, out_dir) from None


def _open_db(url: str) -> Engine:
    """Connect to the database and create its tables before the first file (exit 23 when it cannot)."""
    from sqlalchemy.exc import SQLAlchemyError

    from tthc_extract.db import display_url, open_engine

    try:
        return open_engine(url)
    except (SQLAlchemyError, ImportError, OSError, ValueError) as e:
        first = str(e).splitlines()[0] if str(e) else ""
        raise DatabaseError(f"database {display_url(url)}: {type(e).__name__}: {first}") from None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default=Path("output"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for <name>.json, <name>.csv and run.json (a folder's PDFs: its subfolders mirrored).")
@click.option("--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
              help=ENGINE_HELP)
@click.option("--password", default=None, help="Password of encrypted PDFs.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes working at once: files run in parallel, longest first, and a file longer than its "
                   "share of the batch is read page by page by several [default: number of cores].")
@click.option("--force", is_flag=True, help="Re-extract inputs whose outputs are up to date (same sha256).")
@click.option("--debug", is_flag=True, help="Show the traceback of failures.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, only the summary.")
@click.option("--audit", "with_audit", is_flag=True,
              help="Also write OUT/<name>.audit.html, the visual audit report (see `tthc audit`).")
@click.option("--db", "db_url", default=None, metavar="URL", callback=_check_db_url,
              help="Also store every document in this database, replacing the rows of the same PDF (sha256): "
                   "sqlite:///output/tthc.db (embedded, a relative path from the current folder) or "
                   "postgresql://user:pass@host/db. Checked (connect, create tables) before the first file.")
@click.option("--review", "review_path", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Apply an auditor's review (tthc-review/1, exported by the audit report) to the one PDF given: "
                   "corrections replace the extracted texts (kept in original_text), checked values are marked "
                   "reviewed. Implies --force. A review of another PDF is refused (exit 24).")
@click.option("--cross-check", "cross_check", type=click.Choice(list(ENGINES)), default=None, metavar="ENGINE",
              help="Also run ENGINE (another than --engine) on each file and list every cell where its result "
                   "differs, with a count.")
@click.option("--json", "json_form", type=click.Choice(["full", "compact"]), default="full", show_default=True,
              help="The JSON's form: full (the validated document, every value with its boxes) or compact (values "
                   "as plain strings, pages only; `tthc schema --compact`). --db, --audit and --cross-check need the "
                   "full form.")
@click.option("--xlsx", "with_xlsx", is_flag=True,
              help="Also write OUT/<name>.xlsx, an Excel workbook of the table as in the PDF with a Warnings sheet; "
                   "for several inputs also OUT/run.xlsx listing every document.")
def extract(inputs: tuple[Path, ...], out_dir: Path, engine: str, password: str | None, workers: int | None,
            force: bool, debug: bool, quiet: bool, with_audit: bool, cross_check: str | None,
            db_url: str | None = None, review_path: Path | None = None, json_form: str = "full",
            with_xlsx: bool = False) -> None:
    """Extract the task table of each PDF (files or folders, searched recursively).

    Writes OUT/<name>.json (the validated document, schema `tthc schema`) and OUT/<name>.csv (one row per
    assignment, UTF-8 with BOM), atomically: a failure never leaves a partial or damaged file. A PDF found in
    a folder given writes below OUT in the same subfolders (SoNoiVu/phuluc.pdf → OUT/SoNoiVu/phuluc.json);
    two inputs that would write the same output are refused. Inputs whose outputs were made from the same
    file (same sha256) are skipped unless --force. Ends with a summary and OUT/run.json; Ctrl-C or SIGTERM
    stops the batch within seconds and still writes them.

    \b
    Exit codes: 0 all done or skipped; for one input, its error code (11 not a PDF, 12 empty file,
    13 truncated/corrupted, 14 encrypted, 15 no table, 16 image-only scan, 17 unknown table header,
    18 too large, 19 missing, 21 cannot write, 22 disk full, 23 database); for several inputs, 3 when
    some failed; 2 usage, 19 no PDF found, 20 two inputs → one output, 21 output folder not writable,
    23 database unavailable (before any work); with --review, 24 the review is of another PDF, 25 not a
    review file; 130 Ctrl-C, 143 SIGTERM.
    """
    from tthc_extract.batch import stop_on_signals
    from tthc_extract.writers import Formats

    if cross_check == engine:
        raise click.BadParameter(f"{cross_check!r} is the engine itself: name another engine",
                                 param_hint="'--cross-check'")
    needs_full = [name for name, on in (("--db", db_url), ("--audit", with_audit), ("--cross-check", cross_check))
                  if on]
    if json_form == "compact" and needs_full:
        raise click.BadParameter(f"{needs_full[0]} reads the full JSON back: use --json full", param_hint="'--json'")
    with stop_on_signals() as guard:
        _extract(guard, inputs, out_dir, engine, password, workers, force, debug, quiet, with_audit, cross_check,
                 db_url, review_path, Formats(json=json_form, xlsx=with_xlsx))


def _extract(guard: SignalGuard, inputs: tuple[Path, ...], out_dir: Path, engine: str, password: str | None,
             workers: int | None, force: bool, debug: bool, quiet: bool, with_audit: bool, cross_check: str | None,
             db_url: str | None, review_path: Path | None = None, formats: Formats | None = None) -> NoReturn:
    """``extract`` under the signal guard: a signal before the batch exits at once (nothing done), during it
    stops it, after it is noted; then the report and the summary, whatever happened."""
    from tthc_extract.batch import Interrupted, default_workers, expand_inputs

    try:
        files = expand_inputs(inputs)
        if not files:
            raise MissingInput("no PDF found in the inputs given")
        review = _load_review(files, review_path) if review_path else None
        _prepare_out_dir(out_dir)
        db = _open_db(db_url) if db_url else None
    except ToolError as e:
        _fail(e)
    except Interrupted as e:
        sys.exit(e.exit_code)
    start = time.perf_counter()
    lines: list[str] = []
    results: list = []
    stopped: Interrupted | None = None
    try:
        results = _run_with_bar(files, out_dir, engine, password, workers or default_workers(), force, debug,
                                quiet, lines, review, formats)
        lines.extend(_after_batch(results, out_dir, engine, password, with_audit, cross_check, db, db_url))
        if formats is not None and formats.xlsx and len(files) > 1:
            lines.append(_run_workbook(results, out_dir))
    except Interrupted as e:
        stopped, results = e, e.results or results
    finally:
        guard.hold()
        if db is not None:
            db.dispose()
    if stopped is None and guard.received is not None:
        stopped = Interrupted(guard.received)
    _finish(results, lines, out_dir, engine, time.perf_counter() - start, stopped, single=len(files) == 1)


def _run_with_bar(files: list, out_dir: Path, engine: str, password: str | None, workers: int, force: bool,
                  debug: bool, quiet: bool, lines: list[str], review: Review | None = None,
                  formats: Formats | None = None) -> list:
    """Run the batch with a progress bar on a terminal; one line per file into ``lines``."""
    from tthc_extract.batch import run_batch
    from tthc_extract.writers import FULL

    show_bar = not quiet and len(files) > 1 and sys.stderr.isatty()
    bar: Any = (click.progressbar(length=len(files), label="Extracting", file=sys.stderr, show_pos=True,
                             item_show_func=lambda r: Path(r.path).name if r else "")
           if show_bar else contextlib.nullcontext())
    with bar:
        def on_result(r) -> None:
            lines.extend(_result_lines(r, debug))
            if show_bar:
                bar.update(1, r)

        return run_batch(files, out_dir, engine=engine, password=password, workers=workers, force=force,
                         debug=debug, on_result=on_result, review=review, formats=formats or FULL)


def _run_workbook(results: list[FileResult], out_dir: Path) -> str:
    """Write OUT/run.xlsx, every input of the batch with its status and counts; the line to print."""
    from tthc_extract.writers import RUN_XLSX
    from tthc_extract.xlsx import write_run_xlsx

    try:
        return f"xlsx    {write_run_xlsx(results, out_dir)}"
    except OSError as e:
        return f"FAILED  {out_dir / RUN_XLSX}: {write_error(e, out_dir / RUN_XLSX).message}"


def _result_lines(r: FileResult, debug: bool) -> list[str]:
    if r.status == "failed":
        return [f"FAILED  {r.path}: {r.error}", *([r.traceback] if debug and r.traceback else [])]
    if r.status == "skipped":
        return [f"skipped {r.path}: {r.error}"]
    c = r.counts
    line = (f"{r.path} → {', '.join(r.outputs)} ({r.pages} pages, {c['sections']} sections, {c['tasks']} tasks, "
            f"{c['assignments']} assignments, coverage {r.coverage:.4f})")
    if r.status == "suspect":
        errors = r.warnings.get("error", 0)
        return [f"SUSPECT {line}: {errors} error{'s' * (errors != 1)}, first: {r.first_error}"]
    return [f"done    {line}"]


def _after_batch(results: list[FileResult], out_dir: Path, engine: str, password: str | None, with_audit: bool,
                 cross_check: str | None, db: Engine | None, db_url: str | None) -> list[str]:
    """Audit reports, cross-check and database storage of the batch's results; the lines to print."""
    lines: list[str] = []
    if with_audit:
        lines.extend(_audit_results(results, out_dir, password))
    if cross_check:
        from tthc_extract.crosscheck import cross_check_results

        lines.extend(cross_check_results(results, out_dir, engine, cross_check, password))
    if db is not None and db_url is not None:
        from tthc_extract.db import display_url

        lines.extend(_ingest_results(results, db, display_url(db_url)))
    return lines


def _finish(results: list[FileResult], lines: list[str], out_dir: Path, engine: str, seconds: float,
            stopped: Interrupted | None, single: bool) -> NoReturn:
    """Print the lines and the summary, write run.json, and exit with the batch's code."""
    from tthc_extract.batch import STATUSES, warning_totals, write_run_report
    from tthc_extract.writers import RUN_JSON

    for line in lines:
        click.echo(tr(line), err=line.startswith(("FAILED", "SUSPECT")))
    try:
        run_path = write_run_report(results, out_dir, engine, seconds, stopped_by=str(stopped or ""))
    except OSError as e:
        _fail(write_error(e, out_dir / RUN_JSON))
    n = {s.value: sum(r.status == s for r in results) for s in STATUSES}
    tail = f", {n['interrupted']} interrupted (stopped by {stopped})" if stopped else ""
    sev = warning_totals(results)
    click.echo(tr(f"{n['done']} done, {n['suspect']} suspect, {n['skipped']} skipped, {n['failed']} failed{tail}; "
                  f"warnings: {sev['error']} errors, {sev['warning']} warnings, {sev['info']} info; in {seconds:.1f} s "
                  f"(report: {run_path})"))
    if stopped:
        sys.exit(stopped.exit_code)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        sys.exit(failed[0].code if single else SOME_FAILED)
    sys.exit(SOME_SUSPECT if any(r.status == "suspect" for r in results) else 0)


def _load_review(files: list[Input], review_path: Path) -> Review:
    """The review to apply to the one PDF of ``files``; exits with one line when it cannot apply."""
    from tthc_extract.errors import InputError
    from tthc_extract.review import check_review_for, load_review
    from tthc_extract.runner import sha256_of

    if len(files) != 1:
        raise click.ClickException(f"--review applies to one PDF; {len(files)} given")
    pdf = files[0].path
    try:
        review = load_review(review_path)
        if pdf.is_file():
            check_review_for(review, sha256_of(pdf), pdf.name)
    except InputError as e:
        click.echo(f"error: {review_path}: {e.message}", err=True)
        sys.exit(e.code)
    return review


def _ingest_results(results: list[FileResult], db: Engine, shown: str) -> list[str]:
    """Store the JSON of every extracted or unchanged input in the database; one line each. A document that
    cannot be stored makes its file failed (code 23)."""
    from sqlalchemy.exc import SQLAlchemyError

    from tthc_extract.batch import Status
    from tthc_extract.db import ingest, load_document

    lines = []
    for r in results:
        if r.status not in ("done", "suspect", "skipped") or not r.outputs:
            continue
        try:
            doc_id = ingest(db, load_document(Path(r.outputs[0])))
        except (SQLAlchemyError, OSError, ValueError) as e:
            first = str(e).splitlines()[0] if str(e) else ""
            r.status, r.error_kind, r.code = Status.FAILED, DatabaseError.kind, DatabaseError.code
            r.error = f"database {shown}: {type(e).__name__}: {first}"
            lines.append(f"FAILED  {r.path}: {r.error}")
        else:
            lines.append(f"db      {r.path} → {shown} (document {doc_id})")
    return lines


def _audit_results(results: list, out_dir: Path, password: str | None) -> list[str]:
    """Write the audit report of every extracted (or unchanged, when it lacks one) input; one line each."""
    from tthc_extract.audit import audit_extracted

    lines = []
    for r in results:
        if r.status == "failed":
            continue
        try:
            path = audit_extracted(Path(r.path), out_dir, r.stem or Path(r.path).stem, password=password,
                                   only_missing=r.status == "skipped")
        except Exception as e:  # a report that cannot be drawn must not hide the extraction's success
            lines.append(f"FAILED  {r.path}: audit report: {type(e).__name__}: {e}")
            continue
        if path is not None:
            lines.append(f"audit   {r.path} → {path}")
    return lines


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML report [default: output/<name>.audit.html].")
@click.option("--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
              help=ENGINE_HELP)
@click.option("--truth", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A ground-truth JSON: mark the cells that differ from it (expected vs got).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
def audit(pdf: Path, out_path: Path | None, engine: str, truth: Path | None, password: str | None) -> None:
    """Extract PDF and write a self-contained HTML audit report to check the result by eye.

    The pages holding the task table are shown with every extracted cell outlined (coloured by how the value
    was obtained: read as is, joined across a page break, merged cell, warning) beside the records; clicking
    a record shows its cells on the page and clicking a cell selects its record. The summary lists the
    counts and the warnings, each a link to its place. Opens offline in any browser.

    It is also where an auditor reviews the values: mark each checked or wrong (with the correction and a
    note), by mouse or keys, with filters, search and progress; the review is kept in the browser and
    exported as <name>.review.json (tthc-review/1), to apply with `tthc extract PDF --review FILE`.
    """
    from tthc_extract.audit import audit_path, write_audit
    from tthc_extract.errors import InputError
    from tthc_extract.runner import extract_document

    try:
        doc = extract_document(pdf, engine=engine, password=password)
    except InputError as e:
        _fail(e, pdf)
    target = out_path or audit_path(Path("output"), pdf.stem)
    try:
        write_audit(doc, pdf, target, truth_path=truth, password=password)
    except OSError as e:
        _fail(write_error(e, target))
    c = doc.counts()
    click.echo(f"{target} ({len(doc.source.table_pages)} table pages, {c['sections']} sections, {c['tasks']} tasks, "
               f"{c['assignments']} assignments, {len(doc.warnings)} warnings)")


@main.command()
@click.argument("output", type=click.Path(exists=True, path_type=Path))
@click.argument("truth", type=click.Path(exists=True, path_type=Path))
@click.option("--min", "minimum", type=float, default=None, help="Exit with code 1 if an accuracy is below this.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--limit", type=int, default=50, show_default=True, help="Mismatches listed per file.")
def evaluate(output: Path, truth: Path, minimum: float | None, as_json: bool, limit: int) -> None:
    """Compare an extraction with a ground truth, cell by cell.

    OUTPUT is a .json or .csv written by `tthc extract`; TRUTH a truth .json. Both may be folders: every
    output whose name starts with a truth file's name (e.g. caobang_ubnd_2026_portrait.json for
    caobang_ubnd_2026.json) is compared with it. Prints per-column accuracy, missing and extra rows, and
    every mismatch (expected vs got, with its page).
    """
    from tthc_extract.evaluate import evaluate as run_eval
    from tthc_extract.evaluate import format_report

    pairs = _pairs(output, truth)
    if not pairs:
        raise click.ClickException("no output matches a truth file")
    worst = 1.0
    reports = {}
    for out_path, truth_path in pairs:
        rep = run_eval(out_path, truth_path)
        reports[str(out_path)] = rep.to_json()
        worst = min(worst, rep.accuracy)
        if not as_json:
            click.echo(format_report(out_path.name, rep, limit))
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    if minimum is not None and worst < minimum:
        click.echo(f"accuracy {worst:.4f} is below --min {minimum}", err=True)
        sys.exit(1)


def _pairs(output: Path, truth: Path) -> list[tuple[Path, Path]]:
    if output.is_file() and truth.is_file():
        return [(output, truth)]
    truths = [truth] if truth.is_file() else sorted(truth.glob("*.json"))
    outs = [output] if output.is_file() else sorted(output.glob("*.json"))
    pairs = []
    for o in outs:
        match = max((t for t in truths if o.stem.startswith(t.stem)), key=lambda t: len(t.stem), default=None)
        if match is not None:
            pairs.append((o, match))
    return pairs


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--width", type=int, default=0, show_default=True,
              help="Shorten the task descriptions of the lists to this many characters (0: no limit); changed "
                   "texts are always shown whole.")
@click.option("--html", "html_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained side-by-side HTML page of the differences to this file.")
@click.option("--color/--no-color", default=None,
              help="Mark changed words with terminal colours [default: when stdout is a terminal]; otherwise "
                   "[-deleted-]{+inserted+}.")
def diff(old: Path, new: Path, as_json: bool, width: int, html_path: Path | None, color: bool | None) -> None:
    """Compare two appendices (JSON written by `tthc extract`): tasks added, removed and changed.

    Tasks are matched by content, not by number (numbering shifts between years): sections by title and by
    where their tasks went, tasks by the similarity of their descriptions. A matched task is changed when its
    description or an assignment's result, lead, partner or timeframe differs (shown whole, the changed words
    marked, with the units added and removed), or when an assignment was added or removed (listed with its
    cells); a task that only got a new number is listed as renumbered. The header names both plans' issuer,
    number and year.

    \b
    Exit codes (as diff(1)): 0 no difference, 1 differences, 2 trouble (e.g. not a document JSON).
    """
    from tthc_extract.diff import diff_files, format_html, format_report
    from tthc_extract.writers import atomic_write_many

    try:
        rep = diff_files(old, new)
    except ValueError as e:
        click.echo(f"error: not a document JSON of tthc extract: {str(e).splitlines()[0]}", err=True)
        sys.exit(2)
    if html_path is not None:
        atomic_write_many([(html_path, format_html(rep).encode("utf-8"))])
    if as_json:
        click.echo(json.dumps(rep.to_json(), ensure_ascii=False, indent=2))
    else:
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(format_report(rep, width, "color" if use_color else "plain"), color=use_color)
    sys.exit(1 if rep.differs else 0)


@main.command()
@click.option("--review", "review", is_flag=True, help="Print the JSON Schema of the review file (tthc-review/1).")
@click.option("--compact", "compact", is_flag=True,
              help="Print the JSON Schema of the compact JSON (tthc-compact/1, `tthc extract --json compact`).")
def schema(review: bool, compact: bool = False) -> None:
    """Print the JSON Schema of the output document (with its schema version), of the compact JSON, or of the
    review file."""
    from tthc_extract.schemas.document import SCHEMA_VERSION, Document

    if compact:
        from tthc_extract.compact import compact_json_schema

        click.echo(json.dumps(compact_json_schema(), ensure_ascii=False, indent=2))
        return
    if review:
        from tthc_extract.schemas.review import review_json_schema

        click.echo(json.dumps(review_json_schema(), ensure_ascii=False, indent=2))
        return
    s = Document.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["$id"] = f"tthc-extract/document/{SCHEMA_VERSION}"
    s["title"] = f"tthc-extract Document {SCHEMA_VERSION}"
    click.echo(json.dumps(s, ensure_ascii=False, indent=2))


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the grids [default: output/<name>-tables].")
@click.option("--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True)
@click.option("--password", default=None)
def tables(pdf: Path, out_dir: Path | None, engine: str, password: str | None) -> None:
    """Write every page's raw cell grid before normalization, for debugging and audits.

    One CSV per table (page-<n>[-<k>].csv, a merged cell's text in its top-left position) and tables.json
    with every cell's row, column, spans, box and text lines.
    """
    from tthc_extract.errors import InputError
    from tthc_extract.extract import get_engine
    from tthc_extract.grids import write_grids
    from tthc_extract.runner import check_pdf

    try:
        check_pdf(pdf, password)
        _, found = get_engine(engine).extract(pdf, password=password)
    except InputError as e:
        _fail(e, pdf)
    target = out_dir or Path("output") / f"{pdf.stem}-tables"
    try:
        paths = write_grids(found, target)
    except OSError as e:
        _fail(write_error(e, target))
    click.echo(f"{len(found)} tables → {target} ({len(paths)} files)")


if __name__ == "__main__":
    main()
