"""Make image-only "scans" of the sample PDFs, to exercise the OCR engine (``--engine ocr``).

Each page of a sample PDF is rasterised in grayscale (pypdfium2), turned by a small angle (±0.3–0.8°, as a
sheet lies on a flatbed scanner), blurred a little, given mild sensor noise, JPEG-compressed and wrapped
back into a PDF with no text layer (Pillow), page size unchanged. The result is deterministic: the angle
and the noise are drawn from a generator seeded by the file name, and the PDF carries no dates.

The scans are written as ``samples/scans/<name>_scan.pdf``; their truth is the seed truth
(``samples/truth/caobang_*.json``, matched by name prefix like the other samples). They live in a
subfolder so that ``samples/*.pdf`` (the text samples, which every engine reads exactly) stays apart.

Usage::

    python samples/make_scans.py [--dpi 200] [--out samples/scans] [NAME ...]

``NAME`` is a sample stem (default: the landscape sample of each seed).
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=list(DEFAULT_NAMES), help="sample stems to scan")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI, help="scan resolution (200–300)")
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR / "scans", help="output folder")
    args = parser.parse_args(argv)
    for name in args.names:
        source = SAMPLES_DIR / f"{name}.pdf"
        target = args.out / f"{name}_scan.pdf"
        angles = make_scan(source, target, args.dpi)
        turns = ", ".join(f"{a:+.2f}°" for a in angles)
        print(f"{target} ({target.stat().st_size // 1024} KiB; pages turned by {turns})")


if __name__ == "__main__":
    main()
