"""Tone-mark repair over an OCR'd document (extract/ocr/tones.py): letters never change, a syllable that
cannot be written so takes the tone the document makes likely, a word pair follows the document's usual
spelling, and every repair keeps Tesseract's reading, which the output's warnings show."""

from __future__ import annotations

import pytest

from tests.gridkit import page_table
from tthc_extract.extract.ocr import numbering, tones
from tthc_extract.normalize import normalize
from tthc_extract.schemas.document import Repair, SourceInfo, WarningCode
from tthc_extract.schemas.raw import Box, Cell, PageTable, TextLine

#: A small syllable list (toneless syllable → its tones), so that the tests do not depend on hunspell-vi.
ACUTE, GRAVE, HOOK, DOT = "\u0301", "\u0300", "\u0309", "\u0323"
KNOWN = {"kêt": frozenset({ACUTE}), "qua": frozenset({"", ACUTE, GRAVE, HOOK}), "đôc": frozenset({ACUTE, DOT}),
         "đôn": frozenset({""}), "cô": frozenset({"", ACUTE, GRAVE, HOOK, DOT}), "vân": frozenset({"", ACUTE}),
         "truyên": frozenset({GRAVE}), "thông": frozenset({""}), "thâm": frozenset({ACUTE, HOOK, DOT}),
         "đinh": frozenset({"", GRAVE, DOT}), "kiêm": frozenset({"", ACUTE, HOOK}), "soat": frozenset({ACUTE})}
#: A small word list (the installed one is pyvi's, tested below).
LEXICON = tones.lexicon_of(["kiểm soát", "kiểm tra", "tổ chức", "bổ sung", "điều hành", "điều", "thông báo",
                            "hệ thống", "bàn tính", "cào bằng", "địa bàn", "chỉ đạo", "trên", "môi trường",
                            "công bố", "công khai", "công an", "kiên nghị", "kiến nghị"])


def _table(*cells: list[str]) -> PageTable:
    box = Box(x0=0, top=0, x1=10, bottom=10)
    return PageTable(page=1, page_width=10, page_height=10, box=box, n_rows=len(cells), n_cols=1, cells=[
        Cell(row=i, col=0, box=box, confidence=0.9, lines=[TextLine(text=t, box=box) for t in lines])
        for i, lines in enumerate(cells)])


def test_phonotactics_and_the_syllable_list():
    assert tones.possible("kêt", {}) is False  # a stop final takes only sắc or nặng: no list needed
    assert tones.possible("đôc", {}) is False and tones.possible("độc", {}) is None
    assert tones.possible("kết", KNOWN) is True and tones.possible("truyên", KNOWN) is False
    assert tones.possible("tthc", KNOWN) is None  # not a syllable the list knows: left alone
    assert tones.toneless("Kiểm") == "kiêm" and tones.tone("hoà") == tones.tone("hòa") == GRAVE


def test_an_impossible_syllable_takes_the_documents_tone():
    table = _table(["Báo cáo kêt quả; đôn đôc"], ["đôn đốc các đơn vị"], ["kết quả"], ["Đôn đôc, kiểm tra"])
    assert tones.repair_tones([table], KNOWN) == 3
    assert [c.text for c in table.cells] == ["Báo cáo kết quả; đôn đốc", "đôn đốc các đơn vị", "kết quả",
                                             "Đôn đốc, kiểm tra"]
    line = table.cells[0].lines[0]
    assert line.ocr_read == "Báo cáo kêt quả; đôn đôc"  # what Tesseract read, kept
    assert table.cells[0].confidence == pytest.approx(0.9 * tones.TONE_CONF) and table.cells[1].confidence == 0.9


def test_an_impossible_syllable_without_evidence_between_two_tones_is_left():
    table = _table(["đôc lập"])  # "đốc" or "độc": the document does not say
    assert tones.repair_tones([table], KNOWN) == 0
    assert table.cells[0].text == "đôc lập" and table.cells[0].lines[0].ocr_read is None


def test_word_pairs_follow_the_documents_usual_spelling():
    table = _table(["Thuê cô vân pháp lý"], ["cố vấn"], ["cố vấn; cố vấn"], ["THẤM ĐỊNH hồ sơ"], ["thẩm định"],
                   ["thẩm định"], ["TRUYÊN THÔNG"], ["truyền thông"])
    assert tones.repair_tones([table], KNOWN) == 4
    assert table.cells[0].text == "Thuê cố vấn pháp lý"
    assert table.cells[3].text == "THẨM ĐỊNH hồ sơ"
    assert table.cells[6].text == "TRUYỀN THÔNG"  # "truyên" is no syllable: one "truyền" elsewhere decides
    assert [c.text for c in table.cells[1:3]] == ["cố vấn", "cố vấn; cố vấn"]


def test_a_correct_word_is_never_touched():
    # the document's majority is the model's own misreading (a hook read as an acute): without a word list the
    # one right reading stays (and the misreadings too)
    table = _table(["kiểm soát TTHC"], ["kiếm soát"], ["kiếm soát"], ["kiếm soát"], ["KIỂM SOÁT"])
    assert tones.repair_tones([table], KNOWN, {}) == 0
    # the pair as read occurs elsewhere too, not three times rarer: left alone
    table = _table(["THẤM QUYỀN"], ["thẩm quyền; thấm quyền; thẩm quyền"])
    assert tones.repair_tones([table], KNOWN, {}) == 0
    # letters never change: "đinh" is no tone variant of "định"'s neighbours' spelling "dinh"
    table = _table(["quyết dinh"], ["quyết định"], ["quyết định"])
    assert tones.repair_tones([table], KNOWN, LEXICON) == 0


def test_capitals_follow_ordinary_text_across_a_line_break():
    table = _table(["NÂNG CAO NĂNG LỰC KIẾM", "SOÁT TTHC; TỐ CHỨC"], ["Kiểm soát TTHC"], ["kiểm soát và tổ", "chức"],
                   ["Tổ chức"], ["CÔNG BỐ, CÔNG KHAI"], ["cán bộ, công chức; cán bộ, công chức"])
    assert tones.repair_tones([table], {}) == 2
    texts = [c.text for c in table.cells]
    assert texts[0] == "NÂNG CAO NĂNG LỰC KIỂM SOÁT TTHC; TỔ CHỨC"
    assert table.cells[0].lines[0].ocr_read == "NÂNG CAO NĂNG LỰC KIẾM" and table.cells[0].lines[1].ocr_read == (
        "SOÁT TTHC; TỐ CHỨC")
    assert texts[4] == "CÔNG BỐ, CÔNG KHAI"  # "bộ, công" is no pair: a comma stands between
    assert texts[1:4] == ["Kiểm soát TTHC", "kiểm soát và tổ chức", "Tổ chức"]


def test_a_run_of_words_takes_the_word_lists_hook_for_an_acute():
    # every "kiểm" of the document read "kiếm": the word list knows "kiểm soát" and "kiểm tra", not "kiếm ..."
    table = _table(["kiếm soát TTHC; kiếm tra"], ["Tố chức kiếm soát"], ["bố sung"], ["kiếm"])
    assert tones.repair_tones([table], {}, LEXICON) == 5
    assert [c.text for c in table.cells] == ["kiểm soát TTHC; kiểm tra", "Tổ chức kiểm soát", "bổ sung", "kiếm"]
    assert table.cells[0].lines[0].ocr_read == "kiếm soát TTHC; kiếm tra"
    # only the model's confusion is undone in ordinary type: an acute read is never made a grave or a dot
    table = _table(["điếu hành"], ["kiểm tra, tố"])
    assert tones.repair_tones([table], {}, LEXICON) == 0


def test_capitals_take_any_mark_the_word_list_and_the_document_agree_on():
    table = _table(["CÔNG TÁC CHỈ ĐẠO, ĐIÊU HÀNH", "TREN MOI TRƯỜNG"], ["điều hành; điều; trên; trên môi"])
    assert tones.repair_tones([table], {}, LEXICON) == 2
    # "trên" is one syllable (no word of the list), once in a pair: "TREN" stays
    assert table.cells[0].text == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH TREN MÔI TRƯỜNG"
    # a word of the list the document does not write in ordinary type is no evidence ("cào bằng", "bàn tính")
    table = _table(["TRÊN ĐỊA BÀN TỈNH CAO BẰNG"], ["tỉnh Cao Bằng; tỉnh; trên địa bàn tỉnh"], ["tính"])
    assert tones.repair_tones([table], {}, LEXICON) == 0
    # capitals follow the document's pairs even where they read as a word ("kiên nghị": steadfast)
    table = _table(["PHẢN ÁNH, KIÊN NGHỊ VỀ"], ["phản ánh, kiến nghị; kiến nghị; kiến nghị"])
    assert tones.repair_tones([table], {}, LEXICON) == 1 and table.cells[0].text == "PHẢN ÁNH, KIẾN NGHỊ VỀ"
    # ordinary type read as a word is not respelled after the document's pairs ("thông báo" inside "hệ thống báo
    # cáo")
    table = _table(["Thông báo kết quả"], ["hệ thống báo cáo"], ["Hệ thống báo cáo; hệ thống báo cáo"])
    assert tones.repair_tones([table], {}, LEXICON) == 0


def test_a_pair_straddling_two_words_is_no_evidence():
    # "bố công" thrice inside "công bố công khai": no reason to respell "Bộ Công an"
    table = _table(["của Bộ Công an"], ["công bố công khai; công bố công khai; công bố công khai"])
    assert tones.repair_tones([table], {}, LEXICON) == 0 and table.cells[0].text == "của Bộ Công an"
    assert tones.repair_tones([table], {}, {}) == 1  # without the word list the pair counts (and misleads)
    # the misread "trên mồi trường" twice does not outvote the right "trên môi" (both straddle "môi trường")
    table = _table(["trên môi trường"], ["trên mồi trường"], ["trên mồi trường"])
    assert tones.repair_tones([table], {}, LEXICON) == 0 and table.cells[0].text == "trên môi trường"


def test_no_false_repair_on_correct_text():
    # correct Vietnamese text (both samples' truth and seeds) through the installed lists changes nothing
    import json
    from pathlib import Path

    def strings(o):
        if isinstance(o, str):
            yield o
        for v in (o.values() if isinstance(o, dict) else o if isinstance(o, list) else ()):
            yield from strings(v)

    truth = Path(__file__).resolve().parent.parent / "samples" / "truth"
    texts = [t for p in sorted(truth.glob("*.json")) for t in strings(json.loads(p.read_text("utf-8"))) if t]
    table = _table(*[[t] for t in texts])
    assert len(texts) > 300 and tones.repair_tones([table]) == 0
    assert [c.text for c in table.cells] == texts


def test_the_installed_word_list():
    lexicon = tones.word_list()
    assert len(lexicon) > 20000  # pyvi's words.txt: about 25 000 words of two syllables or more
    spellings = lexicon[("kiem", "soat")]
    assert (("kiêm", HOOK), ("soat", ACUTE)) in spellings and (("kiêm", ACUTE), ("soat", ACUTE)) not in spellings
    assert tones.word_list(("no-such-package-here", "words.txt")) == {}


@pytest.mark.skipif(not tones.syllables(), reason="needs hunspell-vi's syllable list (apt-get install hunspell-vi)")
def test_the_installed_syllable_list():
    known = tones.syllables()
    assert len(known) > 2000 and sum(len(t) for t in known.values()) > 6000  # bases; syllables
    assert tones.possible("kết", known) and tones.possible("tuyên", known) and tones.possible("hòa", known)
    assert tones.possible("truyên", known) is False and tones.possible("kêt", known) is False
    table = _table(["TRUYÊN THÔNG"], ["Tuyên truyền, truyền thông"])
    assert tones.repair_tones([table]) == 1 and table.cells[0].text == "TRUYỀN THÔNG"


def test_the_repairs_reach_the_output_as_warnings_with_the_reading():
    tables = [page_table(1, [[("I. CÔNG TÁC CHỈ ĐẠO", 6)],
                             ["1", "Báo cáo kêt quả", "Báo cáo", "Sở Tư pháp", "", "Tháng 12"],
                             ["I", "Đôn đốc kết quả", "Văn bản", "Sở Tư pháp", "", "Tháng 6"],
                             ["3", "Kết quả", "Văn bản", "Sở Tư pháp", "", "Tháng 6"]])]
    for cell in tables[0].cells:
        cell.confidence = 0.9
    assert numbering.enforce_numbering(tables) == 1  # a task row's "I" is the number 2
    assert tones.repair_tones(tables, KNOWN) == 1
    source = SourceInfo(file_name="x.pdf", sha256="0" * 64, page_count=1, table_pages=[1])
    doc = normalize(tables, source, "ocr", "test")
    task = doc.sections[0].tasks[0]
    assert task.description.text == "Báo cáo kết quả"
    assert Repair.OCR_REPAIRED in task.description.provenance.repairs
    assert doc.sections[0].tasks[1].number.text == "2"
    repaired = {w.value: w.message for w in doc.warnings if w.code == WarningCode.OCR_REPAIRED}
    assert repaired == {"s1.t1/description": "task I.1: description: OCR read “Báo cáo kêt quả”, repaired to "
                                             "“Báo cáo kết quả”",
                        "s1.t2/number": "task I.2: number: OCR read “I”, repaired to “2”"}
    assert all(w.severity == "info" for w in doc.warnings if w.code == WarningCode.OCR_REPAIRED)
    assert "ocr_read" not in doc.model_dump_json()  # the reading is in the warning, not a new field
