"""``tthc tables``: every page's raw cell grid before normalization (a CSV per table and tables.json), written
atomically, with one-line errors on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tthc_extract.cli import main
from tthc_extract.extract import get_engine
from tthc_extract.grids import write_grids
from tthc_extract.schemas.raw import PageTable

SPLITS = SAMPLES / "caobang_ubnd_2026_splits.pdf"


def _csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_tables_writes_one_csv_per_page_and_the_cells_json(tmp_path: Path) -> None:
    out = tmp_path / "grids"
    res = CliRunner().invoke(main, ["tables", str(SPLITS), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"13 tables → {out} (14 files)"
    assert sorted(p.name for p in out.iterdir()) == sorted([f"page-{n}.csv" for n in range(1, 14)] + ["tables.json"])

    first = _csv(out / "page-1.csv")
    assert first[0] == ["ST\nT", "Nhiệm vụ", "Kết quả công\nviệc", "Đơn vị\nchủ trì", "Đơn vị\nphối hợp",
                        "Thời\ngian\nthực\nhiện"]
    assert first[1] == ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "", "", "", ""]  # merged: text at its top-left
    assert first[2][0] == "1" and first[2][2:] == ["Kế hoạch Kiểm\nsoát TTHC năm\n2026", "Văn phòng\nUBND tỉnh", "",
                                                   "Trong\ntháng\n01/2026"]
    assert len(first) == 4
    last = _csv(out / "page-13.csv")
    assert last[-1] == ["2", "Thực hiện báo cáo\ntrên Hệ thống báo\ncáo Chính phủ", "Báo cáo", "", "", ""]

    data = json.loads((out / "tables.json").read_text(encoding="utf-8"))
    tables = [PageTable.model_validate(t) for t in data]
    _, read = get_engine("pdfium").extract(SPLITS)
    assert tables == read  # the JSON is the engine's grids, every cell's box and lines
    assert [t.page for t in tables] == list(range(1, 14))
    for t in tables:
        assert all(len(row) == t.n_cols for row in _csv(out / f"page-{t.page}.csv"))


def test_tables_default_folder_is_beside_the_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["tables", str(SAMPLES / "caobang_svhttdl_2026_portrait.pdf")])
    assert res.exit_code == 0, res.output
    target = Path("output") / "caobang_svhttdl_2026_portrait-tables"
    assert (tmp_path / target / "tables.json").is_file()
    assert res.output.startswith("5 tables → output/caobang_svhttdl_2026_portrait-tables")


def test_two_tables_on_a_page_get_numbered_files(tmp_path: Path) -> None:
    _, read = get_engine("pdfium").extract(SPLITS, pages=[2])
    (one,) = read
    second = one.model_copy(update={"index": 1})
    paths = write_grids([one, second], tmp_path)
    assert [p.name for p in paths] == ["page-2-1.csv", "page-2-2.csv", "tables.json"]
    assert _csv(paths[0]) == _csv(paths[1])


def test_tables_on_bad_input_says_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_text("not a pdf\n")
    out = tmp_path / "grids"
    res = CliRunner().invoke(main, ["tables", str(bad), "-o", str(out)])
    assert res.exit_code == 11
    assert res.output.strip() == f"error: {bad}: not a PDF (no %PDF- header)"
    assert not out.exists()


def test_tables_keeps_an_earlier_folder_when_writing_fails(tmp_path: Path) -> None:
    out = tmp_path / "grids"
    out.mkdir()
    (out / "tables.json").write_text("earlier\n")
    blocker = out / "page-1.csv"
    blocker.mkdir()  # a folder where a file must go: the write fails
    res = CliRunner().invoke(main, ["tables", str(SPLITS), "-o", str(out)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert (out / "tables.json").read_text() == "earlier\n"  # nothing half-written
