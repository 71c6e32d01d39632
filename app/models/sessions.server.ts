// Sign-in sessions stored in the database, so logout and deactivation end them at once.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { isoIn, nowIso } from "~db/portable";
import type { Viewer } from "./viewer";

export const SESSION_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;

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
      expires_at: isoIn(SESSION_DAYS * DAY),
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
      "users.id",
      "users.email",
      "users.display_name",
      "users.is_admin",
    ])
    .where("sessions.id", "=", id)
    .where("sessions.expires_at", ">", nowIso())
    .where("users.active", "=", 1)
    .executeTakeFirst();
  if (!row) return null;
  // Sliding expiry, written at most once an hour.
  if (Date.now() - Date.parse(row.last_seen_at) > 60 * 60 * 1000) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: nowIso(), expires_at: isoIn(SESSION_DAYS * DAY) })
      .where("id", "=", id)
      .execute();
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
