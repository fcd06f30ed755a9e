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
    // the visible label now names the editor's own input (and clicking it focuses the
    // editor) instead of the textarea CodeMirror hid
    var input = editor.getInputField();
    input.id = "query-editor";
    if (area.labels && area.labels[0]) {
      area.labels[0].htmlFor = input.id;
    } else {
      input.setAttribute("aria-label", "SPARQL");
    }
    input.setAttribute("aria-describedby", "query-help");
    editor.on("change", function () { editor.save(); });
    window.spbeSparqlEditor = editor;
  });
})();
