/* spbe-arch web UI: the little JavaScript the pages need (everything works without it,
   except sorting tables, the SPARQL editor's highlighting and the BPMN viewer). */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return ""; }
    return cell.getAttribute("data-sort") || cell.textContent.trim();
  }

  function asNumber(text) {
    // Indonesian numbers use "." for thousands and "," for decimals
    var cleaned = text.replace(/\s|%/g, "");
    if (/^-?[\d.]+(,\d+)?$/.test(cleaned) && cleaned.indexOf(",") >= 0) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    }
    var value = Number(cleaned);
    return cleaned !== "" && !isNaN(value) ? value : null;
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var nx = asNumber(x), ny = asNumber(y);
      var order = (nx !== null && ny !== null) ? nx - ny : x.localeCompare(y, undefined, {numeric: true});
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(root) {
    var tables = (root || document).querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.getAttribute("data-sortable-ready") || !table.tHead) { return; }
      table.setAttribute("data-sortable-ready", "1");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    makeSortable(document);
    // a form that came back with problems: move focus to their summary (screen readers
    // announce it; keyboard users continue from there)
    var first = document.querySelector("[data-autofocus]");
    if (first) { first.focus(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { makeSortable(event.target); });
  // printing: the tables behind the charts are part of the record
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.open = true;
    });
  });
  window.spbeMakeSortable = makeSortable;
})();
