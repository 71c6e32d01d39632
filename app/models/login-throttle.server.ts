// Sign-in throttling per account and per network address, kept in the database so it holds across
// restarts, parallel requests and several server processes on one database.
//
// Every attempt is written first, as a failure, and only then are the failures counted: of any number
// of parallel attempts, the k-th to be stored sees at least k failures, so no more than the limit ever
// reach the password check (a read-then-write check lets them all through). The limits are nested
// windows, so a guesser who waits out the first pause meets a longer one (backoff).
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
 * Milliseconds until the other failures `others` (oldest first) leave room under every limit for one
 * more attempt, or 0 when they already do.
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

async function failureTimes(db: Kysely<Database>, column: "email" | "address", value: string, since: string, ownId: number) {
  const rows = await db
    .selectFrom("login_attempts")
    .select(["id", "at"])
    .where(column, "=", value)
    .where("succeeded", "=", 0)
    .where("at", ">", since)
    .orderBy("at", "asc")
    .orderBy("id", "asc")
    .execute();
  // Every other stored attempt counts, even one stored a moment after this one (its number may have
  // been drawn earlier on PostgreSQL): counting too many in a race refuses a guess, never admits one.
  return rows.filter((r) => Number(r.id) !== ownId).map((r) => Date.parse(r.at));
}

/**
 * Stores the attempt (as a failure until it succeeds), then decides whether it may check the password.
 * A refused attempt is removed again: it never reached the password, and keeping it would let anyone
 * who knows an email address keep its owner locked out for ever.
 */
export async function beginAttempt(db: Kysely<Database>, email: string, address: string): Promise<AttemptTicket> {
  const now = Date.now();
  const stored = await db
    .insertInto("login_attempts")
    .values({ email, address, succeeded: 0, at: new Date(now).toISOString() })
    .returning("id")
    .executeTakeFirstOrThrow();
  const attemptId = Number(stored.id);
  const since = new Date(now - LOOKBACK_MINUTES * MINUTE).toISOString();
  const [byEmail, byAddress] = await Promise.all([
    failureTimes(db, "email", email, since, attemptId),
    failureTimes(db, "address", address, since, attemptId),
  ]);
  const wait = Math.max(waitFor(byEmail, ACCOUNT_LIMITS, now), waitFor(byAddress, ADDRESS_LIMITS, now));
  if (wait === 0) return { allowed: true, attemptId };
  await db.deleteFrom("login_attempts").where("id", "=", attemptId).execute();
  return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil(wait / MINUTE)) };
}

/** The password was right: the attempt is a success, and the account's failures are forgiven. */
export async function attemptSucceeded(db: Kysely<Database>, attemptId: number, email: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("login_attempts").set({ succeeded: 1, at: nowIso() }).where("id", "=", attemptId).execute();
    // The address keeps its count: one right password does not excuse guesses at other accounts.
    await trx.deleteFrom("login_attempts").where("email", "=", email).where("succeeded", "=", 0).execute();
  });
}
