"""schemas/text.py: the one place for NFC, whitespace collapse and case folding."""

from __future__ import annotations

import unicodedata

from tthc_extract.schemas.text import collapse, fold, nfc, squeeze


def test_collapse_is_nfc_with_single_spaces():
    decomposed = unicodedata.normalize("NFD", "  Văn   phòng\tUBND\n tỉnh ")
    assert collapse(decomposed) == "Văn phòng UBND tỉnh"
    assert unicodedata.is_normalized("NFC", collapse(decomposed))
    assert collapse(None) == "" and collapse("") == ""


def test_fold_and_squeeze_compare_names_and_headers():
    assert fold(" Sở  TƯ PHÁP ") == "sở tư pháp" == fold(unicodedata.normalize("NFD", "sở tư pháp"))
    assert squeeze("ST T") == squeeze("stt") == "stt"
    assert nfc("e\u0302\u0323") == "ệ"
