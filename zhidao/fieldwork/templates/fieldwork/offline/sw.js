// Service worker of the instructor's offline field work (rendered by fieldwork:service_worker).
// The app shell is kept per deployment; the instructor's pages are fetched network-first and the
// last good copy is served when there is no network. Submissions are never cached: they wait in
// the IndexedDB queue (queue.js), which this worker also sends on Background Sync.
"use strict";
var CONFIG = {{ config|safe }};
var SHELL = "zhidao-shell-" + CONFIG.version;
var PAGES = "zhidao-pages";
importScripts(CONFIG.queueScript);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(CONFIG.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("zhidao-shell-") === 0 && key !== SHELL;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(path) {
  return CONFIG.pages.indexOf(path) >= 0 || CONFIG.pagePrefixes.some(function (p) {
    return path.indexOf(p) === 0;
  });
}

function networkFirst(request, keep) {
  return fetch(request).then(function (response) {
    // Only a real page of the logged-in user is kept: never a redirect to the login page.
    if (keep && response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: PAGES }).then(function (kept) {
      return kept || caches.match(CONFIG.offline, { cacheName: SHELL });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (CONFIG.never.some(function (p) { return url.pathname.indexOf(p) === 0; })) { return; }
  if (CONFIG.shell.indexOf(url.pathname) >= 0 && url.pathname !== CONFIG.offline) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, isPage(url.pathname)));
  }
});

function tellPages() {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage("queue-changed"); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === self.ZhidaoQueue.SYNC_TAG) {
    event.waitUntil(self.ZhidaoQueue.syncAll(null, CONFIG.csrfUrl).then(function (result) {
      return tellPages().then(function () {
        if (result === "offline") { throw new Error("still offline: the browser retries later"); }
      });
    }));
  }
});

self.addEventListener("message", function (event) {
  if (event.data === "clear-pages") { event.waitUntil(caches.delete(PAGES)); }
});
