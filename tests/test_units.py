"""Lead and partner cells split into units: commas inside names kept, lists split, keys folded, nothing dropped."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REAL, TRUTH
from tthc_extract.normalize.units import fold_key, split_units

CASES: dict[str, list[str]] = {
    # the must-get-right cells
    "Sở Tư pháp; UBND các xã, phường, đặc khu": ["Sở Tư pháp", "UBND các xã, phường, đặc khu"],
    "Các sở, ban, ngành, địa phương": ["Các sở, ban, ngành, địa phương"],
    "Các sở, ban, ngành, UBND các xã, phường": ["Các sở, ban, ngành", "UBND các xã, phường"],
    "Văn phòng; Các phòng thuộc Sở": ["Văn phòng", "Các phòng thuộc Sở"],
    "Trung tâm Phục vụ hành chính công tỉnh, Trung tâm Phục vụ hành chính công các xã, phường":
        ["Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Phục vụ hành chính công các xã, phường"],
    # the seeds' other cells
    "Văn phòng UBND tỉnh": ["Văn phòng UBND tỉnh"],
    "Các sở, ban, ngành; UBND các xã, phường": ["Các sở, ban, ngành", "UBND các xã, phường"],
    "Các cơ quan, đơn vị có liên quan": ["Các cơ quan, đơn vị có liên quan"],
    "Văn phòng UBND tỉnh; Các sở, ban, ngành": ["Văn phòng UBND tỉnh", "Các sở, ban, ngành"],
    "Các sở, ban, ngành, UBND cấp huyện đề xuất": ["Các sở, ban, ngành", "UBND cấp huyện đề xuất"],
    "các sở, ban, ngành": ["Các sở, ban, ngành"],
    "Báo và Phát thanh - Truyền hình tỉnh": ["Báo và Phát thanh - Truyền hình tỉnh"],
    "Các phòng, đơn vị trực thuộc Sở": ["Các phòng, đơn vị trực thuộc Sở"],
    "Phòng Tổ chức - Pháp chế": ["Phòng Tổ chức - Pháp chế"],
    **{one: [one] for one in ("Các sở, ban, ngành", "Văn phòng Sở", "Các phòng thuộc Sở", "Các phòng có TTHC",
                              "Các cơ quan, đơn vị liên quan", "Sở Khoa học và Công nghệ")},
    "": [],
    # the real appendix
    "Sở Tư pháp; các cơ quan, đơn vị, địa phương": ["Sở Tư pháp", "Các cơ quan, đơn vị, địa phương"],
    "Các sở, ban, ngành, địa phương; Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh":
        ["Các sở, ban, ngành, địa phương", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
    "Các địa phương, các cơ quan có nguồn thu nộp ngân sách nhà nước":
        ["Các địa phương", "Các cơ quan có nguồn thu nộp ngân sách nhà nước"],
    "Cơ quan, địa phương có liên quan": ["Cơ quan, địa phương có liên quan"],
    "Các sở, ban, ngành và địa phương": ["Các sở, ban, ngành và địa phương"],
    "Sở Tư pháp, Văn phòng UBND tỉnh, Công an tỉnh": ["Sở Tư pháp", "Văn phòng UBND tỉnh", "Công an tỉnh"],
    "Văn phòng UBND tỉnh; Sở Tư pháp; Sở Tài chính; Sở Khoa học và Công nghệ; Trung tâm Xúc tiến đầu tư, thương mại "
    "và du lịch tỉnh.": ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Khoa học và Công nghệ",
                        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
    # names with commas of their own
    "Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ": ["Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ"],
    "Các Sở, Ban, Ngành, Thanh tra tỉnh": ["Các Sở, Ban, Ngành", "Thanh tra tỉnh"],
    "Sở Tư pháp (chủ trì, tổng hợp), Công an tỉnh": ["Sở Tư pháp (chủ trì, tổng hợp)", "Công an tỉnh"],
}


@pytest.mark.parametrize("text", list(CASES))
def test_split(text: str):
    units = split_units(text)
    assert [u.name for u in units] == CASES[text]
    assert all(u.kind == "unit" for u in units)


def test_reference_is_not_a_unit():
    text = "Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh"
    (u,) = split_units(text)
    assert u.kind == "reference" and u.raw == text
    assert u.reference == "Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh"
    (u,) = split_units("Theo phân công tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh")
    assert u.kind == "reference" and u.reference.startswith("Phương án số 7178/PA-UBND")


def test_unknown_pieces_are_kept():
    units = split_units("Sở Tư pháp; một nhóm công tác liên ngành")
    assert [(u.name, u.kind) for u in units] == [("Sở Tư pháp", "unit"), ("Một nhóm công tác liên ngành", "unknown")]


def test_raw_text_beside_the_canonical_form():
    (u,) = split_units("  các  sở,\nban, ngành ")
    assert u.raw == "các  sở,\nban, ngành"
    assert u.name == "Các sở, ban, ngành"
    assert u.key == "các sở, ban, ngành"


@pytest.mark.parametrize(("a", "b"), [
    ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Phòng Hoà giải", "Phòng Hòa giải"),
    ("Sở Nông nghiệp và Thuỷ lợi", "SỞ NÔNG NGHIỆP VÀ THỦY LỢI"),
    ("Uỷ ban nhân dân tỉnh", "UBND tỉnh"),
    ("Văn phòng  UBND tỉnh.", "Văn phòng Ủy ban nhân dân tỉnh"),
])
def test_keys_fold_spelling_variants(a: str, b: str):
    assert fold_key(a) == fold_key(b)


def test_keys_keep_different_units_apart():
    assert fold_key("Sở Tư pháp") != fold_key("Sở Tài chính")
    assert fold_key("Phòng Hòa giải") != fold_key("Phòng Hỏa giải")
    assert "ubnd" in fold_key("Quyết định số 1441/QĐ-UBND")  # a document symbol is not expanded


def _cells(path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted({a[f] for s in data["sections"] for t in s["tasks"] for a in t["assignments"]
                   for f in ("lead", "partner")})


def test_every_seed_cell_is_known():
    cells = {c for p in sorted(TRUTH.glob("*.json")) for c in _cells(p)}
    assert not cells - set(CASES)
    for cell in cells:
        assert all(u.kind == "unit" for u in split_units(cell)), cell


def test_real_cells_split_into_known_units_or_references():
    path = REAL / "lamdong_cchc_2026.json"
    if not path.exists():
        pytest.skip("the real appendix is not in ../shared")
    for cell in _cells(path):
        units = split_units(cell)
        assert bool(units) == bool(cell.strip())
        kinds = {u.kind for u in units}
        assert kinds <= {"unit", "reference"}, cell
        assert ("reference" in kinds) == cell.startswith("Theo"), cell
        for u in units:  # no text lost: every unit's raw text is in the cell, in order
            assert u.raw in cell


@given(st.lists(st.sampled_from(["Sở", "các", "UBND", ",", ";", "xã", "phường", "Theo", "(", ")", "Các sở, ban, ngành",
                                 "Văn phòng", "và", "."]) | st.text(max_size=5), max_size=12))
@settings(max_examples=300, deadline=None)
def test_never_raises_nor_loses_text(words: list[str]):
    text = " ".join(words)
    units = split_units(text)
    nfc = unicodedata.normalize("NFC", text)  # units are NFC, like all output text ("丽" U+F9E9 → U+4E3D)
    assert all(u.raw and u.raw in nfc for u in units)
