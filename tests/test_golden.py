"""Golden files: tests/golden/<sample>.json and .csv are the bundled samples' results, regenerated and diffed here.

They catch what the truth comparison cannot see: a moved provenance box, a changed warning, a new field.
They live under tests/ so that the README's ``tthc extract samples/*.pdf -o output/ --force`` cannot rewrite
them. After an intended change, regenerate them with ``TTHC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, sample_pdfs
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document
from tthc_extract.writers import csv_bytes, json_bytes, write_outputs

UPDATE = os.environ.get("TTHC_UPDATE_GOLDEN") == "1"


def comparable(raw: bytes) -> dict:
    data = json.loads(raw)
    data.pop("engine_version")  # library versions vary between installs
    return data


def golden_differences(doc: Document, golden: Path, stem: str) -> list[str]:
    """What differs between ``doc``'s outputs and the golden files ``golden/<stem>.json`` and ``.csv`` (empty
    when they are the same but for the engine version)."""
    golden_json, golden_csv = golden / f"{stem}.json", golden / f"{stem}.csv"
    if not golden_json.exists() or not golden_csv.exists():
        return [f"no golden files for {stem}: run TTHC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"]
    out = []
    got, want = comparable(json_bytes(doc)), comparable(golden_json.read_bytes())
    if got != want:
        keys = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
        out.append(f"{stem}.json differs in {', '.join(keys)}")
    if csv_bytes(doc) != golden_csv.read_bytes():
        out.append(f"{stem}.csv differs")
    return out


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_golden_outputs(pdf):
    doc = extract_document(pdf)
    if UPDATE:
        write_outputs(doc, GOLDEN, pdf.stem)
    assert golden_differences(doc, GOLDEN, pdf.stem) == []


def test_a_changed_output_is_caught():
    """The comparison fails on a document that differs from the golden files (one cell's text changed)."""
    pdf = sample_pdfs()[0]
    doc = extract_document(pdf)
    assert golden_differences(doc, GOLDEN, pdf.stem) == []
    task = doc.sections[0].tasks[0]
    changed = task.model_copy(update={"description": task.description.model_copy(
        update={"text": task.description.text + " (changed)"})})
    section = doc.sections[0].model_copy(update={"tasks": [changed, *doc.sections[0].tasks[1:]]})
    altered = doc.model_copy(update={"sections": [section, *doc.sections[1:]]})
    assert golden_differences(altered, GOLDEN, pdf.stem) == [f"{pdf.stem}.json differs in sections",
                                                              f"{pdf.stem}.csv differs"]
    assert golden_differences(doc, GOLDEN, "no_such_sample")[0].startswith("no golden files")


def test_the_readme_command_leaves_the_golden_files_alone(tmp_path, monkeypatch):
    """``tthc extract samples/*.pdf -o output/`` writes under output/, never under tests/."""
    from click.testing import CliRunner

    from tthc_extract.cli import main

    before = {p.name: p.read_bytes() for p in GOLDEN.iterdir()}
    monkeypatch.chdir(tmp_path)
    pdf = sample_pdfs()[0]
    result = CliRunner().invoke(main, ["extract", str(pdf), "-o", "output/", "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / f"{pdf.stem}.json").exists()
    assert {p.name: p.read_bytes() for p in GOLDEN.iterdir()} == before
