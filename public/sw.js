// The offline worker for collection links (/c/{token}): hashed assets cache-first; collector pages,
// their Remix data requests and link GETs network-first with the cache as fallback. Nothing else is
// touched: staff pages and every POST go straight to the network and are never cached.
// v2: caches from before sealing held link bundles with the kiosk PIN's check value; activating
// this worker deletes them. Hashed files of earlier builds are pruned each time a collection page has
// handed over its own files (see the message handler).
// A new build of this worker (the server writes the build into its first line) waits while a page
// uses the old one, until the page says the tablet is between respondents ("skip-waiting").
// Recorded voices (/api/v1/links/{token}/voices/{hash}) are named by content hash: cache-first.
const CACHE = "sps-collector-v2";

/** The requests this worker may answer from its cache. */
function kind(url, request) {
  if (request.method !== "GET" || url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith("/assets/")) return "asset";
  if (url.pathname === "/favicon.svg" || url.pathname.startsWith("/icons/")) return "asset";
  if (url.pathname === "/manifest.webmanifest") return "page";
  if (/^\/api\/v1\/links\/[^/]+\/voices\/[0-9a-f]{32}$/.test(url.pathname)) return "asset";
  // The page a facilitator returns to from signing in (?arm=1) carries their signed-in state: never kept.
  if (url.pathname.startsWith("/c/") && url.searchParams.has("arm")) return null;
  // A short code (/c/ABCD-2345) only redirects to its link's address: straight to the network.
  if (/^\/c\/[^/.]{1,12}(\.data)?$/.test(url.pathname)) return null;
  if (url.pathname.startsWith("/c/")) return "page"; // documents and their single-fetch .data
  if (url.pathname.startsWith("/api/v1/links/")) return "page";
  // Lazy route discovery asks for the manifest of the collector's own routes only.
  if (url.pathname === "/__manifest" && (url.searchParams.getAll("p").every((p) => p.startsWith("/c/")))) return "page";
  return null;
}

// The first worker takes over at once; a later one waits for the page's word (see above).
self.addEventListener("install", () => {
  if (!self.registration.active) self.skipWaiting();
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    // Only good answers replace the copy: a revoked link's 401 must not wipe the working page.
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (error) {
    const hit =
      (await cache.match(request, { ignoreVary: true })) ??
      // A collector page opened with other query parameters is still the same page.
      (request.mode === "navigate" ? await cache.match(request, { ignoreVary: true, ignoreSearch: true }) : undefined);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const k = kind(url, event.request);
  if (k === "asset") event.respondWith(cacheFirst(event.request));
  else if (k === "page") event.respondWith(networkFirst(event.request));
});

// The page sends what it loaded before this worker controlled it (its own URL, scripts, styles).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "skip-waiting") return void self.skipWaiting();
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  const reply = event.ports && event.ports[0];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let ok = true;
      for (const u of data.urls) {
        let url;
        try {
          url = new URL(u, self.location.origin);
        } catch {
          continue;
        }
        // Without cookies: collector pages need none, and a copy must not hold anyone's signed-in state.
        const request = new Request(url.href, { credentials: "omit" });
        if (!kind(url, request)) continue;
        try {
          if (kind(url, request) === "asset" && (await cache.match(request, { ignoreVary: true }))) continue;
          const res = await fetch(request);
          if (res.ok) await cache.put(request, res);
          else ok = false;
        } catch {
          ok = false;
        }
      }
      // Once this page's files are all in, hashed files of earlier builds go: every collection page of
      // one build loads the same files, and staff pages are never kept here. A list of voices only
      // (a newer survey version's, fetched ahead) says prune: false.
      if (ok && data.prune !== false) {
        const keep = new Set(data.urls.map((u) => new URL(u, self.location.origin).href));
        // So do this link's voices that its survey's current version no longer carries (the page sends
        // its own address first, then every file and voice it uses).
        const page = new URL(data.urls[0], self.location.origin).pathname.match(/^\/c\/([^/]+)$/);
        const voices = page ? `/api/v1/links/${page[1]}/voices/` : null;
        for (const req of await cache.keys()) {
          const url = new URL(req.url);
          const stale = url.pathname.startsWith("/assets/") || (voices !== null && url.pathname.startsWith(voices));
          if (stale && !keep.has(url.href)) await cache.delete(req);
        }
      }
      if (reply) reply.postMessage({ ok });
    })(),
  );
});
