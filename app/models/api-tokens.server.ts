// Personal API tokens: shown once at creation, stored as a SHA-256 hash, revocable.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { newId, nowIso } from "~db/portable";
import { randomToken, sha256 } from "./sessions.server";
import type { Viewer } from "./viewer";

export const TOKEN_PREFIX = "sps_";

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function createApiToken(
  db: Kysely<Database>,
  userId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomToken(32);
  const id = newId();
  await db
    .insertInto("api_tokens")
    .values({
      id,
      user_id: userId,
      name: name.trim() || "API token",
      token_hash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenSummary[]> {
  const rows = await db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one of the user's own tokens; returns false when there was none to revoke. */
export async function revokeApiToken(db: Kysely<Database>, userId: string, tokenId: string): Promise<boolean> {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: nowIso() })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The active user a bearer token belongs to, or null for an unknown, revoked or deactivated one. */
export async function viewerForApiToken(db: Kysely<Database>, token: string): Promise<Viewer | null> {
  const hash = sha256(token);
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id as token_id", "api_tokens.last_used_at", "users.id", "users.email", "users.display_name", "users.is_admin"])
    .where("api_tokens.token_hash", "=", hash)
    .where("api_tokens.revoked_at", "is", null)
    .where("users.active", "=", 1)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable("api_tokens").set({ last_used_at: nowIso() }).where("id", "=", row.token_id).execute();
  }
  return { id: row.id, email: row.email, displayName: row.display_name, isAdmin: Number(row.is_admin) === 1 };
}
