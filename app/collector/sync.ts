// Sends the device's outbox to the sync API: sessions and refusals first (responses point at them),
// then responses in batches of 100. Every outcome keeps the data safe: only created/duplicate leave
// the queue; conflicts and rejections move to "needs attention"; network trouble waits for a retry.
// Responses go as they are kept, sealed ({"id","sealed":{…}}): only the server opens them.
import * as store from "./store";

export const BATCH = 100;

export type SyncOutcome =
  | { kind: "done" }
  | { kind: "nothing" }
  | { kind: "offline" }
  /** 429 or a server error: try again after `retryAfterMs`. */
  | { kind: "retry"; retryAfterMs: number; message: string }
  /** 401/410 (unknown, revoked, expired link; closed survey) or a refused body: the facilitator must act. */
  | { kind: "link-problem"; status: number; message: string };

let running: Promise<SyncOutcome> | null = null;

/** One sync at a time per page; a second call while one runs waits for the same one. */
export function syncNow(token: string): Promise<SyncOutcome> {
  running ??= syncOnce(token).finally(() => {
    running = null;
  });
  return running;
}

async function post(url: string, body: unknown): Promise<Response | null> {
  try {
    return await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" });
  } catch {
    return null;
  }
}

async function problem(res: Response): Promise<SyncOutcome> {
  let message = `The server answered ${res.status}.`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    message = body.error?.message ?? message;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  if (res.status === 429 || res.status >= 500) {
    const after = Number(res.headers.get("Retry-After"));
    return { kind: "retry", retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : 30_000, message };
  }
  return { kind: "link-problem", status: res.status, message };
}

async function syncOnce(token: string): Promise<SyncOutcome> {
  const base = `/api/v1/links/${encodeURIComponent(token)}`;
  let sentSomething = false;

  const sessions = (await store.listSessions(token)).filter((s) => s.dirty).map((s) => s.session);
  const refusals = (await store.pendingRefusals(token)).map((r) => r.refusal);
  if (sessions.length || refusals.length) {
    const res = await post(`${base}/sessions`, { sessions, refusals });
    if (!res) return { kind: "offline" };
    if (!res.ok) return problem(res);
    await store.settleSessions(token, sessions, refusals.map((r) => r.id));
    sentSomething = true;
  }

  for (;;) {
    const batch = await store.queuedResponses(token, BATCH);
    if (batch.length === 0) break;
    // A response queued in clear (no key on the device yet) goes plain, as the API also takes it.
    const responses = batch.map((b) => b.sealed ?? (b as unknown as { response: unknown }).response);
    const res = await post(`${base}/responses`, { responses });
    if (!res) return { kind: "offline" };
    if (!res.ok) return problem(res);
    const body = (await res.json()) as { results: { id: string; status: string; errors?: { path: string; message: string }[] }[] };
    await store.settleResponses(token, body.results);
    sentSomething = true;
    // A batch the server settled none of would loop forever; stop and let the timer try later.
    if (!body.results.some((r) => ["created", "duplicate", "conflict", "rejected"].includes(r.status))) break;
  }
  return sentSomething ? { kind: "done" } : { kind: "nothing" };
}
