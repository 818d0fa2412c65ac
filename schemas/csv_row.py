"""The flat CSV projection of a Document: one row per assignment, with the contract header first.

The first ten columns are a contract with dashboards and auditors: never rename or reorder them; new
columns go after them.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemas.document import Document

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


def _collapse(text: str) -> str:
    return " ".join(text.split())


def csv_rows(doc: Document) -> Iterator[dict[str, str]]:
    """Yield one dict per assignment, keyed by CSV_HEADER plus ``extra:<header>`` columns."""
    for section in doc.sections:
        for task in section.tasks:
            for a in task.assignments:
                row = {
                    "section": section.number.text,
                    "section_title": _collapse(section.title.text),
                    "task": task.number.text,
                    "description": _collapse(task.description.text),
                    "result": _collapse(a.result.text),
                    "lead": _collapse(a.lead.text),
                    "partner": _collapse(a.partner.text),
                    "timeframe": _collapse(a.timeframe.text),
                    "page_first": str(a.page_first),
                    "page_last": str(a.page_last),
                }
                for name, value in a.extra.items():
                    row[f"extra:{name}"] = _collapse(value.text)
                yield row


def csv_header(doc: Document) -> list[str]:
    extras: list[str] = []
    for row in csv_rows(doc):
        extras.extend(k for k in row if k.startswith("extra:") and k not in extras)
    return [*CSV_HEADER, *extras]
