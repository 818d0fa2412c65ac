"""`tthc diff`: the two seeds' appendices matched by content (not by number); a self-diff has no changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tthc.cli import main
from tthc.diff import DiffReport, diff_files, format_report, similarity
from tthc.runner import extract_document
from tthc.writers import write_outputs


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
    assert text.exit_code == 0, text.output
    assert "Tasks: 22 matched" in text.output and "Removed tasks:" in text.output and "Added tasks:" in text.output
    assert "VII.3 → VIII.3" in text.output
    js = runner.invoke(main, ["diff", str(seeds[0]), str(seeds[1]), "--json"])
    assert js.exit_code == 0
    data = json.loads(js.output)
    assert data["summary"]["tasks_matched"] == 22 and data["summary"]["tasks_added"] == 5
    assert {"old", "new", "similarity", "changed", "moved", "changes"} <= set(data["tasks"]["matched"][0])
    same = json.loads(runner.invoke(main, ["diff", str(seeds[1]), str(seeds[1]), "--json"]).output)
    assert same["summary"]["tasks_changed"] == same["summary"]["tasks_added"] == same["summary"]["tasks_removed"] == 0


def test_cli_rejects_other_json(tmp_path: Path, seeds: tuple[Path, Path]):
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1}', encoding="utf-8")
    r = CliRunner().invoke(main, ["diff", str(bad), str(seeds[0])])
    assert r.exit_code == 1 and "not a document JSON" in r.output


def test_similarity():
    assert similarity("Sở Văn hoá", "SỞ VĂN HÓA") == 1.0
    assert similarity("Tham mưu Chủ tịch UBND tỉnh quyết định công bố danh mục TTHC",
                      "Tham mưu Chủ tịch UBND tỉnh quyết định công bố danh mục TTHC hoặc quyết định công bố TTHC") > 0.7
    assert similarity("Xử lý phản ánh", "Tuyên truyền về cải cách hành chính") < 0.4
    assert similarity("", "x") == 0.0
