/* A select of one row among thousands (zhidao/core/autocomplete.py): the page holds only the
   chosen option; this box asks the select's data-autocomplete-url for matches as the user types
   and puts the chosen one into the select, which the form submits as before. Without this
   script the select still works with the options it has. */
(function () {
  "use strict";
  var DELAY = 200;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function enhance(select, index) {
    var data = select.dataset;
    var box = el("div", "autocomplete");
    var input = el("input", "autocomplete-input");
    var list = el("ul", "autocomplete-list");
    var listId = (select.id || "autocomplete-" + index) + "-options";
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = data.autocompletePlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // The label names the box the user types in; the select keeps its name for the form.
    if (select.id) {
      input.id = select.id;
      select.id = select.id + "-value";
    }
    if (select.required) { input.required = true; select.required = false; }
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(select);

    function chosenText() {
      var option = select.selectedOptions[0];
      return option && option.value ? option.textContent : "";
    }
    input.value = chosenText();

    var timer = null;
    var active = -1;
    var asked = 0;
    var rows = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.classList.toggle("is-active", i === index); });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }
    function choose(row) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(row.id); });
      if (!option) {
        option = el("option", null, row.text);
        option.value = String(row.id);
        select.appendChild(option);
      }
      select.value = String(row.id);
      input.value = row.text;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function clear() {
      select.value = "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(answer) {
      rows = answer.results || [];
      list.textContent = "";
      rows.forEach(function (row, i) {
        var item = el("li", "autocomplete-option", row.text);
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        // mousedown, not click: it comes before the input's blur closes the list.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(row); });
        list.appendChild(item);
      });
      if (!rows.length) { list.appendChild(el("li", "autocomplete-note", data.autocompleteEmpty || "")); }
      if (answer.more) { list.appendChild(el("li", "autocomplete-note", data.autocompleteMore || "")); }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function ask() {
      var number = ++asked;
      var url = new URL(data.autocompleteUrl, location.href);
      url.searchParams.set("q", input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (number === asked && document.activeElement === input) { show(answer); } })
        .catch(function () {});
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    }

    input.addEventListener("focus", later);
    input.addEventListener("input", function () {
      if (!input.value.trim() && select.value) { clear(); }
      later();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { ask(); return; }
        event.preventDefault();
        var count = rows.length;
        if (!count) { return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        mark((active + step + count) % count);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // choose, do not submit the form yet
        choose(rows[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      close();
      // What is typed but not chosen is not a choice: show the chosen one again.
      if (input.value.trim()) { input.value = chosenText(); }
    });
    select.form && select.form.addEventListener("reset", function () {
      setTimeout(function () { input.value = chosenText(); }, 0);
    });
  }

  document.querySelectorAll("select[data-autocomplete-url]").forEach(enhance);
})();
