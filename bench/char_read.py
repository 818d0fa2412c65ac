"""The ways of reading a page's characters from PDFium that issue 18 asked to compare, timed on the same loaded
pages, with whether each gives the engine's words exactly.

Every page and text page of the file is loaded first (not timed); then each way runs over every page, the ways
taking turns round by round (``--rounds``, median and range reported per page). "Exact" compares the words each
way leads to (text, box, first-glyph width; through the engine's ``_words``) with the engine's own:

* ``engine``: the engine's loop, two C calls per character (loose box, origin) into reused buffers;
* ``columns (map, argtypes)``: the same two calls made by ``map`` into two arrays (pointer arguments as ints
  through ``argtypes``), the arrays read back as lists in one step, the frame applied column-wise;
* ``columns (map, byref offsets)``: the same, pointers made by ``ctypes.byref(array, offset)``;
* ``one call: loose box only``: the baseline taken from the loose box's bottom (no origin call): one call per
  character, not exact (the bottom is the descent below the baseline, which varies by font);
* ``one call: tight box (GetCharBox)``: the glyph's ink box instead of its advance, with the origin: not exact;
* ``text runs (CountRects/GetRect)``: one rectangle per text object (PDFium's union of its characters' ink
  boxes): a call per run, but no per-character positions, so no x-gap word splits and no first-glyph width;
* ``GetBoundedText per cell``: the text inside each ruled cell in one call: no word or line boxes at all.

Usage::

    python bench/char_read.py [--rounds 5] [FILE]
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import time
from collections.abc import Callable
from itertools import compress, repeat
from operator import sub
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

import tthc_extract.extract.pdfium_engine as eng  # noqa: E402


def _fast(func, restype: type = ctypes.c_int, argtypes: tuple | None = None):
    fast = eng._unchecked(func, restype)
    fast.argtypes = argtypes
    return fast


_box_at = _fast(pdfium_c.FPDFText_GetLooseCharBox, argtypes=(ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p))
_origin_at = _fast(pdfium_c.FPDFText_GetCharOrigin,
                   argtypes=(ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p))
_tight = _fast(pdfium_c.FPDFText_GetCharBox)
_count_rects = _fast(pdfium_c.FPDFText_CountRects)
_get_rect = _fast(pdfium_c.FPDFText_GetRect)
_bounded = _fast(pdfium_c.FPDFText_GetBoundedText)


class Page:
    """One loaded page: its text page handle, upright frame, text, and the boxes of its cells."""

    def __init__(self, doc: pdfium.PdfDocument, index: int, reader: eng._Reader) -> None:
        self.page = pdfium_c.FPDF_LoadPage(doc.raw, index)
        bbox = pdfium_c.FS_RECTF()
        pdfium_c.FPDF_GetPageBoundingBox(self.page, bbox)
        self.frame = eng.Frame(pdfium_c.FPDFPage_GetRotation(self.page) % 4 * 90, bbox.left, bbox.bottom,
                               bbox.right, bbox.top)
        handle = ctypes.c_void_p(ctypes.cast(self.page, ctypes.c_void_p).value)
        self.cells = [b for g in eng._groups(reader, handle, self.frame) for b in g]
        self.textpage = pdfium_c.FPDFText_LoadPage(self.page)
        self.handle = ctypes.c_void_p(ctypes.cast(self.textpage, ctypes.c_void_p).value)
        self.units = eng.page_text(self.textpage)


def _drop(page: Page, n: int) -> list[int]:
    keep = [1] * n
    for i, ch in enumerate(page.units):
        if ch == "\r" or ch == "\n" or (ch.isspace() and eng._is_generated(page.handle, i)):
            keep[i] = 0
    return keep


def columns_argtypes(page: Page) -> list:
    h, n, frame = page.handle, len(page.units), page.frame
    boxes, origins = (ctypes.c_float * (4 * n))(), (ctypes.c_double * (2 * n))()
    b, o = ctypes.addressof(boxes), ctypes.addressof(origins)
    ok = list(map(_box_at, repeat(h, n), range(n), range(b, b + 16 * n, 16)))
    ok2 = list(map(_origin_at, repeat(h, n), range(n), range(o, o + 16 * n, 16), range(o + 8, o + 16 * n, 16)))
    return _assemble(page, memoryview(boxes).cast("B").cast("f").tolist(),
                     memoryview(origins).cast("B").cast("d").tolist(), ok, ok2, frame)


def columns_byref(page: Page) -> list:
    h, n, frame = page.handle, len(page.units), page.frame
    boxes, origins = (ctypes.c_float * (4 * n))(), (ctypes.c_double * (2 * n))()
    ref = ctypes.byref
    ok = list(map(eng._loose_box, repeat(h, n), range(n), map(ref, repeat(boxes, n), range(0, 16 * n, 16))))
    ok2 = list(map(eng._origin, repeat(h, n), range(n), map(ref, repeat(origins, n), range(0, 16 * n, 16)),
                   map(ref, repeat(origins, n), range(8, 16 * n, 16))))
    return _assemble(page, memoryview(boxes).cast("B").cast("f").tolist(),
                     memoryview(origins).cast("B").cast("d").tolist(), ok, ok2, frame)


def _assemble(page: Page, box: list[float], origin: list[float], ok: list[int], ok2: list[int],
              frame: eng.Frame) -> list:
    n = len(page.units)
    keep = [k and a and b for k, a, b in zip(_drop(page, n), ok, ok2, strict=True)]
    texts = [eng._REMAP.get(ch, ch) for ch in page.units]
    bases = list(map(sub, repeat(frame.top, n), origin[1::2]))
    x0s = list(map(sub, box[0::4], repeat(frame.left, n)))
    x1s = list(map(sub, box[2::4], repeat(frame.left, n)))
    return list(compress(zip(bases, x0s, x1s, texts, range(n), strict=True), keep))


def loose_only(page: Page) -> list:
    h, frame = page.handle, page.frame
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    out = []
    for i, ch in enumerate(page.units):
        if ch == "\r" or ch == "\n" or (ch.isspace() and eng._is_generated(h, i)):
            continue
        if eng._loose_box(h, i, ref):
            out.append((frame.top - rect.bottom, rect.left - frame.left, rect.right - frame.left,
                        eng._REMAP.get(ch, ch), i))
    return out


def tight_box(page: Page) -> list:
    h, frame = page.handle, page.frame
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    ox, oy = ctypes.c_double(), ctypes.c_double()
    oref = ctypes.byref(ox), ctypes.byref(oy)
    out = []
    for i, ch in enumerate(page.units):
        if ch == "\r" or ch == "\n" or (ch.isspace() and eng._is_generated(h, i)):
            continue
        if _tight(h, i, *refs) and eng._origin(h, i, *oref):
            out.append((frame.top - oy.value, left.value - frame.left, right.value - frame.left,
                        eng._REMAP.get(ch, ch), i))
    return out


def text_runs(page: Page) -> int:
    h = page.handle
    n = _count_rects(h, 0, len(page.units))
    vals = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in vals]
    runs = [(vals[0].value, vals[1].value, vals[2].value, vals[3].value) for k in range(n) if _get_rect(h, k, *refs)]
    return len(runs)


def bounded_per_cell(page: Page) -> int:
    h, frame = page.handle, page.frame
    buf = (ctypes.c_ushort * 4096)()
    got = 0
    for b in page.cells:  # the cell's box back in PDF user space (upright pages: y up from the bottom)
        n = _bounded(h, ctypes.c_double(b.x0 + frame.left), ctypes.c_double(frame.top - b.top),
                     ctypes.c_double(b.x1 + frame.left), ctypes.c_double(frame.top - b.bottom), buf, 4096)
        got += n
    return got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "bench" / ".cache" / "bench_long_appendix.pdf")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    doc = pdfium.PdfDocument(str(args.pdf))
    reader = eng._Reader()
    pages = [Page(doc, i, reader) for i in range(len(doc))]
    n_chars = sum(len(p.units) for p in pages)

    def engine(page: Page) -> list:
        return eng._chars(page.handle, page.frame, page.units)

    def words_of(chars: list, page: Page) -> list:
        return eng._words(list(chars), lambda i: eng._font_size(page.handle, i))

    ways: dict[str, tuple[Callable[[Page], object], bool]] = {
        "engine (loop, 2 calls/char)": (engine, True),
        "columns (map, argtypes)": (columns_argtypes, True),
        "columns (map, byref offsets)": (columns_byref, True),
        "one call: loose box only": (loose_only, True),
        "one call: tight box (GetCharBox) + origin": (tight_box, True),
        "text runs (CountRects/GetRect)": (text_runs, False),
        "GetBoundedText per cell": (bounded_per_cell, False),
    }
    want = [words_of(engine(p), p) for p in pages]
    exact = {name: (all(words_of(f(p), p) == w for p, w in zip(pages, want, strict=True)) if gives_chars else False)
             for name, (f, gives_chars) in ways.items()}
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, (f, _) in ways.items():
            start = time.perf_counter()
            for p in pages:
                f(p)
            times[name].append(time.perf_counter() - start)
    print(f"{args.pdf.name}: {len(pages)} pages, {n_chars} characters; median and range of {args.rounds} rounds, "
          "ms per page (the characters only; words, cells and the text page's loading not included)\n")
    print("| way | ms/page | range | words exact |\n|---|---:|---:|---|")
    for name, vals in times.items():
        per = [1000 * v / len(pages) for v in vals]
        print(f"| {name} | {statistics.median(per):.2f} | {min(per):.2f}–{max(per):.2f} | "
              f"{'yes' if exact[name] else 'no'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
