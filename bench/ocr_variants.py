"""The OCR engine on scan variants: rows, exact cells, characters and CPU time per page, per file.

Usage::

    python samples/make_scans.py --variant all --out /tmp/variants
    python bench/ocr_variants.py /tmp/variants samples/scans [--out bench/ocr_variants.md] [--json x.json]
        [--before earlier.json] [--truth ../shared/real]

Each PDF is read in this process, one after another (``workers=1``, so the CPU time is the file's own: this
process's plus its Tesseract children's); its truth is ``<seed>.json`` by name prefix in ``samples/truth`` or a
``--truth`` folder (e.g. ``lamdong_cchc_2026.json`` for scans named ``lamdong_*``: the longest stem that starts
the file's name, else the one truth whose first word does). ``--before`` adds the rows of an earlier ``--json``
run beside each file (before → after).
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


def _truth(pdf: Path, folders: list[Path]) -> Path:
    truths = [t for f in [TRUTH, *folders] for t in f.glob("*.json")]
    fits = [t for t in truths if pdf.stem.startswith(t.stem)]
    if not fits:  # a scan named after the document's first word ("lamdong_faded200" → lamdong_cchc_2026.json)
        fits = [t for t in truths if t.stem.split("_")[0] == pdf.stem.split("_")[0]]
    return max(fits, key=lambda t: len(t.stem))


def measure(pdf: Path, tmp: Path, truths: list[Path]) -> dict[str, object]:
    t0, c0 = time.perf_counter(), _cpu()
    try:
        doc = extract_document(pdf, engine="ocr")
    except Exception as exc:  # noqa: BLE001 - a bench row says what failed
        return {"file": pdf.stem, "error": f"{type(exc).__name__}: {exc}"[:120]}
    cpu, wall = _cpu() - c0, time.perf_counter() - t0
    json_path, _ = write_outputs(doc, tmp, pdf.stem)
    report = evaluate(json_path, _truth(pdf, truths))
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
    parser.add_argument("--before", type=Path, default=None, help="an earlier --json run, shown before → after")
    parser.add_argument("--truth", type=Path, action="append", default=[], help="another folder of truths")
    args = parser.parse_args(argv)
    pdfs = sorted(p for f in args.folders for p in (f.glob("*.pdf") if f.is_dir() else [f]))
    before = {r["file"]: r for r in json.loads(args.before.read_text("utf-8"))} if args.before else {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            row = measure(pdf, Path(tmp), args.truth)
            rows.append(row)
            print({k: v for k, v in row.items() if k != "mismatches"}, flush=True)

    def cell(r: dict[str, object], key: str, fmt: str) -> str:
        b = before.get(str(r["file"]), {})
        now = format(r[key], fmt) if not isinstance(r[key], str) else str(r[key])
        if key not in b or "error" in b:
            return now
        was = format(b[key], fmt) if not isinstance(b[key], str) else str(b[key])
        return now if was == now else f"{was} → {now}"

    lines = ["| file | rows | exact cells | characters | CPU s | CPU s / page |", "|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['file']} | {r['error']} | | | | |")
        else:
            lines.append(f"| {r['file']} | {cell(r, 'rows', '')} | {cell(r, 'exact', '.3f')} | "
                         f"{cell(r, 'chars', '.4f')} | {r['cpu_s']} | {cell(r, 'cpu_per_page', '.2f')} |")
    done = [r for r in rows if "error" not in r]
    if done:
        exact = [float(str(r["exact"])) for r in done]
        cpu = [float(str(r["cpu_per_page"])) for r in done if r["cpu_per_page"] is not None]
        same = sum(1 for r in done if str(r["rows"]).split(" / ")[0] == str(r["rows"]).split(" / ")[1])
        lines += ["", f"{len(done)} files: rows exact in {same}, ≥ 0.90 exact cells in "
                      f"{sum(e >= 0.90 for e in exact)}, lowest {min(exact):.3f}, "
                      f"mean CPU {sum(cpu) / len(cpu):.2f} s/page"]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:  # the cells that differ are left out (evaluate them again to see them)
        rows = [{k: v for k, v in r.items() if k != "mismatches"} for r in rows]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
