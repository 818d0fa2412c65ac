"""Build sections, tasks and assignments from logical rows, and the warnings an auditor should see."""

from __future__ import annotations

from tthc_extract.normalize.assemble import Acc, Row, roman_value
from tthc_extract.normalize.numbering import kind_of, parents
from tthc_extract.schemas.document import (
    Assignment,
    Part,
    Provenance,
    Repair,
    Section,
    Task,
    Value,
    Warning,
    WarningCode,
    absent_value,
)
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, Field, extra_header
from tthc_extract.schemas.text import fold

REQUIRED_CELLS = (Field.DESCRIPTION, Field.RESULT, Field.LEAD, Field.TIMEFRAME)


def value(acc: Acc | None) -> Value:
    if acc is None:
        return Value(text="")
    return Value(text=acc.text, provenance=Provenance(fragments=acc.fragments, repairs=acc.repairs),
                 confidence=acc.confidence, ocr_read=acc.ocr_read if acc.ocr_read != acc.text else None)


def build_sections(rows: list[Row], present: set[str] | None = None
                   ) -> tuple[list[Section], list[Part], list[Warning]]:
    """Sections (with their tasks and assignments), the parts above them, and warnings, from logical rows.
    ``present``: the fields the table has columns for (default all); without an STT column every new
    description starts a task, numbered by its order."""
    present = {Field.STT, Field.DESCRIPTION, *ASSIGNMENT_FIELDS} if present is None else present
    sections: list[Section] = []
    warnings: list[Warning] = []
    parts: list[Part] = []
    for row in rows:
        if row.kind == "part":
            parts.append(Part(id=f"p{len(parts) + 1}", number=value(row.values.get(Field.STT)),
                              title=value(row.values.get(Field.DESCRIPTION))))
            continue
        if row.kind == "section":
            sections.append(Section(number=value(row.values.get(Field.STT)),
                                    title=value(row.values.get(Field.DESCRIPTION)),
                                    tasks=[], part=parts[-1].id if parts else None))
            continue
        if not sections:
            sections.append(Section(number=Value(text=""), title=Value(text=""), tasks=[]))
            warnings.append(Warning(code=WarningCode.UNEXPECTED_TEXT, pages=row.pages,
                                    message="task rows before the first section heading"))
        section = sections[-1]
        def cell(name: str, row: Row = row) -> Value:
            return value(row.values.get(name)) if name in present else absent_value()

        assignment = Assignment(
            result=cell(Field.RESULT),
            lead=cell(Field.LEAD),
            partner=cell(Field.PARTNER),
            timeframe=cell(Field.TIMEFRAME),
            extra={h: value(a) for n, a in row.values.items() if (h := extra_header(n)) is not None},
            page_first=min(row.pages),
            page_last=max(row.pages),
        )
        stt = "" if Field.STT in row.covered else row.text(Field.STT)
        new_task = bool(stt) or (not section.tasks) or (
            bool(row.text(Field.DESCRIPTION)) and Field.DESCRIPTION not in row.covered
        )
        if new_task:
            if not stt and Field.STT in present:
                warnings.append(Warning(code=WarningCode.EMPTY_REQUIRED_CELL, pages=row.pages,
                                        section=section.number.text, message="task without a number (STT)"))
            section.tasks.append(Task(number=cell(Field.STT),
                                      description=value(row.values.get(Field.DESCRIPTION)),
                                      assignments=[assignment]))
        else:
            section.tasks[-1].assignments.append(assignment)
    warnings.extend(check(sections, present))
    return sections, parts, warnings


def _ocr_repaired(v: Value, address: str, what: str, section: str | None = None, task: str | None = None) -> Warning:
    """The info that the OCR engine changed what it read into ``v`` (tone marks, a number), with the reading."""
    return Warning(code=WarningCode.OCR_REPAIRED, section=section, task=task, pages=v.provenance.pages,
                   value=address, message=f"{what}: OCR read “{v.ocr_read}”, repaired to “{v.text}”")


def check(sections: list[Section], present: set[str]) -> list[Warning]:
    """Warnings about the content: duplicated titles, numbering gaps, empty required cells, joins."""
    out: list[Warning] = []
    seen: dict[str, str] = {}
    expected = 1
    for si, s in enumerate(sections, 1):
        num = s.number.text
        key = fold(s.title.text)
        if key and key in seen:
            out.append(Warning(code=WarningCode.DUPLICATE_SECTION_TITLE, section=num, pages=s.title.provenance.pages,
                               value=f"s{si}/title",
                               message=f"section {num} repeats the title of section {seen[key]}: {s.title.text}"))
        seen.setdefault(key, num)
        for part, v in (("number", s.number), ("title", s.title)):
            if v.ocr_read is not None:
                out.append(_ocr_repaired(v, f"s{si}/{part}", f"section {num}: {part}", section=num))
        n = roman_value(num)
        if n is not None and n != expected:
            out.append(Warning(code=WarningCode.NUMBERING_GAP, section=num, pages=s.number.provenance.pages,
                               value=f"s{si}/number",
                               message=f"section {num} follows section number {expected - 1}"))
        expected = (n or expected) + 1
        task_expected = 1
        numbers = [t.number.text for t in s.tasks]
        headings = {p for p in parents(numbers) if p is not None}
        for index, t in enumerate(s.tasks):
            tnum = t.number.text
            kind = kind_of(tnum)
            tid = f"s{si}.t{index + 1}"  # the task's stable id (normalize/ids.py numbers the same way)
            if kind == "number":
                if int(tnum.rstrip(".")) != task_expected:
                    out.append(Warning(code=WarningCode.NUMBERING_GAP, section=num, task=tnum,
                                       pages=t.number.provenance.pages, value=f"{tid}/number",
                                       message=f"task {num}.{tnum} where {num}.{task_expected} was expected"))
                task_expected = int(tnum.rstrip(".")) + 1
            elif kind == "other":
                task_expected += 1
            if index in headings:
                continue  # a heading task: its sub-tasks carry the cells
            if t.number.ocr_read is not None:
                out.append(_ocr_repaired(t.number, f"{tid}/number", f"task {num}.{tnum}: number", section=num,
                                         task=tnum))
            cells: dict[str, tuple[Value, str]] = {Field.DESCRIPTION: (t.description, f"{tid}/description")}
            for i, a in enumerate(t.assignments):
                for name in ASSIGNMENT_FIELDS:
                    label = f"{name}" if len(t.assignments) == 1 else f"{name} (row {i + 1})"
                    cells[label] = (getattr(a, name), f"{tid}.a{i + 1}/{name}")
            for cell_label, (v, address) in cells.items():
                base = cell_label.split(" ")[0]
                if base in REQUIRED_CELLS and base in present and not v.text:
                    out.append(Warning(code=WarningCode.EMPTY_REQUIRED_CELL, section=num, task=tnum,
                                       pages=v.provenance.pages or [a.page_first for a in t.assignments][:1],
                                       value=address, message=f"task {num}.{tnum}: empty {cell_label}"))
                if v.ocr_read is not None:
                    out.append(_ocr_repaired(v, address, f"task {num}.{tnum}: {cell_label}", section=num, task=tnum))
                if Repair.JOINED_ACROSS_PAGES in v.provenance.repairs:
                    out.append(Warning(code=WarningCode.JOINED_ACROSS_PAGES, section=num, task=tnum,
                                       pages=v.provenance.pages, value=address,
                                       message=f"task {num}.{tnum}: {cell_label} joined across pages "
                                               f"{', '.join(map(str, v.provenance.pages))}"))
    return out
