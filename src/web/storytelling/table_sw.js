/*
 * Vertelpunt – the service worker of a verteltafel (our own code, no libraries). Served by
 * `web::storytelling::table_offline` from /v/{project}/tafel-sw.js with the version and the
 * asset list filled in, and registered by assets/verteltafel.js for /v/{project}/tafel.
 *
 * It keeps the table's pages (as the device last loaded them with a connection) and the
 * assets they need, so that the story form opens and works with the network off. It never
 * sees a story: posts go straight to the network, and stories kept without a connection are
 * the page's business (encrypted in IndexedDB).
 */
"use strict";

var VERSION = "__VERSION__";
var ASSETS = __ASSETS__;
/* "/v/{project}": one worker per project, each with caches of its own. */
var BASE = self.location.pathname.replace(/\/tafel-sw\.js$/, "");
var PREFIX = "vertelpunt-tafel:" + BASE + ":";
var CACHE = PREFIX + VERSION;
var MATCH = { ignoreVary: true };
/* On a connection that hangs, the kept page after this long (the network may still update it). */
var SLOW_NETWORK_MS = 6000;

/* The pages of the table: the start (code or choice of teller) and the story form per role. */
function isTablePage(url) {
  return url.origin === self.location.origin &&
    (url.pathname === BASE + "/tafel" || url.pathname === BASE + "/tafel/vertel");
}

function isAsset(url) {
  return url.origin === self.location.origin && ASSETS.indexOf(url.pathname) >= 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) {
        /* Past the browser's HTTP cache: a new release must not keep last hour's files. */
        return cache.addAll(ASSETS.map(function (url) { return new Request(url, { cache: "reload" }); }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

/* A new release: drop this project's older caches and ask open pages to fill the new one. */
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
      .then(function () { return self.clients.matchAll({ type: "window" }); })
      .then(function (clients) {
        clients.forEach(function (client) { client.postMessage({ type: "cache-renewed" }); });
      })
  );
});

/* The kept copy of a table page, or for a form of a role not loaded before the table's start
 * page (which has the roles); undefined when there is none. */
function keptPage(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, MATCH).then(function (hit) {
      return hit || cache.match(new URL(BASE + "/tafel", self.location).href, MATCH);
    });
  });
}

/* Pages: the network first (always the current page when there is a connection), the kept
 * copy without one or when the network hangs. Only a whole page of ours is kept, never a
 * redirect or an error. */
function pageFromNetworkOrCache(request) {
  var network = fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request.url, copy); });
    }
    return response;
  });
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      keptPage(request).then(function (hit) {
        if (hit) {
          resolve(hit);
        }
      });
    }, SLOW_NETWORK_MS);
    network.then(function (response) {
      clearTimeout(timer);
      resolve(response);
    }, function (networkError) {
      clearTimeout(timer);
      keptPage(request).then(function (hit) {
        /* Nothing kept: the browser's own page about the missing connection. */
        if (hit) {
          resolve(hit);
        } else {
          reject(networkError);
        }
      }, function () { reject(networkError); });
    });
  });
}

/* Assets: from this release's cache (they only change with a release, which renews it). */
function assetFromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, MATCH).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (isAsset(url)) {
    event.respondWith(assetFromCache(request));
  } else if (isTablePage(url)) {
    event.respondWith(pageFromNetworkOrCache(request));
  }
});

/* Keeps the given table pages now (the page asks right after the code was typed, so that
 * every role's form is there before the connection goes), in the page's language: the
 * worker's, which the worker's own requests carry in a cookie or the browser's languages. */
function keepPages(urls, lang) {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (u) {
      var url = new URL(u, self.location);
      if (!isTablePage(url)) {
        return null;
      }
      var asked = new URL(url.href);
      if (typeof lang === "string" && /^[a-z]{2}$/.test(lang)) {
        asked.searchParams.set("taal", lang);
      }
      return fetch(asked.href, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) {
          return cache.put(url.href, response);
        }
        return null;
      });
    }));
  });
}

/* Forgets the kept pages (the device left the table: its name should not stay behind). */
function forgetPages() {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return isTablePage(new URL(request.url));
      }).map(function (request) { return cache.delete(request); }));
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var work = null;
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    work = keepPages(data.urls, data.lang);
  } else if (data.type === "forget-pages") {
    work = forgetPages();
  }
  if (!work) {
    return;
  }
  event.waitUntil(work.then(function () {
    if (port) { port.postMessage({ ok: true }); }
  }, function () {
    if (port) { port.postMessage({ ok: false }); }
  }));
});
