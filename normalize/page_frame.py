"""Provenance boxes put on the page as it is: an OCR'd page is read turned back (its skew) and, if photographed,
rectified; its tables carry the matrix back to the page (``PageTable.to_page``), and every box of the Document on
such a page — the fragments of values, the title block's lines, a warning's box — is mapped through it, so an
auditor's overlay lies on the scan itself."""


from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from tthc_extract.schemas.document import Document, Fragment, Warning
from tthc_extract.schemas.raw import PageTable


def on_page(doc: Document, tables: list[PageTable]) -> Document:
    """``doc`` with the boxes of pages read in another frame mapped onto the pages as they are."""
    frames = {t.page: t for t in tables if t.to_page is not None}
    if not frames:
        return doc
    out = _map(doc, frames)
    assert isinstance(out, Document)
    return out


def _map(obj: Any, frames: dict[int, PageTable]) -> Any:
    if isinstance(obj, Fragment):
        table = frames.get(obj.page)
        return obj if table is None else Fragment(page=obj.page, box=table.page_box(obj.box))
    if isinstance(obj, Warning) and obj.box is not None and obj.pages and obj.pages[0] in frames:
        return obj.model_copy(update={"box": frames[obj.pages[0]].page_box(obj.box)})
    if isinstance(obj, BaseModel):
        updates = {}
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            mapped = _map(value, frames)
            if mapped is not value:
                updates[name] = mapped
        return obj.model_copy(update=updates) if updates else obj
    if isinstance(obj, list):
        items = [_map(v, frames) for v in obj]
        return items if any(a is not b for a, b in zip(items, obj, strict=True)) else obj
    if isinstance(obj, dict):
        entries = {k: _map(v, frames) for k, v in obj.items()}
        return entries if any(entries[k] is not obj[k] for k in obj) else obj
    return obj
