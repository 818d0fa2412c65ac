"""The audit report: one self-contained HTML file to check an extraction against its PDF by eye.

Every page holding the task table is rendered with pypdfium2 (embedded as a base64 JPEG, lazily decoded)
with the cell boxes of the extracted values drawn over it. The box colour says how the value was obtained
(read as is, joined across a page break, part of a vertically merged cell, or carrying a warning). Beside
the pages, the extracted records are listed in the source's column order; clicking a record highlights
its boxes and scrolls to them, clicking a box selects its record. A summary at the top gives the file,
its hash, the counts, the engine and every warning as a link to its place. With a ground truth, the
mismatches are marked on the boxes and in the table (expected vs got).

The file needs no network: no CDN, no fonts or scripts from elsewhere, plain JavaScript. The page's CSS and
JavaScript are package files in ``tthc_extract/assets/`` (audit.css/.js: layout and selection; review.css/.js: the
review workflow), read with importlib.resources and inlined.

The review workflow (review.js): each value's cell carries ``data-value``, its address ``<id>/<field>``
(normalize/ids.py); an auditor marks it checked or wrong (with the corrected text and a note) by mouse or keys,
filters and searches the values, and exports the verdicts as ``<stem>.review.json`` (``tthc-review/1``,
schemas/review.py) for ``tthc extract PDF --review FILE``. The review is kept in the browser's localStorage
under ``tthc-review:<sha256>`` between visits; an exported file can be imported back.

Ids used by the page (stable, for tests and bookmarks):

* records: ``s{i}`` (section i), ``s{i}-t{j}`` (task j of it), ``s{i}-t{j}-a{k}`` (assignment k), ``title``;
* ``tr``/``td`` of the records table and each ``.box`` carry ``data-rec``; boxes also ``data-recs`` (every
  record sharing that box, space-separated), ``data-field`` and ``data-page``; selected items get the
  class ``selected``;
* ``#count-sections``, ``#count-tasks``, ``#count-assignments``; ``#page-{n}`` for each rendered page.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path

import pypdfium2 as pdfium

from tthc_extract.schemas.document import Assignment, Document, Repair, Value, WarningCode
from tthc_extract.schemas.document import Warning as DocWarning
from tthc_extract.schemas.fields import ASSIGNMENT_FIELDS, TASK_FIELDS, Field, extra_field, extra_header
from tthc_extract.schemas.text import collapse
from tthc_extract.writers import atomic_write_many, output_path

#: Render scale (pixels per PDF point): 1.4 gives ~1180 px for an A4 landscape page, sharp enough to read.
DEFAULT_SCALE = 1.4
JPEG_QUALITY = 78
#: An OCR confidence below this is "low" (the report's filter and the value's badge).
LOW_CONFIDENCE = 0.8

#: Box categories, in priority order (a value gets the first that applies), with their legend text.
CATEGORIES = {
    "lost": "text read in the table that is in no value (or in two): an error",
    "warn": "carries a warning",
    "joined": "joined across a page break",
    "merged": "part of a vertically merged cell",
    "ok": "read as is",
    "title": "title block line",
}

FIELD_LABELS: dict[str, str] = {
    Field.STT: "STT",
    Field.DESCRIPTION: "Nhiệm vụ",
    Field.RESULT: "Sản phẩm",
    Field.LEAD: "Chủ trì",
    Field.PARTNER: "Phối hợp",
    Field.TIMEFRAME: "Thời gian",
}


@dataclass
class _Mark:
    """Annotations of one value: warnings on it and truth mismatches (expected, got)."""

    warnings: list[str] = field(default_factory=list)
    mismatches: list[tuple[str, str]] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)


@dataclass
class _Box:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    recs: list[str]
    field: str
    category: str
    tip: str
    mismatch: bool

    @property
    def key(self) -> tuple:
        return self.page, round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)


@dataclass
class _Truth:
    """What a comparison with a ground truth found, keyed for the report."""

    accuracy: float
    truth_rows: int
    got_rows: int
    columns: dict[str, float]
    missing: list[str]  # labels of truth rows absent from the output
    extra: set[str]  # assignment record ids that match no truth row
    marks: dict[tuple[str, str], list[tuple[str, str]]]  # (rec, field) → [(expected, got)]
    title: list[tuple[str, str, str]]  # (field, expected, got) of the title block


def severity_of(w: DocWarning) -> str:
    """A warning's severity ("error", "warning", "info"); "warning" for documents whose warnings have none."""
    sev = getattr(w, "severity", None)
    return str(getattr(sev, "value", sev) or "warning")


def _category(v: Value, mark: _Mark | None) -> str:
    if mark and mark.warnings:
        return "warn"
    if Repair.JOINED_ACROSS_PAGES in v.provenance.repairs:
        return "joined"
    if Repair.MERGED_CELL in v.provenance.repairs:
        return "merged"
    return "ok"


def _records(doc: Document):
    """Yield (rec id, field, Value, label) for every value of the document, in reading order."""
    for i, s in enumerate(doc.sections):
        yield f"s{i}", "number", s.number, f"Section {s.number.text}"
        yield f"s{i}", "title", s.title, f"Section {s.number.text}"
        for j, t in enumerate(s.tasks):
            label = f"Task {s.number.text}.{t.number.text}"
            yield f"s{i}-t{j}", "number", t.number, label
            yield f"s{i}-t{j}", Field.DESCRIPTION, t.description, label
            for k, a in enumerate(t.assignments):
                alabel = label + (f" (row {k + 1})" if len(t.assignments) > 1 else "")
                for name in ASSIGNMENT_FIELDS:
                    yield f"s{i}-t{j}-a{k}", name, getattr(a, name), alabel
                for header, v in a.extra.items():
                    yield f"s{i}-t{j}-a{k}", extra_field(header), v, alabel


_WARN_FIELD = re.compile(r"^task [^:]+: (?:empty )?(\w+)(?: \(row (\d+)\))?")


#: A value's stable address: s<section>[.t<task>[.a<assignment>]]/<field> (normalize/ids.py).
_ADDRESS = re.compile(r"^s(\d+)(?:\.t(\d+)(?:\.a(\d+))?)?/(.+)$")


def resolve_warning(doc: Document, w: DocWarning) -> tuple[str | None, str | None]:
    """The record id and field a warning is about, as far as it says (None when it names no record)."""
    if w.value and (m := _ADDRESS.match(w.value)):
        section, task, assignment, fld = m.groups()
        rec = f"s{int(section) - 1}"
        if task is not None:
            rec += f"-t{int(task) - 1}" + (f"-a{int(assignment) - 1}" if assignment is not None else "")
        return rec, fld
    if w.section is None:
        return None, None
    pages = set(w.pages)

    def pick(items: list[tuple[int, set[int]]]) -> int | None:
        return next((i for i, p in items if p & pages), items[0][0] if items else None)

    si = pick([(i, set(s.number.provenance.pages) | set(s.title.provenance.pages)
                | {a.page_first for t in s.tasks for a in t.assignments})
               for i, s in enumerate(doc.sections) if s.number.text == w.section])
    if si is None:
        return None, None
    section = doc.sections[si]
    if w.task is None:
        return f"s{si}", "title" if w.code == WarningCode.DUPLICATE_SECTION_TITLE else "number"
    tj = pick([(j, set(t.number.provenance.pages) | {p for a in t.assignments for p in (a.page_first, a.page_last)})
               for j, t in enumerate(section.tasks) if t.number.text == w.task])
    if tj is None:
        return f"s{si}", "number"
    m = _WARN_FIELD.match(w.message)
    if m and m.group(1) in ASSIGNMENT_FIELDS:
        k = int(m.group(2)) - 1 if m.group(2) else 0
        if 0 <= k < len(section.tasks[tj].assignments):
            return f"s{si}-t{tj}-a{k}", m.group(1)
    if m and m.group(1) == Field.DESCRIPTION:
        return f"s{si}-t{tj}", Field.DESCRIPTION
    return f"s{si}-t{tj}", "number"


def compare_truth(doc: Document, truth_path: Path) -> _Truth:
    """Compare ``doc`` with a ground truth the way ``tthc evaluate`` does, keyed by record id and field."""
    from tthc_extract.evaluate import EVAL_FIELDS, align, evaluate, load

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.json"
        out.write_text(json.dumps(doc.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
        got, truth = load(out), load(truth_path)
        report = evaluate(out, truth_path)
    recs = [(i, j, k) for i, s in enumerate(doc.sections) for j, t in enumerate(s.tasks)
            for k in range(len(t.assignments))]
    where = {
        "section": ("s{i}", "number"), "section_title": ("s{i}", "title"),
        "task": ("s{i}-t{j}", "number"), Field.DESCRIPTION: ("s{i}-t{j}", Field.DESCRIPTION),
    }
    marks: dict[tuple[str, str], list[tuple[str, str]]] = {}
    missing: list[str] = []
    extra: set[str] = set()
    for ti, gi in align(truth.rows, got.rows):
        assert ti is not None or gi is not None  # align never pairs None with None
        if gi is None:
            assert ti is not None
            t = truth.rows[ti]
            missing.append(f"row {ti + 1}: {t['section']}.{t['task']} {t['result']}")
            continue
        i, j, k = recs[gi]
        if ti is None:
            extra.add(f"s{i}-t{j}-a{k}")
            continue
        for f in EVAL_FIELDS:
            exp, g = truth.rows[ti][f], got.rows[gi][f]
            if exp != g:
                pattern, name = where.get(f, ("s{i}-t{j}-a{k}", f))
                lst = marks.setdefault((pattern.format(i=i, j=j, k=k), name), [])
                if (exp, g) not in lst:
                    lst.append((exp, g))
    title = [(m.field.removeprefix("title_block."), m.expected, m.got) for m in report.mismatches
             if m.field.startswith("title_block.")]
    return _Truth(report.accuracy, report.truth_rows, report.got_rows, report.column_accuracy(), missing, extra,
                  marks, title)


def _render_pages(pdf_path: Path, pages: list[int], scale: float, password: str | None,
                  turned: dict[int, int] | None = None) -> dict[int, tuple[float, float, str]]:
    """Page number → (width pt, height pt, data: URI of a JPEG rendering), each page shown upright as a viewer
    shows it, and turned further where its text runs sideways (``turned``: the frame its boxes are in)."""
    turned = turned or {}
    out: dict[int, tuple[float, float, str]] = {}
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        for n in pages:
            if not 1 <= n <= len(pdf):
                continue
            page = pdf[n - 1]
            try:
                width, height = page.get_size()
                turn = turned.get(n, 0)
                if turn in (90, 270):
                    width, height = height, width
                image = page.render(scale=scale, rotation=turn).to_pil().convert("RGB")
                buf = io.BytesIO()
                image.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                uri = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
                out[n] = (width, height, uri)
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _ranges(pages: list[int]) -> str:
    """'1–3, 5' for [1, 2, 3, 5]."""
    parts: list[str] = []
    start = prev = None
    for p in [*sorted(pages), None]:
        if p is not None and prev is not None and p == prev + 1:
            prev = p
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = p
    return ", ".join(parts)


def _short(text: str, limit: int = 160) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _diff(expected: str, got: str, context: int = 30, limit: int = 120) -> tuple[str, str]:
    """Both texts cut to where they differ (with some context), so a long cell's change stays visible."""
    if len(expected) <= limit and len(got) <= limit:
        return expected, got
    p = 0
    while p < min(len(expected), len(got)) and expected[p] == got[p]:
        p += 1
    q = 0
    while q < min(len(expected), len(got)) - p and expected[-1 - q] == got[-1 - q]:
        q += 1
    start = max(0, p - context)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - q + context)
        middle = text[start:end]
        if len(middle) > limit:
            middle = middle[: limit - 1] + "…"
        return ("…" if start else "") + middle + ("…" if end < len(text) else "")

    return cut(expected), cut(got)


def _field_label(doc: Document, name: str) -> str:
    if (header := extra_header(name)) is not None:
        return header
    for c in doc.columns:
        if c.field == name or (name == "number" and c.field == Field.STT):
            return c.header
    return FIELD_LABELS.get(name, name)


def build_audit_html(doc: Document, pdf_path: Path, *, truth_path: Path | None = None, password: str | None = None,
                     scale: float = DEFAULT_SCALE) -> str:
    """The audit report of ``doc`` (extracted from ``pdf_path``) as one self-contained HTML page."""
    truth = compare_truth(doc, truth_path) if truth_path else None

    # Warnings → the values they are about.
    marks: dict[tuple[str, str], _Mark] = {}
    warn_links: list[tuple[DocWarning, str | None, str | None]] = []
    for w in doc.warnings:
        rec, fld = resolve_warning(doc, w)
        warn_links.append((w, rec, fld))
        if rec and fld and w.code != WarningCode.JOINED_ACROSS_PAGES:  # a join already has its own colour
            warned = marks.setdefault((rec, fld), _Mark())
            warned.warnings.append(w.message)
            warned.severities.append(severity_of(w))
    if truth:
        for key, pairs in truth.marks.items():
            marks.setdefault(key, _Mark()).mismatches.extend(pairs)

    # Boxes, one per distinct (page, rectangle); a merged cell shared by several records is drawn once.
    boxes: dict[tuple, _Box] = {}
    for rec, fld, v, label in _records(doc):
        mark = marks.get((rec, fld))
        cat = _category(v, mark)
        tip = [f"{label} · {_field_label(doc, fld)}", _short(v.text) or "(empty)"]
        if v.provenance.repairs:
            tip.append("repairs: " + ", ".join(r.value for r in v.provenance.repairs))
        if mark:
            tip += [f"warning: {m}" for m in mark.warnings]
            tip += [f"mismatch: expected «{e2}» got «{g2}»" for e2, g2 in (_diff(e, g) for e, g in mark.mismatches)]
        for frag in v.provenance.fragments:
            b = frag.box
            new = _Box(frag.page, b.x0, b.top, b.x1, b.bottom, [rec], fld, cat, "\n".join(tip),
                       bool(mark and mark.mismatches))
            old = boxes.get(new.key)
            if old is None:
                boxes[new.key] = new
            elif rec not in old.recs:
                old.recs.append(rec)
                old.mismatch = old.mismatch or new.mismatch
                if list(CATEGORIES).index(new.category) < list(CATEGORIES).index(old.category):
                    old.category = new.category
                old.tip += "\n—\n" + new.tip
    for line in doc.title_block.lines:
        for frag in line.provenance.fragments:
            b = frag.box
            new = _Box(frag.page, b.x0, b.top, b.x1, b.bottom, ["title"], "title_block", "title",
                       "Title block\n" + _short(line.text), False)
            boxes.setdefault(new.key, new)

    for w in doc.warnings:  # text the conservation check found in no value (or in two), and stray text
        if w.box is not None and w.pages:
            b = w.box
            lost = _Box(w.pages[0], b.x0, b.top, b.x1, b.bottom, ["lost"], "lost",
                        "lost" if severity_of(w) == "error" else "warn", f"{w.code.value}\n{w.message}", False)
            boxes[("lost", *lost.key)] = lost
    pages_wanted = sorted({*doc.source.table_pages, *(b.page for b in boxes.values())})
    rendered = _render_pages(pdf_path, pages_wanted, scale, password, doc.source.turned_pages)
    by_page: dict[int, list[_Box]] = {}
    for b in boxes.values():
        by_page.setdefault(b.page, []).append(b)

    parts = [_head(doc), _summary(doc, truth, warn_links, rendered), review_bar(doc, pdf_path.stem, warn_links),
             '<main id="main">', _pages_pane(rendered, by_page), _records_pane(doc, marks, truth), "</main>",
             f"<script>{asset('audit.js')}</script>", f"<script>{asset('review.js')}</script>", "</body></html>\n"]
    return "\n".join(parts)


def _head(doc: Document) -> str:
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Audit — {escape(doc.source.file_name)}</title>\n"
            f"<style>{asset('audit.css')}{asset('review.css')}</style>\n"
            "</head>\n<body>")


def _summary(doc: Document, truth: _Truth | None, warn_links: list, rendered: dict) -> str:
    counts = doc.counts()
    src = doc.source
    others = [p for p in range(1, src.page_count + 1) if p not in rendered]
    tb = doc.title_block
    h: list[str] = ['<header id="summary">', '<div class="bar">',
                    f"<h1>Audit: {escape(src.file_name)}</h1>",
                    '<button type="button" id="toggle-summary" title="Show or hide the summary">Summary ▾</button>',
                    "</div>", '<div id="summary-body">', '<div class="cols"><div>', '<dl class="meta">']
    h.append(f"<dt>File</dt><dd>{escape(src.file_name)}</dd>")
    h.append(f'<dt>SHA-256</dt><dd><code id="sha256">{escape(src.sha256)}</code></dd>')
    pages = f'<span id="count-pages">{src.page_count}</span>; task table on pages {_ranges(src.table_pages) or "—"}'
    if others:
        pages += f"; not rendered (no task table): {_ranges(others)}"
    h.append(f"<dt>Pages</dt><dd>{pages}</dd>")
    h.append(f'<dt>Records</dt><dd><span id="count-sections">{counts["sections"]}</span> sections · '
             f'<span id="count-tasks">{counts["tasks"]}</span> tasks · '
             f'<span id="count-assignments">{counts["assignments"]}</span> assignments</dd>')
    h.append(f'<dt>Engine</dt><dd id="engine">{escape(doc.engine)} {escape(doc.engine_version)} '
             f"(schema {escape(doc.schema_version)})</dd>")
    if tb.heading or tb.title or tb.attachment_line:
        h.append('<dt>Title block</dt><dd class="tb" data-rec="title">'
                 + "<br>".join(escape(x) for x in (tb.heading, tb.title, tb.attachment_line) if x) + "</dd>")
    h.append("</dl>")
    h.append(_legend(truth is not None))
    h.append("</div><div>")
    h.append(f'<h2>Warnings (<span id="count-warnings">{len(warn_links)}</span>)</h2>')
    if warn_links:
        h.append('<ol id="warnings">')
        for n, (w, rec, fld) in enumerate(warn_links):
            page = w.pages[0] if w.pages else None
            attrs = f' data-rec="{rec}"' if rec else ""
            attrs += f' data-field="{escape(fld)}"' if fld and rec else ""
            attrs += f' data-page="{page}"' if page else ""
            href = f"#rec-{rec}" if rec else f"#page-{page}" if page else "#"
            where = f"p. {_ranges(w.pages)}" if w.pages else ""
            h.append(f'<li><a class="warn-link" id="warning-{n}" href="{href}"{attrs}>'
                     f'<span class="code">{escape(w.code.value)}</span> {escape(w.message)}'
                     f' <span class="where">{where}</span></a></li>')
        h.append("</ol>")
    else:
        h.append("<p>None.</p>")
    if truth:
        h.append(_truth_summary(truth))
    h.append("</div></div></div></header>")
    return "\n".join(h)


def _legend(with_truth: bool) -> str:
    items = [f'<li><span class="swatch k-{k}"></span>{escape(v)}</li>' for k, v in CATEGORIES.items()]
    if with_truth:
        items.append('<li><span class="swatch k-ok sw-mismatch"></span>differs from the ground truth</li>')
    items.append('<li><span class="swatch sw-selected"></span>selected record (its task or rows: lighter)</li>')
    return '<ul class="legend" id="legend">' + "".join(items) + "</ul>"


def _truth_summary(t: _Truth) -> str:
    n_mis = sum(len(v) for v in t.marks.values())
    h = ['<h2>Ground truth</h2>',
         f'<p>Accuracy <b id="truth-accuracy">{t.accuracy:.4f}</b> · {t.truth_rows} truth rows, {t.got_rows} output '
         f'rows · <span id="count-mismatches">{n_mis}</span> differing cells · {len(t.missing)} missing, '
         f"{len(t.extra)} extra rows</p>",
         '<p class="colacc">' + " · ".join(f"{escape(k)} {v:.3f}" for k, v in t.columns.items()) + "</p>"]
    if t.missing:
        h.append('<details open><summary>Missing rows</summary><ul id="missing-rows">'
                 + "".join(f"<li>{escape(_short(m))}</li>" for m in t.missing) + "</ul></details>")
    if t.title:
        h.append('<details open><summary>Title block differences</summary><ul>'
                 + "".join(f"<li>{escape(f)}: expected «{escape(e)}» got «{escape(g)}»</li>" for f, e, g in t.title)
                 + "</ul></details>")
    return "\n".join(h)


def _pages_pane(rendered: dict[int, tuple[float, float, str]], by_page: dict[int, list[_Box]]) -> str:
    h = ['<section id="pages-pane" class="pane">', '<div class="toolbar">',
         '<label>Zoom <input type="range" id="zoom" min="50" max="250" step="10" value="100"></label>',
         '<span class="nav">' + " ".join(f'<a href="#page-{n}" data-page="{n}">{n}</a>' for n in rendered) + "</span>",
         "</div>", '<div id="pages">']
    for n, (w, hgt, uri) in rendered.items():
        h.append(f'<div class="page-label">Page {n}</div>')
        h.append(f'<div class="page" id="page-{n}" data-page="{n}" style="aspect-ratio: {w:.2f} / {hgt:.2f}">')
        h.append(f'<img loading="lazy" decoding="async" alt="Page {n}" src="{uri}">')
        for b in sorted(by_page.get(n, []), key=lambda b: (b.top, b.x0)):
            cls = f"box k-{b.category}" + (" mismatch" if b.mismatch else "")
            style = (f"left:{100 * b.x0 / w:.3f}%;top:{100 * b.top / hgt:.3f}%;"
                     f"width:{100 * (b.x1 - b.x0) / w:.3f}%;height:{100 * (b.bottom - b.top) / hgt:.3f}%")
            h.append(f'<div class="{cls}" data-rec="{b.recs[0]}" data-recs="{" ".join(b.recs)}" '
                     f'data-field="{escape(b.field)}" data-page="{n}" style="{style}" title="{escape(b.tip)}"></div>')
        h.append("</div>")
    h.append("</div></section>")
    return "\n".join(h)


def _columns(doc: Document) -> list[tuple[str, str]]:
    """(field, header) of the records table: the source's columns in order, then any field they lack."""
    cols: list[tuple[str, str]] = []
    for c in sorted(doc.columns, key=lambda c: c.index):
        cols.append((extra_field(c.header) if c.field == "extra" else c.field, c.header))
    have = {f for f, _ in cols}
    for f in (*TASK_FIELDS, *ASSIGNMENT_FIELDS):
        if f not in have:
            cols.append((f, FIELD_LABELS[f]))
    extras = {k for s in doc.sections for t in s.tasks for a in t.assignments for k in a.extra}
    for k in sorted(extras):
        if extra_field(k) not in {f for f, _ in cols}:
            cols.append((extra_field(k), k))
    return cols


def _cell(rec: str, fld: str, v: Value | None, marks: dict[tuple[str, str], _Mark], attrs: str = "",
          address: str = "", meta: str = "") -> str:
    mark = marks.get((rec, fld))
    cls = ["c"]
    extra = ""
    title = ""
    if v is not None and v.provenance.repairs:
        cls.append("k-" + _category(v, None))
    if mark and mark.warnings:
        cls.append("warn")
        title = "\n".join(mark.warnings)
    if mark and mark.mismatches:
        cls.append("mismatch")
        extra = "".join(f'<div class="exp">expected: {escape(e) or "(empty)"}</div>' for e, _ in mark.mismatches)
        pairs = (_diff(e, g) for e, g in mark.mismatches)
        title = "\n".join([title, *(f"expected «{e}» got «{g}»" for e, g in pairs)]).strip()
    text = escape(v.text) if v is not None else ""
    t_attr = f' title="{escape(title)}"' if title else ""
    if address and v is not None:
        t_attr += f' data-value="{escape(address)}"'
        if v.provenance.repairs:
            t_attr += f' data-repaired="{escape(" ".join(r.value for r in v.provenance.repairs))}"'
        if v.confidence is not None:
            t_attr += f' data-conf="{v.confidence:.3f}"'
        if mark and mark.severities:
            t_attr += f' data-sev="{escape(" ".join(sorted(set(mark.severities))))}"'
    return (f'<td class="{" ".join(cls)}" data-rec="{rec}" data-field="{escape(fld)}"{attrs}{t_attr}>'
            f'<span class="v">{text}</span>{extra}{meta}</td>')


def _meta(fld: str, v: Value | None, a: Assignment | None = None) -> str:
    """The parsed units, deadline and OCR confidence shown under a value in the records table."""
    parts: list[str] = []
    if a is not None and fld in (Field.LEAD, Field.PARTNER):
        units = getattr(a, f"{fld}_units") or []
        if units and not (len(units) == 1 and units[0].name == collapse(v.text if v else "")):
            parts.append("units: " + " | ".join(escape(u.name) for u in units))
    if a is not None and fld == Field.TIMEFRAME and a.timeframe_parsed is not None:
        tf = a.timeframe_parsed
        kinds = " | ".join(dict.fromkeys(p.kind for p in tf.parts))
        parts.append(f"deadline {tf.deadline.isoformat()}" if tf.deadline else "no deadline")
        if kinds:
            parts.append(escape(kinds))
    if v is not None and v.confidence is not None:
        low = " low" if v.confidence < LOW_CONFIDENCE else ""
        parts.append(f'<span class="conf{low}">OCR {v.confidence:.2f}</span>')
    return f'<div class="meta">{" · ".join(parts)}</div>' if parts else ""


def _records_pane(doc: Document, marks: dict[tuple[str, str], _Mark], truth: _Truth | None) -> str:
    cols = _columns(doc)
    h = ['<section id="records-pane" class="pane">', '<table id="records">', "<thead><tr>"]
    h += [f'<th data-col="{escape(f)}">{escape(header)}</th>' for f, header in cols]
    h.append('<th data-col="pages">Trang</th></tr></thead><tbody>')
    ncols = len(cols) + 1
    for i, s in enumerate(doc.sections):
        rec = f"s{i}"
        h.append(f'<tr class="section" id="rec-{rec}" data-rec="{rec}">'
                 + _cell(rec, "number", s.number, marks, address=f"{s.id}/number", meta=_meta("number", s.number))
                 + _cell(rec, "title", s.title, marks, f' colspan="{ncols - 1}"', address=f"{s.id}/title",
                         meta=_meta("title", s.title)) + "</tr>")
        for j, t in enumerate(s.tasks):
            trec = f"s{i}-t{j}"
            n = len(t.assignments)
            for k, a in enumerate(t.assignments):
                arec = f"{trec}-a{k}"
                cls = "assignment" + (" extra-row" if truth and arec in truth.extra else "")
                cells: list[str] = []
                for f, _header in cols:
                    if f in (Field.STT, Field.DESCRIPTION):
                        if k == 0:
                            v = t.number if f == Field.STT else t.description
                            span = f' rowspan="{n}"' if n > 1 else ""
                            anchor = f' id="rec-{trec}"' if f == Field.STT else ""
                            name = "number" if f == Field.STT else f
                            cells.append(_cell(trec, name, v, marks, anchor + span, address=f"{t.id}/{name}",
                                               meta=_meta(name, v)))
                    elif (header := extra_header(f)) is not None:
                        ev = a.extra.get(header)
                        cells.append(_cell(arec, f, ev, marks, address=f"{a.id}/{f}", meta=_meta(f, ev)))
                    else:
                        cells.append(_cell(arec, f, getattr(a, f), marks, address=f"{a.id}/{f}",
                                           meta=_meta(f, getattr(a, f), a)))
                pages = str(a.page_first) if a.page_first == a.page_last else f"{a.page_first}–{a.page_last}"
                cells.append(f'<td class="pg">{pages}</td>')
                title = ' title="no matching ground-truth row"' if "extra-row" in cls else ""
                h.append(f'<tr class="{cls}" id="rec-{arec}" data-rec="{arec}"{title}>' + "".join(cells) + "</tr>")
    h.append("</tbody></table></section>")
    return "\n".join(h)


def write_audit(doc: Document, pdf_path: Path, out_path: Path, *, truth_path: Path | None = None,
                password: str | None = None, scale: float = DEFAULT_SCALE) -> Path:
    """Build the audit report and write it to ``out_path`` atomically; return the path."""
    html = build_audit_html(doc, pdf_path, truth_path=truth_path, password=password, scale=scale)
    atomic_write_many([(out_path, html.encode("utf-8"))])
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(out_path, 0o666 & ~umask)  # a report to share, not a temp file's private mode
    return out_path


def asset(name: str) -> str:
    """A file of the report's page assets (tthc_extract/assets/), read as a package resource to be inlined."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


_SEVERITIES = ("error", "warning", "info")


def review_bar(doc: Document, stem: str, warn_links: list) -> str:
    """The review toolbar (progress, filters, search, export/import), the value editor and the page's data."""
    from tthc_extract.normalize.ids import iter_values
    from tthc_extract.schemas.review import REVIEW_FORMAT

    values = list(iter_values(doc))
    # the texts as extracted (a reviewed document's corrections are verdicts already given, seeded below)
    texts = {address: v.original_text if v.original_text is not None else v.text for address, v in values}
    applied = [{"value": address, "verdict": "wrong" if v.original_text is not None else "checked",
                **({"text": v.text} if v.original_text is not None else {}), "original": texts[address]}
               for address, v in values if v.reviewed]
    data = {"format": REVIEW_FORMAT, "sha256": doc.source.sha256, "file_name": doc.source.file_name, "stem": stem,
            "low_confidence": LOW_CONFIDENCE, "texts": texts, "applied": applied}
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    sevs = [s for s in _SEVERITIES if any(severity_of(w) == s for w, _, _ in warn_links)] or ["warning"]
    options = [("all", "All values"), ("unreviewed", "Unreviewed"), ("checked", "Checked"), ("wrong", "Wrong"),
               ("repaired", "Repaired (joined, merged, corrected)"),
               ("lowconf", f"Low OCR confidence (< {LOW_CONFIDENCE:.2f})"),
               *((f"sev-{s}", f"Warnings: {s}") for s in sevs), ("unassigned", "Unassigned text")]
    unassigned = [w for w, rec, _ in warn_links if rec is None and w.code in (
        WarningCode.UNEXPECTED_TEXT, WarningCode.TEXT_NOT_ASSIGNED, WarningCode.TEXT_ASSIGNED_TWICE)]
    items = "".join(
        f'<li><a href="#page-{w.pages[0] if w.pages else ""}" class="warn-link" '
        f'data-page="{w.pages[0] if w.pages else ""}">p. {_ranges(w.pages)}</a> {escape(w.message)}</li>'
        for w in unassigned) or "<li>None: every text of the table pages is in a value.</li>"
    keys = ("<kbd>j</kbd>/<kbd>↓</kbd> next value · <kbd>k</kbd>/<kbd>↑</kbd> previous · <kbd>c</kbd> checked "
            "(and next) · <kbd>w</kbd> wrong: type the correction · <kbd>u</kbd> undo verdict · <kbd>/</kbd> search · "
            "<kbd>Esc</kbd> leave a text box")
    return "\n".join([
        f'<script type="application/json" id="review-data">{blob}</script>',
        '<section id="review" aria-label="Review">',
        '<div class="row">',
        f'<span id="review-progress"><b id="reviewed-count">0</b> of <b id="value-count">{len(texts)}</b> values '
        'reviewed (<span id="checked-count">0</span> checked, <span id="wrong-count">0</span> wrong)</span>',
        '<label>Show <select id="filter">'
        + "".join(f'<option value="{v}">{escape(t)}</option>' for v, t in options) + "</select></label>",
        '<input type="search" id="search" placeholder="Search values (/)" aria-label="Search values">',
        '<input type="text" id="reviewer" placeholder="Reviewer" aria-label="Reviewer">',
        f'<button type="button" id="export-review" title="Download {escape(stem)}.review.json">Export review</button>',
        '<label class="btn" title="Load an exported review file">Import review '
        '<input type="file" id="import-review" accept=".json,application/json"></label>',
        f'<span class="fmt">format <code>{REVIEW_FORMAT}</code>; apply with '
        f"<code>tthc extract {escape(doc.source.file_name)} --review {escape(stem)}.review.json</code></span>",
        "</div>",
        '<div class="row" id="editor">',
        '<span id="cur-value" class="addr">click a value</span>',
        '<span id="cur-verdict" class="verdict">—</span>',
        '<button type="button" id="btn-check" title="The value is right (c)">✓ Checked</button>',
        '<button type="button" id="btn-wrong" title="The value is wrong: type the correction (w)">✗ Wrong</button>',
        '<button type="button" id="btn-clear" title="Remove the verdict (u)">Undo</button>',
        '<textarea id="correction" rows="2" placeholder="Corrected text (for a wrong value)" '
        'aria-label="Corrected text"></textarea>',
        '<input type="text" id="note" placeholder="Note" aria-label="Note">',
        "</div>",
        f'<div class="row keys" id="keys">Keys: {keys} <span id="review-status" role="status"></span></div>',
        f'<div id="unassigned" hidden><b>Text not assigned to any value</b><ul>{items}</ul></div>',
        "</section>",
    ])


def audit_path(out_dir: Path, stem: str) -> Path:
    return output_path(out_dir, stem, "audit")


def audit_extracted(pdf_path: Path, out_dir: Path, stem: str, *, password: str | None = None,
                    only_missing: bool = False) -> Path | None:
    """Write ``OUT/<stem>.audit.html`` from the ``OUT/<stem>.json`` that ``tthc extract`` wrote for ``pdf_path``.

    With ``only_missing``, an existing report at least as new as the JSON is kept (returns None).
    """
    json_path, target = output_path(out_dir, stem, "json"), audit_path(out_dir, stem)
    if only_missing and target.exists() and target.stat().st_mtime >= json_path.stat().st_mtime:
        return None
    doc = Document.model_validate_json(json_path.read_text(encoding="utf-8"))
    return write_audit(doc, pdf_path, target, password=password)
