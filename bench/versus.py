"""Head to head on one file (default: the generated 100-page appendix of ``bench.py``): ``tthc extract`` with one
worker and with the default workers, pdfplumber-rs's and pdfplumber's ``extract_tables``, and optionally
``tthc extract --workers 1`` of another source tree (``--baseline-tree``, e.g. an older commit unpacked with
``git archive``), each in a fresh process, taking turns run by run (a shared machine's drift hits all alike).

Reports wall seconds (median and range), pages/s, CPU seconds and peak RSS (``bench.run_child``), the ratios the
issue sets targets for, and whether the tthc outputs are exact against the file's truth. Writes
``bench/versus.md``.

Usage::

    python bench/versus.py [--runs 5] [--baseline-tree DIR] [FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=bench.CACHE / f"{bench.LONG_STEM}.pdf")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-tree", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=bench.ROOT / "bench" / "versus.md")
    args = parser.parse_args(argv)
    pdf = args.pdf.resolve()
    truth = pdf.with_suffix(".json")
    pages = bench.page_count(pdf)
    rs_python = bench.PLAIN_PYTHON["plain pdfplumber-rs extract_tables"]
    with tempfile.TemporaryDirectory(prefix="tthc-versus-") as tmp:
        outs = {k: Path(tmp) / k for k in ("one", "default", "baseline")}
        cmds: dict[str, tuple[list[str], Path | None]] = {
            "tthc extract --workers 1": (bench.tthc_cmd() + ["extract", str(pdf), "-o", str(outs["one"]),
                                                             "--force", "-q", "--workers", "1"], outs["one"]),
            "tthc extract (default workers)": (bench.tthc_cmd() + ["extract", str(pdf), "-o", str(outs["default"]),
                                                                   "--force", "-q"], outs["default"]),
        }
        if args.baseline_tree:
            launcher = f"import sys; sys.path.insert(0, {str(args.baseline_tree.resolve())!r}); " \
                       "from tthc_extract.cli import main; main()"
            cmds["baseline tree: tthc extract --workers 1"] = (
                [bench.PY, "-c", launcher, "extract", str(pdf), "-o", str(outs["baseline"]), "--force", "-q",
                 "--workers", "1"], outs["baseline"])
        if Path(rs_python).exists():
            cmds["pdfplumber-rs extract_tables"] = (
                [rs_python, "-c", bench.PLAIN_CALLS["plain pdfplumber-rs extract_tables"], str(pdf)], None)
        cmds["pdfplumber extract_tables"] = (
            [bench.PY, "-c", bench.PLAIN_CALLS["plain pdfplumber extract_tables"], str(pdf)], None)
        ms = {name: bench.Measurement(pdf.name, pages, name) for name in cmds}
        for _ in range(args.runs):
            for name, (cmd, _) in cmds.items():
                if ms[name].ok:
                    bench.measure(ms[name], cmd, 1)
        exact = {name: bench.evaluate_exact(out, pdf.stem, truth) if (out and truth.exists() and ms[name].ok)
                 else None for name, (_, out) in cmds.items()}
    lines = [f"{pdf.name} ({pages} pages), {args.runs} runs each, taking turns; {platform.python_version()}, "
             f"{os.cpu_count()} cores, load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}.",
             "", "| command | median s | range s | pages/s | CPU s | peak MB | exact |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, m in ms.items():
        if not m.ok:
            lines.append(f"| {name} | failed: {m.error[:80]} | | | | | |")
            continue
        flag = "" if exact[name] is None else ("yes" if exact[name] else "NO")
        lines.append(f"| {name} | {m.median:.3f} | {min(m.runs):.3f}–{max(m.runs):.3f} | {m.pages_per_s:.1f} | "
                     f"{m.median_cpu:.3f} | {m.peak_mb:.0f} | {flag} |")
    one = ms["tthc extract --workers 1"]
    ratios = []
    rs = ms.get("pdfplumber-rs extract_tables")
    if rs and rs.ok and one.ok:
        ratios.append(f"tthc --workers 1 vs pdfplumber-rs: {rs.median / one.median:.2f}× as fast (target ≥ 1.1×)")
    if one.ok:
        ratios.append(f"tthc --workers 1 vs pdfplumber: {ms['pdfplumber extract_tables'].median / one.median:.2f}× "
                      "as fast")
        default = ms["tthc extract (default workers)"]
        if default.ok:
            ratios.append(f"default workers vs one: {one.median / default.median:.2f}× (target ≥ 1.6×)")
        base = ms.get("baseline tree: tthc extract --workers 1")
        if base and base.ok:
            ratios.append(f"this tree vs the baseline tree, one worker: {base.median / one.median:.2f}× as fast")
        ratios.append(f"peak memory, one worker: {one.peak_mb:.0f} MB (target ≤ 80)")
    lines += ["", *[f"- {r}" for r in ratios]]
    md = "\n".join(lines) + "\n"
    args.out.write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
