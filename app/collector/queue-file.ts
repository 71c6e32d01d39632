// "Save queue to file": the unsent responses, sessions and refusals as one JSON file whose keys are
// exactly the sync API bodies ({"responses":[…]} for /responses, sessions and refusals for /sessions),
// so a tablet that never sees a network can hand its queue over and the server imports it idempotently.
// Responses are in the file exactly as in the outbox, sealed: the file holds no answer in clear.
import * as store from "./store";
import type { QueueFile } from "./types";

export async function queueFile(token: string): Promise<QueueFile> {
  const [responses, sessions, refusals, bundle] = await Promise.all([store.queuedResponses(token), store.listSessions(token), store.pendingRefusals(token), store.loadBundle(token)]);
  return {
    ...(bundle?.link.id ? { link: { id: bundle.link.id, label: bundle.link.label } } : {}),
    responses: responses.map((r) => r.sealed),
    // Every session of this link, not only unsent ones: the server keeps the newest by updatedAt.
    sessions: sessions.map((s) => s.session),
    refusals: refusals.map((r) => r.refusal),
  };
}

/**
 * The same format for the responses the server did not accept, still sealed, each with the server's
 * message beside it, so the programme can look into them (and re-import them) on the server.
 */
export async function attentionFile(token: string): Promise<QueueFile & { notAccepted: { id: string; status: string; errors: { path: string; message: string }[] }[] }> {
  const items = await store.listAttention(token);
  return {
    responses: items.map((a) => a.sealed),
    sessions: [],
    refusals: [],
    notAccepted: items.map((a) => ({ id: a.id, status: a.status, errors: a.errors })),
  };
}

export async function downloadQueue(token: string, label: string, which: "queue" | "attention" = "queue"): Promise<number> {
  const file = which === "queue" ? await queueFile(token) : await attentionFile(token);
  const blob = new Blob([JSON.stringify(file, null, 1)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  const safe = label.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").slice(0, 40) || "link";
  a.href = url;
  a.download = `queue-${safe}-${new Date().toISOString().slice(0, 16).replace(/:/g, "")}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file.responses.length;
}
