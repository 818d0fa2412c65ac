"""Acronyms in capitals repaired after the document's ordinary type: a bold title's "TFHC" or "THC" is the
"TTHC" the sentences of the document write dozens of times.

Bold capitals are what Tesseract's fast Vietnamese model reads worst: two serif T's that touch become one ("THC"),
or a letter is taken for another ("TFHC", "TƯHC", "TLHC"). A section title is repeated on every row of its
section in the output, so one misread acronym costs a value per task. The evidence is the document itself:

* an acronym is a word of three letters or more, all capitals, that cannot be a Vietnamese syllable ("TTHC",
  "UBND", "KSTTHC"; not "BỘ", "TRÊN");
* the acronyms of the document's ordinary lines (lines that are not all capitals: "… kiểm soát TTHC năm 2026")
  are counted;
* an acronym one edit (a letter dropped, added or changed) from exactly one acronym that ordinary lines write
  at least ``MIN_SEEN`` times and ``RATIO`` times as often as they write it (never, in a title) is respelled so
  ("THC" in "thực hiện THC trên môi trường điện tử" beside forty "TTHC").

Every line changed keeps Tesseract's reading (``TextLine.ocr_read``) and cuts its cell's confidence, as the tone
repair does, so the output's ``ocr_repaired`` warning shows both texts.
"""


from __future__ import annotations

import re
import unicodedata
from collections import Counter

from tthc_extract.extract.ocr.tones import TONE_CONF, possible, syllables, toneless
from tthc_extract.schemas.raw import Cell, PageTable, TextLine

#: An acronym of ordinary lines is evidence when they write it at least this many times.
MIN_SEEN = 3
RATIO = 5
_TOKEN = re.compile(r"^(\W*)(\w[\w']*\w|\w)(\W*)$")
_SYLLABLE = re.compile(r"^(?:[bcdđghklmnpqrstvx]{0,3})[aăâeêioôơuưy]{1,3}(?:ch|nh|ng|[cmnpt])?$")


def _is_acronym(word: str, known: dict[str, frozenset[str]]) -> bool:
    letters = word.replace("'", "")
    if len(letters) < 3 or not letters.isupper() or not letters.isalnum():
        return False
    base = toneless(letters)
    return not (_SYLLABLE.match(base) and possible(letters.casefold(), known) is not False)


def _caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by dropping, adding or changing one character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def repair_acronyms(tables: list[PageTable], known: dict[str, frozenset[str]] | None = None) -> int:
    """Respell the misread acronyms of the document's all-capitals lines in place (see the module's doc); return
    the number of words changed. ``known``: toneless syllable → its tones (default: the installed list)."""
    known = syllables() if known is None else known
    holders: list[tuple[Cell | None, list[TextLine]]] = [(c, c.lines) for t in tables for c in t.cells]
    holders += [(None, t.text_above) for t in tables]
    seen: Counter[str] = Counter()
    for _, lines in holders:
        for line in lines:
            if not _caps_line(line.text):
                for word in line.text.split():
                    m = _TOKEN.match(word)
                    if m and _is_acronym(m.group(2), known):
                        seen[m.group(2)] += 1
    evidence = [a for a, n in seen.items() if n >= MIN_SEEN]
    # a frequent misreading ("THC" three times beside "TTHC" fifty) is no evidence of its own
    evidence = [a for a in evidence if not any(_one_edit(a, b) and seen[b] >= RATIO * seen[a] for b in evidence)]
    changed = 0
    for cell, lines in holders:
        touched = False
        for i, line in enumerate(lines):
            words, hit = line.text.split(), False
            for j, word in enumerate(words):
                m = _TOKEN.match(word)
                if not m or not _is_acronym(m.group(2), known):
                    continue
                read = m.group(2).replace("'", "")  # a stray mark inside: "T'THC"
                near = [a for a in evidence if ((a == read != m.group(2)) or _one_edit(read, a))
                        and seen[a] >= RATIO * seen[m.group(2)]]
                if len(near) == 1:
                    words[j] = m.group(1) + near[0] + m.group(3)
                    changed, hit = changed + 1, True
            text = unicodedata.normalize("NFC", " ".join(words))
            if hit and text != line.text:
                lines[i] = line.model_copy(update={"text": text, "ocr_read": line.ocr_read or line.text})
                touched = True
        if touched and cell is not None and cell.confidence is not None:
            cell.confidence = round(cell.confidence * TONE_CONF, 3)
    return changed
