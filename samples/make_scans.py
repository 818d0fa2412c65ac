"""Make image-only "scans" of the sample PDFs, to exercise the OCR engine (``--engine ocr``).

Each page of a sample PDF is rasterised in grayscale (pypdfium2), turned by a small angle (±0.3–0.8°, as a
sheet lies on a flatbed scanner), blurred a little, given mild sensor noise, JPEG-compressed and wrapped
back into a PDF with no text layer (Pillow), page size unchanged. The result is deterministic: the angle
and the noise are drawn from a generator seeded by the file name, and the PDF carries no dates.

The scans are written as ``samples/scans/<name>_scan.pdf``; their truth is the seed truth
(``samples/truth/caobang_*.json``, matched by name prefix like the other samples). They live in a
subfolder so that ``samples/*.pdf`` (the text samples, which every engine reads exactly) stays apart.

Scan variants (issue 14: scans as offices' scanners make them), ``VARIANTS``: pdftoppm or pypdfium2
rasterisation at 150/200/300 dpi; pages turned by ±0.6°, ±1.5° or ±3° with nearest-neighbour or bicubic
resampling; gray JPEG, 1-bit CCITT G4 or colour JPEG; a red seal and a blue signature over the unit cells, the
scanner's dark frame and an edge shadow; a phone-like capture (perspective, desk, uneven light); blur, sensor
noise, the scanner's black bed around the sheet. Each is made
from a sample PDF with ``make_variant`` (deterministic: seeded by the sample's and the variant's names), so tests
render them into a temporary folder instead of committing large PDFs.

Usage::

    python samples/make_scans.py [--dpi 200] [--out samples/scans] [NAME ...]
    python samples/make_scans.py --variant all --out /tmp/variants [NAME ...]

``NAME`` is a sample stem (default: the landscape sample of each seed; with ``--variant``, the landscape and
the portrait sample of each seed, ``VARIANT_BASES``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

SAMPLES_DIR = Path(__file__).resolve().parent
DEFAULT_NAMES = ("caobang_ubnd_2026_landscape", "caobang_svhttdl_2026_landscape")
DEFAULT_DPI = 200
JPEG_QUALITY = 60
#: Standard deviation of the sensor noise, in gray levels.
NOISE = 4.0


def scan_page(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, float]:
    """One rasterised page (mode L) as a scanner would return it, and the angle it was turned by."""
    angle = float(rng.uniform(0.3, 0.8) * rng.choice([-1.0, 1.0]))
    paper = int(rng.integers(238, 248))
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32) * (paper / 255.0) + rng.normal(0.0, NOISE, turned.size[::-1])
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    # the optics blur the sensor noise too
    return noisy.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.5, 0.8)))), angle


def make_scan(source: Path, target: Path, dpi: int = DEFAULT_DPI) -> list[float]:
    """Write the scan of ``source`` to ``target``; return the angle drawn for each page (degrees)."""
    rng = np.random.default_rng(zlib.crc32(source.stem.encode()))
    doc = pdfium.PdfDocument(str(source))
    pages: list[Image.Image] = []
    angles: list[float] = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            page.close()
            scanned, angle = scan_page(image, rng)
            pages.append(scanned)
            angles.append(angle)
    finally:
        doc.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Pillow writes grayscale images JPEG-compressed (DCTDecode) at the quality given; no dates, so the
    # bytes depend on the inputs only
    pages[0].save(target, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
                  quality=JPEG_QUALITY, title=f"scan of {source.name}", creationDate=None, modDate=None)
    return angles


# --------------------------------------------------------------------------------------------------
# Scan variants: the ways offices' scanners and phones make them (issue 14)

#: Sheets turned by these angles (degrees), page after page (cycled): a flatbed's usual skew, a sloppy feed
#: and a page laid down crooked.
SLIGHT, FEED, CROOKED, PHONE_TILT = (0.6, -0.6), (1.5, -1.5), (3.0, -3.0), (2.0, -2.0)


@dataclass(frozen=True)
class Variant:
    """How one kind of scan is made from a text PDF.

    ``renderer``: ``pdftoppm`` (poppler: 0.5 pt rules become 1 px of pure black) or ``pdfium`` (anti-aliased);
    ``mode``: ``L`` (gray, JPEG), ``1`` (1-bit, CCITT G4) or ``RGB`` (colour, JPEG); ``resample``: how the
    page is turned (``nearest`` makes each rule jog 1 px every few hundred px); ``marks``: a red seal and a blue
    signature over the unit cells; ``frame``: the scanner lid's dark frame and an edge shadow; ``phone``: a
    perspective warp and uneven light, as a phone's camera takes a page; ``border``: the scanner's black bed
    around a sheet laid a little off its edges (uneven dark bands, the corners the turn uncovers dark too);
    ``blur`` (Gaussian radius, px) and ``noise`` (sensor noise, gray levels) as a scanner's optics and sensor;
    ``jitter``: how far (a fraction of the page's size) each corner of a phone's capture moves;
    ``fade``: every ``fade``-th page (the 2nd, the 2nd + fade, ...) loses one inner column rule of its table
    (a light rule the scanner's threshold dropped, toner running out), or with ``fade_border`` its left or right
    border (the edge of the scanned area, a fold).
    """

    dpi: int
    angles: tuple[float, ...]
    resample: str = "bicubic"
    renderer: str = "pdfium"
    mode: str = "L"
    blur: float = 0.0
    noise: float = 0.0
    quality: int = 90
    marks: bool = False
    frame: bool = False
    phone: bool = False
    border: bool = False
    fade: int = 0
    fade_border: bool = False
    jitter: float = 0.004


VARIANTS: dict[str, Variant] = {
    "ppm200-nn06": Variant(200, SLIGHT, "nearest", "pdftoppm"),
    "ppm200-bc06": Variant(200, SLIGHT, "bicubic", "pdftoppm"),
    "ppm300-nn15": Variant(300, FEED, "nearest", "pdftoppm"),
    "g4-300-nn15": Variant(300, FEED, "nearest", "pdfium", mode="1"),
    "g4-300-bc15": Variant(300, FEED, "bicubic", "pdfium", mode="1"),
    "gray200-nn3": Variant(200, CROOKED, "nearest", "pdftoppm", quality=85),
    "gray200-bc3": Variant(200, CROOKED, "bicubic", "pdfium", blur=0.6, noise=3.0, quality=75),
    "colour150-seal": Variant(150, SLIGHT, "bicubic", "pdfium", mode="RGB", blur=0.5, noise=3.0, quality=75,
                              marks=True, frame=True),
    "phone200": Variant(200, PHONE_TILT, "bicubic", "pdfium", mode="RGB", blur=0.9, noise=5.0, quality=80,
                        phone=True),
    # an out-of-focus scanner: strokes spread over 3-4 px at 300 dpi
    "blur300": Variant(300, SLIGHT, "bicubic", "pdfium", blur=1.6, noise=2.0, quality=85),
    # a noisy sensor at 200 dpi: gray levels scattered by 12 (the paper speckled, thin strokes broken)
    "noise200": Variant(200, SLIGHT, "bicubic", "pdftoppm", noise=12.0, quality=70),
    # the scanner's black bed around a sheet laid off its edges, at 300 dpi, turned by 1.5°
    "border300": Variant(300, FEED, "bicubic", "pdfium", blur=0.5, noise=3.0, quality=80, border=True),
    # a phone held further off the page's axis: corners moved three times as far (a column rule leans up to
    # about 1° more at one side of the table than at the other), 300 dpi
    "phone300-keystone": Variant(300, PHONE_TILT, "bicubic", "pdfium", mode="RGB", blur=1.0, noise=4.0,
                                 quality=80, phone=True, jitter=0.012),
    # a column rule lost on every third page (the 2nd, 5th, ...), at 200 dpi, slightly turned
    "faded200": Variant(200, SLIGHT, "bicubic", "pdftoppm", quality=85, fade=3),
    # the table's left or right border lost on every third page
    "faded200-border": Variant(200, SLIGHT, "bicubic", "pdftoppm", quality=85, fade=3, fade_border=True),
}
#: The base PDFs a variant is measured on: both seeds, each landscape and portrait.
VARIANT_BASES = ("caobang_ubnd_2026_landscape", "caobang_ubnd_2026_portrait", "caobang_svhttdl_2026_landscape",
                 "caobang_svhttdl_2026_portrait")
#: The scanner bed's gray level and the width of its bands (inches, each edge drawn apart).
BED_GRAY = 28
BED_BAND = (0.06, 0.3)

#: The phone's desk margin (a fraction of the page's size); each corner of the page moves by up to the
#: variant's ``jitter`` of it (0.004: a slope change of up to about 0.3° between the page's top and bottom).
PHONE_MARGIN = 0.012

_RESAMPLE = {"nearest": Image.Resampling.NEAREST, "bicubic": Image.Resampling.BICUBIC}


def _pages_rgb(source: Path, dpi: int, renderer: str) -> list[np.ndarray]:
    """The pages of ``source`` rasterised at ``dpi`` (RGB, uint8), by pdftoppm or pypdfium2."""
    if renderer == "pdftoppm":
        exe = shutil.which("pdftoppm")
        if exe is None:
            raise RuntimeError("pdftoppm not found: apt-get install poppler-utils")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([exe, "-r", str(dpi), "-png", str(source), f"{tmp}/p"], check=True)
            files = sorted(Path(tmp).glob("p-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
            return [np.asarray(Image.open(f).convert("RGB")) for f in files]
    doc = pdfium.PdfDocument(str(source))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            out.append(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")))
            page.close()
        return out
    finally:
        doc.close()


def _ink(canvas: np.ndarray, layer: np.ndarray, colour: tuple[int, int, int], strength: float) -> None:
    """Lay ``layer`` (0..255 coverage) of ink of ``colour`` over ``canvas`` (RGB, in place), multiplicatively."""
    alpha = (layer.astype(np.float32) / 255.0 * strength)[:, :, None]
    tint = np.array(colour, np.float32)[None, None, :] / 255.0
    canvas[:] = np.clip(canvas * (1.0 - alpha + alpha * tint), 0, 255)


def _seal(canvas: np.ndarray, rng: np.random.Generator, dpi: int) -> None:
    """A round red seal (two rings, a star, lettering) stamped over the middle of the table's right half."""
    h, w = canvas.shape[:2]
    r = int(0.7 * dpi)
    cx, cy = int(w * rng.uniform(0.55, 0.75)), int(h * rng.uniform(0.35, 0.7))
    layer = np.zeros((h, w), np.uint8)
    th = max(2, dpi // 50)
    cv2.circle(layer, (cx, cy), r, 255, th, cv2.LINE_AA)
    cv2.circle(layer, (cx, cy), int(r * 0.72), 255, max(1, th // 2), cv2.LINE_AA)
    star = [(cx + int(0.2 * r * np.cos(a)), cy + int(0.2 * r * np.sin(a)))
            for a in np.linspace(-np.pi / 2, 3.5 * np.pi, 6)[:5] * 1.0]
    cv2.fillPoly(layer, [np.array([star[i] for i in (0, 2, 4, 1, 3)], np.int32)], 255)
    for k, ch in enumerate("UY BAN NHAN DAN TINH CAO BANG"):
        a = np.pi * (0.85 + 1.3 * k / 28)
        org = (cx + int(0.86 * r * np.cos(a)) - th * 3, cy + int(0.86 * r * np.sin(a)) + th * 3)
        cv2.putText(layer, ch, org, cv2.FONT_HERSHEY_SIMPLEX, dpi / 400, 255, max(1, th // 2), cv2.LINE_AA)
    _ink(canvas, layer, (205, 30, 40), 0.85)


def _signature(canvas: np.ndarray, rng: np.random.Generator, dpi: int) -> None:
    """A blue signature: a looping pen stroke across a few cells."""
    h, w = canvas.shape[:2]
    x0, y0 = int(w * rng.uniform(0.3, 0.5)), int(h * rng.uniform(0.4, 0.75))
    t = np.linspace(0, 1, 400)
    xs = x0 + t * 1.6 * dpi + 0.12 * dpi * np.sin(t * 19)
    ys = y0 + 0.25 * dpi * np.sin(t * 7 + rng.uniform(0, 3)) - 0.3 * dpi * t
    layer = np.zeros((h, w), np.uint8)
    pts = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(layer, [pts], False, 255, max(2, dpi // 60), cv2.LINE_AA)
    _ink(canvas, layer, (30, 50, 180), 0.9)


def _frame(canvas: np.ndarray, rng: np.random.Generator, dpi: int) -> None:
    """The scanner's dark frame along two edges (the lid's shadow), fading into the paper."""
    h, w = canvas.shape[:2]
    band = int(dpi * rng.uniform(0.08, 0.14))
    shade = np.ones((h, w), np.float32)
    ramp = np.linspace(0.15, 1.0, band, dtype=np.float32) ** 0.7
    shade[:, :band] *= ramp[None, :]
    shade[:band, :] *= ramp[:, None]
    edge = max(2, dpi // 40)  # the frame proper: nearly black
    shade[:, w - edge:] *= 0.12
    shade[h - edge:, :] *= 0.12
    canvas[:] = canvas * shade[:, :, None]


def _phone(canvas: np.ndarray, rng: np.random.Generator, jitter: float = 0.004) -> np.ndarray:
    """The page as a phone photographs it: a perspective (each corner moved by up to ``jitter`` of the page's
    size), a desk around it, light falling off."""
    h, w = canvas.shape[:2]
    margin = PHONE_MARGIN
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    inward = np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]]) * margin * np.float32([w, h])
    dst = src + inward + np.float32(rng.uniform(-jitter, jitter, (4, 2)) * [w, h])
    warped = cv2.warpPerspective(canvas, cv2.getPerspectiveTransform(src, dst), (w, h), flags=cv2.INTER_CUBIC,
                                 borderValue=(96, 92, 88))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    lx, ly = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    fall = 1.0 - 0.32 * np.hypot((xx - lx) / w, (yy - ly) / h)
    return np.clip(warped * fall[:, :, None] * np.array([1.0, 0.98, 0.93], np.float32), 0, 255)


def _border(canvas: np.ndarray, rng: np.random.Generator, dpi: int) -> None:
    """The scanner's black bed along the four edges: bands of uneven width whose inner edges slant a little
    (the sheet lies off the bed's edges and not square to them), in place."""
    h, w = canvas.shape[:2]
    lo, hi = (round(b * dpi) for b in BED_BAND)
    top, bottom, left, right = (rng.integers(lo, hi, 2) for _ in range(4))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    bed = ((yy < top[0] + (top[1] - top[0]) * xx / w) | (yy > h - bottom[0] - (bottom[1] - bottom[0]) * xx / w)
           | (xx < left[0] + (left[1] - left[0]) * yy / h) | (xx > w - right[0] - (right[1] - right[0]) * yy / h))
    canvas[bed] = BED_GRAY


def _fade_rule(canvas: np.ndarray, rng: np.random.Generator, border: bool = False) -> None:
    """One inner column rule of the page's table lost (the paper's colour over its whole height); with
    ``border``, its left or right border."""
    dark = canvas.mean(axis=2) < 128
    tall = np.nonzero(dark.sum(axis=0) > 0.3 * dark.shape[0])[0]
    if tall.size == 0:
        return
    rules = np.split(tall, np.nonzero(np.diff(tall) > 2)[0] + 1)  # runs of adjacent pixel columns
    if len(rules) < 4:
        return
    # a border: the first or the last rule; else an inner one, not the outline
    at = (len(rules) - 1) * int(rng.random() < 0.5) if border else int(rng.integers(1, len(rules) - 1))
    rule = rules[at]
    lo, hi = int(rule[0]) - 1, int(rule[-1]) + 2
    rows = np.nonzero(dark[:, lo:hi].any(axis=1))[0]
    canvas[rows[0]:rows[-1] + 1, lo:hi] = 255.0


def scan_variant(page: np.ndarray, variant: Variant, angle: float, rng: np.random.Generator,
                 index: int = 0) -> Image.Image:
    """One rasterised page (RGB, the ``index``-th of its file) made into the scan ``variant`` describes, turned
    by ``angle``."""
    canvas = page.astype(np.float32)
    if variant.fade and index % variant.fade == 1:
        _fade_rule(canvas, rng, variant.fade_border)
    if variant.marks:
        _seal(canvas, rng, variant.dpi)
        _signature(canvas, rng, variant.dpi)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8), mode="RGB")
    if variant.mode != "RGB":
        image = image.convert("L")
    fill = BED_GRAY if variant.border else 255  # the corners a turn uncovers: the bed, or white
    image = image.rotate(angle, resample=_RESAMPLE[variant.resample], expand=False,
                         fillcolor=fill if image.mode == "L" else (fill, fill, fill))
    canvas = np.asarray(image.convert("RGB"), np.float32).copy()
    if variant.border:
        _border(canvas, rng, variant.dpi)
    if variant.frame:
        _frame(canvas, rng, variant.dpi)
    if variant.phone:
        canvas = _phone(canvas, rng, variant.jitter)
    if variant.noise:
        canvas += rng.normal(0.0, variant.noise, canvas.shape[:2])[:, :, None]
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8), mode="RGB")
    if variant.blur:
        image = image.filter(ImageFilter.GaussianBlur(radius=variant.blur))
    if variant.mode == "1":
        return image.convert("L").point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    return image.convert("L") if variant.mode == "L" else image


def make_variant(source: Path, target: Path, name: str) -> list[float]:
    """Write the scan variant ``name`` (a key of ``VARIANTS``) of ``source`` to ``target``; return the angle of
    each page. Deterministic: the generator is seeded by the source's and the variant's names."""
    variant = VARIANTS[name]
    rng = np.random.default_rng(zlib.crc32(f"{source.stem}/{name}".encode()))
    pages, angles = [], []
    for i, page in enumerate(_pages_rgb(source, variant.dpi, variant.renderer)):
        angle = variant.angles[i % len(variant.angles)]
        pages.append(scan_variant(page, variant, angle, rng, i))
        angles.append(angle)
    target.parent.mkdir(parents=True, exist_ok=True)
    # mode "1" is written CCITT G4 (Pillow with libtiff), "L" and "RGB" JPEG at the variant's quality
    jpeg = {} if variant.mode == "1" else {"quality": variant.quality}
    pages[0].save(target, format="PDF", save_all=True, append_images=pages[1:], resolution=float(variant.dpi),
                  title=f"{name} scan of {source.name}", creationDate=None, modDate=None, **jpeg)
    return angles


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="sample stems to scan (default: the landscape sample of each "
                        "seed; with --variant the landscape and the portrait sample of each seed)")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI, help="scan resolution (200–300)")
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR / "scans", help="output folder")
    parser.add_argument("--variant", action="append", choices=[*VARIANTS, "all"],
                        help="make these scan variants (<name>_<variant>.pdf) instead of the bundled scans")
    args = parser.parse_args(argv)
    if args.variant:
        chosen = list(VARIANTS) if "all" in args.variant else args.variant
        for name in args.names or VARIANT_BASES:
            for v in chosen:
                target = args.out / f"{name}_{v}.pdf"
                angles = make_variant(SAMPLES_DIR / f"{name}.pdf", target, v)
                print(f"{target} ({target.stat().st_size // 1024} KiB; {', '.join(f'{a:+.1f}°' for a in angles)})")
        return
    for name in args.names or DEFAULT_NAMES:
        source = SAMPLES_DIR / f"{name}.pdf"
        target = args.out / f"{name}_scan.pdf"
        angles = make_scan(source, target, args.dpi)
        turns = ", ".join(f"{a:+.2f}°" for a in angles)
        print(f"{target} ({target.stat().st_size // 1024} KiB; pages turned by {turns})")


if __name__ == "__main__":
    main()
