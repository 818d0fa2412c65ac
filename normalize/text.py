"""Join a cell's printed lines into one text: one space at a wrap, none where a line ends inside a token.

A wrap falls inside a token when the layout engine had to break a word longer than its column
("31/8/202" + "6") or broke after a hyphen inside a symbol ("52/2015/NĐ-" + "CP"); "Tổ chức -" +
"Pháp chế" is an ordinary wrap and keeps its space. The result is NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from tthc_extract.normalize.settings import DEFAULT_SETTINGS, NormalizeSettings
from tthc_extract.schemas.raw import Box, TextLine
from tthc_extract.schemas.text import collapse, nfc


def inner_right(cell_box: Box, lines: Sequence[TextLine], settings: NormalizeSettings = DEFAULT_SETTINGS) -> float:
    """Where a cell's text lines may end: its right rule less the padding seen on the left (clamped to
    ``settings.min_padding``..``settings.max_padding``)."""
    pad = min((ln.box.x0 - cell_box.x0 for ln in lines), default=settings.default_padding)
    pad = min(max(pad, settings.min_padding), settings.max_padding)
    return cell_box.x1 - pad


def _has_vowel(token: str) -> bool:
    base = unicodedata.normalize("NFD", token.casefold())
    return any(ch in "aeiouy" for ch in base)


def lacked_room(a: TextLine, b: TextLine, inner_right: float, settings: NormalizeSettings = DEFAULT_SETTINGS) -> bool:
    """Did line ``a`` end because the first glyph of the next line ``b`` would not have fitted after it?

    Decided with that glyph's real advance width where the engine gives it (a digit is wider than a slash:
    "31/8/202" + "6"), else with a share of ``a``'s mean character width (``settings.fallback_glyph``)."""
    need = b.first_width or settings.fallback_glyph * (a.box.x1 - a.box.x0) / max(len(a.text.strip()), 1)
    return a.box.x1 + need > inner_right


def breaks_inside_token(a: TextLine, b: TextLine, inner_right: float, *, no_spaces: bool = False,
                        settings: NormalizeSettings = DEFAULT_SETTINGS) -> bool:
    """True when the wrap between line ``a`` and the next line ``b`` falls inside a token."""
    if no_spaces:
        return True
    left, right = a.text.rstrip(), b.text.lstrip()
    if not left or not right:
        return False
    if left.endswith(("-", "/")) and len(left) >= 2 and not left[-2].isspace():
        return True
    if " " in left:
        return False
    if not lacked_room(a, b, inner_right, settings):
        return False  # the next line's first glyph would have fitted: the token ended there
    end, start = left[-1], right[0]
    if end.isdigit() and start.isdigit():
        return True
    if end.isalpha() and start.isalpha():
        # a letters-only word is broken only when longer than any syllable, and not at a case change
        if end.isupper() and start.islower():
            return False
        # a word longer than any syllable (settings.max_syllable letters), or a syllable cut so that its tail
        # has no vowel ("Thườn" + "g")
        return len(left) > settings.max_syllable or (start.islower() and not _has_vowel(right.split()[0]))
    return False


def join_lines(
    lines: Sequence[TextLine], cell_box: Box, *, no_spaces: bool = False, right: float | None = None,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> str:
    """Join printed lines of one cell fragment. ``no_spaces`` joins tightly (numerals in a narrow STT)."""
    if not lines:
        return ""
    right = right if right is not None else inner_right(cell_box, lines, settings)
    parts = [lines[0].text.strip()]
    for a, b in zip(lines, lines[1:], strict=False):
        sep = "" if breaks_inside_token(a, b, right, no_spaces=no_spaces, settings=settings) else " "
        parts.append(sep + b.text.strip())
    return collapse("".join(parts))


def join_fragments(first: str, second: str, last_line: TextLine | None, next_line: TextLine | None,
                   inner_right: float, *, no_spaces: bool = False,
                   settings: NormalizeSettings = DEFAULT_SETTINGS) -> str:
    """Join the text of a cell split across a page break (the break is a wrap like any other)."""
    if not first:
        return second
    if not second:
        return first
    tight = (
        last_line is not None
        and next_line is not None
        and breaks_inside_token(last_line, next_line, inner_right, no_spaces=no_spaces, settings=settings)
    )
    return nfc(first + ("" if tight else " ") + second)


__all__ = ["breaks_inside_token", "inner_right", "join_fragments", "join_lines", "lacked_room", "nfc"]
