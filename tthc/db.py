"""Store extracted Documents in a relational database through SQLAlchemy 2: SQLite (embedded) or PostgreSQL.

Tables, with primary and foreign keys::

    documents        one per source PDF, identified by its sha256 (plan number, date, issuer, year)
    sections         document_id → documents
    tasks            section_id → sections, document_id → documents
    assignments      task_id → tasks, document_id → documents (texts, timeframe kind, start, deadline, parsed JSON)
    units            one per distinct unit key (name, kind: unit / reference / unknown)
    assignment_units assignment_id → assignments, unit_id → units, role lead / partner, position, raw text

Re-ingesting a document with the same sha256 deletes its rows and inserts the new ones in ONE transaction, so
the database never holds two copies nor a half-written one. Units are shared between documents and kept.
``tthc extract … --db URL`` opens the database (connects, creates the tables) before the first file, and ingests in
the parent process after the batch, reading each Document back from the JSON the batch wrote; a document that
cannot be stored makes its file failed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
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
    select,
)
from sqlalchemy.engine import Connection, CursorResult, make_url
from sqlalchemy.types import JSON

from normalize.ids import assign_ids
from schemas.csv_row import timeframe_kind
from schemas.document import SCHEMA_VERSION, Document, Unit

DEFAULT_URL = "sqlite:///output/tthc.db"

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
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
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

sections = Table(
    "sections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("number", String(32), nullable=False),
    Column("title", Text, nullable=False),
)

tasks = Table(
    "tasks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("section_id", Integer, ForeignKey("sections.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("number", String(32), nullable=False),
    Column("description", Text, nullable=False),
)

assignments = Table(
    "assignments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", Integer, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("result", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("partner", Text, nullable=False),
    Column("timeframe", Text, nullable=False),
    Column("timeframe_kind", String(160), nullable=False),
    Column("timeframe_start", Date),
    Column("deadline", Date),
    Column("timeframe_parsed", JSON),
    Column("extra", JSON),
    Column("page_first", Integer, nullable=False),
    Column("page_last", Integer, nullable=False),
)

units = Table(
    "units", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

assignment_units = Table(
    "assignment_units", metadata,
    Column("assignment_id", Integer, ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(8), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("raw", Text, nullable=False),
    CheckConstraint("role IN ('lead', 'partner')", name="ck_assignment_units_role"),
    Index("ix_assignment_units_unit", "unit_id"),
)


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
    metadata.create_all(engine)
    return engine


def load_document(path: Path) -> Document:
    """Read a Document written by ``tthc extract``; an older 1.x JSON is upgraded (structured fields computed)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    version = str(data.get("schema_version", ""))
    if version != SCHEMA_VERSION and version.split(".")[0] == SCHEMA_VERSION.split(".")[0]:
        data["schema_version"] = SCHEMA_VERSION
    doc = assign_ids(Document.model_validate(data))  # ids from ordinals: the same as 1.2 writes
    if doc.plan is None or any(a.timeframe_parsed is None for s in doc.sections for t in s.tasks
                               for a in t.assignments):
        from normalize.plan_meta import add_structured_fields

        doc = add_structured_fields(doc)
    return doc


def _upsert_units(conn: Connection, found: dict[str, Unit]) -> dict[str, int]:
    """Ids of the units keyed ``found``, inserting the ones the table lacks."""
    if not found:
        return {}
    keys = list(found)
    ids = dict(conn.execute(select(units.c.key, units.c.id).where(units.c.key.in_(keys))).all())
    missing = [{"key": k, "name": found[k].name, "kind": found[k].kind} for k in keys if k not in ids]
    if missing:
        dialect = conn.dialect.name
        if dialect in ("postgresql", "sqlite"):
            from sqlalchemy.dialects import postgresql, sqlite

            dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            conn.execute(dialect_insert(units).on_conflict_do_nothing(index_elements=["key"]), missing)
        else:  # pragma: no cover
            conn.execute(insert(units), missing)
        ids = dict(conn.execute(select(units.c.key, units.c.id).where(units.c.key.in_(keys))).all())
    return ids


def _delete_document(conn: Connection, sha256: str) -> None:
    old = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar_one_or_none()
    if old is None:
        return
    assignment_ids = select(assignments.c.id).where(assignments.c.document_id == old)
    conn.execute(delete(assignment_units).where(assignment_units.c.assignment_id.in_(assignment_ids)))
    conn.execute(delete(assignments).where(assignments.c.document_id == old))
    conn.execute(delete(tasks).where(tasks.c.document_id == old))
    conn.execute(delete(sections).where(sections.c.document_id == old))
    conn.execute(delete(documents).where(documents.c.id == old))


def _new_id(result: CursorResult) -> int:
    """The primary key of the row an INSERT added."""
    key = result.inserted_primary_key
    assert key is not None  # a single-row INSERT always has one
    return int(key[0])


def ingest(engine: Engine, doc: Document) -> int:
    """Store ``doc``, replacing any document with the same sha256, in one transaction; its new id."""
    if doc.plan is None or any(a.timeframe_parsed is None for s in doc.sections for t in s.tasks
                               for a in t.assignments):
        from normalize.plan_meta import add_structured_fields

        doc = add_structured_fields(doc.model_copy(deep=True))
    plan = doc.plan
    assert plan is not None  # add_structured_fields always reads one
    with engine.begin() as conn:
        _delete_document(conn, doc.source.sha256)
        doc_id = _new_id(conn.execute(insert(documents).values(
            sha256=doc.source.sha256, file_name=doc.source.file_name, page_count=doc.source.page_count,
            schema_version=doc.schema_version, engine=doc.engine, engine_version=doc.engine_version,
            title=doc.title_block.title, issuer=plan.issuer, year=plan.year, plan_type=plan.doc_type,
            plan_number=plan.number, plan_symbol=plan.symbol, plan_code=plan.code, plan_date=plan.date,
            warning_count=len(doc.warnings), ingested_at=dt.datetime.now(dt.UTC),
        )))
        found: dict[str, Unit] = {}
        for s in doc.sections:
            for t in s.tasks:
                for a in t.assignments:
                    for u in (*(a.lead_units or []), *(a.partner_units or [])):
                        found.setdefault(u.key, u)
        unit_ids = _upsert_units(conn, found)
        links: list[dict[str, object]] = []
        for si, s in enumerate(doc.sections):
            section_id = _new_id(conn.execute(insert(sections).values(
                document_id=doc_id, position=si, number=s.number.text, title=" ".join(s.title.text.split()),
            )))
            for ti, t in enumerate(s.tasks):
                task_id = _new_id(conn.execute(insert(tasks).values(
                    section_id=section_id, document_id=doc_id, position=ti, number=t.number.text,
                    description=" ".join(t.description.text.split()),
                )))
                for ai, a in enumerate(t.assignments):
                    tf = a.timeframe_parsed
                    starts = [p.start for p in tf.parts if p.start] if tf else []
                    assignment_id = _new_id(conn.execute(insert(assignments).values(
                        task_id=task_id, document_id=doc_id, position=ai,
                        result=" ".join(a.result.text.split()), lead=" ".join(a.lead.text.split()),
                        partner=" ".join(a.partner.text.split()), timeframe=" ".join(a.timeframe.text.split()),
                        timeframe_kind=timeframe_kind(tf), timeframe_start=min(starts) if starts else None,
                        deadline=tf.deadline if tf else None,
                        timeframe_parsed=tf.model_dump(mode="json") if tf else None,
                        extra={k: v.text for k, v in a.extra.items()} or None,
                        page_first=a.page_first, page_last=a.page_last,
                    )))
                    for role, role_units in (("lead", a.lead_units or []), ("partner", a.partner_units or [])):
                        links.extend({"assignment_id": assignment_id, "role": role, "position": k,
                                      "unit_id": unit_ids[u.key], "raw": u.raw} for k, u in enumerate(role_units))
        if links:
            conn.execute(insert(assignment_units), links)
    return int(doc_id)


@dataclass
class Ingested:
    path: str
    document_id: int | None
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
         .join(units, units.c.id == assignment_units.c.unit_id)
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


__all__ = ["DEFAULT_URL", "display_url", "ingest", "ingest_files", "load_document", "metadata", "normalize_url",
           "open_engine", "task_units"]
