// Offline queue for the instructor's forms (form[data-offline-form]): every submission is kept
// in IndexedDB under its client UUID until the server has stored it; a rejected one stays, with
// the server's message, until the instructor corrects or deletes it. Nothing is dropped
// silently. The core (ZhidaoQueue) also runs inside the service worker for Background Sync.
(function (scope) {
  "use strict";
  var DB_NAME = "zhidao-offline";
  var STORE = "queue";
  var SYNC_TAG = "zhidao-queue";

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function openDb() {
    var r = scope.indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = function () { r.result.createObjectStore(STORE, { keyPath: "key" }); };
    return request(r);
  }
  function withStore(mode, fn) {
    return openDb().then(function (db) {
      var result = fn(db.transaction(STORE, mode).objectStore(STORE));
      return request(result).then(function (value) { db.close(); return value; });
    });
  }
  var Q = {
    all: function (user) {
      return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
        return items.filter(function (i) { return user == null || i.user === user; })
          .sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
      });
    },
    get: function (key) { return withStore("readonly", function (s) { return s.get(key); }); },
    put: function (item) { return withStore("readwrite", function (s) { return s.put(item); }); },
    remove: function (key) { return withStore("readwrite", function (s) { return s.delete(key); }); },
    // The session's CSRF token, asked of the server: a token kept from queue time is stale
    // after a new login, and the service worker cannot read the cookie. null when logged out.
    token: function (csrfUrl) {
      return fetch(csrfUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json().then(function (d) { return d.csrf; }) : null; });
    },
    // The REST API's 400 answer ({"field": [...], "non_field_errors": [...]}) as the forms show it.
    errorsOf: function (data) {
      var errors = {};
      Object.keys(data || {}).forEach(function (name) {
        var value = data[name];
        var key = name === "non_field_errors" || name === "detail" ? "__all__" : name;
        errors[key] = (errors[key] || []).concat(Array.isArray(value) ? value.map(String) : [String(value)]);
      });
      return errors;
    },
    // One delivery: "done", "rejected" (the server said no: stays with its message), "login"
    // (session over or another user: stays until that user is logged in), "offline" (stays).
    // `foreground`: the person waits on the form page, so the server adds its success message
    // for the page opened next (a background delivery gets none).
    send: function (item, csrf, foreground) {
      var body = new FormData();
      item.entries.forEach(function (e) {
        if (e[1] instanceof Blob) { body.append(e[0], e[1], e[1].name || "photo.jpg"); }
        else { body.append(e[0], e[1]); }
      });
      var headers = { "X-CSRFToken": csrf || "", "X-Zhidao-User": item.user,
        "Accept": "application/json" };
      if (foreground) { headers["X-Zhidao-Foreground"] = "1"; }
      return fetch(item.endpoint, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: headers
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var json = type.indexOf("json") >= 0 ? response.json() : Promise.resolve(null);
        return json.then(function (data) {
          if (response.status === 200 || response.status === 201) {
            return { outcome: "done", data: data };
          }
          if (response.status === 400 && data) { return { outcome: "rejected", errors: Q.errorsOf(data) }; }
          if (response.status === 404) { return { outcome: "rejected", errors: { __all__: [] }, notFound: true }; }
          if (response.status === 401 || response.type === "opaqueredirect") { return { outcome: "login" }; }
          if (response.status === 403) {
            // Logged out, a stale CSRF token, or queued by another user: waits for the login.
            var detail = data && String(data.detail || "");
            if (!data || data.login || /CSRF|认证|登录|credentials|authenticat/i.test(detail)) {
              return { outcome: "login" };
            }
            return { outcome: "rejected", errors: Q.errorsOf(data) };
          }
          return { outcome: "offline" };
        });
      }, function () { return { outcome: "offline" }; });
    },
    // Send what is waiting, oldest first; stops at the first network failure. Answers what
    // happened: { offline, stored: n, refused: [items the server refused this time] }.
    syncAll: function (user, csrfUrl) {
      if (Q.busy) { return Q.busy; }
      var csrf = null;
      var summary = { offline: false, stored: 0, refused: [] };
      var run = function () {
        return Q.all(user).then(function (items) {
          if (!items.some(function (i) { return i.state !== "rejected"; })) { return summary; }
          return Q.token(csrfUrl).then(function (token) {
            csrf = token;
            return deliver(items);
          }, function () { summary.offline = true; return summary; });
        });
      };
      // The page and the service worker may both sync when the network returns: a Web Lock
      // lets one go first, and the other then finds the queue already emptied.
      var locks = scope.navigator && scope.navigator.locks;
      var deliver = function (items) {
        // An item its form is sending right now is left to the form (unless the page went away
        // mid-send long ago): sent twice it would be stored once, but a refusal would show twice.
        var now = Date.now();
        var waiting = items.filter(function (i) {
          if (i.state === "sending") { return now - Date.parse(i.queuedAt) > 60000; }
          return i.state !== "rejected";
        });
        var step = function (index) {
          if (index >= waiting.length) { return summary; }
          var item = waiting[index];
          return Q.send(item, csrf).then(function (result) {
            if (result.outcome === "offline") { summary.offline = true; return summary; }
            var next = function () { return step(index + 1); };
            if (result.outcome === "done") {
              summary.stored += 1;
              return Q.remove(item.key).then(next);
            }
            item.state = result.outcome;
            item.errors = result.errors || null;
            item.notFound = !!result.notFound;
            if (item.state === "rejected") {
              // What the pages need to say it (the worker posts it to them): no photos.
              summary.refused.push({ title: item.title, meta: item.meta, excerpt: item.excerpt,
                errors: item.errors, labels: item.labels, state: item.state, notFound: item.notFound });
            }
            return Q.put(item).then(next);
          });
        };
        return step(0);
      };
      Q.busy = (locks ? locks.request("zhidao-queue", run) : run())
        .then(function (v) { Q.busy = null; return v; }, function (e) { Q.busy = null; throw e; });
      return Q.busy;
    },
    // A refusal as the instructor reads it away from the form: each message after the name of
    // its field ("内容：该字段是必填项。"), with the labels the form had when it was queued.
    messages: function (item, notFound, login) {
      if (item.notFound) { return [notFound]; }
      if (item.state === "login") { return [login]; }
      var out = [];
      var labels = item.labels || {};
      Object.keys(item.errors || {}).forEach(function (name) {
        var label = name === "__all__" ? "" : labels[name] || "";
        item.errors[name].forEach(function (m) { out.push(label ? label + "：" + m : m); });
      });
      return out;
    },
    SYNC_TAG: SYNC_TAG
  };
  scope.ZhidaoQueue = Q;

  if (typeof document === "undefined") { return; } // inside the service worker: core only

  var config = document.getElementById("zhidao-offline");
  if (!config || !scope.indexedDB) { return; }
  var cfg = config.dataset;
  var user = cfg.user || "";
  var sw = navigator.serviceWorker;
  var PAGES = "zhidao-pages";
  var STORED = "stored"; // ?stored=1: the page a stored save leads to (the worker knows it)

  if (!user) {
    // Logged out (or the session ended): pages kept for the previous user must go.
    if (scope.caches) { scope.caches.delete(PAGES); }
    return;
  }
  if (sw) { sw.register(cfg.sw, { scope: "/" }).catch(function () {}); }
  if (new URLSearchParams(location.search).has(STORED)) {
    // The page loaded: the marker has done its work and must not be bookmarked or kept.
    var clean = new URL(location.href);
    clean.searchParams.delete(STORED);
    history.replaceState(history.state, "", clean.pathname + clean.search + clean.hash);
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function newUuid() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text != null) { e.textContent = text; }
    return e;
  }
  function messagesOf(item) { return Q.messages(item, cfg.msgNotFound, cfg.msgLogin); }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] != null ? String(values[name]) : all;
    });
  }

  // ----- the "待同步 N 条" indicator, and retrying while the network is there -----
  var retryTimer = null;
  var retryDelay = 0;
  function refreshIndicator() {
    return Q.all(user).then(function (items) {
      document.querySelectorAll("[data-offline-indicator]").forEach(function (node) {
        node.hidden = items.length === 0;
        var count = node.querySelector("[data-offline-count]");
        if (count) { count.textContent = String(items.length); }
        node.classList.toggle("has-rejected", items.some(function (i) { return i.state === "rejected"; }));
      });
      renderQueuePage(items);
      return items;
    });
  }
  // A send that got no answer (a dropped connection, a lost reply) is tried again soon while
  // the browser says it is online: the server may have stored it already, and the repeat then
  // only collects the answer, so the item does not sit in "待同步" until the next page load.
  function scheduleRetry(items) {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    var waiting = (items || []).some(function (i) { return i.state === "pending" || i.state === "sending"; });
    if (!waiting || navigator.onLine === false) { retryDelay = 0; return; }
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
    retryTimer = setTimeout(function () { retryTimer = null; sync(); }, retryDelay);
  }
  function sync() {
    return Q.syncAll(user, cfg.csrfUrl).then(showSummary, function () {}).then(refreshIndicator)
      .then(function (items) { scheduleRetry(items); return items; });
  }
  function askBackgroundSync() {
    if (sw && "SyncManager" in scope) {
      sw.ready.then(function (reg) { return reg.sync.register(SYNC_TAG); }).catch(function () {});
    }
  }

  // ----- "已同步 N 条" after the network returns, with what the server refused and why -----
  var shown = { stored: 0, refused: [] };
  function showSummary(summary) {
    if (!summary || (!summary.stored && !summary.refused.length)) { return; }
    // "Saved on this phone" by a form is no longer the news: the summary says what became of it.
    document.querySelectorAll(".offline-notice.is-queued").forEach(function (n) { n.remove(); });
    var box = document.querySelector("[data-offline-summary]");
    if (!box) {
      box = el("section", "card offline-summary");
      box.setAttribute("data-offline-summary", "");
      box.setAttribute("role", "status");
      var main = document.getElementById("main");
      if (!main) { return; }
      main.insertBefore(box, main.firstChild);
      shown = { stored: 0, refused: [] };
    }
    // Two syncs in a row (the page's and the worker's) add up rather than replace each other.
    shown.stored += summary.stored;
    shown.refused = shown.refused.concat(summary.refused);
    box.textContent = "";
    box.classList.toggle("has-refused", shown.refused.length > 0);
    var head = el("div", "offline-summary-head");
    var parts = [];
    if (shown.stored) { parts.push(format(cfg.msgSynced, { count: shown.stored })); }
    if (shown.refused.length) { parts.push(format(cfg.msgRefused, { count: shown.refused.length })); }
    head.appendChild(el("p", "offline-summary-title", parts.join(cfg.msgJoin)));
    var close = el("button", "link-button offline-summary-close", cfg.msgDismiss);
    close.type = "button";
    close.addEventListener("click", function () { box.remove(); });
    head.appendChild(close);
    box.appendChild(head);
    if (shown.refused.length) {
      var list = el("ul", "offline-summary-refused");
      shown.refused.forEach(function (item) {
        var line = el("li");
        line.appendChild(el("strong", null, [item.title, item.meta].filter(Boolean).join(" · ")));
        if (item.excerpt) { line.appendChild(el("span", "muted", " " + item.excerpt)); }
        messagesOf(item).forEach(function (m) { line.appendChild(el("p", "offline-summary-reason", m)); });
        list.appendChild(line);
      });
      box.appendChild(list);
      var link = el("a", "button button-ghost", cfg.msgOpenQueue);
      link.href = cfg.queueUrl;
      box.appendChild(link);
    }
  }

  // ----- the forms -----
  var KIND_KEY = { "check-in": "checkIn", "check-out": "checkOut", "work-record": "workRecord" };
  // A check-out names its day by the day's UUID; each check-out or edit of that day is its own
  // submission with its own key, so a second one offline never replaces the first.
  var KEEP_UUID = { "check-out": true };
  function uuidField(form) { return form.querySelector("input[name=client_uuid]"); }
  function showNotice(form, text, cls) {
    form.querySelectorAll(".offline-notice").forEach(function (n) { n.remove(); });
    var notice = el("div", "offline-notice " + cls, text);
    notice.setAttribute("role", cls === "is-failed" ? "alert" : "status");
    // Next to the button that was pressed, where the eye is.
    var buttons = form.querySelectorAll("[type=submit]");
    var last = buttons[buttons.length - 1];
    var actions = last && last.closest(".form-actions");
    var anchor = actions && form.contains(actions) ? actions : last;
    if (anchor && anchor.parentNode) { anchor.parentNode.insertBefore(notice, anchor.nextSibling); }
    else { form.appendChild(notice); }
  }
  function clearErrors(form) {
    form.querySelectorAll(".offline-error").forEach(function (n) { n.remove(); });
    form.querySelectorAll(".has-error").forEach(function (n) { n.classList.remove("has-error"); });
  }
  function showErrors(form, item) {
    clearErrors(form);
    var general = [];
    var errors = item.errors || {};
    Object.keys(errors).forEach(function (name) {
      var target = name;
      if ((name === "organization" || name === "assignment") && !form.querySelector("#field-" + name)) {
        target = "place";
      }
      var box = form.querySelector("#field-" + target);
      if (!box || name === "__all__") {
        var label = name === "__all__" ? "" : (item.labels || {})[name] || "";
        general = general.concat(errors[name].map(function (m) { return label ? label + "：" + m : m; }));
        return;
      }
      box.classList.add("has-error");
      var list = el("div", "field-errors offline-error");
      list.setAttribute("role", "alert");
      errors[name].forEach(function (m) { list.appendChild(el("p", null, m)); });
      box.appendChild(list);
    });
    if (item.notFound || item.state === "login") { general = general.concat(messagesOf(item)); }
    if (general.length) {
      var top = el("div", "form-errors offline-error");
      top.setAttribute("role", "alert");
      general.forEach(function (m) { top.appendChild(el("p", null, m)); });
      form.insertBefore(top, form.firstChild);
    }
  }
  function entriesOf(form, kind) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (value instanceof Blob && !value.size) { return; } // an empty file input
      entries.push([name, value]);
    });
    var stamp = { "check-in": "checked_in_at", "check-out": "checked_out_at" }[kind];
    if (stamp && !form.querySelector("[name=" + stamp + "]")) {
      entries.push([stamp, new Date().toISOString()]);
    }
    return entries;
  }
  // The field names as the form labels them, kept with the item: a refusal that arrives later
  // (in the service worker, on another page) still says which field it is about.
  function labelsOf(form) {
    var labels = {};
    form.querySelectorAll(".field[id^='field-']").forEach(function (box) {
      var label = box.querySelector("label, legend");
      if (label) { labels[box.id.slice(6)] = label.textContent.replace(/\s*[*＊]\s*$/, "").trim(); }
    });
    if (labels.place) {
      labels.organization = labels.organization || labels.place;
      labels.assignment = labels.assignment || labels.place;
    }
    return labels;
  }
  // What the card in 待同步 shows: what was written, and where.
  function excerptOf(form) {
    var text = "";
    form.querySelectorAll("textarea").forEach(function (f) { if (!text) { text = f.value.trim(); } });
    if (!text) {
      var summary = form.querySelector("input[name=summary]");
      text = summary ? summary.value.trim() : "";
    }
    return text.slice(0, 80);
  }
  function placeOf(form) {
    var select = form.querySelector("select[name=organization]");
    if (select && select.value) { return (select.selectedOptions[0] || {}).text || ""; }
    var radio = form.querySelector("input[name=place]:checked");
    if (radio) {
      var label = radio.closest("label") || form.querySelector("label[for='" + radio.id + "']");
      if (label) { return label.textContent.replace(/\s+/g, " ").trim(); }
    }
    if (form.dataset.offlineForm === "check-out") {
      var h1 = document.querySelector("main h1");
      return h1 ? h1.textContent.replace(/\s+/g, " ").trim() : "";
    }
    return "";
  }
  function prepare(form) {
    var field = uuidField(form);
    var kind = form.dataset.offlineForm;
    if (field && (!field.value || (!KEEP_UUID[kind] && !form.dataset.offlineEditing))) {
      // A page kept by the service worker repeats the UUID it was rendered with: take a fresh one.
      field.value = newUuid();
    }
  }
  function setButtons(form, disabled) {
    form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = disabled; });
  }
  // After a queued save the form is empty again; its button waits for something to be entered,
  // so a second tap on 保存 cannot queue an empty record.
  function waitForInput(form) {
    setButtons(form, true);
    form.dataset.offlinePristine = "1";
    var wake = function () {
      form.removeEventListener("input", wake);
      form.removeEventListener("change", wake);
      delete form.dataset.offlinePristine;
      if (!form.dataset.offlineBusy) { setButtons(form, false); }
    };
    form.addEventListener("input", wake);
    form.addEventListener("change", wake);
  }
  function storedUrl(url) {
    var target = new URL(url || location.href, location.href);
    target.searchParams.set(STORED, "1");
    return target.pathname + target.search + target.hash;
  }
  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-form]") || event.defaultPrevented) { return; }
    event.preventDefault();
    // A double tap while the first is on its way, or 保存 again on the emptied form.
    if (form.dataset.offlineBusy || form.dataset.offlinePristine) { return; }
    form.dataset.offlineBusy = "1";
    var kind = form.dataset.offlineForm;
    var field = uuidField(form);
    if (field && !field.value) { field.value = newUuid(); }
    var entries = entriesOf(form, kind);
    var submission = KEEP_UUID[kind] ? newUuid() : null;
    if (submission) { entries.push(["submission_uuid", submission]); }
    var id = field ? field.value : newUuid();
    var item = {
      key: kind + ":" + id + (submission ? ":" + submission : ""),
      kind: kind,
      user: user,
      endpoint: form.dataset.offlineEndpoint || cfg[KIND_KEY[kind]],
      page: location.pathname + location.search,
      title: form.dataset.offlineTitle || cfg[KIND_KEY[kind] + "Kind"] || document.title.split(" · ")[0],
      meta: placeOf(form),
      excerpt: excerptOf(form),
      labels: labelsOf(form),
      entries: entries,
      state: "sending",
      queuedAt: new Date().toISOString()
    };
    setButtons(form, true);
    var kept = true;
    var saved = Q.put(item).catch(function () {
      // The phone's storage is full (or IndexedDB is unavailable): say so, and still try to
      // send it directly; without a network the form keeps every value.
      kept = false;
      showNotice(form, cfg.msgQuota, "is-failed");
      return null;
    });
    var done = function () { delete form.dataset.offlineBusy; };
    saved.then(function () { return Q.send(item, csrf(), true); }).then(function (result) {
      if (result.outcome === "done") {
        // The form stays disabled: the next page is on its way, and a tap now would be a
        // second submission.
        var next = function () {
          delete form.dataset.offlineEditing;
          location.assign(storedUrl(result.data && result.data.url));
        };
        return kept ? Q.remove(item.key).then(next, next) : next();
      }
      if (result.outcome === "rejected") {
        // Refused while the person is still on the form: the form keeps every value and shows
        // the messages, so the copy in the queue is not needed (only background syncs that the
        // server refuses stay in the queue, with their message).
        done();
        setButtons(form, false);
        item.errors = result.errors;
        item.notFound = !!result.notFound;
        showErrors(form, item);
        return (kept ? Q.remove(item.key) : Promise.resolve()).then(refreshIndicator);
      }
      if (!kept) {
        done();
        setButtons(form, false);
        return null;
      }
      item.state = result.outcome === "login" ? "login" : "pending";
      return Q.put(item).then(function () {
        clearErrors(form);
        form.reset();
        delete form.dataset.offlineEditing;
        if (field && !KEEP_UUID[kind]) { field.value = newUuid(); }
        done();
        waitForInput(form);
        showNotice(form, result.outcome === "login" ? cfg.msgQueuedLogin : cfg.msgQueued, "is-queued");
        askBackgroundSync();
        return refreshIndicator().then(scheduleRetry);
      }, function () {
        done();
        setButtons(form, false);
        showNotice(form, cfg.msgQuota, "is-failed");
      });
    }).catch(function () {
      done();
      setButtons(form, false);
    });
  }

  // "修改后重试": the form page opens with #offline-edit=<key> and the stored values.
  function resumeEditing() {
    var m = location.hash.match(/^#offline-edit=(.+)$/);
    if (!m) { return; }
    Q.get(decodeURIComponent(m[1])).then(function (item) {
      if (!item) { return; }
      var form = document.querySelector("form[data-offline-form='" + item.kind + "']");
      if (!form) { return; }
      form.dataset.offlineEditing = "1";
      item.entries.forEach(function (e) {
        if (e[1] instanceof Blob || e[0] === "submission_uuid") { return; }
        var fields = form.querySelectorAll("[name='" + e[0] + "']");
        fields.forEach(function (f) {
          if (f.type === "radio" || f.type === "checkbox") { f.checked = f.value === e[1]; }
          else if (f.type !== "file") { f.value = e[1]; }
        });
      });
      showErrors(form, item);
    });
  }

  // ----- the queued-items page -----
  function renderQueuePage(items) {
    var list = document.getElementById("offline-queue-list");
    if (!list) { return; }
    var data = list.dataset;
    list.textContent = "";
    var empty = document.getElementById("offline-queue-empty");
    if (empty) { empty.hidden = items.length > 0; }
    items.forEach(function (item) {
      var state = item.state === "sending" ? "pending" : item.state; // on its way: still waiting
      var card = el("section", "card offline-item offline-" + state);
      var head = el("div", "offline-item-head");
      head.appendChild(el("h2", null, item.title));
      head.appendChild(el("span", "badge badge-offline-" + state, data["state" + state.charAt(0).toUpperCase() + state.slice(1)]));
      card.appendChild(head);
      if (item.meta) { card.appendChild(el("p", "offline-item-place muted", item.meta)); }
      if (item.excerpt) { card.appendChild(el("p", "offline-item-excerpt", item.excerpt)); }
      var photos = item.entries.filter(function (e) { return e[1] instanceof Blob; }).length;
      var when = data.queuedAt + " " + new Date(item.queuedAt).toLocaleString();
      card.appendChild(el("p", "help", photos ? when + " · " + format(data.photos, { count: photos }) : when));
      var messages = state === "pending" ? [] : messagesOf(item);
      if (messages.length) {
        var box = el("div", "form-errors");
        box.setAttribute("role", "alert");
        messages.forEach(function (m) { box.appendChild(el("p", null, m)); });
        card.appendChild(box);
      }
      var actions = el("div", "form-actions");
      if (item.state === "rejected") {
        var edit = el("a", "button", data.edit);
        edit.href = item.page + "#offline-edit=" + encodeURIComponent(item.key);
        actions.appendChild(edit);
      }
      var del = el("button", "button button-ghost", data.remove);
      del.type = "button";
      del.addEventListener("click", function () {
        if (scope.confirm(data.confirmRemove)) { Q.remove(item.key).then(refreshIndicator); }
      });
      actions.appendChild(del);
      card.appendChild(actions);
      list.appendChild(card);
    });
  }

  // The pages an instructor needs offline are kept as soon as the worker runs: it keeps them
  // when it installs, and is asked again on later pages (after a new login they were cleared).
  function warmPages() {
    if (sw && sw.controller) { sw.controller.postMessage({ type: "keep-pages" }); }
  }

  document.addEventListener("submit", onSubmit);
  document.querySelectorAll("form[data-offline-form]").forEach(prepare);
  scope.addEventListener("online", function () { retryDelay = 0; sync(); });
  scope.addEventListener("offline", function () { scheduleRetry([]); });
  if (sw) {
    sw.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data === "queue-changed" || data.type === "queue-changed") {
        showSummary(data.summary);
        refreshIndicator();
      }
    });
  }
  document.querySelectorAll("form[action='" + cfg.logout + "']").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (scope.caches) { scope.caches.delete(PAGES); }
    });
  });
  resumeEditing();
  warmPages();
  refreshIndicator().then(function (items) { if (items.length && navigator.onLine !== false) { sync(); } });
})(self);
