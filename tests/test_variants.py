"""Unseen layouts: appendices rendered inside the tests from the bundled truths, then extracted exactly.

The six committed samples are what the pipeline was tuned on. Real issuers use other column widths, fonts,
header wordings, extra columns, table lengths and paragraph alignments, so this module builds further
variants with ``samples/make_samples.py`` (python-docx, then ONE LibreOffice run for all of them) into a
session temporary directory and requires every cell to come back exactly (``evaluate(...).accuracy == 1.0``).

Skipped when LibreOffice (``soffice``) is not on PATH.
"""

from __future__ import annotations

import copy
import functools
import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from tests.conftest import TRUTH
from tthc_extract.evaluate import Report, evaluate
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document, WarningCode
from tthc_extract.writers import write_outputs

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None:
    pytest.skip("LibreOffice 'soffice' is not on PATH: the layout variants cannot be rendered", allow_module_level=True)
pytest.importorskip("docx", reason="python-docx (dev extra) is needed to build the variant documents")


ms = import_module("samples.make_samples")

UBND, SVH = "caobang_ubnd_2026", "caobang_svhttdl_2026"
ISSUER_COLUMNS = ["TT", "Nội dung công việc", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"]
NOTE = "Ghi chú"
GROUP_LEAVES = ["STT", "Nhiệm vụ", "Kết quả công việc", "Chủ trì", "Phối hợp", "Thời gian thực hiện"]
#: Notes of the "Ghi chú" variant: (section, task, assignment index) -> text (every other cell stays empty).
NOTES: dict[tuple[str, str, int], str] = {
    ("I", "1", 0): "Đã ban hành",
    ("V", "3", 1): "Phối hợp với TTPVHCC",
    ("VII", "2", 0): "Báo cáo trước ngày 15/12/2026",
    ("X", "2", 0): "Định kỳ hằng quý",
}
#: Renders of both seeds repeated this often make the long table (about 11 landscape pages per round).
LONG_ROUNDS = 3
MIN_LONG_PAGES = 30


def _truth(name: str) -> dict[str, Any]:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def roman(n: int) -> str:
    """1 -> "I", 44 -> "XLIV"."""
    out = ""
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _sans_font() -> str:
    """Liberation Sans, or DejaVu Sans where only that is installed (LibreOffice would substitute silently)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return "Liberation Sans"
    families = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    for family in ("Liberation Sans", "DejaVu Sans"):
        if family in families:
            return family
    pytest.skip("neither Liberation Sans nor DejaVu Sans is installed")


SANS = _sans_font()


def truth_with_columns(truth: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(truth)
    out["columns"] = columns
    return out


def truth_with_notes(truth: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(truth)
    out["columns"] = [*truth["columns"], NOTE]
    for (sec, task, i), note in NOTES.items():
        section = next(s for s in out["sections"] if s["number"] == sec)
        assignment = next(t for t in section["tasks"] if t["number"] == task)["assignments"][i]
        assignment["extra"] = {NOTE: note}
    return out


def truth_first_sections(truth: dict[str, Any], n: int) -> dict[str, Any]:
    out = copy.deepcopy(truth)
    out["sections"] = out["sections"][:n]
    return out


def truth_long(seeds: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    """The sections of all seeds, ``rounds`` times over, renumbered I, II, … (task numbers kept)."""
    out = copy.deepcopy(seeds[0])
    sections = [copy.deepcopy(s) for _ in range(rounds) for seed in seeds for s in seed["sections"]]
    for k, section in enumerate(sections, start=1):
        section["number"] = roman(k)
    out["sections"] = sections
    return out


@dataclass(frozen=True)
class Variant:
    """One layout variant: which truth (as it is drawn) and which page geometry."""

    name: str
    truth_name: str  # selects make_samples' faithful merges; a name it does not know means none
    truth: dict[str, Any]
    layout: Any  # make_samples.Layout


def _variants() -> dict[str, Variant]:
    base = ms.LAYOUTS
    ubnd, svh = _truth(UBND), _truth(SVH)
    variants = [
        # 1. a much wider "Nhiệm vụ" column and narrow unit / timeframe columns, A4 portrait 12 pt
        Variant("wide_task_column", UBND, ubnd, replace(
            base["portrait"], name="wide_task_column", col_widths_cm=(1.3, 7.4, 2.9, 2.0, 2.0, 2.0))),
        # 1b. the same, narrower still: "VIII" wraps in STT, "Thường" does not fit the timeframe column
        Variant("narrow_unit_columns", UBND, ubnd, replace(
            base["portrait"], name="narrow_unit_columns", col_widths_cm=(1.0, 8.0, 2.8, 1.9, 1.9, 1.6))),
        # 2. a sans-serif font at 11 pt, A4 portrait
        Variant("sans_11pt", SVH, svh, replace(
            base["portrait"], name="sans_11pt", font=SANS, font_pt=11,
            col_widths_cm=(1.1, 5.0, 4.0, 2.6, 2.4, 2.2))),
        # 3. another issuer's header wording; the cells stay the same
        Variant("issuer_headers", UBND, truth_with_columns(ubnd, ISSUER_COLUMNS), replace(
            base["landscape"], name="issuer_headers")),
        # 4. a seventh column "Ghi chú" with a few notes
        Variant("ghi_chu_column", SVH, truth_with_notes(svh), replace(
            base["landscape"], name="ghi_chu_column", col_widths_cm=(1.2, 7.0, 5.5, 3.4, 3.2, 2.8, 2.6))),
        # 5. a table on one page
        Variant("one_page", SVH, truth_first_sections(svh, 2), replace(base["landscape"], name="one_page")),
        # 5b. a table that fills page 1 exactly: Word's closing paragraph makes a page 2 with only its number
        Variant("trailing_blank_page", UBND, truth_first_sections(ubnd, 2), replace(
            base["landscape"], name="trailing_blank_page")),
        # 6. a table of 30+ pages, sections I … LXIII
        Variant("long_table", "long_table", truth_long([ubnd, svh], LONG_ROUNDS), replace(
            base["landscape"], name="long_table")),
        # 7. justified task / result cells (as Lâm Đồng's real plan) and identical runs merged, landscape
        Variant("justified_merged", UBND, ubnd, replace(
            base["landscape"], name="justified_merged", justify=True, merge_identical_runs=True)),
        # 8. a two-row header ("Đơn vị thực hiện" over "Chủ trì | Phối hợp") and a "(1) (2) …" row, repeated
        Variant("two_row_header", SVH, truth_with_columns(svh, GROUP_LEAVES), replace(
            base["portrait"], name="two_row_header", group_header="Đơn vị thực hiện", number_row="({})")),
        # 8b. the same in landscape with "1 2 3 …", the header on the first page only
        Variant("two_row_header_once", UBND, truth_with_columns(ubnd, GROUP_LEAVES), replace(
            base["splits"], name="two_row_header_once", group_header="Đơn vị thực hiện", number_row="{}",
            repeat_header=False)),
    ]
    return {v.name: v for v in variants}


VARIANTS = _variants()


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    truth_path: Path
    truth: dict[str, Any]
    pages: int


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every variant built as .docx and converted to PDF in a single LibreOffice run."""
    work = tmp_path_factory.mktemp("variants")
    docxs: list[Path] = []
    for v in VARIANTS.values():
        docx = work / f"variant_{v.name}.docx"
        ms.build_docx(v.truth, v.truth_name, v.layout, 0.0, docx)
        docxs.append(docx)
        (work / f"variant_{v.name}.truth.json").write_text(json.dumps(v.truth, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    pdfs = ms.Converter(SOFFICE, work).to_pdfs(docxs, work)
    print(f"\nLibreOffice converted {len(pdfs)} variants in {time.perf_counter() - start:.1f} s")
    out: dict[str, Rendered] = {}
    for v, pdf in zip(VARIANTS.values(), pdfs, strict=True):
        with pdfplumber.open(pdf) as p:
            pages = len(p.pages)
        out[v.name] = Rendered(pdf, work / f"variant_{v.name}.truth.json", v.truth, pages)
    return out


@pytest.fixture(scope="session")
def extracted(rendered: dict[str, Rendered]) -> Callable[[str, str], Document]:
    @functools.cache
    def run(name: str, engine: str = "pdfplumber") -> Document:
        return extract_document(rendered[name].pdf, engine=engine)

    return run


def _evaluate(doc: Document, truth_path: Path, out_dir: Path, stem: str) -> list[Report]:
    return [evaluate(path, truth_path) for path in write_outputs(doc, out_dir, stem)]


def _explain(report: Report) -> str:
    lines = [f"accuracy {report.accuracy:.4f}, missing rows {report.missing}, extra rows {report.extra}"]
    lines += [f"row {m.row} p.{m.page} {m.field}: expected {m.expected!r} got {m.got!r}" for m in report.mismatches]
    return "\n".join(lines)


def _counts(truth: dict[str, Any]) -> dict[str, int]:
    tasks = [t for s in truth["sections"] for t in s["tasks"]]
    return {"sections": len(truth["sections"]), "tasks": len(tasks),
            "assignments": sum(len(t["assignments"]) for t in tasks)}


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_exact(name: str, rendered: dict[str, Rendered], extracted: Callable[..., Document],
                       tmp_path: Path) -> None:
    r = rendered[name]
    doc = extracted(name)
    for report in _evaluate(doc, r.truth_path, tmp_path, name):  # JSON and CSV
        assert report.accuracy == 1.0, _explain(report)
        assert report.truth_rows == report.got_rows == _counts(r.truth)["assignments"]
    assert doc.counts() == _counts(r.truth)
    assert doc.source.page_count == r.pages
    last_table_page = r.pages - 1 if name == "trailing_blank_page" else r.pages
    assert doc.source.table_pages == list(range(1, last_table_page + 1))
    gaps = [w.message for w in doc.warnings if w.code == WarningCode.NUMBERING_GAP]
    assert gaps == []  # every truth numbers its sections I, II, … without a gap
    assert doc.coverage is not None and doc.coverage.ratio == 1.0  # every character read is in one value
    assert [w.message for w in doc.warnings if w.severity == "error"] == []


@pytest.mark.parametrize(("name", "family"), [("sans_11pt", SANS), ("wide_task_column", "Liberation Serif")])
def test_font_family_rendered(name: str, family: str, rendered: dict[str, Rendered]) -> None:
    with pdfplumber.open(rendered[name].pdf) as pdf:
        fonts = {c["fontname"].split("+")[-1].split("-")[0] for c in pdf.pages[0].chars}
    assert fonts == {family.replace(" ", "")}


def test_issuer_headers_mapped_by_their_words(extracted: Callable[..., Document]) -> None:
    doc = extracted("issuer_headers")
    assert [" ".join(c.header.split()) for c in doc.columns] == ISSUER_COLUMNS
    assert [c.field for c in doc.columns] == ["stt", "description", "result", "lead", "partner", "timeframe"]
    assert not [w for w in doc.warnings if w.code == WarningCode.UNKNOWN_COLUMN]


def test_ghi_chu_column_kept_as_extra(extracted: Callable[..., Document]) -> None:
    doc = extracted("ghi_chu_column")
    assert [(c.index, " ".join(c.header.split()), c.field) for c in doc.columns][6:] == [(6, NOTE, "extra")]
    unknown = [w for w in doc.warnings if w.code == WarningCode.UNKNOWN_COLUMN]
    assert [w.message for w in unknown] == [f"column 7 '{NOTE}' is not a known task column; kept as an extra field"]
    notes = {}
    for s in doc.sections:
        for t in s.tasks:
            for i, a in enumerate(t.assignments):
                text = a.extra[NOTE].text if NOTE in a.extra else ""
                if text:
                    notes[(s.number.text, t.number.text, i)] = text
    assert notes == NOTES


@pytest.mark.parametrize("name", ["one_page", "trailing_blank_page"])
def test_one_page_table(name: str, rendered: dict[str, Rendered], extracted: Callable[..., Document]) -> None:
    pages = {"one_page": 1, "trailing_blank_page": 2}[name]
    assert rendered[name].pages == pages
    doc = extracted(name)
    assert doc.source.table_pages == [1]
    assert [s.number.text for s in doc.sections] == ["I", "II"]
    assert [t.number.text for s in doc.sections for t in s.tasks] == ["1", "2", "1", "2"]
    assert {a.page_last for s in doc.sections for t in s.tasks for a in t.assignments} == {1}


def test_long_table_tasks_over_30_pages(rendered: dict[str, Rendered], extracted: Callable[..., Document]) -> None:
    """Every task and assignment of the 30+ page table, in order, whatever becomes of the section rows."""
    r = rendered["long_table"]
    assert r.pages >= MIN_LONG_PAGES
    assert r.truth["sections"][-1]["number"] == "LXIII"
    doc = extracted("long_table")
    assert doc.source.table_pages == list(range(1, r.pages + 1))

    def rows(tasks: list[tuple[str, str, list[tuple[str, ...]]]]) -> list[tuple[str, ...]]:
        return [(number, description, *a) for number, description, assignments in tasks for a in assignments]

    expected = rows([(t["number"], t["description"], [tuple(a[f] for f in ms.FIELDS) for a in t["assignments"]])
                     for s in r.truth["sections"] for t in s["tasks"]])
    got = rows([(t.number.text, t.description.text,
                 [(a.result.text, a.lead.text, a.partner.text, a.timeframe.text) for a in t.assignments])
                for s in doc.sections for t in s.tasks])
    assert len(got) == len(expected) == 165
    assert got == expected
    assert max(a.page_last for s in doc.sections for t in s.tasks for a in t.assignments) == r.pages


def test_long_table_camelot(rendered: dict[str, Rendered], tmp_path: Path) -> None:
    r = rendered["long_table"]
    doc = extract_document(r.pdf, engine="camelot")
    for report in _evaluate(doc, r.truth_path, tmp_path, "long_table_camelot"):
        assert report.accuracy == 1.0, _explain(report)
    assert doc.counts() == _counts(r.truth)


def test_roman() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 49, 63, 90, 99)] == [
        "I", "IV", "IX", "XIV", "XL", "XLIX", "LXIII", "XC", "XCIX"]
