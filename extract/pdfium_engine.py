"""The pdfium engine: characters and ruling lines read straight from PDFium (pypdfium2's raw API), the cell
grid built here from the ruling lines, words placed by the shared geometry.

Per page:

1. Ruling lines: every path object's segments (transformed by its matrix, form XObjects followed). Stroked
   axis-parallel segments are rules; a visible (not white, not transparent) filled axis-parallel rectangle is
   a rule along its long side when it is thin (LibreOffice draws some borders that way), else its four edges
   are (a shaded area). White fills are cell backgrounds, not rules. Rules are snapped (positions within
   ``settings.snap`` points become one) and collinear pieces joined.
2. Tables: connected groups of horizontal and vertical rules. Each group's distinct rule positions make a
   grid; a grid cell side is *ruled* when a joined rule covers it. Grid cells not separated by a rule are one
   merged cell; a merged region reaching the group's outline through an unruled side is not a cell.
3. Words: the text page's characters (``FPDFText_*``; generated spaces and line breaks dropped), clustered
   into lines by position, sorted left to right, split on blanks and on x-gaps above ``settings.x_tolerance`` —
   what pdfplumber's ``extract_words(x_tolerance=1.5, y_tolerance=2)`` does.

The text page is only loaded on pages that have a table. Coordinates: PDF points from the top-left corner of
the page as it is shown upright (``Frame``): a page with /Rotate is read turned as a viewer turns it, and a
page whose text runs sideways in user space (90° or 270°, no /Rotate) is turned until its text is upright
(``text_turn``; the turn beyond /Rotate is kept in ``PageTable.turn``).
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

from tthc_extract.extract.geometry import Word, build_page_table, join_unruled, share_fields_sets
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from tthc_extract.schemas.raw import Box, PageTable

NAME = "pdfium"

#: Ligatures expanded (as pdfplumber does) and the codes PDFium gives a hyphen that ends a text line.
_REMAP = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st", "\x02": "-", "\ufffe": "-"}
_SEG_LINETO, _SEG_BEZIERTO, _SEG_MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO, \
    pdfium_c.FPDF_SEGMENT_MOVETO
_PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM

Matrix = tuple[float, float, float, float, float, float]
#: A character: baseline (from the page top), x0, x1, text, index in the text page.
_Char = tuple[float, float, float, str, int]
_BASELINE, _X0 = itemgetter(0), itemgetter(1)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: A UTF-16 surrogate left in the decoded text: a character outside the BMP, read one by one instead.
_SURROGATE = re.compile("[\ud800-\udfff]")


def version() -> str:
    return f"pypdfium2 {PYPDFIUM_INFO} (pdfium {PDFIUM_INFO})"


@dataclass(slots=True)
class Rule:
    """One joined ruling line: ``pos`` is its y (horizontal) or x (vertical); it spans ``lo``..``hi``."""

    pos: float
    lo: float
    hi: float


@dataclass(frozen=True, slots=True)
class Frame:
    """The upright, displayed frame of a page: user space turned clockwise by ``rotation`` degrees (the page's
    /Rotate), in points from the displayed top-left corner of the page's box."""

    rotation: int
    left: float
    bottom: float
    right: float
    top: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)


# --------------------------------------------------------------------------------------------------
# Reading the page
# --------------------------------------------------------------------------------------------------


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 - the usual names of a PDF matrix
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class _Reader:
    """Reusable ctypes buffers for the raw calls of one document."""

    def __init__(self, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> None:
        self.settings = settings
        self.matrix = pdfium_c.FS_MATRIX()
        self.fx = ctypes.c_float()
        self.fy = ctypes.c_float()
        self.fill_mode = ctypes.c_int()
        self.stroke = pdfium_c.FPDF_BOOL()
        self.r, self.g, self.b, self.a = (ctypes.c_uint() for _ in range(4))

    def objects(self, page: ctypes.c_void_p) -> Iterator[tuple[ctypes.c_void_p, Matrix]]:
        """Every path object of the page with its matrix to page space, form XObjects followed."""
        stack: list[tuple[ctypes.c_void_p, Matrix, bool]] = [(page, _IDENTITY, True)]
        m = self.matrix
        m_ref = ctypes.byref(m)
        while stack:
            holder, outer, is_page = stack.pop()
            count = _count_objects(holder) if is_page else _form_count(holder)
            for i in range(count):
                raw = _get_object(holder, i) if is_page else _form_object(holder, ctypes.c_ulong(i))
                if not raw:
                    continue
                obj = ctypes.c_void_p(raw)
                kind = _obj_type(obj)
                if (kind != _PATH and kind != _FORM) or not _obj_matrix(obj, m_ref):
                    continue
                matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
                if kind == _FORM:
                    stack.append((obj, matrix, False))
                else:
                    yield obj, matrix

    def rules(self, page: ctypes.c_void_p, frame: Frame) -> tuple[list[tuple[float, float, float]],
                                                                           list[tuple[float, float, float]]]:
        """Raw horizontal (y, x0, x1) and vertical (x, y0, y1) rule pieces, in the page's displayed frame."""
        hs: list[tuple[float, float, float]] = []
        vs: list[tuple[float, float, float]] = []
        fx, fy, fill_mode, stroke = self.fx, self.fy, self.fill_mode, self.stroke
        fx_ref, fy_ref = ctypes.byref(fx), ctypes.byref(fy)
        mode_refs = ctypes.byref(fill_mode), ctypes.byref(stroke)
        to_frame = frame.point
        thin, eps, min_rule = self.settings.thin, self.settings.axis_eps, self.settings.min_rule
        for obj, (a, b, c, d, e, f) in self.objects(page):
            if not _draw_mode(obj, *mode_refs):
                continue
            stroked, filled = bool(stroke.value), fill_mode.value != 0
            if not (stroked or filled):
                continue
            subpaths: list[list[tuple[float, float]]] = []
            curved: list[bool] = []
            for i in range(_count_segments(obj)):
                raw = _segment(obj, i)
                if not raw:
                    continue
                seg = ctypes.c_void_p(raw)
                _segment_point(seg, fx_ref, fy_ref)
                x, y = fx.value, fy.value
                pt = to_frame(a * x + c * y + e, b * x + d * y + f)
                kind = _segment_type(seg)
                if kind == _SEG_MOVETO or not subpaths:
                    subpaths.append([pt])
                    curved.append(False)
                else:
                    subpaths[-1].append(pt)
                    if kind == _SEG_BEZIERTO:
                        curved[-1] = True
                if _segment_close(seg) and subpaths[-1][0] != pt:
                    subpaths[-1].append(subpaths[-1][0])
            if stroked:
                for pts, is_curve in zip(subpaths, curved, strict=True):
                    if not is_curve:
                        _add_segments(pts, hs, vs, eps, min_rule)
            elif self._visible_fill(obj):
                for pts, is_curve in zip(subpaths, curved, strict=True):
                    box = None if is_curve else _as_rect(pts, eps)
                    if box is None:
                        continue
                    x0, y0, x1, y1 = box
                    if y1 - y0 <= thin and x1 - x0 > thin:
                        hs.append(((y0 + y1) / 2, x0, x1))
                    elif x1 - x0 <= thin and y1 - y0 > thin:
                        vs.append(((x0 + x1) / 2, y0, y1))
                    else:
                        _add_segments([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], hs, vs, eps, min_rule)
        return hs, vs

    def _visible_fill(self, obj: ctypes.c_void_p) -> bool:
        """A filled area shows its edges unless it is white (a cell background) or transparent."""
        if not _fill_color(obj, *(ctypes.byref(v) for v in (self.r, self.g, self.b, self.a))):
            return True
        if self.a.value == 0:
            return False
        return min(self.r.value, self.g.value, self.b.value) < 250

    def words(self, textpage: pdfium_c.FPDF_TEXTPAGE, frame: Frame, units: str | None = None) -> list[Word]:
        """The page's words (see the module docstring), in no particular order; ``units`` is the page's text
        (``page_text``) when the caller has read it already."""
        handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        chars = _chars(handle, frame, page_text(textpage) if units is None else units)
        return _words(chars, lambda i: _font_size(handle, i), self.settings)


def page_text(textpage: pdfium_c.FPDF_TEXTPAGE) -> str:
    """The text page's characters in one call, one string element per character index (a page with
    characters outside the BMP, which UTF-16 gives as two units, is read character by character)."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return ""
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    units = bytes(buf)[: max(got - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
    if len(units) != n or _SURROGATE.search(units):
        units = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    return units


def _chars(handle: ctypes.c_void_p, frame: Frame, units: str) -> list[_Char]:
    """Every printed character as (baseline, x0, x1, text, char index) in the page's displayed frame; line
    breaks and the blanks PDFium generated dropped.

    Two C calls per character (loose box, origin) into reused buffers, in one plain loop: measured faster than
    reading the boxes column-wise into arrays through ``map`` (bench/char_read.py).
    """
    rect, ox, oy = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    loose_box, origin, is_generated = _loose_box, _origin, _is_generated
    blanks = _BLANKS
    # the ligatures and hyphen codes to remap, when the page has any (most pages have none: no lookup per char)
    remap = _REMAP if any(code in units for code in _REMAP) else None
    upright, left, top, to_frame = frame.rotation == 0, frame.left, frame.top, frame.point
    out: list[_Char] = []
    append = out.append
    for i, ch in enumerate(units):
        if ch in blanks and (ch == "\r" or ch == "\n" or is_generated(handle, i)):
            continue
        if not (loose_box(handle, i, rect_ref) and origin(handle, i, ox_ref, oy_ref)):
            continue
        if remap is not None:
            ch = remap.get(ch, ch)
        if upright:
            append((top - oy.value, rect.left - left, rect.right - left, ch, i))
        else:  # the box's corners and the origin turned into the displayed frame
            xa, _ = to_frame(rect.left, rect.bottom)
            xb, _ = to_frame(rect.right, rect.top)
            _, base = to_frame(ox.value, oy.value)
            append((base, min(xa, xb), max(xa, xb), ch, i))
    return out


#: Every character ``str.isspace`` calls blank (29 in Unicode): one set lookup per character instead of three tests.
_BLANKS = frozenset(c for c in map(chr, range(0x3001)) if c.isspace())


#: Characters sampled to find which way a page's text runs.
ANGLE_SAMPLE = 400


def text_turn(textpage: pdfium_c.FPDF_TEXTPAGE, units: str | None = None) -> int | None:
    """The way most of the page's text runs in user space, as a quarter turn counter-clockwise (0, 90, 180, 270):
    the clockwise turn that shows it upright. None when the page has no text. ``units``: the page's text
    (``page_text``) when the caller has read it already."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return None
    text = page_text(textpage) if units is None else units
    handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    sample = range(0, n, max(1, n // ANGLE_SAMPLE))
    angles = map(_char_angle, repeat(handle, len(sample)), sample)
    counts = Counter(a for a, ch in zip(angles, text[::sample.step], strict=True) if a >= 0 and not ch.isspace())
    votes: dict[int, int] = {}  # in the order each turn first appears in the sample (a tie goes to the first)
    for angle, k in counts.items():
        turn = -round(math.degrees(angle) / 90) % 4 * 90  # PDFium measures the angle clockwise
        votes[turn] = votes.get(turn, 0) + k
    return max(votes, key=lambda t: votes[t]) if votes else None


def _unchecked(func, restype: type | None = ctypes.c_int):
    """The same C function called without ctypes' per-argument checks (pointers passed as c_void_p/byref).

    pypdfium2's bindings declare argtypes, which costs about a microsecond per call; the per-character
    calls are the engine's hottest loop, so they go through these.
    """
    fast = type(func)(ctypes.cast(func, ctypes.c_void_p).value)
    fast.restype = restype
    fast.argtypes = None
    return fast


_count_objects = _unchecked(pdfium_c.FPDFPage_CountObjects)
_get_object = _unchecked(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p)
_form_count = _unchecked(pdfium_c.FPDFFormObj_CountObjects)
_form_object = _unchecked(pdfium_c.FPDFFormObj_GetObject, ctypes.c_void_p)
_obj_type = _unchecked(pdfium_c.FPDFPageObj_GetType)
_obj_matrix = _unchecked(pdfium_c.FPDFPageObj_GetMatrix)
_fill_color = _unchecked(pdfium_c.FPDFPageObj_GetFillColor)
_draw_mode = _unchecked(pdfium_c.FPDFPath_GetDrawMode)
_count_segments = _unchecked(pdfium_c.FPDFPath_CountSegments)
_segment = _unchecked(pdfium_c.FPDFPath_GetPathSegment, ctypes.c_void_p)
_segment_point = _unchecked(pdfium_c.FPDFPathSegment_GetPoint)
_segment_type = _unchecked(pdfium_c.FPDFPathSegment_GetType)
_segment_close = _unchecked(pdfium_c.FPDFPathSegment_GetClose)
_char_angle = _unchecked(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float)

_loose_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
_origin = _unchecked(pdfium_c.FPDFText_GetCharOrigin)
_is_generated = _unchecked(pdfium_c.FPDFText_IsGenerated)
_font_size = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)


def _add_segments(pts: list[tuple[float, float]], hs: list, vs: list, eps: float, min_rule: float) -> None:
    """Append the axis-parallel segments of a polyline (other coordinate within ``eps``, at least ``min_rule``
    long) to the horizontal and vertical rule pieces."""
    for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
        if abs(ya - yb) < eps and abs(xa - xb) >= min_rule:
            hs.append(((ya + yb) / 2, min(xa, xb), max(xa, xb)))
        elif abs(xa - xb) < eps and abs(ya - yb) >= min_rule:
            vs.append(((xa + xb) / 2, min(ya, yb), max(ya, yb)))


def _as_rect(pts: list[tuple[float, float]], eps: float) -> tuple[float, float, float, float] | None:
    """The (x0, top, x1, bottom) of a closed axis-parallel (within ``eps``) rectangle subpath, else None."""
    if len(pts) not in (4, 5) or (len(pts) == 5 and pts[0] != pts[-1]):
        return None
    corners = pts[:4]
    xs = sorted(p[0] for p in corners)
    ys = sorted(p[1] for p in corners)
    if xs[1] - xs[0] > eps or xs[3] - xs[2] > eps or ys[1] - ys[0] > eps or ys[3] - ys[2] > eps:
        return None
    for (xa, ya), (xb, yb) in zip(corners, corners[1:] + corners[:1], strict=True):
        if abs(xa - xb) >= eps and abs(ya - yb) >= eps:
            return None
    return xs[0], ys[0], xs[3], ys[3]


# --------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------


def _words(chars: list[_Char], font_size: Callable[[int], float],
           settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> list[Word]:
    """Cluster characters into lines by baseline, sort each line left to right and split it into words.

    A new word starts after a blank, at an x-gap above ``settings.x_tolerance``, where a character starts left
    of the previous one's start, or at a baseline jump above ``settings.y_tolerance`` (pdfplumber's rules). A word's box
    spans its characters' advances and one font size above the baseline (the box pdfplumber gives);
    ``font_size(i)`` is asked once per word, for its first character.
    """
    if not chars:
        return []
    x_tol, y_tol = settings.x_tolerance, settings.y_tolerance
    chars.sort(key=_BASELINE)
    lines: list[list[_Char]] = []
    line: list[_Char] = []
    last = chars[0][0]
    for ch in chars:
        if ch[0] > last + y_tol:
            lines.append(line)
            line = []
        line.append(ch)
        last = ch[0]
    lines.append(line)
    words: list[Word] = []
    add = words.append
    nfc = unicodedata.normalize
    for line in lines:
        line.sort(key=_X0)
        parts: list[str] = []
        x0 = x1 = b_min = b_max = prev_x0 = prev_x1 = prev_base = w0 = 0.0
        first = 0
        for base, cx0, cx1, text, index in line:
            if text.isspace():
                if parts:
                    word = "".join(parts)
                    add(Word(word if word.isascii() else nfc("NFC", word), x0, b_min - (font_size(first) or 1.0),
                             x1, b_max, w0))
                    parts = []
                continue
            if parts and (cx0 < prev_x0 or cx0 > prev_x1 + x_tol or abs(base - prev_base) > y_tol):
                word = "".join(parts)
                add(Word(word if word.isascii() else nfc("NFC", word), x0, b_min - (font_size(first) or 1.0),
                         x1, b_max, w0))
                parts = []
            if parts:
                parts.append(text)
                if cx1 > x1:
                    x1 = cx1
                if base < b_min:
                    b_min = base
                elif base > b_max:
                    b_max = base
            else:
                parts = [text]
                x0, x1, b_min, b_max, first, w0 = cx0, cx1, base, base, index, cx1 - cx0
            prev_x0, prev_x1, prev_base = cx0, cx1, base
        if parts:
            word = "".join(parts)
            add(Word(word if word.isascii() else nfc("NFC", word), x0, b_min - (font_size(first) or 1.0), x1, b_max,
                     w0))
    return words


# --------------------------------------------------------------------------------------------------
# Rules → tables → cells
# --------------------------------------------------------------------------------------------------


def join_rules(pieces: list[tuple[float, float, float]], settings: EngineSettings = DEFAULT_ENGINE_SETTINGS
               ) -> list[Rule]:
    """Snap rule positions within ``settings.snap`` to their mean, then join collinear pieces with gaps up to
    ``settings.join``."""
    snap, join = settings.snap, settings.join
    if not pieces:
        return []
    pieces = sorted(pieces)
    clusters: list[list[tuple[float, float, float]]] = [[pieces[0]]]
    for p in pieces[1:]:
        if p[0] <= clusters[-1][-1][0] + snap:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    rules: list[Rule] = []
    for cluster in clusters:
        pos = sum(p[0] for p in cluster) / len(cluster)
        spans = sorted((p[1], p[2]) for p in cluster)
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi + join:
                hi = max(hi, b)
            else:
                rules.append(Rule(pos, lo, hi))
                lo, hi = a, b
        rules.append(Rule(pos, lo, hi))
    return rules


def _touches(h: Rule, v: Rule, join: float) -> bool:
    return h.lo - join <= v.pos <= h.hi + join and v.lo - join <= h.pos <= v.hi + join


def rule_groups(hs: list[Rule], vs: list[Rule], settings: EngineSettings = DEFAULT_ENGINE_SETTINGS
                ) -> list[tuple[list[Rule], list[Rule]]]:
    """Connected groups of crossing or touching rules, each with at least two rules of each direction."""
    parent = list(range(len(hs) + len(vs)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touches(h, v, settings.join):
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[b] = a
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(rules: list[Rule], snap: float) -> list[float]:
    """Distinct rule positions of a group (rules at one position after snapping may be several pieces)."""
    out: list[float] = []
    for p in sorted(r.pos for r in rules):
        if not out or p - out[-1] > snap:
            out.append(p)
    return out


def _spans_at(rules: list[Rule], positions: list[float], snap: float) -> list[list[tuple[float, float]]]:
    """For each grid position, the (lo, hi) spans of the rules lying on it."""
    return [[(r.lo, r.hi) for r in rules if abs(r.pos - p) <= snap] for p in positions]


def _covered(spans: list[tuple[float, float]], lo: float, hi: float, join: float) -> bool:
    """Whether one rule covers lo..hi (within ``join`` at either end)."""
    return any(a <= lo + join and b >= hi - join for a, b in spans)


def cell_boxes(hs: list[Rule], vs: list[Rule], settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> list[Box]:
    """The (merged) cells of one rule group: grid regions enclosed by rules (see the module docstring)."""
    snap, join = settings.snap, settings.join
    xs, ys = _positions(vs, snap), _positions(hs, snap)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return []
    # right[r][c]: the side between grid cells (r, c) and (r, c + 1) is ruled; c = -1 / n_cols - 1 the outline.
    at_x, at_y = _spans_at(vs, xs, snap), _spans_at(hs, ys, snap)
    right = [[_covered(at_x[c], ys[r], ys[r + 1], join) for c in range(n_cols + 1)] for r in range(n_rows)]
    below = [[_covered(at_y[r], xs[c], xs[c + 1], join) for c in range(n_cols)] for r in range(n_rows + 1)]
    groups = join_unruled(
        n_rows,
        n_cols,
        joins_right=lambda r, c: not right[r][c + 1],
        joins_down=lambda r, c: not below[r + 1][c],
        is_open=lambda r, c: ((c == 0 and not right[r][0]) or (c == n_cols - 1 and not right[r][n_cols])
                              or (r == 0 and not below[0][c]) or (r == n_rows - 1 and not below[n_rows][c])),
    )
    return [Box(x0=xs[c0], top=ys[r0], x1=xs[c1 + 1], bottom=ys[r1 + 1]) for r0, c0, r1, c1, _ in groups]


def page_tables(page_no: int, width: float, height: float, groups: list[list[Box]], words: list[Word],
                settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> list[PageTable]:
    """One PageTable per group of cell boxes, top to bottom, with the words inside and the words above."""
    groups = sorted((g for g in groups if g), key=lambda g: min(b.top for b in g))
    centred = [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, w) for w in words]
    out: list[PageTable] = []
    prev_bottom = 0.0
    for i, boxes in enumerate(groups):
        x0, x1 = min(b.x0 for b in boxes) - 0.5, max(b.x1 for b in boxes) + 0.5
        top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
        inside = [w for cx, cy, w in centred if x0 <= cx <= x1 and top - 0.5 <= cy <= bottom + 0.5]
        above = [w for _, cy, w in centred if prev_bottom <= cy < top]
        out.append(build_page_table(page=page_no, page_width=width, page_height=height, index=i,
                                    cell_boxes=boxes, words=inside, words_above=above, settings=settings))
        prev_bottom = bottom
    return out


# --------------------------------------------------------------------------------------------------
# Engine entry point
# --------------------------------------------------------------------------------------------------


def _groups(reader: _Reader, page: ctypes.c_void_p, frame: Frame) -> list[list[Box]]:
    """The cell boxes of each ruled table of a page, in ``frame``."""
    raw_h, raw_v = reader.rules(page, frame)
    s = reader.settings
    groups = [cell_boxes(h, v, s) for h, v in rule_groups(join_rules(raw_h, s), join_rules(raw_v, s), s)]
    return [g for g in groups if g]


def extract(path: Path, password: str | None = None, pages: Sequence[int] | None = None, *,
            settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> tuple[int, list[PageTable]]:
    """Return the page count and every ruled table of the given pages (1-based; default every page)."""
    doc = pdfium.PdfDocument(str(path), password=password)
    reader = _Reader(settings)
    tables: list[PageTable] = []
    try:
        n_pages = len(doc)
        bbox = pdfium_c.FS_RECTF()
        for index in (range(n_pages) if pages is None else [p - 1 for p in pages]):
            page = pdfium_c.FPDF_LoadPage(doc.raw, index)
            if not page:
                raise pdfium.PdfiumError(f"page {index + 1} could not be loaded")
            try:
                pdfium_c.FPDF_GetPageBoundingBox(page, bbox)
                frame = Frame(pdfium_c.FPDFPage_GetRotation(page) % 4 * 90, bbox.left, bbox.bottom, bbox.right,
                              bbox.top)
                handle = ctypes.c_void_p(ctypes.cast(page, ctypes.c_void_p).value)
                groups = _groups(reader, handle, frame)
                if not groups:
                    continue
                textpage = pdfium_c.FPDFText_LoadPage(page)
                if not textpage:
                    continue
                try:
                    units = page_text(textpage)
                    turn = text_turn(textpage, units)
                    if turn is not None and turn != frame.rotation:  # text drawn sideways: read it upright
                        frame = replace(frame, rotation=turn)
                        groups = _groups(reader, handle, frame)
                    words = reader.words(textpage, frame, units)
                finally:
                    pdfium_c.FPDFText_ClosePage(textpage)
                found = page_tables(index + 1, *frame.size, groups, words, settings)
                turn = (frame.rotation - pdfium_c.FPDFPage_GetRotation(page) * 90) % 360
                if turn:
                    found = [t.model_copy(update={"turn": turn}) for t in found]
                share_fields_sets(found)  # page by page: the sets freed are reused by the next pages' models
                tables.extend(found)
            finally:
                pdfium_c.FPDF_ClosePage(page)
    finally:
        doc.close()
    return n_pages, tables
