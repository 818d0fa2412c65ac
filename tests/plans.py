"""Plans (sections → tasks → assignments, as in samples/truth) for the layouts the tests draw: the seeds, a long
merged task continuing alone at a page top, sub-tasks and parts, and the truth as a layout with fewer columns
prints it. Plain data: no pipeline code is imported, so bench/other_layouts.py can measure another checkout."""

from __future__ import annotations

import copy
import json
from pathlib import Path

TRUTH = Path(__file__).resolve().parent.parent / "samples" / "truth"


def seed(name: str = "caobang_svhttdl_2026") -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


LEAVES = ("STT", "Nhiệm vụ", "Kết quả công việc", "Chủ trì", "Phối hợp", "Thời gian thực hiện")
GROUP = ("Đơn vị thực hiện", ("lead", "partner"))


def as_printed(truth: dict, fields: tuple[str, ...]) -> dict:
    """The truth as a layout with only ``fields`` prints it: absent columns are empty."""
    out = copy.deepcopy(truth)
    for section in out["sections"]:
        for task in section["tasks"]:
            if "stt" not in fields:
                task["number"] = ""
            for a in task["assignments"]:
                for f in ("result", "lead", "partner", "timeframe"):
                    if f not in fields:
                        a[f] = ""
    return out


DESCRIPTION = ("Rà soát, đánh giá, cải tiến quy trình nội bộ giải quyết thủ tục hành chính theo cơ chế một cửa, "
               "một cửa liên thông và thực hiện thủ tục hành chính trên môi trường điện tử năm 2027; đề xuất "
               "phương án đơn giản hóa, cắt giảm thành phần hồ sơ, thời gian giải quyết, chi phí tuân thủ của "
               "người dân, doanh nghiệp; tổng hợp kết quả, báo cáo Chủ tịch Ủy ban nhân dân tỉnh theo quy định")


def case_plan() -> dict:
    """The first sections of seed 002 with a two-assignment task, whose Nhiệm vụ text is much longer than its
    assignment rows, closing section II (so a section row follows it)."""
    plan = seed()
    plan["sections"] = copy.deepcopy(plan["sections"][:4])
    tasks = plan["sections"][1]["tasks"]
    tasks.append({"number": str(len(tasks) + 1), "description": DESCRIPTION, "assignments": [
        {"result": "Báo cáo rà soát", "lead": "Sở Nội vụ", "partner": "", "timeframe": "Tháng 6/2027"},
        {"result": "Phương án", "lead": "Văn phòng UBND tỉnh", "partner": "Các sở, ban, ngành",
         "timeframe": "Trước 31/8/2027"}]})
    return plan


def numbered_plan() -> dict:
    """Seed 000's first four sections in two parts (A, B), section II's tasks renumbered in levels."""
    plan = seed("caobang_ubnd_2026")
    plan["sections"] = copy.deepcopy(plan["sections"][:4])
    parts = [{"number": "A", "title": "NHIỆM VỤ CHUNG"}, {"number": "B", "title": "NHIỆM VỤ CỤ THỂ"}]
    for i, sec in enumerate(plan["sections"]):
        sec["part"] = parts[i // 2]
    sec = plan["sections"][1]
    donor = sec["tasks"][0]
    empty = {"result": "", "lead": "", "partner": "", "timeframe": ""}
    sec["tasks"] = [
        {"number": "1", "description": "Rà soát, đánh giá quy định, TTHC", "assignments": [dict(empty)]},
        {"number": "1.1", "description": donor["description"], "assignments": donor["assignments"]},
        {"number": "1.2", "description": "Rà soát TTHC nội bộ", "assignments": [
            {"result": "Báo cáo", "lead": "Văn phòng UBND tỉnh", "partner": "", "timeframe": "Quý II/2026"}]},
        {"number": "a)", "description": "Thống kê TTHC nội bộ", "assignments": [
            {"result": "Danh mục", "lead": "Các sở, ban, ngành", "partner": "", "timeframe": "Tháng 4/2026"}]},
        {"number": "-", "description": "Cập nhật danh mục", "assignments": [
            {"result": "Danh mục cập nhật", "lead": "Các sở, ban, ngành", "partner": "", "timeframe": "Thường xuyên"}]},
        {"number": "2", "description": "Tổng hợp kết quả rà soát", "assignments": [
            {"result": "Báo cáo", "lead": "Văn phòng UBND tỉnh", "partner": "Các sở", "timeframe": "Tháng 9/2026"}]},
    ]
    return plan
