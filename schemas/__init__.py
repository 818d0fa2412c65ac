"""Typed values passed between stages: the raw PageTable from engines and the validated Document."""

from schemas.csv_row import CSV_HEADER, csv_header, csv_rows
from schemas.document import (
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
from schemas.raw import Box, Cell, PageTable, TextLine

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
