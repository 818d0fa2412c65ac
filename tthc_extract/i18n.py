"""Vietnamese messages, summary and ``--help`` through the standard gettext catalogues (English stays the default).

The language is Vietnamese when ``--lang vi`` is given, or else when the locale is Vietnamese: the first set of
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (POSIX order) starts with ``vi`` (``vi_VN.UTF-8``). The catalogue is
``tthc_extract/locale/vi/LC_MESSAGES/tthc.po``, compiled into ``tthc.mo`` beside it (packaged; ``compile_po``
below is the standard library's Tools/i18n/msgfmt.py logic, and a test checks that the committed .mo is the .po
compiled).

Messages are translated where they are shown, whole lines at a time (``tr``): a catalogue entry whose msgid has
``{name}`` fields is also a pattern, so "FAILED  x.pdf: not a PDF (no %PDF- header)" matches
"FAILED  {path}: {error}" and its ``error`` is translated in turn. A line no entry matches stays English.
Help texts are translated by the help formatter (``I18nGroup`` / ``I18nCommand``), paragraph by paragraph
as click hands them over; click's own messages (usage errors) by pointing its modules' gettext at the catalogue
(``_route_click_messages``).
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import struct
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import click

DOMAIN = "tthc"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "vi")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language(lang: str | None = None, environ: dict[str, str] | None = None) -> str:
    """``vi`` or ``en``: ``lang`` when given, else from LC_ALL / LC_MESSAGES / LANG (the first one set)."""
    if lang:
        return "vi" if lang.lower().startswith("vi") else "en"
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def setup(lang: str | None = None) -> str:
    """Choose the language (``detect_language``) and load its catalogue; returns the language."""
    global _translation, _language
    _language = detect_language(lang)
    _translation = (gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[_language], fallback=True)
                    if _language != "en" else gettext.NullTranslations())
    _templates.cache_clear()
    _route_click_messages()
    return _language


#: Click's modules that translate their messages with ``gettext.gettext`` bound as ``_`` at import.
CLICK_MODULES = ("click.core", "click.exceptions", "click.types", "click.parser", "click.formatting",
                 "click.decorators")


def _route_click_messages() -> None:
    """Click's own messages ("Error: …", "No such option …", "Missing argument") through this catalogue: click
    looks them up with gettext in the default domain (the process's locale); the chosen language is ours, so
    each click module's ``_`` is pointed at the chosen translation (gettext.gettext again for English)."""
    lookup = _translation.gettext if _language != "en" else gettext.gettext
    for name in CLICK_MODULES:
        module = sys.modules.get(name)
        if module is not None and callable(getattr(module, "_", None)):
            setattr(module, "_", lookup)  # noqa: B010 - click's modules bind gettext as ``_``


def language() -> str:
    return _language


def _(msgid: str) -> str:
    """The translation of ``msgid`` (itself when there is none)."""
    return _translation.gettext(msgid)


def _catalog() -> dict[str, str]:
    return getattr(_translation, "_catalog", {}) or {}


_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's msgids with ``{name}`` fields as anchored patterns (longest literal text first)."""
    out = []
    for msgid, msgstr in _catalog().items():
        if not isinstance(msgid, str) or not msgid or "{" not in msgid or not msgstr:
            continue
        pieces = _FIELD.split(msgid)
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces))
        literal = sum(len(p) for p in pieces[::2])
        out.append((literal, re.compile(f"^{pattern}$", re.S), msgstr))
    out.sort(key=lambda t: -t[0])
    return [(p, s) for _, p, s in out]


def tr(text: str) -> str:
    """``text`` translated whole: an exact entry, or the first entry whose fields match (each field's text
    translated in turn); ``text`` itself when English is chosen or nothing matches."""
    if _language == "en" or not text:
        return text
    exact = _translation.gettext(text)
    if exact is not text and exact != text:
        return exact
    for pattern, msgstr in _templates():
        m = pattern.match(text)
        if m:
            try:
                return msgstr.format(**{k: tr(v) for k, v in m.groupdict().items()})
            except (KeyError, IndexError, ValueError):
                continue
    return text


_HELP_TAIL = re.compile(r"^(.*?)(\s*)\[([^\[\]]+)\]$", re.S)


def tr_help(text: str) -> str:
    """A help text translated, with click's "[default: …]" / "[required]" tail kept apart."""
    if _language == "en":
        return text
    whole = tr(text)
    if whole != text:
        return whole
    m = _HELP_TAIL.match(text)
    if m:
        tail = ", ".join(tr_help_tail(part.strip()) for part in m.group(3).split(";"))
        return f"{tr(m.group(1))}{m.group(2)}[{tail}]"
    return text


def tr_help_tail(part: str) -> str:
    key, sep, value = part.partition(":")
    return f"{_(key)}{sep}{value}" if sep else _(part)


class I18nFormatter(click.HelpFormatter):
    """Click's help formatter, writing every text through the catalogue."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_text(self, text: str) -> None:
        super().write_text(tr_help(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(a, tr_help(b)) for a, b in rows], col_max, col_spacing)


class I18nContext(click.Context):
    formatter_class = I18nFormatter


class I18nCommand(click.Command):
    """A command whose help (and short help in its group's list) goes through the catalogue."""

    context_class = I18nContext

    def get_short_help_str(self, limit: int = 45) -> str:
        if _language != "en" and self.help and not self.short_help:
            first = self.help.split("\n\n", 1)[0]
            sentence = " ".join(first.split()).split(". ", 1)[0].rstrip(".")
            translated = tr(sentence + ".")
            if translated != sentence + ".":
                return translated
        return super().get_short_help_str(limit)


class I18nGroup(click.Group):
    """The ``tthc`` group: chooses the language before anything is parsed (``--lang`` anywhere in the
    arguments, else the locale), so that ``--help`` and click's own errors come out in it."""

    context_class = I18nContext
    command_class = I18nCommand

    def main(self, args: Sequence[str] | None = None, *a: Any, **k: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        setup(lang_from_args(argv))
        return super().main(argv, *a, **k)


def lang_from_args(argv: Iterable[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (``--lang vi`` or ``--lang=vi``), or None."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


# --- compiling a .po into a .mo (the logic of CPython's Tools/i18n/msgfmt.py) -------------------------------


def _unquote(s: str) -> str:
    return ast.literal_eval(s)


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file (no plural forms or contexts: the catalogue has none); fuzzy entries are
    left out, as msgfmt does."""
    messages: dict[str, str] = {}
    msgid = msgstr = None
    section = None
    fuzzy = False

    def flush() -> None:
        if msgid is not None and msgstr is not None and not fuzzy:
            messages[msgid] = msgstr

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            msgid = msgstr = None
            fuzzy = True
            continue
        if line.startswith("#") or not line:
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr, section = _unquote(line[6:]), None, "id"
            fuzzy = fuzzy and msgid == ""  # a fuzzy flag belongs to the entry right after it
        elif line.startswith("msgstr "):
            msgstr, section = _unquote(line[7:]), "str"
        elif line.startswith('"'):
            if section == "id" and msgid is not None:
                msgid += _unquote(line)
            elif section == "str" and msgstr is not None:
                msgstr += _unquote(line)
        else:
            raise ValueError(f"unexpected line in the catalogue: {raw!r}")
    flush()
    return messages


def compile_po(text: str) -> bytes:
    """The GNU .mo bytes of a .po file's text: header, sorted msgids, no hash table (as msgfmt.py writes)."""
    messages = parse_po(text)
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for k in keys:
        kid, kstr = k.encode("utf-8"), messages[k].encode("utf-8")
        offsets.append((len(ids), len(kid), len(strs), len(kstr)))
        ids += kid + b"\0"
        strs += kstr + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) \
        + ids + strs


def po_path(lang: str = "vi") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str = "vi") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_catalogues() -> list[Path]:
    """Compile every ``tthc_extract/locale/*/LC_MESSAGES/tthc.po`` into its ``tthc.mo``
    (``python -m tthc_extract.i18n``)."""
    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po.read_text(encoding="utf-8")))
        written.append(mo)
    return written


__all__ = ["I18nCommand", "I18nGroup", "compile_po", "detect_language", "language", "lang_from_args", "parse_po",
           "setup", "tr", "tr_help", "compile_catalogues"]


if __name__ == "__main__":
    for path in compile_catalogues():
        print(path)
