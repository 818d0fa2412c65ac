"""The validated logical table of one appendix: document → sections → tasks → assignments.

Every text value carries its provenance (the page(s) and cell box(es) it was read from and how the
normalizer obtained it), so auditors can trace each value back to the PDF.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    WrapSerializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS as ASSIGNMENT_FIELDS  # re-exported
from tthc_extract.schemas.raw import Box

SCHEMA_VERSION: Final = "1.2.0"



class Repair(StrEnum):
    """How the normalizer obtained a value, beyond reading one cell as is."""

    JOINED_ACROSS_PAGES = "joined_across_pages"
    MERGED_CELL = "merged_cell"
    CORRECTED = "corrected"  # replaced by a reviewer's correction (tthc extract --review; schema 1.2)
    #: the OCR engine changed what Tesseract read (tone marks respelled, a number fitted to its sequence); an
    #: ``ocr_repaired`` warning with the value's address gives the reading (schema 1.2, additive)
    OCR_REPAIRED = "ocr_repaired"


class Fragment(BaseModel):
    """One piece of a value: the cell box on one page that the text (or part of it) came from."""

    model_config = ConfigDict(frozen=True)

    page: int
    box: Box


class Provenance(BaseModel):
    """Where a value came from: its fragments in reading order and the repairs applied to it."""

    fragments: list[Fragment] = Field(default_factory=list)
    repairs: list[Repair] = Field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({f.page for f in self.fragments})


class Value(BaseModel):
    """A cell's text with its provenance."""

    text: str
    provenance: Provenance = Field(default_factory=Provenance)
    confidence: float | None = Field(None, description="OCR confidence 0..1 where the text came from OCR")
    original_text: str | None = Field(
        None, description="the extracted text a reviewer corrected into ``text`` (tthc extract --review; schema 1.2)")
    reviewed: bool = Field(False, description="a reviewer checked this value, or corrected it (schema 1.2)")
    ocr_read: str | None = Field(None, exclude=True, description="OCR: the text as Tesseract read it, when the "
                                 "engine's repairs changed it (shown in an ocr_repaired warning, not written)")
    absent: bool = Field(False, exclude=True,
                         description="the table has no column for it: written as null, read back from null")


#: A value that may be absent because the table has no column for it (an STT, a result, a partner column):
#: null in the JSON; in Python an empty Value whose ``absent`` is true, so code reads ``.text`` either way.
def _absent_from_null(v: object) -> object:
    return {"text": "", "absent": True} if v is None else v


def _null_if_absent(v: Value, handler: SerializerFunctionWrapHandler) -> object:
    return None if v.absent else handler(v)


class _OrNull:
    """In the JSON Schema, a value that may be null."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [handler(core), {"type": "null"}]}


OptionalValue = Annotated[Value, BeforeValidator(_absent_from_null), WrapSerializer(_null_if_absent), _OrNull]


def absent_value() -> Value:
    """A value for a field the table has no column for (written as null)."""
    return Value(text="", absent=True)


class Unit(BaseModel):
    """One unit named in a lead or partner cell (normalize/units.py), or a reference standing for units."""

    name: str = Field(description="as printed, whitespace-collapsed, NFC, first letter upper-case")
    key: str = Field(description="matching key: case-folded, tone-mark placement and 'UBND' folded")
    raw: str = Field(description="the piece of the cell as printed")
    kind: Literal["unit", "reference", "unknown"] = Field(
        "unit", description="unit: starts with a known unit head; reference: 'Theo phân công tại …'; unknown: kept")
    reference: str | None = Field(None, description="the document referred to, for kind reference")


TimeframeKind = Literal["ongoing", "deadline", "relative", "month", "year", "quarter", "range", "periodic",
                        "on_demand", "reference", "unparsed"]


OffsetUnit = Literal["day", "working_day", "week", "month", "year"]


class Offset(BaseModel):
    """The delay of a relative deadline: "Sau 03 tháng kể từ …" is 3 months (schema 1.2, issue 16)."""

    amount: int = Field(description="how many units, e.g. 3")
    unit: OffsetUnit = Field(
        description="working_day for 'ngày làm việc'")


class TimeframePart(BaseModel):
    """One time expression of a timeframe cell (normalize/timeframes.py)."""

    kind: TimeframeKind
    raw: str = Field(description="the clause of the cell this part was read from")
    start: dt.date | None = None
    end: dt.date | None = None
    recurrence: Literal["weekly", "monthly", "quarterly", "semiannual", "yearly"] | None = None
    reference: str | None = Field(None, description="the document referred to, for kind reference")
    offset: Offset | None = Field(None, description="for kind relative: the delay after the event (schema 1.2)")
    event: str | None = Field(None, description="for kind relative: the event the delay runs from, as printed "
                                                "('khi có văn bản …'; schema 1.2)")


class Timeframe(BaseModel):
    """A timeframe cell read into parts; ``deadline`` is the latest end date of its parts, if any."""

    raw: str
    parts: list[TimeframePart] = Field(default_factory=list)
    deadline: dt.date | None = None
    warnings: list[str] = Field(default_factory=list)


class PlanMeta(BaseModel):
    """The plan the appendix is attached to, read from the title block (normalize/plan_meta.py)."""

    doc_type: str | None = Field(None, description="e.g. 'Kế hoạch', 'Quyết định'")
    number: str | None = Field(None, description="e.g. '18'; null when left blank (a draft)")
    symbol: str | None = Field(None, description="e.g. 'KH-SVHTTDL'")
    code: str | None = Field(None, description="number/symbol, e.g. '18/KH-SVHTTDL'; null without a number")
    date: dt.date | None = Field(None, description="the signing date; null when any part is blank")
    issuer: str | None = None
    year: int | None = None
    warnings: list[str] = Field(default_factory=list)


class Assignment(BaseModel):
    """One result row of a task: what is produced, by whom, with whom, by when."""

    id: str = Field("", description="stable id from ordinals, e.g. 's3.t2.a1' (normalize/ids.py; schema 1.2)")
    result: OptionalValue = Field(description="null when the table has no result column (schema 1.2)")
    lead: OptionalValue = Field(description="null when the table has no lead column (schema 1.2)")
    partner: OptionalValue = Field(description="null when the table has no partner column (schema 1.2)")
    timeframe: OptionalValue = Field(description="null when the table has no timeframe column (schema 1.2)")
    extra: dict[str, Value] = Field(
        default_factory=dict, description="cells of columns the header mapping did not recognise, by header text"
    )
    page_first: int
    page_last: int
    lead_units: list[Unit] | None = Field(None, description="the lead cell split into units (schema 1.1)")
    partner_units: list[Unit] | None = Field(None, description="the partner cell split into units (schema 1.1)")
    timeframe_parsed: Timeframe | None = Field(None, description="the timeframe cell read into parts (schema 1.1)")


class Task(BaseModel):
    id: str = Field("", description="stable id from ordinals, e.g. 's3.t2' (normalize/ids.py; schema 1.2)")
    number: OptionalValue = Field(description="as printed; null when the table has no STT column (tasks are then "
                                              "numbered by their order: the ordinal is in the id)")
    description: Value
    assignments: list[Assignment]
    parent: str | None = Field(None, description="id of the task this one belongs to: 1.2 → 1, a) → the numbered "
                                                 "task above, '-' → the nearest numbered task (schema 1.2)")


class Section(BaseModel):
    id: str = Field("", description="stable id from ordinals, e.g. 's3' (normalize/ids.py; schema 1.2)")
    number: Value
    title: Value
    tasks: list[Task]
    part: str | None = Field(None, description="id of the part above this section ('A. …', 'Phần I'), if any "
                                               "(schema 1.2)")


class Part(BaseModel):
    """A level above sections: "A. NHIỆM VỤ CHUNG", "Phần I. …"."""

    id: str = Field(description="'p1', 'p2', … in reading order")
    number: Value
    title: Value


class TitleBlock(BaseModel):
    """The text above the table on its first page: "Phụ lục", the title, the "(Kèm theo …)" line."""

    heading: str = ""
    title: str = ""
    attachment_line: str = ""
    issuer: str = ""
    year: int | None = None
    lines: list[Value] = Field(default_factory=list, description="every line of the title block as printed")


class SourceInfo(BaseModel):
    file_name: str
    sha256: str
    page_count: int
    table_pages: list[int] = Field(description="pages on which the task table was found")
    turned_pages: dict[int, int] = Field(
        default_factory=dict, description="table pages whose text runs sideways: degrees they were turned clockwise "
                                          "beyond their /Rotate to be read (boxes are in that frame; schema 1.2)")


class ColumnMapping(BaseModel):
    """How one printed column header was mapped to a field of the schema."""

    index: int
    header: str
    field: str = Field(description="one of stt, description, result, lead, partner, timeframe, or extra")
    combined: bool = Field(False, description="the column holds the lead and the partner together "
                                              "('chủ trì/phối hợp'): its text is the lead as printed (schema 1.2)")


class WarningCode(StrEnum):
    DUPLICATE_SECTION_TITLE = "duplicate_section_title"
    NUMBERING_GAP = "numbering_gap"
    EMPTY_REQUIRED_CELL = "empty_required_cell"
    JOINED_ACROSS_PAGES = "joined_across_pages"
    UNKNOWN_COLUMN = "unknown_column"
    UNEXPECTED_TEXT = "unexpected_text"
    UNPARSED_TIMEFRAME = "unparsed_timeframe"
    PLAN_METADATA = "plan_metadata"
    TEXT_NOT_ASSIGNED = "text_not_assigned"
    TEXT_ASSIGNED_TWICE = "text_assigned_twice"
    MISSING_COLUMN = "missing_column"
    REVIEW_ITEM_STALE = "review_item_stale"
    TABLE_NOT_READ = "table_not_read"
    OCR_REPAIRED = "ocr_repaired"


Severity = Literal["info", "warning", "error"]

#: The severity of each warning code: ``error`` means text of the PDF is missing from (or doubled in) the
#: output, so the file is ``suspect``; ``info`` records a repair that went as expected.
SEVERITY: dict[WarningCode, Severity] = {
    WarningCode.DUPLICATE_SECTION_TITLE: "warning",
    WarningCode.NUMBERING_GAP: "warning",
    WarningCode.EMPTY_REQUIRED_CELL: "warning",
    WarningCode.JOINED_ACROSS_PAGES: "info",
    WarningCode.UNKNOWN_COLUMN: "info",
    WarningCode.UNEXPECTED_TEXT: "warning",
    WarningCode.UNPARSED_TIMEFRAME: "warning",
    WarningCode.PLAN_METADATA: "info",
    WarningCode.TEXT_NOT_ASSIGNED: "error",
    WarningCode.TEXT_ASSIGNED_TWICE: "error",
    WarningCode.MISSING_COLUMN: "info",
    WarningCode.REVIEW_ITEM_STALE: "warning",
    WarningCode.TABLE_NOT_READ: "warning",
    WarningCode.OCR_REPAIRED: "info",
}


class Warning(BaseModel):  # noqa: A001 - the schema's own name for it
    code: WarningCode
    severity: Severity = Field("warning", description="info, warning or error; the code's severity when not given")
    message: str
    pages: list[int] = Field(default_factory=list)
    section: str | None = None
    task: str | None = None
    box: Box | None = Field(None, description="where on its page the text a warning names was read (schema 1.2)")
    value: str | None = Field(None, description="the address of the value it is about, '<id>/<field>' "
                                                "(e.g. 's3.t2.a1/lead'; schema 1.2)")

    @model_validator(mode="before")
    @classmethod
    def _severity_of_code(cls, data: object) -> object:
        if isinstance(data, dict) and "severity" not in data and "code" in data:
            return {**data, "severity": SEVERITY[WarningCode(data["code"])]}
        return data


class Coverage(BaseModel):
    """Text conservation (normalize/conservation.py): every non-blank character the engine read in the task
    table's cells on every table page and in the title block, and where it went."""

    read: int = Field(description="characters read (whitespace not counted)")
    assigned: int = Field(description="characters found in exactly one output value")
    furniture: int = Field(description="characters dropped on purpose: repeated header rows, column numbers")
    unassigned: int = Field(description="characters in no output value (each is a text_not_assigned error)")
    assigned_twice: int = Field(description="characters found in two values that are not one merged cell")
    ratio: float = Field(description="(assigned + furniture) / read; 1.0 when nothing was lost")


def document_id_of(sha256: str) -> str:
    """The stable id of a document: ``"d-"`` and the first 16 hex digits of its PDF's sha256 (64 bits: no
    collision to expect among millions of documents), the same on every extraction of the same file."""
    return f"d-{sha256[:16].lower()}"


class Document(BaseModel):
    """One appendix's task table, validated; the top-level object of the JSON output."""

    schema_version: Literal["1.2.0"] = SCHEMA_VERSION
    document_id: str = Field("", description="stable id from the PDF's sha256: 'd-' + its first 16 hex digits "
                                             "(set from source.sha256 when absent; schema 1.2, issue 16)")
    source: SourceInfo
    engine: str
    engine_version: str
    title_block: TitleBlock
    columns: list[ColumnMapping]
    sections: list[Section]
    parts: list[Part] = Field(default_factory=list, description="levels above the sections, if the table has any "
                                                                  "(schema 1.2)")
    warnings: list[Warning] = Field(default_factory=list)
    plan: PlanMeta | None = Field(None, description="the plan's number, date and issuer (schema 1.1)")
    coverage: Coverage | None = Field(None, description="text conservation figures (schema 1.2)")

    @model_validator(mode="after")
    def _document_id_from_sha256(self) -> Document:
        if not self.document_id and self.source.sha256:
            self.document_id = document_id_of(self.source.sha256)
        return self

    def counts(self) -> dict[str, int]:
        return {
            "sections": len(self.sections),
            "tasks": sum(len(s.tasks) for s in self.sections),
            "assignments": sum(len(t.assignments) for s in self.sections for t in s.tasks),
        }
