"""The normalizer on synthetic page grids: page-break joins, merged cells, sections, extra columns."""

from __future__ import annotations

import pytest

from tests.gridkit import HEADER, page_table
from tthc_extract.normalize import NoTaskTable, normalize, select_task_table
from tthc_extract.schemas import SourceInfo
from tthc_extract.schemas.document import Repair, WarningCode

SRC = SourceInfo(file_name="t.pdf", sha256="0" * 64, page_count=2, table_pages=[])


def run(*pages):
    return normalize(list(pages), SRC, engine="test", engine_version="0")


def rows(doc):
    return [
        (s.number.text, t.number.text, t.description.text, a.result.text, a.lead.text, a.partner.text,
         a.timeframe.text, a.page_first, a.page_last)
        for s in doc.sections for t in s.tasks for a in t.assignments
    ]


def test_row_split_across_pages_is_joined_cell_by_cell():
    # text in the Nhiệm vụ column at the top of page 2 continues the row, even where a short cell
    # (the partner) still had room on page 1: a layout engine may move the last line of a cell on
    p1 = page_table(1, [["I", ("CÔNG TÁC CHỈ ĐẠO", 5)],
                        ["1", "Tổ chức thực hiện rà soát,\nđơn giản hóa TTHC thuộc", "Biểu mẫu thống kê",
                         "Các sở, ban,\nngành", "Văn phòng", "Trước\n31/8/2026"]])
    p2 = page_table(2, [["", "các cấp chính quyền", "", "", "UBND tỉnh", ""],
                        ["2", "Tổng hợp", "Báo cáo", "Văn phòng UBND tỉnh", "", "Tháng 9/2026"]])
    doc = run(p1, p2)
    assert rows(doc) == [
        ("I", "1", "Tổ chức thực hiện rà soát, đơn giản hóa TTHC thuộc các cấp chính quyền", "Biểu mẫu thống kê",
         "Các sở, ban, ngành", "Văn phòng UBND tỉnh", "Trước 31/8/2026", 1, 2),
        ("I", "2", "Tổng hợp", "Báo cáo", "Văn phòng UBND tỉnh", "", "Tháng 9/2026", 2, 2),
    ]


def test_section_title_split_across_pages():
    p1 = page_table(1, [["IV", ("NÂNG CAO NĂNG LỰC CÁN BỘ, CÔNG CHỨC LÀM NHIỆM", 5)]])
    p2 = page_table(2, [["", ("VỤ KIỂM SOÁT TTHC", 5)], ["1", "a", "b", "c", "d", "e"]])
    doc = run(p1, p2)
    assert [(s.number.text, s.title.text) for s in doc.sections] == [
        ("IV", "NÂNG CAO NĂNG LỰC CÁN BỘ, CÔNG CHỨC LÀM NHIỆM VỤ KIỂM SOÁT TTHC")]
    assert doc.sections[0].title.provenance.pages == [1, 2]


def test_continuation_when_the_columns_were_full():
    p1 = page_table(1, [["I", ("CÔNG TÁC CHỈ ĐẠO", 5)],
                        ["1", "Tổ chức thực hiện rà soát,\nđơn giản hóa TTHC thuộc", "Biểu mẫu thống kê;\nphương án",
                         "Các sở, ban,\nngành", "Văn phòng", "Trước\n31/8/2026"]])
    p2 = page_table(2, [["", "các cấp chính quyền", "đơn giản hóa TTHC", "", "", ""],
                        ["2", "Tổng hợp", "Báo cáo", "Văn phòng UBND tỉnh", "", "Tháng 9/2026"]])
    doc = run(p1, p2)
    assert rows(doc) == [
        ("I", "1", "Tổ chức thực hiện rà soát, đơn giản hóa TTHC thuộc các cấp chính quyền",
         "Biểu mẫu thống kê; phương án đơn giản hóa TTHC", "Các sở, ban, ngành", "Văn phòng", "Trước 31/8/2026", 1, 2),
        ("I", "2", "Tổng hợp", "Báo cáo", "Văn phòng UBND tỉnh", "", "Tháng 9/2026", 2, 2),
    ]
    desc = doc.sections[0].tasks[0].description
    assert desc.provenance.pages == [1, 2]
    assert Repair.JOINED_ACROSS_PAGES in desc.provenance.repairs
    assert any(w.code == WarningCode.JOINED_ACROSS_PAGES and w.task == "1" for w in doc.warnings)


def test_merged_task_crossing_page_break_inside_first_assignment():
    p1 = page_table(1, [["V", ("CÔNG BỐ", 5)],
                        ["3", "Thực hiện công\nkhai TTHC", "Cập nhật các TTHC\nđược công bố mới",
                         "Văn phòng", "Các sở", "Thường xuyên"]])
    p2 = page_table(2, [["", "", "trên Cổng thông tin", "", "", ""],
                        ["^", "^", "Niêm yết, công khai", "Trung tâm", "Văn phòng", "Thường xuyên"]])
    doc = run(p1, p2)
    task = doc.sections[0].tasks[0]
    assert [a.result.text for a in task.assignments] == [
        "Cập nhật các TTHC được công bố mới trên Cổng thông tin",
        "Niêm yết, công khai",
    ]
    assert task.description.text == "Thực hiện công khai TTHC"


def test_merged_task_breaking_exactly_between_assignments():
    # the first assignment ended with room on page 1: the top row of page 2 is the next assignment
    p1 = page_table(1, [["V", ("CÔNG BỐ", 5)],
                        ["3", "Thực hiện công\nkhai TTHC\nđã được công bố", "Công khai trên Cổng",
                         "Văn phòng Sở", "Các phòng", "Thường xuyên"]])
    p2 = page_table(2, [["", "", "Cập nhật các TTHC", "Văn phòng Sở", "Các phòng", "Thường xuyên"]])
    doc = run(p1, p2)
    task = doc.sections[0].tasks[0]
    assert [a.result.text for a in task.assignments] == ["Công khai trên Cổng", "Cập nhật các TTHC"]
    assert [(a.page_first, a.page_last) for a in task.assignments] == [(1, 1), (2, 2)]


def test_merged_unit_cell_spanning_tasks_and_a_page_break():
    p1 = page_table(1, [["I", ("CHỈ ĐẠO", 5)],
                        ["1", "Nhiệm vụ một", "Kết quả một", "Văn phòng Sở", "Các phòng", "Thường xuyên"],
                        ["2", "Nhiệm vụ hai\ndài hơn", "Kết quả hai", "^", "^", "^"]])
    p2 = page_table(2, [["3", "Nhiệm vụ ba", "Kết quả ba", "", "", ""],
                        ["4", "Nhiệm vụ bốn", "Kết quả bốn", "^", "^", "^"]])
    doc = run(p1, p2)
    assert [r[4:7] for r in rows(doc)] == [("Văn phòng Sở", "Các phòng", "Thường xuyên")] * 4
    lead4 = doc.sections[0].tasks[3].assignments[0].lead
    assert Repair.MERGED_CELL in lead4.provenance.repairs
    assert lead4.provenance.pages == [1, 2]


def test_blank_single_row_cell_at_page_top_is_not_copied():
    p1 = page_table(1, [["I", ("CHỈ ĐẠO", 5)],
                        ["1", "Nhiệm vụ một", "Kết quả một", "Văn phòng Sở", "Các phòng", "Thường xuyên"]])
    p2 = page_table(2, [["2", "Nhiệm vụ hai", "Kết quả hai", "Văn phòng Sở", "", "Thường xuyên"]])
    assert rows(run(p1, p2))[1][5] == ""


def test_repeated_header_dropped_and_whole_row_section():
    p1 = page_table(1, [[("VIII. THỰC HIỆN TTHC TRÊN MÔI TRƯỜNG ĐIỆN TỬ", 6)],
                        ["1", "Số hóa", "Dữ liệu", "Sở Khoa học và Công nghệ", "", "Thường xuyên"]])
    p2 = page_table(2, [["2", "Tuyên truyền", "Các hoạt động", "Các sở", "Văn phòng", "Thường xuyên"]],
                    header=HEADER)
    doc = run(p1, p2)
    assert [(s.number.text, s.title.text) for s in doc.sections] == [("VIII", "THỰC HIỆN TTHC TRÊN MÔI TRƯỜNG ĐIỆN TỬ")]
    assert [t.number.text for t in doc.sections[0].tasks] == ["1", "2"]


def test_duplicate_section_title_kept_with_warning_and_gap():
    body = ["1", "a", "b", "c", "d", "e"]
    p1 = page_table(1, [["VII", ("TỔ CHỨC", 5)], body, ["VIII", ("TỔ CHỨC", 5)], body,
                        ["X", ("CHẾ ĐỘ", 5)], ["1", "a", "b", "c", "d", "e"], ["3", "a", "b", "c", "d", "e"]])
    doc = run(p1)
    assert [s.number.text for s in doc.sections] == ["VII", "VIII", "X"]
    codes = [(w.code, w.section) for w in doc.warnings]
    assert (WarningCode.DUPLICATE_SECTION_TITLE, "VIII") in codes
    assert (WarningCode.NUMBERING_GAP, "X") in codes
    assert any(w.code == WarningCode.NUMBERING_GAP and w.task == "3" for w in doc.warnings)


def test_extra_column_kept_with_warning():
    header = [*HEADER, "Ghi chú"]
    widths = [30, 200, 150, 100, 100, 80, 60]
    p1 = page_table(1, [["I", ("A", 6)], ["1", "a", "b", "c", "d", "e", "Đã xong"]], widths=widths, header=header)
    doc = run(p1)
    a = doc.sections[0].tasks[0].assignments[0]
    assert a.extra["Ghi chú"].text == "Đã xong"
    assert any(w.code == WarningCode.UNKNOWN_COLUMN and "Ghi chú" in w.message for w in doc.warnings)


def test_lead_and_partner_in_one_horizontally_merged_cell():
    p1 = page_table(1, [["I", ("A", 5)], ["1", "a", "b", ("Theo phân công tại Quyết định số 1441/QĐ-UBND", 2), "e"]])
    a = run(p1).sections[0].tasks[0].assignments[0]
    assert a.lead.text == a.partner.text == "Theo phân công tại Quyết định số 1441/QĐ-UBND"


def test_empty_required_cells_warned():
    p1 = page_table(1, [["I", ("A", 5)], ["1", "a", "", "c", "", ""]])
    msgs = [w.message for w in run(p1).warnings if w.code == WarningCode.EMPTY_REQUIRED_CELL]
    assert msgs == ["task I.1: empty result", "task I.1: empty timeframe"]


def test_no_task_table_error_names_the_best_candidate_and_what_it_lacks():
    with pytest.raises(NoTaskTable, match=r"^no table header names a description and an assignment column \(best "
                                          r"candidate, page 3: Họ và tên \| Chức vụ — no description column "):
        select_task_table([page_table(3, [["A", "B"]], widths=[100.0, 100.0], header=["Họ và tên", "Chức vụ"])])
    with pytest.raises(NoTaskTable, match=r"best candidate, page 1: \(no text in its first rows\)"):
        select_task_table([page_table(1, [["", ""], ["", ""]], widths=[100.0, 100.0], header=None)])
    # a signature table on page 1, then the rejected task table on page 2: the message names the latter
    names = page_table(1, [["A", "B"]], widths=[100.0, 100.0], header=["Họ và tên", "Chức vụ"])
    tasks = page_table(2, [["1", "a", "b"]], widths=[30.0, 200.0, 100.0], header=["TT", "Nội dung", "Ghi chú"])
    with pytest.raises(NoTaskTable, match=r"best candidate, page 2: TT \| Nội dung \| Ghi chú — no result, lead, "
                                          r"partner or timeframe column\)$"):
        select_task_table([names, tasks])


def test_a_table_after_the_task_table_with_other_columns_is_reported_not_read():
    p1 = page_table(1, [["I", ("A", 5)], ["1", "a", "b", "c", "d", "e"]])
    p2 = page_table(2, [["Nguyễn Văn A", "Giám đốc"]], widths=[150.0, 150.0], header=None)
    doc = run(p1, p2)
    [w] = [w for w in doc.warnings if w.code == WarningCode.TABLE_NOT_READ]
    assert (w.severity, w.pages) == ("warning", [2])
    assert w.message == ("a table on page 2 (2 columns) is not part of the task table and was not read: "
                         "Nguyễn Văn A | Giám đốc")


def test_pages_whose_columns_shift_with_the_table_continue_it():
    """A phone capture's perspective moves and scales the table from page to page: its rules still line up
    relative to its outline."""
    p1 = page_table(1, [["I", ("A", 5)], ["1", "a", "b", "c", "d", "e"]])
    p2 = page_table(2, [["2", "f", "g", "h", "i", "j"]], widths=[w * 1.02 for w in (30.0, 200.0, 150.0, 100.0,
                                                                                     100.0, 80.0)])
    p2 = p2.model_copy(update={"cells": [c.model_copy(update={"box": c.box.model_copy(update={
        "x0": c.box.x0 + 6, "x1": c.box.x1 + 6})}) for c in p2.cells]})
    doc = run(p1, p2)
    assert doc.source.table_pages == [1, 2]
    assert [t.number.text for t in doc.sections[0].tasks] == ["1", "2"]


def test_warnings_name_the_value_they_are_about():
    p1 = page_table(1, [["I", ("A", 5)], ["1", "a", "", "c", "", ""], ["3", "b", "r", "l", "p", "t"],
                        ["II", ("A", 5)]])
    doc = run(p1)
    got = sorted((w.code.value, w.value) for w in doc.warnings if w.value)
    assert got == [("duplicate_section_title", "s2/title"), ("empty_required_cell", "s1.t1.a1/result"),
                   ("empty_required_cell", "s1.t1.a1/timeframe"), ("numbering_gap", "s1.t2/number")]
    from tthc_extract.normalize.ids import values_by_address
    assert {w.value for w in doc.warnings if w.value} <= set(values_by_address(doc))
    from tthc_extract.audit import resolve_warning
    assert [resolve_warning(doc, w) for w in doc.warnings if w.code == WarningCode.EMPTY_REQUIRED_CELL] == [
        ("s0-t0-a0", "result"), ("s0-t0-a0", "timeframe")]
