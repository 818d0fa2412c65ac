"""Shared fixtures: paths of the bundled samples, their truth, and the real appendix in ../shared."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TRUTH = SAMPLES / "truth"
REAL = ROOT.parent / "shared" / "real"
#: The bundled samples' expected outputs (tests/test_golden.py); `tthc extract … -o output/` never touches them.
GOLDEN = ROOT / "tests" / "golden"


def sample_pdfs() -> list[Path]:
    return sorted(SAMPLES.glob("*.pdf"))


#: Engines whose runs are ``slow``: camelot's lattice parser takes seconds per page, pdfplumber (the reference)
#: about a second per file; the fast subset runs the default engine, pdfium (the cross-checks of pdfium against
#: pdfplumber in tests/test_pdfium_engine.py stay in it).
SLOW_ENGINES = ("camelot", "pdfplumber")


def engine_params(names: Iterable[str], slow: Iterable[str] = SLOW_ENGINES) -> list:
    """``names`` as pytest parameters, those in ``slow`` marked ``slow`` (deselected by ``-m "not slow"``)."""
    slow = set(slow)
    return [pytest.param(n, id=n, marks=[pytest.mark.slow] if n in slow else []) for n in names]


def truth_for(pdf: Path) -> Path:
    matches = [t for t in TRUTH.glob("*.json") if pdf.stem.startswith(t.stem)]
    assert matches, f"no truth for {pdf.name}"
    return max(matches, key=lambda t: len(t.stem))


@pytest.fixture
def truth_000() -> dict:
    return json.loads((TRUTH / "caobang_ubnd_2026.json").read_text(encoding="utf-8"))


@pytest.fixture
def truth_002() -> dict:
    return json.loads((TRUTH / "caobang_svhttdl_2026.json").read_text(encoding="utf-8"))


# CI runs property tests derandomized (the same examples every run), so a submission cannot fail by chance;
# locally they explore new examples each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def extract_exactly(pdf: Path, truth: Path, out_dir: Path, engine: str = "pdfium"):
    """Extract ``pdf``, write its JSON into ``out_dir`` and require it exact against ``truth`` (every cell, no
    row missing or extra), every character read accounted for and no error warning; the Document."""
    from tthc_extract.evaluate import evaluate
    from tthc_extract.runner import extract_document

    doc = extract_document(pdf, engine=engine)
    out = out_dir / f"{pdf.stem}.{engine}.json"
    out.write_text(doc.model_dump_json(), encoding="utf-8")
    report = evaluate(out, truth)
    assert (report.accuracy, report.got_rows) == (1.0, report.truth_rows), report.mismatches[:3]
    assert doc.coverage is not None and doc.coverage.ratio == 1.0
    assert [w.message for w in doc.warnings if w.severity == "error"] == []
    return doc
