"""A table's grid checked against the neighbouring pages': a column rule a page lost (a faded rule the scanner's
threshold dropped, a rule under a stain) is put back where the pages before and after it have it.

A long task table keeps its columns from page to page. A page whose (widest) table has fewer columns than its
neighbours', with the same outline (left and right within ``OUTLINE_FRAC`` of the width) and every column
line of its own at one of theirs (within ``LINE_FRAC``), lacks the neighbours' other lines: their positions, as
fractions of the outline's width, are read again on that page as column lines (``grid.impose_columns``). The
nearest page on each side with that outline speaks (up to ``REACH`` pages away); one with just the page's own
lines says nothing is missing.
"""


from __future__ import annotations

from tthc_extract.schemas.raw import PageTable

#: Two tables have the same outline when their left and right edges differ by at most this fraction of the width.
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


def _same_outline(a: PageTable, b: PageTable) -> bool:
    width = max(a.box.x1 - a.box.x0, b.box.x1 - b.box.x0)
    return abs(a.box.x0 - b.box.x0) <= OUTLINE_FRAC * width and abs(a.box.x1 - b.box.x1) <= OUTLINE_FRAC * width


def missing_columns(tables: list[PageTable]) -> dict[int, list[float]]:
    """Page number → the column lines (fractions of its table's width) its widest table lacks and the nearest
    neighbouring pages' tables with the same outline agree on."""
    pages = sorted({t.page for t in tables})
    out: dict[int, list[float]] = {}
    for page in pages:
        table = _main(tables, page)
        if table is None:
            continue
        own = _fractions(table)
        votes: list[list[float]] = []
        for step in (-1, 1):
            for k in range(1, REACH + 1):
                other = _main(tables, page + step * k)
                if other is None or not _same_outline(table, other):
                    continue
                theirs = _fractions(other)
                if all(any(abs(f - g) <= LINE_FRAC for g in theirs) for f in own):
                    # a superset votes for its other lines; the same lines vote for none
                    votes.append([g for g in theirs if not any(abs(f - g) <= LINE_FRAC for f in own)])
                break  # the nearest page with this outline on this side speaks for it
        if not votes or not all(votes):
            continue
        agreed = [g for g in votes[0] if all(any(abs(g - h) <= LINE_FRAC for h in v) for v in votes[1:])]
        if agreed:
            out[page] = agreed
    return out
