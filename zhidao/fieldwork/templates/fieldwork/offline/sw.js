// Service worker of the instructor's offline field work (rendered by fieldwork:service_worker).
// The app shell is kept per deployment; the instructor's pages are fetched network-first and the
// last good copy is served when there is no network. The check-in, new-record and 待同步 pages
// are kept at install, so they open offline even if never visited. Submissions are never cached:
// they wait in the IndexedDB queue (queue.js), which this worker also sends on Background Sync.
"use strict";
var CONFIG = {{ config|safe }};
var SHELL = "zhidao-shell-" + CONFIG.version;
var PAGES = "zhidao-pages";
importScripts(CONFIG.queueScript);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    var urls = CONFIG.shell.concat([CONFIG.offlineStored]);
    return cache.addAll(urls.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return keepPages(false); }).then(function () { return self.skipWaiting(); }));
});

// Only a real page of the logged-in user is kept: never a redirect to the login page.
function keepable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

// The instructor's offline pages, fetched with the session (a logged-out fetch is redirected to
// the login page and kept nowhere). `missingOnly`: after a new login, fill only what is gone.
// One after the other, so the server is not asked for three pages at once.
function keepPages(missingOnly) {
  return caches.open(PAGES).then(function (cache) {
    return CONFIG.keep.reduce(function (previous, url) {
      return previous.then(function () {
        return missingOnly ? cache.match(url, { ignoreVary: true }) : null;
      }).then(function (hit) {
        if (hit) { return null; }
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          return keepable(response) ? cache.put(url, response) : null;
        });
      }).catch(function () { return null; });
    }, Promise.resolve());
  });
}

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
  var url = new URL(request.url);
  // ?stored=1: the page a save leads to once the server has stored it (queue.js adds it).
  var stored = url.searchParams.has("stored");
  url.searchParams.delete("stored");
  var key = url.href;
  return fetch(request).then(function (response) {
    if (keep && keepable(response)) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    // After a stored save, say that it arrived: a kept copy of the page would predate it.
    if (stored) { return caches.match(CONFIG.offlineStored, { cacheName: SHELL }); }
    return caches.match(key, { cacheName: PAGES, ignoreVary: true }).then(function (kept) {
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

function tellPages(summary) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "queue-changed", summary: summary }); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === self.ZhidaoQueue.SYNC_TAG) {
    event.waitUntil(self.ZhidaoQueue.syncAll(null, CONFIG.csrfUrl).then(function (summary) {
      return tellPages(summary).then(function () {
        if (summary.offline) { throw new Error("still offline: the browser retries later"); }
      });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data === "clear-pages") { event.waitUntil(caches.delete(PAGES)); }
  if (data.type === "keep-pages") { event.waitUntil(keepPages(true)); }
});
