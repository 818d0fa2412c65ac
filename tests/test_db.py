"""Database output: SQLite (embedded) and a real, throwaway PostgreSQL server; re-ingesting never duplicates.

The PostgreSQL tests start their own cluster (initdb + pg_ctl, as the ``postgres`` user when run as root) in a
temporary folder, listening on a Unix socket only, and stop it afterwards; they skip where Debian's
``postgresql`` package is not installed.
"""

from __future__ import annotations

import functools
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import SAMPLES
from tthc_extract import db
from tthc_extract.cli import main
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document
from tthc_extract.writers import write_outputs

TABLES = (db.documents, db.sections, db.tasks, db.assignments, db.assignment_units)


@functools.cache
def sample_doc(name: str = "caobang_ubnd_2026_landscape") -> Document:
    return extract_document(SAMPLES / f"{name}.pdf")


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (*TABLES, db.units)}


def round_trip(url: str, tmp_path: Path) -> None:
    """Ingest a sample's Document (read back from its JSON) twice: one copy; then query a task's units."""
    doc = sample_doc()
    json_path, _ = write_outputs(doc, tmp_path, "s")
    engine = db.open_engine(url)
    try:
        db.ingest(engine, db.load_document(json_path))
        once = counts(engine)
        db.ingest(engine, db.load_document(json_path))
        assert counts(engine) == once
        c = doc.counts()
        assert once["documents"] == 1 and once["sections"] == c["sections"] and once["tasks"] == c["tasks"]
        assert once["assignments"] == c["assignments"]
        assert db.task_units(engine, doc.source.sha256, "I", "2") == {
            "lead": ["Các sở, ban, ngành", "UBND các xã, phường"], "partner": ["Văn phòng UBND tỉnh"]}
        assert db.task_units(engine, doc.source.sha256, "V", "3") == {
            "lead": ["Văn phòng UBND tỉnh", "Trung tâm Phục vụ hành chính công tỉnh",
                     "Trung tâm Phục vụ hành chính công các xã, phường"],
            "partner": ["Các sở, ban, ngành", "UBND các xã, phường", "Văn phòng UBND tỉnh"]}
        with engine.connect() as conn:
            row = conn.execute(select(db.documents.c.plan_symbol, db.documents.c.plan_number, db.documents.c.year,
                                      db.documents.c.issuer)).one()
            assert tuple(row) == ("KH-UBND", None, 2026, "Ủy ban nhân dân tỉnh Cao Bằng")
            deadlines = conn.execute(select(db.assignments.c.timeframe, db.assignments.c.timeframe_kind,
                                            db.assignments.c.deadline)
                                     .where(db.assignments.c.timeframe == "Trước 31/8/2026")).all()
            assert deadlines and all(k == "deadline" and str(d) == "2026-08-31" for _, k, d in deadlines)
            # a unit shared by many assignments is one row of units
            n = conn.execute(select(func.count()).select_from(db.units)
                             .where(db.units.c.key == "văn phòng ủy ban nhân dân tỉnh")).scalar_one()
            assert n == 1
        # a second document keeps the first and shares its units
        other = sample_doc("caobang_svhttdl_2026_landscape")
        db.ingest(engine, other)
        both = counts(engine)
        assert both["documents"] == 2
        assert both["assignments"] == once["assignments"] + other.counts()["assignments"]
        db.ingest(engine, other)
        assert counts(engine) == both
    finally:
        engine.dispose()


def test_sqlite_round_trip(tmp_path: Path):
    round_trip(f"sqlite:///{tmp_path / 'out' / 'tthc.db'}", tmp_path)


def test_failed_reingest_keeps_the_old_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    engine = db.open_engine(f"sqlite:///{tmp_path / 'x.db'}")
    db.ingest(engine, sample_doc())
    before = counts(engine)

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(db, "_upsert_units", boom)
    with pytest.raises(RuntimeError):
        db.ingest(engine, sample_doc())  # the old rows were deleted inside the failed transaction
    assert counts(engine) == before
    engine.dispose()


def test_old_schema_json_is_upgraded(tmp_path: Path):
    doc = sample_doc()
    data = doc.model_dump(mode="json")
    data["schema_version"] = "1.0.0"
    data.pop("plan")
    for s in data["sections"]:
        for t in s["tasks"]:
            for a in t["assignments"]:
                for k in ("lead_units", "partner_units", "timeframe_parsed"):
                    a.pop(k)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = db.load_document(path)
    assert again.plan == doc.plan
    assert again.sections == doc.sections


def test_urls():
    assert db.normalize_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.normalize_url("postgres://u@h/d").startswith("postgresql+psycopg://")
    assert db.normalize_url("out/x.db") == "sqlite:///out/x.db"
    assert "secret" not in db.display_url("postgresql://u:secret@h/d")


def test_cli_extract_db_twice(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'tthc.db'}"
    pdf = str(SAMPLES / "caobang_svhttdl_2026_landscape.pdf")
    runner = CliRunner()
    first = runner.invoke(main, ["extract", pdf, "-o", str(tmp_path / "o"), "-q", "--db", url])
    assert first.exit_code == 0, first.output
    assert "db      " in first.output
    second = runner.invoke(main, ["extract", pdf, "-o", str(tmp_path / "o"), "-q", "--db", url])
    assert second.exit_code == 0 and "skipped" in second.output
    engine = db.open_engine(url)
    assert counts(engine)["documents"] == 1
    assert counts(engine)["assignments"] == sample_doc("caobang_svhttdl_2026_landscape").counts()["assignments"]
    engine.dispose()


def test_cli_db_unreachable_fails_cleanly(tmp_path: Path):
    pdf = str(SAMPLES / "caobang_svhttdl_2026_landscape.pdf")
    url = f"postgresql://nobody@/nodb?host={tmp_path}&port=1"
    r = CliRunner().invoke(main, ["extract", pdf, "-o", str(tmp_path / "o"), "-q", "--db", url])
    assert r.exit_code == 23  # checked before the first file: nothing extracted
    [line] = r.output.splitlines()
    assert line.startswith("error: database postgresql+psycopg://nobody@/nodb?host=") and "OperationalError" in line
    assert list((tmp_path / "o").iterdir()) == []


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not (initdb and pg_ctl and (shutil.which("pg_ctlcluster") or shutil.which("initdb") or initdb)):
        pytest.skip("PostgreSQL is not installed (Debian package postgresql)")
    as_root = os.geteuid() == 0
    if as_root:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no postgres user to run a throwaway cluster as")
    tmp = tempfile.mkdtemp(prefix="tthc-pg-")
    data = os.path.join(tmp, "data")
    os.chmod(tmp, 0o755)
    if as_root:
        os.chown(tmp, user.pw_uid, user.pw_gid)
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    run = functools.partial(subprocess.run, check=True, capture_output=True, text=True, env=env, timeout=120)
    try:
        run([*prefix, initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        run([*prefix, pg_ctl, "-D", data, "-l", os.path.join(tmp, "log"), "-w", "-t", "60",
             "-o", f"-k {tmp} -p {port} -c listen_addresses='' -c fsync=off", "start"])
    except subprocess.CalledProcessError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"could not start a throwaway PostgreSQL: {e.stderr or e.stdout}")
    try:
        yield f"postgresql://postgres@/postgres?host={tmp}&port={port}"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True,
                       timeout=120, env=env)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_round_trip(postgres_url: str, tmp_path: Path):
    round_trip(postgres_url, tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_failed_reingest_keeps_the_old_copy(postgres_url: str, monkeypatch: pytest.MonkeyPatch):
    engine = db.open_engine(postgres_url)
    db.ingest(engine, sample_doc())
    before = counts(engine)
    monkeypatch.setattr(db, "_upsert_units", lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        db.ingest(engine, sample_doc())
    assert counts(engine) == before
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_cli(postgres_url: str, tmp_path: Path):
    pdf = str(SAMPLES / "caobang_ubnd_2026_landscape.pdf")
    r = CliRunner().invoke(main, ["extract", pdf, "-o", str(tmp_path / "o"), "-q", "--db", postgres_url])
    assert r.exit_code == 0, r.output
    engine = db.open_engine(postgres_url)
    assert counts(engine)["documents"] >= 1
    sha = sample_doc().source.sha256
    assert db.task_units(engine, sha, "I", "2")["lead"] == ["Các sở, ban, ngành", "UBND các xã, phường"]
    engine.dispose()
