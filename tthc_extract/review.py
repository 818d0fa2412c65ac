"""Apply an auditor's review (``tthc-review/1``, schemas/review.py) to a freshly extracted Document.

A ``wrong`` item replaces the value's text by the correction, keeps the extracted text in ``original_text``,
adds the ``corrected`` repair to its provenance and marks it ``reviewed``; a ``checked`` item marks the value
``reviewed``. A corrected lead, partner or timeframe has its units or parsed timeframe read again from the
correction. A review made for another PDF is refused (ReviewMismatch, exit code 24). An item that cannot be
applied — its value no longer exists, or the extracted text differs from the ``original`` the reviewer saw —
is never skipped silently: it becomes a ``review_item_stale`` warning of the Document and the value is kept as
extracted.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from tthc_extract.errors import BadReview, ReviewMismatch
from tthc_extract.normalize.ids import values_by_address
from tthc_extract.normalize.timeframes import parse_timeframe
from tthc_extract.normalize.units import split_units
from tthc_extract.schemas.document import Document, Repair, Warning, WarningCode
from tthc_extract.schemas.fields import Field
from tthc_extract.schemas.review import Review, ReviewItem


def load_review(path: Path) -> Review:
    """Read and validate a review file; a BadReview (one line) when it is not a ``tthc-review/1`` file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BadReview(f"cannot read the review {path}: {e}") from None
    try:
        return Review.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise BadReview(f"not a tthc-review/1 file ({where}: {first['msg']})") from None


def check_review_for(review: Review, sha256: str, file_name: str) -> None:
    """Raise ReviewMismatch when ``review`` was made for another PDF than the one with ``sha256``."""
    if review.document_sha256 != sha256:
        made_for = f" ({review.file_name})" if review.file_name else ""
        raise ReviewMismatch(f"the review was made for another PDF{made_for}: sha256 {review.document_sha256[:12]}… "
                             f"≠ {file_name} {sha256[:12]}…")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _latest(items: list[ReviewItem]) -> dict[str, ReviewItem]:
    """The last verdict given on each value (an item later in the file wins, as the report writes them)."""
    return {item.value: item for item in items}


def apply_review(doc: Document, review: Review) -> Document:
    """Apply ``review`` to ``doc`` in place (see the module doc) and return it."""
    check_review_for(review, doc.source.sha256, doc.source.file_name)
    values = values_by_address(doc)
    assignments = {a.id: a for s in doc.sections for t in s.tasks for a in t.assignments}
    year = doc.plan.year if doc.plan else None
    stale: list[Warning] = []
    for address, item in _latest(review.items).items():
        v = values.get(address)
        if v is None:
            stale.append(Warning(code=WarningCode.REVIEW_ITEM_STALE,
                                 message=f"review item {address} ({item.verdict}): no such value in this extraction; "
                                         "not applied"))
            continue
        if item.original is not None and not _same(item.original, v.text):
            stale.append(Warning(code=WarningCode.REVIEW_ITEM_STALE, pages=v.provenance.pages,
                                 message=f"review item {address} ({item.verdict}): the extracted text changed since "
                                         f"the review (was «{item.original}», now «{v.text}»); not applied"))
            continue
        v.reviewed = True
        if item.verdict == "checked" or item.text is None or _same(item.text, v.text):
            continue
        v.original_text = v.text
        v.text = item.text
        if Repair.CORRECTED not in v.provenance.repairs:
            v.provenance.repairs.append(Repair.CORRECTED)
        rec, field = address.split("/", 1)
        a = assignments.get(rec)
        if a is not None and field in (Field.LEAD, Field.PARTNER):
            setattr(a, f"{field}_units", split_units(v.text))
        elif a is not None and field == Field.TIMEFRAME:
            a.timeframe_parsed = parse_timeframe(v.text, year)
    doc.warnings = [*doc.warnings, *stale]
    return doc


__all__ = ["apply_review", "check_review_for", "load_review"]
