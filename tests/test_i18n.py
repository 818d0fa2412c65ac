"""Issue 16, Vietnamese: the gettext catalogue (compiled .mo in step with the .po), the language chosen from
``--lang`` and the locale, the one-line error, the summary and ``--help`` in Vietnamese; English by default."""

from __future__ import annotations

import gettext
import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tthc_extract import i18n
from tthc_extract.cli import main

NOT_A_PDF_VI = "LỖI     notapdf.pdf: không phải tệp PDF (không có phần đầu %PDF-)"


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.setup("en")


def run_tthc(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    script = Path(sys.executable).parent / "tthc"  # the installed command; else the module, named "tthc"
    cmd = ([str(script)] if script.exists()
           else [sys.executable, "-c", "from tthc_extract.cli import main; main(prog_name='tthc')"])
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True,
                          env={**clean, "PYTHONPATH": str(ROOT), **env}, timeout=120)


def test_the_mo_is_the_po_compiled():
    po = i18n.po_path().read_text(encoding="utf-8")
    assert i18n.mo_path().read_bytes() == i18n.compile_po(po)
    catalog = gettext.GNUTranslations(i18n.mo_path().open("rb"))._catalog
    assert catalog["not a PDF (no %PDF- header)"] == "không phải tệp PDF (không có phần đầu %PDF-)"
    assert "Language: vi" in catalog[""]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed")
def test_gnu_msgfmt_reads_the_same_catalogue(tmp_path: Path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "gnu.mo"), str(i18n.po_path())], check=True,
                   capture_output=True)
    ours = gettext.GNUTranslations(i18n.mo_path().open("rb"))._catalog
    assert gettext.GNUTranslations((tmp_path / "gnu.mo").open("rb"))._catalog == ours


@pytest.mark.parametrize(("env", "lang", "expected"), [
    ({}, None, "en"),
    ({"LANG": "vi_VN.UTF-8"}, None, "vi"),
    ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, None, "vi"),
    ({"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}, None, "en"),  # LC_ALL wins, as in POSIX
    ({"LC_MESSAGES": "vi_VN", "LANG": "C"}, None, "vi"),
    ({"LANG": "vi_VN.UTF-8"}, "en", "en"),
    ({}, "vi", "vi"),
])
def test_language_choice(env: dict[str, str], lang: str | None, expected: str):
    assert i18n.detect_language(lang, env) == expected


def test_patterns_translate_lines_and_their_fields():
    i18n.setup("vi")
    assert i18n.tr("FAILED  notapdf.pdf: not a PDF (no %PDF- header)") == NOT_A_PDF_VI
    assert i18n.tr("error: x.pdf: the PDF has 2500 pages; the limit is 2000") == (
        "lỗi: x.pdf: PDF có 2500 trang; giới hạn là 2000")
    assert i18n.tr("3 done, 1 suspect, 1 skipped, 0 failed; warnings: 1 errors, 2 warnings, 9 info; in 1.5 s "
                   "(report: out/run.json)") == ("3 xong, 1 đáng ngờ, 1 bỏ qua, 0 lỗi; cảnh báo: 1 lỗi, 2 cảnh báo, "
                                                 "9 thông tin; trong 1.5 giây (báo cáo: out/run.json)")
    assert i18n.tr("something no entry knows") == "something no entry knows"
    i18n.setup("en")
    assert i18n.tr("FAILED  notapdf.pdf: not a PDF (no %PDF- header)").startswith("FAILED")


def test_vietnamese_one_line_error_from_the_locale(tmp_path: Path):
    (tmp_path / "notapdf.pdf").write_text("hello", encoding="utf-8")
    r = run_tthc(["extract", "notapdf.pdf", "-o", "out"], tmp_path, LANG="vi_VN.UTF-8")
    assert r.returncode == 11
    assert r.stderr.splitlines() == [NOT_A_PDF_VI]
    assert r.stdout == ("0 xong, 0 đáng ngờ, 0 bỏ qua, 1 lỗi; cảnh báo: 0 lỗi, 0 cảnh báo, 0 thông tin; "
                        "trong 0.0 giây (báo cáo: out/run.json)\n")
    english = run_tthc(["extract", "notapdf.pdf", "-o", "out"], tmp_path, LANG="en_US.UTF-8")
    assert english.returncode == 11
    assert english.stderr.splitlines() == ["FAILED  notapdf.pdf: not a PDF (no %PDF- header)"]
    assert english.stdout.startswith("0 done, 0 suspect, 0 skipped, 1 failed")
    (tmp_path / "empty").mkdir()
    nothing = run_tthc(["--lang", "vi", "extract", "empty"], tmp_path)
    assert (nothing.returncode, nothing.stderr) == (19, "lỗi: không tìm thấy tệp PDF nào trong các đầu vào đã cho\n")
    missing = run_tthc(["--lang", "vi", "extract", "missing.pdf", "-o", "out"], tmp_path)
    assert (missing.returncode, missing.stderr) == (19, "LỖI     missing.pdf: không có tệp này\n")


def test_help_in_vietnamese(tmp_path: Path):
    r = run_tthc(["--lang", "vi", "--help"], tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    out = r.stdout
    assert out.startswith("Cách dùng: tthc [OPTIONS] COMMAND [ARGS]...")
    for text in ("Chuyển các phụ lục bảng nhiệm vụ", "Tùy chọn:", "Lệnh:", "Hiện hướng dẫn này rồi thoát.",
                 "Trích xuất bảng nhiệm vụ của từng tệp PDF"):
        assert text in out, text
    for english in ("Usage:", "Options:", "Show this message", "Turn the task-table"):
        assert english not in out
    assert "Cách dùng: tthc extract" in run_tthc(["extract", "--help"], tmp_path, LC_ALL="vi_VN.UTF-8").stdout
    assert run_tthc(["--help"], tmp_path).stdout.startswith("Usage: tthc [OPTIONS] COMMAND [ARGS]...")


def test_every_help_text_is_translated():
    i18n.setup("en")
    ctx = click.Context(main)
    commands = [main, *main.commands.values()]
    english = [(cmd.name, inspect.cleandoc(cmd.help).partition("\f")[0],
                [rec for p in cmd.get_params(ctx) if (rec := p.get_help_record(ctx)) and rec[1]]) for cmd in commands]
    short = {name: cmd.get_short_help_str() for name, cmd in main.commands.items()}
    i18n.setup("vi")
    for name, text, records in english:
        assert i18n.tr_help(text) != text, name
        for opts, help_text in records:
            assert i18n.tr_help(help_text) != help_text, (name, opts)
    for name, cmd in main.commands.items():
        assert cmd.get_short_help_str() != short[name], name


def test_cli_runner_lang_option():
    r = CliRunner().invoke(main, ["--lang", "vi", "schema", "--help"])
    assert r.exit_code == 0 and "In lược đồ JSON" in r.output
    r = CliRunner().invoke(main, ["--lang", "xx", "--help"])
    assert r.exit_code == 2


def test_click_usage_errors_in_vietnamese_then_english_again():
    r = CliRunner().invoke(main, ["--lang", "vi", "extract", "--workers", "0", "x.pdf"], prog_name="tthc")
    assert r.exit_code == 2
    assert r.output.splitlines()[0] == "Cách dùng: tthc extract [OPTIONS] INPUTS..."
    assert "Lỗi: Giá trị không hợp lệ cho '--workers': 0 không nằm trong khoảng x>=1." in r.output
    r = CliRunner().invoke(main, ["--lang", "vi", "extract"])
    assert r.exit_code == 2 and "Lỗi: Thiếu đối số 'INPUTS...'." in r.output
    r = CliRunner().invoke(main, ["--lang", "en", "extract"])
    assert r.exit_code == 2 and "Error: Missing argument 'INPUTS...'." in r.output and "Usage:" in r.output
