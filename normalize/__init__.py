"""Pure repairs that turn an engine's page grids into a validated Document (never opens a PDF).

Pipeline order: find and map the header → select the task table's pages → assemble logical rows
(drop repeated headers, stitch rows split across pages, resolve merged cells, join wrapped lines) →
build sections/tasks/assignments → read the title block → warnings → structured fields (plan, units, timeframes)
→ text conservation (every character read is in one value, or a ``text_not_assigned`` error).
"""

from __future__ import annotations

from tthc_extract.normalize.assemble import assemble
from tthc_extract.normalize.build import build_sections
from tthc_extract.normalize.conservation import account
from tthc_extract.normalize.header import (
    EXTRA,
    HeaderMatch,
    column_headers,
    describe_candidate,
    field_for,
    match_header,
    same_columns,
)
from tthc_extract.normalize.ids import assign_ids
from tthc_extract.normalize.page_frame import on_page
from tthc_extract.normalize.plan_meta import add_structured_fields
from tthc_extract.normalize.settings import DEFAULT_SETTINGS, NormalizeSettings
from tthc_extract.normalize.title import is_page_number, read_title_block
from tthc_extract.schemas.document import ColumnMapping, Document, SourceInfo, Warning, WarningCode
from tthc_extract.schemas.fields import Field, extra_field
from tthc_extract.schemas.raw import PageTable


class NoTaskTable(Exception):
    """No table whose header names the task columns."""


def select_task_table(tables: list[PageTable], settings: NormalizeSettings = DEFAULT_SETTINGS
                      ) -> tuple[list[PageTable], HeaderMatch]:
    """The page tables that make up the task table, starting at the first one with a task header; the tables
    of the following pages continue it while their column rules line up with it. One odd page (or up to
    ``settings.chain_gap_pages`` in a row) whose table does not line up does not end it: the next page that
    lines up again goes on (the odd pages' text is reported, ``unread_tables``)."""
    for i, table in enumerate(tables):
        header = match_header(table, settings)
        if header is None:
            continue
        chosen = [table]
        skipped = False  # a table since the chain's last page that did not line up
        for nxt in tables[i + 1:]:
            if nxt.page == chosen[-1].page:
                continue  # another table on a page already in the chain
            if nxt.page - chosen[-1].page - 1 > settings.chain_gap_pages:
                break
            # past an odd page, a page continues the task table only when nothing but a page number stands
            # above its table (a later appendix with the same columns has its own title)
            if same_columns(chosen[-1], nxt, settings) and not (
                    skipped and any(not is_page_number(ln.text) for ln in nxt.text_above)):
                chosen.append(nxt)
                skipped = False
            else:
                skipped = True
        return chosen, header
    raise NoTaskTable(_describe(tables, settings))


def _describe(tables: list[PageTable], settings: NormalizeSettings) -> str:
    """The best candidate among the tables (the one whose header names most task columns) and what it lacks."""
    if not tables:
        return "no ruled table found"
    best = max(tables, key=lambda t: sum(field_for(h) != EXTRA
                                         for h in column_headers(t, settings.max_header_rows)))
    return ("no table header names a description and an assignment column "
            f"(best candidate, {describe_candidate(best, settings)})")


def gap_tables(tables: list[PageTable], chosen: list[PageTable]) -> list[PageTable]:
    """The tables of the pages inside the task table's page span that the chain went past (their columns do not
    line up with the pages around them)."""
    pages = {t.page for t in chosen}
    return [t for t in tables if chosen[0].page < t.page < chosen[-1].page and t.page not in pages]


def unread_tables(tables: list[PageTable], chosen: list[PageTable], gap: list[PageTable]) -> list[Warning]:
    """A warning for each table with text from the task table's first page on that is not part of it (another
    table on a table page, or a table after the chain of pages broke: its columns differ); an error for each
    table of ``gap`` (``gap_tables``), whose rows are missing from the task table."""
    ids, gap_ids = {id(t) for t in chosen}, {id(t) for t in gap}
    start = next(i for i, t in enumerate(tables) if t is chosen[0])
    out = []
    for t in tables[start:]:
        texts = [c.text for c in sorted(t.cells, key=lambda c: (c.row, c.col)) if c.text]
        if id(t) not in ids and texts:
            first = " | ".join(texts[:4])
            if id(t) in gap_ids:
                # a page inside the task table whose columns do not line up: its rows are missing
                out.append(Warning(code=WarningCode.TABLE_NOT_READ, severity="error", pages=[t.page], box=t.box,
                                   message=f"the table on page {t.page} ({t.n_cols} columns) does not line up with "
                                           f"the task table's ({chosen[0].n_cols} columns) on the pages around it; "
                                           f"its rows were not read, and no row is joined across it: "
                                           f"{first[:200]}"))
                continue
            out.append(Warning(code=WarningCode.TABLE_NOT_READ, pages=[t.page], box=t.box,
                               message=f"a table on page {t.page} ({t.n_cols} columns) is not part of the task "
                                       f"table and was not read: {first[:200]}"))
    return out


def field_names(header: HeaderMatch) -> list[str]:
    return [extra_field(h) if f == EXTRA else f for f, h in zip(header.fields, header.headers, strict=True)]


def normalize(tables: list[PageTable], source: SourceInfo, engine: str, engine_version: str, *,
              settings: NormalizeSettings = DEFAULT_SETTINGS) -> Document:
    """Build the validated Document from every page table an engine found in one PDF (``settings``: the
    normalizer's thresholds, the tuned defaults unless given)."""
    chosen, header = select_task_table(tables, settings)
    names = field_names(header)
    assembly = assemble(chosen, header, names, settings)
    sections, parts, warnings = build_sections(assembly.rows, present=header.present())
    columns = [ColumnMapping(index=i, header=h, field=f, combined=i in header.combined)
               for i, (h, f) in enumerate(zip(header.headers, header.fields, strict=True))]
    head_warnings = [
        Warning(code=WarningCode.UNKNOWN_COLUMN, pages=[chosen[0].page],
                message=f"column {c.index + 1} '{c.header}' is not a known task column; kept as an extra field")
        for c in columns if c.field == EXTRA
    ] + [
        Warning(code=WarningCode.MISSING_COLUMN, pages=[chosen[0].page],
                message=f"the table has no {name} column; {name} is null" + (
                    " (tasks are numbered by their order)" if name == Field.STT else ""))
        for name in header.missing()
    ] + [
        Warning(code=WarningCode.UNKNOWN_COLUMN, pages=[chosen[0].page],
                message=f"column {i + 1} '{header.headers[i]}' holds the lead and the partner together; "
                        "its text is the lead as printed, the partner is empty")
        for i in header.combined
    ]
    stray = [Warning(code=WarningCode.UNEXPECTED_TEXT, pages=[page], box=line.box,
                     message=f"text between tables: {line.text}") for page, line in assembly.unexpected]
    gap = gap_tables(tables, chosen)
    stray += unread_tables(tables, chosen, gap)
    source = source.model_copy(update={"table_pages": sorted({t.page for t in chosen}),
                                       "turned_pages": {t.page: t.turn for t in chosen if t.turn}})
    doc = Document(
        source=source,
        engine=engine,
        engine_version=engine_version,
        title_block=read_title_block(chosen[0].text_above, chosen[0].page),
        columns=columns,
        sections=sections,
        parts=parts,
        warnings=head_warnings + warnings + stray,
    )
    doc = assign_ids(add_structured_fields(doc))
    # the tables of pages the chain went past count as read: their text is in no value (coverage below 1)
    coverage, lost = account(doc, chosen + gap, assembly.furniture_rows + [0] * len(gap), assembly.dropped)
    return on_page(doc.model_copy(update={"coverage": coverage, "warnings": doc.warnings + lost}), tables)


__all__ = ["DEFAULT_SETTINGS", "NoTaskTable", "NormalizeSettings", "normalize", "select_task_table"]
