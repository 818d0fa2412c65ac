"""Pure repairs that turn an engine's page grids into a validated Document (never opens a PDF).

Pipeline order: find and map the header → select the task table's pages → assemble logical rows
(drop repeated headers, stitch rows split across pages, resolve merged cells, join wrapped lines) →
build sections/tasks/assignments → read the title block → warnings → structured fields (plan, units, timeframes).
"""

from __future__ import annotations

from normalize.assemble import assemble
from normalize.build import build_sections
from normalize.header import EXTRA, HeaderMatch, match_header, same_columns
from normalize.ids import assign_ids
from normalize.plan_meta import add_structured_fields
from normalize.title import read_title_block
from schemas.document import ColumnMapping, Document, SourceInfo, Warning, WarningCode
from schemas.raw import PageTable


class NoTaskTable(Exception):
    """No table whose header names the task columns."""


def select_task_table(tables: list[PageTable]) -> tuple[list[PageTable], HeaderMatch]:
    """The page tables that make up the task table, starting at the first one with a task header."""
    for i, table in enumerate(tables):
        header = match_header(table)
        if header is None:
            continue
        chosen = [table]
        for nxt in tables[i + 1:]:
            if nxt.page == chosen[-1].page or not same_columns(chosen[-1], nxt):
                if nxt.page == chosen[-1].page:
                    continue
                break
            chosen.append(nxt)
        return chosen, header
    raise NoTaskTable(_describe(tables))


def _describe(tables: list[PageTable]) -> str:
    if not tables:
        return "no ruled table found"
    first = tables[0]
    heads = [c.text for c in first.cells if c.row == 0 and c.text][:8]
    if not heads:
        return (f"no table header names the task columns (the first table, page {first.page}, has no text in its "
                "first row)")
    return f"no table header names the task columns (first table, page {first.page}: {' | '.join(heads)})"


def field_names(header: HeaderMatch) -> list[str]:
    return [f"extra:{h}" if f == EXTRA else f for f, h in zip(header.fields, header.headers, strict=True)]


def normalize(tables: list[PageTable], source: SourceInfo, engine: str, engine_version: str) -> Document:
    """Build the validated Document from every page table an engine found in one PDF."""
    chosen, header = select_task_table(tables)
    names = field_names(header)
    assembly = assemble(chosen, header, names)
    sections, warnings = build_sections(assembly.rows)
    columns = [ColumnMapping(index=i, header=h, field=f) for i, (h, f) in enumerate(zip(header.headers,
                                                                                          header.fields,
                                                                                          strict=True))]
    head_warnings = [
        Warning(code=WarningCode.UNKNOWN_COLUMN, pages=[chosen[0].page],
                message=f"column {c.index + 1} '{c.header}' is not a known task column; kept as an extra field")
        for c in columns if c.field == EXTRA
    ]
    stray = [Warning(code=WarningCode.UNEXPECTED_TEXT, pages=[page], message=f"text between tables: {text}")
             for page, text in assembly.unexpected]
    source = source.model_copy(update={"table_pages": sorted({t.page for t in chosen})})
    doc = Document(
        source=source,
        engine=engine,
        engine_version=engine_version,
        title_block=read_title_block(chosen[0].text_above, chosen[0].page),
        columns=columns,
        sections=sections,
        warnings=head_warnings + warnings + stray,
    )
    return assign_ids(add_structured_fields(doc))


__all__ = ["NoTaskTable", "normalize", "select_task_table"]
