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

  // htmx swaps nothing for an error answer or an unreachable server: without this the
  // "Run" button of the SPARQL page seemed to do nothing (an expired form token, a
  // server that was stopped). The server's own message is shown where the answer goes.
  function showProblem(target, text) {
    var notice = document.createElement("p");
    notice.className = "notice bad";
    notice.setAttribute("role", "alert");
    notice.textContent = text;
    target.replaceChildren(notice);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target, xhr = event.detail.xhr;
    if (!target || !xhr) { return; }
    var answer = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var said = answer.querySelector(".notice.bad, [role=alert]");
    showProblem(target, said && said.textContent.trim() ? said.textContent.trim()
      : (target.getAttribute("data-failed") || "") + " (" + xhr.status + ")");
  });
  document.addEventListener("htmx:sendError", function (event) {
    var target = event.detail.target;
    if (target) { showProblem(target, target.getAttribute("data-unreachable") || ""); }
  });
  // printing: the tables behind the charts are part of the record
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.open = true;
    });
  });
  window.spbeMakeSortable = makeSortable;
})();
