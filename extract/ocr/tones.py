"""Tone marks of words in bold capitals, respelled after the same words in ordinary type elsewhere in the
document."""


from __future__ import annotations

import re
import unicodedata

from tthc_extract.schemas.raw import PageTable, TextLine
from tthc_extract.schemas.text import TONE_MARKS

_WORD = re.compile(r"^(\W*)(\w+)(\W*)$")


def toneless(word: str) -> str:
    """The word case-folded and without tone marks ("Kiểm" → "kiêm")."""
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", word.casefold()) if ch not in TONE_MARKS))


def _caps(word: str) -> bool:
    return word.isupper() and any(ch.isalpha() for ch in word)


def harmonize_capitals(tables: list[PageTable]) -> int:
    """Repair tone marks of words in capitals from the same words in ordinary type elsewhere in the document.

    Tesseract's fast Vietnamese model misreads tone marks on bold capitals far more often than on ordinary
    type (the hook above read as an acute: "KIẾM SOÁT", "TỐ CHỨC"). A pair of adjacent capitalised words is
    replaced by the pair that ordinary (not all-capitals) text of the document spells with the same letters
    but other tone marks, when that pair occurs there at least twice and the pair as read never does. Only
    tone marks change, never letters; returns the number of words changed.
    """
    cells = [c.lines for t in tables for c in t.cells] + [t.text_above for t in tables]
    streams = [[w for ln in lines for w in ln.text.split()] for lines in cells]
    seen: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for words in streams:
        # a pair is two words with nothing but a space between them ("bộ, công" is no pair)
        firsts = [m.group(2) if (m := _WORD.match(w)) and not m.group(3) else "" for w in words]
        seconds = [m.group(2) if (m := _WORD.match(w)) and not m.group(1) else "" for w in words]
        for a, b in zip(firsts, seconds[1:], strict=False):
            if a and b and not _caps(a) and not _caps(b):
                key = (toneless(a), toneless(b))
                pair = (a.casefold(), b.casefold())
                seen.setdefault(key, {})[pair] = seen.setdefault(key, {}).get(pair, 0) + 1
    changed = 0
    for lines in cells:
        changed += _fix_lines(lines, seen)
    return changed


def _fix_lines(lines: list[TextLine], seen: dict[tuple[str, str], dict[tuple[str, str], int]]) -> int:
    """Respell the all-capitals word pairs of one cell's lines (in place) after the pairs ``seen`` in ordinary
    text (by toneless key: each spelling and its count); return the number of words changed."""
    slots = [(i, j, m) for i, ln in enumerate(lines) for j, w in enumerate(ln.text.split())
             if (m := _WORD.match(w))]
    new: dict[tuple[int, int], str] = {}
    for (i, j, ma), (k, n, mb) in zip(slots, slots[1:], strict=False):
        a, b = ma.group(2), mb.group(2)
        if not (_caps(a) and _caps(b)) or ma.group(3) or mb.group(1):
            continue
        pairs = seen.get((toneless(a), toneless(b)), {})
        if not pairs or (a.casefold(), b.casefold()) in pairs:
            continue
        fix, count = max(pairs.items(), key=lambda kv: kv[1])
        if count < 2:
            continue
        for (li, wi, m), word in (((i, j, ma), fix[0]), ((k, n, mb), fix[1])):
            if word.upper() != m.group(2):
                new[(li, wi)] = m.group(1) + word.upper() + m.group(3)
    for (li, wi), word in new.items():
        words = lines[li].text.split()
        words[wi] = word
        lines[li] = lines[li].model_copy(update={"text": unicodedata.normalize("NFC", " ".join(words))})
    return len(new)
