"""The words of a page as pdfplumber reads them, for the engines that use pdfplumber's text layer
(``pdfplumber`` and ``camelot``): one place for the word settings the pdfium engine reproduces."""

from __future__ import annotations

from typing import Any

from tthc_extract.extract.geometry import Word
from tthc_extract.extract.settings import DEFAULT_ENGINE_SETTINGS, EngineSettings


def page_words(page: Any, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS) -> list[Word]:
    """Every word of a pdfplumber page, with the advance width of its first glyph (characters further apart
    than ``settings.x_tolerance`` start a new word; baselines within ``settings.y_tolerance`` are one line —
    the same settings as the pdfium engine's words)."""
    return [
        Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], w["chars"][0]["width"] if w["chars"] else 0.0)
        for w in page.extract_words(x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance,
                                    keep_blank_chars=False,
                                    return_chars=True)
    ]
