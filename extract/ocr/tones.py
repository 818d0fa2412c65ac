"""Tone marks repaired over the document: a syllable's tone checked against Vietnamese phonotactics and a
syllable list, word pairs respelled after the same pair elsewhere in the document and after a word list. Base
letters never change.

Tesseract's fast Vietnamese model (Debian's ``vie``) drops, adds or confuses tone marks, stacked ones (a tone
over a circumflex: "đôn đôc", "cô vân", "kêt quả", "yêu câu") and those of bold capitals most ("THẤM" for
"THẨM", "TRUYÊN" for "TRUYỀN"). Two kinds of evidence repair them:

* a syllable that cannot exist: one ending in p, t, c or ch takes only the sắc or nặng tone ("kêt", "đôc"), and
  a syllable the syllable list (hunspell-vi's ``vi_VN.dic``, when installed) knows only with other tones; it
  takes the tone the document's own words and word pairs make most likely (or the only one the list allows);
* a pair of adjacent words that the document's ordinary (not all-capitals) text spells, with the same letters,
  another way at least twice and at least three times as often as it spells the pair as read (this reading
  included, capitals not counted): "THẤM ĐỊNH" when "thẩm định" is usual, "cô vân" when "cố vấn" is
  (three times at least); a hook as read is never made
  an acute (the model's own confusion goes the other way, and may be the document's majority); with a word list,
  a pair of ordinary type that is a word as read is left (capitals follow the document: "KIÊN NGHỊ" → "KIẾN
  NGHỊ"), and a pair of the document that straddles two words of the list ("bố
  công" in "công bố công khai") is no evidence ("Bộ Công an" stays);
* a run of adjacent words that a word list of Vietnamese (pyvi's) has with the same letters in one way only,
  differing where the model errs: a hook read as an acute ("kiếm soát" → "kiểm soát", "tố chức" → "tổ chức",
  even where every occurrence in the document was misread), and in capitals any tone or quality mark when the
  document's ordinary type writes the syllable so more often ("ĐIÊU HÀNH" → "ĐIỀU HÀNH", "MOI TRƯỜNG" →
  "MÔI TRƯỜNG"; never "TỈNH CAO BẰNG" → "TÍNH CÀO BẰNG": the document writes "tỉnh" and "Cao"), never a syllable
  that is part of a word of the list as read. Marks change, base letters never.

Every word changed keeps its line's reading (``TextLine.ocr_read``) and cuts its cell's confidence
(``TONE_CONF``), so the output's provenance and warnings show what was read and what was written.
"""


from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tthc_extract.schemas.raw import Cell, PageTable, TextLine
from tthc_extract.schemas.text import TONE_MARKS

#: The syllable list: hunspell-vi's dictionary (Debian package ``hunspell-vi``): every Vietnamese syllable with
#: the tones it is written with (old-style placement, "hoà"; a tone is compared wherever it sits).
SYLLABLE_LISTS = (Path("/usr/share/hunspell/vi_VN.dic"), Path("/usr/share/myspell/dicts/vi_VN.dic"))
#: The word list: Vietnamese words of two or more syllables ("kiểm soát", "bổ sung", "thẩm định"), the
#: ``models/words.txt`` that the ``pyvi`` package ships (about 25 000 such words; MIT licence). A word's syllables
#: spelled with other tones than a word of the list, where no word of the list covers them as read, take the
#: list's tones.
WORD_LIST = ("pyvi", "models/words.txt")
#: The longest word (syllables) looked up.
MAX_WORD = 4
#: A cell whose tone marks were repaired keeps this fraction of its confidence.
TONE_CONF = 0.8
#: A word pair is respelled after the document's ordinary text when that spells it otherwise at least
#: ``PAIR_MIN`` times and ``PAIR_RATIO`` times as often as ordinary text spells it as read (this reading too).
PAIR_MIN = 2
PAIR_RATIO = 3
#: The hỏi (hook) and sắc (acute) tones: the ``vie`` model reads a hook as an acute ("kiếm" for "kiểm", "tố" for
#: "tổ"), in some scans throughout a document, and never the reverse in our measurements; so a hook as read is
#: never respelled an acute (the document's majority may be the misreading).
_HOOK, _ACUTE = "\u0309", "\u0301"
#: When an impossible syllable has several possible tones, the words and pairs of the document decide: a pair
#: counts this many times a single word.
PAIR_WEIGHT = 10

_WORD = re.compile(r"^(\W*)(\w+)(\W*)$")
#: Finals after which only the sắc (acute) and nặng (dot below) tones occur.
_STOP_FINAL = re.compile(r"(?:p|t|c|ch)$")
_STOP_TONES = frozenset({"\u0301", "\u0323"})
#: A syllable's shape: an initial consonant cluster, vowels, a final (an acronym such as "TTHC" is none).
_SYLLABLE = re.compile(r"^(?:[bcdđghklmnpqrstvx]{0,3})[aăâeêioôơuưy]{1,3}(?:ch|nh|ng|[cmnpt])?$")
_VIET = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+$")


def toneless(word: str) -> str:
    """The word case-folded and without tone marks ("Kiểm" → "kiêm")."""
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", word.casefold()) if ch not in TONE_MARKS))


def bare(word: str) -> str:
    """The word case-folded without any mark, tone or vowel quality ("Kiểm" → "kiem"; "đ" is a letter)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(ch))


def _spelling(word: str) -> tuple[str, str]:
    """A syllable as its toneless letters and its tone: "hoá" and "hóa" alike."""
    return toneless(word), tone(word)


def tone(word: str) -> str:
    """The word's tone mark (a combining character), "" for the level tone (ngang)."""
    marks = [ch for ch in unicodedata.normalize("NFD", word) if ch in TONE_MARKS]
    return marks[0] if len(marks) == 1 else ""


def _caps(word: str) -> bool:
    return word.isupper() and any(ch.isalpha() for ch in word)


@functools.cache
def syllables(paths: tuple[Path, ...] = SYLLABLE_LISTS) -> dict[str, frozenset[str]]:
    """Toneless syllable → the tones it is written with, from the first syllable list found (empty without)."""
    for path in paths:
        if path.is_file():
            out: dict[str, set[str]] = {}
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
                word = unicodedata.normalize("NFC", line.split("/", 1)[0].strip()).casefold()
                if word and _VIET.match(word) and len(_marks(word)) <= 1:
                    out.setdefault(toneless(word), set()).add(tone(word))
            return {k: frozenset(v) for k, v in out.items()}
    return {}


def _marks(word: str) -> list[str]:
    return [ch for ch in unicodedata.normalize("NFD", word) if ch in TONE_MARKS]


#: A word of the word list: each syllable's toneless letters and tone.
Spelling = tuple[tuple[str, str], ...]
Lexicon = dict[tuple[str, ...], frozenset[Spelling]]


@functools.cache
def word_list(source: tuple[str, str] = WORD_LIST) -> Lexicon:
    """The bare letters of each word of two or more syllables → its spellings; empty when the package that
    ships the list is not installed (found without importing it)."""
    spec = importlib.util.find_spec(source[0])
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    path = next((Path(r) / source[1] for r in roots if (Path(r) / source[1]).is_file()), None)
    if path is None:
        return {}
    return lexicon_of(path.read_text(encoding="utf-8", errors="replace").splitlines())


def lexicon_of(words: Iterable[str]) -> Lexicon:
    """The lexicon of these words (one per item, syllables separated by spaces; single syllables skipped)."""
    out: dict[tuple[str, ...], set[Spelling]] = {}
    for line in words:
        word = unicodedata.normalize("NFC", line).casefold().split()
        if 2 <= len(word) <= MAX_WORD and all(_VIET.match(toneless(w)) for w in word):
            out.setdefault(tuple(bare(w) for w in word), set()).add(tuple(_spelling(w) for w in word))
    return {k: frozenset(v) for k, v in out.items()}


def possible(word: str, known: dict[str, frozenset[str]]) -> bool | None:
    """Whether a (case-folded) syllable can be written so: False when it breaks the rule of stop finals or the
    syllable list knows its letters only with other tones, True when the list knows it, None when unknown."""
    base = toneless(word)
    if len(_marks(word)) > 1:
        return False
    if _STOP_FINAL.search(base) and tone(word) not in _STOP_TONES and _SYLLABLE.match(base):
        return False
    tones = known.get(base)
    if tones is None:
        return None
    return tone(word) in tones


def _with_case(model: str, word: str) -> str:
    """``word`` (same letters as ``model``) in ``model``'s case, letter by letter."""
    if len(model) != len(word):
        return word.upper() if _caps(model) else word
    return "".join(w.upper() if m.isupper() else w.lower() for m, w in zip(model, word, strict=True))


class _Slot:
    """A word of a cell: where it is (line, index among the line's words), its punctuation and its letters."""

    __slots__ = ("cell", "line", "index", "lead", "core", "tail")

    def __init__(self, cell: int, line: int, index: int, m: re.Match[str]) -> None:
        self.cell, self.line, self.index = cell, line, index
        self.lead, self.core, self.tail = m.group(1), m.group(2), m.group(3)

    @property
    def key(self) -> str:
        return toneless(self.core)

    @property
    def bare(self) -> str:
        return bare(self.core)


def _slots(lines: list[TextLine], cell: int) -> list[_Slot]:
    return [_Slot(cell, i, j, m) for i, ln in enumerate(lines) for j, w in enumerate(ln.text.split())
            if (m := _WORD.match(w))]


def _pairs(slots: list[_Slot]) -> Iterable[tuple[_Slot, _Slot]]:
    """Adjacent words with nothing but a space between them ("bộ, công" is no pair)."""
    for a, b in zip(slots, slots[1:], strict=False):
        if not a.tail and not b.lead:
            yield a, b


class Vocabulary:
    """The document's ordinary-type words and word pairs (case-folded, as read), counted. With a word list, a pair
    that straddles two words of it (by their letters) and is none itself is no evidence for respelling ordinary
    type (``by_key``: "bố công" in "công bố công khai", "trên môi" in "trên môi trường"); capitals take every
    pair (``by_bare``)."""

    def __init__(self, streams: list[list[_Slot]], lexicon: Lexicon | None = None) -> None:
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.by_key: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        self.by_bare: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        self.spellings: dict[str, Counter[str]] = {}
        self.syllables: Counter[tuple[str, str]] = Counter()  # by toneless letters and tone
        for slots in streams:
            for s in slots:
                if not _caps(s.core):
                    w = s.core.casefold()
                    self.words[w] += 1
                    self.syllables[_spelling(w)] += 1
                    self.spellings.setdefault(toneless(w), Counter())[w] += 1
            words = _words_of(slots, lexicon or {})
            for a, b in _pairs(slots):
                if not _caps(a.core) and not _caps(b.core):
                    pair = (a.core.casefold(), b.core.casefold())
                    self.pairs[pair] += 1
                    self.by_bare.setdefault((a.bare, b.bare), Counter())[pair] += 1  # for capitals
                    straddles = (a.line, a.index) in words["end"] or (b.line, b.index) in words["start"]
                    if not straddles or (a.line, a.index) in words["start"]:
                        self.by_key.setdefault((a.key, b.key), Counter())[pair] += 1


def _words_of(slots: list[_Slot], lexicon: Lexicon) -> dict[str, set[tuple[int, int]]]:
    """Where the pairs of adjacent words that have the letters of a word of the list (however marked: a misread
    "mồi trường" as much as "môi trường") are, by (line, index): "start" the first word of each, "end" the
    second."""
    out: dict[str, set[tuple[int, int]]] = {"start": set(), "end": set()}
    if lexicon:
        for a, b in _pairs(slots):
            if (a.bare, b.bare) in lexicon:
                out["start"].add((a.line, a.index))
                out["end"].add((b.line, b.index))
    return out


def _candidates(word: str, vocab: Vocabulary, known: dict[str, frozenset[str]]) -> list[str]:
    """Spellings (case-folded) with ``word``'s letters and a tone it may take: the document's own, then those of
    the syllable list (written by the document's spelling with the same tone, when it has one)."""
    base = toneless(word)
    out = [w for w in vocab.spellings.get(base, {}) if possible(w, known) is not False and w != word]
    have = {tone(w) for w in out}
    for t in sorted(known.get(base, ())):
        if t not in have and (t != tone(word)):
            spelled = _retone(word, t)
            if spelled is not None and possible(spelled, known) is not False:
                out.append(spelled)
    return out


#: Vowels with a quality mark take the tone; else the vowel before a final consonant, else (an open syllable
#: of two vowels) the first, of three the middle one ("hoà" and "hòa" are compared alike).
_QUALITY = "ăâêôơư"
_VOWELS = "aăâeêioôơuưy"


def _retone(word: str, mark: str) -> str | None:
    """``word`` (case-folded, NFC) with its tone replaced by ``mark`` ("" for none), or None when no vowel
    can carry it."""
    base = toneless(word)
    old = tone(word)
    if old:  # the new mark goes where the old one sat
        nfd = unicodedata.normalize("NFD", word)
        nfd = nfd.replace(old, mark)
        return unicodedata.normalize("NFC", nfd)
    if not mark:
        return base
    start = 1 if base.startswith(("qu", "gi")) and len(base) > 2 and base[2] in _VOWELS else 0
    idx = [i for i, ch in enumerate(base) if ch in _VOWELS and i >= start]
    if not idx:
        return None
    quality = [i for i in idx if base[i] in _QUALITY]
    if quality:
        at = quality[-1]
    elif idx[-1] < len(base) - 1 or len(idx) == 1:
        at = idx[-1]
    else:
        at = idx[len(idx) // 2] if len(idx) == 3 else idx[0]
    return unicodedata.normalize("NFC", base[:at + 1] + mark + base[at + 1:])


def _best(options: list[str], score: dict[str, int]) -> str | None:
    ranked = sorted(options, key=lambda w: -score[w])
    if len(ranked) == 1:
        return ranked[0]
    if score[ranked[0]] > 0 and score[ranked[0]] > score[ranked[1]]:
        return ranked[0]
    return None


def _core(new: dict[int, str], slots: list[_Slot], i: int) -> str:
    return new.get(i, slots[i].core)


def _by_word_list(slots: list[_Slot], core: functools.partial[str], known: dict[str, frozenset[str]],
                  lexicon: Lexicon, vocab: Vocabulary) -> dict[int, str]:
    """Slot index → its spelling (case-folded) after the word list: a run of adjacent words that the list has,
    with the same bare letters, in one way only that differs from the reading where the model errs — an acute
    read for a hook; in capitals (bold capitals lose and gain tone and quality marks: "ĐIÊU"
    for "ĐIỀU", "TREN" for "TRÊN") any mark, to a syllable the document's ordinary type writes more often than
    the one read ("CAO BẰNG" is no "cào bằng") — and in no syllable that is part of a word of the list as read."""
    n = len(slots)
    confirmed: set[int] = set()
    misread: list[tuple[int, Spelling, frozenset[Spelling]]] = []
    for i in range(n - 1):
        for j in range(i + 1, min(n, i + MAX_WORD)):
            if slots[j - 1].tail or slots[j].lead:
                break
            spellings = lexicon.get(tuple(bare(core(k)) for k in range(i, j + 1)))
            if not spellings:
                continue
            read = tuple(_spelling(core(k)) for k in range(i, j + 1))
            if read in spellings:
                confirmed.update(range(i, j + 1))
            else:
                misread.append((i, read, spellings))

    def may_be(k: int, listed: tuple[str, str], read: tuple[str, str]) -> bool:
        if listed == read:
            return True
        if k in confirmed:
            return False
        if listed[0] == read[0] and read[1] == _ACUTE and listed[1] == _HOOK:
            return True
        return _caps(core(k)) and vocab.syllables[listed] > vocab.syllables[read]

    proposed: dict[int, set[str]] = {}
    for i, read, spellings in misread:
        fits = [sp for sp in spellings if all(may_be(i + k, sp[k], read[k]) for k in range(len(sp)))]
        if len(fits) != 1:
            continue
        for k, (listed, as_read) in enumerate(zip(fits[0], read, strict=True)):
            spelled = _retone(listed[0], listed[1]) if listed != as_read else None
            if spelled is not None and possible(spelled, known) is not False:
                proposed.setdefault(i + k, set()).add(spelled)
    return {k: ws.pop() for k, ws in proposed.items() if len(ws) == 1}


def repair_tones(tables: list[PageTable], known: dict[str, frozenset[str]] | None = None,
                 lexicon: Lexicon | None = None) -> int:
    """Repair the tone marks of the document's words in place (see the module's doc); return the number of
    words changed. ``known``: toneless syllable → its tones (default: the installed syllable list); ``lexicon``:
    the bare letters of a word → its spellings (default: the installed word list)."""
    known = syllables() if known is None else known
    lexicon = word_list() if lexicon is None else lexicon
    holders: list[tuple[Cell | None, list[TextLine]]] = [(c, c.lines) for t in tables for c in t.cells]
    holders += [(None, t.text_above) for t in tables]
    streams = [_slots(lines, k) for k, (_, lines) in enumerate(holders)]
    vocab = Vocabulary(streams, lexicon)
    changed = 0
    for (cell, lines), slots in zip(holders, streams, strict=True):
        new: dict[int, str] = {}  # slot index → the word's new letters (core)
        core = functools.partial(_core, new, slots)

        # 1. word pairs the document's ordinary text spells otherwise, and often (capitals: any marks)
        for i in range(len(slots) - 1):
            a, b = slots[i], slots[i + 1]
            if a.tail or b.lead:
                continue
            caps = _caps(core(i)) and _caps(core(i + 1))
            spellings = (vocab.by_bare if caps else vocab.by_key).get((a.key, b.key) if not caps else (a.bare, b.bare))
            if not spellings:
                continue
            read = (core(i).casefold(), core(i + 1).casefold())
            listed = lexicon.get((a.bare, b.bare), frozenset())
            if not caps and (_spelling(read[0]), _spelling(read[1])) in listed:
                continue  # a word as read ("thông báo" beside the document's "hệ thống báo cáo")
            fix, count = max(spellings.items(), key=lambda kv: (kv[1], kv[0]))
            # each reading of the pair in ordinary text (this one too; capitals are not counted) says it may be right
            if fix == read or count < max(PAIR_MIN, PAIR_RATIO * spellings.get(read, 0)):
                continue
            if any(possible(w, known) is False for w in fix):
                continue
            change = [(k, word) for k, word in ((i, fix[0]), (i + 1, fix[1])) if word != core(k).casefold()]
            if not any(tone(core(k)) == _HOOK and tone(word) == _ACUTE for k, word in change):
                for k, word in change:
                    new[k] = _with_case(core(k), word)
        # 2. syllables that cannot be written so: the tone the document makes most likely
        for i, s in enumerate(slots):
            word = core(i).casefold()
            if possible(word, known) is not False or not _VIET.match(toneless(word)):
                continue
            options = _candidates(word, vocab, known)
            if not options:
                continue
            prev = core(i - 1).casefold() if i > 0 and not slots[i - 1].tail and not s.lead else None
            nxt = core(i + 1).casefold() if i + 1 < len(slots) and not s.tail and not slots[i + 1].lead else None
            score = {w: vocab.words[w] + PAIR_WEIGHT * (vocab.pairs[(prev, w)] if prev else 0)
                     + PAIR_WEIGHT * (vocab.pairs[(w, nxt)] if nxt else 0) for w in options}
            pick = _best(options, score)
            if pick is not None:
                new[i] = _with_case(core(i), pick)
        # 3. runs of words the word list spells with other tones
        for i, word in _by_word_list(slots, core, known, lexicon, vocab).items():
            new[i] = _with_case(core(i), word)
        new = {i: word for i, word in new.items() if word != slots[i].core}
        if not new:
            continue
        by_line: dict[int, dict[int, str]] = {}
        for i, word in new.items():
            s = slots[i]
            by_line.setdefault(s.line, {})[s.index] = s.lead + word + s.tail
        for li, words_at in by_line.items():
            words = lines[li].text.split()
            for wi, word in words_at.items():
                words[wi] = word
            text = unicodedata.normalize("NFC", " ".join(words))
            if text != lines[li].text:
                lines[li] = lines[li].model_copy(update={
                    "text": text, "ocr_read": lines[li].ocr_read or lines[li].text})
        if cell is not None and cell.confidence is not None:
            cell.confidence = round(cell.confidence * TONE_CONF, 3)
        changed += len(new)
    return changed


def harmonize_capitals(tables: list[PageTable]) -> int:
    """The tone repair with word pairs only (no syllable or word list): capitals respelled after ordinary text."""
    return repair_tones(tables, known={}, lexicon={})
