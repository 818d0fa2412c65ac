"""Read the title block above the task table: "Phụ lục …", the title lines, the "(Kèm theo …)" line."""

from __future__ import annotations

import re

from tthc_extract.schemas.document import Fragment, Provenance, TitleBlock, Value
from tthc_extract.schemas.raw import TextLine
from tthc_extract.schemas.text import collapse, nfc

HEADING = re.compile(r"^\s*ph[ụu]\s*l[ụu]c\b", re.IGNORECASE)
ATTACHMENT = re.compile(r"^\s*\(\s*(ban hành\s+)?kèm theo", re.IGNORECASE)
YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
ISSUER = re.compile(r"\bcủa\s+(.+?)\)?\s*$", re.IGNORECASE)


def title_lines(lines: list[TextLine]) -> list[TextLine]:
    """The title block among the lines above the table on its first page: from the last "Phụ lục" heading
    on (the plan's body text before it is not part of it), without page numbers and blank lines."""
    lines = [ln for ln in lines if ln.text.strip() and not is_page_number(ln.text)]
    starts = [i for i, ln in enumerate(lines) if HEADING.match(nfc(ln.text))]
    return lines[starts[-1]:] if starts else lines


def is_page_number(text: str) -> bool:
    """A line that is only a page number (page furniture above a continued table)."""
    return text.strip().isdigit()


def read_title_block(lines: list[TextLine], page: int) -> TitleBlock:
    """Parse the lines above the table on its first page; body text before "Phụ lục" is ignored."""
    lines = title_lines(lines)
    values = [
        Value(text=collapse(ln.text), provenance=Provenance(fragments=[Fragment(page=page, box=ln.box)]))
        for ln in lines
    ]
    texts = [v.text for v in values]
    heading = texts[0] if texts and HEADING.match(texts[0]) else ""
    body = texts[1:] if heading else texts
    attach_at = next((i for i, t in enumerate(body) if ATTACHMENT.match(t)), None)
    if attach_at is None:
        heads, attachment = body, ""
    else:
        heads = body[:attach_at]
        rest = body[attach_at:]
        parts = []
        for t in rest:
            parts.append(t)
            if t.rstrip().endswith(")"):
                break
        attachment = " ".join(parts)
    title = " ".join(heads)
    issuer_match = ISSUER.search(attachment)
    issuer = issuer_match.group(1).strip() if issuer_match else ""
    year_match = YEAR.search(title) or YEAR.search(attachment)
    return TitleBlock(
        heading=heading,
        title=title,
        attachment_line=attachment,
        issuer=issuer,
        year=int(year_match.group(1)) if year_match else None,
        lines=values,
    )
