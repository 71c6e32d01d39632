// Programme keys for sealed responses: one current X25519 key pair per programme, made on first need.
// The public half goes to tablets in the link bundle; the private half stays in this table and is
// used only here, to open what tablets sealed (at sync and when a queue file is imported).
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import { isSealedItem, newKeyPair, openSealed, SealError, toBase64url, type SealingKey } from "~/collector/seal";
import type { IngestResult } from "./response-checks";

/** The programme's current public key, made now if it has none (two first requests at once agree on one). */
export async function programmeSealingKey(db: Kysely<Database>, programmeId: string): Promise<SealingKey> {
  const current = () =>
    db
      .selectFrom("programme_keys")
      .select(["kid", "public_key"])
      .where("programme_id", "=", programmeId)
      .where("retired_at", "is", null)
      .executeTakeFirst();
  let row = await current();
  if (!row) {
    const pair = newKeyPair();
    // The key id is derived from the public key, so anyone can check which key a kid names.
    const kid = toBase64url(createHash("sha256").update(pair.publicKey).digest()).slice(0, 16);
    // The unique index on the current key makes a concurrent second insert a no-op; both then read the winner.
    await db
      .insertInto("programme_keys")
      .values({ kid, programme_id: programmeId, public_key: pair.publicKey, private_key: pair.privateKey, created_at: nowIso(), retired_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    row = await current();
  }
  return { kid: row!.kid, publicKey: row!.public_key };
}

/** The outcome of opening one item: the plain response to check and store, or why it was refused. */
export type Opened = { plain: unknown } | { rejected: IngestResult };

/**
 * Turns each sealed item ({"id","sealed":{…}}) of a batch into the plain response inside it, with the
 * programme's private keys; plain items pass through untouched. An item that does not open is
 * rejected with path "sealed". Only keys of `programmeId` are tried: a response sealed for another
 * programme does not open here.
 */
export async function openItems(db: Kysely<Database>, programmeId: string, items: unknown[]): Promise<Opened[]> {
  const kids = [...new Set(items.filter(isSealedItem).map((i) => (i.sealed as { kid?: unknown })?.kid).filter((k): k is string => typeof k === "string"))];
  const keys = new Map<string, { privateKey: string; publicKey: string }>();
  if (kids.length) {
    const rows = await db
      .selectFrom("programme_keys")
      .select(["kid", "private_key", "public_key"])
      .where("programme_id", "=", programmeId)
      .where("kid", "in", kids)
      .execute();
    for (const r of rows) keys.set(r.kid, { privateKey: r.private_key, publicKey: r.public_key });
  }
  return items.map((item): Opened => {
    if (!isSealedItem(item)) return { plain: item };
    const id = typeof item.id === "string" ? item.id : null;
    const kid = (item.sealed as { kid?: unknown })?.kid;
    const pair = typeof kid === "string" ? keys.get(kid) : undefined;
    try {
      if (!pair && typeof kid === "string") throw new SealError(`The sealed response names key "${kid}", which is not a key of this programme.`);
      return { plain: openSealed(pair?.privateKey ?? "", item, pair?.publicKey) };
    } catch (e) {
      const message = e instanceof SealError ? e.message : "The sealed response could not be opened.";
      return { rejected: { id, status: "rejected", errors: [{ path: "sealed", message }] } };
    }
  });
}

/**
 * Opens the sealed items of a batch, hands the plain responses to `ingest` (the existing checks and
 * exactly-once storing, which therefore work on the decrypted content), and puts every result back
 * in input order.
 */
export async function ingestOpened(
  db: Kysely<Database>,
  programmeId: string,
  items: unknown[],
  ingest: (plain: unknown[]) => Promise<IngestResult[]>,
): Promise<IngestResult[]> {
  const opened = await openItems(db, programmeId, items);
  const plain = opened.flatMap((o) => ("plain" in o ? [o.plain] : []));
  const stored = plain.length ? await ingest(plain) : [];
  let next = 0;
  return opened.map((o) => ("plain" in o ? stored[next++] : o.rejected));
}

/**
 * For the queue-file import: one item of a file's "responses" as the plain response to check, or
 * `{ error }` naming why a sealed one cannot be opened.
 */
export async function plainQueueItem(db: Kysely<Database>, programmeId: string, item: unknown): Promise<{ plain: unknown } | { error: { path: string; message: string } }> {
  const [o] = await openItems(db, programmeId, [item]);
  return "plain" in o ? o : { error: o.rejected.errors![0] };
}
