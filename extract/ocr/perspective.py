"""A photographed page's perspective undone: the widest table's outline made a rectangle again.

A phone held a little off the page's axis photographs a rectangle as a quadrilateral: after the deskew the
table's column rules still lean one way at the top and the other at the bottom (a rule drifts several points
over the table's height), so a rule snaps as two grid lines a few points apart, each only partly ruled, and
cells merge. The four outer rules of the widest table are fitted as straight lines (x = a·y + b for the sides,
y = a·x + b for the top and bottom) from their pixels; their intersections are the outline's corners. When a
corner lies more than ``MAX_OFF_PT`` from the axis-aligned rectangle of the same centre and mean side lengths,
the page is warped (a homography, bicubic) so that the corners land on that rectangle. A scanned page, turned
back by the deskew, keeps its corners within a pixel or two of a rectangle and is left as it is.
"""


from __future__ import annotations

import cv2
import numpy as np

from tthc_extract.extract.ocr.raster import pieces
from tthc_extract.extract.ocr.settings import _pixels

#: A corner further than this (points) from the rectangle is perspective, not the rules' own wobble.
MAX_OFF_PT = 1.5
#: An outer rule runs along at least this fraction of the table's width (height).
OUTER_FRAC = 0.6


def _fit(pieces_: list[tuple[int, int, np.ndarray]], horizontal: bool) -> tuple[float, float]:
    """(a, b) of the line through the pixels of these pieces: y = a·x + b (horizontal) or x = a·y + b."""
    xs = np.concatenate([np.nonzero(own)[1] + x for x, _, own in pieces_])
    ys = np.concatenate([np.nonzero(own)[0] + y for _, y, own in pieces_])
    along, across = (xs, ys) if horizontal else (ys, xs)
    a, b = np.polyfit(along.astype(np.float64), across.astype(np.float64), 1)
    return float(a), float(b)


def outline_corners(hmask: np.ndarray, vmask: np.ndarray) -> np.ndarray | None:
    """The corners (top-left, top-right, bottom-right, bottom-left; x, y in pixels) of the widest table's outline
    from its four outer rules fitted as lines, or None when it has no such four rules."""
    # the groups of rules by their outer outlines (labelling every pixel of the page costs far more)
    contours, _ = cv2.findContours(cv2.bitwise_or(hmask, vmask), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    x0, y0, w, h = max((cv2.boundingRect(c) for c in contours), key=lambda b: b[2] * b[3])
    if w < _pixels(100) or h < _pixels(100):
        return None
    long_h = [(x + x0, y + y0, own) for x, y, pw, _, own in pieces(hmask[y0:y0 + h, x0:x0 + w]) if pw >= OUTER_FRAC * w]
    long_v = [(x + x0, y + y0, own) for x, y, _, ph, own in pieces(vmask[y0:y0 + h, x0:x0 + w]) if ph >= OUTER_FRAC * h]
    if len(long_h) < 2 or len(long_v) < 2:
        return None

    def centre(p: tuple[int, int, np.ndarray], axis: int) -> float:
        return float(np.nonzero(p[2])[axis].mean() + p[1 - axis])

    top = _fit([min(long_h, key=lambda p: centre(p, 0))], True)
    bottom = _fit([max(long_h, key=lambda p: centre(p, 0))], True)
    left = _fit([min(long_v, key=lambda p: centre(p, 1))], False)
    right = _fit([max(long_v, key=lambda p: centre(p, 1))], False)

    def meet(hl: tuple[float, float], vl: tuple[float, float]) -> tuple[float, float]:
        # y = a·x + b and x = c·y + d
        a, b = hl
        c, d = vl
        x = (c * b + d) / (1.0 - c * a)
        return x, a * x + b

    return np.array([meet(top, left), meet(top, right), meet(bottom, right), meet(bottom, left)], np.float32)


def rectified(corners: np.ndarray) -> np.ndarray:
    """The axis-aligned rectangle with the corners' centre and their mean side lengths."""
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    cx, cy = corners.mean(axis=0)
    x0, y0, x1, y1 = cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], np.float32)


def undo_perspective(hmask: np.ndarray, vmask: np.ndarray) -> np.ndarray | None:
    """The homography (3×3) that makes the widest table's outline a rectangle, or None when it is one already
    (every corner within ``MAX_OFF_PT``) or has no four outer rules."""
    corners = outline_corners(hmask, vmask)
    if corners is None:
        return None
    target = rectified(corners)
    if float(np.abs(corners - target).max()) <= _pixels(MAX_OFF_PT):
        return None
    return cv2.getPerspectiveTransform(corners, target)


def warp(gray: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """The page warped by ``matrix`` (bicubic; white where it uncovers)."""
    h, w = gray.shape
    return cv2.warpPerspective(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=255)
