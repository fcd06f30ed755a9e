/* The SPARQL page: CodeMirror 5 on the query textarea (SPARQL highlighting). The textarea
   stays the form field, so the page also works without JavaScript. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var area = document.getElementById("query");
    if (!area || !window.CodeMirror) { return; }
    var editor = window.CodeMirror.fromTextArea(area, {
      mode: "application/sparql-query",
      lineNumbers: true,
      indentUnit: 2,
      viewportMargin: Infinity,
      // Tab leaves the editor (keyboard users must not be trapped); Ctrl+Enter runs
      extraKeys: {
        "Tab": false,
        "Shift-Tab": false,
        "Ctrl-Enter": function () { document.getElementById("jalankan").click(); },
        "Cmd-Enter": function () { document.getElementById("jalankan").click(); }
      }
    });
    editor.getInputField().setAttribute("aria-label", area.labels && area.labels[0]
      ? area.labels[0].textContent : "SPARQL");
    editor.getInputField().setAttribute("aria-describedby", "query-help");
    editor.on("change", function () { editor.save(); });
    window.spbeSparqlEditor = editor;
  });
})();
