"""Running Tesseract: where it is, its version, one call on an image, its TSV output as words."""


from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from tthc_extract.extract.ocr.settings import DPI, LANG, PSM


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


def run_tesseract_pages(images: list[np.ndarray], lang: str = LANG, psm: int = PSM, chars: str = ""
                        ) -> list[list[OcrWord]]:
    """The words of each of several grayscale images, read by one Tesseract process (a multi-page TIFF on its
    standard input: the model is loaded once, each image is still read on its own)."""
    if len(images) <= 1:
        return [run_tesseract(img, lang, psm, chars) for img in images]
    found = _tesseract()
    if found is None:
        raise RuntimeError(missing_reason())
    if lang not in found[2]:
        lang = LANG
    buf = io.BytesIO()
    pages = [Image.fromarray(img) for img in images]
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    proc = subprocess.run(
        [found[0], "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(DPI),
         *(["-c", f"tessedit_char_whitelist={chars}"] if chars else []), "tsv"],
        input=buf.getvalue(), capture_output=True, timeout=600, env=_env(), check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"tesseract failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-300:]}")
    out: list[list[OcrWord]] = [[] for _ in images]
    for page, word in _tsv_rows(proc.stdout.decode("utf-8", errors="replace")):
        if 1 <= page <= len(images):
            out[page - 1].append(word)
    return out


def parse_tsv(tsv: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output (level 5 rows with text)."""
    return [word for _page, word in _tsv_rows(tsv)]


def _tsv_rows(tsv: str) -> list[tuple[int, OcrWord]]:
    """(page number, word) of each word of Tesseract's TSV output (level 5 rows with text)."""
    words = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        words.append((int(row.get("page_num") or 1), OcrWord(
            text=unicodedata.normalize("NFC", text), x0=left, top=top, x1=left + width, bottom=top + height,
            conf=float(row["conf"]), line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        )))
    return words
