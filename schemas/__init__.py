"""Typed values passed between stages: the raw PageTable from engines and the validated Document."""

from tthc_extract.schemas.csv_row import CSV_HEADER, csv_header, csv_rows
from tthc_extract.schemas.document import (
    ASSIGNMENT_FIELDS,
    SCHEMA_VERSION,
    Assignment,
    ColumnMapping,
    Document,
    Fragment,
    Provenance,
    Repair,
    Section,
    SourceInfo,
    Task,
    TitleBlock,
    Value,
    Warning,
    WarningCode,
)
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

__all__ = [
    "ASSIGNMENT_FIELDS",
    "CSV_HEADER",
    "SCHEMA_VERSION",
    "Assignment",
    "Box",
    "Cell",
    "ColumnMapping",
    "Document",
    "Fragment",
    "PageTable",
    "Provenance",
    "Repair",
    "Section",
    "SourceInfo",
    "Task",
    "TextLine",
    "TitleBlock",
    "Value",
    "Warning",
    "WarningCode",
    "csv_header",
    "csv_rows",
]
