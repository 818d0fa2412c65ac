"""The input check's two readers of compressed streams (``tthc_extract/integrity.py``) give the same verdict:
the plain reader (``re`` and ``zlib``, the default path) and pdfminer (encrypted and unusual files), on every
sample, the pages drawn turned, and copies of them with flipped bytes in streams, flipped blocks and cuts."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tthc_extract import integrity

PDFS = sorted(SAMPLES.glob("*.pdf"))


def _variants(data: bytes, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    out = [("as is", data)]
    starts = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", data)]
    for k in rng.sample(range(len(starts)), min(5, len(starts))):
        flipped = bytearray(data)
        flipped[min(starts[k] + 40, len(data) - 1)] ^= 0x10
        out.append((f"stream {k} flipped", bytes(flipped)))
    for j in range(3):
        flipped = bytearray(data)
        pos = rng.randrange(len(data))
        for q in range(pos, min(pos + 8, len(data))):
            flipped[q] ^= 0xFF
        out.append((f"block {j} flipped", bytes(flipped)))
    out += [(f"cut at {frac}", data[: int(len(data) * frac)]) for frac in (0.5, 0.97, 0.999)]
    return out


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_plain_reader_agrees_with_pdfminer(tmp_path: Path, pdf: Path) -> None:
    data = pdf.read_bytes()
    assert integrity._plain_streams(data)  # the sample is read without pdfminer
    for name, variant in _variants(data, seed=len(data)):
        f = tmp_path / "v.pdf"
        f.write_bytes(variant)
        assert integrity.damaged_stream(f) == integrity._pdfminer_damaged_stream(f), name


def test_turned_pages_agree(tmp_path: Path) -> None:
    from tests.drawn_tables import turned

    src = SAMPLES / "caobang_ubnd_2026_landscape.pdf"
    for rotation in (90, 270):
        for set_rotate in (True, False):
            pdf = turned(src, tmp_path / f"t{rotation}{set_rotate}.pdf", rotation, set_rotate=set_rotate)
            integrity._plain_streams(pdf.read_bytes())
            assert integrity.damaged_stream(pdf) == integrity._pdfminer_damaged_stream(pdf) == ""


def test_an_encrypted_pdf_is_read_by_pdfminer(tmp_path: Path) -> None:
    data = (SAMPLES / "caobang_ubnd_2026_portrait.pdf").read_bytes()
    with pytest.raises(integrity._NotPlain):
        integrity._plain_streams(data.replace(b"trailer\n<<", b"trailer\n<</Encrypt 1 0 R", 1)
                                 if b"trailer\n<<" in data else data.replace(b"trailer", b"trailer <</Encrypt", 1))
