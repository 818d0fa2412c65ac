"""Imports are paid only by what a run uses: ``tthc extract`` with the default engine on a text PDF never imports
the other engines' libraries (camelot, OpenCV, pandas, numpy, pdfplumber, pypdf), pdfminer and cryptography (the
input check reads a usual PDF without them) or the database layer (sqlalchemy, psycopg). Checked in a fresh
interpreter with ``-X importtime``, which lists every module imported."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

#: Top-level packages the default text-PDF path must not import.
NOT_ON_DEFAULT_PATH = ("camelot", "cv2", "sqlalchemy", "pandas", "numpy", "pdfplumber", "pypdf", "psycopg", "pdfminer",
                       "cryptography")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """The top-level packages a fresh ``python -X importtime -m tthc_extract.cli ARGS`` imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "tthc_extract.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "[us]" not in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "pypdfium2" in names and "tthc_extract" in names  # the listing was read
    return names


def test_default_extract_imports_no_other_engine_or_database(tmp_path: Path) -> None:
    pdf = SAMPLES / "caobang_ubnd_2026_portrait.pdf"
    out = tmp_path / "out"
    imported = _imported(["extract", str(pdf), "-o", str(out), "-q", "--workers", "1"], tmp_path)
    assert json.loads((out / f"{pdf.stem}.json").read_text(encoding="utf-8"))["engine"] == "pdfium"
    assert sorted(imported & set(NOT_ON_DEFAULT_PATH)) == []


#: The checkout's top-level folders that install under ``tthc_extract`` and must never be imported by their bare
#: names (a second copy of each module would be loaded, and the name belongs to nobody in a user's environment).
BARE = ("extract", "normalize", "schemas", "tthc")
CODE_FOLDERS = ("extract", "normalize", "schemas", "tthc_extract", "tests", "bench", "samples")


def _bare_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                 else [])
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names if n.split(".")[0] in BARE]
    return found


def test_code_imports_only_through_the_package_name() -> None:
    files = sorted({p.resolve() for folder in CODE_FOLDERS for p in (ROOT / folder).rglob("*.py")})
    assert len(files) > 100
    assert [hit for p in files for hit in _bare_imports(p)] == []


def test_the_design_card_folders_are_the_package_subpackages() -> None:
    import tthc_extract.extract
    import tthc_extract.normalize
    import tthc_extract.schemas

    for module, folder in ((tthc_extract.extract, "extract"), (tthc_extract.normalize, "normalize"),
                           (tthc_extract.schemas, "schemas")):
        assert Path(module.__file__).resolve().parent == ROOT / folder


@pytest.mark.slow
def test_a_built_wheel_installs_one_top_level_name(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("tthc_extract-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"tthc_extract"}
    for module in ("tthc_extract/extract/geometry.py", "tthc_extract/extract/ocr/grid.py",
                   "tthc_extract/normalize/assemble.py", "tthc_extract/schemas/document.py",
                   "tthc_extract/assets/audit.js", "tthc_extract/locale/vi/LC_MESSAGES/tthc.mo"):
        assert module in names
