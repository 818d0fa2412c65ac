"""A table's grid checked against the neighbouring pages': a column rule or a border a page lost (a faded rule
the scanner's threshold dropped, a rule under a stain, a border at the edge of the scanned area) is put back
where the pages before and after it have it.

A long task table keeps its columns from page to page. A page whose widest table's vertical lines (its
outline's sides too) all land, at one offset, on lines of the nearest neighbouring pages' table (within
``LINE_FRAC`` of its width), and are fewer, lost the others: a faded inner rule, or a faded border (the column
beyond it, open, is left out of the table). A page with no table at all between pages that agree on one may
have lost a border too (without it no rule across ends on a rule, and no grid is found). Such a page is read
again with the neighbours' column pattern (fractions of the width, and the width): the pattern is laid over the
page's own vertical rules where most of its lines land on one (``align``), a missing border is drawn into the
rule mask, and a missing inner line is added to the grid (``grid.impose_columns``, which splits only the cells
no text crosses). The nearest page with a table on each side speaks, up to ``REACH`` pages away, and both must
agree; one with just the page's own lines says nothing is missing.
"""


from __future__ import annotations

from dataclasses import dataclass

from tthc_extract.schemas.raw import PageTable

#: Two tables' widths agree when they differ by at most this fraction.
OUTLINE_FRAC = 0.03
#: A column line of one table is at one of another's when they differ by at most this fraction of the width.
LINE_FRAC = 0.012
#: Neighbours looked at on each side (pages).
REACH = 2


def column_lines(table: PageTable) -> list[float]:
    """The inner column lines of a table (points), from its cells' sides."""
    width = table.box.x1 - table.box.x0
    xs: list[float] = []
    for cell in table.cells:
        for x in (cell.box.x0, cell.box.x1):
            if table.box.x0 + LINE_FRAC * width < x < table.box.x1 - LINE_FRAC * width and \
                    not any(abs(x - o) <= LINE_FRAC * width for o in xs):
                xs.append(x)
    return sorted(xs)


def _fractions(table: PageTable) -> list[float]:
    width = table.box.x1 - table.box.x0
    return [(x - table.box.x0) / width for x in column_lines(table)]


def _main(tables: list[PageTable], page: int) -> PageTable | None:
    own = [t for t in tables if t.page == page]
    return max(own, key=lambda t: t.box.x1 - t.box.x0) if own else None


@dataclass(frozen=True)
class ColumnPattern:
    """The vertical lines of a table as the neighbouring pages draw them: ``fractions`` of its width (0 and 1: the
    outline) and its ``width`` (points)."""

    fractions: tuple[float, ...]
    width: float

    def agrees(self, other: ColumnPattern) -> bool:
        return len(self.fractions) == len(other.fractions) and \
            abs(self.width - other.width) <= OUTLINE_FRAC * self.width and \
            all(abs(f - g) <= LINE_FRAC for f, g in zip(self.fractions, other.fractions, strict=True))


def pattern_of(table: PageTable) -> ColumnPattern:
    return ColumnPattern((0.0, *_fractions(table), 1.0), table.box.x1 - table.box.x0)


def grid_hints(tables: list[PageTable], pages: list[int]) -> dict[int, ColumnPattern]:
    """Page number → the column pattern of its neighbours' table, for the pages (of ``pages``, the pages read)
    that lost lines of it: a page whose widest table's vertical lines (its outline's sides too) all land on the
    lines of the nearest neighbouring pages' table, at one offset, and are fewer (a faded inner rule, or a faded
    border: the column beyond it open, so left out); a page with no table at all whose nearest neighbours with
    one agree on it (a faded border may leave no rule across ending on a rule, so no grid). The nearest pages on
    both sides must agree; the page is read again with the pattern (``reading.read_page``)."""
    hints: dict[int, ColumnPattern] = {}
    for page in pages:
        table = _main(tables, page)
        seen: list[ColumnPattern] = []
        for step in (-1, 1):
            other = next((t for k in range(1, REACH + 1) if (t := _main(tables, page + step * k)) is not None), None)
            if other is not None:
                seen.append(pattern_of(other))
        if not seen or not all(seen[0].agrees(o) for o in seen[1:]):
            continue
        pattern = seen[0]
        if table is None:
            hints[page] = pattern
            continue
        own = [table.box.x0, *column_lines(table), table.box.x1]
        if not max(3, len(pattern.fractions) / 2) <= len(own) < len(pattern.fractions):
            continue
        lines = align(own, pattern, pattern.width)
        tol = LINE_FRAC * pattern.width
        if lines is not None and all(any(abs(x - line) <= tol for line in lines) for x in own):
            hints[page] = pattern
    return hints


def align(rules: list[float], pattern: ColumnPattern, width_px: float) -> list[float] | None:
    """The pattern's lines (pixels) laid over a page's vertical rules (pixels): at the offset that puts the most of
    its lines on a rule (within ``LINE_FRAC`` of the width); None when fewer than two or than half of them land on
    one (the page holds no such table)."""
    tol = LINE_FRAC * width_px
    best: tuple[int, float] | None = None
    for x in rules:
        for f in pattern.fractions:
            offset = x - f * width_px
            hits = sum(any(abs(offset + g * width_px - r) <= tol for r in rules) for g in pattern.fractions)
            if best is None or hits > best[0]:
                best = (hits, offset)
    if best is None or best[0] < max(2, len(pattern.fractions) / 2):
        return None
    return [best[1] + g * width_px for g in pattern.fractions]
