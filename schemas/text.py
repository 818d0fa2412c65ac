"""The text conventions every stage shares, in one place: NFC, whitespace collapsed, case folded.

Every output text is NFC with its whitespace collapsed (``collapse``); names and titles are compared by
``fold`` (also case-folded), headers by ``squeeze`` (case-folded, no whitespace at all: "ST T" is "STT").
Here (the bottom layer, beside the schemas) so that the engines, the normalizer and the tools use the same
functions without importing one another.
"""

from __future__ import annotations

import unicodedata

#: The five Vietnamese tone marks as combining characters (grave, acute, tilde, hook above, dot below); the
#: vowel marks (circumflex, breve, horn) are not tones.
TONE_MARKS = frozenset({"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"})


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed: "ệ" one code point)."""
    return unicodedata.normalize("NFC", text)


def collapse(text: str | None) -> str:
    """NFC, every run of whitespace one space, none at the ends (None → "")."""
    return nfc(" ".join((text or "").split()))


def fold(text: str | None) -> str:
    """``collapse``d and case-folded: the form in which two names or titles are compared."""
    return " ".join(nfc(text or "").casefold().split())


def squeeze(text: str | None) -> str:
    """Case-folded NFC without any whitespace: the form in which two headers are compared."""
    return "".join(nfc(text or "").casefold().split())
