"""Timeframe cells read into parts: every distinct cell of both seeds and of the real appendix, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REAL, TRUTH
from tthc_extract.normalize.timeframes import parse_timeframe

Shape = tuple[str, str | None, str | None, str | None]


def P(kind: str, start: str | None = None, end: str | None = None, rec: str | None = None) -> Shape:  # noqa: N802
    return (kind, start, end, rec)


def shape(text: str, year: int | None = 2026) -> list[Shape]:
    tf = parse_timeframe(text, year)
    return [(p.kind, p.start and p.start.isoformat(), p.end and p.end.isoformat(), p.recurrence) for p in tf.parts]


JAN, SEP = P("month", "2026-01-01", "2026-01-31"), P("month", "2026-09-01", "2026-09-30")
YEAR_2026 = P("year", "2026-01-01", "2026-12-31")
IN_2026 = P("ongoing", "2026-01-01", "2026-12-31")

#: Every distinct timeframe text of the two seeds (samples/truth/*.json).
SEEDS: dict[str, list[Shape]] = {
    "Tháng 01/2026": [JAN],
    "Trong tháng 01/2026": [JAN],
    "Thường xuyên": [P("ongoing")],
    "Trước 31/8/2026": [P("deadline", end="2026-08-31")],
    "Tháng 9/2026": [SEP],
    "Trong năm": [YEAR_2026],
    "Năm 2026": [YEAR_2026],
    "Báo cáo quý, BC năm; BC đột xuất theo yêu cầu của Văn phòng UBND tỉnh":
        [P("periodic", rec="quarterly"), P("periodic", rec="yearly"), P("on_demand")],
    "Báo cáo định kỳ trên Hệ thống báo cáo Văn phòng Chính phủ": [P("periodic")],
    "Trong năm 2026; kiểm tra đột xuất khi có phản ánh": [YEAR_2026, P("on_demand")],
    "Báo cáo theo định kỳ; Báo cáo đột xuất theo yêu cầu của Chính phủ": [P("periodic"), P("on_demand")],
}

#: Every distinct timeframe text of the real appendix (../shared/real/lamdong_cchc_2026.json).
REAL_CELLS: dict[str, list[Shape]] = {
    "Theo Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ cơ sở dữ liệu quốc gia về pháp luật":
        [P("reference")],
    "Trước ngày 31/01 năm liền kề": [P("deadline", end="2027-01-31")],
    "Thường xuyên trong năm": [IN_2026],
    "Thực hiện thường xuyên trong năm": [IN_2026],
    "Trong năm 2026": [YEAR_2026],
    "Theo Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2026 của tỉnh": [P("reference")],
    "Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh": [P("reference")],
    "Theo các mốc thời gian tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh": [P("reference")],
    "Theo các mốc thời gian tại Quyết định số 1737/QĐ-UBND ngày 17/10/2025 của Chủ tịch UBND tỉnh": [P("reference")],
    "Theo kế hoạch của tỉnh": [P("reference")],
    "Theo hướng dẫn của Trung ương": [P("reference")],
    "Định kỳ hằng tháng": [P("periodic", rec="monthly")],
    "Sau 03 tháng kể từ khi có văn bản của Trung ương hoặc Quyết định liên quan của cơ quan có thẩm quyền":
        [P("relative")],
    "Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp theo kế hoạch đề ra.":
        [P("deadline", end="2025-12-31"), P("reference")],
    "Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện": [JAN],
    "Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện.": [JAN],
    "Ban hành kế hoạch chậm nhất là ngày 15/01/2026 và tổ chức thực hiện": [P("deadline", end="2026-01-15")],
    "Thực hiện thường xuyên khi có yêu cầu của bộ, ngành Trung ương.": [P("on_demand")],
    "Báo cáo định kỳ theo thời gian quy định; thực hiện thường xuyên trong năm": [P("periodic"), IN_2026],
    "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 và báo cáo kết quả khắc "
    "phục các tồn tại, hạn chế phát hiện qua kiểm tra chậm nhất trong tháng 8/2026":
        [JAN, P("deadline", end="2026-06-30"), P("deadline", end="2026-08-31")],
    "Triển khai thực hiện sáng kiến, mô hình, giải pháp và báo cáo kết quả thực hiện chậm nhất trong tháng 9/2026":
        [P("deadline", end="2026-09-30")],
    "Thường xuyên trong tháng": [P("ongoing", rec="monthly")],
    "Trước ngày 05 của tháng liền kề": [P("deadline", rec="monthly")],
}

#: The forms the issue names, beyond the samples.
OTHER: dict[str, list[Shape]] = {
    "Trước ngày 15/12": [P("deadline", end="2026-12-15")],
    "Quý I/2026": [P("quarter", "2026-01-01", "2026-03-31")],
    "Quý III năm 2025": [P("quarter", "2025-07-01", "2025-09-30")],
    "Từ tháng 3 đến tháng 9/2026": [P("range", "2026-03-01", "2026-09-30")],
    "từ ngày 01/7/2025 đến ngày 30/11/2025": [P("range", "2025-07-01", "2025-11-30")],
    "giai đoạn 2026 - 2030": [P("range", "2026-01-01", "2030-12-31")],
    "định kỳ 6 tháng": [P("periodic", rec="semiannual")],
    "Định kỳ 06 tháng": [P("periodic", rec="semiannual")],
    "Hằng năm": [P("periodic", rec="yearly")],
    "Hàng năm": [P("periodic", rec="yearly")],
    "Trước tháng 9/2026": [P("deadline", end="2026-08-31")],
    "Chậm nhất trong quý II/2026": [P("deadline", end="2026-06-30")],
    "Ngày 15/3/2026": [P("deadline", end="2026-03-15")],
    "Tháng 9": [SEP],
    "": [],
}


def _distinct_timeframes(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for s in data["sections"]:
        for t in s["tasks"]:
            for a in t["assignments"]:
                if a["timeframe"] not in out:
                    out.append(a["timeframe"])
    return out


@pytest.mark.parametrize("text", list(SEEDS) + list(REAL_CELLS) + list(OTHER))
def test_exact_parts(text: str):
    expected = {**SEEDS, **REAL_CELLS, **OTHER}[text]
    assert shape(text) == expected
    tf = parse_timeframe(text, 2026)
    assert tf.raw == text and tf.warnings == []


def test_every_seed_timeframe_has_an_expectation():
    cells = {t for p in sorted(TRUTH.glob("*.json")) for t in _distinct_timeframes(p)}
    assert cells == set(SEEDS)


def test_every_real_timeframe_has_an_expectation():
    path = REAL / "lamdong_cchc_2026.json"
    if not path.exists():
        pytest.skip("the real appendix is not in ../shared")
    cells = set(_distinct_timeframes(path)) - set(SEEDS)
    assert cells == set(REAL_CELLS)


def test_references_keep_the_document():
    tf = parse_timeframe("Theo Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ", 2026)
    assert tf.parts[0].reference == "Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ"
    tf = parse_timeframe("Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh")
    assert tf.parts[0].reference == "Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh"
    assert parse_timeframe("Theo hướng dẫn của Trung ương").parts[0].reference == "hướng dẫn của Trung ương"


def test_parts_keep_their_clause():
    tf = parse_timeframe("Báo cáo quý, BC năm; BC đột xuất theo yêu cầu của Văn phòng UBND tỉnh", 2026)
    assert [p.raw for p in tf.parts] == ["Báo cáo quý", "BC năm", "BC đột xuất theo yêu cầu của Văn phòng UBND tỉnh"]
    tf = parse_timeframe("Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp theo kế hoạch đề ra.")
    assert [p.raw for p in tf.parts] == ["Ban hành kế hoạch chậm nhất là ngày 31/12/2025",
                                         "tổ chức mở lớp theo kế hoạch đề ra"]


def test_deadline_is_the_latest_end():
    text = next(t for t in REAL_CELLS if t.startswith("Ban hành kế hoạch trong tháng 01/2026, tổ chức"))
    assert parse_timeframe(text, 2026).deadline.isoformat() == "2026-08-31"
    assert parse_timeframe("Thường xuyên", 2026).deadline is None


def test_year_omitted_without_a_plan_year_gives_no_dates():
    assert shape("Trước ngày 15/12", None) == [P("deadline")]
    assert shape("Trong năm", None) == [P("year")]
    assert shape("Tháng 9/2026", None) == [SEP]


@pytest.mark.parametrize("text", ["Khi nào xong", "abc; Thường xuyên", "x/y/z 99/99/9999", "Theo", ";;",
                                  "tháng 13/2026"])
def test_unparsed_is_kept_with_a_warning_never_an_error(text: str):
    tf = parse_timeframe(text, 2026)
    assert tf.raw == text
    unparsed = [p for p in tf.parts if p.kind == "unparsed"]
    assert len(tf.warnings) == len(unparsed)
    if text == "abc; Thường xuyên":
        assert [p.kind for p in tf.parts] == ["unparsed", "ongoing"]
        assert tf.warnings == ["timeframe not understood: 'abc'"]


WORDS = ["Trước", "ngày", "tháng", "năm", "quý", "Theo", "từ", "đến", "định kỳ", "đột xuất", "Thường xuyên", "và",
         ",", ";", "/", "31/8/2026", "15/12", "I", "IV", "2026", "-", "liền kề", "Báo cáo", "BC", "chậm nhất", "99"]


@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=12))
@settings(max_examples=300, deadline=None)
def test_never_raises(words: list[str]):
    text = " ".join(words)
    tf = parse_timeframe(text, 2026)
    assert tf.raw == text
    assert all(p.kind != "unparsed" or p.raw for p in tf.parts)


@pytest.mark.parametrize(("text", "amount", "unit", "event"), [
    ("Sau 03 tháng kể từ khi có văn bản của Trung ương hoặc Quyết định liên quan của cơ quan có thẩm quyền", 3,
     "month", "khi có văn bản của Trung ương hoặc Quyết định liên quan của cơ quan có thẩm quyền"),
    ("trong vòng 30 ngày kể từ ngày nhận được hồ sơ", 30, "day", "ngày nhận được hồ sơ"),
    ("Trong vòng 30 ngày", 30, "day", None),
    ("Trong thời hạn 15 ngày làm việc kể từ ngày ban hành.", 15, "working_day", "ngày ban hành"),
    ("Sau một năm kể từ ngày Quyết định có hiệu lực", 1, "year", "ngày Quyết định có hiệu lực"),
    ("Không quá 02 tuần kể từ khi có chỉ đạo", 2, "week", "khi có chỉ đạo"),
])
def test_relative_deadlines_have_their_offset(text: str, amount: int, unit: str, event: str | None):
    tf = parse_timeframe(text, 2026)
    assert len(tf.parts) == 1 and tf.deadline is None and not tf.warnings
    part = tf.parts[0]
    assert part.kind == "relative" and part.start is None and part.end is None
    assert part.offset is not None and (part.offset.amount, part.offset.unit) == (amount, unit)
    assert part.event == event


def test_dated_deadlines_are_not_relative():
    assert shape("Trong tháng 01/2026") == [JAN]
    assert shape("Chậm nhất là ngày 15/01/2026") == [P("deadline", end="2026-01-15")]
