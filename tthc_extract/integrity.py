"""Find damage that PDFium reads through silently: a compressed stream whose data fails to decompress.

PDFium decodes a damaged Flate stream as far as it can and says nothing, so a PDF with flipped bytes in a page's
content or a font opens, and gives a table with rows, words or rules missing or garbled (a wrong result with
exit code 0, or "no task table"). zlib checks every Flate stream's data (and its Adler-32 checksum), so such a
file is reported as corrupted instead. pdfminer.six (already used through pdfplumber) reads the objects and
decrypts them; only a zlib failure counts: what pdfminer cannot parse but PDFium read is left to PDFium.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def damaged_stream(path: Path, password: str | None = None) -> str:
    """Why the PDF at ``path`` is damaged ("compressed stream of object 17 is damaged: …"), or "" when every
    Flate stream decompresses completely."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as f:
            doc = PDFDocument(PDFParser(f), password=password or "")
            for objid in _object_ids(doc):
                reason = _stream_damage(doc, objid)
                if reason:
                    return f"the compressed stream of object {objid} is damaged ({reason})"
    except Exception:  # noqa: BLE001 - pdfminer's own parsing limits are not evidence of damage
        return ""
    return ""


def _object_ids(doc) -> list[int]:
    ids: set[int] = set()
    for xref in doc.xrefs:
        ids.update(xref.get_objids())
    return sorted(ids)


def _stream_damage(doc, objid: int) -> str:
    """zlib's complaint about object ``objid``'s Flate data, or "" (not a Flate stream, or intact)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    try:
        obj = doc.getobj(objid)
    except Exception:  # noqa: BLE001 - an object pdfminer cannot read: PDFium judged the file readable
        return ""
    if not isinstance(obj, PDFStream) or obj.rawdata is None:
        return ""
    filters = obj.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return ""
    data = (obj.decipher(obj.objid, obj.genno, obj.rawdata, obj.attrs)
            if obj.decipher and obj.objid is not None and obj.genno is not None else obj.rawdata)
    inflater = zlib.decompressobj()
    try:
        inflater.decompress(data)
    except zlib.error as e:
        return str(e).removeprefix("Error -3 while decompressing data: ")
    return "" if inflater.eof else "it ends before its data does"
