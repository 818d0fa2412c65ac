"""Imports are paid only by what a run uses: ``tthc extract`` with the default engine on a text PDF never imports
the other engines' libraries (camelot, OpenCV, pandas, numpy, pdfplumber, pypdf) or the database layer
(sqlalchemy, psycopg). Checked in a fresh interpreter with ``-X importtime``, which lists every module imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLES

#: Top-level packages the default text-PDF path must not import.
NOT_ON_DEFAULT_PATH = ("camelot", "cv2", "sqlalchemy", "pandas", "numpy", "pdfplumber", "pypdf", "psycopg")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """The top-level packages a fresh ``python -X importtime -m tthc.cli ARGS`` imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "tthc.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "[us]" not in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "pypdfium2" in names and "tthc" in names  # the listing was read
    return names


def test_default_extract_imports_no_other_engine_or_database(tmp_path: Path) -> None:
    pdf = SAMPLES / "caobang_ubnd_2026_portrait.pdf"
    out = tmp_path / "out"
    imported = _imported(["extract", str(pdf), "-o", str(out), "-q", "--workers", "1"], tmp_path)
    assert json.loads((out / f"{pdf.stem}.json").read_text(encoding="utf-8"))["engine"] == "pdfium"
    assert sorted(imported & set(NOT_ON_DEFAULT_PATH)) == []
