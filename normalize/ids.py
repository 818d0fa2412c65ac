"""Stable ids of sections, tasks and assignments, and the addresses of their values.

Ids come from ordinals in reading order (1-based): ``s3`` is the third section, ``s3.t2`` its second task,
``s3.t2.a1`` that task's first assignment; parts above the sections are ``p1``, ``p2``. A sub-task's ``parent`` is
the id of the task it belongs to (normalize/numbering.py). The same PDF extracted by the same version gives the
same ids.
A value is addressed as ``<id>/<field>``: ``s3/number``, ``s3/title``, ``s3.t2/number``, ``s3.t2/description``,
``s3.t2.a1/result`` (``lead``, ``partner``, ``timeframe``) and ``s3.t2.a1/extra:<header>`` for an extra column.
"""

from __future__ import annotations

from collections.abc import Iterator

from tthc_extract.normalize.numbering import parents
from tthc_extract.schemas.document import ASSIGNMENT_FIELDS, Document, Value


def assign_ids(doc: Document) -> Document:
    """Give every section, task and assignment of ``doc`` its ordinal id (in place); returns ``doc``."""
    for i, s in enumerate(doc.sections, 1):
        s.id = f"s{i}"
        for j, t in enumerate(s.tasks, 1):
            t.id = f"{s.id}.t{j}"
            for k, a in enumerate(t.assignments, 1):
                a.id = f"{t.id}.a{k}"
        for t, parent in zip(s.tasks, parents([t.number.text for t in s.tasks]), strict=True):
            t.parent = s.tasks[parent].id if parent is not None else None
    return doc


def iter_values(doc: Document) -> Iterator[tuple[str, Value]]:
    """Every addressable value of ``doc`` as (address, Value), in reading order."""
    for p in doc.parts:
        yield f"{p.id}/number", p.number
        yield f"{p.id}/title", p.title
    for s in doc.sections:
        yield f"{s.id}/number", s.number
        yield f"{s.id}/title", s.title
        for t in s.tasks:
            yield f"{t.id}/number", t.number
            yield f"{t.id}/description", t.description
            for a in t.assignments:
                for name in ASSIGNMENT_FIELDS:
                    yield f"{a.id}/{name}", getattr(a, name)
                for header, v in a.extra.items():
                    yield f"{a.id}/extra:{header}", v


def values_by_address(doc: Document) -> dict[str, Value]:
    """Address → Value of every value of ``doc``."""
    return dict(iter_values(doc))


__all__ = ["assign_ids", "iter_values", "values_by_address"]
