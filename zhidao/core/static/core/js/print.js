// 打印 buttons: any element with data-print opens the browser's print dialog; the print
// stylesheet (app.css, @media print) leaves out the navigation and adds the header.
// A listener in a served file, no inline script (Content-Security-Policy).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
