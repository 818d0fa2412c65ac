"""The OCR engine: scanned (image-only) pages read with OpenCV and Tesseract's Vietnamese model.

Per page:

1. Render the page with pypdfium2 at ``DPI`` in colour (``prepare``): colour ink (a red seal, a blue
   signature) is lifted to paper by its chroma, and the paper's own brightness (a wide maximum of the shrunk
   page) is divided out, so uneven light, an edge shadow or a scanner's dark frame do not reach the threshold.
   One Otsu threshold gives the ink; ink components that come near the image's edge (the frame, the desk
   around a photographed page) are dropped (``edge_ink``).
2. Deskew (``estimate_skew``): the raw ink is projected onto rows along candidate angles over ±``MAX_SKEW``,
   coarse to fine (50 → 100 → 300 dpi, steps 0.25° → 0.05° → 0.01°); the sharpest profile is the skew. The
   page is turned back with bicubic interpolation and thresholded at the level found before.
3. Ruling lines (``_open``, ``find_grids``): the ink is thickened across each direction by ``BRIDGE_PT``
   (a 1-px rule that jogs by a pixel stays one run), then opened with long kernels along it; pieces that bend
   (a seal's ring) are dropped, broken pieces of one rule joined; a rule counts when both its ends lie on rules
   across it (within ``END_TOL_PT`` or ``END_FRAC`` of its length) and a column rule when it runs down
   ``V_SUPPORT`` of its table. Each connected group of rules away from the image's edge and enclosing no other
   group is one table; its distinct rule positions make a grid; a grid side is *ruled* when the rule mask
   covers most of it, and grid rectangles not separated by a rule are one merged cell (a merged region that
   reaches the table's outline through an unruled side is not a cell).
4. Text: the rules are erased, every non-empty cell's inside (and the band above the table: the title
   block) is cut out and the pieces are stacked into one tall image, which Tesseract reads once
   (``-l vie --psm 6``, TSV output) — one process per page instead of one per cell. Each word is mapped back
   to its piece and to page coordinates; Tesseract's text lines become the cell's TextLines (NFC), and the
   mean word confidence / 100 is the cell's ``confidence``. Narrow cells (the STT column: "1", "IV", "STT")
   are read in a run of their own with the English model on a binarised, doubled image, and common
   misreadings of Roman numerals are repaired ("H" → "II"); a narrow cell whose reading is not a number is
   read again alone, then with a numeral whitelist, and only then as text. A Roman numeral of I and V has its
   stems counted in the middle band of its ink (``count_stems``: a bold "II" whose serifs touch is read "I").

Then, over the document: section numbers (Roman, section rows: their title merged across the row) and task
numbers (Arabic, restarting after each section) that break their sequence are repaired where the readings
around them fix what they must be (``enforce_numbering``; the cell's confidence is cut, so the audit shows
it), and tone marks of words in bold capitals (misread most often) are respelled after the
same word pair in ordinary type elsewhere in the document (``harmonize_capitals``).

Coordinates are PDF points with a top-left origin, in the frame of the deskewed page (the scan turned by the
measured skew, usually under 1°, about the page centre). Pages are rendered one at a time (PDFium is not
thread-safe) and read ``workers`` at a time (Tesseract runs single-threaded, one process per page and
reading).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import statistics
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.geometry import join_unruled, snap_edges
from extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from schemas.raw import Box, Cell, PageTable, TextLine
from schemas.text import TONE_MARKS

NAME = "ocr"

#: Rendering resolution (dots per inch); Tesseract reads best with an x-height of 20-30 pixels.
DPI = 300
#: Tesseract's language model and page segmentation mode (6: one uniform block of text).
LANG = "vie"
PSM = 6
#: Longest skew (degrees) that is measured and corrected; a page turned further is taken as it is.
MAX_SKEW = 5.0
#: The skew search, coarse to fine: (resolution in dpi the ink is shrunk to, step in degrees). The first stage
#: scans ±MAX_SKEW, each later one about the previous stage's best angle; a row of the shrunk image
#: must be small against the drift of a rule over the page at the stage's step.
SKEW_STAGES = ((50, 0.25), (100, 0.05), (300, 0.01))
#: Each later stage scans the previous best angle ± this many of the previous stage's steps.
SKEW_REACH = 2
#: Kernel lengths (points) of the morphological openings that keep horizontal and vertical rules: longer
#: than any stroke of a letter, shorter than the shortest rule (a one-line row is about 18 pt high).
H_KERNEL_PT = 24.0
V_KERNEL_PT = 11.0
#: Before the openings the ink is thickened across the rule direction by this much (points) on each side, so
#: that a 1-px rule that jogs by a pixel (a scan turned with nearest-neighbour resampling, or a residual skew)
#: stays one connected run: about 2 px at 300 dpi, one pixel of a 150-200 dpi scan.
BRIDGE_PT = 0.45
#: A "rule" whose centre line bends away from a straight line by more than this (points) is an arc (a seal's
#: ring, a signature's loop) and is dropped.
CURVE_PT = 0.9
#: Rule positions closer than this (points) are the same rule.
SNAP_PT = 5.0
#: A vertical rule ends this close (points) to a horizontal rule at both ends (letters stop short of them),
#: or within ``END_FRAC`` of its own length (a scanned border fades or breaks near its end).
END_TOL_PT = 2.0
END_FRAC = 0.08
#: Pieces of the vertical mask shorter than this (points) are letters (a bold capital's bow with its mark),
#: not rules, when the rules are erased before reading.
MIN_RULE_PT = 16.0
#: A column rule's pieces together run down at least this fraction of its table's height (a bold capital with
#: its marks can fill a one-line row from rule to rule).
V_SUPPORT = 0.2
#: Ink reaching closer than this (points) to the edge of the image is the scanner's frame, the page's shadow or
#: the desk around a photographed page, never a table or its title (a page's margins are wider).
EDGE_PT = 18.0
#: A grid side is ruled when the rule mask covers more than this fraction of it.
RULED = 0.5
#: A group of rules is a table when its outline is at least this wide and high (points).
MIN_TABLE_PT = (100.0, 30.0)
#: Cells narrower than this (points) hold numbers (STT): they are read in a run of their own.
NARROW_PT = 45.0
#: Cut this far (points) inside a cell's rules, and leave this gap (pixels) between the stacked pieces.
INSET_PT = 1.2
GAP_PX = 48
#: A cell with fewer ink pixels than this (after erasing the rules) is empty.
MIN_INK_PX = 25
#: Words Tesseract is less sure of than this (0-100) and without a letter or digit are noise.
MIN_NOISE_CONF = 60.0
#: Colour ink (a red seal, a blue signature) is told from black ink by its chroma (max - min of R, G, B, 0-255):
#: the gray level is raised by this many times the chroma. Red or blue ink, whatever its strength (a seal's
#: faint, anti-aliased edge too), darkens the gray level by about 1-1.3 times its chroma, so it becomes paper;
#: black ink has almost none and stays, black over red (text under a seal) too.
CHROMA_GAIN = 1.3
#: Scans below this resolution (dpi), enlarged to ``DPI`` for reading, get an unsharp mask (a Gaussian of this
#: sigma in pixels, this amount) before Tesseract reads them. Measured: a 150-dpi colour scan 0.86 → 0.90 exact
#: cells; on 200-300 dpi scans it costs (0.98 → 0.94 on the bundled 200-dpi scan), so they are read as they are.
SHARPEN_BELOW_DPI = 180.0
UNSHARP_SIGMA = 1.5
UNSHARP_AMOUNT = 0.6
#: The paper's brightness is estimated on the page shrunk by this factor with a maximum filter this wide
#: (shrunk pixels): wider than any stroke or rule, narrower than a shadow's gradient.
PAPER_SHRINK = 8
PAPER_KERNEL = 7


def _points(px: float) -> float:
    return px * 72.0 / DPI


def _pixels(pt: float) -> int:
    return max(1, round(pt * DPI / 72.0))


# --------------------------------------------------------------------------------------------------
# Tesseract


def _env() -> dict[str, str]:
    # one thread per Tesseract process: pages are already read in parallel
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


@functools.cache
def _tesseract() -> tuple[str, str, frozenset[str]] | None:
    """(path, version, models) of the tesseract command when it and the ``LANG`` model are installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, env=_env())
        ver = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30, env=_env())
    except (OSError, subprocess.SubprocessError):
        return None
    models = frozenset(ln.strip() for ln in (langs.stdout + langs.stderr).splitlines()[1:])
    if LANG not in models:
        return None
    first = (ver.stdout or ver.stderr).strip().splitlines()
    return exe, (first[0] if first else "tesseract"), models


def available() -> bool:
    """True when OCR can run: the ``tesseract`` command and its Vietnamese model are installed."""
    return _tesseract() is not None


def missing_reason() -> str:
    """What to install for OCR (empty when it is available)."""
    if available():
        return ""
    if shutil.which("tesseract") is None:
        return "OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-vie"
    return f"OCR needs Tesseract's Vietnamese model: apt-get install tesseract-ocr-{LANG}"


def version() -> str:
    found = _tesseract()
    tess = found[1] if found else "tesseract (not installed)"
    return f"{tess} -l {LANG}; opencv {cv2.__version__}"


@dataclass(slots=True)
class OcrWord:
    """A word Tesseract read: text, box (pixels of the image it read) and confidence 0-100."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float
    line: tuple[int, int, int]  # (block, paragraph, line) numbers: the printed line it is on


def run_tesseract(image: np.ndarray, lang: str = LANG, psm: int = PSM, chars: str = "") -> list[OcrWord]:
    """Words of a grayscale image, with their boxes, confidences and line numbers (Tesseract TSV); ``chars``:
    the only characters it may read (all when empty)."""
    found = _tesseract()
    if found is None:
        raise RuntimeError(missing_reason())
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("could not encode the page image")
    if lang not in found[2]:
        lang = LANG
    proc = subprocess.run(
        [found[0], "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(DPI),
         *(["-c", f"tessedit_char_whitelist={chars}"] if chars else []), "tsv"],
        input=png.tobytes(), capture_output=True, timeout=600, env=_env(), check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"tesseract failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-300:]}")
    return parse_tsv(proc.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output (level 5 rows with text)."""
    words = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        words.append(OcrWord(
            text=unicodedata.normalize("NFC", text), x0=left, top=top, x1=left + width, bottom=top + height,
            conf=float(row["conf"]), line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        ))
    return words


# --------------------------------------------------------------------------------------------------
# Image processing


def prepare(image: np.ndarray) -> np.ndarray:
    """The page (BGR or gray) as an even grayscale image: colour ink dropped, paper made white.

    Colour ink (a red seal, a blue signature) is lifted by ``CHROMA_GAIN`` times its chroma and becomes paper;
    then the paper's own brightness, estimated as a wide maximum of the shrunk page, is divided out (flat
    field), so uneven light, an edge shadow or a dark scanner frame no longer reach the ink threshold.
    """
    if image.ndim == 3:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        b, g, r = cv2.split(image)
        chroma = cv2.subtract(cv2.max(cv2.max(b, g), r), cv2.min(cv2.min(b, g), r))
        gray = cv2.addWeighted(gray, 1.0, chroma, CHROMA_GAIN, 0.0)  # saturates: colour ink becomes paper
    else:
        gray = image
    h, w = gray.shape
    f = PAPER_SHRINK
    if h < f or w < f:
        return gray
    # the brightest pixel of each f × f block (an average would darken the paper under dense bold type)
    small = gray[:h - h % f, :w - w % f].reshape(h // f, f, w // f, f).max(axis=(1, 3))
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (PAPER_KERNEL, PAPER_KERNEL)))
    paper = cv2.blur(paper, (PAPER_KERNEL, PAPER_KERNEL))
    paper = np.maximum(cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR), 1)
    return cv2.divide(gray, paper, scale=255)


def edge_ink(ink: np.ndarray) -> np.ndarray:
    """The mask (255) of the ink components that come within ``EDGE_PT`` of the image's edge: a scanner's dark
    frame, an edge shadow, the desk around a photographed page."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    e = _pixels(EDGE_PT)
    h, w = ink.shape
    x, y, x1, y1 = stats[:, 0], stats[:, 1], stats[:, 0] + stats[:, 2], stats[:, 1] + stats[:, 3]
    edge = (x <= e) | (y <= e) | (x1 >= w - e) | (y1 >= h - e)
    edge[0] = False  # the background
    if not edge.any():
        return np.zeros_like(ink)
    return np.where(edge, 255, 0).astype(np.uint8)[labels]


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink mask (255 = ink) of a grayscale page (Otsu's threshold)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _long(vmask: np.ndarray, length: int) -> np.ndarray:
    """The pieces of the vertical rule mask at least ``length`` px tall."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vmask, connectivity=8)
    keep = stats[:, cv2.CC_STAT_HEIGHT] >= length
    keep[0] = False
    return np.where(keep, 255, 0).astype(np.uint8)[labels]


def _open(ink: np.ndarray, horizontal: bool) -> np.ndarray:
    """The rules of one direction: the ink thickened across the rule by ``BRIDGE_PT`` (a jogging 1-px rule stays
    one run), then opened with a long kernel along it (letters drop out)."""
    length = _pixels(H_KERNEL_PT if horizontal else V_KERNEL_PT)
    across = 2 * _pixels(BRIDGE_PT) + 1
    bridged = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (1, across) if horizontal else (across, 1)))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    return cv2.morphologyEx(bridged, cv2.MORPH_OPEN, kernel)


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle: float, size: int) -> float:
    """How sharply the ink's rows line up when the page is turned by ``angle``: the sum of squared row counts."""
    t = np.tan(np.radians(angle))
    rows = np.rint(ys - xs * t).astype(np.int64) + size
    counts = np.bincount(rows, minlength=1)
    return float(np.dot(counts, counts))


def estimate_skew(ink: np.ndarray) -> float:
    """The page's skew in degrees (positive: lines fall to the right), measured on the raw ink.

    Projection profile: the ink is projected onto rows along each candidate angle, coarse to fine
    (``SKEW_STAGES``: first over ±``MAX_SKEW`` on the ink shrunk to 50 dpi, last on the full ink in steps of
    0.01°); rules and text lines make the sharpest profile when the projection runs along them. No opening
    is involved, so a page turned by 3° is measured as well as one turned by 0.3°.
    """
    h, w = ink.shape
    best, lo, hi = 0.0, -MAX_SKEW, MAX_SKEW
    for dpi, step in SKEW_STAGES:
        f = min(1.0, dpi / DPI)
        small = ink if f == 1.0 else cv2.resize(ink, (max(1, round(w * f)), max(1, round(h * f))),
                                                interpolation=cv2.INTER_AREA)
        ys, xs = np.nonzero(small > 64)
        if len(xs) < 50:
            return 0.0
        size = small.shape[0] + small.shape[1]
        yf, xf = ys.astype(np.float64), xs.astype(np.float64) - small.shape[1] / 2
        angles = np.arange(lo, hi + step / 2, step)
        scores = [_profile_score(yf, xf, a, size) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        lo, hi = best - SKEW_REACH * step, best + SKEW_REACH * step
    return round(best, 3) if abs(best) < MAX_SKEW else 0.0


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page turned by ``angle`` degrees about its centre (bicubic; white where it uncovers)."""
    if abs(angle) < 0.01:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=255)


@dataclass(slots=True)
class Segment:
    """A rule found in the image: ``pos`` its y (horizontal) or x (vertical), spanning ``lo``..``hi`` (px)."""

    pos: float
    lo: int
    hi: int


def _bend(along: np.ndarray, across: np.ndarray) -> float:
    """How far (px) the centre line of a rule's pixels (``along`` / ``across`` the rule) strays from a straight
    line: the largest residual of a line fitted to the mean ``across`` of each position ``along``."""
    counts = np.bincount(along)
    used = counts > 0
    if used.sum() < 3:
        return 0.0
    pos = np.nonzero(used)[0].astype(np.float64)
    centre = np.bincount(along, weights=across)[used] / counts[used]
    fit = np.polyval(np.polyfit(pos, centre, 1), pos)
    return float(np.max(np.abs(centre - fit)))


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    """The rules of one direction's mask; pieces that bend (arcs of a seal or a signature) are left out."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    curve = _pixels(CURVE_PT)
    out = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        rows, cols = np.nonzero(labels[y:y + h, x:x + w] == i)
        if horizontal:
            if _bend(cols, rows) > curve:
                continue
            out.append(Segment(y + float(np.median(rows)), int(x), int(x + w - 1)))
        else:
            if _bend(rows, cols) > curve:
                continue
            out.append(Segment(x + float(np.median(cols)), int(y), int(y + h - 1)))
    return out


@dataclass
class Grid:
    """One table's grid (pixel positions of its rules) and its cells as grid index ranges."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, row_span, col_span)

    def box(self, r: int, c: int, rs: int, cs: int) -> tuple[int, int, int, int]:
        return round(self.xs[c]), round(self.ys[r]), round(self.xs[c + cs]), round(self.ys[r + rs])


def _coverage(mask: np.ndarray, horizontal: bool, pos: float, lo: float, hi: float, band: int) -> float:
    """Fraction of the side from ``lo`` to ``hi`` at ``pos`` that the rule mask covers (within ``band`` px)."""
    p = round(pos)
    a, b = round(lo), round(hi)
    if b <= a:
        return 0.0
    if horizontal:
        strip = mask[max(p - band, 0):p + band + 1, a:b]
        hit = strip.any(axis=0)
    else:
        strip = mask[a:b, max(p - band, 0):p + band + 1]
        hit = strip.any(axis=1)
    return float(hit.mean()) if hit.size else 0.0


def find_grids(hmask: np.ndarray, vmask: np.ndarray) -> list[Grid]:
    """The grids of the ruled tables of a page, top to bottom, merged cells included.

    A group of rules within ``EDGE_PT`` of the image's edge (a scanner's frame, a shadow) or enclosing another
    group (a frame drawn around the page) is no table.
    """
    lines = cv2.bitwise_or(hmask, vmask)
    joined = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    snap = _pixels(SNAP_PT)
    band = max(2, snap // 2 + 1)
    edge = _pixels(EDGE_PT)
    height, width = hmask.shape
    boxes = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < _pixels(MIN_TABLE_PT[0]) or h < _pixels(MIN_TABLE_PT[1]):
            continue
        if x <= edge or y <= edge or x + w >= width - edge or y + h >= height - edge:
            continue
        boxes.append((int(x), int(y), int(x + w), int(y + h)))
    boxes = [b for b in boxes if not any(o != b and b[0] <= o[0] and b[1] <= o[1] and o[2] <= b[2] and o[3] <= b[3]
                                         for o in boxes)]
    grids = []
    for x, y, x1, y1 in boxes:
        hsegs = _join(_segments(hmask[y:y1, x:x1], True), snap)
        vsegs = _join(_segments(vmask[y:y1, x:x1], False), snap)
        # a rule runs from one rule across it to another; a tall letter, a seal's arc stop short of them
        hsegs = _ruled(hsegs, [s.pos for s in vsegs])
        ys = snap_edges([s.pos + y for s in hsegs], snap, centre=statistics.median)
        if len(ys) < 2:
            continue
        vsegs = _ruled(vsegs, [p - y for p in ys])
        xs = snap_edges([s.pos + x for s in vsegs], snap, centre=statistics.median)
        # a column rule runs down a good part of the table; a bold capital filling a one-line row does not
        need = V_SUPPORT * (ys[-1] - ys[0])
        xs = [c for c in xs if sum(s.hi - s.lo for s in vsegs if abs(s.pos + x - c) <= snap) >= need]
        if len(xs) < 2:
            continue
        grid = Grid(xs, ys)
        grid.cells = _merge_cells(grid, hmask, vmask, band)
        if grid.cells:
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _ruled(segments: list[Segment], across: Sequence[float]) -> list[Segment]:
    """The segments whose both ends lie on a rule across them (positions ``across``): within ``END_TOL_PT``, or
    ``END_FRAC`` of the segment's length (a scanned rule fades or breaks near its end)."""
    end = _pixels(END_TOL_PT)
    out = []
    for s in segments:
        tol = max(end, END_FRAC * (s.hi - s.lo))
        if _near(s.lo, across, tol) and _near(s.hi, across, tol):
            out.append(s)
    return out


def _join(segments: list[Segment], snap: int) -> list[Segment]:
    """Collinear pieces of one rule (broken by noise) joined: same position within ``snap``, small gaps."""
    out: list[Segment] = []
    for s in sorted(segments, key=lambda s: (s.pos, s.lo)):
        for o in out:
            if abs(o.pos - s.pos) <= snap and s.lo - o.hi <= 2 * snap and o.lo - s.hi <= 2 * snap:
                o.lo, o.hi = min(o.lo, s.lo), max(o.hi, s.hi)
                break
        else:
            out.append(Segment(s.pos, s.lo, s.hi))
    return out


def _near(value: float, positions: Sequence[float], tol: float) -> bool:
    return any(abs(value - p) <= tol for p in positions)


def _merge_cells(grid: Grid, hmask: np.ndarray, vmask: np.ndarray, band: int) -> list[tuple[int, int, int, int]]:
    """Union the grid rectangles not separated by a rule; keep the rectangular groups inside the outline."""
    xs, ys = grid.xs, grid.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    m = band + 2

    def ruled_right(r: int, c: int) -> bool:  # the side right of column c (c = -1: the left outline)
        return _coverage(vmask, False, xs[c + 1], ys[r] + m, ys[r + 1] - m, band) > RULED

    def ruled_below(r: int, c: int) -> bool:  # the side below row r (r = -1: the top outline)
        return _coverage(hmask, True, ys[r + 1], xs[c] + m, xs[c + 1] - m, band) > RULED

    groups = join_unruled(
        n_rows,
        n_cols,
        joins_right=lambda r, c: not ruled_right(r, c),
        joins_down=lambda r, c: not ruled_below(r, c),
        is_open=lambda r, c: ((c == n_cols - 1 and not ruled_right(r, c)) or (r == n_rows - 1 and not ruled_below(r, c))
                              or (c == 0 and not ruled_right(r, -1)) or (r == 0 and not ruled_below(-1, c))),
    )
    # a group that is not a rectangle is no cell
    cells = [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1, n in groups if n == (r1 - r0 + 1) * (c1 - c0 + 1)]
    cells.sort()
    return cells


# --------------------------------------------------------------------------------------------------
# Reading a page


@dataclass(slots=True)
class Piece:
    """A region of the page cut out for OCR (pixels of the deskewed page); ``narrow``: a number cell."""

    x0: int
    top: int
    x1: int
    bottom: int
    narrow: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """How a group of pieces is read: model, scale and whether the pieces are binarised first."""

    lang: str
    scale: int = 1
    binary: bool = False
    psm: int = PSM
    chars: str = ""


#: Wide cells and the title block: the Vietnamese model on the cleaned gray image.
TEXT = Reading(LANG)
#: Narrow cells hold numbers ("1", "IV", "STT"): the English model reads them far better on a binarised,
#: doubled image (the Vietnamese one hangs tone marks on them: "VỊ", "Á" for "4", "H" for "II"). A reading
#: that is not a number, or digits less sure than ``SURE_NUMBER``, is read again alone as one line (an isolated
#: digit in a stack is sometimes misread: "9" for "5"; alone, "III" is sometimes read "I"), the surer number
#: kept; a narrow cell that is no number either way is read as text.
NUMBERS = Reading("eng", scale=2, binary=True)
NUMBER_ALONE = Reading("eng", binary=True, psm=7)
#: The last try before a narrow cell is read as text: alone, one word, only the characters of a number or of
#: the header "STT" ("5" read "S)" otherwise; a numeral wrapped in a narrow column, "VII" over "I", stays two
#: lines). Its number is taken when Tesseract is at least ``SURE_STRICT`` sure of it (only numbers can come out
#: of it, and the numbering is checked after).
NUMBER_STRICT = Reading("eng", scale=2, binary=True, psm=6, chars="0123456789IVXLCST.")
SURE_STRICT = 20.0
SURE_NUMBER = 90.0


def _stack(gray: np.ndarray, pieces: list[Piece], how: Reading) -> tuple[np.ndarray, list[int]]:
    """The pieces stacked top to bottom, left-aligned, ``GAP_PX`` of white around each; and where each starts."""
    images = []
    for p in pieces:
        img = gray[p.top:p.bottom, p.x0:p.x1]
        if how.scale != 1:
            img = cv2.resize(img, None, fx=how.scale, fy=how.scale, interpolation=cv2.INTER_CUBIC)
        if how.binary:
            _, img = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        images.append(img)
    width = max(img.shape[1] for img in images) + 2 * GAP_PX
    height = sum(img.shape[0] for img in images) + GAP_PX * (len(images) + 1)
    canvas = np.full((height, width), 255, dtype=np.uint8)
    starts = []
    y = GAP_PX
    for img in images:
        starts.append(y)
        canvas[y:y + img.shape[0], GAP_PX:GAP_PX + img.shape[1]] = img
        y += img.shape[0] + GAP_PX
    return canvas, starts


def read_pieces(gray: np.ndarray, pieces: list[Piece], how: Reading) -> list[list[OcrWord]]:
    """The words of each piece (boxes in page pixels), read by one Tesseract run over the pieces stacked."""
    if not pieces:
        return []
    canvas, starts = _stack(gray, pieces, how)
    out: list[list[OcrWord]] = [[] for _ in pieces]
    s = how.scale
    for wd in run_tesseract(canvas, how.lang, how.psm, how.chars):
        cy = (wd.top + wd.bottom) / 2
        k = int(np.searchsorted(starts, cy, side="right")) - 1
        if k < 0 or cy > starts[k] + (pieces[k].bottom - pieces[k].top) * s + GAP_PX / 2:
            continue
        p, y0 = pieces[k], starts[k]
        out[k].append(OcrWord(
            text=wd.text, conf=wd.conf, line=wd.line,
            x0=p.x0 + (wd.x0 - GAP_PX) // s, x1=p.x0 + -(-(wd.x1 - GAP_PX) // s),
            top=p.top + (wd.top - y0) // s, bottom=p.top + -(-(wd.bottom - y0) // s),
        ))
    return out


#: Roman numerals as Tesseract misreads them in serif type: "II" → "H", "Il"; "I" → "|", "l", "!", "J" (a bold
#: serif I); "VI" → "Vi".
_NUMERAL_LIKE = re.compile(r"^[IVXLCHli|!1J]+$")
_NUMERAL_FIX = str.maketrans({"H": "II", "l": "I", "i": "I", "|": "I", "!": "I", "1": "I", "J": "I"})
#: What a number cell may hold: Arabic or Roman numerals (with "." or ")"), or the header "STT" / "TT".
_NUMBER = re.compile(r"^(\d{1,3}|[IVXLC]{1,6})[.)]?$|^S?TT$")


def fix_numeral(text: str) -> str:
    """A narrow cell's Roman numeral with Tesseract's usual misreadings repaired ("VH" → "VII", "|" → "I");
    other text (Arabic numbers such as "1" or "12", words) is returned as is."""
    t = text.strip()
    if not _NUMERAL_LIKE.match(t) or t.isdigit():
        return text
    return t.translate(_NUMERAL_FIX)


#: The stems of a Roman numeral are counted in the middle band of its height (this fraction of it, centred),
#: where the serifs that join the stems of a bold "II" do not reach; a gap narrower than this (points) is noise.
STEM_BAND = 0.3
STEM_GAP_PT = 0.25
#: A numeral whose stems were recounted keeps this fraction of its confidence (the repair shows in the audit).
RECOUNTED_CONF = 0.7
_STEMMED = re.compile(r"^(V?)(I{1,4})$|^(I)(V)$")


def count_stems(ink: np.ndarray, piece: Piece, words: list[OcrWord]) -> list[OcrWord]:
    """A number cell read as a Roman numeral of I and V only ("II", "VI", "IV") checked against the stems of
    its ink: Tesseract reads a bold "II" whose serifs touch as "I", "VII" as "VI". In the middle band of the
    ink's height (``STEM_BAND``) each "I" is one run of ink and each "V" two; when the runs say there are more
    or fewer "I"s than read, the reading is respelled and its confidence cut to ``RECOUNTED_CONF``."""
    if len(words) != 1:
        return words
    word = words[0]
    m = _STEMMED.match(fix_numeral(word.text).rstrip(".)"))
    if not m:
        return words
    region = ink[piece.top:piece.bottom, piece.x0:piece.x1] > 0
    rows = np.nonzero(region.any(axis=1))[0]
    if len(rows) < 8:
        return words
    top, bottom = int(rows[0]), int(rows[-1])
    half = max(1, round((bottom - top) * STEM_BAND / 2))
    mid = (top + bottom) // 2
    cols = region[mid - half:mid + half + 1].any(axis=0).astype(np.int8)
    # runs of ink, bridging gaps narrower than STEM_GAP_PT
    gap = _pixels(STEM_GAP_PT)
    starts = np.nonzero(np.diff(np.concatenate(([0], cols))) == 1)[0]
    ends = np.nonzero(np.diff(np.concatenate((cols, [0]))) == -1)[0]
    runs = 1 + sum(1 for e, s in zip(ends[:-1], starts[1:], strict=True) if s - e - 1 >= gap) if len(starts) else 0
    v = 1 if (m.group(1) or m.group(4)) else 0
    ones = runs - 2 * v
    if not 1 <= ones <= 3 or (m.group(4) and ones != 1):
        return words
    text = "IV" if m.group(4) else "V" * v + "I" * ones
    if text == fix_numeral(word.text).rstrip(".)"):
        return words
    suffix = word.text[len(word.text.rstrip(".)")):]
    return [OcrWord(text=text + suffix, x0=word.x0, top=word.top, x1=word.x1, bottom=word.bottom,
                    conf=word.conf * RECOUNTED_CONF, line=word.line)]


def _is_number(words: list[OcrWord]) -> bool:
    """Words that make a number cell: each a number, or together the header "STT" (wrapped: "ST" / "T")."""
    if not words:
        return False
    return all(_NUMBER.match(fix_numeral(w.text)) for w in words) or bool(
        _NUMBER.match("".join(w.text for w in words)))


def _is_digits(words: list[OcrWord]) -> bool:
    return all(w.text.rstrip(".)").isdigit() for w in words)


def _conf(words: list[OcrWord]) -> float:
    return min((w.conf for w in words), default=0.0)


def _tight(ink: np.ndarray, p: Piece, margin: int = 10) -> Piece | None:
    """The piece cut down to its ink (plus ``margin`` pixels), or None when it has (almost) none."""
    if p.x1 - p.x0 < 4 or p.bottom - p.top < 4:
        return None
    region = ink[p.top:p.bottom, p.x0:p.x1]
    if int(np.count_nonzero(region)) < MIN_INK_PX:
        return None
    ys, xs = np.nonzero(region)
    return Piece(max(p.x0, p.x0 + int(xs.min()) - margin), max(p.top, p.top + int(ys.min()) - margin),
                 min(p.x1, p.x0 + int(xs.max()) + 1 + margin), min(p.bottom, p.top + int(ys.max()) + 1 + margin),
                 p.narrow)


#: A single quote, backtick or acute before a line's first letter with no closing quote in the line: Tesseract
#: reads the tone marks of a bold capital's neighbour as one ("'Thời gian"). Vietnamese words never start so.
_STRAY_QUOTE = re.compile(r"^['‘`´](?=\w)(?!.*['’])")


def _lines_of(words: list[OcrWord], narrow: bool) -> tuple[list[TextLine], float | None]:
    """The printed lines of one piece (page coordinates, points) and its mean word confidence (0..1)."""
    kept = [w for w in words if w.conf >= MIN_NOISE_CONF or any(ch.isalnum() for ch in w.text)]
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in kept:
        by_line.setdefault(w.line, []).append(w)
    lines = []
    for ws in by_line.values():
        ws.sort(key=lambda w: w.x0)
        text = _STRAY_QUOTE.sub("", unicodedata.normalize("NFC", " ".join(w.text for w in ws)))
        box = Box(x0=_points(min(w.x0 for w in ws)), top=_points(min(w.top for w in ws)),
                  x1=_points(max(w.x1 for w in ws)), bottom=_points(max(w.bottom for w in ws)))
        lines.append(TextLine(text=fix_numeral(text) if narrow else text, box=box.rounded()))
    lines.sort(key=lambda ln: (ln.box.top, ln.box.x0))
    confs = [max(w.conf, 0.0) for w in kept]
    return lines, (round(sum(confs) / len(confs) / 100.0, 3) if confs else None)


@dataclass
class PageImage:
    """A rendered page: number (1-based), size (points) and pixels (``DPI``; BGR, or gray for a gray page)."""

    number: int
    width_pt: float
    height_pt: float
    image: np.ndarray
    source_dpi: float | None = None  # the scan's own resolution, when the page is an image


def read_page(page: PageImage) -> list[PageTable]:
    """Every ruled table of one rendered page, its cells and the text above it read by Tesseract."""
    gray = prepare(page.image)
    threshold, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    frame = edge_ink(ink)
    if frame.any():  # the frame becomes paper: it would steer the skew and make a second grid
        gray = cv2.max(gray, frame)
        ink = cv2.subtract(ink, frame)
    skew = estimate_skew(ink)
    if skew:
        # the threshold found before turning is kept: the page's levels do not change
        gray = rotate(gray, skew)
        _, ink = cv2.threshold(gray, threshold, 255, cv2.THRESH_BINARY_INV)
    hmask, vmask = _open(ink, True), _open(ink, False)
    grids = find_grids(hmask, vmask)
    if not grids:
        return []
    # the rules' own ink and a little around it: the masks are thickened by the bridging, and the vertical one
    # keeps the bows of bold capitals ("Q", "O") too: erasing those would clip letters ("Q" → "CI")
    rules = cv2.dilate(cv2.bitwise_and(cv2.bitwise_or(hmask, _long(vmask, _pixels(MIN_RULE_PT))), ink),
                       cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    clean = gray
    if page.source_dpi is not None and page.source_dpi < SHARPEN_BELOW_DPI:
        # a low-resolution scan, enlarged to DPI, is soft: an unsharp mask gives Tesseract firmer strokes
        blur = cv2.GaussianBlur(gray, (0, 0), UNSHARP_SIGMA)
        clean = cv2.addWeighted(gray, 1.0 + UNSHARP_AMOUNT, blur, -UNSHARP_AMOUNT, 0)
    else:
        clean = gray.copy()
    clean[rules > 0] = 255
    text_ink = ink.copy()
    text_ink[rules > 0] = 0
    text_ink = cv2.morphologyEx(text_ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # drop specks
    inset = _pixels(INSET_PT)
    pieces: dict[tuple[int, int], Piece] = {}  # by (grid index, cell index); cell -1: the text above the table
    prev_bottom = 0
    width = gray.shape[1]
    for gi, grid in enumerate(grids):
        above = _tight(text_ink, Piece(0, prev_bottom, width, max(prev_bottom, round(grid.ys[0]) - inset)))
        if above is not None:
            pieces[(gi, -1)] = above
        for ci, (r, c, rs, cs) in enumerate(grid.cells):
            x0, y0, x1, y1 = grid.box(r, c, rs, cs)
            p = _tight(text_ink, Piece(x0 + inset, y0 + inset, x1 - inset, y1 - inset,
                                       narrow=x1 - x0 < _pixels(NARROW_PT)))
            if p is not None:
                pieces[(gi, ci)] = p
        prev_bottom = round(grid.ys[-1]) + inset
    words: dict[tuple[int, int], list[OcrWord]] = {}
    narrow = [k for k, p in pieces.items() if p.narrow]
    words.update(zip(narrow, read_pieces(clean, [pieces[k] for k in narrow], NUMBERS), strict=True))
    for k in narrow:
        if not _is_number(words[k]) or (_is_digits(words[k]) and _conf(words[k]) < SURE_NUMBER):
            again = read_pieces(clean, [pieces[k]], NUMBER_ALONE)[0]
            if _is_number(again) and (not _is_number(words[k]) or _conf(again) > _conf(words[k])):
                words[k] = again
            if not _is_number(words[k]):
                strict = read_pieces(clean, [pieces[k]], NUMBER_STRICT)[0]
                if _is_number(strict) and _conf(strict) >= SURE_STRICT:
                    words[k] = strict
    text = [k for k in pieces if k not in words or not _is_number(words[k])]
    for k in text:
        pieces[k].narrow = False
    words.update(zip(text, read_pieces(clean, [pieces[k] for k in text], TEXT), strict=True))
    for k in narrow:
        if pieces[k].narrow:
            words[k] = count_stems(text_ink, pieces[k], words[k])
    read = {k: _lines_of(words[k], p.narrow) for k, p in pieces.items()}
    tables = []
    for gi, grid in enumerate(grids):
        cells = []
        for ci, (r, c, rs, cs) in enumerate(grid.cells):
            x0, y0, x1, y1 = grid.box(r, c, rs, cs)
            lines, conf = read.get((gi, ci), ([], None))
            cells.append(Cell(row=r, col=c, row_span=rs, col_span=cs, lines=lines, confidence=conf,
                              box=Box(x0=_points(x0), top=_points(y0), x1=_points(x1), bottom=_points(y1)).rounded()))
        above_lines, _ = read.get((gi, -1), ([], None))
        tables.append(PageTable(
            page=page.number, page_width=page.width_pt, page_height=page.height_pt, index=gi,
            box=Box(x0=_points(grid.xs[0]), top=_points(grid.ys[0]), x1=_points(grid.xs[-1]),
                    bottom=_points(grid.ys[-1])).rounded(),
            n_rows=len(grid.ys) - 1, n_cols=len(grid.xs) - 1, cells=cells,
            text_above=[ln for ln in above_lines if _is_text(ln.text)],
        ))
    return tables


def _is_text(text: str) -> bool:
    return bool(re.search(r"\w", text))


def source_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution (dpi) of the widest image on the page (a scan's), or None when it has none."""
    best: tuple[float, float] | None = None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, _bottom, right, _top = obj.get_bounds()
        width_px, _height_px = obj.get_px_size()
        if right - left > 1 and (best is None or right - left > best[0]):
            best = (right - left, width_px * 72.0 / (right - left))
    return best[1] if best else None


def render(pdf: pdfium.PdfDocument, index: int) -> PageImage:
    page = pdf[index]
    try:
        width, height = page.get_size()
        # in colour: a seal's red and a signature's blue are told from black ink before anything is thresholded
        bitmap = page.render(scale=DPI / 72.0)
        pixels = bitmap.to_numpy().reshape(bitmap.height, bitmap.width, -1)
        image = np.ascontiguousarray(pixels[:, :, :3] if pixels.shape[2] >= 3 else pixels[:, :, 0])
        return PageImage(index + 1, float(width), float(height), image, source_dpi(page))
    finally:
        page.close()


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def extract(path: Path, password: str | None = None, pages: Sequence[int] | None = None,
            workers: int | None = None, *, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS
            ) -> tuple[int, list[PageTable]]:
    """Return the page count and every ruled table of the given pages (1-based; default all), OCR'd.

    ``settings`` are the text engines' thresholds in points; OCR measures rendered pixels and keeps its own
    (above), so it takes them only to share the engines' signature."""
    if not available():
        raise RuntimeError(missing_reason())
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        count = len(pdf)
        todo = [p for p in (pages if pages is not None else range(1, count + 1)) if 1 <= p <= count]
        n = workers or default_workers()
        tables: list[PageTable] = []
        with ThreadPoolExecutor(max_workers=n) as pool:
            # render in this thread (PDFium is not thread-safe), read at most n pages ahead
            pending = []
            for number in todo:
                pending.append(pool.submit(read_page, render(pdf, number - 1)))
                if len(pending) >= n:
                    tables.extend(pending.pop(0).result())
            for fut in pending:
                tables.extend(fut.result())
    finally:
        pdf.close()
    enforce_numbering(tables)
    harmonize_capitals(tables)
    return count, tables


# --------------------------------------------------------------------------------------------------
# The numbering of sections and tasks

#: A number changed to fit the sequence keeps this fraction of its confidence: the change is visible to the
#: audit (the value's confidence drops far below that of a clean reading) and never silent.
RENUMBERED_CONF = 0.5
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_STEPS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """``n`` (1-399) in Roman numerals."""
    out = []
    for value, letters in _ROMAN_STEPS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def roman_value(text: str) -> int | None:
    """The value of a well-formed Roman numeral ("XIV" → 14), or None."""
    t = text.strip().rstrip(".)")
    if not t or any(ch not in _ROMAN for ch in t):
        return None
    total = 0
    for a, b in zip(t, t[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b in _ROMAN and _ROMAN[b] > v else v
    return total if 0 < total < 400 and roman(total) == t else None


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _renumber(slots: list[tuple[Cell, str, int | None]], spell: Callable[[int], str]) -> list[tuple[Cell, str]]:
    """The cells of one numbering sequence 1, 2, 3, … (``slots``: cell, text as read, value or None) whose
    number breaks it, with the number each must be.

    Two readings that agree with each other (the later one exceeds the earlier by their distance in the
    sequence; the sequence starts from 0 before its first entry) pin every entry between them: a single entry
    always gives way ("I" between "I" and "III"), a longer stretch when each reading is one character from
    what it must be ("VI", "VII" between "V" and "IX"). After the last pinned entry, a reading one character
    from its predecessor + 1 that is no number or a smaller one gives way ("Vv" after "IV", "2" after "4"). A
    true gap (a section left out) pins nothing.
    """
    values = [v for _, _, v in slots]
    offset = [None if v is None else v - i for i, v in enumerate(values)]
    fixes: list[tuple[Cell, str]] = []

    def fix(i: int, want: int) -> None:
        if values[i] != want:
            fixes.append((slots[i][0], spell(want)))
            values[i] = want

    last_of: dict[int, int] = {1: -1}  # offset (value - index) → the last entry with it; the start: 0 before 0
    last = -1  # the last entry in line with an earlier one
    for i, k in enumerate(offset):
        if k is None:
            continue
        j = last_of.get(k)
        if j is not None:
            stretch = range(j + 1, i)
            if len(stretch) == 1 or all(_edit1(slots[m][1].rstrip(".)"), spell(m + k)) for m in stretch):
                for m in stretch:
                    fix(m, m + k)
            last = i
        last_of[k] = i
    # after the last entry in line: a reading one character from the next number that is no number, or a number
    # below its predecessor, gives way, one after another (a higher number may follow a true gap; the same one
    # is a row continued on the next page with its number repeated; a 1 may start a section whose row was missed)
    for i in range(last + 1, len(slots)):
        prev = values[i - 1] if i > 0 else 0
        value = values[i]
        if prev is None or (value is not None and (value >= prev or value == 1)) or not _edit1(
                slots[i][1].rstrip(".)"), spell(prev + 1)):
            break
        fix(i, prev + 1)
    return fixes


def enforce_numbering(tables: list[PageTable]) -> int:
    """Repair the section numbers (Roman, in the first column, consecutive through the document) and the task
    numbers (Arabic, restarting at 1 after each section number) that break their sequence; a task row's (its
    other cells apart, not merged into a title) "1" read as "I" is the number 1.

    A number is changed only when its neighbours fix what it must be (see ``_renumber``); its cell's
    confidence is then cut to ``RENUMBERED_CONF`` of what it was, so the audit shows the repair.
    Returns the number of cells changed.
    """
    sections: list[tuple[Cell, str, int | None]] = []
    tasks: list[list[tuple[Cell, str, int | None]]] = [[]]
    fixes: list[tuple[Cell, str]] = []
    for table in tables:
        # a section row has its title merged across the other columns; a task row has them apart
        merged = {c.row for c in table.cells if c.col == 1 and c.col_span > 1}
        split = {c.row for c in table.cells if c.col == 1 and c.col_span == 1}
        for cell in sorted((c for c in table.cells if c.col == 0 and c.lines), key=lambda c: c.row):
            text = "".join(cell.text.split())  # a numeral wrapped in the narrow column: "VII" over "I"
            roman_like = bool(_NUMERAL_LIKE.match(text) or re.fullmatch(r"[IVXLCvx]{1,7}[.)]?", text))
            if cell.row in split and roman_like and fix_numeral(text).rstrip(".)") == "I" and sections:
                fixes.append((cell, "1"))  # a task row's "1" read as a Roman "I"
                tasks[-1].append((cell, "1", 1))
            elif cell.row in split or (cell.row not in merged and text.isdigit()):
                number = text.rstrip(".)")
                tasks[-1].append((cell, text, int(number) if number.isdigit() and len(number) <= 3 else None))
            elif cell.row in merged or roman_like:
                upper = fix_numeral(text.upper())
                if roman_value(upper) is not None and upper != text:
                    fixes.append((cell, upper))  # read as text: "VHI" is "VIII"
                sections.append((cell, upper, roman_value(upper)))
                tasks.append([])
    fixes += _renumber(sections, roman)
    for run in tasks:
        fixes += _renumber(run, str)
    final = {id(cell): (cell, text) for cell, text in fixes}  # the last repair of a cell stands
    for cell, text in final.values():
        line = cell.lines[0]
        cell.lines[:] = [line.model_copy(update={"text": text})]
        cell.confidence = round((cell.confidence or 1.0) * RENUMBERED_CONF, 3)
    return len(final)


# --------------------------------------------------------------------------------------------------
# Tone marks of bold capitals

#: The five tone marks (grave, acute, tilde, hook above, dot below); the other diacritics (circumflex, breve,
#: horn) make other letters and are kept.
_WORD = re.compile(r"^(\W*)(\w+)(\W*)$")


def toneless(word: str) -> str:
    """The word case-folded and without tone marks ("Kiểm" → "kiêm")."""
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", word.casefold()) if ch not in TONE_MARKS))


def _caps(word: str) -> bool:
    return word.isupper() and any(ch.isalpha() for ch in word)


def harmonize_capitals(tables: list[PageTable]) -> int:
    """Repair tone marks of words in capitals from the same words in ordinary type elsewhere in the document.

    Tesseract's fast Vietnamese model misreads tone marks on bold capitals far more often than on ordinary
    type (the hook above read as an acute: "KIẾM SOÁT", "TỐ CHỨC"). A pair of adjacent capitalised words is
    replaced by the pair that ordinary (not all-capitals) text of the document spells with the same letters
    but other tone marks, when that pair occurs there at least twice and the pair as read never does. Only
    tone marks change, never letters; returns the number of words changed.
    """
    cells = [c.lines for t in tables for c in t.cells] + [t.text_above for t in tables]
    streams = [[w for ln in lines for w in ln.text.split()] for lines in cells]
    seen: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for words in streams:
        # a pair is two words with nothing but a space between them ("bộ, công" is no pair)
        firsts = [m.group(2) if (m := _WORD.match(w)) and not m.group(3) else "" for w in words]
        seconds = [m.group(2) if (m := _WORD.match(w)) and not m.group(1) else "" for w in words]
        for a, b in zip(firsts, seconds[1:], strict=False):
            if a and b and not _caps(a) and not _caps(b):
                key = (toneless(a), toneless(b))
                pair = (a.casefold(), b.casefold())
                seen.setdefault(key, {})[pair] = seen.setdefault(key, {}).get(pair, 0) + 1
    changed = 0
    for lines in cells:
        changed += _fix_lines(lines, seen)
    return changed


def _fix_lines(lines: list[TextLine], seen: dict[tuple[str, str], dict[tuple[str, str], int]]) -> int:
    """Respell the all-capitals word pairs of one cell's lines (in place) after the pairs ``seen`` in ordinary
    text (by toneless key: each spelling and its count); return the number of words changed."""
    slots = [(i, j, m) for i, ln in enumerate(lines) for j, w in enumerate(ln.text.split())
             if (m := _WORD.match(w))]
    new: dict[tuple[int, int], str] = {}
    for (i, j, ma), (k, n, mb) in zip(slots, slots[1:], strict=False):
        a, b = ma.group(2), mb.group(2)
        if not (_caps(a) and _caps(b)) or ma.group(3) or mb.group(1):
            continue
        pairs = seen.get((toneless(a), toneless(b)), {})
        if not pairs or (a.casefold(), b.casefold()) in pairs:
            continue
        fix, count = max(pairs.items(), key=lambda kv: kv[1])
        if count < 2:
            continue
        for (li, wi, m), word in (((i, j, ma), fix[0]), ((k, n, mb), fix[1])):
            if word.upper() != m.group(2):
                new[(li, wi)] = m.group(1) + word.upper() + m.group(3)
    for (li, wi), word in new.items():
        words = lines[li].text.split()
        words[wi] = word
        lines[li] = lines[li].model_copy(update={"text": unicodedata.normalize("NFC", " ".join(words))})
    return len(new)
