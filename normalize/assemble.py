"""Turn the task table's page grids into logical rows: pages stitched, merged cells resolved.

Walks the grid rows of every page in reading order. For each row and column it finds the cell that
covers that position and decides where the row's text goes:

* a row at the top of a page with an empty STT continues the last row of the previous page (a row split
  across the page break) when every column in which it has text had no room left on the previous page;
  otherwise it is a new row (e.g. the next assignment of a vertically merged task that crosses the break);
* a position covered by a vertically merged cell gets that cell's value (also when the merged cell started
  on the previous page and its fragment on this page is blank);
* repeated header rows (and column-number rows) are dropped.

Each value records the cell boxes it came from and how it was obtained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tthc_extract.normalize.header import HeaderMatch, is_repeated_header, number_row_only
from tthc_extract.normalize.numbering import PART_NUMBER, PART_TITLE
from tthc_extract.normalize.settings import DEFAULT_SETTINGS, NormalizeSettings
from tthc_extract.normalize.text import inner_right, join_fragments, join_lines
from tthc_extract.normalize.title import is_page_number
from tthc_extract.schemas.document import Fragment, Repair
from tthc_extract.schemas.fields import Field
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
#: A section heading written in one cell across the whole row: "VIII. THỰC HIỆN TTHC …".
ROMAN_TITLE = re.compile(r"^((?=[IVXLC])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3}))([.:)]?)\s+(\S.*)$")


@dataclass
class Acc:
    """A value being assembled from one or more cell fragments."""

    text: str = ""
    fragments: list[Fragment] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    last_line: TextLine | None = None
    inner_right: float = 0.0
    confidence: float | None = None  # OCR: the lowest confidence of the cells read into it
    origin: Acc | None = None  # a merged cell's copy: the value of the row where the cell starts
    copies: list[Acc] = field(default_factory=list)  # the origin's copies in the other rows it covers
    ocr_read: str | None = None  # OCR: the text as Tesseract read it, when the engine's repairs changed it

    def add_confidence(self, confidence: float | None) -> None:
        if confidence is not None:
            self.confidence = confidence if self.confidence is None else min(self.confidence, confidence)

    def add_repair(self, repair: Repair) -> None:
        if repair not in self.repairs:
            self.repairs.append(repair)

    def copy_merged(self) -> Acc:
        """The value as seen from another row that the same merged cell covers (kept in step with it)."""
        origin = self.origin or self
        out = Acc(self.text, list(self.fragments), list(self.repairs), self.last_line, self.inner_right,
                  self.confidence, origin=origin, ocr_read=self.ocr_read)
        out.add_repair(Repair.MERGED_CELL)
        origin.copies.append(out)
        return out

    def extend(self, more: Acc, first_line: TextLine | None, fragment: Fragment, *, no_spaces: bool,
               settings: NormalizeSettings = DEFAULT_SETTINGS) -> None:
        """Append the next fragment of a cell split across a page break — to the merged cell's origin and to
        every copy of it, so that the text reaches the value that is output whichever row continues."""
        origin = self.origin or self
        for acc in (origin, *origin.copies):
            if acc.ocr_read is not None or more.ocr_read is not None:
                acc.ocr_read = join_fragments(acc.ocr_read or acc.text, more.ocr_read or more.text, acc.last_line,
                                              first_line, acc.inner_right, no_spaces=no_spaces, settings=settings)
                acc.add_repair(Repair.OCR_REPAIRED)
            acc.text = join_fragments(acc.text, more.text, acc.last_line, first_line, acc.inner_right,
                                      no_spaces=no_spaces, settings=settings)
            acc.fragments.append(fragment)
            acc.last_line = more.last_line
            acc.inner_right = more.inner_right
            acc.add_confidence(more.confidence)
            acc.add_repair(Repair.JOINED_ACROSS_PAGES)


#: A logical row: a part heading above sections, a section heading, or a task / assignment row.
RowKind = Literal["part", "section", "row"]


@dataclass
class Row:
    """One logical row: a section heading or a task/assignment row."""

    kind: RowKind
    values: dict[str, Acc]
    pages: list[int]
    covered: set[str] = field(default_factory=set)  # fields whose cell started in an earlier row

    def text(self, name: str) -> str:
        acc = self.values.get(name)
        return acc.text if acc else ""

    def own_text(self) -> bool:
        """Has the row text in a cell of its own (not only in merged cells that started above it)?"""
        return any(acc.text for n, acc in self.values.items() if n not in self.covered)


def _fresh(cell: Cell, page: int, name: str, settings: NormalizeSettings = DEFAULT_SETTINGS) -> Acc:
    right = inner_right(cell.box, cell.lines, settings)
    text = join_lines(cell.lines, cell.box, no_spaces=(name == Field.STT), right=right, settings=settings)
    acc = Acc(
        text=text,
        fragments=[Fragment(page=page, box=cell.box)],
        last_line=cell.lines[-1] if cell.lines else None,
        inner_right=right,
        confidence=cell.confidence if cell.lines else None,
    )
    if any(ln.ocr_read is not None for ln in cell.lines):  # the OCR engine repaired what it read
        read = [ln.model_copy(update={"text": ln.ocr_read}) if ln.ocr_read is not None else ln for ln in cell.lines]
        acc.ocr_read = join_lines(read, cell.box, no_spaces=(name == Field.STT), right=right, settings=settings)
        acc.add_repair(Repair.OCR_REPAIRED)
    return acc


def _top_gap(table: PageTable, settings: NormalizeSettings = DEFAULT_SETTINGS) -> float:
    """The typical space between a cell's top rule and its first line (the cell padding): the lower quartile,
    at most ``settings.max_top_gap``."""
    gaps = sorted(c.lines[0].box.top - c.box.top for c in table.cells if c.lines)
    if not gaps:
        return settings.default_top_gap
    return min(max(gaps[len(gaps) // 4], 0.0), settings.max_top_gap)


def table_pitch(table: PageTable, settings: NormalizeSettings = DEFAULT_SETTINGS) -> float:
    """Baseline-to-baseline distance of wrapped lines on this page (the median over all cells)."""
    steps = sorted(
        b.box.top - a.box.top
        for c in table.cells
        for a, b in zip(c.lines, c.lines[1:], strict=False)
        if b.box.top > a.box.top
    )
    if steps:
        return steps[len(steps) // 2]
    heights = sorted(ln.box.bottom - ln.box.top for c in table.cells for ln in c.lines)
    return settings.pitch_per_height * heights[len(heights) // 2] if heights else settings.default_pitch


def has_room(cell: Cell, top_gap: float, pitch: float, settings: NormalizeSettings = DEFAULT_SETTINGS) -> bool:
    """True when the cell's text ended with room for at least one more line inside the cell.

    A cell whose text continues on the next page filled its fragment to the bottom: one more line would
    have needed a whole line slot below its last line's slot (``pitch``, the glyph box at the slot's top and
    the leading below it) and the cell's bottom padding (taken equal to its top padding, ``top_gap``):
    ``settings.room_lines`` pitches and the padding below the last line's top.
    """
    if not cell.lines:
        return True
    last = cell.lines[-1].box
    return cell.box.bottom - last.top >= settings.room_lines * pitch + top_gap


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral ("VIII" → 8), or None if the text is not one."""
    numeral = numeral.strip().rstrip(".").upper()
    if not numeral or not ROMAN.match(numeral):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


def _continues_heading(last: Row, texts: dict[str, str], fields: dict[str, Cell], n_cols: int) -> bool:
    """Is the top row of a page the rest of a section heading whose Roman numeral wrapped in a narrow STT
    cell ("VII" + "I", "XL" + "VI")? It is when the two parts make one numeral and the second part alone is
    not the section expected next (a heading with no task yet, then the following section, stays two)."""
    if last.kind != "section" or not texts.get(Field.STT) or not is_section_row(texts, fields, n_cols):
        return False
    head, tail = last.text(Field.STT).rstrip("."), texts[Field.STT].replace(" ", "")
    whole, alone, before = roman_value(head + tail), roman_value(tail), roman_value(head)
    return whole is not None and not (alone is not None and before is not None and alone == before + 1)


def continues(last: Row, texts: dict[str, str], prev_last: dict[str, Cell], prev_room: dict[str, bool]) -> bool:
    """Is the top row of a page (``texts`` by field) the rest of ``last``, the row that ended the page before?

    * a number in the STT column starts a new row;
    * text in the Nhiệm vụ column continues the row (the next assignment of a vertically merged task has a
      blank task cell; a new task has a number); after a section heading, it continues the heading; in a
      table without an STT column a new task has no number: a description opening with a capitalised word
      beside a lead and a timeframe starts one, else the room left decides;
    * a row whose own cells were all blank at the foot of the previous page is continued (a word processor
      drew its first, empty fragment there);
    * otherwise the row continues when every column in which it has text had no room left on the previous
      page (a row moved whole to the next page — the next assignment of a merged task — leaves room).
    """
    if texts.get(Field.STT):
        return False
    with_text = [n for n, t in texts.items() if t]
    if last.kind in ("section", "part"):
        return with_text == [Field.DESCRIPTION]
    if (texts.get(Field.DESCRIPTION) and Field.STT in prev_last) or not with_text or not last.own_text():
        return True  # (a row with no text of its own ending a page is the blank fragment of this one)
    if (Field.STT not in prev_last and starts_sentence(texts.get(Field.DESCRIPTION, ""))
            and all(texts.get(n) for n in REQUIRED_ASSIGNMENT if n in texts)):
        return False  # no STT column: a description opening with a capitalised word, a lead and a time: a task
    return all(n in prev_last and not prev_room[n] for n in with_text)


def starts_sentence(text: str) -> bool:
    """Does a text open with a capitalised word ("Theo dõi", "Tiếp nhận"; not "UBND", "của")? In a table without
    an STT column this tells a task moved whole to the next page from one whose one-line cells were all full."""
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def is_section_row(texts: dict[str, str], owners: dict[str, Cell], n_cols: int) -> bool:
    stt = texts.get(Field.STT, "")
    return bool(ROMAN.match(stt.replace(" ", ""))) and _rest_is_title(texts, owners, n_cols)


@dataclass
class Assembly:
    rows: list[Row] = field(default_factory=list)
    #: (page, line) of text between tables, where none was expected
    unexpected: list[tuple[int, TextLine]] = field(default_factory=list)
    #: per table: how many grid rows at its top were dropped as the (repeated) header (with its column-number row)
    furniture_rows: list[int] = field(default_factory=list)
    #: (page, cell box, text) read from a cell and dropped on purpose
    dropped: list[tuple[int, Box, str]] = field(default_factory=list)


@dataclass
class PageBreak:
    """What the page before told about the row it ended with, for the top row of the next page."""

    #: the cells of the previous page's last grid row, by field (empty before the first page's break)
    prev_last: dict[str, Cell] = field(default_factory=dict)
    #: whether each of those cells had room left for one more line (``has_room``)
    prev_room: dict[str, bool] = field(default_factory=dict)
    #: the previous page's cell padding above the first line (``_top_gap``) and its line pitch (``table_pitch``)
    top_gap: float = 0.0
    pitch: float = 0.0

    @classmethod
    def after(cls, table: PageTable, owner: list[list[Cell]], names: list[str],
              settings: NormalizeSettings) -> PageBreak:
        """The break after ``table`` (``owner``: its ``owner()`` grid): its last grid row's cells and whether
        each had room left."""
        last = _fields({names[c]: owner[table.n_rows - 1][c] for c in range(table.n_cols)}, names)
        top_gap, pitch = _top_gap(table, settings), table_pitch(table, settings)
        return cls(last, {n: has_room(cell, top_gap, pitch, settings) for n, cell in last.items()}, top_gap, pitch)


@dataclass
class GridRow:
    """One grid row of a page's table, by field: the cell of each field, the cells that start in this row, and
    their text."""

    page: int
    fields: dict[str, Cell]
    firsts: dict[str, Cell]
    texts: dict[str, str]


def assemble(tables: list[PageTable], header: HeaderMatch, names: list[str],
             settings: NormalizeSettings = DEFAULT_SETTINGS) -> Assembly:
    """Logical rows of the task table spread over ``tables`` (one per page, in order).

    ``names`` gives the field name of every grid column (stt, description, result, …, or extra:<header>).
    Each grid row is one of three kinds, each read by its own function: the rest of the row that ended the
    previous page (``_page_top_continues``, then ``_continue_row``), a part or section heading
    (``_heading_row``), or a task/assignment row (``_task_row``).
    """
    out = Assembly()
    brk = PageBreak()
    for t_index, table in enumerate(tables):
        start = _header_rows(table, header, first=t_index == 0)
        out.furniture_rows.append(start)
        owner = table.owner()
        resolved: dict[int, Acc] = {}  # id(cell) → the value read from it (merged cells read once)
        for r in range(start, table.n_rows):
            fields = _fields({names[c]: owner[r][c] for c in range(table.n_cols)}, names)
            firsts = {n: cell for n, cell in fields.items() if cell.row == r}
            texts = {n: (_fresh(cell, table.page, n, settings).text if n in firsts else "")
                     for n, cell in fields.items()}
            row = GridRow(table.page, fields, firsts, texts)
            # the previous page's last row, when this row is the first after a page break
            # (never across a page left out of the chain: its rows are missing, reported by unread_tables)
            last = (out.rows[-1] if r == start and t_index > 0 and out.rows
                    and table.page == tables[t_index - 1].page + 1 else None)
            if last is not None and _page_top_continues(last, row, table, names, out.rows, brk):
                _continue_row(last, fields, firsts, table.page, resolved, settings)
                continue
            head = _heading_row(texts, fields, names[0], table, out.rows, resolved, out.dropped, settings)
            if head is not None:
                out.rows.append(head)
                continue
            out.rows.append(_task_row(row, last, brk, resolved, settings))
        brk = PageBreak.after(table, owner, names, settings)
        if t_index > 0:
            out.unexpected.extend((table.page, ln) for ln in table.text_above if not is_page_number(ln.text))
    return out


def _header_rows(table: PageTable, header: HeaderMatch, *, first: bool) -> int:
    """How many grid rows at the top of a page's table are the header (the first page's, or a repeated one)
    or only the column-number row."""
    if first or is_repeated_header(table, header):
        return header.rows
    return 1 if number_row_only(table, header) else 0


def _page_top_continues(last: Row, row: GridRow, table: PageTable, names: list[str], rows: list[Row],
                        brk: PageBreak) -> bool:
    """Is the top row of a page the rest of ``last``, the row that ended the previous page: the rest of a
    section heading's numeral, or a row split across the break (``continues``) — unless it is a heading written
    in one cell across the row."""
    if _continues_heading(last, row.texts, row.fields, table.n_cols):
        return True
    whole = row.fields.get(names[0])
    one_cell = whole is not None and whole.col_span == table.n_cols
    return (not (one_cell and _heading_in_one_cell(row.texts[names[0]], rows))
            and continues(last, row.texts, brk.prev_last, brk.prev_room))


def _task_row(row: GridRow, last: Row | None, brk: PageBreak, resolved: dict[int, Acc],
              settings: NormalizeSettings) -> Row:
    """A task/assignment row. ``last`` is the row that ended the previous page when this row is the first
    after a page break (else None): a blank cell here is then the fragment of a vertically merged cell that
    started on the previous page, and gets its value."""
    out = Row("row", {}, [row.page])
    after_row = last is not None and last.kind == "row"
    under_merge = after_row and last is not None and _blank_required(row.texts, row.fields, row.firsts, last)
    for n, cell in row.fields.items():
        if id(cell) in resolved:
            out.values[n] = resolved[id(cell)].copy_merged()
            out.covered.add(n)
            continue
        acc = _fresh(cell, row.page, n, settings)
        if (
            not acc.text
            and after_row
            and last is not None
            and n in brk.prev_last
            and n not in (Field.STT, Field.DESCRIPTION)
            and (brk.prev_last[n].row_span > 1 or cell.row_span > 1 or under_merge)
        ):
            acc = last.values.get(n, Acc()).copy_merged()
            acc.fragments.append(Fragment(page=row.page, box=cell.box))
            out.covered.add(n)
        resolved[id(cell)] = acc
        out.values[n] = acc
    return out


def _last_part(rows: list[Row]) -> str | None:
    return next((r.text(Field.STT) for r in reversed(rows) if r.kind == "part"), None)


def is_part_number(number: str, rows: list[Row]) -> bool:
    """A part's number: "Phần I", or a capital letter — "C" and "L", which are also Roman numerals, only right
    after part "B" / "K"."""
    n = number.strip().rstrip(".")
    if n.casefold().startswith("phần"):
        return True
    if n in ("C", "L"):
        last = _last_part(rows)
        return last is not None and last.rstrip(".") == chr(ord(n) - 1)
    return PART_NUMBER.match(n) is not None


def _heading_in_one_cell(text: str, rows: list[Row]) -> re.Match[str] | None:
    """The match of a part or section heading written in one cell across the row ("A. …", "II. …")."""
    m = PART_TITLE.match(text)
    if m and is_part_number(m.group(1), rows):
        return m
    return ROMAN_TITLE.match(text)


def _heading_row(texts: dict[str, str], fields: dict[str, Cell], first: str, table: PageTable, rows: list[Row],
                 resolved: dict[int, Acc], dropped: list[tuple[int, Box, str]],
                 settings: NormalizeSettings = DEFAULT_SETTINGS) -> Row | None:
    """A part or section heading row (number and title), or None for a task row.

    A heading is either one cell across the row ("II. TITLE", "A. TITLE") — split into number and title, the
    separator dropped on purpose — or a number in the STT column with the title beside it."""
    whole = fields.get(first)
    one_cell = whole is not None and whole.col_span == table.n_cols
    acc = _fresh(whole, table.page, Field.DESCRIPTION, settings) if whole is not None and one_cell else None
    if acc is not None and (m := _heading_in_one_cell(acc.text, rows)):  # lines joined as text, not as a number
        number = Acc(m.group(1), list(acc.fragments), confidence=acc.confidence)
        title = Acc(m.group(3), list(acc.fragments), confidence=acc.confidence)
        if acc.ocr_read is not None:  # the OCR engine repaired the heading: each part keeps its own reading
            read = m.re.match(acc.ocr_read)
            for half, group in ((number, 1), (title, 3)):
                half.ocr_read = read.group(group) if read else acc.ocr_read
                if half.ocr_read != half.text:
                    half.add_repair(Repair.OCR_REPAIRED)
        if m.group(2) and whole is not None:
            dropped.append((table.page, whole.box, m.group(2)))
        kind: RowKind = "section" if m.re is ROMAN_TITLE else "part"
        return Row(kind, {Field.STT: number, Field.DESCRIPTION: title}, [table.page])
    stt = texts.get(Field.STT, "")
    part = bool(stt) and is_part_number(stt, rows) and _rest_is_title(texts, fields, table.n_cols)
    if not (part or is_section_row(texts, fields, table.n_cols)):
        return None
    row = Row("part" if part else "section", {}, [table.page])
    for n in (Field.STT, Field.DESCRIPTION):
        if n in fields:
            cell = fields[n]
            row.values[n] = resolved.setdefault(id(cell), _fresh(cell, table.page, n, settings))
    return row


def _rest_is_title(texts: dict[str, str], owners: dict[str, Cell], n_cols: int) -> bool:
    """Beside the STT, one cell across the rest of the row, or text in the description column only."""
    desc = owners.get(Field.DESCRIPTION)
    spans_all = desc is not None and desc.col + desc.col_span >= n_cols
    return spans_all or all(not v for k, v in texts.items() if k not in (Field.STT, Field.DESCRIPTION))


#: Assignment columns that a real row never leaves blank.
REQUIRED_ASSIGNMENT = (Field.LEAD, Field.TIMEFRAME)


def _blank_required(texts: dict[str, str], fields: dict[str, Cell], firsts: dict[str, Cell], last: Row) -> bool:
    """A new row at the top of a page whose required assignment cells are blank where the row above had
    values: those cells are the blank fragments of vertically merged cells continued from the previous
    page (a merge over exactly the last row of one page and the first of the next shows no other sign)."""
    blank = [n for n in REQUIRED_ASSIGNMENT if n in firsts and not texts.get(n)]
    return bool(blank) and all(last.text(n) for n in blank)


def _fields(cells: dict[str, Cell | None], names: list[str]) -> dict[str, Cell]:
    """The cell of each field in one grid row. A cell spanning several columns belongs to its leftmost
    column, except that a cell spanning several assignment columns (e.g. one text for both the lead and
    the partner) gives its value to each of them."""
    out = {}
    for n, cell in cells.items():
        if cell is None:
            continue
        home = names[cell.col]
        if home == n or (home not in (Field.STT, Field.DESCRIPTION) and n not in (Field.STT, Field.DESCRIPTION)):
            out[n] = cell
    return out


def _continue_row(last: Row, fields: dict[str, Cell], firsts: dict[str, Cell], page: int,
                  resolved: dict[int, Acc], settings: NormalizeSettings = DEFAULT_SETTINGS) -> None:
    """Append the top-of-page fragment of a row split across a page break to the row it continues."""
    if page not in last.pages:
        last.pages.append(page)
    for n, cell in fields.items():
        if last.kind in ("section", "part") and n not in (Field.STT, Field.DESCRIPTION):
            continue
        acc = last.values.setdefault(n, Acc())
        if n in firsts and cell.lines:
            more = _fresh(cell, page, n, settings)
            acc.extend(more, cell.lines[0], Fragment(page=page, box=cell.box), no_spaces=(n == Field.STT),
                       settings=settings)
        resolved[id(cell)] = acc
