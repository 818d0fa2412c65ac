"""Section and task numbers that break their sequence, repaired where the readings around them fix what
they must be (their confidence cut, so the audit shows it)."""


from __future__ import annotations

import re
from collections.abc import Callable

from tthc_extract.extract.ocr.reading import _NUMERAL_LIKE, fix_numeral
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

#: A number changed to fit the sequence keeps this fraction of its confidence: the change is visible to the
#: audit (the value's confidence drops far below that of a clean reading) and never silent.
RENUMBERED_CONF = 0.5
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_STEPS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """``n`` (1-399) in Roman numerals."""
    out = []
    for value, letters in _ROMAN_STEPS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def roman_value(text: str) -> int | None:
    """The value of a well-formed Roman numeral ("XIV" → 14), or None."""
    t = text.strip().rstrip(".)")
    if not t or any(ch not in _ROMAN for ch in t):
        return None
    total = 0
    for a, b in zip(t, t[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b in _ROMAN and _ROMAN[b] > v else v
    return total if 0 < total < 400 and roman(total) == t else None


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _renumber(slots: list[tuple[Cell, str, int | None]], spell: Callable[[int], str], *,
              repeat_gives_way: bool = False) -> list[tuple[Cell, str]]:
    """The cells of one numbering sequence 1, 2, 3, … (``slots``: cell, text as read, value or None) whose
    number breaks it, with the number each must be.

    Two readings that agree with each other (the later one exceeds the earlier by their distance in the
    sequence; the sequence starts from 0 before its first entry) pin every entry between them: a single entry
    always gives way ("I" between "I" and "III"), a longer stretch when each reading is one character from
    what it must be ("VI", "VII" between "V" and "IX"). After the last pinned entry, a reading one character
    from its predecessor + 1 that is no number or a smaller one gives way ("Vv" after "IV", "2" after "4"). A
    true gap (a section left out) pins nothing. With ``repeat_gives_way`` (section numbers: two sections never
    share one, a row continued on the next page is no new section) a reading equal to its predecessor gives way
    too ("VI" after "VI" at the end: a stem of "VII" lost).
    """
    values = [v for _, _, v in slots]
    offset = [None if v is None else v - i for i, v in enumerate(values)]
    fixes: list[tuple[Cell, str]] = []

    def fix(i: int, want: int) -> None:
        if values[i] != want:
            fixes.append((slots[i][0], spell(want)))
            values[i] = want

    last_of: dict[int, int] = {1: -1}  # offset (value - index) → the last entry with it; the start: 0 before 0
    last = -1  # the last entry in line with an earlier one
    for i, k in enumerate(offset):
        if k is None:
            continue
        j = last_of.get(k)
        if j is not None:
            stretch = range(j + 1, i)
            if len(stretch) == 1 or all(_edit1(slots[m][1].rstrip(".)"), spell(m + k)) for m in stretch):
                for m in stretch:
                    fix(m, m + k)
            last = i
        last_of[k] = i
    # after the last entry in line: a reading one character from the next number that is no number, or a number
    # below its predecessor, gives way, one after another (a higher number may follow a true gap; the same one
    # is a row continued on the next page with its number repeated; a 1 may start a section whose row was missed)
    for i in range(last + 1, len(slots)):
        prev = values[i - 1] if i > 0 else 0
        value = values[i]
        repeated = repeat_gives_way and value == prev
        if prev is None or (value is not None and not repeated and (value >= prev or value == 1)) or not _edit1(
                slots[i][1].rstrip(".)"), spell(prev + 1)):
            break
        fix(i, prev + 1)
    return fixes


def enforce_numbering(tables: list[PageTable]) -> int:
    """Repair the section numbers (Roman, in the first column, consecutive through the document) and the task
    numbers (Arabic, restarting at 1 after each section number) that break their sequence; a task row's (its
    other cells apart, not merged into a title) "1" read as "I" is the number 1.

    A number is changed only when its neighbours fix what it must be (see ``_renumber``); its cell's
    confidence is then cut to ``RENUMBERED_CONF`` of what it was and its line keeps the reading (``ocr_read``),
    so the output's warnings and the audit show the repair.
    Returns the number of cells changed.
    """
    sections: list[tuple[Cell, str, int | None]] = []
    tasks: list[list[tuple[Cell, str, int | None]]] = [[]]
    fixes: list[tuple[Cell, str]] = []
    for table in tables:
        # a section row has its title merged across the other columns, or (a layout that does not merge it) its
        # title alone with every column after it blank; a task row has its other cells apart and filled
        filled = {c.row for c in table.cells if c.col >= 2 and c.lines}
        merged = {c.row for c in table.cells if c.col == 1 and c.col_span > 1}
        title_only = {c.row for c in table.cells if c.col == 1 and c.col_span == 1 and c.lines} - filled
        split = {c.row for c in table.cells if c.col == 1 and c.col_span == 1}
        for cell in sorted((c for c in table.cells if c.col == 0 and c.lines), key=lambda c: c.row):
            text = "".join(cell.text.split())  # a numeral wrapped in the narrow column: "VII" over "I"
            roman_like = bool(_NUMERAL_LIKE.match(text) or re.fullmatch(r"[IVXLCvx]{1,7}[.)]?", text))
            if cell.row == 0 and not roman_like and not any(ch.isdigit() for ch in text):
                continue  # the header repeated at the page's top ("STT"): no entry of a sequence
            if cell.row in title_only and roman_like and not text.rstrip(".)").isdigit():
                merged.add(cell.row)  # a section row of a layout that does not merge its title
                split.discard(cell.row)
            if cell.row in split and roman_like and fix_numeral(text).rstrip(".)") == "I" and sections:
                fixes.append((cell, "1"))  # a task row's "1" read as a Roman "I"
                tasks[-1].append((cell, "1", 1))
            elif cell.row in split or (cell.row not in merged and text.isdigit()):
                number = text.rstrip(".)")
                tasks[-1].append((cell, text, int(number) if number.isdigit() and len(number) <= 3 else None))
            elif cell.row in merged or roman_like:
                upper = fix_numeral(text.upper())
                if roman_value(upper) is not None and upper != text:
                    fixes.append((cell, upper))  # read as text: "VHI" is "VIII"
                sections.append((cell, upper, roman_value(upper)))
                tasks.append([])
    fixes += _renumber(sections, roman, repeat_gives_way=True)
    for run in tasks:
        fixes += _renumber(run, str)
    final = {id(cell): (cell, text) for cell, text in fixes}  # the last repair of a cell stands
    for cell, text in final.values():
        line = cell.lines[0]
        cell.lines[:] = [line.model_copy(update={"text": text, "ocr_read": cell.text})]
        cell.confidence = round((cell.confidence or 1.0) * RENUMBERED_CONF, 3)
    return len(final)




def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def join_split_titles(tables: list[PageTable]) -> int:
    """Join a section title that a spurious column side split (in place); return the number of rows joined.

    A section row's title runs merged across the row. On a blurred scan a bold capital's stem can join the end
    of a column rule and cover the side of a column inside the title, which then reads as two cells ("CÔNG BỐ,
    CÔNG KHAI, CẬP NHẬT" | "TTHC"), and the row is taken for a task. A row whose first cell holds a Roman numeral,
    whose second cell spans two or more columns and whose cells from the second on hold only capitals (a task's
    cells hold ordinary type: a unit, a date) is such a title: its cells from the second on become one cell across
    the rest of the row, their text lines joined line by line in reading order, the confidence the lowest.
    """
    joined = 0
    for table in tables:
        rows: dict[int, list[Cell]] = {}
        for cell in table.cells:
            rows.setdefault(cell.row, []).append(cell)
        for r, cells in rows.items():
            cells.sort(key=lambda c: c.col)
            first, rest = cells[0], cells[1:]
            if first.col != 0 or len(rest) < 2 or rest[0].col != 1 or rest[0].col_span < 2:
                continue
            if rest[-1].col + rest[-1].col_span != table.n_cols or any(c.row_span != 1 for c in cells):
                continue
            number = fix_numeral("".join(first.text.split()).upper()).rstrip(".)")
            if roman_value(number) is None or not all(_capitals(c.text) for c in rest if c.lines):
                continue
            title = Cell(row=r, col=1, row_span=1, col_span=table.n_cols - 1, lines=_join_lines(rest),
                         box=rest[0].box.union(rest[-1].box),
                         confidence=min((c.confidence for c in rest if c.confidence is not None), default=None))
            table.cells[:] = [c for c in table.cells if c.row != r or c.col == 0] + [title]
            table.cells.sort(key=lambda c: (c.row, c.col))
            joined += 1
    return joined


def _join_lines(cells: list[Cell]) -> list[TextLine]:
    """The text lines of cells side by side as one cell's: lines at the same height joined left to right."""
    lines = sorted((ln for c in cells for ln in c.lines), key=lambda ln: ln.box.top)
    groups: list[list[TextLine]] = []
    for ln in lines:
        last = groups[-1][-1] if groups else None
        mid = (ln.box.top + ln.box.bottom) / 2
        if last is not None and groups[-1][0].box.top <= mid <= groups[-1][0].box.bottom:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    out = []
    for group in groups:
        group.sort(key=lambda ln: ln.box.x0)
        box = group[0].box
        for ln in group[1:]:
            box = box.union(ln.box)
        out.append(TextLine(text=" ".join(ln.text for ln in group), box=Box(**box.model_dump())))
    return out
