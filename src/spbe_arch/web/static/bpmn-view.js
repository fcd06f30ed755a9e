/* Shows BPMN diagrams with the bundled bpmn-js navigated viewer (pan with the mouse, zoom
   with Ctrl+wheel). Each <div data-bpmn-url="…"> gets the diagram of that URL. */
(function () {
  "use strict";
  function show(container) {
    var url = container.getAttribute("data-bpmn-url");
    var status = document.getElementById(container.getAttribute("data-status") || "");
    var viewer = new window.BpmnJS({container: container});
    fetch(url, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        viewer.get("canvas").zoom("fit-viewport", "auto");
        container.setAttribute("data-loaded", "true");
        if (status) { status.textContent = container.getAttribute("data-ok-text") || ""; }
      })
      .catch(function (error) {
        container.setAttribute("data-loaded", "error");
        if (!status) { return; }
        // a model without diagram interchange (BPMN DI) is valid, only not drawable: say so
        // in the page's language rather than with bpmn-js's English message
        var noDiagram = /no diagram to display/i.test(error.message || "");
        status.textContent = noDiagram
          ? container.getAttribute("data-no-diagram-text") || error.message
          : (container.getAttribute("data-error-text") || "") + " " + error.message;
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.BpmnJS) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-bpmn-url]"), show);
  });
})();
