"""Text conservation: account for every character the engine read in the task table and the title block.

After normalization, every non-blank character that the engine read inside the task table's cells on every
table page (and in the title block) must be in exactly one output value — found through the value's
provenance fragments, so that this check does not trust the normalizer's own bookkeeping — or be page
furniture dropped on purpose (the header rows repeated on each page, the column-number rows, the "." after a
section's numeral). Anything else is reported:

* ``text_not_assigned`` (error): characters of a cell that no output value holds, or text inside the table
  that lies in no cell (``PageTable.stray``), with its page, box and text;
* ``text_assigned_twice`` (error): characters of a cell found in two values, other than the copies of a
  vertically merged cell (their provenance says ``merged_cell``), which are copied on purpose.

Characters are compared as multisets per cell (whitespace not counted): each value, in reading order, takes
from its cells (its fragments, in order) the characters that no earlier value took; what is left of the value
and was text of its cells is that text a second time. A cell read into two values on purpose (a section cell
"II. TITLE" read as number and title) is fully found once, and nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tthc_extract.normalize.text import nfc
from tthc_extract.normalize.title import title_lines
from tthc_extract.schemas.document import Coverage, Document, Repair, Value, Warning, WarningCode
from tthc_extract.schemas.raw import Box, PageTable, TextLine

#: A cell (or title line) on a page: (page, x0, top, x1, bottom) — the key a provenance fragment names.
Key = tuple[int, float, float, float, float]


def key(page: int, box: Box) -> Key:
    return (page, box.x0, box.top, box.x1, box.bottom)


def chars(text: str) -> Counter[str]:
    """The non-blank characters of ``text`` (NFC) as a multiset, in the order they first appear."""
    found = Counter(nfc(text))  # counted in C; the blanks (a few distinct keys at most) deleted after
    for ch in [ch for ch in found if ch.isspace()]:
        del found[ch]
    return found


@dataclass
class Ledger:
    """What was read (by cell), what was dropped on purpose, and what the output values hold."""

    read: dict[Key, Counter[str]] = field(default_factory=dict)
    texts: dict[Key, str] = field(default_factory=dict)
    furniture: int = 0
    stray: list[tuple[int, TextLine]] = field(default_factory=list)

    def add(self, page: int, box: Box, text: str) -> None:
        found = chars(text)
        if found:
            k = key(page, box)
            had = self.read.get(k)
            self.read[k] = found if had is None else had + found
            self.texts[k] = f"{self.texts[k]} {text}" if k in self.texts else text


def ledger(tables: list[PageTable], furniture_rows: list[int],
           dropped: Sequence[tuple[int, Box, str]] = ()) -> Ledger:
    """Every character the engine read in the task table's cells and title block (``tables`` are the task
    table's page tables; ``furniture_rows[i]`` header rows at the top of table i were dropped on purpose, and
    so were the ``dropped`` texts of some cells — the "." of a section heading "II. TITLE")."""
    out = Ledger()
    for table, header_rows in zip(tables, furniture_rows, strict=True):
        for cell in table.cells:
            text = " ".join(ln.text for ln in cell.lines)
            if cell.row < header_rows:
                out.furniture += sum(chars(text).values())
            else:
                out.add(table.page, cell.box, text)
        out.stray.extend((table.page, ln) for ln in table.stray)
    if tables:
        for ln in title_lines(tables[0].text_above):
            out.add(tables[0].page, ln.box, ln.text)
    for page, box, text in dropped:
        k = key(page, box)
        gone = out.read.get(k, Counter()) & chars(text)
        out.read[k] = out.read.get(k, Counter()) - gone
        out.furniture += sum(gone.values())
    return out


def output_values(doc: Document) -> Iterator[Value]:
    """Every text value of the document that holds text of its own (a merged cell's copies excluded)."""
    yield from doc.title_block.lines
    for part in doc.parts:
        yield part.number
        yield part.title
    for section in doc.sections:
        yield section.number
        yield section.title
        for task in section.tasks:
            yield task.number
            yield task.description
            for a in task.assignments:
                for v in (a.result, a.lead, a.partner, a.timeframe, *a.extra.values()):
                    if Repair.MERGED_CELL not in v.provenance.repairs:
                        yield v


def account(doc: Document, tables: list[PageTable], furniture_rows: list[int],
            dropped: Sequence[tuple[int, Box, str]] = ()) -> tuple[Coverage, list[Warning]]:
    """The coverage figures of ``doc`` and a warning for every character not in exactly one value."""
    book = ledger(tables, furniture_rows, dropped)
    cells_read = book.read
    # Multisets as plain dicts, updated in place (the Counter operators build a new Counter each time):
    # found[k] = the characters of cell k taken by values so far; doubled[k] = how many were found a second time.
    found: dict[Key, dict[str, int]] = {}
    doubled: dict[Key, int] = {}
    for v in output_values(doc):
        cells = [k for f in v.provenance.fragments if (k := key(f.page, f.box)) in cells_read]
        if not cells:
            continue
        pool = chars(v.text)
        for k in cells:  # the characters of its cells that no earlier value took
            took = found.get(k)
            if took is None:
                took = found[k] = {}
            for ch, n in cells_read[k].items():
                left = pool.get(ch, 0)
                if left > 0:
                    free = n - took.get(ch, 0)
                    if free > 0:
                        got = left if left < free else free
                        pool[ch] = left - got
                        took[ch] = took.get(ch, 0) + got
        for k in cells:  # what is left of it and was its cells' text is that text a second time
            for ch, n in cells_read[k].items():
                left = pool.get(ch, 0)
                if left > 0:
                    again = left if left < n else n
                    pool[ch] = left - again
                    doubled[k] = doubled.get(k, 0) + again
    warnings: list[Warning] = []
    assigned = unassigned = twice = 0
    nothing: dict[str, int] = {}
    for k, need in cells_read.items():
        took = found.get(k, nothing)
        missing = [(ch, n - took.get(ch, 0)) for ch, n in need.items() if n > took.get(ch, 0)]
        n_need, n_missing, n_extra = sum(need.values()), sum(m for _, m in missing), doubled.get(k, 0)
        assigned += n_need - n_missing
        unassigned += n_missing
        twice += n_extra
        if not (n_missing or n_extra):
            continue
        page, box = k[0], Box(x0=k[1], top=k[2], x1=k[3], bottom=k[4])
        if n_missing:
            lost = "".join(ch * m for ch, m in missing)
            part = "" if n_missing == n_need else f"{n_missing} of {n_need} characters ({lost!r}) of "
            warnings.append(Warning(code=WarningCode.TEXT_NOT_ASSIGNED, pages=[page], box=box,
                                    message=f"page {page}: {part}text read in the table is in no output value: "
                                            f"{book.texts[k]!r}"))
        if n_extra:
            warnings.append(Warning(code=WarningCode.TEXT_ASSIGNED_TWICE, pages=[page], box=box,
                                    message=f"page {page}: text of a cell is in two output values: "
                                            f"{book.texts[k]!r}"))
    for page, line in book.stray:
        n = sum(chars(line.text).values())
        unassigned += n
        warnings.append(Warning(code=WarningCode.TEXT_NOT_ASSIGNED, pages=[page], box=line.box,
                                message=f"page {page}: text inside the table lies in no cell: {line.text!r}"))
    read = sum(sum(c.values()) for c in book.read.values()) + book.furniture + sum(
        sum(chars(ln.text).values()) for _, ln in book.stray)
    ratio = (assigned + book.furniture) / read if read else 1.0
    coverage = Coverage(read=read, assigned=assigned, furniture=book.furniture, unassigned=unassigned,
                        assigned_twice=twice, ratio=round(ratio, 6))
    return coverage, warnings
