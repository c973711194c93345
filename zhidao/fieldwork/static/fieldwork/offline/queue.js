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
    // Send what is waiting, oldest first; stops at the first network failure.
    syncAll: function (user, csrfUrl) {
      if (Q.busy) { return Q.busy; }
      var csrf = null;
      var run = function () {
        return Q.all(user).then(function (items) {
          if (!items.some(function (i) { return i.state !== "rejected"; })) { return null; }
          return Q.token(csrfUrl).then(function (token) {
            csrf = token;
            return deliver(items);
          }, function () { return "offline"; });
        });
      };
      // The page and the service worker may both sync when the network returns: a Web Lock
      // lets one go first, and the other then finds the queue already emptied.
      var locks = scope.navigator && scope.navigator.locks;
      var deliver = function (items) {
        var waiting = items.filter(function (i) { return i.state !== "rejected"; });
        var step = function (index) {
          if (index >= waiting.length) { return null; }
          var item = waiting[index];
          return Q.send(item, csrf).then(function (result) {
            if (result.outcome === "offline") { return "offline"; }
            var next = function () { return step(index + 1); };
            if (result.outcome === "done") { return Q.remove(item.key).then(next); }
            item.state = result.outcome;
            item.errors = result.errors || null;
            item.notFound = !!result.notFound;
            return Q.put(item).then(next);
          });
        };
        return step(0);
      };
      Q.busy = (locks ? locks.request("zhidao-queue", run) : run())
        .then(function (v) { Q.busy = null; return v; }, function (e) { Q.busy = null; throw e; });
      return Q.busy;
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

  if (!user) {
    // Logged out (or the session ended): pages kept for the previous user must go.
    if (scope.caches) { scope.caches.delete("zhidao-pages"); }
    return;
  }
  if (sw) { sw.register(cfg.sw, { scope: "/" }).catch(function () {}); }

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
  function messagesOf(item) {
    if (item.notFound) { return [cfg.msgNotFound]; }
    if (item.state === "login") { return [cfg.msgLogin]; }
    var out = [];
    Object.keys(item.errors || {}).forEach(function (k) { out = out.concat(item.errors[k]); });
    return out;
  }

  // ----- the "待同步 N 条" indicator -----
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
  function sync() {
    return Q.syncAll(user, cfg.csrfUrl).catch(function () {}).then(refreshIndicator);
  }
  function askBackgroundSync() {
    if (sw && "SyncManager" in scope) {
      sw.ready.then(function (reg) { return reg.sync.register(SYNC_TAG); }).catch(function () {});
    }
  }

  // ----- the forms -----
  var KIND_KEY = { "check-in": "checkIn", "check-out": "checkOut", "work-record": "workRecord" };
  var KEEP_UUID = { "check-out": true }; // check-out carries the day's UUID, not a new one
  function uuidField(form) { return form.querySelector("input[name=client_uuid]"); }
  function showNotice(form, text, cls) {
    var old = form.querySelector(".offline-notice");
    if (old) { old.remove(); }
    var notice = el("div", "offline-notice " + cls, text);
    notice.setAttribute("role", "status");
    form.insertBefore(notice, form.firstChild);
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
      if (!box || name === "__all__") { general = general.concat(errors[name]); return; }
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
  function excerpt(form) {
    var text = "";
    form.querySelectorAll("textarea, select").forEach(function (f) {
      if (text) { return; }
      text = f.tagName === "SELECT" ? (f.selectedOptions[0] || {}).text || "" : f.value;
    });
    return text.trim().slice(0, 80);
  }
  function prepare(form) {
    var field = uuidField(form);
    var kind = form.dataset.offlineForm;
    if (field && (!field.value || (!KEEP_UUID[kind] && !form.dataset.offlineEditing))) {
      // A page kept by the service worker repeats the UUID it was rendered with: take a fresh one.
      field.value = newUuid();
    }
  }
  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-form]") || event.defaultPrevented) { return; }
    event.preventDefault();
    var kind = form.dataset.offlineForm;
    var field = uuidField(form);
    if (field && !field.value) { field.value = newUuid(); }
    var entries = entriesOf(form, kind);
    var item = {
      key: kind + ":" + (field ? field.value : newUuid()),
      kind: kind,
      user: user,
      endpoint: form.dataset.offlineEndpoint || cfg[KIND_KEY[kind]],
      page: location.pathname + location.search,
      title: form.dataset.offlineTitle || cfg[KIND_KEY[kind] + "Kind"] || document.title.split(" · ")[0],
      excerpt: excerpt(form),
      entries: entries,
      state: "pending",
      queuedAt: new Date().toISOString()
    };
    var buttons = form.querySelectorAll("[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var saved = Q.put(item).catch(function () {
      // IndexedDB unavailable (private mode): still try to send directly.
      return null;
    });
    saved.then(function () { return Q.send(item, csrf(), true); }).then(function (result) {
      buttons.forEach(function (b) { b.disabled = false; });
      if (result.outcome === "done") {
        return Q.remove(item.key).then(function () {
          delete form.dataset.offlineEditing;
          if (field && !KEEP_UUID[kind]) { field.value = newUuid(); }
          location.assign((result.data && result.data.url) || location.href);
        });
      }
      if (result.outcome === "rejected") {
        // Refused while the person is still on the form: the form keeps every value and shows
        // the messages, so the copy in the queue is not needed (only background syncs that the
        // server refuses stay in the queue, with their message).
        item.errors = result.errors;
        item.notFound = !!result.notFound;
        showErrors(form, item);
        return Q.remove(item.key).then(refreshIndicator);
      }
      item.state = result.outcome === "login" ? "login" : "pending";
      return Q.put(item).then(function () {
        clearErrors(form);
        form.reset();
        delete form.dataset.offlineEditing;
        if (field) { field.value = KEEP_UUID[kind] ? item.key.split(":")[1] : newUuid(); }
        showNotice(form, result.outcome === "login" ? cfg.msgQueuedLogin : cfg.msgQueued, "is-queued");
        askBackgroundSync();
        return refreshIndicator();
      });
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
        if (e[1] instanceof Blob) { return; }
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
      var card = el("section", "card offline-item offline-" + item.state);
      var head = el("div", "offline-item-head");
      head.appendChild(el("h2", null, item.title));
      head.appendChild(el("span", "badge badge-offline-" + item.state, data["state" + item.state.charAt(0).toUpperCase() + item.state.slice(1)]));
      card.appendChild(head);
      if (item.excerpt) { card.appendChild(el("p", "offline-item-excerpt", item.excerpt)); }
      card.appendChild(el("p", "help", data.queuedAt + " " + new Date(item.queuedAt).toLocaleString()));
      var messages = item.state === "pending" ? [] : messagesOf(item);
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

  document.addEventListener("submit", onSubmit);
  document.querySelectorAll("form[data-offline-form]").forEach(prepare);
  scope.addEventListener("online", sync);
  if (sw) {
    sw.addEventListener("message", function (event) {
      if (event.data === "queue-changed") { refreshIndicator(); }
    });
  }
  document.querySelectorAll("form[action='" + cfg.logout + "']").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (scope.caches) { scope.caches.delete("zhidao-pages"); }
    });
  });
  resumeEditing();
  refreshIndicator().then(function (items) { if (items.length && navigator.onLine !== false) { sync(); } });
})(self);
