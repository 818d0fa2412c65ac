"""Read a timeframe cell ("Thời gian thực hiện") into parts with a kind, ISO dates and a recurrence.

A cell is split at ";" always, then at "," and " và " where the next clause holds a time expression of its
own ("Báo cáo quý, BC năm"); clauses without one are kept with a neighbour ("Ban hành kế hoạch trong tháng
01/2026 và tổ chức thực hiện" is one part). Each clause gets one kind, tried in this order:

- reference — "Theo Điều 17 Nghị định số 52/2015/NĐ-CP …", "Theo Kế hoạch …" (the document kept);
- relative — a delay after an event: "Sau 03 tháng kể từ khi có văn bản …", "trong vòng 30 ngày kể từ …",
  "Trong thời hạn 15 ngày làm việc" (no dates; ``offset`` {amount, unit} and the ``event`` after "kể từ");
- on_demand — "đột xuất", "theo yêu cầu", "khi có phản ánh";
- periodic — "định kỳ 6 tháng", "Hằng năm", "Báo cáo quý", "BC năm" (recurrence);
- range — "Từ tháng 3 đến tháng 9/2026", "giai đoạn 2026 - 2030";
- deadline — "Trước 31/8/2026", "chậm nhất là ngày 15/01/2026", "Trước ngày 31/01 năm liền kề";
- ongoing — "Thường xuyên", "Thường xuyên trong năm" (the plan's year as dates);
- quarter, month, year — "Quý I/2026", "Tháng 9/2026", "Trong năm 2026", "Trong năm" (the plan's year);
- reference inside a clause — "tổ chức mở lớp theo kế hoạch đề ra".

Dates without a year take the plan's year. A segment with no time expression is kept as kind "unparsed" with a
warning; parsing never raises. The raw text is kept on the whole and on each part.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from tthc_extract.schemas.document import Offset, OffsetUnit, Timeframe, TimeframePart

#: The recurrences a timeframe part can have (TimeframePart.recurrence).
Recurrence = Literal["weekly", "monthly", "quarterly", "semiannual", "yearly"]

_I = re.IGNORECASE

REFERENCE_START = re.compile(r"^\s*theo\b", _I)
REFERENCE_LEAD = re.compile(
    r"^\s*theo\s+(?:(?:các\s+)?mốc\s+thời\s+gian|thời\s+gian|tiến\s+độ|lộ\s+trình|quy\s+định|phân\s+công)?"
    r"\s*(?:tại|của|theo)?\s*", _I)
REFERENCE_INSIDE = re.compile(
    r"\btheo\s+((?:kế\s+hoạch|hướng\s+dẫn|quy\s+định|lộ\s+trình|tiến\s+độ|các\s+mốc|chỉ\s+đạo|văn\s+bản|quyết\s+định|"
    r"nghị\s+định|thông\s+tư|phương\s+án|chương\s+trình|điều)\b.*)$", _I)
RELATIVE = re.compile(r"^\s*(?:trong\s+vòng\s+|sau\s+)?(?:\d+|một|hai|ba)\s+(?:ngày|tuần|tháng|năm)\s+(?:kể\s+)?từ\b|"
                      r"\bkể\s+từ\s+(?:khi|ngày)\b", _I)
#: A delay: "03 tháng", "30 ngày", "15 ngày làm việc", "một năm" (with "trong vòng", "sau", "trong thời hạn" …).
OFFSET = re.compile(r"(?<![\d/])(\d{1,4}|một|hai|ba|bốn|sáu|bảy|tám|chín|mười)\s+"
                    r"(ngày\s+làm\s+việc|ngày|tuần|tháng|năm)(?![\w/])", _I)
#: A delay that stands alone as the whole time expression: "trong vòng 30 ngày", "trong thời hạn 15 ngày".
RELATIVE_WITHIN = re.compile(r"^\s*(?:trong\s+(?:vòng|thời\s+hạn|thời\s+gian)|sau|không\s+quá|chậm\s+nhất(?:\s+là)?)"
                             r"\s+(?:\d{1,4}|một|hai|ba|bốn|sáu|bảy|tám|chín|mười)\s+"
                             r"(?:ngày|tuần|tháng|năm)(?!\s*[/\d])", _I)
EVENT = re.compile(r"\bkể\s+từ\s+(.+)$", _I)
NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
OFFSET_UNITS: dict[str, OffsetUnit] = {"ngày": "day", "tuần": "week", "tháng": "month", "năm": "year"}
ON_DEMAND = re.compile(r"đột\s+xuất|theo\s+yêu\s+cầu|khi\s+(?:có\s+)?(?:yêu\s+cầu|phản\s+ánh|kiến\s+nghị|chỉ\s+đạo|"
                       r"phát\s+sinh)|khi\s+cần(?:\s+thiết)?", _I)
PERIODIC = re.compile(r"định\s+kỳ|\b(?:hằng|hàng|mỗi)\s+(?:năm|tháng|quý|tuần)\b|"
                      r"\b(?:báo\s+cáo|bc)\s+(?:(?:0?6|sáu)\s+tháng|quý|năm|tháng|tuần)(?!\s*(?:\d|i|v|x)\b)", _I)
RANGE = re.compile(r"\btừ\s+(.+?)\s+đến\s+(?:hết\s+)?(.+)$", _I)
YEAR_SPAN = re.compile(r"(?:giai\s+đoạn\s+|từ\s+năm\s+)?(?<!\d)(\d{4})\s*(?:-|–|—|đến)\s*(?:năm\s+)?(\d{4})(?!\d)", _I)
DEADLINE = re.compile(r"\b(trước|chậm\s+nhất|muộn\s+nhất|hạn\s+chót|hạn\s+cuối|không\s+quá|hoàn\s+thành\s+trước)\b",
                      _I)
ONGOING = re.compile(r"\bthường\s+xuyên\b|\bliên\s+tục\b", _I)
NEXT_YEAR = re.compile(r"\bnăm\s+(?:liền\s+kề|sau|tiếp\s+theo)\b", _I)
NEXT_MONTH = re.compile(r"\btháng\s+(?:liền\s+kề|sau|tiếp\s+theo)\b", _I)
IN_MONTH = re.compile(r"\btrong\s+tháng\b(?!\s*\d)", _I)

_YEAR_TAIL = r"(?:\s*[/.-]\s*(\d{4})|\s+năm\s+(\d{4}))?"
DATE_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", _I)
DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")
QUARTER = re.compile(r"\bquý\s+(iv|i{1,3}|[1-4])(?![\w])" + _YEAR_TAIL, _I)
MONTH = re.compile(r"\btháng\s+(\d{1,2})(?![\d])" + _YEAR_TAIL + r"(?![\d/])", _I)
YEAR = re.compile(r"\bnăm\s+(\d{4})(?!\d)", _I)
PLAN_YEAR = re.compile(r"\b(?:trong|cả|suốt)\s+năm\b(?!\s+(?:\d|liền|sau|tiếp))", _I)

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
RECURRENCES: tuple[tuple[re.Pattern[str], Recurrence], ...] = (
    (re.compile(r"(?:0?6|sáu)\s+tháng|nửa\s+năm|bán\s+niên", _I), "semiannual"),
    (re.compile(r"\bquý\b", _I), "quarterly"),
    (re.compile(r"\btháng\b", _I), "monthly"),
    (re.compile(r"\bnăm\b", _I), "yearly"),
    (re.compile(r"\btuần\b", _I), "weekly"),
)


@dataclass
class Atom:
    """A dated expression found in a clause: a day, a month, a quarter or a year."""

    kind: Literal["date", "month", "quarter", "year"]
    start: dt.date | None
    end: dt.date | None
    pos: int
    explicit_year: bool


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def _day(y: int | None, m: int, d: int) -> dt.date | None:
    if y is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_span(y: int | None, m: int) -> tuple[dt.date | None, dt.date | None]:
    if y is None or not 1 <= m <= 12:
        return None, None
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _year_of(*groups: str | None) -> int | None:
    return next((int(g) for g in groups if g), None)


def _atoms(text: str, year: int | None) -> list[Atom]:
    """Every dated expression in ``text``, in order; a missing year is ``year``."""
    found: list[Atom] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in taken)

    for m in DATE_LONG.finditer(text):
        d = _day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        found.append(Atom("date", d, d, m.start(), True))
        taken.append(m.span())
    for m in QUARTER.finditer(text):
        if not free(m):
            continue
        q = ROMAN.get(m.group(1).lower()) or int(m.group(1))
        y = _year_of(m.group(2), m.group(3))
        yy = y or year
        start = dt.date(yy, 3 * q - 2, 1) if yy else None
        end = _month_span(yy, 3 * q)[1] if yy else None
        found.append(Atom("quarter", start, end, m.start(), y is not None))
        taken.append(m.span())
    for m in MONTH.finditer(text):
        if not free(m):
            continue
        month = int(m.group(1))
        if not 1 <= month <= 12:
            continue
        y = _year_of(m.group(2), m.group(3))
        start, end = _month_span(y or year, month)
        found.append(Atom("month", start, end, m.start(), y is not None))
        taken.append(m.span())
    for m in DATE.finditer(text):
        if not free(m):
            continue
        d_, mo = int(m.group(1)), int(m.group(2))
        if not (1 <= d_ <= 31 and 1 <= mo <= 12):
            continue
        y = _year_of(m.group(3))
        d = _day(y or year, mo, d_)
        found.append(Atom("date", d, d, m.start(), y is not None))
        taken.append(m.span())
    for m in YEAR.finditer(text):
        if not free(m):
            continue
        y = int(m.group(1))
        found.append(Atom("year", dt.date(y, 1, 1), dt.date(y, 12, 31), m.start(), True))
        taken.append(m.span())
    for m in PLAN_YEAR.finditer(text):
        if not free(m):
            continue
        start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)
        found.append(Atom("year", start, end, m.start(), False))
        taken.append(m.span())
    return sorted(found, key=lambda a: a.pos)


def _recurrence(text: str) -> Recurrence | None:
    return next((name for pattern, name in RECURRENCES if pattern.search(text)), None)


def _reference(text: str) -> str:
    ref = _clean(REFERENCE_LEAD.sub("", text, count=1)).rstrip(" .;,")
    return ref or _clean(text).rstrip(" .;,")


def _shift_year(d: dt.date | None, years: int) -> dt.date | None:
    if d is None:
        return None
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _range(clause: str, year: int | None) -> TimeframePart | None:
    span = YEAR_SPAN.search(clause)
    if span:
        a, b = int(span.group(1)), int(span.group(2))
        if 1900 < a <= b < 2200:
            return TimeframePart(kind="range", raw=clause, start=dt.date(a, 1, 1), end=dt.date(b, 12, 31))
    m = RANGE.search(clause)
    if not m:
        return None
    ends = _atoms(m.group(2), year)
    if not ends:
        return None
    end = ends[0]
    end_year = end.end.year if end.end and end.explicit_year else year
    starts = _atoms(m.group(1), end_year)
    if not starts:
        return None
    return TimeframePart(kind="range", raw=clause, start=starts[0].start, end=end.end)


def _deadline(clause: str, marker: re.Match[str], year: int | None) -> TimeframePart:
    rest = clause[marker.end():]
    next_year = NEXT_YEAR.search(rest) is not None
    atoms = _atoms(rest, year)
    recurrence: Recurrence | None = "monthly" if NEXT_MONTH.search(rest) else None
    end = None
    if atoms and recurrence is None:
        atom = atoms[0]
        end = atom.end
        strictly_before = marker.group(1).lower() == "trước" and not re.match(r"\s*trong\b", rest, _I)
        if atom.kind != "date" and strictly_before and atom.start is not None:
            end = atom.start - dt.timedelta(days=1)
        if next_year and not atom.explicit_year:
            end = _shift_year(end, 1)
    return TimeframePart(kind="deadline", raw=clause, end=end, recurrence=recurrence)


def _relative(text: str) -> TimeframePart:
    """A delay after an event: the offset (amount, unit; "ngày làm việc" is working_day) and the event."""
    offset = None
    m = OFFSET.search(text)
    if m:
        word = m.group(1).lower()
        amount = int(word) if word.isdigit() else NUMBER_WORDS[word]
        unit_words = " ".join(m.group(2).lower().split())
        unit: OffsetUnit = "working_day" if unit_words == "ngày làm việc" else OFFSET_UNITS[unit_words]
        offset = Offset(amount=amount, unit=unit)
    event = EVENT.search(text)
    return TimeframePart(kind="relative", raw=text, offset=offset,
                         event=_clean(event.group(1)).rstrip(" .;,") if event else None)


def classify(clause: str, year: int | None) -> TimeframePart | None:
    """The part one clause stands for, or None when it holds no time expression."""
    text = _clean(clause)
    if not text:
        return None
    if REFERENCE_START.match(text):
        return TimeframePart(kind="reference", raw=text, reference=_reference(text))
    if RELATIVE.search(text) or RELATIVE_WITHIN.search(text):
        return _relative(text)
    if ON_DEMAND.search(text):
        return TimeframePart(kind="on_demand", raw=text)
    if m := PERIODIC.search(text):
        return TimeframePart(kind="periodic", raw=text, recurrence=_recurrence(text[m.start():]))
    part = _range(text, year)
    if part is not None:
        return part
    marker = DEADLINE.search(text)
    if marker:
        return _deadline(text, marker, year)
    atoms = _atoms(text, year)
    if ONGOING.search(text):
        years = [a for a in atoms if a.kind == "year"]
        start, end = (years[0].start, years[0].end) if years else (None, None)
        recurrence: Recurrence | None = "monthly" if IN_MONTH.search(text) else None
        return TimeframePart(kind="ongoing", raw=text, start=start, end=end, recurrence=recurrence)
    if atoms:
        a = atoms[0]
        if a.kind == "date":
            return TimeframePart(kind="deadline", raw=text, end=a.end)
        return TimeframePart(kind=a.kind, raw=text, start=a.start, end=a.end)
    inside = REFERENCE_INSIDE.search(text)
    if inside:
        return TimeframePart(kind="reference", raw=text, reference=_clean(inside.group(1)).rstrip(" .;,"))
    return None


_PIECE_SEP = re.compile(r"\s*,\s*|\s+và\s+", _I)


def _clauses(segment: str, year: int | None) -> list[str]:
    """Split a ';'-segment into clauses that each hold at most one time expression (see the module doc)."""
    if REFERENCE_START.match(segment):
        return [segment]
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PIECE_SEP.finditer(segment):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(segment)))
    spans = [(s, e) for s, e in spans if segment[s:e].strip()]
    clauses: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    current_timed = False
    pending: list[tuple[int, int]] = []
    for s, e in spans:
        timed = classify(segment[s:e], year) is not None
        if timed and current_timed:
            clauses.append(current)
            current, pending = pending + [(s, e)], []
        elif timed:
            current, pending = current + pending + [(s, e)], []
            current_timed = True
        elif current_timed:
            pending.append((s, e))
        else:
            current.append((s, e))
    current += pending
    if current:
        clauses.append(current)
    return [segment[c[0][0]:c[-1][1]].strip() for c in clauses]


def parse_timeframe(text: str, year: int | None = None) -> Timeframe:
    """Read a timeframe cell; ``year`` (the plan's) completes dates printed without one."""
    raw = text or ""
    parts: list[TimeframePart] = []
    warnings: list[str] = []
    for segment in _clean(raw).split(";"):
        segment = segment.strip(" .,")
        if not segment:
            continue
        seg_parts = []
        for clause in _clauses(segment, year):
            part = classify(clause, year)
            if part is not None:
                seg_parts.append(part)
        if not seg_parts:
            seg_parts = [TimeframePart(kind="unparsed", raw=segment)]
            warnings.append(f"timeframe not understood: '{segment}'")
        parts.extend(seg_parts)
    ends = [p.end for p in parts if p.end is not None]
    return Timeframe(raw=raw, parts=parts, deadline=max(ends) if ends else None, warnings=warnings)


__all__ = ["classify", "parse_timeframe"]
