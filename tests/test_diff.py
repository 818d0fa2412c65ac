"""`tthc diff`: the two seeds' appendices matched by content (not by number); a self-diff has no changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tthc_extract.cli import main
from tthc_extract.db import load_document
from tthc_extract.diff import DiffReport, diff_files, format_report, similarity, word_diff
from tthc_extract.runner import extract_document
from tthc_extract.writers import write_outputs


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("diff")
    paths = []
    for name in ("caobang_ubnd_2026_landscape", "caobang_svhttdl_2026_landscape"):
        json_path, _ = write_outputs(extract_document(SAMPLES / f"{name}.pdf"), out, name)
        paths.append(json_path)
    return paths[0], paths[1]


@pytest.fixture(scope="module")
def rep(seeds: tuple[Path, Path]) -> DiffReport:
    return diff_files(*seeds)


def pairs(rep: DiffReport) -> dict[str, str]:
    return {f"{p.old.section}.{p.old.task}": f"{p.new.section}.{p.new.task}" for p in rep.tasks}


def test_matched_pairs(rep: DiffReport):
    got = pairs(rep)
    # identical descriptions, the same numbers
    assert got["VI.1"] == "VI.1"  # Tiếp nhận, phân loại và chuyển xử lý phản ánh, kiến nghị …
    assert got["VI.2"] == "VI.2" and got["V.3"] == "V.3" and got["IV.1"] == "IV.1"
    # seed 000's section VII is seed 002's second section of that title (VIII), task for task
    assert [got[f"VII.{k}"] for k in range(1, 6)] == [f"VIII.{k}" for k in range(1, 6)]
    # renumbered: seed 002 has no section "KIỂM TRA …", so the later ones shift by one
    assert (got["X.1"], got["XI.1"], got["XI.2"]) == ("IX.1", "X.1", "X.2")
    # shortened or reworded descriptions in the same section
    assert (got["V.1"], got["V.2"], got["III.1"], got["II.2"]) == ("V.1", "V.2", "III.1", "II.2")
    assert len(got) == len(set(got.values())) == 22


def test_added_and_removed(rep: DiffReport):
    assert [(t.section, t.task) for t in rep.removed] == [("VIII", "1"), ("VIII", "2"), ("VIII", "3"), ("IX", "1")]
    assert [(t.section, t.task) for t in rep.added] == [("VII", str(k)) for k in range(1, 6)]
    assert [n for n, _ in rep.sections_removed] == ["VIII", "IX"]
    assert [n for n, _ in rep.sections_added] == ["VII"]


def test_changes_name_fields_and_units(rep: DiffReport):
    p = next(p for p in rep.tasks if (p.old.section, p.old.task) == ("VI", "1"))
    assert p.similarity == 1.0 and p.old.description == p.new.description
    by_field = {c.field: c for c in p.changes}
    assert set(by_field) == {"result", "lead", "partner"}
    assert by_field["lead"].units_added == ["Văn phòng Sở"]
    assert by_field["lead"].units_removed == ["Văn phòng UBND tỉnh"]
    assert by_field["partner"].units_removed == ["Các sở, ban, ngành", "UBND các xã, phường"]


def test_self_diff_has_no_changes(seeds: tuple[Path, Path]):
    for path in seeds:
        rep = diff_files(path, path)
        assert not rep.has_changes and not rep.added and not rep.removed and not rep.changed
        assert all(not p.moved and p.similarity == 1.0 for p in rep.tasks)
        assert "No changes." in format_report(rep)


def test_cli_text_and_json(seeds: tuple[Path, Path]):
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(seeds[0]), str(seeds[1])])
    assert text.exit_code == 1, text.output  # differences, as diff(1)
    assert "Tasks: 22 matched" in text.output and "Removed tasks:" in text.output and "Added tasks:" in text.output
    assert "VII.3 → VIII.3" in text.output
    js = runner.invoke(main, ["diff", str(seeds[0]), str(seeds[1]), "--json"])
    assert js.exit_code == 1
    data = json.loads(js.output)
    assert data["summary"]["tasks_matched"] == 22 and data["summary"]["tasks_added"] == 5
    assert {"old", "new", "similarity", "changed", "moved", "changes"} <= set(data["tasks"]["matched"][0])
    same = json.loads(runner.invoke(main, ["diff", str(seeds[1]), str(seeds[1]), "--json"]).output)
    assert same["summary"]["tasks_changed"] == same["summary"]["tasks_added"] == same["summary"]["tasks_removed"] == 0


def test_cli_rejects_other_json(tmp_path: Path, seeds: tuple[Path, Path]):
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1}', encoding="utf-8")
    r = CliRunner().invoke(main, ["diff", str(bad), str(seeds[0])])
    assert r.exit_code == 2 and "not a document JSON" in r.output


def test_similarity():
    assert similarity("Sở Văn hoá", "SỞ VĂN HÓA") == 1.0
    assert similarity("Tham mưu Chủ tịch UBND tỉnh quyết định công bố danh mục TTHC",
                      "Tham mưu Chủ tịch UBND tỉnh quyết định công bố danh mục TTHC hoặc quyết định công bố TTHC") > 0.7
    assert similarity("Xử lý phản ánh", "Tuyên truyền về cải cách hành chính") < 0.4
    assert similarity("", "x") == 0.0


# --- whole texts with marked words, added assignments, header, exit codes ------------------------------------------

def _edited(src: Path, tmp_path: Path) -> Path:
    """A copy of ``src`` with one lead reworded and one assignment added to task I.2."""
    doc = load_document(src)
    t1, t2 = doc.sections[0].tasks[0], doc.sections[0].tasks[1]
    t1.assignments[0].lead.text = "Văn phòng Sở Tư pháp"
    extra = t2.assignments[0].model_copy(deep=True)
    extra.result.text, extra.lead.text, extra.partner.text, extra.timeframe.text = (
        "Báo cáo quý", "Phòng Quản lý văn hóa", "", "Hằng quý")
    t2.assignments.append(extra)
    out = tmp_path / "edited.json"
    out.write_text(doc.model_dump_json(indent=2), encoding="utf-8")
    return out


def test_word_diff_markers():
    assert word_diff("Văn phòng UBND tỉnh", "Văn phòng Sở") == "Văn phòng [-UBND tỉnh-] {+Sở+}"
    assert word_diff("", "Các phòng") == "{+Các phòng+}"
    assert word_diff("a b c", "a b c") == "a b c"
    assert word_diff("Trong tháng 01", "Tháng 01", "color") == "\x1b[31;9mTrong tháng\x1b[0m \x1b[32;4mTháng\x1b[0m 01"


def test_report_exact_lines_and_exit_codes(seeds: tuple[Path, Path], tmp_path: Path):
    old = seeds[1]
    new = _edited(old, tmp_path)
    assert load_document(old).sections[0].tasks[0].assignments[0].lead.text == "Văn phòng Sở"
    runner = CliRunner()
    r = runner.invoke(main, ["diff", str(old), str(new), "--width", "0", "--html", str(tmp_path / "d.html")])
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert lines[:5] == [
        f"tthc diff {old} → {new}",
        "old: Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng, plan 18/KH-SVHTTDL, year 2026",
        "new: Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng, plan 18/KH-SVHTTDL, year 2026",
        "Sections: 10 matched (0 renamed), 0 added, 0 removed",
        "Tasks: 27 matched (2 changed, 0 renumbered or moved), 0 added, 0 removed",
    ]
    assert "      lead [1]: Văn phòng Sở {+Tư pháp+}" in lines
    assert ("      + assignment [2]: result «Báo cáo quý» · lead «Phòng Quản lý văn hóa» · partner «» · "
            "timeframe «Hằng quý»") in lines
    assert "…" not in r.output  # --width 0: nothing cut
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "Văn phòng Sở <ins>Tư pháp</ins>" in html and "assignment [2] added" in html
    assert "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng, plan 18/KH-SVHTTDL, year 2026" in html
    # the reverse direction lists the assignment as removed, with its cells
    back = runner.invoke(main, ["diff", str(new), str(old)])
    assert back.exit_code == 1
    assert ("      - assignment [2]: result «Báo cáo quý» · lead «Phòng Quản lý văn hóa» · partner «» · "
            "timeframe «Hằng quý»") in back.output.splitlines()
    same = runner.invoke(main, ["diff", str(old), str(old)])
    assert same.exit_code == 0 and same.output.splitlines()[-1] == "No changes."
    colored = runner.invoke(main, ["diff", str(old), str(new), "--color"])
    assert "Văn phòng Sở \x1b[32;4mTư pháp\x1b[0m" in colored.output


def test_width_shortens_only_lists(seeds: tuple[Path, Path]):
    lines = format_report(diff_files(*seeds), width=20).splitlines()
    assert "  - VIII.1 Thực hiện số hóa th…" in lines
    assert "      lead [1]: Văn phòng [-UBND tỉnh-] {+Sở+}" in lines
