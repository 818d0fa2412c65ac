"""Running Tesseract: where its models are, its version, one reading of an image, its TSV output as words.

Tesseract runs in this process through tesserocr (its Python binding, with libtesseract bundled in the wheel):
each thread keeps one ``PyTessBaseAPI`` per model, set to each reading's page segmentation mode and character
whitelist, so a model is loaded once per thread rather than once per reading, and no image is encoded for a child
process. The models are
Debian's (``apt-get install tesseract-ocr-vie``: ``vie`` and ``eng`` in ``/usr/share/tesseract-ocr/5/tessdata``),
or those of the folder ``TESSDATA_PREFIX`` names.
"""


from __future__ import annotations

import csv
import functools
import io
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from tthc_extract.extract.ocr.settings import DPI, LANG, PSM

#: Where Debian (and most Linux distributions) put Tesseract's models; ``TESSDATA_PREFIX`` comes first.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
#: The columns of Tesseract's TSV output (``GetTSVText`` gives the rows without this header).
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


@functools.cache
def _binding() -> Any | None:
    """The tesserocr module, or None when it is not installed. One thread per reading: pages are already read in
    parallel (Tesseract's OpenMP threads would only compete with them)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr  # noqa: PLC0415 - loaded only when a scan is read
    except ImportError:
        return None
    return tesserocr


@functools.cache
def tessdata() -> Path | None:
    """The folder holding the ``LANG`` model, or None."""
    env = os.environ.get("TESSDATA_PREFIX")
    for folder in ([env] if env else []) + list(TESSDATA_DIRS):
        if (Path(folder) / f"{LANG}.traineddata").is_file():
            return Path(folder)
    return None


def models() -> frozenset[str]:
    """The models (languages) installed beside ``LANG``'s."""
    folder = tessdata()
    return frozenset(p.stem for p in folder.glob("*.traineddata")) if folder else frozenset()


def available() -> bool:
    """True when OCR can run: the tesserocr binding and Tesseract's Vietnamese model are installed."""
    return _binding() is not None and tessdata() is not None


def missing_reason() -> str:
    """What to install for OCR (empty when it is available)."""
    if available():
        return ""
    if _binding() is None:
        return "OCR needs Tesseract's Python binding: pip install tesserocr"
    return f"OCR needs Tesseract's Vietnamese model: apt-get install tesseract-ocr-{LANG}"


def version() -> str:
    binding = _binding()
    tess = binding.tesseract_version().splitlines()[0] if binding is not None else "tesseract (not installed)"
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


_local = threading.local()


def _api(lang: str, psm: int, chars: str) -> Any:
    """This thread's Tesseract for a model (loaded on first use), set to a segmentation mode and a whitelist."""
    binding, folder = _binding(), tessdata()
    if binding is None or folder is None:
        raise RuntimeError(missing_reason())
    if lang not in models():
        lang = LANG
    apis: dict[str, Any] = _local.__dict__.setdefault("apis", {})
    if lang not in apis:
        apis[lang] = binding.PyTessBaseAPI(path=str(folder), lang=lang)
    api = apis[lang]
    api.SetPageSegMode(psm)
    api.SetVariable("tessedit_char_whitelist", chars)
    return api


def _read(api: Any, image: np.ndarray) -> str:
    api.SetImage(Image.fromarray(image))
    api.SetSourceResolution(DPI)
    return TSV_HEADER + api.GetTSVText(0)


def run_tesseract(image: np.ndarray, lang: str = LANG, psm: int = PSM, chars: str = "") -> list[OcrWord]:
    """Words of a grayscale image, with their boxes, confidences and line numbers (Tesseract TSV); ``chars``:
    the only characters it may read (all when empty)."""
    return parse_tsv(_read(_api(lang, psm, chars), image))


def run_tesseract_pages(images: list[np.ndarray], lang: str = LANG, psm: int = PSM, chars: str = ""
                        ) -> list[list[OcrWord]]:
    """The words of each of several grayscale images, each read on its own by the same Tesseract."""
    api = _api(lang, psm, chars)
    return [parse_tsv(_read(api, img)) for img in images]


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
