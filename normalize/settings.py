"""Every threshold of the normalizer in one documented, validated, frozen object.

Modelled on pdfplumber's ``TableSettings``: defaults equal to the values the normalizer was tuned with, a check
of every value on construction, and one object passed in (``normalize(..., settings=...)``) rather than module
globals patched at run time. Lengths are in PDF points (1/72 inch) in the page's upright frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc_extract.schemas.numbers import check_numbers


@dataclass(frozen=True)
class NormalizeSettings:
    """Thresholds of the pure normalizer (``normalize/``); ``NormalizeSettings()`` is the tuned default."""

    # --- rows split across a page break (normalize/assemble.py) ---
    #: A cell's top padding (its top rule to its first line, the lower quartile over a page's cells) is
    #: clamped to at most this, so that a cell with blank lines above its text does not inflate it.
    max_top_gap: float = 8.0
    #: The top padding taken on a page whose cells hold no text.
    default_top_gap: float = 2.0
    #: The line pitch of a page without wrapped lines is this multiple of the median line height.
    pitch_per_height: float = 1.15
    #: The line pitch of a page without any text line.
    default_pitch: float = 14.0
    #: A cell had room for one more line when the space from its last line's top to its bottom rule is at
    #: least this many line pitches plus the bottom padding (the last line's slot and one more).
    room_lines: float = 2.0

    # --- wrapped lines joined into one text (normalize/text.py) ---
    #: A Vietnamese syllable has at most this many letters ("nghiêng"); a letters-only token longer than this
    #: that fills its line is taken as a word broken for lack of room.
    max_syllable: int = 7
    #: Where an engine gives no glyph widths (OCR), the next line's first glyph is taken as this share of the
    #: line's mean character width.
    fallback_glyph: float = 0.6
    #: The padding seen left of a cell's text (which is taken to be the padding on its right too) is clamped
    #: to ``min_padding``..``max_padding``; ``default_padding`` where the cell holds no line.
    min_padding: float = 1.0
    max_padding: float = 10.0
    default_padding: float = 5.0

    # --- the header and the task table's pages (normalize/header.py) ---
    #: The header band is one to this many grid rows (column-number row not counted).
    max_header_rows: int = 3
    #: Two pages' tables continue each other when their column rules lie within this share of the table's
    #: width (a phone capture's perspective shifts and scales a table from page to page) …
    same_columns_share: float = 0.01
    #: … and never closer than this many points.
    same_columns_pt: float = 4.0
    #: The task table goes on past at most this many pages in a row whose tables do not line up with it (a
    #: scan's page whose rule a seal hid, an inserted page): their text is reported unread (severity error),
    #: and no row is joined across them.
    chain_gap_pages: int = 2

    def __post_init__(self) -> None:
        check_numbers(self, positive=("default_pitch", "pitch_per_height", "room_lines", "fallback_glyph",
                                      "max_syllable", "max_header_rows", "same_columns_share"))
        if self.min_padding > self.max_padding:
            raise ValueError(f"NormalizeSettings.min_padding ({self.min_padding}) is above max_padding "
                             f"({self.max_padding})")
        if not self.min_padding <= self.default_padding <= self.max_padding:
            raise ValueError(f"NormalizeSettings.default_padding ({self.default_padding}) is outside "
                             f"min_padding..max_padding")
        if self.default_top_gap > self.max_top_gap:
            raise ValueError(f"NormalizeSettings.default_top_gap ({self.default_top_gap}) is above max_top_gap "
                             f"({self.max_top_gap})")
        if self.same_columns_share >= 1:
            raise ValueError(f"NormalizeSettings.same_columns_share must be below 1, not {self.same_columns_share}")


#: The tuned defaults.
DEFAULT_SETTINGS = NormalizeSettings()
