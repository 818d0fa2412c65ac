"""Batches that never drop a file: one output per input, no temporary-file race between workers, signals that
stop a batch and still report it, and every filesystem or database error in one line with its own code."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import tthc_extract.writers as writers
from tests.conftest import ROOT, SAMPLES, sample_pdfs
from tthc_extract.batch import run_batch, run_one
from tthc_extract.cli import main

LANDSCAPE = SAMPLES / "caobang_svhttdl_2026_landscape.pdf"
UBND = SAMPLES / "caobang_ubnd_2026_landscape.pdf"


def cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, [*args])
    assert "Traceback" not in res.output
    return res.exit_code, res.output


def report(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def tmp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(writers.TMP_SUFFIX) or writers.LEGACY_PARTIAL_DIR in p.parts]


# --- 1. two inputs never map to one output ----------------------------------------------------------------------


@pytest.fixture
def offices(tmp_path: Path) -> Path:
    """Two offices' appendices, both named phuluc.pdf."""
    root = tmp_path / "in"
    for office, pdf in (("SoNoiVu", UBND), ("SoTuPhap", LANDSCAPE)):
        (root / office).mkdir(parents=True)
        shutil.copy(pdf, root / office / "phuluc.pdf")
    return root


def test_a_folder_is_mirrored_below_the_output_folder(tmp_path, offices):
    out = tmp_path / "out"
    code, output = cli("extract", str(offices), "-o", str(out), "--workers", "2", "-q")
    assert code == 0, output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "SoNoiVu/phuluc.csv", "SoNoiVu/phuluc.json", "SoTuPhap/phuluc.csv", "SoTuPhap/phuluc.json", "run.json"]
    names = {office: json.loads((out / office / "phuluc.json").read_text(encoding="utf-8"))["source"]["sha256"]
             for office in ("SoNoiVu", "SoTuPhap")}
    assert len(set(names.values())) == 2  # each output from its own input
    files = {f["path"]: f for f in report(out)["files"]}
    assert files[str(offices / "SoNoiVu" / "phuluc.pdf")]["outputs"] == [
        str(out / "SoNoiVu" / "phuluc.json"), str(out / "SoNoiVu" / "phuluc.csv")]
    # the second run finds each input's own outputs unchanged; a changed input alone is extracted again
    shutil.copy(UBND, offices / "SoTuPhap" / "phuluc.pdf")
    code, output = cli("extract", str(offices), "-o", str(out), "-q")
    assert code == 0 and "1 done, 0 suspect, 1 skipped, 0 failed;" in output, output
    assert [f["status"] for f in report(out)["files"]] == ["skipped", "done"]
    assert report(out)["files"][0]["outputs"] == [str(out / "SoNoiVu" / "phuluc.json"),
                                                  str(out / "SoNoiVu" / "phuluc.csv")]


def test_the_same_name_given_twice_is_refused_before_any_work(tmp_path, offices):
    out = tmp_path / "out"
    a, b = offices / "SoNoiVu" / "phuluc.pdf", offices / "SoTuPhap" / "phuluc.pdf"
    for args in ((str(a), str(b)), (str(offices / "SoNoiVu"), str(offices / "SoTuPhap"))):
        code, output = cli("extract", *args, "-o", str(out))
        assert code == 20
        assert output == (f"error: {a} and {b} would both write phuluc.json: give the folder that holds both "
                          "(outputs then mirror its subfolders), or extract them with another -o\n")
        assert not out.exists()


def test_names_differing_in_case_and_the_run_report_are_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(LANDSCAPE, folder / "phuluc.pdf")
    shutil.copy(UBND, folder / "Phuluc.PDF")
    code, output = cli("extract", str(folder), "-o", str(tmp_path / "out"))
    assert (code, output.split(" would")[0]) == (20, f"error: {folder / 'Phuluc.PDF'} and {folder / 'phuluc.pdf'}")
    run_pdf = tmp_path / "run.pdf"
    shutil.copy(LANDSCAPE, run_pdf)
    code, output = cli("extract", str(run_pdf), "-o", str(tmp_path / "out"))
    assert code == 20
    assert output == f"error: {run_pdf} would write its output over the run report run.json: rename it, or give " \
                     "the folder that holds it\n"


# --- 2. the temporary-file race ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_forty_files_two_workers_never_fail(tmp_path):
    """40 files, 2 workers, five times over: every file done each time (the shared temporary folder that one
    worker removed while another wrote into it failed a file in 3 runs of 5)."""
    pdfs = sample_pdfs()
    files = []
    for k in range(40):
        f = tmp_path / "in" / f"f{k:02d}.pdf"
        f.parent.mkdir(exist_ok=True)
        shutil.copy(pdfs[k % len(pdfs)], f)
        files.append(f)
    out = tmp_path / "out"
    for _ in range(5):
        results = run_batch(files, out, engine="pdfium", workers=2, force=True)
        assert [(r.status, r.error) for r in results] == [("done", "")] * 40
        assert tmp_files(out) == []
    assert len(list(out.glob("*.json"))) == 40


def test_a_killed_writer_s_temporary_file_is_swept_and_a_live_one_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = out / f".x.json.{int(dead.stdout)}.abcd1234{writers.TMP_SUFFIX}"
    live = out / f".y.json.{os.getppid()}.abcd1234{writers.TMP_SUFFIX}"
    legacy = out / writers.LEGACY_PARTIAL_DIR
    legacy.mkdir()
    (legacy / "z.json.tmp").write_text("{")
    for f in (left, live):
        f.write_text("{")
    assert writers.sweep_partial(out) == 2
    assert sorted(p.name for p in out.iterdir()) == [live.name]


# --- 3. stopping stops ------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_batch_and_reports_it(tmp_path, sig, code):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(60):
        shutil.copy(UBND, src / f"f{k:02d}.pdf")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "tthc_extract.cli", "extract", str(src), "-o", str(out), "--workers",
                             "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while not list(out.glob("f*.json")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    sent = time.monotonic()
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == code, stderr
    assert took < 3.0
    assert stderr == ""
    rep = report(out)
    name = signal.Signals(sig).name
    assert rep["stopped_by"] == name
    statuses = [f["status"] for f in rep["files"]]
    assert set(statuses) <= {"done", "interrupted"} and len(statuses) == 60
    assert rep["summary"] == {"done": statuses.count("done"), "suspect": 0, "skipped": 0, "failed": 0,
                              "interrupted": statuses.count("interrupted")}
    assert statuses.count("interrupted") > 30  # stopped, not finished
    for f in rep["files"]:
        if f["status"] == "interrupted":
            assert (f["error_kind"], f["code"]) == ("interrupted", code)
            assert f["error"] == f"not finished: the batch was stopped by {name}"
        else:
            assert json.loads(Path(f["outputs"][0]).read_text(encoding="utf-8"))["source"]["page_count"] == 6
    summary = stdout.splitlines()[-1]
    assert summary.startswith(f"{statuses.count('done')} done, 0 suspect, 0 skipped, 0 failed, "
                              f"{statuses.count('interrupted')} interrupted (stopped by {name}); warnings: ")
    assert tmp_files(out) == []
    for p in out.glob("f*.json"):  # an output written just before the stop is whole
        json.loads(p.read_text(encoding="utf-8"))
    time.sleep(0.2)
    assert subprocess.run(["pgrep", "-f", str(src)], capture_output=True).stdout == b""  # no worker left


# --- 4. one line with a documented code -------------------------------------------------------------------------


def test_output_below_a_file_is_refused_for_every_command(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, output = cli("extract", str(LANDSCAPE), "-o", str(afile / "sub"))
    assert (code, output) == (21, f"error: cannot write {afile / 'sub'}: Not a directory\n")
    code, output = cli("tables", str(LANDSCAPE), "-o", str(afile / "sub"))
    assert (code, output) == (21, f"error: cannot write {afile / 'sub'}: Not a directory\n")
    code, output = cli("audit", str(LANDSCAPE), "-o", str(afile / "sub" / "x.html"))
    assert (code, output) == (21, f"error: cannot write {afile / 'sub'}: Not a directory\n")
    for command in ("extract", "tables"):
        code, output = cli(command, str(LANDSCAPE), "-o", str(afile))
        assert code == 2
        assert output.splitlines()[-1] == f"Error: Invalid value for '-o' / '--out': Directory '{afile}' is a file."


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, output = cli("extract", str(LANDSCAPE), "-o", str(out))
        assert (code, output) == (21, f"error: cannot write {out}: Permission denied\n")
        code, output = cli("tables", str(LANDSCAPE), "-o", str(out / "t"))
        assert (code, output) == (21, f"error: cannot write {out / 't'}: Permission denied\n")
    finally:
        out.chmod(0o755)


def _refuse(err: int):
    def write_fd(fd: int, data: bytes) -> None:
        os.close(fd)
        raise OSError(err, os.strerror(err))
    return write_fd


def test_write_refused_while_extracting(tmp_path, monkeypatch):
    """A folder that turns read-only after the check (or root's EACCES on a network share): one line, 21."""
    monkeypatch.setattr(writers, "_write_fd", _refuse(errno.EACCES))
    out = tmp_path / "out"
    code, output = cli("extract", str(LANDSCAPE), "-o", str(out), "--workers", "1")
    assert code == 21
    assert output.splitlines() == [
        f"FAILED  {LANDSCAPE}: cannot write {out / LANDSCAPE.stem}: Permission denied",
        f"error: cannot write {out / 'run.json'}: Permission denied"]
    assert tmp_files(out) == [] and list(out.iterdir()) == []


def test_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "_write_fd", _refuse(errno.ENOSPC))
    out = tmp_path / "out"
    code, output = cli("extract", str(LANDSCAPE), "-o", str(out), "--workers", "1")
    assert code == 22
    assert output.splitlines() == [
        f"FAILED  {LANDSCAPE}: cannot write {out / LANDSCAPE.stem}: the disk is full (No space left on device)",
        f"error: cannot write {out / 'run.json'}: the disk is full (No space left on device)"]
    code, output = cli("tables", str(LANDSCAPE), "-o", str(tmp_path / "t"))
    assert (code, output) == (22, f"error: cannot write {tmp_path / 't'}: the disk is full (No space left on "
                                  "device)\n")
    code, output = cli("audit", str(LANDSCAPE), "-o", str(tmp_path / "a.html"))
    assert (code, output) == (22, f"error: cannot write {tmp_path / 'a.html'}: the disk is full (No space left "
                                  "on device)\n")
    assert tmp_files(tmp_path) == []


def test_missing_input_and_no_pdf(tmp_path):
    out = tmp_path / "out"
    code, output = cli("extract", str(tmp_path / "nope.pdf"), "-o", str(out))
    assert code == 19
    assert output.splitlines()[0] == f"FAILED  {tmp_path / 'nope.pdf'}: no such file"
    assert report(out)["files"] == [{"path": str(tmp_path / "nope.pdf"), "status": "failed", "error": "no such file",
                                     "error_kind": "missing_input", "code": 19, "seconds": report(out)["files"][0][
                                         "seconds"]}]
    (tmp_path / "empty").mkdir()
    code, output = cli("extract", str(tmp_path / "empty"), "-o", str(out))
    assert (code, output) == (19, "error: no PDF found in the inputs given\n")


def test_bit_flipped_streams_are_corrupted_pdfs(tmp_path):
    """A flipped byte inside any compressed stream (page content, font, ToUnicode map) is 13, not a table with
    rows missing (exit 0) nor "no table" (15): PDFium reads through such damage silently."""
    data = LANDSCAPE.read_bytes()
    starts = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", data)]
    assert len(starts) >= 5
    for k, start in enumerate(starts):
        flipped = bytearray(data)
        flipped[start + 40] ^= 0x10
        f = tmp_path / f"flip{k}.pdf"
        f.write_bytes(bytes(flipped))
        code, output = cli("extract", str(f), "-o", str(tmp_path / "out"))
        assert code == 13, output
        assert output.startswith(f"FAILED  {f}: the PDF is corrupted: the compressed stream of object ")


@pytest.mark.parametrize(("args", "message"), [
    (("--workers", "0"), "Error: Invalid value for '--workers': 0 is not in the range x>=1."),
    (("--workers", "-3"), "Error: Invalid value for '--workers': -3 is not in the range x>=1."),
    (("--cross-check", "pdfium"),
     "Error: Invalid value for '--cross-check': 'pdfium' is the engine itself: name another engine"),
    (("--engine", "camelot", "--cross-check", "camelot"),
     "Error: Invalid value for '--cross-check': 'camelot' is the engine itself: name another engine"),
    (("--db", "mysql://u:p@h/d"), "Error: Invalid value for '--db': 'mysql://u:p@h/d' is not a sqlite:///PATH or "
                                  "postgresql://user:pass@host/db URL (for a SQLite file, write sqlite:///PATH)"),
    (("--db", "out.db"), "Error: Invalid value for '--db': 'out.db' is not a sqlite:///PATH or "
                         "postgresql://user:pass@host/db URL (for a SQLite file, write sqlite:///out.db)"),
])
def test_options_refused_by_click(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, output = cli("extract", str(LANDSCAPE), "-o", "out", *args)
    assert code == 2
    assert output.splitlines()[-1] == message
    assert list(tmp_path.iterdir()) == []  # nothing made: no output folder, no out.db


def test_unavailable_database_driver_before_any_work(tmp_path):
    out = tmp_path / "out"
    code, output = cli("extract", str(LANDSCAPE), "-o", str(out), "--db", "postgresql+asyncpg://u@h/d")
    assert (code, output) == (23, "error: database postgresql+asyncpg://u@h/d: ModuleNotFoundError: No module "
                                  "named 'asyncpg'\n")
    assert list(out.iterdir()) == []


def test_a_document_the_database_refuses_is_a_failed_file(tmp_path):
    from sqlalchemy import text

    from tthc_extract import db

    url = f"sqlite:///{tmp_path / 'tthc.db'}"
    engine = db.open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON documents BEGIN "
                          "SELECT RAISE(ABORT, 'refused by a trigger'); END"))
    engine.dispose()
    out = tmp_path / "out"
    code, output = cli("extract", str(LANDSCAPE), str(UBND), "-o", str(out), "--db", url, "--workers", "1")
    assert code == 3
    line = f"database {url}: IntegrityError: (sqlite3.IntegrityError) refused by a trigger"
    assert f"FAILED  {LANDSCAPE}: {line}" in output.splitlines()
    assert output.splitlines()[-1].startswith("0 done, 0 suspect, 0 skipped, 2 failed; warnings: ")
    files = report(out)["files"]
    assert [(f["status"], f["error_kind"], f["code"], f["error"]) for f in files] == [
        ("failed", "database", 23, line)] * 2
    code, output = cli("extract", str(LANDSCAPE), "-o", str(out), "--db", url)
    assert code == 23  # one input: its own code (its outputs were written and are kept: skipped, then refused)


_REAL_RUN_ONE = run_one


def _die_on_b(path: str, *args: object, **kwargs: object) -> object:
    if path.endswith("b.pdf"):
        os._exit(9)
    return _REAL_RUN_ONE(path, *args, **kwargs)


@pytest.mark.slow
def test_a_worker_killed_by_the_system_fails_its_files_in_one_line(tmp_path, monkeypatch):
    """A worker process that dies (the out-of-memory killer) fails the files it had, in one line each, instead
    of a traceback; the batch still ends with every input's result."""
    import tthc_extract.batch as batch

    monkeypatch.setattr(batch, "run_one", _die_on_b)
    files = []
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        shutil.copy(LANDSCAPE, tmp_path / name)
        files.append(tmp_path / name)
    results = batch.run_batch(files, tmp_path / "out", engine="pdfium", workers=2)
    assert {r.status for r in results} <= {"done", "failed"}
    assert (results[1].status, results[1].code) == ("failed", 1)
    assert results[1].error == ("internal error: BrokenProcessPool: A process in the process pool was terminated "
                                "abruptly while the future was running or pending.")
