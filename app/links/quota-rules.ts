// The rules of response quotas on collection links, without I/O: which minute and day a moment
// falls in, how long to wait, and which part of a client's address counts as "one address".

/** Responses one address may send through one link per minute and per UTC day (0: no limit). */
export interface QuotaLimits {
  perMinute: number;
  perDay: number;
}

/**
 * Generous for real collection, tight for a flood: a kiosk tablet syncs a day's 60 responses (or
 * a week's few hundred, 100 per request) at once; a whole village answering on its phones through
 * one carrier NAT address sends a few hundred a day. 80,000 in ten seconds is refused after 1,000.
 */
export const DEFAULT_QUOTA_LIMITS: QuotaLimits = { perMinute: 1_000, perDay: 3_000 };

/** New community (own-phone) links start with this response cap; the facilitator may change it. */
export const DEFAULT_COMMUNITY_CAP = 2_000;

/** How long a facilitator's "lift the limits" lasts. */
export const LIFT_HOURS = 24;

/** A day's refusal makes a tablet retry at least this often, so a lift is picked up soon. */
export const MAX_RETRY_AFTER_SECONDS = 15 * 60;

export type QuotaSpan = "minute" | "day";

/** A limit from the environment: a whole number ≥ 0, else the default. */
export function limitFrom(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** The starts of the minute and of the UTC day containing `now`, as stored (ISO-8601 UTC). */
export function windowsAt(now: number): { minute: string; day: string; dayKey: string } {
  const minute = new Date(now - (now % 60_000)).toISOString();
  const dayKey = minute.slice(0, 10);
  return { minute, day: `${dayKey}T00:00:00.000Z`, dayKey };
}

/** Seconds until the refused window is over (a day's capped so tablets ask again in a while). */
export function retryAfterSeconds(span: QuotaSpan, now: number): number {
  if (span === "minute") return Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));
  const untilMidnight = Math.ceil((86_400_000 - (now % 86_400_000)) / 1000);
  return Math.max(1, Math.min(untilMidnight, MAX_RETRY_AFTER_SECONDS));
}

/**
 * The part of an address that names one client: an IPv4 address as it is (IPv4-mapped IPv6
 * included), an IPv6 address by its /64 network, which one home or phone is usually given whole —
 * otherwise one phone could take a fresh address for every request.
 */
export function addressScope(address: string): string {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(":")) return a;
  const [head, tail = ""] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return a;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
