"""The words of a page as pdfplumber reads them, for the engines that use pdfplumber's text layer
(``pdfplumber`` and ``camelot``): one place for the word settings the pdfium engine reproduces."""

from __future__ import annotations

from typing import Any

from extract.geometry import Word

#: pdfplumber's word settings: characters further apart than 1.5 pt start a new word; baselines within 2 pt
#: are one line (the pdfium engine's X_TOLERANCE and Y_TOLERANCE).
X_TOLERANCE = 1.5
Y_TOLERANCE = 2.0


def page_words(page: Any) -> list[Word]:
    """Every word of a pdfplumber page, with the advance width of its first glyph."""
    return [
        Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], w["chars"][0]["width"] if w["chars"] else 0.0)
        for w in page.extract_words(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE, keep_blank_chars=False,
                                    return_chars=True)
    ]
