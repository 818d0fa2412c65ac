"""The flat CSV projection of a Document: one row per assignment, with the contract header first.

The first ten columns are a contract with dashboards and auditors: never rename or reorder them; new
columns go after them. Then the structured columns (schema 1.1): ``lead_units`` and ``partner_units`` (unit
names joined with " | "), ``timeframe_kind`` (the kinds of the timeframe's parts, joined with " | ") and
``deadline`` (the latest ISO end date of its parts, if any); then ``extra:<header>`` columns (only where the
document has columns the header mapping did not know); then, last (issue 16), the identity columns
``document_id`` (``d-`` + the first 16 hex digits of the PDF's sha256), ``assignment_id`` (``s3.t2.a1``),
``source_file``, ``plan_code``, ``issuer`` and ``year``, so that the CSVs of several documents can be joined.
"""

from __future__ import annotations

from collections.abc import Iterator

from tthc_extract.schemas.document import Document, Timeframe, Unit
from tthc_extract.schemas.fields import extra_field, extra_header
from tthc_extract.schemas.text import collapse

CSV_HEADER: tuple[str, ...] = (
    "section",
    "section_title",
    "task",
    "description",
    "result",
    "lead",
    "partner",
    "timeframe",
    "page_first",
    "page_last",
)

#: Structured columns (schema 1.1), after the contract's and before the ``extra:<header>`` ones.
STRUCTURED_HEADER: tuple[str, ...] = ("lead_units", "partner_units", "timeframe_kind", "deadline")

#: Identity columns (issue 16), after every other column: which document and which assignment a row is.
IDENTITY_HEADER: tuple[str, ...] = ("document_id", "assignment_id", "source_file", "plan_code", "issuer", "year")

#: Separator of the units (and kinds) joined in one CSV cell.
JOIN = " | "


def units_text(units: list[Unit] | None) -> str:
    return JOIN.join(u.name for u in units or [])


def timeframe_kind(tf: Timeframe | None) -> str:
    """The distinct kinds of a parsed timeframe's parts in order, joined with " | " ("" when empty)."""
    kinds: list[str] = []
    for p in tf.parts if tf else []:
        if p.kind not in kinds:
            kinds.append(p.kind)
    return JOIN.join(kinds)


def identity(doc: Document) -> dict[str, str]:
    """The document's identity columns (all but ``assignment_id``): the plan's issuer and year, else the title
    block's."""
    plan = doc.plan
    year = (plan.year if plan else None) or doc.title_block.year
    return {
        "document_id": doc.document_id,
        "source_file": doc.source.file_name,
        "plan_code": (plan.code if plan else None) or "",
        "issuer": (plan.issuer if plan else None) or doc.title_block.issuer,
        "year": str(year) if year else "",
    }


def csv_rows(doc: Document) -> Iterator[dict[str, str]]:
    """Yield one dict per assignment, keyed by CSV_HEADER, STRUCTURED_HEADER, ``extra:<header>`` and
    IDENTITY_HEADER columns."""
    ident = identity(doc)
    for section in doc.sections:
        for task in section.tasks:
            for a in task.assignments:
                row = {
                    "section": section.number.text,
                    "section_title": collapse(section.title.text),
                    "task": task.number.text,
                    "description": collapse(task.description.text),
                    "result": collapse(a.result.text),
                    "lead": collapse(a.lead.text),
                    "partner": collapse(a.partner.text),
                    "timeframe": collapse(a.timeframe.text),
                    "page_first": str(a.page_first),
                    "page_last": str(a.page_last),
                    "lead_units": units_text(a.lead_units),
                    "partner_units": units_text(a.partner_units),
                    "timeframe_kind": timeframe_kind(a.timeframe_parsed),
                    "deadline": a.timeframe_parsed.deadline.isoformat()
                    if a.timeframe_parsed and a.timeframe_parsed.deadline else "",
                }
                for name, value in a.extra.items():
                    row[extra_field(name)] = collapse(value.text)
                row["document_id"] = ident["document_id"]
                row["assignment_id"] = a.id
                row.update({k: ident[k] for k in IDENTITY_HEADER[2:]})
                yield row


def csv_header(doc: Document) -> list[str]:
    extras: list[str] = []
    for row in csv_rows(doc):
        extras.extend(k for k in row if extra_header(k) is not None and k not in extras)
    return [*CSV_HEADER, *STRUCTURED_HEADER, *extras, *IDENTITY_HEADER]
