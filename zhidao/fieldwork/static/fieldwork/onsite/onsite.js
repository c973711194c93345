// On-site pages: the optional browser location and the client id of offline-capable forms.
// No inline scripts (CSP); everything here is progressive: the forms work without it.
(function () {
  "use strict";

  function newUuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // The server writes a client id into the form; a page restored from a cache may lack it.
  document.querySelectorAll("form[data-offline-form] input[name=client_uuid]").forEach(function (input) {
    if (!input.value) {
      input.value = newUuid();
    }
  });

  // The check-in page lists what to follow up at each place: show the chosen place's only.
  var followUps = document.querySelectorAll("[data-follow-up-place]");
  function showFollowUp() {
    var chosen = document.querySelector("input[name=place]:checked");
    followUps.forEach(function (section) {
      section.hidden = !chosen || section.getAttribute("data-follow-up-place") !== chosen.value;
    });
  }
  if (followUps.length) {
    document.querySelectorAll("input[name=place]").forEach(function (input) {
      input.addEventListener("change", showFollowUp);
    });
    showFollowUp();
  }

  var button = document.querySelector("[data-geo-button]");
  if (!button) {
    return;
  }
  var form = button.form || button.closest("form");
  var status = document.querySelector("[data-geo-status]");

  function field(name) {
    return form.querySelector("input[name=" + name + "]");
  }

  function say(text, state) {
    if (status) {
      status.textContent = text;
      status.classList.remove("is-done", "is-failed");
      if (state) {
        status.classList.add(state);
      }
    }
  }

  button.addEventListener("click", function () {
    if (!("geolocation" in navigator)) {
      say(button.getAttribute("data-msg-unsupported"), "is-failed");
      return;
    }
    button.disabled = true;
    say(button.getAttribute("data-msg-locating"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var coords = position.coords;
        field("latitude").value = coords.latitude.toFixed(6);
        field("longitude").value = coords.longitude.toFixed(6);
        field("accuracy_m").value = String(Math.round(coords.accuracy || 0));
        button.disabled = false;
        button.classList.add("is-done");
        say(button.getAttribute("data-msg-done").replace("{accuracy}", Math.round(coords.accuracy || 0)), "is-done");
      },
      function () {
        // Denied, unavailable or timed out: check in without a location, never blocked.
        field("latitude").value = "";
        field("longitude").value = "";
        field("accuracy_m").value = "";
        button.disabled = false;
        say(button.getAttribute("data-msg-denied"), "is-failed");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
