// Small device facts and helpers: ids that work outside secure contexts, today's date, the kiosk
// PIN check (PBKDF2 with the server's parameters, so it works offline), persistence, the offline worker.

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

/** Same as hashPin on the server: PBKDF2-SHA256, 100 000 iterations, 32 bytes, salt = the hex text. */
export const PIN_ITERATIONS = 100_000;

export async function checkPin(stored: string, pin: string): Promise<boolean> {
  const [salt, hash] = stored.split(":");
  if (!salt || !hash) return false;
  const enc = new TextEncoder();
  let bytes: Uint8Array;
  if (crypto.subtle) {
    const key = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveBits"]);
    bytes = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode(salt), iterations: PIN_ITERATIONS }, key, 256));
  } else {
    // Plain http on a LAN: no WebCrypto, so the same function in JavaScript (loaded only then).
    const { pbkdf2Sha256 } = await import("./pbkdf2");
    bytes = pbkdf2Sha256(enc.encode(pin), enc.encode(salt), PIN_ITERATIONS);
  }
  const hex = [...bytes].map((x) => x.toString(16).padStart(2, "0")).join("");
  // Constant-time enough for a local check: compare every character.
  let diff = hex.length ^ hash.length;
  for (let i = 0; i < Math.min(hex.length, hash.length); i++) diff |= hex.charCodeAt(i) ^ hash.charCodeAt(i);
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

/** Registers the service worker and hands it the files this page already loaded, so they are cached too. */
export async function registerWorker(): Promise<boolean> {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return false;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const reg = await navigator.serviceWorker.ready;
    const worker = reg.active;
    if (!worker) return false;
    const urls = [
      location.href,
      ...performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((u) => u.startsWith(location.origin)),
    ];
    return await new Promise<boolean>((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(false), 15_000);
      channel.port1.onmessage = (e) => {
        clearTimeout(timer);
        resolve(Boolean((e.data as { ok?: boolean })?.ok));
      };
      worker.postMessage({ type: "cache-urls", urls }, [channel.port2]);
    });
  } catch (e) {
    console.error("The offline worker could not start", e);
    return false;
  }
}
