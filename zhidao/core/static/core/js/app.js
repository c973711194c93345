// Shell behaviour: the phone menu toggle and confirm-before-submit. No inline scripts (CSP).
(function () {
  "use strict";
  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = document.getElementById("sidenav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Focus the first field with an error so the user sees what to fix.
  var firstError = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (firstError) {
    firstError.focus();
  }
})();
