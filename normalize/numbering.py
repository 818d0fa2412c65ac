"""Task numbering beyond "1, 2, 3": sub-tasks ("1.1", "a)", "-") and the task each belongs to.

Plans for administrative reform number their rows in levels: tasks 1, 2, …; sub-tasks 1.1, 1.2 (or 2.1.3); items
a), b) (or a., b.) under the task above; "-" / "+" / "•" bullets under the nearest numbered row. Every numbered row
is a task that keeps its number as printed; ``parents`` says which task each belongs to. A level above sections
("A. …", "Phần I. …") is a part (normalize/assemble.py reads those rows).
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["number", "dotted", "letter", "bullet", "other"]

NUMBER = re.compile(r"^\d+\.?$")
DOTTED = re.compile(r"^\d+(?:\.\d+)+\.?$")
LETTER = re.compile(r"^[a-zđ][.)]$|^\(?[a-zđ]\)$")
BULLET = re.compile(r"^[-+•*–—]$")


def kind_of(number: str) -> Kind:
    """The level a task number is written at: "2" number, "2.1" dotted, "a)" letter, "-" bullet."""
    n = number.strip()
    if NUMBER.match(n):
        return "number"
    if DOTTED.match(n):
        return "dotted"
    if LETTER.match(n):
        return "letter"
    if BULLET.match(n):
        return "bullet"
    return "other"


def _stem(number: str) -> str:
    return number.strip().rstrip(".")


def parents(numbers: list[str]) -> list[int | None]:
    """For the tasks of one section, in order (their numbers as printed): the index of the task each belongs to.

    "1.2" belongs to the latest "1" (or "1.2" in "1.2.3" to the latest "1.2", else the nearest shorter prefix);
    "a)" to the latest number or dotted number; "-" to the latest task that is not a bullet; a number and an
    unnumbered row to none."""
    out: list[int | None] = []
    for i, number in enumerate(numbers):
        kind = kind_of(number)
        parent: int | None = None
        if kind == "dotted":
            parts = _stem(number).split(".")
            for cut in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:cut])
                parent = next((j for j in range(i - 1, -1, -1) if _stem(numbers[j]) == prefix), None)
                if parent is not None:
                    break
        elif kind == "letter":
            parent = next((j for j in range(i - 1, -1, -1) if kind_of(numbers[j]) in ("number", "dotted")), None)
        elif kind == "bullet":
            parent = next((j for j in range(i - 1, -1, -1) if kind_of(numbers[j]) not in ("bullet", "other")),
                          None)
        out.append(parent)
    return out


#: A part heading above sections, in one cell across the row: "A. NHIỆM VỤ CHUNG", "Phần I: …", "PHẦN 2 - …".
PART_TITLE = re.compile(r"^((?:phần|PHẦN|Phần)\s+(?:[IVXLC]+|\d+)|[A-HJ-UWYZ])\s*([.:)\-–]?)\s+(\S.*)$")
#: The number of a part written in its own (STT) cell: "A", "B", "Phần I".
PART_NUMBER = re.compile(r"^(?:(?:phần|PHẦN|Phần)\s+(?:[IVXLC]+|\d+)|[A-HJ-UWYZ])\.?$")
