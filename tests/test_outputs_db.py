"""Issue 16, database and ids: stable text keys, the warnings table, confidences and review verdicts, the flat
view ``assignment_rows`` and the README's three dashboard queries, on SQLite and on a throwaway PostgreSQL."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from tests.conftest import ROOT, SAMPLES
from tests.test_db import postgres_url, sample_doc  # noqa: F401 - the fixture is used by name
from tthc_extract import db
from tthc_extract.cli import main
from tthc_extract.schemas.csv_row import CSV_HEADER, IDENTITY_HEADER, STRUCTURED_HEADER
from tthc_extract.schemas.document import document_id_of

SAMPLE = "caobang_ubnd_2026_landscape"
DOC_ID = "d-35ce5af242c5c81e"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dash.db'}"
    pg = request.getfixturevalue("postgres_url")
    engine = db.open_engine(pg)  # a clean database for each test: drop what an earlier one stored
    with engine.begin() as conn:
        for t in ("assignment_units", "warnings", "assignments", "tasks", "sections", "documents"):
            conn.execute(text(f"DELETE FROM {t}"))
    engine.dispose()
    return pg


def test_document_id_is_from_the_sha256():
    doc = sample_doc(SAMPLE)
    assert doc.document_id == document_id_of(doc.source.sha256) == DOC_ID
    assert re.fullmatch(r"d-[0-9a-f]{16}", doc.document_id)


def _ids_of_json(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = [data["document_id"]]
    for s in data["sections"]:
        out.append(s["id"])
        for t in s["tasks"]:
            out.append(t["id"])
            out.extend(a["id"] for a in t["assignments"])
    return out


def _csv_ids(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [tuple(r[k] for k in IDENTITY_HEADER) for r in csv.DictReader(f)]


def _db_keys(db_path: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db_path)
    try:
        keys = {t: [r[0] for r in con.execute(f"SELECT id FROM {t} ORDER BY id")]
                for t in ("documents", "sections", "tasks", "assignments")}
        warnings = con.execute("SELECT document_id, position FROM warnings ORDER BY 1, 2")
        return keys | {"warnings": [f"{d}/{p}" for d, p in warnings]}
    finally:
        con.close()


def test_ids_are_the_same_in_two_folders_and_after_a_reingest(tmp_path: Path):
    pdf = str(SAMPLES / f"{SAMPLE}.pdf")
    runner = CliRunner()
    for k in ("a", "b"):
        r = runner.invoke(main, ["extract", pdf, "-o", str(tmp_path / k), "-q",
                                 "--db", f"sqlite:///{tmp_path / k / 'tthc.db'}"])
        assert r.exit_code == 0, r.output
        assert f"(document {DOC_ID})" in r.output
    a, b = tmp_path / "a", tmp_path / "b"
    ids = _ids_of_json(a / f"{SAMPLE}.json")
    assert ids == _ids_of_json(b / f"{SAMPLE}.json")
    assert ids[:4] == [DOC_ID, "s1", "s1.t1", "s1.t1.a1"] and len(ids) == len(set(ids))
    rows = _csv_ids(a / f"{SAMPLE}.csv")
    assert rows == _csv_ids(b / f"{SAMPLE}.csv")
    assert rows[0] == (DOC_ID, "s1.t1.a1", f"{SAMPLE}.pdf", "", "Ủy ban nhân dân tỉnh Cao Bằng", "2026")
    assert [r[1] for r in rows] == [i for i in ids if ".a" in i]
    keys = _db_keys(a / "tthc.db")
    assert keys == _db_keys(b / "tthc.db")
    assert keys["documents"] == [DOC_ID] and f"{DOC_ID}.s10.t1.a1" in keys["assignments"]
    assert len(keys["assignments"]) == 27 and len(keys["warnings"]) == 6
    # a forced re-extraction and re-ingest into the same database keeps every key
    r = runner.invoke(main, ["extract", pdf, "-o", str(a), "-q", "--force", "--db", f"sqlite:///{a / 'tthc.db'}"])
    assert r.exit_code == 0, r.output
    assert _db_keys(a / "tthc.db") == keys
    assert _ids_of_json(a / f"{SAMPLE}.json") == ids


def _readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Stable ids and dashboard queries"):]
    section = section[:section.index("\n## ")]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    return blocks


TASKS_PER_LEAD = [
    ("Các sở, ban, ngành", 16), ("UBND các xã, phường", 9), ("Văn phòng UBND tỉnh", 9),
    ("Các cơ quan, đơn vị có liên quan", 1), ("Sở Khoa học và Công nghệ", 1),
    ("Trung tâm Phục vụ hành chính công các xã, phường", 1), ("Trung tâm Phục vụ hành chính công tỉnh", 1)]
DEADLINES_BY_MONTH = [("2026-01", 1), ("2026-08", 1), ("2026-09", 1), ("2026-12", 3)]
NO_DEADLINE = ["s1.t2", "s3.t1", "s3.t2", "s5.t1", "s5.t2", "s5.t3", "s6.t1", "s6.t2", "s6.t3", "s7.t1", "s7.t2",
               "s7.t3", "s7.t4", "s7.t5", "s8.t1", "s8.t2", "s8.t3", "s10.t1", "s11.t1", "s11.t2"]


def test_dashboard_queries(url: str):
    engine = db.open_engine(url)
    try:
        assert db.ingest(engine, sample_doc(SAMPLE)) == DOC_ID
        per_lead, by_month, no_deadline = _readme_queries()
        with engine.connect() as conn:
            assert [tuple(r) for r in conn.execute(text(per_lead))] == TASKS_PER_LEAD
            assert [tuple(r) for r in conn.execute(text(by_month))] == DEADLINES_BY_MONTH
            rows = [tuple(r) for r in conn.execute(text(no_deadline))]
        assert [r[1] for r in rows] == NO_DEADLINE
        assert rows[0][:4] == (DOC_ID, "s1.t2", "I", "2")
        # the same figures from the Document itself
        doc = sample_doc(SAMPLE)
        dated = [a.timeframe_parsed.deadline for s in doc.sections for t in s.tasks for a in t.assignments
                 if a.timeframe_parsed.deadline]
        assert sum(n for _, n in DEADLINES_BY_MONTH) == len(dated)
        undated = [t.id for s in doc.sections for t in s.tasks
                   if not any(a.timeframe_parsed.deadline for a in t.assignments)]
        assert undated == NO_DEADLINE
    finally:
        engine.dispose()


def test_view_has_exactly_the_csv_columns_and_rows(url: str, tmp_path: Path):
    from tthc_extract.writers import write_outputs

    doc = sample_doc(SAMPLE)
    _, csv_path = write_outputs(doc, tmp_path, "x")
    engine = db.open_engine(url)
    try:
        db.ingest(engine, doc)
        with engine.connect() as conn:
            result = conn.execute(text("SELECT * FROM assignment_rows"))
            columns = list(result.keys())
            view = [["" if v is None else str(v) for v in r] for r in result]
    finally:
        engine.dispose()
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert columns == header == [*CSV_HEADER, *STRUCTURED_HEADER, *IDENTITY_HEADER]
    assert view == rows


def test_warnings_confidence_and_review_columns(url: str):
    doc = sample_doc(SAMPLE).model_copy(deep=True)
    a = doc.sections[0].tasks[0].assignments[0]
    a.lead.confidence = 0.62
    a.timeframe.original_text, a.timeframe.text, a.timeframe.reviewed = a.timeframe.text, "Tháng 02/2026", True
    doc.sections[0].title.reviewed = True
    engine = db.open_engine(url)
    try:
        db.ingest(engine, doc)
        with engine.connect() as conn:
            row = conn.execute(select(db.assignments).where(db.assignments.c.id == f"{DOC_ID}.s1.t1.a1")).one()
            section = conn.execute(select(db.sections).where(db.sections.c.local_id == "s1")).one()
            warns = conn.execute(select(db.warnings).order_by(db.warnings.c.position)).all()
    finally:
        engine.dispose()
    assert row.lead_confidence == pytest.approx(0.62) and row.result_confidence is None
    assert (row.timeframe, row.timeframe_original_text, row.timeframe_reviewed) == (
        "Tháng 02/2026", "Trong tháng 01/2026", True)
    assert (row.lead_reviewed, row.lead_original_text) == (False, None)
    assert section.title_reviewed is True and section.number_reviewed is False
    assert [(w.code, w.severity, w.section_id, w.task_id, w.assignment_id, w.pages) for w in warns] == [
        ("joined_across_pages", "info", "s5", "s5.t2", None, "2,3"),
        ("joined_across_pages", "info", "s6", "s6.t3", None, "3,4"),
        ("joined_across_pages", "info", "s10", "s10.t1", None, "5,6"),
        ("joined_across_pages", "info", "s10", "s10.t1", "s10.t1.a1", "5,6"),
        ("plan_metadata", "info", None, None, None, "1"),
        ("plan_metadata", "info", None, None, None, "1")]
    assert warns[0].message == "task V.2: description joined across pages 2, 3" and warns[0].document_id == DOC_ID


def test_a_database_of_the_earlier_layout_is_refused(tmp_path: Path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, sha256 TEXT)")
    con.execute("CREATE TABLE assignments (id INTEGER PRIMARY KEY, document_id INTEGER)")
    con.commit()
    con.close()
    r = CliRunner().invoke(main, ["extract", str(SAMPLES / f"{SAMPLE}.pdf"), "-o", str(tmp_path / "o"), "-q",
                                  "--db", f"sqlite:///{path}"])
    assert r.exit_code == 23
    [line] = r.output.splitlines()
    assert line.startswith("error: database sqlite:///") and "earlier tthc" in line
