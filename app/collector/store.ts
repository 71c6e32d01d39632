// The device's own copy of everything the collector needs, in IndexedDB: link bundles, survey
// definitions per version, the outbox of responses, sessions, refusals, what needs attention, and a
// kiosk's arming and PIN lock. Responses are stored sealed (seal.ts): nothing here holds an answer
// in clear. Writes resolve only once their transaction has completed, so "saved" means saved.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { sealResponse, type SealedItem, type SealingKey } from "./seal";
import type { PinLock } from "./pin-lock";
import type { LinkBundle, OutgoingRefusal, OutgoingResponse, OutgoingSession } from "./types";

export interface StoredSession {
  id: string;
  token: string;
  session: OutgoingSession;
  /** Changed since the server last acknowledged it. */
  dirty: boolean;
  active: boolean;
}

export interface AttentionItem {
  id: string;
  token: string;
  /** Still sealed: the server's message says what was wrong; the tablet never opens it. */
  sealed: SealedItem;
  status: "conflict" | "rejected";
  errors: { path: string; message: string }[];
  at: string;
}

export interface LinkMeta {
  token: string;
  sent: number;
  lastSyncAt: string | null;
}

/** A kiosk link's PIN check value, given to this tablet when a facilitator armed it. */
export interface Arming {
  token: string;
  kioskPin: string;
  armedAt: string;
  /** The name the facilitator gave this tablet when arming it ("Tablet 3"); absent on tablets armed before names. */
  deviceName?: string;
  /** Who armed it, and the programme's facilitators a session can be recorded as run by. */
  armedBy?: { id: string; name: string };
  facilitators?: { id: string; name: string }[];
}

export interface OutboxItem {
  id: string;
  token: string;
  sealed: SealedItem;
  queuedAt: string;
}

interface CollectorDB extends DBSchema {
  bundles: { key: string; value: { token: string; bundle: Omit<LinkBundle, "survey"> & { survey: { id: string; version: number } }; savedAt: string } };
  definitions: { key: [string, number]; value: { surveyId: string; version: number; definition: LinkBundle["survey"]["definition"] } };
  outbox: { key: string; value: OutboxItem; indexes: { token: string } };
  attention: { key: string; value: AttentionItem; indexes: { token: string } };
  sessions: { key: string; value: StoredSession; indexes: { token: string } };
  refusals: { key: string; value: { id: string; token: string; refusal: OutgoingRefusal }; indexes: { token: string } };
  meta: { key: string; value: LinkMeta };
  arming: { key: string; value: Arming };
  pinlock: { key: string; value: PinLock & { token: string } };
}

let opened: Promise<IDBPDatabase<CollectorDB>> | null = null;

export function db(): Promise<IDBPDatabase<CollectorDB>> {
  opened ??= openDB<CollectorDB>("sps-collector", 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) {
        d.createObjectStore("bundles", { keyPath: "token" });
        d.createObjectStore("definitions", { keyPath: ["surveyId", "version"] });
        d.createObjectStore("outbox", { keyPath: "id" }).createIndex("token", "token");
        d.createObjectStore("attention", { keyPath: "id" }).createIndex("token", "token");
        d.createObjectStore("sessions", { keyPath: "id" }).createIndex("token", "token");
        d.createObjectStore("refusals", { keyPath: "id" }).createIndex("token", "token");
        d.createObjectStore("meta", { keyPath: "token" });
      }
      if (oldVersion < 2) {
        d.createObjectStore("arming", { keyPath: "token" });
        d.createObjectStore("pinlock", { keyPath: "token" });
      }
    },
  });
  return opened;
}

/** Keeps the link and its survey's latest version; older versions stay for responses queued against them. */
export async function saveBundle(token: string, bundle: LinkBundle): Promise<void> {
  const d = await db();
  const tx = d.transaction(["bundles", "definitions"], "readwrite");
  const { definition, ...survey } = bundle.survey;
  // A page served from an older cache must not take the device back to an older version.
  const current = await tx.objectStore("bundles").get(token);
  if (current && current.bundle.survey.id === survey.id && current.bundle.survey.version > survey.version) {
    await tx.objectStore("bundles").put({ ...current, bundle: { ...bundle, survey: current.bundle.survey } });
    await tx.done;
    return;
  }
  await tx.objectStore("definitions").put({ surveyId: survey.id, version: survey.version, definition });
  await tx.objectStore("bundles").put({ token, bundle: { ...bundle, survey }, savedAt: new Date().toISOString() });
  await tx.done;
}

export async function loadBundle(token: string): Promise<LinkBundle | null> {
  const d = await db();
  const stored = await d.get("bundles", token);
  if (!stored) return null;
  const def = await d.get("definitions", [stored.bundle.survey.id, stored.bundle.survey.version]);
  if (!def) return null;
  return { ...stored.bundle, survey: { ...stored.bundle.survey, definition: def.definition } };
}

/**
 * Seals the response to the programme's key and resolves only after it is durably in the outbox: the
 * thank-you screen waits for this. The plain response is never written to the device — except when
 * the device has no key yet (a bundle saved by a page from before sealing, and no network since): then
 * losing the answers would be worse, so it waits in clear until sealLeftovers has a key.
 */
export async function queueResponse(token: string, key: SealingKey | undefined, response: OutgoingResponse): Promise<void> {
  const d = await db();
  const tx = d.transaction("outbox", "readwrite");
  const queuedAt = new Date().toISOString();
  await tx.store.put(key ? { id: response.id, token, sealed: sealResponse(key, response), queuedAt } : ({ id: response.id, token, response, queuedAt } as never));
  await tx.done;
}

/**
 * Responses left in clear (by a version of this page from before sealing, or queued before the device
 * had a key) are sealed in place, in the outbox and under needs attention.
 */
export async function sealLeftovers(token: string, key: SealingKey): Promise<number> {
  const d = await db();
  const tx = d.transaction(["outbox", "attention"], "readwrite");
  let n = 0;
  for (const name of ["outbox", "attention"] as const) {
    const store = tx.objectStore(name);
    for (const item of await store.index("token").getAll(token)) {
      const legacy = item as unknown as { response?: OutgoingResponse };
      if (!legacy.response) continue;
      const { response, ...rest } = legacy as { response: OutgoingResponse } & Record<string, unknown>;
      await store.put({ ...(rest as object), sealed: sealResponse(key, response) } as never);
      n += 1;
    }
  }
  await tx.done;
  return n;
}

export async function queueRefusal(token: string, refusal: OutgoingRefusal): Promise<void> {
  const d = await db();
  const tx = d.transaction("refusals", "readwrite");
  await tx.store.put({ id: refusal.id, token, refusal });
  await tx.done;
}

export async function saveSession(token: string, session: OutgoingSession, active: boolean): Promise<void> {
  const d = await db();
  const tx = d.transaction("sessions", "readwrite");
  await tx.store.put({ id: session.id, token, session, dirty: true, active });
  await tx.done;
}

export async function listSessions(token: string): Promise<StoredSession[]> {
  const d = await db();
  const all = await d.getAllFromIndex("sessions", "token", token);
  return all.sort((a, b) => (a.session.updatedAt < b.session.updatedAt ? 1 : -1));
}

export async function queuedResponses(token: string, limit?: number) {
  const d = await db();
  return d.getAllFromIndex("outbox", "token", token, limit);
}

export async function pendingRefusals(token: string) {
  const d = await db();
  return d.getAllFromIndex("refusals", "token", token);
}

export interface Counts {
  queued: number;
  attention: number;
  sent: number;
  /** Sessions and refusals not yet acknowledged by the server. */
  otherPending: number;
}

export async function counts(token: string): Promise<Counts> {
  const d = await db();
  const [queued, attention, meta, refusals, sessions] = await Promise.all([
    d.countFromIndex("outbox", "token", token),
    d.countFromIndex("attention", "token", token),
    d.get("meta", token),
    d.countFromIndex("refusals", "token", token),
    d.getAllFromIndex("sessions", "token", token),
  ]);
  return { queued, attention, sent: meta?.sent ?? 0, otherPending: refusals + sessions.filter((s) => s.dirty).length };
}

export async function listAttention(token: string): Promise<AttentionItem[]> {
  const d = await db();
  return d.getAllFromIndex("attention", "token", token);
}

/**
 * Applies one batch's results in a single transaction: created/duplicate leave the outbox and count
 * as sent; conflict/rejected move to "needs attention" with the server's errors — never dropped.
 */
export async function settleResponses(
  token: string,
  results: { id: string; status: string; errors?: { path: string; message: string }[] }[],
): Promise<void> {
  const d = await db();
  const tx = d.transaction(["outbox", "attention", "meta"], "readwrite");
  const outbox = tx.objectStore("outbox");
  const meta = (await tx.objectStore("meta").get(token)) ?? { token, sent: 0, lastSyncAt: null };
  const at = new Date().toISOString();
  for (const r of results) {
    const item = await outbox.get(r.id);
    if (!item) continue;
    if (r.status === "created" || r.status === "duplicate") {
      meta.sent += 1;
      await outbox.delete(r.id);
    } else if (r.status === "conflict" || r.status === "rejected") {
      // Whatever form it was queued in (sealed, or in clear before the device had a key) moves as it is.
      const kept: Record<string, unknown> = { ...item };
      delete kept.queuedAt;
      await tx.objectStore("attention").put({ ...kept, id: r.id, token, status: r.status, errors: r.errors ?? [], at } as AttentionItem);
      await outbox.delete(r.id);
    }
  }
  meta.lastSyncAt = at;
  await tx.objectStore("meta").put(meta);
  await tx.done;
}

/** Marks sessions acknowledged unless they changed while the request was on its way; drops sent refusals. */
export async function settleSessions(token: string, sentSessions: OutgoingSession[], sentRefusals: string[]): Promise<void> {
  const d = await db();
  const tx = d.transaction(["sessions", "refusals"], "readwrite");
  for (const s of sentSessions) {
    const stored = await tx.objectStore("sessions").get(s.id);
    if (stored && stored.session.updatedAt === s.updatedAt) await tx.objectStore("sessions").put({ ...stored, dirty: false });
  }
  for (const id of sentRefusals) await tx.objectStore("refusals").delete(id);
  await tx.done;
}

export async function loadArming(token: string): Promise<Arming | null> {
  return (await (await db()).get("arming", token)) ?? null;
}

export async function saveArming(arming: Arming): Promise<void> {
  const d = await db();
  const tx = d.transaction("arming", "readwrite");
  await tx.store.put(arming);
  await tx.done;
}

/** The PIN lock survives reloads: a reload must not give a guesser fresh tries. */
export async function loadPinLock(token: string): Promise<PinLock | null> {
  const stored = await (await db()).get("pinlock", token);
  if (!stored) return null;
  return { failures: stored.failures, lockedUntil: stored.lockedUntil };
}

export async function savePinLock(token: string, lock: PinLock): Promise<void> {
  const d = await db();
  const tx = d.transaction("pinlock", "readwrite");
  await tx.store.put({ ...lock, token });
  await tx.done;
}
