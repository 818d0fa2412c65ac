"""A second producer: both seeds drawn with reportlab (tests/drawn_tables.py) in four fonts, landscape with the
header repeated and portrait with the header on the first page only, must come back exactly, with every
character accounted for (coverage 1.0) — rows split across pages wherever this producer's pagination puts
them, not where LibreOffice did."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TRUTH, extract_exactly
from tests.drawn_tables import Style, draw, font

FONTS = ["Liberation Serif", "DejaVu Serif", "Liberation Sans", "Noto Serif"]


@pytest.mark.parametrize("seed", ["caobang_ubnd_2026", "caobang_svhttdl_2026"])
@pytest.mark.parametrize("family", FONTS)
@pytest.mark.parametrize(("landscape", "repeat_header"), [(True, True), (False, False)],
                         ids=["landscape, header repeated", "portrait, header on page 1 only"])
def test_drawn_seed_is_exact(tmp_path, seed, family, landscape, repeat_header):
    try:
        font(family)
    except LookupError:
        pytest.skip(f"{family} is not installed")
    truth = TRUTH / f"{seed}.json"
    pdf = tmp_path / f"{seed}.pdf"
    drawing = draw(json.loads(truth.read_text(encoding="utf-8")),
                   Style(family=family, landscape=landscape, repeat_header=repeat_header,
                         size=11 if landscape else 10), pdf)
    assert drawing.pages > 1
    extract_exactly(pdf, truth, tmp_path)
