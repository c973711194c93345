// The ticket page's 复制 button: copies the ticket code. A served file, no inline script
// (Content-Security-Policy); without JavaScript the button stays hidden and the code selectable.
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on an intranet has no clipboard API: copy through a selected text field.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sr-only";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      document.body.removeChild(area);
      if (done) { resolve(); } else { reject(new Error("copy")); }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector("[role=status]");
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      }, function () {
        if (status) { status.textContent = button.getAttribute("data-copy-failed"); }
      });
    });
  });
})();
