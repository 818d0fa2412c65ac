"""The vocabulary of a task table's columns: one name per logical field, shared by the header model, the
normalizer, the writers and the reports (the CSV contract and the database keep their own column names)."""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """A logical column of the task table. A member is its ``str`` value (``Field.STT == "stt"``), so it keys
    the same dictionaries and compares with names read back from JSON."""

    STT = "stt"
    DESCRIPTION = "description"
    RESULT = "result"
    LEAD = "lead"
    PARTNER = "partner"
    TIMEFRAME = "timeframe"


#: The assignment fields of the logical table, in the source's usual column order.
ASSIGNMENT_FIELDS: tuple[Field, ...] = (Field.RESULT, Field.LEAD, Field.PARTNER, Field.TIMEFRAME)
#: The fields of a task's own row (number and description) before its assignments.
TASK_FIELDS: tuple[Field, ...] = (Field.STT, Field.DESCRIPTION)
#: An extra column (one the header model does not name, e.g. "Ghi chú") is keyed ``extra:<its header>``.
EXTRA_PREFIX = "extra:"


def extra_field(header: str) -> str:
    """The key of the extra column headed ``header``."""
    return f"{EXTRA_PREFIX}{header}"


def extra_header(key: str) -> str | None:
    """The header of an extra column's key, or None when ``key`` names no extra column."""
    return key[len(EXTRA_PREFIX):] if key.startswith(EXTRA_PREFIX) else None
