// Starts Redoc on the schema named by the container's data- attributes (no inline script: CSP).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var settings = JSON.parse(container.dataset.settings || "{}");
  window.Redoc.init(container.dataset.specUrl, settings, container);
})();
