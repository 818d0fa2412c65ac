"""The compact JSON of a Document, for machines (``tthc extract … --json compact``; ``tthc schema --compact``).

Format ``tthc-compact/1``: the same sections, tasks and assignments with the same ids, but every value a plain
string and provenance only as page numbers (``pages`` of each section and task, ``page_first``/``page_last``
of each assignment); no boxes, repairs, confidences, raw units or parsed timeframe parts: units are their names,
the timeframe its kinds and deadline. About a seventh of the full JSON's size (23 KB instead of 166 KB for
the 27 assignments of a sample). It keeps
``schema_version``, ``engine`` and ``source.sha256`` where the full form has them (the skip-unchanged check reads
them), and is not read back by ``--db``, ``tthc diff`` or the audit report: those need the full form.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from tthc_extract.schemas.csv_row import identity
from tthc_extract.schemas.document import SCHEMA_VERSION, Document, Value
from tthc_extract.schemas.text import collapse

COMPACT_FORMAT: Final = "tthc-compact/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompactSource(_Strict):
    file_name: str
    sha256: str
    page_count: int
    table_pages: list[int]


class CompactAssignment(_Strict):
    id: str = Field(description="e.g. 's3.t2.a1'")
    result: str
    lead: str
    partner: str
    timeframe: str
    extra: dict[str, str] = Field(default_factory=dict, description="cells of unrecognised columns, by header")
    page_first: int
    page_last: int
    lead_units: list[str] = Field(default_factory=list, description="unit names of the lead cell")
    partner_units: list[str] = Field(default_factory=list, description="unit names of the partner cell")
    timeframe_kinds: list[str] = Field(default_factory=list, description="the timeframe's kinds, in order")
    deadline: dt.date | None = None


class CompactTask(_Strict):
    id: str = Field(description="e.g. 's3.t2'")
    number: str
    description: str
    pages: list[int] = Field(description="pages the task's number and description were read from")
    parent: str | None = Field(None, description="id of the task this one belongs to (1.2 → 1), if any")
    assignments: list[CompactAssignment]


class CompactPart(_Strict):
    id: str = Field(description="'p1', … in reading order")
    number: str
    title: str


class CompactSection(CompactPart):
    id: str = Field(description="e.g. 's3'")
    pages: list[int]
    part: str | None = Field(None, description="id of the part above this section, if any")
    tasks: list[CompactTask]


class CompactWarning(_Strict):
    code: str
    severity: Literal["info", "warning", "error"]
    message: str
    pages: list[int] = Field(default_factory=list)


class CompactDocument(_Strict):
    """One appendix's task table in the compact form (``tthc-compact/1``)."""

    format: Literal["tthc-compact/1"] = COMPACT_FORMAT
    schema_version: Literal["1.2.0"] = SCHEMA_VERSION
    document_id: str = Field(description="'d-' + the first 16 hex digits of the PDF's sha256")
    engine: str
    source: CompactSource
    title: str
    plan_code: str | None = None
    issuer: str | None = None
    year: int | None = None
    parts: list[CompactPart] = Field(default_factory=list, description="levels above the sections, if any")
    sections: list[CompactSection]
    warnings: list[CompactWarning] = Field(default_factory=list)


def _text(v: Value) -> str:
    return collapse(v.text)


def _pages(*values: Value) -> list[int]:
    return sorted({p for v in values for p in v.provenance.pages})


def to_compact(doc: Document) -> CompactDocument:
    """The compact form of ``doc`` (ids as in the full form)."""
    ident = identity(doc)
    sections = []
    for s in doc.sections:
        tasks = []
        for t in s.tasks:
            assignments = []
            for a in t.assignments:
                tf = a.timeframe_parsed
                kinds: list[str] = []
                for p in tf.parts if tf else []:
                    if p.kind not in kinds:
                        kinds.append(p.kind)
                assignments.append(CompactAssignment(
                    id=a.id, result=_text(a.result), lead=_text(a.lead), partner=_text(a.partner),
                    timeframe=_text(a.timeframe), extra={k: _text(v) for k, v in a.extra.items()},
                    page_first=a.page_first, page_last=a.page_last,
                    lead_units=[u.name for u in a.lead_units or []],
                    partner_units=[u.name for u in a.partner_units or []],
                    timeframe_kinds=kinds, deadline=tf.deadline if tf else None))
            tasks.append(CompactTask(id=t.id, number=_text(t.number), description=_text(t.description),
                                     pages=_pages(t.number, t.description), parent=t.parent,
                                     assignments=assignments))
        sections.append(CompactSection(id=s.id, number=_text(s.number), title=_text(s.title),
                                       pages=_pages(s.number, s.title), part=s.part, tasks=tasks))
    return CompactDocument(
        document_id=doc.document_id, engine=doc.engine,
        source=CompactSource(file_name=doc.source.file_name, sha256=doc.source.sha256,
                             page_count=doc.source.page_count, table_pages=doc.source.table_pages),
        title=collapse(doc.title_block.title), plan_code=ident["plan_code"] or None,
        issuer=ident["issuer"] or None, year=int(ident["year"]) if ident["year"] else None,
        parts=[CompactPart(id=p.id, number=_text(p.number), title=_text(p.title)) for p in doc.parts],
        sections=sections,
        warnings=[CompactWarning(code=str(w.code), severity=w.severity, message=w.message, pages=w.pages)
                  for w in doc.warnings])


def compact_json_bytes(doc: Document) -> bytes:
    """The compact JSON: one line per section (readable diffs), UTF-8, no indentation inside."""
    data = to_compact(doc).model_dump(mode="json")
    sections = data.pop("sections")
    head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    body = ",\n".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in sections)
    return f'{head[:-1]},"sections":[\n{body}\n]}}\n'.encode()


def is_compact(data: Any) -> bool:
    """True for a parsed JSON in the compact form."""
    return isinstance(data, dict) and data.get("format") == COMPACT_FORMAT


def compact_json_schema() -> dict[str, Any]:
    """The JSON Schema of the compact form (``tthc schema --compact``)."""
    s = CompactDocument.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["$id"] = f"tthc-extract/compact/{COMPACT_FORMAT}"
    s["title"] = f"tthc-extract compact document ({COMPACT_FORMAT}, schema {SCHEMA_VERSION})"
    return s


__all__ = ["COMPACT_FORMAT", "CompactDocument", "compact_json_bytes", "compact_json_schema", "is_compact",
           "to_compact"]
