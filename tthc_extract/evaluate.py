"""Compare an extraction (our JSON or CSV) with a ground-truth JSON, cell by cell.

Rows (one per assignment) are aligned in order with a dynamic-programming alignment, so a missing or an
extra row is reported as such instead of shifting every later row. Accuracy counts exact cell matches
(after collapsing whitespace and NFC) over all truth cells plus the cells of extra rows. Character accuracy
is 1 − CER: the Levenshtein distance between output and truth summed over the cells (a missing row counts all
its truth characters, an extra row all its own), divided by the number of truth characters — per column and
overall (the title block included) — the measure for OCR output, where a cell is often off by one diacritic.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS
from tthc_extract.schemas.text import collapse

EVAL_FIELDS = ("section", "section_title", "task", "description", "result", "lead", "partner", "timeframe")
TITLE_FIELDS = ("heading", "title", "attachment_line")
#: Two rows are aligned only if at least this many of their cells agree.
MIN_SHARED = 3


def clean(text: object) -> str:
    return collapse(str(text if text is not None else ""))


@dataclass
class Table:
    rows: list[dict[str, str]]
    title: dict[str, str] = field(default_factory=dict)


def _text(v: object) -> str:
    return clean(v.get("text", "") if isinstance(v, dict) else v)


def load(path: Path) -> Table:
    """Load a truth JSON, our output JSON, or our output CSV into flat rows."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return Table([{k: clean(r.get(k, "")) for k in (*EVAL_FIELDS, "page_first", "page_last")} for r in
                          csv.DictReader(f)])
    data = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    for s in data.get("sections", []):
        for t in s.get("tasks", []):
            for a in t.get("assignments", []):
                row = {
                    "section": _text(s.get("number")),
                    "section_title": _text(s.get("title")),
                    "task": _text(t.get("number")),
                    "description": _text(t.get("description")),
                }
                row.update({k: _text(a.get(k)) for k in ASSIGNMENT_FIELDS})
                row["page_first"] = str(a.get("page_first", ""))
                row["page_last"] = str(a.get("page_last", ""))
                rows.append(row)
    block = data.get("title_block") or data.get("doc") or {}
    title = {k: clean(block.get(k, "")) for k in TITLE_FIELDS if k in block}
    return Table(rows, title)


@dataclass
class Mismatch:
    row: int | None  # 1-based truth row, None for an extra row
    field: str
    expected: str
    got: str
    page: str = ""


@dataclass
class Report:
    truth_rows: int
    got_rows: int
    correct: dict[str, int]
    missing: list[int]  # truth row numbers (1-based)
    extra: list[int]  # output row numbers (1-based)
    mismatches: list[Mismatch]
    title_checked: int = 0
    title_correct: int = 0
    char_errors: dict[str, int] = field(default_factory=dict)  # Levenshtein distance summed, by column
    char_total: dict[str, int] = field(default_factory=dict)  # truth characters, by column

    def add_chars(self, column: str, expected: str, got: str) -> None:
        self.char_errors[column] = self.char_errors.get(column, 0) + levenshtein(expected, got)
        self.char_total[column] = self.char_total.get(column, 0) + len(expected)

    @property
    def char_accuracy(self) -> float:
        """1 − CER over every compared cell (title block included)."""
        total = sum(self.char_total.values())
        return 1.0 - sum(self.char_errors.values()) / total if total else 1.0

    def char_columns(self) -> dict[str, float]:
        return {c: (1.0 - self.char_errors[c] / n if n else 1.0) for c, n in self.char_total.items()}

    @property
    def cells(self) -> int:
        return (self.truth_rows + len(self.extra)) * len(EVAL_FIELDS) + self.title_checked

    @property
    def accuracy(self) -> float:
        total = self.cells
        return (sum(self.correct.values()) + self.title_correct) / total if total else 1.0

    def column_accuracy(self) -> dict[str, float]:
        n = self.truth_rows + len(self.extra)
        return {f: (self.correct[f] / n if n else 1.0) for f in EVAL_FIELDS}

    def to_json(self) -> dict:
        return {
            "accuracy": self.accuracy,
            "columns": self.column_accuracy(),
            "char_accuracy": self.char_accuracy,
            "char_columns": self.char_columns(),
            "truth_rows": self.truth_rows,
            "output_rows": self.got_rows,
            "missing_rows": self.missing,
            "extra_rows": self.extra,
            "title_block": {"checked": self.title_checked, "correct": self.title_correct},
            "mismatches": [m.__dict__ for m in self.mismatches],
        }


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions of characters) between two strings."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _shared(a: dict[str, str], b: dict[str, str]) -> int:
    return sum(a[f] == b[f] for f in EVAL_FIELDS)


def align(truth: list[dict[str, str]], got: list[dict[str, str]]) -> list[tuple[int | None, int | None]]:
    """Pairs (truth index, output index) maximising agreeing cells; None marks a missing or extra row."""
    n, m = len(truth), len(got)
    score = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            s = _shared(truth[i], got[j])
            if s >= MIN_SHARED:
                best = max(best, s + score[i + 1][j + 1])
            score[i][j] = best
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        s = _shared(truth[i], got[j])
        if s >= MIN_SHARED and score[i][j] == s + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs.extend((k, None) for k in range(i, n))
    pairs.extend((None, k) for k in range(j, m))
    return pairs


def evaluate(output: Path, truth_path: Path) -> Report:
    got, truth = load(output), load(truth_path)
    correct = dict.fromkeys(EVAL_FIELDS, 0)
    report = Report(len(truth.rows), len(got.rows), correct, [], [], [])
    for ti, gi in align(truth.rows, got.rows):
        if gi is None:
            assert ti is not None  # align never pairs None with None
            report.missing.append(ti + 1)
            t = truth.rows[ti]
            label = f"{t['section']}.{t['task']} {t['result']}"
            report.mismatches.append(Mismatch(ti + 1, "(row)", label, "(missing)"))
            for f in EVAL_FIELDS:
                report.add_chars(f, t[f], "")
            continue
        g = got.rows[gi]
        page = g.get("page_first", "")
        if ti is None:
            report.extra.append(gi + 1)
            report.mismatches.append(Mismatch(None, "(row)", "(none)", f"{g['section']}.{g['task']} {g['result']}",
                                              page))
            for f in EVAL_FIELDS:
                report.add_chars(f, "", g[f])
            continue
        t = truth.rows[ti]
        for f in EVAL_FIELDS:
            report.add_chars(f, t[f], g[f])
            if t[f] == g[f]:
                correct[f] += 1
            else:
                report.mismatches.append(Mismatch(ti + 1, f, t[f], g[f], page))
    for k, expected in truth.title.items():
        if not expected or k not in got.title:
            continue
        report.title_checked += 1
        report.add_chars("title_block", expected, got.title[k])
        if got.title[k] == expected:
            report.title_correct += 1
        else:
            report.mismatches.append(Mismatch(None, f"title_block.{k}", expected, got.title[k]))
    return report


def format_report(name: str, report: Report, limit: int = 50) -> str:
    lines = [f"{name}: accuracy {report.accuracy:.4f} ({report.truth_rows} truth rows, {report.got_rows} output rows, "
             f"{len(report.missing)} missing, {len(report.extra)} extra)"]
    lines.append("  " + "  ".join(f"{f}={v:.3f}" for f, v in report.column_accuracy().items()))
    lines.append(f"  characters: {report.char_accuracy:.4f} (1 − CER)  "
                 + "  ".join(f"{f}={v:.3f}" for f, v in report.char_columns().items()))
    if report.title_checked:
        lines.append(f"  title block: {report.title_correct}/{report.title_checked} exact")
    for m in report.mismatches[:limit]:
        where = f"row {m.row}" if m.row else "extra row" if m.field == "(row)" else "title"
        page = f" p.{m.page}" if m.page else ""
        lines.append(f"  {where}{page} {m.field}: expected {m.expected!r} got {m.got!r}")
    if len(report.mismatches) > limit:
        lines.append(f"  … {len(report.mismatches) - limit} more mismatches (use --json for all)")
    return "\n".join(lines)
