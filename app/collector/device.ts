// Small device facts and helpers: ids that work outside secure contexts, today's date, the kiosk
// PIN check (PBKDF2 with the server's parameters, so an armed tablet checks it offline), persistence,
// the offline worker.
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The local calendar date, YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The parts of a kiosk PIN's check value as the server stores it: "pbkdf2-sha256:<iterations>:<salt>:<hash>",
 * or "salt:hash" (100,000 iterations) for links made before six-digit PINs.
 */
export function pinParams(stored: string): { iterations: number; salt: string; hash: string } | null {
  const parts = stored.split(":");
  if (parts.length === 2 && parts[0] && parts[1]) return { iterations: 100_000, salt: parts[0], hash: parts[1] };
  if (parts.length === 4 && parts[0] === "pbkdf2-sha256" && /^\d+$/.test(parts[1]) && parts[2] && parts[3])
    return { iterations: Number(parts[1]), salt: parts[2], hash: parts[3] };
  return null;
}

/**
 * PBKDF2-HMAC-SHA256 of the PIN, 32 bytes, as hex. WebCrypto where the page has it (https, localhost);
 * on plain-http LAN pages, which lack crypto.subtle, @noble/hashes in JavaScript (already on the page
 * for sealing), yielding to the page while it works so the "Checking…" state still paints.
 */
export async function pinHash(pin: string, salt: string, iterations: number, native = Boolean(globalThis.crypto?.subtle)): Promise<string> {
  const enc = new TextEncoder();
  let bytes: Uint8Array;
  if (native) {
    const key = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveBits"]);
    bytes = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode(salt), iterations }, key, 256));
  } else {
    bytes = await pbkdf2Async(sha256, enc.encode(pin), enc.encode(salt), { c: iterations, dkLen: 32, asyncTick: 50 });
  }
  return [...bytes].map((x) => x.toString(16).padStart(2, "0")).join("");
}

export async function checkPin(stored: string, pin: string, native?: boolean): Promise<boolean> {
  const p = pinParams(stored);
  if (!p) return false;
  const hex = await pinHash(pin, p.salt, p.iterations, native);
  // Constant-time enough for a local check: compare every character.
  let diff = hex.length ^ p.hash.length;
  for (let i = 0; i < Math.min(hex.length, p.hash.length); i++) diff |= hex.charCodeAt(i) ^ p.hash.charCodeAt(i);
  return diff === 0;
}

export type Persistence = "persistent" | "refused" | "unsupported";

/** Asks the browser not to evict the queue (Safari drops unused sites' storage after 7 days). */
export async function askPersistence(): Promise<Persistence> {
  const storage = navigator.storage;
  if (!storage?.persist) return "unsupported";
  try {
    if (await storage.persisted()) return "persistent";
    return (await storage.persist()) ? "persistent" : "refused";
  } catch {
    return "refused";
  }
}

/**
 * Whether this page can be opened again without a network: not-secure (plain http on a LAN, where
 * browsers allow no service worker), unsupported (no service worker in this browser), failed (the
 * worker or its copy could not be made), ready (the page and its files are in the worker's cache).
 */
export type OfflineCopy = "ready" | "not-secure" | "unsupported" | "failed";

/** The page as respondents open it: never the address a facilitator came back to from signing in. */
function pageUrl(): string {
  const page = new URL(location.href);
  page.searchParams.delete("arm");
  return page.href;
}

/** This page and the scripts and styles it loaded, which the offline copy must hold. */
function pageFiles(): string[] {
  return [
    pageUrl(),
    ...performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .filter((u) => u.startsWith(location.origin)),
  ];
}

/**
 * Registers the service worker and hands it the files this page already loaded, so they are cached
 * too. When that cannot be done (offline, the worker's update check fails) the answer is what the
 * cache really holds: a page reloaded offline from its copy is ready, not "could not be set up".
 */
export async function prepareOfflineCopy(voices: string[] = []): Promise<OfflineCopy> {
  if (!window.isSecureContext) return "not-secure";
  if (!("serviceWorker" in navigator) || !("caches" in window)) return "unsupported";
  // The survey's recorded voices are part of the copy: a respondent offline must hear them too.
  const urls = [...pageFiles(), ...voices.map((v) => new URL(v, location.origin).href)];
  try {
    if (await sendToWorker(urls)) return "ready";
  } catch (e) {
    console.warn("The offline worker could not be updated", e);
  }
  return (await holdsCopy(urls)) ? "ready" : "failed";
}

/** Fetches a newer survey version's voices into the copy ahead of its use (nothing else is pruned). */
export async function cacheVoices(voices: string[]): Promise<boolean> {
  if (!window.isSecureContext || !("serviceWorker" in navigator) || voices.length === 0) return false;
  try {
    return await sendToWorker(voices.map((v) => new URL(v, location.origin).href), false);
  } catch {
    return false;
  }
}

async function sendToWorker(urls: string[], prune = true): Promise<boolean> {
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const reg = await navigator.serviceWorker.ready;
  const worker = reg.active;
  if (!worker) return false;
  return await new Promise<boolean>((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 15_000);
    channel.port1.onmessage = (e) => {
      clearTimeout(timer);
      resolve(Boolean((e.data as { ok?: boolean })?.ok));
    };
    worker.postMessage({ type: "cache-urls", urls, prune }, [channel.port2]);
  });
}

/** An active worker, and the page and its hashed files in its cache. */
async function holdsCopy(urls: string[]): Promise<boolean> {
  try {
    const reg = await navigator.serviceWorker.getRegistration("/");
    if (!reg?.active) return false;
    const needed = urls.filter((u) => u === urls[0] || new URL(u).pathname.startsWith("/assets/") || /\/voices\/[0-9a-f]{32}$/.test(u));
    for (const u of needed) if (!(await caches.match(u, { ignoreVary: true }))) return false;
    return true;
  } catch {
    return false;
  }
}
