"""Reading a scanned page's cells: pieces cut inside the rules, stacked and read by Tesseract in one call,
number (STT) cells read under constraints, words mapped back into cells' text lines."""


from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from tthc_extract.extract.ocr.crosspage import ColumnPattern
from tthc_extract.extract.ocr.grid import Grid, find_grids, impose_columns, lay_pattern
from tthc_extract.extract.ocr.perspective import undo_perspective, warp
from tthc_extract.extract.ocr.raster import _long, _open, edge_ink, estimate_skew, prepare, rotate
from tthc_extract.extract.ocr.settings import (
    GAP_PX,
    INSET_PT,
    LANG,
    MIN_INK_PX,
    MIN_NOISE_CONF,
    MIN_RULE_PT,
    NARROW_PT,
    NUMBER_COL_FRAC,
    PSM,
    SHARPEN_BELOW_DPI,
    SNAP_PT,
    UNSHARP_AMOUNT,
    UNSHARP_SIGMA,
    _pixels,
    _points,
)
from tthc_extract.extract.ocr.tesseract import OcrWord, run_tesseract, run_tesseract_pages
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine


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
    return _place(run_tesseract(canvas, how.lang, how.psm, how.chars), pieces, starts, how)


def read_alone(gray: np.ndarray, pieces: list[Piece], how: Reading) -> list[list[OcrWord]]:
    """The words of each piece read on its own (as ``read_pieces`` reads one piece), all by one Tesseract run."""
    images = [_stack(gray, [p], how)[0] for p in pieces]
    return [_place(words, [p], [GAP_PX], how)[0]
            for p, words in zip(pieces, run_tesseract_pages(images, how.lang, how.psm, how.chars), strict=True)]


def _place(words: list[OcrWord], pieces: list[Piece], starts: list[int], how: Reading) -> list[list[OcrWord]]:
    """Each word Tesseract read in a stack of pieces given to the piece it lies in, its box in page pixels."""
    out: list[list[OcrWord]] = [[] for _ in pieces]
    s = how.scale
    for wd in words:
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


def _number_cell(grid: Grid, col: int, span: int) -> bool:
    """Does the cell in column ``col`` (``span`` columns wide) hold a number (STT)? A narrow cell, or one of a
    first column that is a small fraction of the table's width."""
    width = grid.xs[col + span] - grid.xs[col]
    return width < _pixels(NARROW_PT) or (col == 0 and span == 1
                                          and width <= NUMBER_COL_FRAC * (grid.xs[-1] - grid.xs[0]))


def read_page(page: PageImage, hint: ColumnPattern | None = None) -> list[PageTable]:
    """Every ruled table of one rendered page, its cells and the text above it read by Tesseract. ``hint``: the
    column pattern of the neighbouring pages' table, when this page lost some of its rules (``crosspage``)."""
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
    matrix = undo_perspective(hmask, vmask)
    if matrix is not None:  # a photographed page: its table's outline made a rectangle again
        gray = warp(gray, matrix)
        _, ink = cv2.threshold(gray, threshold, 255, cv2.THRESH_BINARY_INV)
        hmask, vmask = _open(ink, True), _open(ink, False)
    to_page = _to_page(gray.shape, skew, matrix)
    pattern_xs = None
    if hint is not None:  # the neighbouring pages' columns: a lost border drawn back in
        vmask, pattern_xs = lay_pattern(vmask, hint)
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
    if pattern_xs is not None:  # and a lost inner rule added to the grid, where no text crosses it
        widest = max(grids, key=lambda g: g.xs[-1] - g.xs[0])
        impose_columns(widest, pattern_xs[1:-1], text_ink, max(2, _pixels(SNAP_PT) // 2 + 1))
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
                                       narrow=_number_cell(grid, c, cs)))
            if p is not None:
                pieces[(gi, ci)] = p
        prev_bottom = round(grid.ys[-1]) + inset
    words: dict[tuple[int, int], list[OcrWord]] = {}
    narrow = [k for k, p in pieces.items() if p.narrow]
    words.update(zip(narrow, read_pieces(clean, [pieces[k] for k in narrow], NUMBERS), strict=True))
    # the doubtful ones read again alone, then (still no number) alone with a numeral whitelist: one Tesseract
    # run for each of the two, whatever the number of cells
    retry = [k for k in narrow if not _is_number(words[k]) or (_is_digits(words[k]) and _conf(words[k]) < SURE_NUMBER)]
    for k, again in zip(retry, read_alone(clean, [pieces[k] for k in retry], NUMBER_ALONE), strict=True):
        if _is_number(again) and (not _is_number(words[k]) or _conf(again) > _conf(words[k])):
            words[k] = again
    still = [k for k in retry if not _is_number(words[k])]
    for k, strict in zip(still, read_alone(clean, [pieces[k] for k in still], NUMBER_STRICT), strict=True):
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
            text_above=[ln for ln in above_lines if _is_text(ln.text)], to_page=to_page,
        ))
    return tables


def _to_page(shape: tuple[int, ...], skew: float, matrix: np.ndarray | None) -> list[float] | None:
    """The 3×3 matrix (row-major, points) from the page as read (turned back by ``skew`` about its centre, then
    warped by ``matrix``) to the page as it is; None when it was read as it is."""
    turned = abs(skew) >= 0.01  # as ``rotate`` turns it
    if not turned and matrix is None:
        return None
    h, w = shape[:2]
    back = np.eye(3)
    if turned:
        turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0), [0.0, 0.0, 1.0]])
        back = np.linalg.inv(turn)
    if matrix is not None:
        back = back @ np.linalg.inv(matrix)
    scale = np.diag([_points(1.0), _points(1.0), 1.0])
    out = scale @ back @ np.linalg.inv(scale)
    return [round(float(v), 9) for v in (out / out[2, 2]).ravel()]


def _is_text(text: str) -> bool:
    return bool(re.search(r"\w", text))
