"""The page image: colour and uneven light removed, ink thresholded, edge ink dropped, skew measured on the
raw ink and turned back."""


from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from tthc_extract.extract.ocr.settings import (
    BRIDGE_PT,
    CHROMA_GAIN,
    DPI,
    EDGE_PT,
    H_KERNEL_PT,
    MAX_SKEW,
    PAPER_KERNEL,
    PAPER_SHRINK,
    SKEW_REACH,
    SKEW_STAGES,
    V_KERNEL_PT,
    _pixels,
)


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
    frame, an edge shadow, the desk around a photographed page.

    Each such component has a pixel in the band along the edge; it is flood-filled from one pixel of each
    piece of ink in the band (no labelling of the whole page: most pages have no ink there at all)."""
    e = _pixels(EDGE_PT)
    h, w = ink.shape
    out = np.zeros_like(ink)
    mask = np.zeros((h + 2, w + 2), np.uint8)
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    # the four strips along the edges, each as (x, y) of its top-left corner in the page
    for x0, y0, strip in ((0, 0, ink[:e + 1]), (0, h - e - 1, ink[h - e - 1:]), (0, 0, ink[:, :e + 1]),
                          (w - e - 1, 0, ink[:, w - e - 1:])):
        if not strip.any():
            continue
        n, labels, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(strip), connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = stats[i]
            ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == i)
            sx, sy = int(x0 + x + xs[0]), int(y0 + y + ys[0])
            if not mask[sy + 1, sx + 1]:
                cv2.floodFill(ink, mask, (sx, sy), 255, 0, 0, flags)
    out[:] = mask[1:-1, 1:-1]
    return out


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink mask (255 = ink) of a grayscale page (Otsu's threshold)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def pieces(mask: np.ndarray) -> Iterator[tuple[int, int, int, int, np.ndarray]]:
    """Each 8-connected piece of a mask: its bounding box (x, y, w, h) and its own pixels within the box.

    Found by the pieces' outlines (``cv2.findContours``), not by labelling the whole page: the rule masks are
    sparse, and labelling costs a pass writing a label for every pixel. A piece's pixels are the mask's inside
    its outer boundary and outside its holes' (a piece lying in another's hole is a piece of its own)."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return
    links = hierarchy[0]
    for k, contour in enumerate(contours):
        if links[k][3] != -1:
            continue
        x, y, w, h = cv2.boundingRect(contour)
        inside = np.zeros((h, w), np.uint8)
        cv2.drawContours(inside, [contour], -1, 255, cv2.FILLED, offset=(-x, -y))
        hole = links[k][2]
        while hole != -1:  # the holes' insides are not the piece's (their boundaries, ink pixels, are)
            cv2.drawContours(inside, [contours[hole]], -1, 0, cv2.FILLED, offset=(-x, -y))
            cv2.drawContours(inside, [contours[hole]], -1, 255, 1, offset=(-x, -y))
            hole = links[hole][0]
        yield x, y, w, h, cv2.bitwise_and(inside, mask[y:y + h, x:x + w])


def _long(vmask: np.ndarray, length: int) -> np.ndarray:
    """The pieces of the vertical rule mask at least ``length`` px tall."""
    out = np.zeros_like(vmask)
    for x, y, w, h, own in pieces(vmask):
        if h >= length:
            out[y:y + h, x:x + w] |= own
    return out


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


