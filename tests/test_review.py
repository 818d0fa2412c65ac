"""The review workflow: stable ids, the tthc-review/1 file, the audit report's review (in headless Chromium with
Playwright: mouse and keyboard verdicts, a correction, export, reload, import, filters, search) and
``tthc extract --review`` applying it (corrected CSV, original_text and the ``corrected`` repair in the JSON),
with its refusals (another PDF: exit 24; an item whose value is gone or changed: a warning)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from conftest import GOLDEN, ROOT, SAMPLES

from tthc_extract.audit import write_audit
from tthc_extract.cli import main
from tthc_extract.normalize.ids import iter_values
from tthc_extract.review import apply_review
from tthc_extract.runner import extract_document, sha256_of
from tthc_extract.schemas.document import Document, Repair, WarningCode
from tthc_extract.schemas.review import REVIEW_FORMAT, Review

PDF = SAMPLES / "caobang_svhttdl_2026_landscape.pdf"
OTHER = SAMPLES / "caobang_ubnd_2026_landscape.pdf"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def doc() -> Document:
    return extract_document(PDF)


def _ids(d: Document) -> list[str]:
    return [x.id for s in d.sections for x in (s, *s.tasks, *(a for t in s.tasks for a in t.assignments))]


# --- ids ------------------------------------------------------------------------------------------------------------

def test_ids_stable_unique_and_ordinal(doc: Document) -> None:
    again = extract_document(PDF)
    ids = _ids(doc)
    assert ids == _ids(again)
    assert len(ids) == len(set(ids)) and all(ids)
    assert [s.id for s in doc.sections][:3] == ["s1", "s2", "s3"]
    assert doc.sections[0].tasks[1].id == "s1.t2" and doc.sections[0].tasks[1].assignments[0].id == "s1.t2.a1"
    addresses = [a for a, _ in iter_values(doc)]
    assert addresses[:6] == ["s1/number", "s1/title", "s1.t1/number", "s1.t1/description", "s1.t1.a1/result",
                             "s1.t1.a1/lead"]
    assert len(addresses) == len(set(addresses))
    data = json.loads(doc.model_dump_json())
    assert data["schema_version"] == "1.2.0" and data["sections"][2]["tasks"][0]["id"] == "s3.t1"


def test_review_schema_cli() -> None:
    r = CliRunner().invoke(main, ["schema", "--review"])
    assert r.exit_code == 0
    s = json.loads(r.output)
    assert s["$id"] == REVIEW_FORMAT and {"format", "document_sha256", "items"} <= set(s["properties"])
    jsonschema = pytest.importorskip("jsonschema")
    item = {"value": "s3.t2.a1/lead", "verdict": "wrong", "text": "Sở Tư pháp", "note": "n",
            "at": "2026-01-02T03:04:05Z"}
    jsonschema.validate({"format": REVIEW_FORMAT, "document_sha256": "a" * 64, "reviewer": "An", "items": [item]}, s)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": REVIEW_FORMAT, "document_sha256": "a" * 64,
                             "items": [{**item, "value": "s3.t2.a1/colour"}]}, s)


# --- apply ----------------------------------------------------------------------------------------------------------

def _review(items: list[dict], sha: str | None = None) -> dict:
    return {"format": REVIEW_FORMAT, "document_sha256": sha or sha256_of(PDF), "reviewer": "An", "items": items}


def test_apply_marks_corrects_and_warns(doc: Document) -> None:
    d = doc.model_copy(deep=True)
    lead = d.sections[0].tasks[0].assignments[0].lead.text
    items = [{"value": "s1.t1.a1/lead", "verdict": "wrong", "text": "Văn phòng Sở; Phòng Pháp chế", "original": lead},
             {"value": "s1/title", "verdict": "checked"},
             {"value": "s42.t1.a1/lead", "verdict": "checked"},
             {"value": "s1.t2/description", "verdict": "wrong", "text": "X", "original": "an older text"}]
    apply_review(d, Review.model_validate(_review(items)))
    a = d.sections[0].tasks[0].assignments[0]
    assert a.lead.text == "Văn phòng Sở; Phòng Pháp chế" and a.lead.original_text == lead and a.lead.reviewed
    assert Repair.CORRECTED in a.lead.provenance.repairs
    assert [u.name for u in a.lead_units] == ["Văn phòng Sở", "Phòng Pháp chế"]  # units read from the correction
    assert d.sections[0].title.reviewed and d.sections[0].title.original_text is None
    assert d.sections[0].tasks[1].description.text == doc.sections[0].tasks[1].description.text  # stale: kept
    stale = [w.message for w in d.warnings if w.code == WarningCode.REVIEW_ITEM_STALE]
    assert stale == ["review item s42.t1.a1/lead (checked): no such value in this extraction; not applied",
                     "review item s1.t2/description (wrong): the extracted text changed since the review (was «an "
                     f"older text», now «{doc.sections[0].tasks[1].description.text}»); not applied"]
    assert not d.sections[0].tasks[0].assignments[0].result.reviewed


def test_extract_review_refuses_another_pdf(tmp_path: Path) -> None:
    path = tmp_path / "r.review.json"
    path.write_text(json.dumps(_review([{"value": "s1/title", "verdict": "checked"}], sha256_of(OTHER))), "utf-8")
    r = CliRunner().invoke(main, ["extract", str(PDF), "-o", str(tmp_path / "o"), "--review", str(path), "-q"])
    assert r.exit_code == 24
    assert r.output.strip().splitlines() == [
        f"error: {path}: the review was made for another PDF: sha256 {sha256_of(OTHER)[:12]}… ≠ "
        f"{PDF.name} {sha256_of(PDF)[:12]}…"]
    assert not (tmp_path / "o" / f"{PDF.stem}.json").exists()
    path.write_text('{"format": "tthc-review/9"}', "utf-8")
    bad = CliRunner().invoke(main, ["extract", str(PDF), "-o", str(tmp_path / "o"), "--review", str(path), "-q"])
    assert bad.exit_code == 25 and "not a tthc-review/1 file" in bad.output


# --- the report in the browser, then the round trip -----------------------------------------------------------------

@pytest.fixture(scope="module")
def browser_page(doc: Document, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    out = write_audit(doc, PDF, tmp_path_factory.mktemp("review") / f"{PDF.stem}.audit.html")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(out.as_uri(), wait_until="load", timeout=20_000)
        pg.evaluate("localStorage.clear()")
        pg.reload(wait_until="load")
        pg.errors = errors
        yield pg
        browser.close()


def _classes(pg, address: str) -> list[str]:
    return pg.get_attribute(f'td[data-value="{address}"]', "class").split()


@pytest.mark.slow
@pytest.mark.browser
def test_browser_review_round_trip(browser_page, doc: Document, tmp_path: Path) -> None:
    pg = browser_page
    n = len(list(iter_values(doc)))
    assert pg.inner_text("#value-count") == str(n) and pg.inner_text("#reviewed-count") == "0"
    assert REVIEW_FORMAT in pg.inner_text("#review")
    # mouse: check the first lead, mark the timeframe wrong and type its correction and a note
    pg.click('td[data-value="s1.t1.a1/lead"]')
    pg.click("#btn-check")
    assert "rv-checked" in _classes(pg, "s1.t1.a1/lead")
    pg.click('td[data-value="s1.t1.a1/timeframe"]')
    pg.click("#btn-wrong")
    pg.fill("#correction", "Tháng 02/2026")
    pg.fill("#note", "the PDF says 02")
    assert "rv-wrong" in _classes(pg, "s1.t1.a1/timeframe")
    assert pg.inner_text('td[data-value="s1.t1.a1/timeframe"] .corr') == "Tháng 02/2026"
    # keyboard: from the first task's description, j moves to the next value, c checks it (and moves on)
    pg.click('td[data-value="s1.t2/description"]')
    pg.keyboard.press("j")
    assert pg.inner_text("#cur-value") == "s1.t2.a1/result"
    pg.keyboard.press("c")
    assert "rv-checked" in _classes(pg, "s1.t2.a1/result")
    assert pg.inner_text("#cur-value") == "s1.t2.a1/lead"
    pg.keyboard.press("k")
    pg.keyboard.press("k")
    assert pg.inner_text("#cur-value") == "s1.t2/description"
    pg.keyboard.press("w")
    pg.keyboard.press("Control+a")
    pg.keyboard.type("Ban hành văn bản hướng dẫn")
    pg.keyboard.press("Escape")
    pg.keyboard.press("j")
    assert pg.inner_text("#cur-value") == "s1.t2.a1/result"
    assert pg.inner_text("#reviewed-count") == "4" and pg.inner_text("#wrong-count") == "2"
    pg.fill("#reviewer", "Nguyễn An")
    # filters and search
    pg.select_option("#filter", "unreviewed")
    assert "dim" in _classes(pg, "s1.t1.a1/lead") and "dim" not in _classes(pg, "s1.t1.a1/result")
    pg.select_option("#filter", "wrong")
    assert int(pg.evaluate("document.body.dataset.shown")) == 2
    assert pg.locator("#records tbody tr:not([hidden])").count() == 2  # task I.1's and I.2's rows
    pg.select_option("#filter", "repaired")
    shown = pg.eval_on_selector_all("td[data-value]:not(.dim)", "els => els.map(e => e.dataset.value)")
    repaired = {a for a, v in iter_values(doc) if v.provenance.repairs}
    assert set(shown) == repaired | {"s1.t1.a1/timeframe", "s1.t2/description"}
    pg.select_option("#filter", "all")
    pg.fill("#search", "THƯỜNG  xuyên")
    shown = pg.eval_on_selector_all("td[data-value]:not(.dim)", "els => els.map(e => e.dataset.value)")
    texts = {a: " ".join(v.text.split()).lower() for a, v in iter_values(doc)}
    assert shown and sorted(shown) == sorted(a for a, t in texts.items() if "thường xuyên" in t)
    pg.fill("#search", "")
    pg.select_option("#filter", "unassigned")
    assert pg.is_visible("#unassigned") and pg.locator("#records tbody tr:not([hidden])").count() == 0
    pg.select_option("#filter", "all")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "review.png"))
    # export
    with pg.expect_download() as dl:
        pg.click("#export-review")
    assert dl.value.suggested_filename == f"{PDF.stem}.review.json"
    exported = tmp_path / dl.value.suggested_filename
    dl.value.save_as(exported)
    review = Review.model_validate_json(exported.read_text(encoding="utf-8"))
    assert review.document_sha256 == doc.source.sha256 and review.reviewer == "Nguyễn An"
    got = {i.value: (i.verdict, i.text, i.note) for i in review.items}
    assert got == {"s1.t1.a1/lead": ("checked", None, None),
                   "s1.t1.a1/timeframe": ("wrong", "Tháng 02/2026", "the PDF says 02"),
                   "s1.t2/description": ("wrong", "Ban hành văn bản hướng dẫn", None),
                   "s1.t2.a1/result": ("checked", None, None)}
    assert [i.value for i in review.items] == ["s1.t1.a1/lead", "s1.t1.a1/timeframe", "s1.t2/description",
                                               "s1.t2.a1/result"]  # in reading order
    assert {i.value: i.original for i in review.items}["s1.t1.a1/timeframe"] == \
        doc.sections[0].tasks[0].assignments[0].timeframe.text
    # reload: the review is kept in the browser
    pg.reload(wait_until="load")
    assert pg.inner_text("#reviewed-count") == "4" and "rv-wrong" in _classes(pg, "s1.t1.a1/timeframe")
    # a fresh browser profile has nothing; importing the exported file brings it back
    pg.evaluate("localStorage.clear()")
    pg.reload(wait_until="load")
    assert pg.inner_text("#reviewed-count") == "0"
    pg.set_input_files("#import-review", str(exported))
    pg.wait_for_function("document.getElementById('reviewed-count').textContent === '4'")
    assert pg.input_value("#reviewer") == "Nguyễn An"
    assert pg.inner_text('td[data-value="s1.t2/description"] .corr') == "Ban hành văn bản hướng dẫn"
    # a review of another PDF is not imported
    other = tmp_path / "other.review.json"
    other.write_text(json.dumps({**json.loads(exported.read_text("utf-8")), "document_sha256": "0" * 64}), "utf-8")
    pg.set_input_files("#import-review", str(other))
    pg.wait_for_function("document.getElementById('review-status').textContent.indexOf('another PDF') >= 0")
    assert pg.errors == []

    # apply the exported review: exactly the corrected values change
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["extract", str(PDF), "-o", str(out), "--review", str(exported), "-q",
                                  "--workers", "1", "--db", f"sqlite:///{out}/tthc.db"])
    assert r.exit_code == 0, r.output
    engine = sa.create_engine(f"sqlite:///{out}/tthc.db")
    with engine.connect() as conn:
        timeframes = [row[0] for row in conn.execute(sa.text("SELECT timeframe FROM assignments ORDER BY id"))]
    engine.dispose()
    assert timeframes[0] == "Tháng 02/2026"
    data = json.loads((out / f"{PDF.stem}.json").read_text(encoding="utf-8"))
    tf = data["sections"][0]["tasks"][0]["assignments"][0]["timeframe"]
    assert tf["text"] == "Tháng 02/2026" and tf["original_text"] == "Tháng 01/2026" and tf["reviewed"] is True
    assert "corrected" in tf["provenance"]["repairs"]
    assert data["sections"][0]["tasks"][0]["assignments"][0]["timeframe_parsed"]["deadline"] == "2026-02-28"
    assert data["sections"][0]["tasks"][0]["assignments"][0]["lead"]["reviewed"] is True
    assert not [w for w in data["warnings"] if w["code"] == "review_item_stale"]
    rows = list(csv.DictReader(io.StringIO((out / f"{PDF.stem}.csv").read_text(encoding="utf-8-sig"))))
    plain = list(csv.DictReader(io.StringIO((GOLDEN / f"{PDF.stem}.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["timeframe"] == "Tháng 02/2026" and rows[0]["deadline"] == "2026-02-28"
    assert rows[1]["description"] == "Ban hành văn bản hướng dẫn"
    changed = {(i, k) for i, (a, b) in enumerate(zip(rows, plain, strict=True)) for k in a if a[k] != b[k]}
    assert changed == {(0, "timeframe"), (0, "deadline"), (1, "description")}


@pytest.mark.slow
@pytest.mark.browser
def test_report_of_a_reviewed_document_starts_from_its_verdicts(browser_page, doc: Document, tmp_path: Path) -> None:
    d = doc.model_copy(deep=True)
    original = d.sections[0].tasks[0].assignments[0].result.text
    apply_review(d, Review.model_validate(_review([
        {"value": "s1.t1.a1/result", "verdict": "wrong", "text": "Kế hoạch", "original": original},
        {"value": "s2/title", "verdict": "checked"}])))
    out = write_audit(d, PDF, tmp_path / "reviewed.audit.html")
    pg = browser_page.context.new_page()  # the same browser (one Playwright per thread)
    try:
        pg.goto(out.as_uri(), wait_until="load")
        pg.evaluate("localStorage.clear()")
        pg.reload(wait_until="load")
        assert pg.inner_text("#reviewed-count") == "2" and pg.inner_text("#wrong-count") == "1"
        assert "rv-checked" in _classes(pg, "s2/title")
        assert pg.inner_text('td[data-value="s1.t1.a1/result"] .corr') == "Kế hoạch"
        exported = pg.evaluate("window.tthcReview()")
    finally:
        pg.close()
    # the exported item still names the extracted text as its original, so it applies to a new extraction
    assert exported["items"][0] == {"value": "s1.t1.a1/result", "verdict": "wrong", "text": "Kế hoạch",
                                    "original": original}
