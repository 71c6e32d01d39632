// Sign-in sessions stored in the database, so logout and deactivation end them at once. A session
// ends after 12 hours without use and, however busy, 7 days after sign-in (OWASP ASVS 3.3).
import { bestEffort } from "~/server/failures";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import type { Viewer } from "./viewer";

const HOUR = 60 * 60 * 1000;
export const SESSION_IDLE_MS = 12 * HOUR;
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
/** The cookie lives as long as the session can: the server ends it earlier when it lies idle. */
export const SESSION_COOKIE_MAX_AGE_SECONDS = SESSION_ABSOLUTE_MS / 1000;
/** How stale the recorded last use may get before it is written again (one write per session per few minutes). */
const TOUCH_AFTER_MS = 5 * 60 * 1000;

/** When a session created at `createdAt` and last used at `lastSeenAt` ends. */
export const sessionEnds = (createdAt: string, lastSeenAt: string): string =>
  new Date(Math.min(Date.parse(createdAt) + SESSION_ABSOLUTE_MS, Date.parse(lastSeenAt) + SESSION_IDLE_MS)).toISOString();

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export interface SessionInfo {
  viewer: Viewer;
  sessionId: string;
  csrfToken: string;
}

/** Creates a session and returns the cookie value (only its hash is stored). */
export async function createSession(db: Kysely<Database>, userId: string): Promise<string> {
  const cookieValue = randomToken();
  const now = nowIso();
  await db
    .insertInto("sessions")
    .values({
      id: sha256(cookieValue),
      user_id: userId,
      csrf_token: randomToken(24),
      created_at: now,
      last_seen_at: now,
      expires_at: sessionEnds(now, now),
    })
    .execute();
  return cookieValue;
}

export async function findSession(db: Kysely<Database>, cookieValue: string): Promise<SessionInfo | null> {
  const id = sha256(cookieValue);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.last_seen_at",
      "sessions.created_at",
      "users.id",
      "users.email",
      "users.display_name",
      "users.is_admin",
    ])
    .where("sessions.id", "=", id)
    .where("sessions.expires_at", ">", nowIso())
    // Also checked here, so sessions written under the old 14-day sliding rule meet the new limits.
    .where("sessions.last_seen_at", ">", new Date(Date.now() - SESSION_IDLE_MS).toISOString())
    .where("sessions.created_at", ">", new Date(Date.now() - SESSION_ABSOLUTE_MS).toISOString())
    .where("users.active", "=", 1)
    .executeTakeFirst();
  if (!row) return null;
  // The idle limit slides with use, never past the absolute one.
  if (Date.now() - Date.parse(row.last_seen_at) > TOUCH_AFTER_MS) {
    const now = nowIso();
    await bestEffort(
      db
        .updateTable("sessions")
        .set({ last_seen_at: now, expires_at: sessionEnds(row.created_at, now) })
        .where("id", "=", id)
        .execute(),
    );
  }
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    viewer: {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      isAdmin: Number(row.is_admin) === 1,
    },
  };
}

export async function deleteSession(db: Kysely<Database>, cookieValue: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sha256(cookieValue)).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", nowIso()).execute();
}
