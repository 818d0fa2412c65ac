"""Accuracy on appendices laid out as other offices and producers make them: 20 text PDFs drawn with reportlab
(tests/drawn_tables.py) from the bundled truths — two-row headers with column numbers, no result or STT column, a
combined unit column, narrow date columns in fonts with wide digits, pages stored turned or drawn sideways, a long
merged task continuing alone above a section row, sub-tasks and parts — each evaluated against its truth as that
layout prints it. Prints a table and the mean; run it from the project root, optionally with the code of another
checkout first on the path to compare (``PYTHONPATH=../old python bench/other_layouts.py``).

    python bench/other_layouts.py [--out DIR] [--engine pdfium]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # tests.drawn_tables; a checkout given first on PYTHONPATH keeps its own modules

from tests.drawn_tables import Style, draw, turned  # noqa: E402
from tests.plans import GROUP, LEAVES, as_printed, case_plan, numbered_plan  # noqa: E402
from tthc_extract.evaluate import evaluate  # noqa: E402
from tthc_extract.runner import extract_document  # noqa: E402

TRUTH = ROOT / "samples" / "truth"


def cases() -> list[tuple[str, dict, Style, int]]:
    """(name, plan, style, turn) of the 20 layouts; ``turn`` > 0 stores the pages turned (with /Rotate) and
    < 0 draws them sideways (no /Rotate)."""
    ubnd = json.loads((TRUTH / "caobang_ubnd_2026.json").read_text(encoding="utf-8"))
    svh = json.loads((TRUTH / "caobang_svhttdl_2026.json").read_text(encoding="utf-8"))
    out: list[tuple[str, dict, Style, int]] = []
    for family in ("Liberation Serif", "DejaVu Serif"):
        f = family.split()[0].lower()
        out += [
            (f"two-row header (1)(2)…, {f}", ubnd, Style(family=family, group=GROUP, headers=LEAVES,
                                                         number_row="({})"), 0),
            (f"two-row header 1 2 3 once, portrait, {f}", svh,
             Style(family=family, group=GROUP, headers=LEAVES, number_row="{}", repeat_header=False,
                   landscape=False, size=10), 0),
            (f"no result column, {f}", ubnd, Style(family=family, fields=("stt", "description", "lead", "partner",
                                                                          "timeframe"), widths=(1, 8, 3, 3, 2.6),
                                                   headers=("TT", "Nội dung công việc", "Đơn vị chủ trì",
                                                            "Đơn vị phối hợp", "Thời gian hoàn thành")), 0),
            (f"no STT column, {f}", svh, Style(family=family, fields=("description", "result", "lead", "partner",
                                                                      "timeframe"), widths=(7, 4.5, 3, 3, 2.6)), 0),
            (f"combined chủ trì/phối hợp, {f}", ubnd,
             Style(family=family, fields=("stt", "description", "timeframe", "lead"), widths=(1, 9, 3, 5),
                   headers=("TT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì/phối hợp")), 0),
            (f"long merged task above a section, {f}", case_plan(), Style(family=family, spacer=0.0), 0),
            (f"sub-tasks and parts, {f}", numbered_plan(), Style(family=family, section_in_one_cell=True), 0),
        ]
    out += [
        ("narrow date column, Noto Serif", ubnd, Style(family="Noto Serif", landscape=False, size=10,
                                                       widths=(1.0, 6.0, 4.5, 3.0, 3.0, 1.45)), 0),
        ("narrow date column, DejaVu Serif", ubnd, Style(family="DejaVu Serif", landscape=False, size=10,
                                                         widths=(1.0, 6.0, 4.5, 3.0, 3.0, 1.45)), 0),
        ("landscape stored portrait, /Rotate 90", ubnd, Style(), 90),
        ("landscape stored portrait, /Rotate 270", svh, Style(family="DejaVu Serif"), 270),
        ("text drawn sideways, no /Rotate", ubnd, Style(family="Liberation Sans"), -90),
        ("header on page 1 only, portrait, Liberation Sans", svh, Style(family="Liberation Sans", landscape=False,
                                                                         size=10, repeat_header=False), 0),
        ("header on page 1 only, landscape, Noto Serif", ubnd, Style(family="Noto Serif", repeat_header=False), 0),
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs and outputs here")
    parser.add_argument("--engine", default="pdfium")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="tthc-layouts-"))
    work.mkdir(parents=True, exist_ok=True)
    scores = []
    print("| layout | accuracy | rows (truth) | coverage |\n|---|---:|---:|---:|")
    for i, (name, plan, style, turn) in enumerate(cases()):
        pdf = work / f"layout{i:02d}.pdf"
        draw(plan, style, pdf)
        if turn:
            pdf = turned(pdf, work / f"layout{i:02d}_turned.pdf", abs(turn), set_rotate=turn > 0)
        truth = work / f"layout{i:02d}.truth.json"
        truth.write_text(json.dumps(as_printed(copy.deepcopy(plan), style.fields), ensure_ascii=False),
                         encoding="utf-8")
        try:
            doc = extract_document(pdf, engine=args.engine)
        except Exception as e:  # an older checkout refuses some layouts: that is the score 0
            print(f"| {name} | 0.000 (refused: {type(e).__name__}) | – | – |")
            scores.append(0.0)
            continue
        out = work / f"layout{i:02d}.json"
        out.write_text(doc.model_dump_json(), encoding="utf-8")
        rep = evaluate(out, truth)
        coverage = getattr(doc, "coverage", None)
        print(f"| {name} | {rep.accuracy:.3f} | {rep.got_rows} ({rep.truth_rows}) | "
              f"{f'{coverage.ratio:.4f}' if coverage else '–'} |")
        scores.append(rep.accuracy)
    print(f"\nmean accuracy over {len(scores)} layouts: {sum(scores) / len(scores):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
