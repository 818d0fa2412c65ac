"""The HTML audit report: self-contained, one image per table page, boxes where the provenance says, and
clicks that tie records and page boxes together (checked in headless Chromium with Playwright).

The report is built for the landscape Cao Bằng sample when it exists, else for the real Lâm Đồng appendix
in ../shared/real (never copied into the repo), else the tests are skipped.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import REAL, ROOT, SAMPLES, TRUTH

from tthc_extract.audit import build_audit_html, resolve_warning, write_audit
from tthc_extract.cli import main
from tthc_extract.runner import extract_document
from tthc_extract.schemas.document import Document

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


def _source() -> tuple[Path, Path] | None:
    sample = SAMPLES / "caobang_svhttdl_2026_landscape.pdf"
    if sample.exists():
        return sample, TRUTH / "caobang_svhttdl_2026.json"
    real = REAL / "lamdong_cchc_2026.pdf"
    if real.exists():
        return real, REAL / "lamdong_cchc_2026.json"
    return None


SOURCE = _source()
pytestmark = pytest.mark.skipif(SOURCE is None, reason="no sample PDF and no real appendix available")


class _Tags(HTMLParser):
    """Every start tag of a page as (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def boxes_of(html: str) -> list[dict[str, str]]:
    return [a for t, a in tags(html) if t == "div" and "box" in a.get("class", "").split()]


def record_values(doc: Document, rec: str) -> dict[str, list[tuple[int, tuple[float, ...]]]]:
    """field → [(page, rounded box)] of every value of one record id (s{i}, s{i}-t{j} or s{i}-t{j}-a{k})."""
    idx = [int(p[1:]) for p in rec.split("-")]
    s = doc.sections[idx[0]]
    if len(idx) == 1:
        values = {"number": s.number, "title": s.title}
    elif len(idx) == 2:
        t = s.tasks[idx[1]]
        values = {"number": t.number, "description": t.description}
    else:
        a = s.tasks[idx[1]].assignments[idx[2]]
        values = {f: getattr(a, f) for f in ("result", "lead", "partner", "timeframe")}
        values.update({f"extra:{k}": v for k, v in a.extra.items()})
    return {f: [(fr.page, (round(fr.box.x0, 1), round(fr.box.top, 1), round(fr.box.x1, 1), round(fr.box.bottom, 1)))
                for fr in v.provenance.fragments] for f, v in values.items()}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path, str]:
    pdf, _ = SOURCE
    doc = extract_document(pdf)
    out = write_audit(doc, pdf, tmp_path_factory.mktemp("audit") / f"{pdf.stem}.audit.html")
    return doc, out, out.read_text(encoding="utf-8")


# --- fast checks on the HTML -------------------------------------------------------------------------------------

def test_self_contained(audited: tuple[Document, Path, str]) -> None:
    _, _, html = audited
    assert '<meta charset="utf-8">' in html
    for tag, attrs in tags(html):
        for name in ("src", "href", "srcset", "poster", "data"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {name}={value[:60]}> is remote"
        assert not (tag == "link" and "stylesheet" in attrs.get("rel", "")), "external stylesheet"
        assert not (tag == "script" and "src" in attrs), "external script"
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", html, re.I), "CSS url() to the network"
    assert "@import" not in html


def test_one_lazy_image_per_table_page(audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    imgs = [a for t, a in tags(html) if t == "img"]
    pages = [a for t, a in tags(html) if t == "div" and a.get("class") == "page"]
    assert len(imgs) == len(pages) == len(doc.source.table_pages)
    assert sorted(int(p["data-page"]) for p in pages) == doc.source.table_pages
    for img in imgs:
        assert img["loading"] == "lazy"
        assert img["src"].startswith("data:image/jpeg;base64,")


def test_summary_counts_and_escaping(audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    for name, n in doc.counts().items():
        assert re.search(rf'id="count-{name}">{n}<', html), name
    assert doc.source.sha256 in html
    assert f'id="count-warnings">{len(doc.warnings)}<' in html
    # Vietnamese text is written as UTF-8 text (NFC as extracted), escaped.
    first = doc.sections[0].tasks[0].description.text
    assert first and first.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split()[0] in html


def test_every_fragment_has_a_box(audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    by_rec: dict[str, set[int]] = {}
    for b in boxes_of(html):
        assert b["data-rec"] in b["data-recs"].split()
        for r in b["data-recs"].split():
            by_rec.setdefault(r, set()).add(int(b["data-page"]))
    for i, s in enumerate(doc.sections):
        for j, t in enumerate(s.tasks):
            for k in range(len(t.assignments)):
                rec = f"s{i}-t{j}-a{k}"
                pages = {p for frs in record_values(doc, rec).values() for p, _ in frs}
                assert by_rec.get(rec, set()) == pages, rec


def test_categories_follow_repairs(audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    cats = {(b["data-rec"], b["data-field"], int(b["data-page"])): b["class"] for b in boxes_of(html)}
    joined = [(f"s{i}-t{j}-a{k}", f, a) for i, s in enumerate(doc.sections) for j, t in enumerate(s.tasks)
              for k, a in enumerate(t.assignments) for f in ("result", "lead", "partner", "timeframe")
              if "joined_across_pages" in getattr(a, f).provenance.repairs]
    if not joined:
        pytest.skip("no value joined across pages in this source")
    rec, f, a = joined[0]
    page = getattr(a, f).provenance.fragments[0].page
    cls = cats.get((rec, f, page), "")
    assert "k-joined" in cls or "k-warn" in cls


def test_warnings_resolve_to_records(audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    ids = set(re.findall(r'id="rec-([^"]+)"', html))
    for w in doc.warnings:
        rec, _ = resolve_warning(doc, w)
        if w.task is not None:
            assert rec is not None and rec in ids, w.message
        if rec:
            assert f'href="#rec-{rec}"' in html


def test_truth_mismatch_is_marked(audited: tuple[Document, Path, str], tmp_path: Path) -> None:
    doc, _, _ = audited
    pdf, truth_path = SOURCE
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    assignment = truth["sections"][0]["tasks"][0]["assignments"][0]
    key = "result"
    old = assignment[key]["text"] if isinstance(assignment[key], dict) else assignment[key]
    new = old + " SAI KHÁC"
    if isinstance(assignment[key], dict):
        assignment[key]["text"] = new
    else:
        assignment[key] = new
    changed = tmp_path / "truth.json"
    changed.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    html = build_audit_html(doc, pdf, truth_path=changed)
    marked = [b for b in boxes_of(html) if "mismatch" in b["class"].split()]
    assert marked and all(b["data-recs"].split()[0] == "s0-t0-a0" and b["data-field"] == key for b in marked)
    assert "SAI KHÁC" in marked[0]["title"]
    cell = [a for t, a in tags(html) if t == "td" and a.get("data-rec") == "s0-t0-a0" and a.get("data-field") == key]
    assert cell and "mismatch" in cell[0]["class"]
    assert "expected: " + new.split()[0] in html
    assert 'id="truth-accuracy"' in html


def test_cli_audit_and_extract_audit(audited: tuple[Document, Path, str], tmp_path: Path) -> None:
    doc, _, _ = audited
    pdf, truth = SOURCE
    runner = CliRunner()
    out = tmp_path / "r" / "report.html"
    res = runner.invoke(main, ["audit", str(pdf), "-o", str(out), "--truth", str(truth)])
    assert res.exit_code == 0, res.output
    assert out.exists() and 'id="truth-accuracy"' in out.read_text(encoding="utf-8")
    res = runner.invoke(main, ["extract", str(pdf), "-o", str(tmp_path / "x"), "--audit", "-q", "--workers", "1"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "x" / f"{pdf.stem}.audit.html").read_text(encoding="utf-8")
    assert (tmp_path / "x" / f"{pdf.stem}.json").exists()
    assert f'id="count-tasks">{doc.counts()["tasks"]}<' in html


# --- in the browser ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(audited: tuple[Document, Path, str]):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    _, path, _ = audited
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1600, "height": 1000})
        errors: list[str] = []
        requests: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("request", lambda r: requests.append(r.url))
        pg.goto(path.as_uri(), wait_until="load", timeout=20_000)
        pg.errors, pg.requests = errors, requests
        yield pg
        browser.close()


def _multi_page_record(doc: Document) -> str:
    """An assignment whose values span two pages if there is one, else the first assignment."""
    for i, s in enumerate(doc.sections):
        for j, t in enumerate(s.tasks):
            for k, a in enumerate(t.assignments):
                if a.page_first != a.page_last:
                    return f"s{i}-t{j}-a{k}"
    return "s0-t0-a0"


def _in_view(pg, selector: str, pane: str) -> bool:
    return pg.evaluate(
        """([sel, pane]) => { const e = document.querySelector(sel).getBoundingClientRect();
             const p = document.querySelector(pane).getBoundingClientRect();
             return e.bottom > p.top && e.top < p.bottom && e.right > p.left && e.left < p.right; }""",
        [selector, pane])


@pytest.mark.slow
@pytest.mark.browser
def test_browser_no_errors_no_network(page) -> None:
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []


@pytest.mark.slow
@pytest.mark.browser
def test_browser_summary_counts(page, audited: tuple[Document, Path, str]) -> None:
    doc, _, _ = audited
    for name, n in doc.counts().items():
        assert page.inner_text(f"#count-{name}") == str(n)


@pytest.mark.slow
@pytest.mark.browser
def test_browser_click_record_selects_its_boxes(page, audited: tuple[Document, Path, str]) -> None:
    doc, _, _ = audited
    rec = _multi_page_record(doc)
    page.click(f'#records tr[data-rec="{rec}"] td[data-field="result"]')
    assert "selected" in page.get_attribute(f'#records tr[data-rec="{rec}"]', "class")
    selected = page.eval_on_selector_all(
        ".box.selected", "els => els.map(e => [e.dataset.recs, e.dataset.field, +e.dataset.page])")
    expected = record_values(doc, rec)
    want = {(p, f) for f, frs in expected.items() for p, _ in frs}
    assert {(p, f) for _, f, p in selected} <= want
    assert {p for _, _, p in selected} == {p for p, _ in want}
    assert all(rec in recs.split() for recs, _, _ in selected)
    assert len(selected) == len({(p, b) for frs in expected.values() for p, b in frs})
    assert _in_view(page, ".box.selected", "#pages-pane"), "the pages pane did not scroll to the record"
    # The box sits where the provenance says, scaled to the rendered page.
    box = page.query_selector(".box.selected")
    pno, fld = int(box.get_attribute("data-page")), box.get_attribute("data-field")
    frag = next(b for p, b in expected[fld] if p == pno)
    pdf = pdfium.PdfDocument(str(SOURCE[0]))
    try:
        width, height = pdf[pno - 1].get_size()
    finally:
        pdf.close()
    pb, bb = page.query_selector(f"#page-{pno}").bounding_box(), box.bounding_box()
    assert abs((bb["x"] - pb["x"]) / pb["width"] - frag[0] / width) < 0.005
    assert abs((bb["y"] - pb["y"]) / pb["height"] - frag[1] / height) < 0.005
    assert abs(bb["width"] / pb["width"] - (frag[2] - frag[0]) / width) < 0.005
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit.png"))


@pytest.mark.slow
@pytest.mark.browser
def test_browser_click_box_selects_its_record(page, audited: tuple[Document, Path, str]) -> None:
    doc, _, html = audited
    # A task description box owned by one record only, on a later page than the first.
    candidates = [b for b in boxes_of(html) if b["data-field"] == "description" and len(b["data-recs"].split()) == 1]
    target = candidates[len(candidates) // 2]
    rec, pno = target["data-rec"], int(target["data-page"])
    assert pno in {p for p, _ in record_values(doc, rec)["description"]}
    sel = f'.box[data-rec="{rec}"][data-field="description"][data-page="{pno}"]'
    page.locator(sel).first.scroll_into_view_if_needed()
    page.locator(sel).first.click()
    assert page.evaluate("document.body.dataset.selected") == rec
    cell = f'#records td[data-rec="{rec}"][data-field="description"]'
    assert "selected" in page.get_attribute(cell, "class")
    assert _in_view(page, cell, "#records-pane"), "the records pane did not scroll to the record"
    assert page.locator(".box.selected").count() >= 1
    # Selecting another record clears the previous selection.
    page.click('#records tr[data-rec="s0-t0-a0"] td[data-field="lead"]')
    assert page.locator(f'#records td[data-rec="{rec}"].selected').count() == 0


@pytest.mark.slow
@pytest.mark.browser
def test_browser_warning_link_jumps(page, audited: tuple[Document, Path, str]) -> None:
    doc, _, _ = audited
    links = page.locator("a.warn-link[data-rec]")
    if links.count() == 0:
        pytest.skip("no warning about a record")
    rec = links.first.get_attribute("data-rec")
    links.first.click()
    assert page.evaluate("document.body.dataset.selected") == rec
    assert page.locator(f'#records [data-rec="{rec}"].selected').count() >= 1
    # Leave the screenshot showing a selected record next to its page.
    page.click(f'#records tr[data-rec="{_multi_page_record(doc)}"] td[data-field="result"]')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit.png"))
