"""The OCR engine on scan variants: rows, exact cells, characters and CPU time per page, per file.

Usage::

    python samples/make_scans.py --variant all --out /tmp/variants
    python bench/ocr_variants.py /tmp/variants samples/scans [--out bench/ocr_variants.md] [--json x.json]

Each PDF is read in this process, one after another (``workers=1``, so the CPU time is the file's own: this
process's plus its Tesseract children's); its truth is ``samples/truth/<seed>.json`` by name prefix.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tthc_extract.evaluate import evaluate  # noqa: E402
from tthc_extract.runner import extract_document  # noqa: E402
from tthc_extract.writers import write_outputs  # noqa: E402

TRUTH = ROOT / "samples" / "truth"


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _truth(pdf: Path) -> Path:
    return max((t for t in TRUTH.glob("*.json") if pdf.stem.startswith(t.stem)), key=lambda t: len(t.stem))


def measure(pdf: Path, tmp: Path) -> dict[str, object]:
    t0, c0 = time.perf_counter(), _cpu()
    try:
        doc = extract_document(pdf, engine="ocr")
    except Exception as exc:  # noqa: BLE001 - a bench row says what failed
        return {"file": pdf.stem, "error": f"{type(exc).__name__}: {exc}"[:120]}
    cpu, wall = _cpu() - c0, time.perf_counter() - t0
    json_path, _ = write_outputs(doc, tmp, pdf.stem)
    report = evaluate(json_path, _truth(pdf))
    pages = doc.source.page_count
    return {"file": pdf.stem, "rows": f"{report.got_rows} / {report.truth_rows}", "exact": round(report.accuracy, 3),
            "chars": round(report.char_accuracy, 4), "cpu_s": round(cpu, 1), "wall_s": round(wall, 1),
            "pages": pages, "cpu_per_page": round(cpu / pages, 2) if pages else None,
            "mismatches": [[m.row, m.field, m.expected, m.got] for m in report.mismatches]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="write the table (markdown) here")
    parser.add_argument("--json", type=Path, default=None, help="write the rows (JSON) here")
    args = parser.parse_args(argv)
    pdfs = sorted(p for f in args.folders for p in (f.glob("*.pdf") if f.is_dir() else [f]))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            row = measure(pdf, Path(tmp))
            rows.append(row)
            print(row, flush=True)
    lines = ["| file | rows | exact cells | characters | CPU s | CPU s / page |", "|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['file']} | {r['error']} | | | | |")
        else:
            lines.append(f"| {r['file']} | {r['rows']} | {r['exact']:.3f} | {r['chars']:.4f} | {r['cpu_s']} | "
                         f"{r['cpu_per_page']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
