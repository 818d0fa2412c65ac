"""Upright copies of rotated pages, for the engines that read a page in its user space (pdfplumber, camelot).

Landscape pages are often stored as portrait pages drawn turned, with /Rotate 90 so that a viewer shows them
upright (printer drivers and scan-merging tools make them so). The pdfium engine reads every page in its
displayed frame itself; for the others, ``upright`` gives a temporary copy (pypdf) in which each rotated page's
/Rotate is turned into its content, so that they see what a viewer shows and their boxes are in that frame.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium


def rotated_pages(path: Path, password: str | None, pages: Sequence[int] | None) -> list[int]:
    """The pages (1-based) among ``pages`` (default all) with a /Rotate other than 0."""
    doc = pdfium.PdfDocument(str(path), password=password)
    try:
        numbers = range(1, len(doc) + 1) if pages is None else pages
        return [p for p in numbers if doc[p - 1].get_rotation() % 360]
    finally:
        doc.close()


@contextmanager
def upright(path: Path, password: str | None, pages: Sequence[int] | None) -> Iterator[tuple[Path, str | None]]:
    """The file (and password) to read: ``path`` itself, or a temporary copy whose rotated pages are upright."""
    turned = rotated_pages(path, password, pages)
    if not turned:
        yield path, password
        return
    from pypdf import PdfReader, PdfWriter  # only for rotated files

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        reader.decrypt(password or "")
    writer = PdfWriter(clone_from=reader)
    for p in turned:
        writer.pages[p - 1].transfer_rotation_to_content()
    with tempfile.TemporaryDirectory(prefix="tthc-upright-") as tmp:
        copy = Path(tmp) / path.name
        writer.write(str(copy))
        yield copy, None
