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
        if (status) { status.textContent = (container.getAttribute("data-error-text") || "") + " " + error.message; }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.BpmnJS) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-bpmn-url]"), show);
  });
})();
