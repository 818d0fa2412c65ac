"""Read the title block above the task table: "Phụ lục …", the title lines, the "(Kèm theo …)" line."""

from __future__ import annotations

import re

from normalize.text import nfc
from schemas.document import Fragment, Provenance, TitleBlock, Value
from schemas.raw import TextLine

HEADING = re.compile(r"^\s*ph[ụu]\s*l[ụu]c\b", re.IGNORECASE)
ATTACHMENT = re.compile(r"^\s*\(\s*(ban hành\s+)?kèm theo", re.IGNORECASE)
YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
ISSUER = re.compile(r"\bcủa\s+(.+?)\)?\s*$", re.IGNORECASE)


def read_title_block(lines: list[TextLine], page: int) -> TitleBlock:
    """Parse the lines above the table on its first page; body text before "Phụ lục" is ignored."""
    lines = [ln for ln in lines if ln.text.strip() and not ln.text.strip().isdigit()]
    starts = [i for i, ln in enumerate(lines) if HEADING.match(nfc(ln.text))]
    if starts:
        lines = lines[starts[-1]:]
    values = [
        Value(text=nfc(" ".join(ln.text.split())), provenance=Provenance(fragments=[Fragment(page=page, box=ln.box)]))
        for ln in lines
    ]
    texts = [v.text for v in values]
    heading = texts[0] if texts and HEADING.match(texts[0]) else ""
    body = texts[1:] if heading else texts
    attach_at = next((i for i, t in enumerate(body) if ATTACHMENT.match(t)), None)
    if attach_at is None:
        title_lines, attachment = body, ""
    else:
        title_lines = body[:attach_at]
        rest = body[attach_at:]
        parts = []
        for t in rest:
            parts.append(t)
            if t.rstrip().endswith(")"):
                break
        attachment = " ".join(parts)
    title = " ".join(title_lines)
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
