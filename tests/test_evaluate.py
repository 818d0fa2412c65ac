"""The evaluator must pass exactly where the extraction is right and fail where it is not."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import TRUTH
from tthc_extract.cli import main
from tthc_extract.evaluate import evaluate

TRUTH_000 = TRUTH / "caobang_ubnd_2026.json"


def write(tmp_path: Path, data: dict, name: str = "out.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def truth() -> dict:
    return json.loads(TRUTH_000.read_text(encoding="utf-8"))


def test_identical_scores_one(tmp_path):
    rep = evaluate(write(tmp_path, truth()), TRUTH_000)
    assert rep.accuracy == 1.0
    assert rep.truth_rows == 27 and rep.got_rows == 27
    assert rep.missing == [] and rep.extra == [] and rep.mismatches == []


def test_changed_cell_is_reported_with_expected_and_got(tmp_path):
    data = truth()
    data["sections"][1]["tasks"][0]["assignments"][0]["timeframe"] = "Trước 31/8/202 6"
    rep = evaluate(write(tmp_path, data), TRUTH_000)
    assert len(rep.mismatches) == 1
    m = rep.mismatches[0]
    assert (m.row, m.field, m.expected, m.got) == (3, "timeframe", "Trước 31/8/2026", "Trước 31/8/202 6")
    assert rep.column_accuracy()["timeframe"] == 26 / 27
    assert rep.accuracy == (27 * 8 + 3 - 1) / (27 * 8 + 3)


def test_missing_row(tmp_path):
    data = truth()
    v3 = data["sections"][4]["tasks"][2]
    del v3["assignments"][1]
    rep = evaluate(write(tmp_path, data), TRUTH_000)
    assert rep.missing == [12]
    assert rep.extra == []
    assert [m.field for m in rep.mismatches] == ["(row)"]
    assert rep.accuracy < 1.0


def test_extra_row(tmp_path):
    data = truth()
    tasks = data["sections"][0]["tasks"]
    tasks[0]["assignments"].append(dict(result="Trang thông tin điện tử Sở", lead="", partner="", timeframe=""))
    rep = evaluate(write(tmp_path, data), TRUTH_000)
    assert rep.extra == [2]
    assert rep.missing == []
    assert rep.accuracy == (27 * 8 + 3) / (28 * 8 + 3)


def test_row_attached_to_wrong_task(tmp_path):
    data = truth()
    v = data["sections"][4]["tasks"]
    moved = v[2]["assignments"].pop(0)  # V.3's first result …
    v[1]["assignments"].append(moved)  # … put under V.2 (row order unchanged)
    rep = evaluate(write(tmp_path, data), TRUTH_000)
    assert rep.missing == [] and rep.extra == []
    fields = sorted(m.field for m in rep.mismatches)
    assert fields == ["description", "task"]
    assert all(m.row == 11 for m in rep.mismatches)
    assert rep.accuracy < 1.0


def test_title_block_checked(tmp_path):
    data = truth()
    data["doc"]["title"] = data["doc"]["title"].lower()
    rep = evaluate(write(tmp_path, data), TRUTH_000)
    assert [m.field for m in rep.mismatches] == ["title_block.title"]


def test_cli_min_exit_codes(tmp_path):
    data = truth()
    good = write(tmp_path, data, "good.json")
    data["sections"][0]["title"] = "CÔNG TÁC CHỈ ĐẠO"
    bad = write(tmp_path, data, "bad.json")
    runner = CliRunner()
    ok = runner.invoke(main, ["evaluate", str(good), str(TRUTH_000), "--min", "1.0"])
    assert ok.exit_code == 0, ok.output
    assert "accuracy 1.0000" in ok.output
    res = runner.invoke(main, ["evaluate", str(bad), str(TRUTH_000), "--min", "1.0"])
    assert res.exit_code == 1
    assert "section_title: expected 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH' got 'CÔNG TÁC CHỈ ĐẠO'" in res.output


def test_csv_output_is_read(tmp_path):
    import csv

    data = truth()
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["section", "section_title", "task", "description", "result", "lead", "partner", "timeframe",
                    "page_first", "page_last"])
        for s in data["sections"]:
            for t in s["tasks"]:
                for a in t["assignments"]:
                    w.writerow([s["number"], s["title"], t["number"], t["description"], a["result"], a["lead"],
                                a["partner"], a["timeframe"], 1, 1])
    rep = evaluate(path, TRUTH_000)
    assert rep.accuracy == 1.0 and rep.got_rows == 27


def test_copy_is_untouched():
    data = truth()
    assert copy.deepcopy(data) == data
