// The audit report's review workflow (tthc/audit.py inlines this file): verdicts on values (checked / wrong
// with a correction and a note), keyboard navigation, progress, filters and search, the review kept in
// localStorage (keyed by the PDF's sha256), exported as <stem>.review.json (format tthc-review/1) and imported.
(function () {
  "use strict";
  var FORMAT = "tthc-review/1";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var KEY = "tthc-review:" + data.sha256;
  function el(id) { return document.getElementById(id); }
  var cells = Array.prototype.slice.call(document.querySelectorAll("#records td[data-value]"));
  var byAddr = {};
  cells.forEach(function (td, i) { byAddr[td.getAttribute("data-value")] = td; td.setAttribute("data-order", i); });
  var state = load();
  var current = null;

  function load() {
    try {
      var s = JSON.parse(window.localStorage.getItem(KEY));
      if (s && s.items) return s;
    } catch (e) { /* no storage (file:// in some browsers) or damaged: start empty */ }
    // a report of a document extracted with --review starts from the verdicts applied to it
    var items = {};
    (data.applied || []).forEach(function (it) { items[it.value] = it; });
    return {reviewer: "", items: items};
  }
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { status("not saved in the browser: " + e.message, true); }
  }
  function status(text, error) {
    var s = el("review-status");
    s.textContent = text;
    s.classList.toggle("error", !!error);
  }
  function fold(t) { return (t || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim(); }

  function render(td) {
    var addr = td.getAttribute("data-value"), it = state.items[addr];
    td.classList.toggle("rv-checked", !!it && it.verdict === "checked");
    td.classList.toggle("rv-wrong", !!it && it.verdict === "wrong");
    var corr = td.querySelector(".corr"), note = td.querySelector(".rnote");
    if (it && it.verdict === "wrong") {
      if (!corr) { corr = document.createElement("div"); corr.className = "corr"; td.querySelector(".v").after(corr); }
      corr.textContent = it.text || "(empty)";
    } else if (corr) { corr.remove(); }
    if (it && it.note) {
      if (!note) { note = document.createElement("div"); note.className = "rnote"; td.appendChild(note); }
      note.textContent = "note: " + it.note;
    } else if (note) { note.remove(); }
  }
  function progress() {
    var n = 0, c = 0, w = 0;
    Object.keys(state.items).forEach(function (a) {
      if (!byAddr[a]) return;
      n++;
      if (state.items[a].verdict === "checked") c++; else w++;
    });
    el("reviewed-count").textContent = n;
    el("checked-count").textContent = c;
    el("wrong-count").textContent = w;
  }
  function renderAll() {
    cells.forEach(render);
    progress();
    applyFilter();
    el("reviewer").value = state.reviewer || "";
    if (current) setCurrent(current, false);
  }

  // --- the current value and the editor ------------------------------------------------------------------------
  function setCurrent(td, scroll) {
    if (current) current.classList.remove("current");
    current = td;
    if (!td) return;
    td.classList.add("current");
    var addr = td.getAttribute("data-value"), it = state.items[addr];
    el("cur-value").textContent = addr;
    var v = el("cur-verdict");
    v.textContent = it ? it.verdict : "unreviewed";
    v.className = "verdict " + (it ? it.verdict : "");
    el("correction").value = it && it.verdict === "wrong" ? it.text : data.texts[addr];
    el("note").value = (it && it.note) || "";
    if (scroll) {
      td.scrollIntoView({block: "nearest", inline: "nearest"});
      if (window.tthcSelect) window.tthcSelect(td.getAttribute("data-rec"), "table");
      td.classList.add("current");
    }
  }
  function give(verdict) {
    if (!current) { status("click a value first", true); return; }
    var addr = current.getAttribute("data-value");
    var it = {value: addr, verdict: verdict, original: data.texts[addr], at: new Date().toISOString()};
    if (verdict === "wrong") it.text = el("correction").value;
    var note = el("note").value.trim();
    if (note) it.note = note;
    state.items[addr] = it;
    save();
    render(current);
    progress();
    setCurrent(current, false);
    status(addr + ": " + verdict);
  }
  function undo() {
    if (!current) return;
    delete state.items[current.getAttribute("data-value")];
    save();
    render(current);
    progress();
    setCurrent(current, false);
    applyFilter();
  }
  function visible() {
    return cells.filter(function (td) { return !td.classList.contains("dim") && !td.closest("tr").hidden; });
  }
  function move(step) {
    var list = visible();
    if (!list.length) return;
    var i = current ? list.indexOf(current) : -1;
    if (i < 0) {
      var order = current ? +current.getAttribute("data-order") : -1;
      i = step > 0 ? list.findIndex(function (td) { return +td.getAttribute("data-order") > order; }) - 1 : list.length;
      if (i < -1) i = list.length - 1;
    }
    var j = Math.max(0, Math.min(list.length - 1, i + step));
    setCurrent(list[j], true);
  }

  // --- filters and search ----------------------------------------------------------------------------------------
  function matches(td, f, q) {
    var addr = td.getAttribute("data-value"), it = state.items[addr];
    if (f === "unreviewed" && it) return false;
    if (f === "checked" && !(it && it.verdict === "checked")) return false;
    if (f === "wrong" && !(it && it.verdict === "wrong")) return false;
    if (f === "repaired" && !td.hasAttribute("data-repaired") && !(it && it.verdict === "wrong")) return false;
    if (f === "lowconf" && !(td.hasAttribute("data-conf") && +td.getAttribute("data-conf") < data.low_confidence)) return false;
    if (f.indexOf("sev-") === 0 && (td.getAttribute("data-sev") || "").split(" ").indexOf(f.slice(4)) < 0) return false;
    if (q) {
      var hay = fold(data.texts[addr] + " " + (it && it.text ? it.text : "") + " " + (it && it.note ? it.note : "") + " " + addr);
      if (hay.indexOf(q) < 0) return false;
    }
    return true;
  }
  function applyFilter() {
    var f = el("filter").value, q = fold(el("search").value);
    var un = f === "unassigned";
    el("unassigned").hidden = !un;
    var groups = {};
    cells.forEach(function (td) {
      var ok = !un && matches(td, f, q);
      td.classList.toggle("dim", !ok);
      var rec = td.closest("tr").getAttribute("data-rec") || "";
      var g = rec.split("-").slice(0, 2).join("-");
      groups[g] = groups[g] || ok;
    });
    // a task's rows are shown or hidden together (its number and description span them)
    document.querySelectorAll("#records tbody tr").forEach(function (tr) {
      var rec = tr.getAttribute("data-rec") || "";
      tr.hidden = (f !== "all" || q) ? !groups[rec.split("-").slice(0, 2).join("-")] : false;
    });
    var shown = cells.filter(function (td) { return !td.classList.contains("dim"); }).length;
    document.body.setAttribute("data-shown", shown);
  }

  // --- export and import -----------------------------------------------------------------------------------------
  function exported() {
    var items = Object.keys(state.items).map(function (a) { return state.items[a]; });
    items.sort(function (x, y) {
      var a = byAddr[x.value], b = byAddr[y.value];
      return (a ? +a.getAttribute("data-order") : 1e9) - (b ? +b.getAttribute("data-order") : 1e9);
    });
    return {format: FORMAT, document_sha256: data.sha256, reviewer: state.reviewer || null,
            file_name: data.file_name, items: items};
  }
  window.tthcReview = exported;
  el("export-review").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(exported(), null, 2) + "\n"], {type: "application/json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = data.stem + ".review.json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    status("exported " + a.download + " (" + exported().items.length + " values)");
  });
  el("import-review").addEventListener("change", function (ev) {
    var file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    file.text().then(function (text) {
      var r = JSON.parse(text);
      if (!r || r.format !== FORMAT || !Array.isArray(r.items)) throw new Error("not a " + FORMAT + " file");
      if (r.document_sha256 !== data.sha256) {
        status("not imported: " + file.name + " is a review of another PDF (sha256 " + String(r.document_sha256).slice(0, 12) + "…)", true);
        return;
      }
      var stale = 0;
      r.items.forEach(function (it) {
        if (!it || typeof it.value !== "string") return;
        if (!byAddr[it.value] || (it.original != null && fold(it.original) !== fold(data.texts[it.value]))) stale++;
        state.items[it.value] = it;
      });
      if (r.reviewer) state.reviewer = r.reviewer;
      save();
      renderAll();
      status("imported " + r.items.length + " values from " + file.name + (stale ? " (" + stale + " no longer match the extraction)" : ""), stale > 0);
    }).catch(function (e) { status("not imported: " + e.message, true); });
  });

  // --- events ------------------------------------------------------------------------------------------------------
  document.getElementById("records").addEventListener("click", function (ev) {
    var td = ev.target.closest("td[data-value]");
    if (td) setCurrent(td, false);
  });
  el("btn-check").addEventListener("click", function () { give("checked"); });
  el("btn-wrong").addEventListener("click", function () { give("wrong"); el("correction").focus(); });
  el("btn-clear").addEventListener("click", undo);
  el("correction").addEventListener("input", function () {
    if (!current) return;
    var it = state.items[current.getAttribute("data-value")];
    if (it && it.verdict === "wrong") { it.text = el("correction").value; it.at = new Date().toISOString(); save(); render(current); }
  });
  el("note").addEventListener("input", function () {
    if (!current) return;
    var it = state.items[current.getAttribute("data-value")];
    if (it) {
      var note = el("note").value.trim();
      if (note) it.note = note; else delete it.note;
      save();
      render(current);
    }
  });
  el("reviewer").addEventListener("input", function () { state.reviewer = el("reviewer").value.trim(); save(); });
  el("filter").addEventListener("change", applyFilter);
  el("search").addEventListener("input", applyFilter);
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, typing = t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
      (t.tagName === "INPUT" && t.type !== "file" && t.type !== "range"));
    if (ev.key === "Escape") { if (typing) t.blur(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var k = ev.key;
    if (k === "j" || k === "ArrowDown") { move(1); }
    else if (k === "k" || k === "ArrowUp") { move(-1); }
    else if (k === "c") { give("checked"); move(1); }
    else if (k === "w") { give("wrong"); el("correction").focus(); el("correction").select(); }
    else if (k === "u") { undo(); }
    else if (k === "/") { el("search").focus(); }
    else { return; }
    ev.preventDefault();
  });
  renderAll();
})();
