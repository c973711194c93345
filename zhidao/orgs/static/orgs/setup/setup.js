// First-run setup: choosing a province or a city shows its tree at once (the button does the same
// without JavaScript). A new province clears the city, which belonged to the old one.
(function () {
  "use strict";
  var province = document.querySelector("[data-setup-choice=province]");
  var city = document.querySelector("[data-setup-choice=city]");
  if (!province || !city) {
    return;
  }
  province.addEventListener("change", function () {
    city.value = "";
    province.form.submit();
  });
  city.addEventListener("change", function () {
    city.form.submit();
  });
})();
