"""Cross-check two Documents of one PDF (e.g. from two engines) cell by cell.

Sections, tasks and assignments are paired by position; every field whose text differs, and every record
only one side has, is one :class:`Disagreement`. Provenance (boxes, repairs) is not compared: two engines
may place a value a fraction of a point apart and still agree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from tthc_extract.schemas.document import Assignment, Document, Section, Task, Value
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, extra_field

MISSING = "(missing)"


@dataclass(frozen=True)
class Disagreement:
    """One cell (or record) on which two Documents differ."""

    where: str  # "title block", "section II", "section II task 3", "section II task 3 assignment 2"
    field: str  # the field name, or "record" when one side lacks the whole record
    a: str
    b: str
    pages: list[int] = dataclasses.field(default_factory=list)

    def line(self, name_a: str = "a", name_b: str = "b") -> str:
        page = f" (p.{','.join(map(str, self.pages))})" if self.pages else ""
        return f"{self.where} {self.field}{page}: {name_a} {self.a!r} ≠ {name_b} {self.b!r}"


def _pages(*values: Value | None) -> list[int]:
    return sorted({p for v in values if v is not None for p in v.provenance.pages})


def _value(where: str, name: str, a: Value | None, b: Value | None, out: list[Disagreement]) -> None:
    ta = a.text if a is not None else MISSING
    tb = b.text if b is not None else MISSING
    if ta != tb:
        out.append(Disagreement(where, name, ta, tb, _pages(a, b)))


def _section_label(s: Section | None, t: Section | None, i: int) -> str:
    either = s or t
    num = either.number.text if either is not None else ""
    return f"section {num or '#' + str(i + 1)}"


def _assignment(where: str, a: Assignment | None, b: Assignment | None, out: list[Disagreement]) -> None:
    if a is None or b is None:
        one = a or b
        pages = [one.page_first] if one is not None else []
        summary = " | ".join(getattr(one, f).text for f in ASSIGNMENT_FIELDS) if one is not None else ""
        out.append(Disagreement(where, "record", summary if a else MISSING, summary if b else MISSING, pages))
        return
    for name in ASSIGNMENT_FIELDS:
        _value(where, name, getattr(a, name), getattr(b, name), out)
    for key in sorted(set(a.extra) | set(b.extra)):
        _value(where, extra_field(key), a.extra.get(key), b.extra.get(key), out)


def _task(where: str, a: Task | None, b: Task | None, out: list[Disagreement]) -> None:
    if a is None or b is None:
        one = a or b
        text = f"{one.number.text} {one.description.text}".strip() if one is not None else ""
        out.append(Disagreement(where, "record", text if a else MISSING, text if b else MISSING,
                                _pages(one.description if one else None)))
        return
    _value(where, "number", a.number, b.number, out)
    _value(where, "description", a.description, b.description, out)
    for k, (x, y) in enumerate(zip_longest(a.assignments, b.assignments)):
        _assignment(f"{where} assignment {k + 1}", x, y, out)


def compare(a: Document, b: Document) -> list[Disagreement]:
    """Every cell on which ``a`` and ``b`` disagree, in document order (empty when they agree)."""
    out: list[Disagreement] = []
    for name in ("heading", "title", "attachment_line"):
        ta, tb = getattr(a.title_block, name), getattr(b.title_block, name)
        if ta != tb:
            out.append(Disagreement("title block", name, ta, tb))
    for i, (s, t) in enumerate(zip_longest(a.sections, b.sections)):
        where = _section_label(s, t, i)
        if s is None or t is None:
            one = s or t
            text = f"{one.number.text} {one.title.text}".strip()
            out.append(Disagreement(where, "record", text if s else MISSING, text if t else MISSING,
                                    _pages(one.title)))
            continue
        _value(where, "number", s.number, t.number, out)
        _value(where, "title", s.title, t.title, out)
        for j, (x, y) in enumerate(zip_longest(s.tasks, t.tasks)):
            num = (x or y).number.text
            _task(f"{where} task {num or '#' + str(j + 1)}", x, y, out)
    return out


def report(a: Document, b: Document, name_a: str, name_b: str) -> list[str]:
    """One line per disagreement, then the count."""
    found = compare(a, b)
    lines = [d.line(name_a, name_b) for d in found]
    lines.append(f"{len(found)} disagreement{'s' if len(found) != 1 else ''} between {name_a} and {name_b}")
    return lines


def cross_check_results(results: list, out_dir: Path, engine: str, other: str, password: str | None) -> list[str]:
    """For each extracted (or unchanged) input of a batch, run ``other`` and compare its Document with the
    one ``engine`` wrote to ``out_dir``; the lines to print (disagreements, then a count per file)."""
    from tthc_extract.errors import InputError
    from tthc_extract.runner import extract_document

    lines: list[str] = []
    for r in results:
        if r.status == "failed":
            continue
        path = Path(r.path)
        try:
            mine = Document.model_validate_json((out_dir / f"{r.stem or path.stem}.json").read_bytes())
            theirs = extract_document(path, engine=other, password=password)
        except InputError as e:
            lines.append(f"FAILED  {path}: cross-check with {other}: {e.message}")
            continue
        except Exception as e:  # a failed comparison must not hide the extraction's success
            lines.append(f"FAILED  {path}: cross-check with {other}: {type(e).__name__}: {e}")
            continue
        found = report(mine, theirs, engine, other)
        lines.append(f"cross-check {path}: {found[-1]}")
        lines.extend(f"    {line}" for line in found[:-1])
    return lines
