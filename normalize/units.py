"""Split lead and partner cells into the units they name.

Unit names contain commas ("Các sở, ban, ngành", "UBND các xã, phường") and lists of units are separated by
";" or ",", so a cell is split at ";" always and at "," only where the next piece starts a new unit: one of
the heads of Vietnamese administrative unit names (Sở …, Văn phòng …, UBND …, Trung tâm …, Các …) written
as a head (capitalised, or "các"/"UBND"), and never inside a known enumeration ("sở, ban, ngành",
"xã, phường, đặc khu", "cơ quan, đơn vị" …) nor inside parentheses. A piece starting with "Theo …"
("Theo phân công tại Quyết định số …") is a reference to a document, not a unit. A piece that does not start
with a known head is kept as kind "unknown", never dropped.

Each unit keeps its raw text beside a display name (whitespace collapsed, NFC, trailing punctuation dropped,
first letter upper-case) and a matching key (case-folded, tone-mark placement folded so "hoá"/"hóa" and
"thuỷ"/"thủy" match, "UBND" read as "ủy ban nhân dân").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tthc_extract.schemas.document import Unit
from tthc_extract.schemas.text import TONE_MARKS, collapse, fold

#: Heads that start a unit name, as written at the start of a unit (matched case-insensitively there).
UNIT_HEADS: tuple[str, ...] = (
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "HĐND", "Hội đồng nhân dân", "Hội đồng", "Sở", "Văn phòng",
    "Trung tâm", "Phòng", "Các", "Cơ quan", "Công an", "Thanh tra", "Báo và Phát thanh", "Báo", "Đài", "Bộ",
    "Ban", "Chi cục", "Cục", "Tổng cục", "Kho bạc", "Ngân hàng", "Bảo hiểm xã hội", "Thuế", "Hải quan",
    "Bộ Chỉ huy", "Bộ đội", "Viện", "Trường", "Bệnh viện", "Tòa án", "Toà án", "Mặt trận", "Ủy ban", "Uỷ ban",
    "Liên đoàn", "Hội", "Tỉnh đoàn", "Đoàn", "Bưu điện", "Chủ tịch", "Phó Chủ tịch", "Lãnh đạo", "Thường trực",
    "Bộ phận", "Tổ", "Đội", "Chi nhánh", "Quỹ", "Tổng công ty", "Công ty", "Doanh nghiệp", "Đơn vị", "Địa phương",
    "Những", "Tất cả", "Người đứng đầu", "Cán bộ", "Công chức", "Tổ chức", "Cá nhân", "Các cơ quan",
)

#: Heads that start a new unit after a comma even in lower case (lower-case "sở", "ban", "phòng" after a
#: comma are items of an enumeration such as "Các sở, ban, ngành").
LOWER_HEADS: tuple[str, ...] = ("các", "UBND", "ủy ban nhân dân", "uỷ ban nhân dân")

#: Enumerations whose commas never separate units (matched case-insensitively, whitespace-tolerant).
ENUMERATIONS: tuple[str, ...] = (
    "sở, ban, ngành", "sở, ngành", "ban, ngành", "ban, ngành, địa phương", "ban, ngành, đoàn thể",
    "xã, phường, đặc khu", "xã, phường, thị trấn", "xã, phường", "phường, xã", "huyện, thành phố", "huyện, thị xã",
    "cơ quan, đơn vị", "cơ quan, đơn vị, địa phương", "cơ quan, địa phương", "đơn vị, địa phương",
    "phòng, ban", "phòng, đơn vị", "phòng, ban, đơn vị", "tổ chức, cá nhân", "cá nhân, tổ chức",
    "Văn hóa, Thể thao và Du lịch", "Văn hoá, Thể thao và Du lịch", "Lao động, Thương binh và Xã hội",
)

REFERENCE = re.compile(r"^\s*theo\b", re.IGNORECASE)
#: Lead-in words of a reference before the document's name.
REFERENCE_LEAD = re.compile(
    r"^\s*theo\s+(?:(?:sự\s+)?phân\s+công|(?:các\s+)?mốc\s+thời\s+gian|thời\s+gian|quy\s+định|chỉ\s+đạo|tiến\s+độ)?"
    r"\s*(?:tại|của|theo)?\s*", re.IGNORECASE)
_SEP = "\u0000"

# --- matching key ----------------------------------------------------------------------------------------------

_VOWELS = set("aăâeêioôơuưy")
_MODIFIED = set("ăâêôơư")
_ABBREVIATIONS = (
    (re.compile(r"(?<![\w/-])ubnd(?![\w/-])"), "ủy ban nhân dân"),
    (re.compile(r"(?<![\w/-])hđnd(?![\w/-])"), "hội đồng nhân dân"),
)


def _place_tone(syllable: str) -> str:
    """Put the one tone mark of a lower-case syllable on its vowel by the traditional rule."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    if not tones:
        return base
    positions = [i for i, c in enumerate(base) if c in _VOWELS]
    if base[:2] in ("qu", "gi") and len(positions) > 1 and positions[0] == 1:  # "qu", "gi" are consonants
        positions = positions[1:]
    if not positions:
        return unicodedata.normalize("NFC", decomposed)
    modified = [i for i in positions if base[i] in _MODIFIED]
    if modified:
        at = modified[-1]
    elif positions[-1] < len(base) - 1 or len(positions) == 1:  # a final consonant, or one vowel
        at = positions[-1]
    else:
        at = positions[-2]
    return unicodedata.normalize("NFC", base[: at + 1] + tones[0] + base[at + 1:])


@lru_cache(maxsize=8192)  # the same unit names recur in almost every row of a document
def fold_key(text: str) -> str:
    """Matching key of a name: NFC, case-folded, whitespace collapsed, tone placement and 'UBND' folded."""
    text = fold(text).strip(" .;,:")
    text = re.sub(r"\w+", lambda m: _place_tone(m.group(0)), text)
    for pattern, full in _ABBREVIATIONS:
        text = pattern.sub(full, text)
    return text


# --- splitting -------------------------------------------------------------------------------------------------


def _head_pattern(heads: tuple[str, ...], flags: int) -> re.Pattern[str]:
    alts = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alts})(?!\w)", flags)


_ANY_HEAD = _head_pattern(UNIT_HEADS, re.IGNORECASE)
_CASED_HEAD = _head_pattern(UNIT_HEADS, 0)
_LOWER_HEAD = _head_pattern(LOWER_HEADS, 0)
_ENUMERATION = re.compile(
    "|".join(r"\s*,\s*".join(re.escape(w) for w in e.split(", "))
             for e in sorted(ENUMERATIONS, key=len, reverse=True)),
    re.IGNORECASE)


def _starts_unit_after_comma(piece: str) -> bool:
    """True when ``piece`` (the text after a comma) opens a new unit."""
    stripped = piece.lstrip()
    if not stripped:
        return False
    if _LOWER_HEAD.match(stripped):
        return True
    return bool(stripped[0].isupper() and _CASED_HEAD.match(stripped))


def _protect(text: str) -> str:
    """Replace the commas that cannot separate units (enumerations, parentheses) by a placeholder."""
    text = _ENUMERATION.sub(lambda m: m.group(0).replace(",", _SEP), text)
    out, depth = [], 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        out.append(_SEP if ch == "," and depth else ch)
    return "".join(out)


def _display(raw: str) -> str:
    name = collapse(raw).strip(" .;,:")
    return name[:1].upper() + name[1:]


def make_unit(raw: str) -> Unit:
    """One piece of a cell as a Unit, with its kind."""
    name = _display(raw)
    if REFERENCE.match(name):
        ref = _display(REFERENCE_LEAD.sub("", name, count=1)) or name
        return Unit(name=name, key=fold_key(name), raw=raw, kind="reference", reference=ref)
    return Unit(name=name, key=fold_key(name), raw=raw, kind="unit" if _ANY_HEAD.match(name) else "unknown")


def split_pieces(text: str) -> list[str]:
    """The raw pieces of a lead/partner cell, one per unit (or reference), in order, as printed."""
    text = unicodedata.normalize("NFC", text or "")
    protected = _protect(text)
    pieces: list[str] = []
    for seg_match in re.finditer(r"[^;]+", protected):
        seg = seg_match.group(0)
        if not seg.strip(" .,\n\t"):
            continue
        start = seg_match.start()
        if REFERENCE.match(seg):  # a reference's own commas never separate units
            pieces.append(text[start:seg_match.end()])
            continue
        cut = start
        for comma in re.finditer(",", seg):
            after = seg[comma.end():]
            if _starts_unit_after_comma(after.replace(_SEP, ",")):
                pieces.append(text[cut:start + comma.start()])
                cut = start + comma.end()
        pieces.append(text[cut:seg_match.end()])
    return [p.strip() for p in pieces if p.strip().strip(" .,;")]


def split_units(text: str) -> list[Unit]:
    """Split a lead or partner cell into units; an empty cell gives an empty list."""
    return [make_unit(p) for p in split_pieces(text)]


__all__ = ["ENUMERATIONS", "UNIT_HEADS", "fold_key", "make_unit", "split_pieces", "split_units"]
