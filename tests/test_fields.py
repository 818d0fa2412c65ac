"""One vocabulary for the table's fields: ``schemas.fields.Field`` is what the header model maps printed headers
to, what the normalizer keys rows by and what the JSON and the reports name; extra columns are ``extra:<header>``."""

from __future__ import annotations

import json

from tests.conftest import GOLDEN
from tthc_extract.normalize.header import field_for
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, TASK_FIELDS, Field, extra_field, extra_header


def test_field_members_are_their_names() -> None:
    assert [str(f) for f in Field] == ["stt", "description", "result", "lead", "partner", "timeframe"]
    assert (*TASK_FIELDS, *ASSIGNMENT_FIELDS) == tuple(Field)
    assert {Field.LEAD: 1}["lead"] == 1 and json.dumps([Field.STT]) == '["stt"]'


def test_printed_headers_map_to_fields() -> None:
    assert field_for("STT") is Field.STT
    assert field_for("Nhiệm vụ") is Field.DESCRIPTION
    assert field_for("Kết quả công việc") is Field.RESULT
    assert field_for("Đơn vị chủ trì") is Field.LEAD
    assert field_for("Đơn vị phối hợp") is Field.PARTNER
    assert field_for("Thời gian thực hiện") is Field.TIMEFRAME
    assert field_for("Ghi chú") == "extra"


def test_extra_columns_keep_their_header() -> None:
    assert extra_field("Ghi chú") == "extra:Ghi chú"
    assert extra_header("extra:Ghi chú") == "Ghi chú"
    assert extra_header("extra:") == ""
    assert extra_header("lead") is None


def test_the_json_names_fields_by_their_values() -> None:
    doc = json.loads((GOLDEN / "caobang_ubnd_2026_portrait.json").read_text(encoding="utf-8"))
    assert [c["field"] for c in doc["columns"]] == [str(f) for f in Field]
