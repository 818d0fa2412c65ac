"""Appendices as other offices lay them out, drawn with reportlab (tests/drawn_tables.py): a two-row header
(a group cell over "Chủ trì | Phối hợp"), a column-number row "(1) (2) …" repeated on every page or "1 2 3 …"
on the first page only, no result column, no STT column, one combined "chủ trì/phối hợp" column — in three
fonts, landscape and portrait. Each must come back exactly (against the truth as that layout prints it) with
every character accounted for."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TRUTH, engine_params, extract_exactly
from tests.drawn_tables import FIELDS, Style, draw, font
from tests.gridkit import page_table
from tests.plans import GROUP, LEAVES, as_printed
from tthc_extract.errors import UnmappableHeader
from tthc_extract.evaluate import evaluate
from tthc_extract.normalize.header import column_headers, field_for, is_number_row, match_header
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import WarningCode

LAYOUTS = {
    "two-row header, (1) (2) row repeated": Style(group=GROUP, headers=LEAVES, number_row="({})"),
    "two-row header, 1 2 3 row, header on page 1 only": Style(group=GROUP, headers=LEAVES, number_row="{}",
                                                             repeat_header=False),
    "no result column": Style(fields=("stt", "description", "lead", "partner", "timeframe"),
                              widths=(1, 8, 3, 3, 2.6),
                              headers=("TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
                                       "Thời gian hoàn thành")),
    "no STT column": Style(fields=("description", "result", "lead", "partner", "timeframe"),
                           widths=(7, 4.5, 3, 3, 2.6)),
    "combined lead/partner column": Style(fields=("stt", "description", "timeframe", "lead"), widths=(1, 9, 3, 5),
                                          headers=("TT", "Nội dung công việc", "Thời gian thực hiện",
                                                   "Đơn vị chủ trì/phối hợp")),
}
FONTS = ["Liberation Serif", "DejaVu Serif", "Liberation Sans"]


@pytest.mark.parametrize("seed", ["caobang_ubnd_2026", "caobang_svhttdl_2026"])
@pytest.mark.parametrize("family", FONTS)
@pytest.mark.parametrize("landscape", [True, False], ids=["landscape", "portrait"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_other_offices_layouts_are_exact(tmp_path, layout, landscape, family, seed):
    try:
        font(family)
    except LookupError:
        pytest.skip(f"{family} is not installed")
    style = LAYOUTS[layout]
    style = Style(**{**style.__dict__, "family": family, "landscape": landscape, "size": 11 if landscape else 10})
    plan = json.loads((TRUTH / f"{seed}.json").read_text(encoding="utf-8"))
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(as_printed(plan, style.fields), ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    assert draw(plan, style, pdf).pages > 1
    doc = extract_exactly(pdf, truth, tmp_path)
    missing = sorted(set(FIELDS) - set(style.fields) - ({"partner"} if "combined" in layout else set()))
    assert [w.message.split(";")[0] for w in doc.warnings if w.code == WarningCode.MISSING_COLUMN] == [
        f"the table has no {f} column" for f in sorted(missing, key=FIELDS.index)]
    data = json.loads(doc.model_dump_json())  # a field without a column is null, its text ""
    rows = [(t["number"], a) for s in data["sections"] for t in s["tasks"] for a in t["assignments"]]
    for f in missing:
        assert all((number if f == "stt" else a[f]) is None for number, a in rows), f
    assert all(isinstance(a[f], dict) for _, a in rows for f in ("lead", "partner") if f not in missing)
    if "combined" in layout:
        assert [(c.header, c.field, c.combined) for c in doc.columns][-1] == ("Đơn vị chủ trì/phối hợp", "lead", True)
    if "two-row" in layout:
        assert [c.header for c in doc.columns][3:5] == ["Đơn vị thực hiện / Chủ trì", "Đơn vị thực hiện / Phối hợp"]


def test_column_number_row_is_part_of_the_header_band():
    t = page_table(1, [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], ["1", "a", "b", "c", "d", "e"]])
    m = match_header(t)
    assert m is not None and (m.rows, m.number_row) == (2, True)
    assert is_number_row(t, 1) and not is_number_row(t, 2)


@pytest.mark.parametrize(("header", "combined"), [("Đơn vị chủ trì/phối hợp", True), ("Chủ trì, phối hợp", True),
                                                 ("Đơn vị chủ trì", False)])
def test_combined_column_is_the_lead(header, combined):
    t = page_table(1, [["1", "a", "b", "c"]], widths=[30, 200, 80, 120],
                   header=["TT", "Nội dung công việc", "Thời gian thực hiện", header])
    m = match_header(t)
    assert m is not None and m.fields == ("stt", "description", "timeframe", "lead")
    assert m.combined == ((3,) if combined else ())
    assert field_for(header) == "lead"


def test_no_task_table_names_the_best_candidate_and_what_it_lacks(tmp_path):
    seed = json.loads((TRUTH / "caobang_ubnd_2026.json").read_text(encoding="utf-8"))
    seed["sections"] = seed["sections"][:2]
    pdf = tmp_path / "plan.pdf"
    draw(seed, Style(fields=("stt", "description", "extra"), widths=(1, 8, 3),
                     headers=("TT", "Nội dung công việc", "Ghi chú")), pdf)
    with pytest.raises(UnmappableHeader) as e:
        extract_document(pdf)
    assert e.value.message == (
        "no task table: no table header names a description and an assignment column (best candidate, page 1: "
        "TT | Nội dung công việc | Ghi chú — no result, lead, partner or timeframe column)")


def test_header_path_joins_group_and_leaf():
    t = page_table(1, [["", "", "", "Chủ trì", "Phối hợp", ""], ["1", "a", "b", "c", "d", "e"]],
                   header=["STT", "Nhiệm vụ", "Kết quả", "Đơn vị thực hiện", "Đơn vị thực hiện", "Thời gian"])
    assert column_headers(t, 2)[3:5] == ["Đơn vị thực hiện / Chủ trì", "Đơn vị thực hiện / Phối hợp"]


@pytest.mark.parametrize("engine", engine_params(["pdfium", "pdfplumber"]))
@pytest.mark.parametrize("family", ["Liberation Serif", "DejaVu Serif", "Noto Serif", "Liberation Sans"])
def test_dates_broken_in_a_narrow_column_are_rejoined_by_glyph_widths(tmp_path, family, engine):
    """A time column so narrow that "31/8/2026" and "01/2026" break inside the token, in fonts whose digits are
    wider than their slashes ("Tháng 9/202" + "6" must not get a space)."""
    try:
        font(family)
    except LookupError:
        pytest.skip(f"{family} is not installed")
    truth = TRUTH / "caobang_ubnd_2026.json"
    pdf = tmp_path / "narrow.pdf"
    draw(json.loads(truth.read_text(encoding="utf-8")),
         Style(family=family, landscape=False, size=10, widths=(1.0, 6.0, 4.5, 3.0, 3.0, 1.45)), pdf)
    doc = extract_document(pdf, engine=engine)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, truth)
    assert report.accuracy == 1.0, [(m.expected, m.got) for m in report.mismatches][:3]
