"""Columns are mapped by their header words, whatever the issuer's wording or wrapping."""

from __future__ import annotations

import pytest

from tests.gridkit import page_table
from tthc_extract.normalize.header import field_for, match_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("STT", "stt"),
        ("ST T", "stt"),
        ("TT", "stt"),
        ("Nhiệm vụ", "description"),
        ("Nội dung", "description"),
        ("Nội dung công việc", "description"),
        ("Kết quả công việc", "result"),
        ("Sản phẩm", "result"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan chủ trì", "lead"),
        ("Chủ trì thực hiện", "lead"),
        ("Đơn vị phối hợp", "partner"),
        ("Phối hợp thực hiện", "partner"),
        ("Thời gian thực hiện", "timeframe"),
        ("Thời hạn hoàn thành", "timeframe"),
        ("Thời gian hoàn thành", "timeframe"),
        ("Ghi chú", "extra"),
        ("'STT", "stt"),
        ("TT.", "stt"),
        ("'Thời gian", "timeframe"),
        ("Số TT", "stt"),
        ("Theo dõi, kiểm tra, đôn đốc", "extra"),
    ],
)
def test_field_for(header, field):
    assert field_for(header) == field


def test_other_order_and_extra_column():
    header = ["TT", "Nội dung", "Sản phẩm", "Thời hạn hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú"]
    t = page_table(1, [["1", "a", "b", "c", "d", "e", "f"]], widths=[30, 100, 100, 60, 60, 60, 40], header=header)
    m = match_header(t)
    assert m is not None
    assert m.fields == ("stt", "description", "result", "timeframe", "lead", "partner", "extra")


def test_table_without_task_columns_is_not_a_header():
    t = page_table(1, [["1", "2", "3"]], widths=[50, 50, 50], header=["Họ và tên", "Chức vụ", "Đơn vị"])
    assert match_header(t) is None
