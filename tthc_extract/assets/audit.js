// The audit report's selection: records and page boxes tied together (tthc/audit.py inlines this file).
(function () {
  "use strict";
  var pagesPane = document.getElementById("pages-pane");
  var recordsPane = document.getElementById("records-pane");
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".box[data-recs]"));
  function parentRecs(rec) {
    var parts = rec.split("-"), out = [];
    for (var i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join("-"));
    return out;
  }
  function clear() {
    document.querySelectorAll(".selected, .related").forEach(function (el) {
      el.classList.remove("selected"); el.classList.remove("related");
    });
  }
  function scrollInto(pane, el) {
    if (!el) return;
    var pr = pane.getBoundingClientRect(), er = el.getBoundingClientRect();
    var top = pane.scrollTop + (er.top - pr.top) - Math.max(40, (pane.clientHeight - er.height) / 2);
    var left = pane.scrollLeft + (er.left - pr.left) - Math.max(10, (pane.clientWidth - er.width) / 2);
    pane.scrollTo({top: Math.max(0, top), left: Math.max(0, left), behavior: "auto"});
  }
  // Select a record: its boxes and table cells get "selected", its parents' and children's boxes "related".
  function select(rec, from) {
    clear();
    if (!rec) return;
    var parents = parentRecs(rec), first = null;
    boxes.forEach(function (b) {
      var recs = b.getAttribute("data-recs").split(" ");
      if (recs.indexOf(rec) >= 0) {
        b.classList.add("selected");
        if (!first) first = b;
      } else if (recs.some(function (r) { return parents.indexOf(r) >= 0 || r.indexOf(rec + "-") === 0; })) {
        b.classList.add("related");
      }
    });
    var rows = document.querySelectorAll('#records [data-rec="' + rec + '"], #summary dd[data-rec="' + rec + '"]');
    rows.forEach(function (el) { el.classList.add("selected"); });
    document.querySelectorAll("#records td[data-rec]").forEach(function (td) {
      var r = td.getAttribute("data-rec");
      if (r !== rec && (parents.indexOf(r) >= 0 || r.indexOf(rec + "-") === 0)) td.classList.add("related");
    });
    if (from !== "page" && first) scrollInto(pagesPane, first);
    if (from !== "table" && rows.length) {
      var row = rows[0];
      if (row.closest("#records")) scrollInto(recordsPane, row);
    }
    document.body.setAttribute("data-selected", rec);
  }
  window.tthcSelect = select;
  document.getElementById("records").addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-rec]");
    if (el) select(el.getAttribute("data-rec"), "table");
  });
  document.getElementById("pages").addEventListener("click", function (ev) {
    var b = ev.target.closest(".box");
    if (b) {
      var rec = b.getAttribute("data-rec");
      if (rec === "title") {
        select(rec, "page");
        var s = document.getElementById("summary");
        s.classList.remove("collapsed");
        var tb = s.querySelector("dd.tb"); if (tb) tb.scrollIntoView({block: "nearest"});
      } else {
        select(rec, "page");
      }
    }
  });
  document.querySelectorAll("a.warn-link, .toolbar .nav a").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var rec = a.getAttribute("data-rec"), page = a.getAttribute("data-page");
      if (rec) { select(rec, "link"); }
      else if (page) { clear(); scrollInto(pagesPane, document.getElementById("page-" + page)); }
    });
  });
  document.getElementById("zoom").addEventListener("input", function (ev) {
    var sel = document.querySelector(".box.selected");
    document.getElementById("pages").style.setProperty("--zoom", ev.target.value / 100);
    if (sel) scrollInto(pagesPane, sel);
  });
  document.getElementById("toggle-summary").addEventListener("click", function () {
    document.getElementById("summary").classList.toggle("collapsed");
  });
})();
