// Sign-in throttling per account and per network address, kept in the database so it holds across
// restarts, parallel requests and several server processes on one database.
//
// Every attempt is counted, and stored as a failure, before its password is checked, one attempt per
// account and address at a time: no more than the limit ever reach the password check, however many
// arrive at once (a check that reads the count, verifies, then writes lets them all through). The
// limits are nested windows, so a guesser who waits out the first pause meets a longer one (backoff).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";

const MINUTE = 60_000;

export interface ThrottleLimit {
  /** At most `max` failed attempts in the last `minutes`. */
  max: number;
  minutes: number;
}

/** Per account: 5 in 15 minutes, 10 in an hour, 20 in a day. */
export const ACCOUNT_LIMITS: ThrottleLimit[] = [
  { max: 5, minutes: 15 },
  { max: 10, minutes: 60 },
  { max: 20, minutes: 24 * 60 },
];
/** Per network address (an office behind one router shares it): 20 in 15 minutes, 100 in a day. */
export const ADDRESS_LIMITS: ThrottleLimit[] = [
  { max: 20, minutes: 15 },
  { max: 100, minutes: 24 * 60 },
];
const LOOKBACK_MINUTES = 24 * 60;

export type AttemptTicket =
  | { allowed: true; attemptId: number }
  | { allowed: false; retryAfterMinutes: number };

/**
 * Milliseconds until the stored failures `others` (oldest first) leave room under every limit for
 * one more attempt, or 0 when they already do.
 */
export function waitFor(others: number[], limits: ThrottleLimit[], now: number): number {
  let wait = 0;
  for (const { max, minutes } of limits) {
    const windowMs = minutes * MINUTE;
    const inWindow = others.filter((t) => t > now - windowMs);
    if (inWindow.length < max) continue;
    // The attempt may go once enough of the oldest failures have left the window.
    const leaving = inWindow[inWindow.length - max];
    wait = Math.max(wait, leaving + windowMs - now);
  }
  return wait;
}

async function failureTimes(db: Kysely<Database>, column: "email" | "address", value: string, since: string) {
  const rows = await db
    .selectFrom("login_attempts")
    .select("at")
    .where(column, "=", value)
    .where("succeeded", "=", 0)
    .where("at", ">", since)
    .orderBy("at", "asc")
    .execute();
  return rows.map((r) => Date.parse(r.at));
}

/**
 * Decides whether an attempt may check the password, and if so stores it (as a failure until it
 * succeeds) before answering. The decision and the write happen while holding the account's and the
 * address's rows in login_throttle_keys (an upsert locks the row on PostgreSQL; SQLite lets one writer
 * at a time), so parallel attempts, in this process or another, are decided one after another.
 * A refused attempt is not stored: it never reached the password, and storing it would let anyone who
 * knows an email address keep its owner locked out for ever.
 */
export async function beginAttempt(db: Kysely<Database>, email: string, address: string): Promise<AttemptTicket> {
  return db.transaction().execute(async (trx) => {
    const at = nowIso();
    // Always in the same order, so two attempts never wait for each other's second key.
    for (const key of [`address ${address}`, `email ${email}`].sort())
      await trx
        .insertInto("login_throttle_keys")
        .values({ key, at })
        .onConflict((oc) => oc.column("key").doUpdateSet({ at }))
        .execute();
    const now = Date.parse(at);
    const since = new Date(now - LOOKBACK_MINUTES * MINUTE).toISOString();
    const byEmail = await failureTimes(trx, "email", email, since);
    const byAddress = await failureTimes(trx, "address", address, since);
    const wait = Math.max(waitFor(byEmail, ACCOUNT_LIMITS, now), waitFor(byAddress, ADDRESS_LIMITS, now));
    if (wait > 0) return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil(wait / MINUTE)) } as const;
    const stored = await trx
      .insertInto("login_attempts")
      .values({ email, address, succeeded: 0, at })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { allowed: true, attemptId: Number(stored.id) } as const;
  });
}

/** The password was right: the attempt is a success, and the account's failures are forgiven. */
export async function attemptSucceeded(db: Kysely<Database>, attemptId: number, email: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("login_attempts").set({ succeeded: 1, at: nowIso() }).where("id", "=", attemptId).execute();
    // The address keeps its count: one right password does not excuse guesses at other accounts.
    await trx.deleteFrom("login_attempts").where("email", "=", email).where("succeeded", "=", 0).execute();
  });
}
