"""Checks of the settings dataclasses' numbers (``extract.settings``, ``normalize.settings``): one place, since
those two packages never import each other."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import fields
from typing import Any


def check_numbers(settings: Any, positive: Collection[str] = ()) -> None:
    """Every field of the dataclass ``settings`` is a finite, non-negative number (an ``int`` where the field is
    declared ``int``), and those named in ``positive`` are above 0; else TypeError or ValueError naming it."""
    cls = type(settings).__name__
    for f in fields(settings):
        value = getattr(settings, f.name)
        kind = int if f.type in ("int", int) else float
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                kind is int and not isinstance(value, int)):
            raise TypeError(f"{cls}.{f.name} must be a number ({kind.__name__}), not {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{cls}.{f.name} must be finite, not {value!r}")
        if value < 0:
            raise ValueError(f"{cls}.{f.name} must not be negative, not {value!r}")
        if f.name in positive and value == 0:
            raise ValueError(f"{cls}.{f.name} must be positive, not {value!r}")
