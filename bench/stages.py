"""Where one ``tthc extract --workers 1`` run spends its time, stage by stage, on one file (default: the generated
100-page appendix of ``bench.py``).

Each run is a fresh interpreter (``--runs`` of them) that imports what the CLI imports, then runs the stages of
``tthc_extract.batch.run_one`` one by one with a clock around each: the input check (``runner._check``: page count, the
compressed-stream check, the text-layer probe), the engine read (split into the pdfium engine's own steps: page
and ruling lines, the text page's characters, words, placing words in cells), the scanned-page check, the
normalizer, the sha256, and the output (JSON and CSV bytes, the fsynced atomic writes). Pydantic's model
construction (validation) is timed inside those stages (a wrapper around ``BaseModel.__init__``) and reported
as a stage of its own, subtracted from the stage it ran in. Interpreter start-up is measured apart
(``python -c pass``), and the whole CLI run end to end for reference.

Reports the median and the range (min–max) of each stage over the runs and writes ``bench/stages.md``.

Usage::

    python bench/stages.py [--runs 5] [FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

#: The child: imports, then every stage timed; prints {stage: seconds} as JSON.
_CHILD = r'''
import json, sys, time
t0 = time.perf_counter()
import tthc_extract.cli  # what the command line imports before any work
import tthc_extract.batch, tthc_extract.runner as runner, tthc_extract.writers as writers
from tthc_extract.extract import get_engine
import tthc_extract.extract.pdfium_engine as eng
import pydantic
from tthc_extract.normalize import normalize
from tthc_extract.schemas.document import SourceInfo
times = {"imports": time.perf_counter() - t0}
stage = ["?"]
valid = {}
init = pydantic.BaseModel.__init__
def timed_init(self, /, **data):
    t = time.perf_counter()
    init(self, **data)
    valid[stage[0]] = valid.get(stage[0], 0.0) + time.perf_counter() - t
pydantic.BaseModel.__init__ = timed_init
def timed(name, func):
    def run(*a, **k):
        outer, stage[0] = stage[0], name
        t = time.perf_counter()
        try:
            return func(*a, **k)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - t
            stage[0] = outer
    return run
for name, attr in (("engine: pages and ruling lines", "_groups"), ("engine: text page read", "page_text"),
                   ("engine: text direction", "text_turn"), ("engine: characters", "_chars"),
                   ("engine: words", "_words"), ("engine: words into cells", "page_tables")):
    setattr(eng, attr, timed(name, getattr(eng, attr)))
from pathlib import Path
path, out = Path(sys.argv[1]), Path(sys.argv[2])
pages, _ = timed("input check", runner._check)(path, None)
tables = timed("engine (total)", get_engine("pdfium").extract)(path)[1]
found = {t.page for t in tables}
timed("scanned-page check", runner.scanned_pages)(path, None, [p for p in range(1, pages + 1) if p not in found])
sha = timed("sha256", runner.sha256_of)(path)
source = SourceInfo(file_name=path.name, sha256=sha, page_count=pages, table_pages=[])
doc = timed("normalize", normalize)(tables, source, engine="pdfium", engine_version=get_engine("pdfium").version())
data = [(out / "x.json", timed("write: JSON bytes", writers.json_bytes)(doc)),
        (out / "x.csv", timed("write: CSV bytes", writers.csv_bytes)(doc))]
timed("write: files (atomic, fsync)", writers.atomic_write_many)(data)
times["total in process"] = time.perf_counter() - t0
for name, seconds in valid.items():
    times[f"validate (pydantic) in {name}"] = seconds
print(json.dumps(times))
'''

#: Stages reported with the pydantic time inside them subtracted (it is its own row).
_ORDER = ["interpreter start-up", "imports", "input check", "engine: pages and ruling lines",
          "engine: text page read", "engine: text direction", "engine: characters", "engine: words",
          "engine: words into cells", "engine: other (page and text page loading)", "engine (total)",
          "scanned-page check", "normalize", "validate (pydantic models)", "sha256", "write: JSON bytes",
          "write: CSV bytes", "write: files (atomic, fsync)", "total in process", "`tthc extract --workers 1` "
          "end to end (wall)"]


def one_run(pdf: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tthc-stages-") as tmp:
        start = time.perf_counter()
        subprocess.run([PY, "-c", "pass"], check=True)
        startup = time.perf_counter() - start
        proc = subprocess.run([PY, "-c", _CHILD, str(pdf), tmp], check=True, capture_output=True, text=True)
        raw: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
        start = time.perf_counter()
        subprocess.run([str(Path(PY).parent / "tthc"), "extract", str(pdf), "-o", tmp, "--force", "-q",
                        "--workers", "1"], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
    valid = {k.removeprefix("validate (pydantic) in "): v for k, v in raw.items() if k.startswith("validate")}
    out = {k: v - valid.get(k, 0.0) for k, v in raw.items() if not k.startswith("validate")}
    engine_parts = [k for k in out if k.startswith("engine: ")]
    # the engine's own steps ran inside "engine (total)"; what they leave is loading pages and text pages
    out["engine: other (page and text page loading)"] = (raw["engine (total)"] - sum(raw[k] for k in engine_parts))
    out["engine (total)"] = raw["engine (total)"]  # with its pydantic time, as a whole
    out["validate (pydantic models)"] = sum(valid.values())
    out["interpreter start-up"] = startup
    out["`tthc extract --workers 1` end to end (wall)"] = wall
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "bench" / ".cache" / "bench_long_appendix.pdf")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "stages.md")
    args = parser.parse_args(argv)
    if not args.pdf.exists():
        print(f"{args.pdf} not found (python bench/bench.py makes the 100-page appendix)", file=sys.stderr)
        return 2
    runs = [one_run(args.pdf) for _ in range(args.runs)]
    import os
    import platform

    lines = [f"Stages of one run on {args.pdf.name}: median and range (min–max) of {args.runs} fresh processes, "
             f"seconds. Python {platform.python_version()}, {os.cpu_count()} cores, load average at the end "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. Engine steps and the normalizer exclude the "
             "pydantic model construction inside them (its own row); `engine (total)` includes it.", "",
             "| stage | median s | range s | share of the in-process total |", "|---|---:|---:|---:|"]
    total = statistics.median(r["total in process"] for r in runs)
    for name in _ORDER:
        vals = [r[name] for r in runs if name in r]
        if not vals:
            continue
        med = statistics.median(vals)
        share = "" if name.startswith(("interpreter", "engine (total)", "total", "`")) else f"{med / total:.0%}"
        lines.append(f"| {name} | {med:.3f} | {min(vals):.3f}–{max(vals):.3f} | {share} |")
    md = "\n".join(lines) + "\n"
    args.out.write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
