"""Golden files: output/<sample>.json and .csv are the bundled samples' results, regenerated and diffed here.

They catch what the truth comparison cannot see: a moved provenance box, a changed warning, a new field.
After an intended change, regenerate them with ``TTHC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import ROOT, sample_pdfs
from tthc.runner import extract_document
from tthc.writers import csv_bytes, json_bytes, write_outputs

GOLDEN = ROOT / "output"
UPDATE = os.environ.get("TTHC_UPDATE_GOLDEN") == "1"


def comparable(raw: bytes) -> dict:
    data = json.loads(raw)
    data.pop("engine_version")  # library versions vary between installs
    return data


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_golden_outputs(pdf):
    doc = extract_document(pdf)
    if UPDATE:
        write_outputs(doc, GOLDEN, pdf.stem)
    golden_json = GOLDEN / f"{pdf.stem}.json"
    golden_csv = GOLDEN / f"{pdf.stem}.csv"
    assert golden_json.exists(), "run TTHC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"
    assert comparable(json_bytes(doc)) == comparable(golden_json.read_bytes())
    assert csv_bytes(doc) == golden_csv.read_bytes()
