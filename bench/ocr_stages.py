"""Where the OCR engine's CPU time goes, stage by stage, per page (rendered at 300 dpi).

Usage::

    python samples/make_scans.py --variant g4-300-bc15 --out /tmp/variants
    python bench/ocr_stages.py /tmp/variants/*.pdf samples/scans/*.pdf [--out bench/ocr_stages.md]

Each page is rendered and read in this process, one at a time; each stage's function is wrapped and its CPU
time (this process's: Tesseract runs in it, through tesserocr) summed over the pages. "other" is the
rest of a page's reading (cutting the pieces, erasing the rules, mapping the words back).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from tthc_extract.extract import ocr_engine  # noqa: E402
from tthc_extract.extract.ocr import reading  # noqa: E402

#: (label, module, function name): the stages, as reading.read_page calls them
STAGES = [
    ("colour and flat field", reading, "prepare"),
    ("edge ink", reading, "edge_ink"),
    ("skew", reading, "estimate_skew"),
    ("turn", reading, "rotate"),
    ("rules (openings)", reading, "_open"),
    ("perspective (outline, warp)", reading, "undo_perspective"),
    ("warp", reading, "warp"),
    ("grid", reading, "find_grids"),
    ("Tesseract (stack + run)", reading, "read_pieces"),
    ("Tesseract (number cells alone)", reading, "read_alone"),
    ("stems", reading, "count_stems"),
]


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable, label: str, spent: dict[str, float], depth: list[int]) -> Callable:
    def wrapper(*args, **kwargs):
        if depth[0]:
            return fn(*args, **kwargs)
        depth[0] += 1
        t0 = _cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += _cpu() - t0
            depth[0] -= 1
    return wrapper


def measure(pdfs: list[Path]) -> tuple[dict[str, float], int, float]:
    spent: dict[str, float] = defaultdict(float)
    depth = [0]
    for label, module, name in STAGES:
        setattr(module, name, _timed(getattr(module, name), label, spent, depth))
    pages = 0
    t_start = time.perf_counter()
    for pdf in pdfs:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            for i in range(len(doc)):
                t0 = _cpu()
                image = ocr_engine.render(doc, i)
                spent["render"] += _cpu() - t0
                t0 = _cpu()
                reading.read_page(image)
                spent["page total (after render)"] += _cpu() - t0
                pages += 1
        finally:
            doc.close()
    return spent, pages, time.perf_counter() - t_start


def table(spent: dict[str, float], pages: int) -> str:
    inner = sum(v for k, v in spent.items() if k not in ("render", "page total (after render)"))
    rows = [("render", spent["render"])] + [(label, spent[label]) for label, _, _ in STAGES]
    rows.append(("other (cut, erase, map)", spent["page total (after render)"] - inner))
    total = spent["render"] + spent["page total (after render)"]
    lines = ["| stage | CPU s / page | share |", "|---|---|---|"]
    lines += [f"| {label} | {v / pages:.3f} | {v / total:.0%} |" for label, v in rows]
    lines.append(f"| **total** | **{total / pages:.2f}** | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="write the table (markdown) here")
    args = parser.parse_args(argv)
    spent, pages, wall = measure(args.pdfs)
    text = (f"{pages} pages of {len(args.pdfs)} scans ({', '.join(p.stem for p in args.pdfs)}), "
            f"{wall:.1f} s wall, one page at a time:\n\n" + table(spent, pages))
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
