"""A second producer: both seeds drawn with reportlab (tests/drawn_tables.py) in four fonts, landscape with the
header repeated and portrait with the header on the first page only, must come back exactly, with every
character accounted for (coverage 1.0) — rows split across pages wherever this producer's pagination puts
them, not where LibreOffice did."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TRUTH
from tests.drawn_tables import Style, draw, font
from tthc.evaluate import evaluate
from tthc.runner import extract_document

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
    doc = extract_document(pdf)
    out = tmp_path / "out.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, truth)
    assert (report.accuracy, report.got_rows) == (1.0, report.truth_rows), report.mismatches[:3]
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
    assert [w.message for w in doc.warnings if w.severity == "error"] == []
