"""Plan metadata from the title block, and the structured fields (units, timeframes, plan) of a Document.

The "(Kèm theo Kế hoạch số 18/KH-SVHTTDL ngày 26 tháng 01 năm 2026 của Sở …)" line gives the plan's number
("18"), symbol ("KH-SVHTTDL"), signing date and issuer. A draft leaves the number and the day blank
("Kế hoạch số /KH-UBND ngày tháng 01 năm 2026"): the number and date are null and a warning says so, the
symbol is kept.

``add_structured_fields`` runs last in ``normalize()``: it reads the plan, then splits every lead and partner
cell into units and reads every timeframe cell with the plan's year (schema 1.1 fields, additive).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from tthc_extract.normalize.timeframes import parse_timeframe
from tthc_extract.normalize.title import ISSUER
from tthc_extract.normalize.units import split_units
from tthc_extract.schemas.document import Document, PlanMeta, TitleBlock, Warning, WarningCode

_I = re.IGNORECASE

#: "Kế hoạch số 18/KH-SVHTTDL": the document type, its number (may be blank) and its symbol.
PLAN_REF = re.compile(
    r"(kế\s+hoạch|quyết\s+định|chương\s+trình|phương\s+án|công\s+văn|thông\s+báo|văn\s+bản|nghị\s+quyết)\s+"
    r"số\s*(\d[\w.]*)?\s*/\s*([\w\-]+(?:/[\w\-]+)*)", _I)
DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})?", _I)
DATE_SLASH = re.compile(r"ngày\s*(\d{1,2})?\s*/\s*(\d{1,2})?\s*/\s*(\d{4})", _I)
YEAR_IN_TEXT = re.compile(r"(?<![\d/])(20\d{2})(?!\d)")


def _date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    if not (day and month and year):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_plan_meta(block: TitleBlock) -> PlanMeta:
    """Read the plan's number, symbol, date, issuer and year from a title block; never raises."""
    line = block.attachment_line or ""
    warnings: list[str] = []
    ref = PLAN_REF.search(line)
    doc_type = number = symbol = None
    if ref:
        doc_type = " ".join(ref.group(1).split())
        doc_type = doc_type[:1].upper() + doc_type[1:]
        number, symbol = ref.group(2), ref.group(3)
        if number is None:
            warnings.append(f"the plan's number is blank (a draft?): '{' '.join(ref.group(0).split())}'")
    elif line:
        warnings.append(f"no plan number found in '{line}'")
    else:
        warnings.append("no '(Kèm theo …)' line in the title block: plan number, date and issuer unknown")
    tail = line[ref.end():] if ref else line
    m = DATE_WORDS.search(tail) or DATE_SLASH.search(tail)
    signed = _date(*m.groups()) if m else None
    if m and signed is None:
        warnings.append(f"the plan's date is incomplete (a draft?): '{' '.join(m.group(0).split())}'")
    issuer = block.issuer or None
    if issuer is None:
        im = ISSUER.search(line)
        issuer = im.group(1).strip() if im else None
    year = block.year
    if year is None and m and m.group(3):
        year = int(m.group(3))
    return PlanMeta(doc_type=doc_type, number=number, symbol=symbol,
                    code=f"{number}/{symbol}" if number and symbol else None, date=signed, issuer=issuer,
                    year=year, warnings=warnings)


def _year_from_timeframes(doc: Document) -> int | None:
    """The year printed most often in the timeframe cells (when the title block names none)."""
    years = Counter(int(y) for s in doc.sections for t in s.tasks for a in t.assignments
                    for y in YEAR_IN_TEXT.findall(a.timeframe.text))
    return years.most_common(1)[0][0] if years else None


def add_structured_fields(doc: Document) -> Document:
    """Fill ``doc.plan`` and each assignment's units and parsed timeframe; add their warnings to the document."""
    plan = parse_plan_meta(doc.title_block)
    warnings = [Warning(code=WarningCode.PLAN_METADATA, message=w, pages=doc.source.table_pages[:1])
                for w in plan.warnings]
    year = plan.year
    if year is None:
        year = _year_from_timeframes(doc)
        if year is not None:
            warnings.append(Warning(code=WarningCode.PLAN_METADATA, pages=doc.source.table_pages[:1],
                                    message=f"the plan's year is not in the title block; {year} assumed from the "
                                            "timeframes"))
    for section in doc.sections:
        for task in section.tasks:
            for k, a in enumerate(task.assignments):
                a.lead_units = split_units(a.lead.text)
                a.partner_units = split_units(a.partner.text)
                a.timeframe_parsed = parse_timeframe(a.timeframe.text, year)
                row = f" (row {k + 1})" if len(task.assignments) > 1 else ""
                warnings.extend(
                    Warning(code=WarningCode.UNPARSED_TIMEFRAME, section=section.number.text, task=task.number.text,
                            pages=a.timeframe.provenance.pages or [a.page_first],
                            message=f"task {section.number.text}.{task.number.text}: timeframe{row} {w}")
                    for w in a.timeframe_parsed.warnings)
    doc.plan = plan
    doc.warnings = [*doc.warnings, *warnings]
    return doc


__all__ = ["add_structured_fields", "parse_plan_meta"]
