// Sign-in throttling per account and per network address, kept in the database so it holds across
// restarts and processes.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";

export const THROTTLE_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export interface ThrottleState {
  blocked: boolean;
  /** Minutes until the oldest counted failure leaves the window. */
  retryAfterMinutes: number;
}

async function failuresSince(db: Kysely<Database>, column: "email" | "address", value: string, since: string) {
  const rows = await db
    .selectFrom("login_attempts")
    .select("at")
    .where(column, "=", value)
    .where("succeeded", "=", 0)
    .where("at", ">", since)
    .orderBy("at", "asc")
    .execute();
  return rows.map((r) => r.at);
}

export async function checkThrottle(db: Kysely<Database>, email: string, address: string): Promise<ThrottleState> {
  const windowMs = THROTTLE_WINDOW_MINUTES * 60_000;
  const since = new Date(Date.now() - windowMs).toISOString();
  const [byEmail, byAddress] = await Promise.all([
    failuresSince(db, "email", email, since),
    failuresSince(db, "address", address, since),
  ]);
  const over = (list: string[], max: number) => (list.length >= max ? list[list.length - max] : null);
  const oldest = [over(byEmail, MAX_FAILURES_PER_ACCOUNT), over(byAddress, MAX_FAILURES_PER_ADDRESS)]
    .filter((x): x is string => x !== null)
    .sort()
    .pop();
  if (!oldest) return { blocked: false, retryAfterMinutes: 0 };
  const retryMs = Date.parse(oldest) + windowMs - Date.now();
  return { blocked: true, retryAfterMinutes: Math.max(1, Math.ceil(retryMs / 60_000)) };
}

export async function recordAttempt(
  db: Kysely<Database>,
  email: string,
  address: string,
  succeeded: boolean,
): Promise<void> {
  await db.insertInto("login_attempts").values({ email, address, succeeded: succeeded ? 1 : 0, at: nowIso() }).execute();
  if (succeeded) {
    // A successful sign-in clears the account's failures; the address keeps its count.
    await db.deleteFrom("login_attempts").where("email", "=", email).where("succeeded", "=", 0).execute();
  }
}
