"""Find damage that PDFium reads through silently: a compressed stream whose data fails to decompress.

PDFium decodes a damaged Flate stream as far as it can and says nothing, so a PDF with flipped bytes in a page's
content or a font opens, and gives a table with rows, words or rules missing or garbled (a wrong result with
exit code 0, or "no task table"). zlib checks every Flate stream's data (and its Adler-32 checksum), so such a
file is reported as corrupted instead. Only a zlib failure counts: what cannot be parsed but PDFium read is left
to PDFium.

Two readers give the same verdict. The usual file — not encrypted, cross-reference tables (``xref``) that lead to
every object, each stream's /Filter and /Length written plainly (the length may be an indirect integer) — is read
here with ``re`` and ``zlib`` alone (``_plain_streams``): the objects the cross-references name, in order of
their numbers, each stream's data exactly /Length bytes after its ``stream`` line, as pdfminer reads them. Any
other file (encrypted, cross-reference streams, a damaged xref, anything this reader does not follow) is read
by pdfminer.six (already used through pdfplumber), which parses and decrypts every object. The plain reader
spares the default path pdfminer's import (with the ``cryptography`` bindings: ≈50 ms and ≈15 MB of the peak
memory) and its parse of every object. ``tests/test_integrity.py`` checks both readers agree.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path


class _NotPlain(Exception):
    """The file is not one the plain reader follows: pdfminer reads it."""


def damaged_stream(path: Path, password: str | None = None) -> str:
    """Why the PDF at ``path`` is damaged ("compressed stream of object 17 is damaged: …"), or "" when every
    Flate stream decompresses completely."""
    try:
        data = path.read_bytes()
        streams = _plain_streams(data)
    except (_NotPlain, OSError, ValueError, IndexError):
        return _pdfminer_damaged_stream(path, password)
    for objid, start, length in streams:
        reason = _inflate_damage(data[start:start + length])
        if reason:
            return f"the compressed stream of object {objid} is damaged ({reason})"
    return ""


def _pdfminer_damaged_stream(path: Path, password: str | None = None) -> str:
    """``damaged_stream`` by pdfminer: every object its cross-references name, decrypted."""
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
    return _inflate_damage(data)


def _inflate_damage(data: bytes) -> str:
    """zlib's complaint about Flate data, "" when it decompresses completely."""
    inflater = zlib.decompressobj()
    try:
        while data:  # in bounded pieces: a large stream's output is never held whole
            inflater.decompress(data, 1 << 16)
            data = inflater.unconsumed_tail
    except zlib.error as e:
        return str(e).removeprefix("Error -3 while decompressing data: ")
    return "" if inflater.eof else "it ends before its data does"


# --------------------------------------------------------------------------------------------------
# The plain reader
# --------------------------------------------------------------------------------------------------

_SPACE = re.compile(rb"[ \t\r\n\f\x00]*")
_STARTXREF = re.compile(rb"startxref\s*(\d+)")
_SUBSECTION = re.compile(rb"[ \t\r\n\f\x00]*(\d+)[ \t]+(\d+)[ \t]*\r?\n?")
_ENTRY = re.compile(rb"(\d{10})[ ](\d{5})[ ]([nf])")
_OBJ_HEAD = re.compile(rb"[ \t\r\n\f\x00]*(\d+)\s+(\d+)\s+obj")
_INT_OBJ = re.compile(rb"\s*(\d+)\s+\d+\s+obj\s*(\d+)\s*endobj")
#: One token of a PDF object: a dictionary's or array's bracket, a name, a number, a keyword, a string.
_TOKEN = re.compile(rb"[ \t\r\n\f\x00]*(?:%[^\r\n]*[\r\n]+[ \t\r\n\f\x00]*)*"
                    rb"(<<|>>|\[|\]|\{|\}|/[^ \t\r\n\f\x00()<>\[\]{}/%]*|\(|<[0-9A-Fa-f \t\r\n\f\x00]*>"
                    rb"|[^ \t\r\n\f\x00()<>\[\]{}/%]+)")
_REF = re.compile(rb"(\d+)\s+(\d+)\s+R")
_FLATE = (b"/FlateDecode", b"/Fl")


def _plain_streams(data: bytes) -> list[tuple[int, int, int]]:
    """(object number, start, length) of every Flate stream, by object number; ``_NotPlain`` when the file is
    not one this reader follows."""
    offsets = _xref_offsets(data)
    out = []
    for objid in sorted(offsets):
        found = _stream_at(data, objid, offsets[objid], offsets)
        if found is not None:
            out.append((objid, *found))
    return out


def _xref_offsets(data: bytes) -> dict[int, int]:
    """Offset of every object in use, the newest cross-reference section first (as pdfminer reads them)."""
    tail = data[-1024:]
    found = list(_STARTXREF.finditer(tail))
    if not found:
        raise _NotPlain("no startxref")
    pos: int | None = int(found[-1][1])
    offsets: dict[int, int] = {}
    seen: set[int] = set()
    while pos is not None:
        if pos in seen or not data.startswith(b"xref", pos):
            raise _NotPlain("not an xref table")
        seen.add(pos)
        pos += 4
        while True:
            m = _SUBSECTION.match(data, pos)
            if m is None:
                break
            first, count = int(m[1]), int(m[2])
            pos = m.end()
            for k in range(count):
                while data[pos:pos + 1] in (b" ", b"\r", b"\n"):
                    pos += 1
                e = _ENTRY.match(data, pos)
                if e is None:
                    raise _NotPlain("xref entry")
                pos = e.end()
                if e[3] == b"n":
                    offsets.setdefault(first + k, int(e[1]))
        t = _TOKEN.match(data, pos)
        if t is None or t[1] != b"trailer":
            raise _NotPlain("no trailer")
        trailer, _ = _dict_at(data, t.end())
        if b"/Encrypt" in trailer or b"/XRefStm" in trailer:
            raise _NotPlain("encrypted or hybrid")
        prev = trailer.get(b"/Prev")
        pos = int(prev) if prev is not None else None
    return offsets


def _dict_at(data: bytes, pos: int) -> tuple[dict[bytes, bytes], int]:
    """The top-level entries of the dictionary at ``pos`` (values as their first token, "R" references as
    "N G R", arrays as their first element prefixed by "["; nested dictionaries as "<<"), and the position after it."""
    t = _TOKEN.match(data, pos)
    if t is None or t[1] != b"<<":
        raise _NotPlain("no dictionary")
    pos = t.end()
    entries: dict[bytes, bytes] = {}
    while True:
        t = _TOKEN.match(data, pos)
        if t is None:
            raise _NotPlain("unterminated dictionary")
        if t[1] == b">>":
            return entries, t.end()
        key = t[1]
        if not key.startswith(b"/"):
            raise _NotPlain("dictionary key")
        entries[key], pos = _value_at(data, t.end())


def _value_at(data: bytes, pos: int) -> tuple[bytes, int]:
    """One object's summary (see ``_dict_at``) and the position after it."""
    ref = _REF.match(data, _SPACE.match(data, pos).end())  # type: ignore[union-attr]
    if ref is not None:
        return ref[0], ref.end()
    t = _TOKEN.match(data, pos)
    if t is None:
        raise _NotPlain("no value")
    tok = t[1]
    if tok == b"<<":
        _, end = _dict_at(data, pos)
        return b"<<", end
    if tok == b"[":
        pos, first = t.end(), b""
        while True:
            t = _TOKEN.match(data, pos)
            if t is None:
                raise _NotPlain("unterminated array")
            if t[1] == b"]":
                return b"[" + first, t.end()
            value, pos = _value_at(data, pos)
            if not first:
                first = value
    if tok == b"(":
        return b"(", _string_end(data, t.end())
    if tok in (b">>", b"]", b"{", b"}"):
        raise _NotPlain("unexpected bracket")
    return tok, t.end()


def _string_end(data: bytes, pos: int) -> int:
    """The position after a literal string whose "(" ends just before ``pos``."""
    depth = 1
    while depth:
        c = data[pos]
        if c == 0x5C:  # backslash: the next byte is escaped
            pos += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
        pos += 1
    return pos


def _stream_at(data: bytes, objid: int, offset: int, offsets: dict[int, int]) -> tuple[int, int] | None:
    """(start, length) of the Flate data of object ``objid`` at ``offset``, None when it is not a Flate stream."""
    head = _OBJ_HEAD.match(data, offset)
    if head is None or int(head[1]) != objid:
        raise _NotPlain("object not at its offset")
    t = _TOKEN.match(data, head.end())
    if t is None or t[1] != b"<<":
        return None
    entries, pos = _dict_at(data, head.end())
    t = _TOKEN.match(data, pos)
    if t is None or t[1] != b"stream":
        return None
    filt = entries.get(b"/Filter", b"")
    if filt.startswith(b"["):
        filt = filt[1:]
    if _REF.fullmatch(filt) or b"#" in filt or b"/F" in entries:
        raise _NotPlain("indirect or escaped filter, or an external file")
    if filt not in _FLATE:
        return None
    length = entries.get(b"/Length")
    if length is None:
        raise _NotPlain("no length")
    ref = _REF.fullmatch(length)
    if ref is not None:
        at = offsets.get(int(ref[1]))
        m = _INT_OBJ.match(data, at) if at is not None else None
        if m is None or int(m[1]) != int(ref[1]):
            raise _NotPlain("length object")
        length = m[2]
    if not length.isdigit():
        raise _NotPlain("length")
    # the data starts after the line of the "stream" keyword (pdfminer's nextline: up to \r\n, \n or \r)
    end = t.end()
    if data[end:end + 2] == b"\r\n":
        end += 2
    elif data[end:end + 1] in (b"\n", b"\r"):
        end += 1
    else:
        raise _NotPlain("stream line")
    return end, int(length)
