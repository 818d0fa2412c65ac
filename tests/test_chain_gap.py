"""The task table goes on past an odd page: a page whose table does not line up with the pages around it (a
scan's page where a seal hid a column rule, an inserted page) is reported unread with severity error and
counted in the coverage, no row is joined across it, and the pages after it are still read."""

from __future__ import annotations

from tests.gridkit import HEADER, WIDTHS, page_table
from tthc_extract.normalize import normalize, select_task_table
from tthc_extract.normalize.settings import NormalizeSettings
from tthc_extract.schemas import SourceInfo
from tthc_extract.schemas.document import WarningCode
from tthc_extract.schemas.raw import Box, TextLine

SRC = SourceInfo(file_name="t.pdf", sha256="0" * 64, page_count=5, table_pages=[])
#: The odd page: the rule between the lead and the partner columns lost, five columns.
ODD_WIDTHS = [*WIDTHS[:3], WIDTHS[3] + WIDTHS[4], WIDTHS[5]]
ODD_HEADER = [*HEADER[:3], "Đơn vị chủ trì Đơn vị phối hợp", HEADER[5]]


def _pages(odd_pages: tuple[int, ...], last_page: int = 4):
    out = [page_table(1, [[("I", 1), ("CÔNG TÁC CHỈ ĐẠO", 5)],
                          ["1", "Ban hành kế hoạch", "Kế hoạch", "Văn phòng", "", "Tháng 01/2026"]])]
    for p in range(2, last_page + 1):
        if p in odd_pages:
            out.append(page_table(p, [[str(p), f"Nhiệm vụ trang {p}", "Báo cáo", "Sở Nội vụ Sở Tư pháp", "Quý I"]],
                                  widths=ODD_WIDTHS, header=ODD_HEADER))
        else:
            out.append(page_table(p, [["", "tiếp theo", "", "", "", ""],
                                      [str(p), f"Nhiệm vụ trang {p}", "Báo cáo", "Sở Nội vụ", "", "Quý I"]]))
    return out


def test_an_odd_page_does_not_end_the_task_table() -> None:
    pages = _pages(odd_pages=(3,))
    chosen, _ = select_task_table(pages)
    assert [t.page for t in chosen] == [1, 2, 4]
    doc = normalize(pages, SRC, engine="test", engine_version="0")
    tasks = [(t.number.text, t.description.text) for t in doc.sections[0].tasks]
    # page 2's top row continues task 1 (pages 1 and 2 are consecutive); page 4's top row follows the unread
    # page 3: it is not joined to page 2's task 2 but kept as a row of its own
    assert tasks == [("1", "Ban hành kế hoạch tiếp theo"), ("2", "Nhiệm vụ trang 2"), ("", "tiếp theo"),
                     ("4", "Nhiệm vụ trang 4")]
    assert any(w.code == WarningCode.EMPTY_REQUIRED_CELL and w.message == "task without a number (STT)"
               for w in doc.warnings)
    (odd,) = [w for w in doc.warnings if w.code == WarningCode.TABLE_NOT_READ]
    assert odd.severity == "error" and odd.pages == [3]
    assert odd.message.startswith("the table on page 3 (5 columns) does not line up with the task table's "
                                  "(6 columns) on the pages around it; its rows were not read")
    assert doc.coverage is not None and doc.coverage.ratio < 1.0
    assert doc.coverage.unassigned == sum(len(s.replace(" ", "")) for s in
                                          [*ODD_HEADER, "3", "Nhiệm vụ trang 3", "Báo cáo", "Sở Nội vụ Sở Tư pháp",
                                           "Quý I"])


def test_more_odd_pages_than_the_gap_allows_end_the_task_table() -> None:
    pages = _pages(odd_pages=(3, 4), last_page=5)
    assert [t.page for t in select_task_table(pages)[0]] == [1, 2, 5]
    narrow = NormalizeSettings(chain_gap_pages=1)
    assert [t.page for t in select_task_table(pages, narrow)[0]] == [1, 2]
    doc = normalize(pages, SRC, engine="test", engine_version="0", settings=narrow)
    after = [w for w in doc.warnings if w.code == WarningCode.TABLE_NOT_READ]
    assert [(w.pages, w.severity) for w in after] == [([3], "warning"), ([4], "warning"), ([5], "warning")]
    assert doc.coverage is not None and doc.coverage.ratio == 1.0  # the table ended: what follows is no part


def test_consecutive_pages_still_join() -> None:
    doc = normalize(_pages(odd_pages=()), SRC, engine="test", engine_version="0")
    assert [t.description.text for t in doc.sections[0].tasks] == [
        "Ban hành kế hoạch tiếp theo", "Nhiệm vụ trang 2 tiếp theo", "Nhiệm vụ trang 3 tiếp theo",
        "Nhiệm vụ trang 4"]
    assert not [w for w in doc.warnings if w.code == WarningCode.TABLE_NOT_READ]


def test_a_later_appendix_with_the_same_columns_is_not_taken_in() -> None:
    pages = _pages(odd_pages=(3,))
    title = TextLine(text="PHỤ LỤC III", box=Box(x0=300, top=30, x1=380, bottom=42))
    page_no = TextLine(text="4", box=Box(x0=420, top=20, x1=426, bottom=32))
    titled = [*pages[:3], pages[3].model_copy(update={"text_above": [page_no, title]})]
    assert [t.page for t in select_task_table(titled)[0]] == [1, 2]  # its own title: another table
    numbered = [*pages[:3], pages[3].model_copy(update={"text_above": [page_no]})]
    assert [t.page for t in select_task_table(numbered)[0]] == [1, 2, 4]  # only a page number: it goes on
