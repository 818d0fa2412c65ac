"""Speed benchmark of the extraction engines: pages/s and peak memory, end to end and plain library calls.

For each sample PDF in ``samples/`` and for a generated appendix of at least 100 pages (built from the two
truths in ``samples/truth/`` by repeating their sections with renumbered Roman numerals, rendered with
``samples/make_samples.py``, cached in ``bench/.cache/``), every measurement runs in a fresh subprocess:

* ``tthc extract FILE --engine E --workers 1`` for each engine (end to end: interpreter start, imports, check,
  extraction, normalization, validation, JSON/CSV writing) — its outputs are also evaluated against the truth;
* the plain library calls on the same file: pdfplumber ``page.extract_tables()`` over all pages, the same
  with pdfplumber-rs (the Rust port, same API, run by its own venv ``bench/.venv-rs``: see ``PLAIN_PYTHON``),
  camelot ``read_pdf(path, pages="all", flavor="lattice")``, the pdfium engine's ``extract()`` alone (no
  checks, normalization or output), and pypdfium2 loading every page's text (a floor);
* batch throughput: ``tthc extract`` over the samples, the samples four times over (24 files), the samples
  plus the long file and the long file alone (shared out page by page), with ``--workers 1`` and ``--workers 2``
  (alternating, ``--batch-runs`` runs each).

The project's modules are byte-compiled first (``compileall``), as a first run of any installation does; where
``PYTHONDONTWRITEBYTECODE`` is set, every fresh process would otherwise compile them again (≈ 0.05 s).

The measurements of one file take turns run by run (one run of each, then the next round), so that a drift of
the shared machine's speed hits them alike. Wall and CPU (user + system) time are the medians of ``--runs``
runs (camelot on the long file: ``--slow-runs``), with their range (min–max) in the per-file table; peak
memory is the measured process's ``ru_maxrss`` (from ``os.wait4`` in a small launcher process), the largest
of the runs; for a batch it is the largest single process (parent or worker).
Writes ``bench/results.json`` and ``bench/results.md`` and prints the Markdown tables.

Usage::

    python bench/bench.py [--runs 3] [--slow-runs 3] [--batch-runs 5] [--skip-long] [--skip-camelot]
                          [--only-batches] [--regenerate] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TRUTH = SAMPLES / "truth"
CACHE = ROOT / "bench" / ".cache"
LONG_STEM = "bench_long_appendix"
MIN_PAGES = 100
LONG_LAYOUT = "landscape"
ENGINES = ("pdfium", "pdfplumber", "camelot")
PY = sys.executable

PLAIN_CALLS: dict[str, str] = {
    "plain pdfplumber extract_tables": (
        "import sys, pdfplumber\n"
        "with pdfplumber.open(sys.argv[1]) as pdf:\n"
        "    for page in pdf.pages:\n"
        "        page.extract_tables()\n"
    ),
    "plain camelot lattice": (
        "import sys, warnings, camelot\n"
        "warnings.simplefilter('ignore')\n"
        "camelot.read_pdf(sys.argv[1], pages='all', flavor='lattice')\n"
    ),
    "pdfium engine alone (extract())": (
        "import sys\n"
        "from pathlib import Path\n"
        "from extract import get_engine\n"
        "get_engine('pdfium').extract(Path(sys.argv[1]))\n"
    ),
    "plain pdfplumber-rs extract_tables": (
        "import sys, pdfplumber\n"
        "with pdfplumber.open(sys.argv[1]) as pdf:\n"
        "    for page in pdf.pages:\n"
        "        page.extract_tables()\n"
    ),
    "plain pypdfium2 text (floor)": (
        "import sys, pypdfium2 as pdfium\n"
        "doc = pdfium.PdfDocument(sys.argv[1])\n"
        "for page in doc:\n"
        "    page.get_textpage().get_text_range()\n"
    ),
}

#: Plain calls run by another interpreter: pdfplumber-rs installs as the module ``pdfplumber``, so it has a venv
#: of its own (``python -m venv bench/.venv-rs && bench/.venv-rs/bin/pip install pdfplumber-rs``; or set
#: TTHC_BENCH_RS_PYTHON to its interpreter). Skipped when that interpreter is missing.
PLAIN_PYTHON: dict[str, str] = {
    "plain pdfplumber-rs extract_tables": os.environ.get("TTHC_BENCH_RS_PYTHON",
                                                         str(ROOT / "bench" / ".venv-rs" / "bin" / "python")),
}


@dataclass
class Measurement:
    file: str
    pages: int
    what: str
    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    ok: bool = True
    exact: bool | None = None
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.median if self.runs else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def pages_per_cpu_s(self) -> float:
        return self.pages / self.median_cpu if self.cpu else float("nan")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(median_s=round(self.median, 4), pages_per_s=round(self.pages_per_s, 2),
                 median_cpu_s=round(self.median_cpu, 4), pages_per_cpu_s=round(self.pages_per_cpu_s, 2))
        return d


# --------------------------------------------------------------------------------------------------
# Running one measurement
# --------------------------------------------------------------------------------------------------


#: Runs a command and writes its exit code, wall seconds, CPU seconds and peak RSS (KiB) as JSON to argv[1]. The
#: measured command is forked from this small fresh interpreter, not from the benchmark: a child's ru_maxrss
#: counts the memory of the process it was forked from (vfork / posix_spawn share it until exec).
_WRAPPER = (
    "import json, os, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)\n"
    "_, status, ru = os.wait4(p.pid, 0)\n"
    "wall = time.perf_counter() - t\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    json.dump([os.waitstatus_to_exitcode(status), wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss], f)\n"
)


def run_child(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, float, int, str]:
    """Run ``cmd`` in a fresh process: (wall s, CPU s (user + system), peak RSS MB, exit code, stderr tail)."""
    with tempfile.TemporaryDirectory(prefix="tthc-bench-run-") as tmp:
        stats, err_path = Path(tmp) / "stats.json", Path(tmp) / "stderr"
        with err_path.open("wb") as err:
            subprocess.run([PY, "-c", _WRAPPER, str(stats), *cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                           check=False)
        tail = err_path.read_bytes().decode("utf-8", "replace")[-600:]
        if not stats.exists():
            return float("nan"), float("nan"), float("nan"), 1, tail
        code, wall, cpu, maxrss_kib = json.loads(stats.read_text())
    return wall, cpu, maxrss_kib / 1024, code, tail


def tthc_cmd() -> list[str]:
    script = Path(PY).parent / "tthc"
    return [str(script)] if script.exists() else [PY, "-c", "from tthc_extract.cli import main; main()"]


def measure(m: Measurement, cmd: list[str], runs: int) -> Measurement:
    for _ in range(runs):
        seconds, cpu, mb, code, tail = run_child(cmd)
        if code != 0:
            m.ok, m.error = False, f"exit {code}: {tail.strip()}"
            break
        m.runs.append(seconds)
        m.cpu.append(cpu)
        m.peak_mb = max(m.peak_mb, mb)
    return m


def evaluate_exact(out_dir: Path, stem: str, truth: Path) -> bool:
    from tthc_extract.evaluate import evaluate

    return all(evaluate(out_dir / f"{stem}.{ext}", truth).accuracy == 1.0 for ext in ("json", "csv"))


def page_count(pdf: Path) -> int:
    from tthc_extract.runner import page_count_of  # the batch's own page count

    return page_count_of(pdf)


# --------------------------------------------------------------------------------------------------
# The long appendix
# --------------------------------------------------------------------------------------------------


def roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def long_truth(n_sections: int) -> dict[str, Any]:
    """A truth of ``n_sections`` sections: the sections of both truths in turn, renumbered I, II, III, …"""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH.glob("*.json"))]
    pool = [s for t in truths for s in t["sections"]]
    base = json.loads(json.dumps(truths[0]))
    base["source"] = f"bench: sections of {', '.join(p.name for p in sorted(TRUTH.glob('*.json')))} repeated"
    base["sections"] = []
    for i in range(n_sections):
        section = json.loads(json.dumps(pool[i % len(pool)]))
        section["number"] = roman(i + 1)
        base["sections"].append(section)
    return base


def make_long(regenerate: bool) -> tuple[Path, Path] | None:
    """The cached ≥100-page appendix and its truth, generated when missing; None when it cannot be made."""
    pdf, truth_path = CACHE / f"{LONG_STEM}.pdf", CACHE / f"{LONG_STEM}.json"
    if not regenerate and pdf.exists() and truth_path.exists() and page_count(pdf) >= MIN_PAGES:
        return pdf, truth_path
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("bench: LibreOffice 'soffice' not found: the 100-page appendix is skipped", file=sys.stderr)
        return None
    sys.path.insert(0, str(SAMPLES))
    try:
        import make_samples as ms
    except ImportError as e:
        print(f"bench: cannot import samples/make_samples.py ({e}): the 100-page appendix is skipped",
              file=sys.stderr)
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    # The STT column is widened so that no Roman numeral wraps: a numeral wrapped *and* cut by a page break
    # ("XXI" | "V") is read as two sections by the normalizer (by every engine alike), which is a different
    # matter from speed.
    base = ms.LAYOUTS[LONG_LAYOUT]
    layout = replace(base, name="bench", col_widths_cm=(3.0, 7.0, *base.col_widths_cm[2:]))
    n_sections = 190  # about 0.55 landscape pages per section; corrected from the first conversion
    with tempfile.TemporaryDirectory(prefix="tthc-bench-") as tmp:
        work = Path(tmp)
        conv = ms.Converter(soffice, work)
        for _ in range(5):
            truth = long_truth(n_sections)
            docx = work / f"{LONG_STEM}.docx"
            ms.build_docx(truth, LONG_STEM, layout, 0.0, docx)
            start = time.perf_counter()
            out = conv.to_pdf(docx, work)
            pages = page_count(out)
            print(f"bench: {n_sections} sections → {pages} pages ({time.perf_counter() - start:.1f} s in soffice)",
                  file=sys.stderr)
            if pages >= MIN_PAGES:
                shutil.move(str(out), pdf)
                truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                return pdf, truth_path
            n_sections = int(n_sections * (MIN_PAGES + 2) / pages) + 1
    print("bench: could not reach 100 pages; the long appendix is skipped", file=sys.stderr)
    return None


# --------------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------------


def bench_file(pdf: Path, truth: Path, runs: int, slow_runs: int, skip_camelot: bool) -> list[Measurement]:
    """Every measurement of one file; they take turns run by run (one run of each, then the next round), so
    that a drift of the shared machine's speed hits them alike."""
    pages = page_count(pdf)
    slow = max(1, slow_runs) if pages > 50 else runs
    plan: list[tuple[Measurement, list[str], int, str | None]] = []  # measurement, command, runs, output folder
    with contextlib.ExitStack() as stack:
        for engine in ENGINES:
            if skip_camelot and engine == "camelot":
                continue
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="tthc-bench-out-"))
            cmd = tthc_cmd() + ["extract", str(pdf), "--engine", engine, "-o", tmp, "--force", "-q", "--workers", "1"]
            plan.append((Measurement(pdf.name, pages, f"tthc extract --engine {engine}"), cmd,
                         slow if engine == "camelot" else runs, tmp))
        for what, code in PLAIN_CALLS.items():
            if skip_camelot and "camelot" in what:
                continue
            python = PLAIN_PYTHON.get(what, PY)
            if not Path(python).exists():
                print(f"  {what}: {python} not found, skipped (see the module docstring)", file=sys.stderr)
                continue
            plan.append((Measurement(pdf.name, pages, what), [python, "-c", code, str(pdf)],
                         slow if "camelot" in what else runs, None))
        for round_no in range(max(n for *_, n, _ in plan)):
            for m, cmd, n, _ in plan:
                if round_no < n and m.ok:
                    measure(m, cmd, 1)
        for m, _, _, tmp in plan:
            if tmp is not None and m.ok:
                m.exact = evaluate_exact(Path(tmp), pdf.stem, truth)
            print(f"  {pdf.name}: {m.what}: {m.median:.2f} s, {m.peak_mb:.0f} MB, exact={m.exact} {m.error}",
                  file=sys.stderr)
    return [m for m, *_ in plan]


def bench_batch(name: str, files: list[Path], engine: str, runs: int,
                workers_list: tuple[int, ...] = (1, 2)) -> list[dict[str, Any]]:
    """``tthc extract`` over ``files`` with each worker count; the counts alternate run by run, so that a
    drift of the machine's speed (a shared VM) hits them alike."""
    pages = sum(page_count(p) for p in files)
    walls: dict[int, list[float]] = {w: [] for w in workers_list}
    inner: dict[int, list[float]] = {w: [] for w in workers_list}
    cpus: dict[int, list[float]] = {w: [] for w in workers_list}
    peak: dict[int, float] = {w: 0.0 for w in workers_list}
    errors: dict[int, str] = {}
    singles: list[float] = []
    pairs: list[float] = []
    for _ in range(runs):
        single, pair = spin_pair()  # the machine's own 2-process ceiling, measured alongside
        singles.append(single)
        pairs.append(pair)
        for workers in workers_list:
            if workers in errors:
                continue
            with tempfile.TemporaryDirectory(prefix="tthc-bench-batch-") as tmp:
                cmd = tthc_cmd() + ["extract", *map(str, files), "--engine", engine, "-o", tmp, "--force", "-q",
                                    "--workers", str(workers)]
                seconds, cpu, mb, code, tail = run_child(cmd)
                if code != 0:
                    errors[workers] = tail
                    continue
                walls[workers].append(round(seconds, 3))
                cpus[workers].append(round(cpu, 3))
                inner[workers].append(json.loads((Path(tmp) / "run.json").read_text(encoding="utf-8"))["seconds"])
                peak[workers] = max(peak[workers], mb)
    out: list[dict[str, Any]] = []
    for workers in workers_list:
        if workers in errors:
            out.append({"batch": name, "engine": engine, "workers": workers, "error": errors[workers]})
            continue
        res = {
            "batch": name, "engine": engine, "workers": workers, "files": len(files), "pages": pages,
            "wall_s": walls[workers], "batch_s": inner[workers], "cpu_s": cpus[workers],
            "median_wall_s": round(statistics.median(walls[workers]), 3),
            "median_batch_s": round(statistics.median(inner[workers]), 3),
            "peak_mb": round(peak[workers], 1),
            "machine_2_process_ceiling": ceiling(singles, pairs),
        }
        print(f"  batch {name} {engine} workers={workers}: wall {res['median_wall_s']} s, "
              f"in-batch {res['median_batch_s']} s, machine ceiling {res['machine_2_process_ceiling']}×",
              file=sys.stderr)
        out.append(res)
    return out


_SPIN = "x = 0\nfor i in range(8_000_000):\n    x += i\n"


def spin_pair() -> tuple[float, float]:
    """Seconds of a CPU-bound pure-Python loop alone, then of two such loops at once."""
    start = time.perf_counter()
    subprocess.run([PY, "-c", _SPIN], check=True)
    single = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen([PY, "-c", _SPIN]) for _ in range(2)]
    for p in procs:
        p.wait()
    return single, time.perf_counter() - start


def ceiling(singles: list[float], pairs: list[float]) -> float:
    """How much two CPU-bound processes at once get done versus one alone (2.0 on two free cores)."""
    return round(2 * statistics.median(singles) / statistics.median(pairs), 2)


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    versions = {}
    for mod in ("pypdfium2", "pdfplumber", "camelot"):
        try:
            from importlib.metadata import version

            versions[mod] = version("camelot-py" if mod == "camelot" else mod)
        except Exception:  # noqa: BLE001 - a missing package is only not reported
            versions[mod] = "?"
    return {
        "nproc": str(os.cpu_count()),
        "affinity": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else "?",
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        **versions,
    }


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


def fmt(v: float, digits: int = 1) -> str:
    return "—" if v != v else f"{v:.{digits}f}"  # NaN → dash


def markdown(info: dict[str, str], results: list[Measurement], batches: list[dict[str, Any]],
             long_name: str | None) -> str:
    """The Markdown report: engines and plain calls side by side, batch scaling, then every file."""
    whats = list(dict.fromkeys(m.what for m in results))
    samples = [m for m in results if m.file != long_name]
    lines = [
        f"Machine: {info['cpu']}, {info['nproc']} cores (nproc), Python {info['python']}; pypdfium2 "
        f"{info['pypdfium2']}, pdfplumber {info['pdfplumber']}, camelot-py {info['camelot']}. Every number is a "
        "fresh process (interpreter start and imports included): median of the runs; CPU = user + system time; "
        f"peak RSS = ru_maxrss. Load average at start / end: {info['loadavg_at_start']} / "
        f"{info.get('loadavg_at_end', '?')}.",
        "",
        "| measurement | samples pages/s | samples pages/CPU-s | samples peak MB | 100-page pages/s "
        "| 100-page pages/CPU-s | 100-page peak MB | runs | pdfium is × faster | exact |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ref = next((m for m in results if m.file == long_name and m.what == "tthc extract --engine pdfium"), None)
    for what in whats:
        ms = [m for m in samples if m.what == what and m.ok]
        n_pages = sum(m.pages for m in ms)
        wall = n_pages / sum(m.median for m in ms) if ms else float("nan")
        cpu = n_pages / sum(m.median_cpu for m in ms) if ms else float("nan")
        mb = max((m.peak_mb for m in ms), default=float("nan"))
        lg = next((m for m in results if m.file == long_name and m.what == what and m.ok), None)
        ratio = lg.median / ref.median if (ref and lg and ref.runs and lg.runs) else float("nan")
        flags = [m.exact for m in results if m.what == what and m.exact is not None]
        exact = ("yes" if all(flags) else "NO") if flags else ""
        lines.append(
            f"| {what} | {fmt(wall)} | {fmt(cpu)} | {fmt(mb, 0)} | {fmt(lg.pages_per_s) if lg else '—'} | "
            f"{fmt(lg.pages_per_cpu_s) if lg else '—'} | {fmt(lg.peak_mb, 0) if lg else '—'} | "
            f"{len(lg.runs) if lg else '—'} | {fmt(ratio, 1)} | {exact} |"
        )
    if batches:
        lines += [
            "",
            "Speed-up = in-batch time with 1 worker / with 2. Machine ceiling = the same ratio for two CPU-bound "
            "pure-Python loops, measured between the runs (2.00× on two free cores; less when other work shares "
            "the CPU).",
            "",
            "| batch | engine | files | pages | workers | wall s | in-batch s | pages/s (in-batch) | speed-up "
            "| machine ceiling |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for b in batches:
            if "error" in b:
                lines.append(f"| {b['batch']} | {b['engine']} | | | {b['workers']} | failed | | | | |")
                continue
            one = next((x for x in batches if x["batch"] == b["batch"] and x["engine"] == b["engine"]
                        and x["workers"] == 1 and "error" not in x), None)
            speedup = one["median_batch_s"] / b["median_batch_s"] if one else float("nan")
            lines.append(
                f"| {b['batch']} | {b['engine']} | {b['files']} | {b['pages']} | {b['workers']} | "
                f"{b['median_wall_s']:.2f} | {b['median_batch_s']:.2f} | {b['pages'] / b['median_batch_s']:.1f} | "
                f"{speedup:.2f}× | {b['machine_2_process_ceiling']:.2f}× |"
            )
    lines += ["", "| file | pages | measurement | median s | range s | pages/s | CPU s | peak MB | exact |",
              "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for m in results:
        spread = f"{min(m.runs):.3f}–{max(m.runs):.3f}" if m.runs else "—"
        lines.append(f"| {m.file} | {m.pages} | {m.what} | {fmt(m.median, 3)} | {spread} | {fmt(m.pages_per_s)} | "
                     f"{fmt(m.median_cpu, 3)} | {fmt(m.peak_mb, 0)} | {'' if m.exact is None else m.exact} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--slow-runs", type=int, default=3, help="runs of camelot on files above 50 pages")
    parser.add_argument("--batch-runs", type=int, default=5, help="runs of each batch measurement")
    parser.add_argument("--only-batches", action="store_true", help="skip the per-file measurements")
    parser.add_argument("--skip-long", action="store_true", help="no 100-page appendix")
    parser.add_argument("--skip-camelot", action="store_true", help="no camelot measurements")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached 100-page appendix")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from tests.conftest import truth_for  # the samples' truth pairing, as the tests use it

    info = machine()
    for package in ("extract", "normalize", "schemas", "tthc"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    files: list[tuple[Path, Path]] = [(p, truth_for(p)) for p in sorted(SAMPLES.glob("*.pdf"))]
    long_pair = None if args.skip_long else make_long(args.regenerate)
    if long_pair:
        files.append(long_pair)
    results: list[Measurement] = []
    for pdf, truth in ([] if args.only_batches else files):
        results += bench_file(pdf, truth, args.runs, args.slow_runs, args.skip_camelot)

    sample_pdfs = [p for p, _ in files if p.parent == SAMPLES]
    batches: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tthc-bench-copies-") as tmp:
        copies = []  # the samples four times under other names: a batch with work enough to share out
        for k in range(4):
            for p in sample_pdfs:
                copies.append(Path(tmp) / f"{p.stem}_copy{k}.pdf")
                shutil.copyfile(p, copies[-1])
        batch_sets = [("6 samples", sample_pdfs), ("6 samples × 4 copies", copies)]
        if long_pair:
            batch_sets += [("6 samples + 100-page", sample_pdfs + [long_pair[0]]), ("100-page alone", [long_pair[0]])]
        for name, batch in batch_sets:
            for engine in ("pdfium", "pdfplumber"):
                batches += bench_batch(name, batch, engine, max(args.runs, args.batch_runs))
    long_name = long_pair[0].name if long_pair else None
    info["loadavg_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    md = markdown(info, results, batches, long_name)
    payload = {
        "machine": info,
        "runs": args.runs,
        "slow_runs": args.slow_runs,
        "long_file": long_name,
        "measurements": [m.to_json() for m in results],
        "batches": batches,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
