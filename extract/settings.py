"""Every threshold of the text engines' table finding in one documented, validated, frozen object.

Modelled on pdfplumber's ``TableSettings``: defaults equal to the values the engines were tuned with (and to
pdfplumber's own where the pdfium engine reproduces pdfplumber), a check of every value on construction, and
one object passed in (``engine.extract(..., settings=...)``) rather than module globals patched at run time.
Lengths are in PDF points (1/72 inch) in the page's displayed frame. The OCR engine works on pixels of a
rendered image and keeps its own thresholds (extract/ocr_engine.py); of these it uses none.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from tthc_extract.schemas.numbers import check_numbers


@dataclass(frozen=True)
class EngineSettings:
    """Thresholds of the pdfium, pdfplumber and camelot engines; ``EngineSettings()`` is the tuned default."""

    # --- ruling lines (pdfium engine) ---
    #: Rule positions closer than this are the same rule (pdfplumber's ``snap_tolerance``).
    snap: float = 3.0
    #: Collinear rule pieces with a gap up to this are joined; a rule ending this close to another touches it
    #: (pdfplumber's ``join_tolerance``).
    join: float = 3.0
    #: A filled rectangle thinner than this is a rule along its long side (LibreOffice draws borders so).
    thin: float = 2.0
    #: Rule pieces shorter than this are ignored (the ends of stroked hairline rectangles).
    min_rule: float = 2.0
    #: A segment is axis-parallel when its other coordinate varies less than this.
    axis_eps: float = 0.5

    # --- words (pdfium engine, and pdfplumber's extract_words for the pdfplumber and camelot engines) ---
    #: Characters further apart horizontally than this start a new word (pdfplumber's ``x_tolerance``).
    x_tolerance: float = 1.5
    #: Characters whose baselines differ up to this are on one line (pdfplumber's ``y_tolerance``).
    y_tolerance: float = 2.0

    # --- cells on the grid (extract/geometry.py, every text engine) ---
    #: Cell edges closer than this are one grid line.
    edge_tolerance: float = 2.0

    def __post_init__(self) -> None:
        check_numbers(self, positive=[f.name for f in fields(self)])


#: The tuned defaults.
DEFAULT_ENGINE_SETTINGS = EngineSettings()
