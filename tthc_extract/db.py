"""Store extracted Documents in a relational database through SQLAlchemy 2: SQLite (embedded) or PostgreSQL.

Tables, with primary and foreign keys; every key is text made of the stable ids, so that re-ingesting the same
PDF (into this database or another) keeps every key and a dashboard's links survive::

    documents        id "d-" + 16 hex digits of the sha256 (plan number, date, issuer, year, coverage)
    sections         id "<document id>.s3", local_id "s3"; document_id → documents
    tasks            id "<document id>.s3.t2"; section_id → sections, document_id → documents
    assignments      id "<document id>.s3.t2.a1"; task_id → tasks, document_id → documents (texts, units joined
                     as in the CSV, timeframe kind, start, deadline, parsed JSON)
    units            key (the unit's matching key), name, kind: unit / reference / unknown
    assignment_units assignment_id → assignments, unit_key → units, role lead / partner, position, raw text
    warnings         (document_id, position); section_id / task_id / assignment_id (local ids) when known,
                     code, severity, message, pages, box

Every value column F of sections, tasks and assignments has ``F_confidence`` (OCR, null for a text layer),
``F_reviewed`` and ``F_original_text`` (the review verdicts: tthc extract --review). The view ``assignment_rows``
has exactly the CSV's columns (not the per-document ``extra:<header>`` ones, kept in ``assignments.extra``).

Re-ingesting a document with the same sha256 deletes its rows and inserts the new ones in ONE transaction, so
the database never holds two copies nor a half-written one. Units are shared between documents and kept.
``tthc extract … --db URL`` opens the database (connects, creates the tables) before the first file, and ingests in
the parent process after the batch, reading each Document back from the JSON the batch wrote; a document that
cannot be stored makes its file failed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.types import JSON

from tthc_extract.normalize.ids import assign_ids
from tthc_extract.schemas.csv_row import timeframe_kind, units_text
from tthc_extract.schemas.document import SCHEMA_VERSION, Document, PlanMeta, Unit, Value, Warning, document_id_of
from tthc_extract.schemas.text import collapse

DEFAULT_URL = "sqlite:///output/tthc.db"

metadata = MetaData()

#: The layout of the tables (issue 16: text keys from the stable ids, warnings, confidences, review verdicts).
#: A database made by an earlier layout is refused with a message (open_engine) rather than half-used.
LAYOUT = 2


def _value_columns(*fields: str) -> list[Column]:
    """Per value field F: its OCR confidence ``F_confidence`` (null for a text layer) and the review verdict,
    ``F_reviewed`` and ``F_original_text`` (the extracted text a reviewer corrected, else null)."""
    cols: list[Column] = []
    for f in fields:
        cols += [Column(f"{f}_confidence", Float), Column(f"{f}_reviewed", Boolean, nullable=False, default=False),
                 Column(f"{f}_original_text", Text)]
    return cols


documents = Table(
    "documents", metadata,
    Column("id", String(32), primary_key=True, comment="d- + the first 16 hex digits of the sha256"),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("file_name", Text, nullable=False),
    Column("page_count", Integer, nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("engine", Text, nullable=False),
    Column("engine_version", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("issuer", Text),
    Column("year", Integer),
    Column("plan_type", String(64)),
    Column("plan_number", String(32)),
    Column("plan_symbol", String(128)),
    Column("plan_code", String(160)),
    Column("plan_date", Date),
    Column("warning_count", Integer, nullable=False),
    Column("coverage_ratio", Float),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

sections = Table(
    "sections", metadata,
    Column("id", String(64), primary_key=True, comment="<document id>.<section id>, e.g. d-9de1909f0a1b2c3d.s3"),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(32), nullable=False, comment="the id in the JSON, e.g. s3"),
    Column("part_id", String(32), comment="the local id of the part above the section ('p1'), if any"),
    Column("part_number", String(32)),
    Column("part_title", Text),
    Column("position", Integer, nullable=False),
    Column("number", String(32), nullable=False),
    Column("title", Text, nullable=False),
    *_value_columns("number", "title"),
)

tasks = Table(
    "tasks", metadata,
    Column("id", String(80), primary_key=True, comment="<document id>.<task id>, e.g. d-….s3.t2"),
    Column("section_id", String(64), ForeignKey("sections.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(48), nullable=False, comment="the id in the JSON, e.g. s3.t2"),
    Column("parent_id", String(48), comment="the local id of the task this one belongs to (1.2 → 1), if any"),
    Column("position", Integer, nullable=False),
    Column("number", String(32), nullable=False),
    Column("description", Text, nullable=False),
    *_value_columns("number", "description"),
)

assignments = Table(
    "assignments", metadata,
    Column("id", String(96), primary_key=True, comment="<document id>.<assignment id>, e.g. d-….s3.t2.a1"),
    Column("task_id", String(80), ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(64), nullable=False, comment="the id in the JSON and the CSV, e.g. s3.t2.a1"),
    Column("position", Integer, nullable=False),
    Column("result", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("partner", Text, nullable=False),
    Column("timeframe", Text, nullable=False),
    Column("lead_units", Text, nullable=False, comment="unit names joined with ' | ', as in the CSV"),
    Column("partner_units", Text, nullable=False, comment="unit names joined with ' | ', as in the CSV"),
    Column("timeframe_kind", String(160), nullable=False),
    Column("timeframe_start", Date),
    Column("deadline", Date),
    Column("timeframe_parsed", JSON),
    Column("extra", JSON),
    Column("page_first", Integer, nullable=False),
    Column("page_last", Integer, nullable=False),
    *_value_columns("result", "lead", "partner", "timeframe"),
)

units = Table(
    "units", metadata,
    Column("key", Text, primary_key=True, comment="the unit's matching key (normalize/units.py)"),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

assignment_units = Table(
    "assignment_units", metadata,
    Column("assignment_id", String(96), ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(8), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("unit_key", Text, ForeignKey("units.key"), nullable=False),
    Column("raw", Text, nullable=False),
    CheckConstraint("role IN ('lead', 'partner')", name="ck_assignment_units_role"),
    Index("ix_assignment_units_unit", "unit_key"),
)

warnings = Table(
    "warnings", metadata,
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, comment="the warning's place in the JSON's warnings, from 0"),
    Column("section_id", String(32), comment="s3, when the warning names a section"),
    Column("task_id", String(48), comment="s3.t2, when it names a task"),
    Column("assignment_id", String(64), comment="s3.t2.a1, when it names an assignment's row"),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("pages", Text, nullable=False, comment="page numbers joined with ','"),
    Column("box", JSON(none_as_null=True)),
    CheckConstraint("severity IN ('info', 'warning', 'error')", name="ck_warnings_severity"),
)

#: The flat view: exactly the CSV's columns (without the ``extra:<header>`` ones, which vary by document:
#: they are in ``assignments.extra``), one row per assignment, in the CSV's order within a document.
VIEW_SQL = """
CREATE VIEW assignment_rows AS
SELECT s.number AS section, s.title AS section_title, t.number AS task, t.description AS description,
       a.result AS result, a.lead AS lead, a.partner AS partner, a.timeframe AS timeframe,
       a.page_first AS page_first, a.page_last AS page_last, a.lead_units AS lead_units,
       a.partner_units AS partner_units, a.timeframe_kind AS timeframe_kind, a.deadline AS deadline,
       d.id AS document_id, a.local_id AS assignment_id, d.file_name AS source_file, d.plan_code AS plan_code,
       d.issuer AS issuer, d.year AS year
FROM assignments a
JOIN tasks t ON t.id = a.task_id
JOIN sections s ON s.id = t.section_id
JOIN documents d ON d.id = a.document_id
ORDER BY d.id, s.position, t.position, a.position
"""


def normalize_url(url: str) -> str:
    """SQLAlchemy URL for ``url``: PostgreSQL goes through psycopg 3; a bare path is a SQLite file."""
    if "://" not in url:
        return f"sqlite:///{url}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


def open_engine(url: str = DEFAULT_URL) -> Engine:
    """An Engine for ``url`` with the tables created; SQLite files get their folder and foreign keys on."""
    parsed = make_url(normalize_url(url))
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    if parsed.drivername.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _foreign_keys(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    _check_layout(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        if "assignment_rows" not in inspect(conn).get_view_names():
            conn.execute(text(VIEW_SQL))
    return engine


def _check_layout(engine: Engine) -> None:
    """Refuse a database whose tables an earlier tthc made (integer keys, no warnings table): ValueError."""
    with engine.connect() as conn:
        insp = inspect(conn)
        if not insp.has_table("documents"):
            return
        names = {c["name"] for c in insp.get_columns("assignments")} if insp.has_table("assignments") else set()
        if not insp.has_table("warnings") or "local_id" not in names:
            raise ValueError("the database holds the tables of an earlier tthc (integer keys, no warnings table): "
                             "give a new database, or drop its tables to rebuild them with stable ids")


def load_document(path: Path) -> Document:
    """Read a Document written by ``tthc extract``; an older 1.x JSON is upgraded (structured fields computed)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and data.get("format") == "tthc-compact/1":
        raise ValueError(f"{Path(path).name} is a compact JSON (--json compact): only the full form can be read back")
    version = str(data.get("schema_version", ""))
    if version != SCHEMA_VERSION and version.split(".")[0] == SCHEMA_VERSION.split(".")[0]:
        data["schema_version"] = SCHEMA_VERSION
    doc = assign_ids(Document.model_validate(data))  # ids from ordinals: the same as 1.2 writes
    if doc.plan is None or any(a.timeframe_parsed is None for s in doc.sections for t in s.tasks
                               for a in t.assignments):
        from tthc_extract.normalize.plan_meta import add_structured_fields

        doc = add_structured_fields(doc)
    return doc


def _upsert_units(conn: Connection, found: dict[str, Unit]) -> None:
    """Insert the units keyed ``found`` that the table lacks (a unit's first name and kind are kept)."""
    if not found:
        return
    keys = list(found)
    have = set(conn.execute(select(units.c.key).where(units.c.key.in_(keys))).scalars())
    missing = [{"key": k, "name": found[k].name, "kind": found[k].kind} for k in keys if k not in have]
    if missing:
        dialect = conn.dialect.name
        if dialect in ("postgresql", "sqlite"):
            from sqlalchemy.dialects import postgresql, sqlite

            dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            conn.execute(dialect_insert(units).on_conflict_do_nothing(index_elements=["key"]), missing)
        else:  # pragma: no cover
            conn.execute(insert(units), missing)


def _delete_document(conn: Connection, document_id: str, sha256: str) -> None:
    """Delete a document's rows (the same id, or the same sha256)."""
    old = conn.execute(select(documents.c.id).where(
        (documents.c.sha256 == sha256) | (documents.c.id == document_id))).scalars().all()
    for doc_id in old:
        assignment_ids = select(assignments.c.id).where(assignments.c.document_id == doc_id)
        conn.execute(delete(assignment_units).where(assignment_units.c.assignment_id.in_(assignment_ids)))
        conn.execute(delete(warnings).where(warnings.c.document_id == doc_id))
        conn.execute(delete(assignments).where(assignments.c.document_id == doc_id))
        conn.execute(delete(tasks).where(tasks.c.document_id == doc_id))
        conn.execute(delete(sections).where(sections.c.document_id == doc_id))
        conn.execute(delete(documents).where(documents.c.id == doc_id))


def _value_fields(**values: Value) -> dict[str, object]:
    """The columns of ``_value_columns`` for each named Value."""
    out: dict[str, object] = {}
    for name, v in values.items():
        out[f"{name}_confidence"] = v.confidence
        out[f"{name}_reviewed"] = v.reviewed
        out[f"{name}_original_text"] = v.original_text
    return out


_ROW = re.compile(r"\(row (\d+)\)")
_FIELD_WORD = re.compile(r"\b(result|lead|partner|timeframe)\b")


def warning_ids(doc: Document, w: Warning) -> tuple[str | None, str | None, str | None]:
    """The section, task and assignment ids a warning names, when known: its section and task numbers (the first
    section of that number holding that task), the assignment by "(row N)" in the message or, for a task of one
    assignment, by an assignment field named in it; else by its box, when a value's fragment on its page holds
    the box's centre."""
    if w.box is not None and w.pages:
        cx, cy = (w.box.x0 + w.box.x1) / 2, (w.box.top + w.box.bottom) / 2
        for s in doc.sections:
            for t in s.tasks:
                for a in t.assignments:
                    for v in (a.result, a.lead, a.partner, a.timeframe, *a.extra.values()):
                        for f in v.provenance.fragments:
                            if (f.page in w.pages and f.box.x0 <= cx <= f.box.x1
                                    and f.box.top <= cy <= f.box.bottom):
                                return s.id, t.id, a.id
    if w.section is None:
        return None, None, None
    candidates = [s for s in doc.sections if s.number.text.strip() == w.section.strip()]
    if not candidates:
        return None, None, None
    if w.task is None:
        return candidates[0].id, None, None
    for s in candidates:
        for t in s.tasks:
            if t.number.text.strip() != w.task.strip():
                continue
            row = _ROW.search(w.message)
            if row and 1 <= int(row.group(1)) <= len(t.assignments):
                return s.id, t.id, t.assignments[int(row.group(1)) - 1].id
            if len(t.assignments) == 1 and _FIELD_WORD.search(w.message.split(":", 1)[-1]):
                return s.id, t.id, t.assignments[0].id
            return s.id, t.id, None
    return candidates[0].id, None, None


def ingest(engine: Engine, doc: Document) -> str:
    """Store ``doc``, replacing any document with the same id (sha256), in one transaction; returns its id
    (``d-`` + 16 hex digits of the sha256: the same on every ingest of the same PDF)."""
    if doc.plan is None or any(a.timeframe_parsed is None for s in doc.sections for t in s.tasks
                               for a in t.assignments):
        from tthc_extract.normalize.plan_meta import add_structured_fields

        doc = add_structured_fields(doc.model_copy(deep=True))
    if any(not s.id for s in doc.sections):
        doc = assign_ids(doc.model_copy(deep=True))
    plan = doc.plan or PlanMeta()
    doc_id = doc.document_id or document_id_of(doc.source.sha256)
    with engine.begin() as conn:
        _delete_document(conn, doc_id, doc.source.sha256)
        conn.execute(insert(documents).values(
            id=doc_id, sha256=doc.source.sha256, file_name=doc.source.file_name, page_count=doc.source.page_count,
            schema_version=doc.schema_version, engine=doc.engine, engine_version=doc.engine_version,
            title=doc.title_block.title, issuer=plan.issuer or doc.title_block.issuer or None,
            year=plan.year or doc.title_block.year, plan_type=plan.doc_type,
            plan_number=plan.number, plan_symbol=plan.symbol, plan_code=plan.code, plan_date=plan.date,
            warning_count=len(doc.warnings), coverage_ratio=doc.coverage.ratio if doc.coverage else None,
            ingested_at=dt.datetime.now(dt.UTC),
        ))
        found: dict[str, Unit] = {}
        for s in doc.sections:
            for t in s.tasks:
                for a in t.assignments:
                    for u in (*(a.lead_units or []), *(a.partner_units or [])):
                        found.setdefault(u.key, u)
        _upsert_units(conn, found)
        section_rows: list[dict[str, object]] = []
        task_rows: list[dict[str, object]] = []
        assignment_rows: list[dict[str, object]] = []
        links: list[dict[str, object]] = []
        parts = {p.id: p for p in doc.parts}
        for si, s in enumerate(doc.sections):
            section_id = f"{doc_id}.{s.id}"
            part = parts.get(s.part or "")
            section_rows.append(dict(id=section_id, document_id=doc_id, local_id=s.id, position=si, part_id=s.part,
                                     part_number=part.number.text if part else None,
                                     part_title=collapse(part.title.text) if part else None,
                                     number=s.number.text, title=collapse(s.title.text),
                                     **_value_fields(number=s.number, title=s.title)))
            for ti, t in enumerate(s.tasks):
                task_id = f"{doc_id}.{t.id}"
                task_rows.append(dict(id=task_id, section_id=section_id, document_id=doc_id, local_id=t.id,
                                      parent_id=t.parent, position=ti, number=t.number.text,
                                      description=collapse(t.description.text),
                                      **_value_fields(number=t.number, description=t.description)))
                for ai, a in enumerate(t.assignments):
                    tf = a.timeframe_parsed
                    starts = [p.start for p in tf.parts if p.start] if tf else []
                    assignment_id = f"{doc_id}.{a.id}"
                    assignment_rows.append(dict(
                        id=assignment_id, task_id=task_id, document_id=doc_id, local_id=a.id, position=ai,
                        result=collapse(a.result.text), lead=collapse(a.lead.text),
                        partner=collapse(a.partner.text), timeframe=collapse(a.timeframe.text),
                        lead_units=units_text(a.lead_units), partner_units=units_text(a.partner_units),
                        timeframe_kind=timeframe_kind(tf), timeframe_start=min(starts) if starts else None,
                        deadline=tf.deadline if tf else None,
                        timeframe_parsed=tf.model_dump(mode="json") if tf else None,
                        extra={k: v.text for k, v in a.extra.items()} or None,
                        page_first=a.page_first, page_last=a.page_last,
                        **_value_fields(result=a.result, lead=a.lead, partner=a.partner, timeframe=a.timeframe)))
                    for role, role_units in (("lead", a.lead_units or []), ("partner", a.partner_units or [])):
                        links.extend({"assignment_id": assignment_id, "role": role, "position": k,
                                      "unit_key": u.key, "raw": u.raw} for k, u in enumerate(role_units))
        warning_rows = []
        for wi, w in enumerate(doc.warnings):
            sid, tid, aid = warning_ids(doc, w)
            warning_rows.append(dict(document_id=doc_id, position=wi, section_id=sid, task_id=tid, assignment_id=aid,
                                     code=str(w.code), severity=w.severity, message=w.message,
                                     pages=",".join(str(p) for p in w.pages),
                                     box=w.box.model_dump(mode="json") if w.box else None))
        for table, rows in ((sections, section_rows), (tasks, task_rows), (assignments, assignment_rows),
                            (assignment_units, links), (warnings, warning_rows)):
            if rows:
                conn.execute(insert(table), rows)
    return doc_id


@dataclass
class Ingested:
    path: str
    document_id: str | None
    error: str = ""


def ingest_files(url: str, paths: Iterable[Path]) -> list[Ingested]:
    """Ingest each Document JSON (one transaction each); a file that fails is reported, the others go on."""
    engine = open_engine(url)
    out: list[Ingested] = []
    try:
        for path in paths:
            try:
                out.append(Ingested(str(path), ingest(engine, load_document(path))))
            except (OSError, ValueError) as e:
                out.append(Ingested(str(path), None, f"{type(e).__name__}: {e}"))
    finally:
        engine.dispose()
    return out


def task_units(engine: Engine, sha256: str, section: str, task: str) -> dict[str, list[str]]:
    """The unit names of one task's assignments by role (in order), e.g. for dashboards and tests."""
    q = (select(assignment_units.c.role, units.c.name)
         .join(units, units.c.key == assignment_units.c.unit_key)
         .join(assignments, assignments.c.id == assignment_units.c.assignment_id)
         .join(tasks, tasks.c.id == assignments.c.task_id)
         .join(sections, sections.c.id == tasks.c.section_id)
         .join(documents, documents.c.id == tasks.c.document_id)
         .where(documents.c.sha256 == sha256, sections.c.number == section, tasks.c.number == task)
         .order_by(sections.c.position, assignments.c.position, assignment_units.c.role, assignment_units.c.position))
    out: dict[str, list[str]] = {"lead": [], "partner": []}
    with engine.connect() as conn:
        for role, name in conn.execute(q):
            out[role].append(name)
    return out


__all__ = ["DEFAULT_URL", "VIEW_SQL", "display_url", "ingest", "ingest_files", "load_document", "metadata",
           "normalize_url", "open_engine", "task_units", "warning_ids"]
