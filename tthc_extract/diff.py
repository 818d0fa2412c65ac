"""Compare two appendices: the tasks added, removed and changed between an old and a new Document.

Numbering shifts between years (a section dropped renumbers every later one), so nothing is matched by
number. First sections are paired, one to one and best first, by the difflib ratio of their titles plus the
evidence of their tasks (the share of the old section's tasks whose most similar new task lies in the new
section): two sections with the same title are told apart by what their tasks say. Then tasks are paired,
one to one and best first, by the similarity of their descriptions: from 0.3 within paired sections, from 0.75
across them (a task moved to another section). A matched task is "changed" when its description or any
assignment's result, lead, partner or timeframe differs (whitespace and NFC aside); a new number alone is
reported as renumbered/moved, not as a change. The assignments of a matched task are aligned by content (their
result, lead and timeframe), so an added or removed assignment is listed with its cells instead of shifting every
later one.

The text report shows whole texts with the changed words marked: ``[-old-]{+new+}``, or colours on a terminal;
``format_html`` makes a self-contained side-by-side HTML page. ``tthc diff`` exits 0 when the documents do not
differ, 1 when they do, 2 on trouble (as diff(1)).

Similarity works on the texts folded as unit keys (case, tone-mark placement, "UBND"): the larger of difflib's
character ratio and a word measure that lets a shortened description still match its long form.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Literal

from tthc_extract.normalize.units import fold_key
from tthc_extract.schemas.document import Assignment, Document
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, Field
from tthc_extract.schemas.text import collapse

#: difflib's opcode tags.
OpTag = Literal["replace", "delete", "insert", "equal"]

#: Two tasks of paired sections match if their descriptions are at least this similar …
TASK_THRESHOLD = 0.3
#: … and two tasks of sections not paired (a task moved) only if at least this similar.
MOVED_THRESHOLD = 0.75
#: A task whose best match is at least this similar is evidence that their sections correspond.
EVIDENCE_THRESHOLD = 0.6
#: Two sections pair if their titles' ratio reaches this, or if half the old one's tasks point to the new one.
SECTION_THRESHOLD = 0.6
#: Bonus of a task pair whose sections are paired, when ranking pairs.
SECTION_WEIGHT = 0.25


def similarity(a: str, b: str) -> float:
    """0..1: how alike two texts are, ignoring case, spacing, punctuation and tone-mark placement.

    The larger of difflib's character ratio and a word measure: the mean of the word ratio and the share of the
    shorter text's words found in order in the longer one (so a shortened description still matches its long
    form; the share counts fully only from five words on).
    """
    fa, fb = fold_key(a), fold_key(b)
    if fa == fb:
        return 1.0
    wa, wb = re.findall(r"\w+", fa), re.findall(r"\w+", fb)
    if not wa or not wb:
        return 0.0
    chars = difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()
    words = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    shorter = min(len(wa), len(wb))
    contained = sum(m.size for m in words.get_matching_blocks()) / shorter
    weight = min(1.0, shorter / 5)
    return max(chars, (words.ratio() + weight * contained + (1 - weight) * words.ratio()) / 2)


@dataclass
class TaskRef:
    section: str
    section_title: str
    task: str
    description: str


@dataclass
class Change:
    field: str
    old: str
    new: str
    assignment: int | None = None  # 1-based, for the assignment fields (the new one's; the old one's if removed)
    units_added: list[str] = dataclasses.field(default_factory=list)
    units_removed: list[str] = dataclasses.field(default_factory=list)
    cells: dict[str, str] = dataclasses.field(default_factory=dict)  # an added or removed assignment's cells


def plan_label(doc: Document) -> str:
    """'<issuer>, plan <number/symbol>, year <year>' of a document, as far as its plan metadata says."""
    plan = doc.plan
    issuer = (plan.issuer if plan else None) or doc.title_block.issuer or "issuer unknown"
    if plan and plan.code:
        number = f"plan {plan.code}"
    elif plan and plan.symbol:
        number = f"plan (no number)/{plan.symbol}"
    else:
        number = "plan number unknown"
    year = (plan.year if plan else None) or doc.title_block.year
    return f"{issuer}, {number}, year {year or 'unknown'}"


@dataclass
class TaskPair:
    old: TaskRef
    new: TaskRef
    similarity: float
    changes: list[Change] = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def moved(self) -> bool:
        return (self.old.section, self.old.task) != (self.new.section, self.new.task)


@dataclass
class SectionPair:
    old_number: str
    old_title: str
    new_number: str
    new_title: str
    similarity: float

    @property
    def renamed(self) -> bool:
        return collapse(self.old_title) != collapse(self.new_title)


@dataclass
class DiffReport:
    old_name: str
    new_name: str
    sections: list[SectionPair]
    sections_added: list[tuple[str, str]]
    sections_removed: list[tuple[str, str]]
    tasks: list[TaskPair]
    added: list[TaskRef]
    removed: list[TaskRef]
    old_plan: str = ""
    new_plan: str = ""

    @property
    def changed(self) -> list[TaskPair]:
        return [p for p in self.tasks if p.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.sections_added or self.sections_removed)

    @property
    def differs(self) -> bool:
        """Any difference at all, renamed sections and renumbered tasks included (``tthc diff`` exits 1)."""
        return self.has_changes or any(p.moved for p in self.tasks) or any(p.renamed for p in self.sections)

    def summary(self) -> dict[str, int]:
        return {
            "sections_matched": len(self.sections), "sections_renamed": sum(p.renamed for p in self.sections),
            "sections_added": len(self.sections_added), "sections_removed": len(self.sections_removed),
            "tasks_matched": len(self.tasks), "tasks_changed": len(self.changed),
            "tasks_moved": sum(p.moved for p in self.tasks), "tasks_added": len(self.added),
            "tasks_removed": len(self.removed),
        }

    def to_json(self) -> dict:
        def pair(p: TaskPair) -> dict:
            return {"old": asdict(p.old), "new": asdict(p.new), "similarity": round(p.similarity, 4),
                    "changed": p.changed, "moved": p.moved, "changes": [asdict(c) for c in p.changes]}

        return {
            "old": self.old_name, "new": self.new_name, "old_plan": self.old_plan, "new_plan": self.new_plan,
            "differs": self.differs, "summary": self.summary(),
            "sections": {
                "matched": [{**asdict(p), "similarity": round(p.similarity, 4), "renamed": p.renamed}
                            for p in self.sections],
                "added": [{"number": n, "title": t} for n, t in self.sections_added],
                "removed": [{"number": n, "title": t} for n, t in self.sections_removed],
            },
            "tasks": {"matched": [pair(p) for p in self.tasks], "added": [asdict(t) for t in self.added],
                      "removed": [asdict(t) for t in self.removed]},
        }


def _tasks(doc: Document) -> list[tuple[int, TaskRef, list[Assignment]]]:
    return [(si, TaskRef(s.number.text, collapse(s.title.text), t.number.text, collapse(t.description.text)),
             t.assignments)
            for si, s in enumerate(doc.sections) for t in s.tasks]


def _greedy(scores: list[tuple[float, int, int]], threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs, best score first (ties: earlier old, then earlier new), above ``threshold``."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for score, i, j in sorted(scores, key=lambda x: (-x[0], x[1], x[2])):
        if score < threshold or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, score))
    return sorted(out)


def _units(a: Assignment, role: str) -> dict[str, str]:
    units = getattr(a, f"{role}_units") or []
    return {u.key: u.name for u in units}


def _cells(a: Assignment) -> dict[str, str]:
    return {f: collapse(getattr(a, f).text) for f in ASSIGNMENT_FIELDS}


def _signature(a: Assignment) -> str:
    return fold_key(" ".join(collapse(getattr(a, f).text) for f in (Field.RESULT, Field.LEAD, Field.TIMEFRAME)))


def _align(olds: list[Assignment], news: list[Assignment]) -> list[tuple[int | None, int | None]]:
    """(old index, new index) of the assignments in order: pairs, and None for one added or removed."""
    out: list[tuple[int | None, int | None]] = []
    sm = difflib.SequenceMatcher(None, [_signature(a) for a in olds], [_signature(b) for b in news], autojunk=False)
    for _, i1, i2, j1, j2 in sm.get_opcodes():
        n = min(i2 - i1, j2 - j1)
        out += [(i1 + k, j1 + k) for k in range(n)]
        out += [(i, None) for i in range(i1 + n, i2)]
        out += [(None, j) for j in range(j1 + n, j2)]
    return out


def _changes(old: TaskRef, new: TaskRef, olds: list[Assignment], news: list[Assignment]) -> list[Change]:
    out: list[Change] = []
    if old.description != new.description:
        out.append(Change(Field.DESCRIPTION, old.description, new.description))
    for i, j in _align(olds, news):
        if j is None:
            assert i is not None  # _align never pairs None with None
            out.append(Change("assignment_removed", "", "", assignment=i + 1, cells=_cells(olds[i])))
            continue
        if i is None:
            out.append(Change("assignment_added", "", "", assignment=j + 1, cells=_cells(news[j])))
            continue
        a, b = olds[i], news[j]
        for f in ASSIGNMENT_FIELDS:
            va, vb = collapse(getattr(a, f).text), collapse(getattr(b, f).text)
            if va == vb:
                continue
            c = Change(f, va, vb, assignment=j + 1)
            if f in (Field.LEAD, Field.PARTNER):
                ua, ub = _units(a, f), _units(b, f)
                c.units_added = [ub[key] for key in ub if key not in ua]
                c.units_removed = [ua[key] for key in ua if key not in ub]
            out.append(c)
    return out


def _title_ratio(a: str, b: str) -> float:
    """Plain difflib ratio of two section titles (folded): stricter than ``similarity`` for short titles."""
    fa, fb = fold_key(a), fold_key(b)
    return difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio() if fa and fb else float(fa == fb)


def diff_documents(old: Document, new: Document, old_name: str = "old", new_name: str = "new") -> DiffReport:
    """Tasks added, removed and changed from ``old`` to ``new``, matched by content (see the module doc)."""
    ot, nt = _tasks(old), _tasks(new)
    sim = [[similarity(a.description, b.description) for _, b, _ in nt] for _, a, _ in ot]
    # 1. sections: title ratio plus the share of the old section's tasks whose best match lies in the new one
    titles = [[_title_ratio(a.title.text, b.title.text) for b in new.sections] for a in old.sections]
    evidence: dict[tuple[int, int], float] = {}
    for i, (si, _, _) in enumerate(ot):
        if not nt:
            break
        j = max(range(len(nt)), key=lambda j: (sim[i][j], -j))
        if sim[i][j] >= EVIDENCE_THRESHOLD:
            evidence[(si, nt[j][0])] = evidence.get((si, nt[j][0]), 0) + 1 / max(len(old.sections[si].tasks), 1)
    sec_scores = [(titles[si][sj] + evidence.get((si, sj), 0.0), si, sj)
                  for si in range(len(old.sections)) for sj in range(len(new.sections))
                  if titles[si][sj] >= SECTION_THRESHOLD or evidence.get((si, sj), 0.0) >= 0.5]
    sec_pairs = _greedy(sec_scores, 0.0)
    paired = {(si, sj) for si, sj, _ in sec_pairs}
    # 2. tasks: within paired sections from TASK_THRESHOLD, across sections (moves) from MOVED_THRESHOLD
    scores = []
    for i, (si, _, _) in enumerate(ot):
        for j, (sj, _, _) in enumerate(nt):
            same = (si, sj) in paired
            if sim[i][j] >= (TASK_THRESHOLD if same else MOVED_THRESHOLD):
                scores.append((sim[i][j] + SECTION_WEIGHT * same, i, j))
    pairs = _greedy(scores, 0.0)
    matched_old = {i for i, _, _ in pairs}
    matched_new = {j for _, j, _ in pairs}
    task_pairs = [TaskPair(ot[i][1], nt[j][1], sim[i][j], _changes(ot[i][1], nt[j][1], ot[i][2], nt[j][2]))
                  for i, j, _ in pairs]
    used_old = {i for i, _, _ in sec_pairs}
    used_new = {j for _, j, _ in sec_pairs}
    return DiffReport(
        old_name=old_name, new_name=new_name, old_plan=plan_label(old), new_plan=plan_label(new),
        sections=[SectionPair(old.sections[i].number.text, collapse(old.sections[i].title.text),
                              new.sections[j].number.text, collapse(new.sections[j].title.text), titles[i][j])
                  for i, j, _ in sec_pairs],
        sections_added=[(s.number.text, collapse(s.title.text)) for j, s in enumerate(new.sections)
                        if j not in used_new],
        sections_removed=[(s.number.text, collapse(s.title.text)) for i, s in enumerate(old.sections)
                          if i not in used_old],
        tasks=task_pairs,
        added=[b for j, (_, b, _) in enumerate(nt) if j not in matched_new],
        removed=[a for i, (_, a, _) in enumerate(ot) if i not in matched_old],
    )


def diff_files(old: Path, new: Path) -> DiffReport:
    """Diff two JSON outputs of ``tthc extract`` (older 1.x JSON is upgraded on reading)."""
    from tthc_extract.db import load_document

    return diff_documents(load_document(old), load_document(new), str(old), str(new))


Style = Literal["plain", "color"]

#: Around deleted and inserted words: plain markers (as ``git diff --word-diff``), or ANSI colours on a terminal
#: (deleted: red, struck through; inserted: green, underlined).
MARKS: dict[str, tuple[str, str, str, str]] = {
    "plain": ("[-", "-]", "{+", "+}"),
    "color": ("\x1b[31;9m", "\x1b[0m", "\x1b[32;4m", "\x1b[0m"),
}


def _opcodes(old: str, new: str) -> tuple[list[str], list[str], list[tuple[OpTag, int, int, int, int]]]:
    a, b = old.split(), new.split()
    return a, b, difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def word_diff(old: str, new: str, style: Style = "plain") -> str:
    """The whole text with the changed words marked: ``Văn phòng [-UBND tỉnh-]{+Sở+}`` (or in colours)."""
    d0, d1, i0, i1 = MARKS[style]
    a, b, ops = _opcodes(old, new)
    out: list[str] = []
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            out.append(" ".join(a[a1:a2]))
            continue
        if a2 > a1:
            out.append(d0 + " ".join(a[a1:a2]) + d1)
        if b2 > b1:
            out.append(i0 + " ".join(b[b1:b2]) + i1)
    return " ".join(out)


def _short(text: str, width: int = 0) -> str:
    """``text`` cut to ``width`` characters with "…"; 0 (or less) means no limit."""
    return text if width <= 0 or len(text) <= width else text[: width - 1] + "…"


def _cells_text(cells: dict[str, str]) -> str:
    return " · ".join(f"{f} «{v}»" for f, v in cells.items())


def format_report(rep: DiffReport, width: int = 0, style: Style = "plain") -> str:
    """The readable text report: whole texts with the changed words marked; ``width`` > 0 shortens only the
    descriptions that name a task or section in a list (never a changed text)."""
    s = rep.summary()
    lines = [
        f"tthc diff {rep.old_name} → {rep.new_name}",
        f"old: {rep.old_plan}",
        f"new: {rep.new_plan}",
        f"Sections: {s['sections_matched']} matched ({s['sections_renamed']} renamed), {s['sections_added']} added, "
        f"{s['sections_removed']} removed",
        f"Tasks: {s['tasks_matched']} matched ({s['tasks_changed']} changed, {s['tasks_moved']} renumbered or "
        f"moved), {s['tasks_added']} added, {s['tasks_removed']} removed",
    ]
    if rep.sections_removed or rep.sections_added or any(p.renamed for p in rep.sections):
        lines += ["", "Sections:"]
        lines += [f"  - {n} {_short(t, width)}" for n, t in rep.sections_removed]
        lines += [f"  + {n} {_short(t, width)}" for n, t in rep.sections_added]
        lines += [f"  ~ {p.old_number} → {p.new_number} {word_diff(p.old_title, p.new_title, style)}"
                  for p in rep.sections if p.renamed]
    if rep.removed:
        lines += ["", "Removed tasks:"]
        lines += [f"  - {t.section}.{t.task} {_short(t.description, width)}" for t in rep.removed]
    if rep.added:
        lines += ["", "Added tasks:"]
        lines += [f"  + {t.section}.{t.task} {_short(t.description, width)}" for t in rep.added]
    if rep.changed:
        lines += ["", "Changed tasks:"]
        for p in rep.changed:
            lines.append(f"  ~ {p.old.section}.{p.old.task} → {p.new.section}.{p.new.task} "
                         f"({p.similarity:.2f}) {_short(p.new.description, width)}")
            for c in p.changes:
                if c.field == "assignment_added":
                    lines.append(f"      + assignment [{c.assignment}]: {_cells_text(c.cells)}")
                    continue
                if c.field == "assignment_removed":
                    lines.append(f"      - assignment [{c.assignment}]: {_cells_text(c.cells)}")
                    continue
                where = f"{c.field}" + (f" [{c.assignment}]" if c.assignment else "")
                lines.append(f"      {where}: {word_diff(c.old, c.new, style)}")
                if c.units_added or c.units_removed:
                    lines.append("        units " + ", ".join([*(f"+{u}" for u in c.units_added),
                                                              *(f"-{u}" for u in c.units_removed)]))
    moved = [p for p in rep.tasks if p.moved and not p.changed]
    if moved:
        lines += ["", "Renumbered or moved (unchanged):"]
        lines += [f"  = {p.old.section}.{p.old.task} → {p.new.section}.{p.new.task} {_short(p.new.description, width)}"
                  for p in moved]
    if not rep.differs:
        lines += ["", "No changes."]
    return "\n".join(lines)


def _html_sides(old: str, new: str) -> tuple[str, str]:
    """Both texts escaped, the deleted words in <del> on the old side and the inserted in <ins> on the new."""
    a, b, ops = _opcodes(old, new)
    left: list[str] = []
    right: list[str] = []
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            left.append(escape(" ".join(a[a1:a2])))
            right.append(escape(" ".join(b[b1:b2])))
            continue
        if a2 > a1:
            left.append(f"<del>{escape(' '.join(a[a1:a2]))}</del>")
        if b2 > b1:
            right.append(f"<ins>{escape(' '.join(b[b1:b2]))}</ins>")
    return " ".join(left), " ".join(right)


def _html_cells(cells: dict[str, str]) -> str:
    return "".join(f'<div><span class="f">{escape(f)}</span> {escape(v)}</div>' for f, v in cells.items())


_HTML_CSS = """
body { font-family:"DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size:14px; margin:16px; color:#1b1b1b; }
h1 { font-size:18px; } h2 { font-size:15px; margin-top:22px; }
table { border-collapse:collapse; width:100%; table-layout:fixed; }
th, td { border:1px solid #cfd4da; padding:4px 6px; vertical-align:top; text-align:left; }
th { background:#34495e; color:#fff; } td.where { width:16%; font-size:12px; color:#444; }
td.text { font-family:"Liberation Serif", "Times New Roman", serif; font-size:15px; }
del { background:#fbd3d3; color:#8b1010; } ins { background:#d3f5d3; color:#0d5e0d; text-decoration:none; }
tr.added td.new { background:#eefbee; } tr.removed td.old { background:#fdf0f0; }
.f { font-family:"DejaVu Sans Mono", monospace; font-size:11px; color:#555; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; } dt { font-weight:bold; } dd { margin:0; }
"""


def format_html(rep: DiffReport) -> str:
    """A self-contained side-by-side HTML page of the report (no script, no network)."""
    s = rep.summary()
    rows: list[str] = []

    def row(cls: str, where: str, old: str, new: str) -> None:
        rows.append(f'<tr class="{cls}"><td class="where">{where}</td><td class="text old">{old}</td>'
                    f'<td class="text new">{new}</td></tr>')

    for n, t in rep.sections_removed:
        row("removed", f"section {escape(n)} removed", f"<del>{escape(t)}</del>", "")
    for n, t in rep.sections_added:
        row("added", f"section {escape(n)} added", "", f"<ins>{escape(t)}</ins>")
    for p in rep.sections:
        if p.renamed:
            row("changed", f"section {escape(p.old_number)} → {escape(p.new_number)} title",
                *_html_sides(p.old_title, p.new_title))
    for ref in rep.removed:
        row("removed", f"task {escape(ref.section)}.{escape(ref.task)} removed",
            f"<del>{escape(ref.description)}</del>", "")
    for ref in rep.added:
        row("added", f"task {escape(ref.section)}.{escape(ref.task)} added", "",
            f"<ins>{escape(ref.description)}</ins>")
    for pair in rep.changed:
        task = (f"task {escape(pair.old.section)}.{escape(pair.old.task)} → {escape(pair.new.section)}."
                f"{escape(pair.new.task)}")
        for c in pair.changes:
            if c.field == "assignment_added":
                row("added", f"{task}<br>assignment [{c.assignment}] added", "", _html_cells(c.cells))
            elif c.field == "assignment_removed":
                row("removed", f"{task}<br>assignment [{c.assignment}] removed", _html_cells(c.cells), "")
            else:
                where = escape(c.field) + (f" [{c.assignment}]" if c.assignment else "")
                old, new = _html_sides(c.old, c.new)
                if c.units_added or c.units_removed:
                    units = ", ".join([*(f"+{u}" for u in c.units_added), *(f"-{u}" for u in c.units_removed)])
                    where += f'<br><span class="f">units {escape(units)}</span>'
                row("changed", f"{task}<br>{where}", old, new)
    for pair in rep.tasks:
        if pair.moved and not pair.changed:
            row("moved", f"task {escape(pair.old.section)}.{escape(pair.old.task)} → {escape(pair.new.section)}."
                         f"{escape(pair.new.task)} renumbered", escape(pair.old.description),
                escape(pair.new.description))
    body = ("<table><thead><tr><th>Where</th><th>Old</th><th>New</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>") if rows else '<p id="no-changes">No changes.</p>'
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>tthc diff — {escape(Path(rep.old_name).name)} → {escape(Path(rep.new_name).name)}</title>\n"
        f"<style>{_HTML_CSS}</style>\n</head>\n<body>\n"
        f"<h1>tthc diff</h1>\n<dl><dt>Old</dt><dd>{escape(rep.old_name)} — {escape(rep.old_plan)}</dd>"
        f"<dt>New</dt><dd>{escape(rep.new_name)} — {escape(rep.new_plan)}</dd></dl>\n"
        f"<p id=\"summary\">Sections: {s['sections_matched']} matched ({s['sections_renamed']} renamed), "
        f"{s['sections_added']} added, {s['sections_removed']} removed · Tasks: {s['tasks_matched']} matched "
        f"({s['tasks_changed']} changed, {s['tasks_moved']} renumbered or moved), {s['tasks_added']} added, "
        f"{s['tasks_removed']} removed</p>\n{body}\n</body>\n</html>\n"
    )


__all__ = ["DiffReport", "diff_documents", "diff_files", "format_html", "format_report", "similarity",
           "word_diff"]
