// Personal API tokens: shown once at creation, stored as a SHA-256 hash, revocable, with a scope
// (what they may do) and an expiry chosen when made.
import { bestEffort } from "~/server/failures";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { isoIn, newId, nowIso } from "~db/portable";
import { DEFAULT_TOKEN_DAYS, parseScopes, type ApiScope } from "./api-scopes";
import { randomToken, sha256 } from "./sessions.server";
import type { Viewer } from "./viewer";

export const TOKEN_PREFIX = "sps_";
const DAY = 24 * 60 * 60 * 1000;

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function createApiToken(
  db: Kysely<Database>,
  userId: string,
  name: string,
  options: { scopes?: ApiScope[]; days?: number } = {},
): Promise<{ id: string; token: string; scopes: ApiScope[]; expiresAt: string }> {
  const token = TOKEN_PREFIX + randomToken(32);
  const id = newId();
  const scopes = options.scopes?.length ? [...new Set(options.scopes)] : (["aggregates"] as ApiScope[]);
  const expiresAt = isoIn((options.days ?? DEFAULT_TOKEN_DAYS) * DAY);
  await db
    .insertInto("api_tokens")
    .values({
      id,
      user_id: userId,
      name: name.trim() || "API token",
      token_hash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes: scopes.join(" "),
      created_at: nowIso(),
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, token, scopes, expiresAt };
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
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
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

export type TokenCheck =
  | { status: "ok"; viewer: Viewer; scopes: ApiScope[] }
  | { status: "unknown" }
  | { status: "expired"; expiredAt: string };

/** What a bearer token is: an active user's live token with its scopes, expired, or unknown (revoked, deactivated). */
export async function checkApiToken(db: Kysely<Database>, token: string): Promise<TokenCheck> {
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as token_id",
      "api_tokens.last_used_at",
      "api_tokens.expires_at",
      "api_tokens.scopes",
      "users.id",
      "users.email",
      "users.display_name",
      "users.is_admin",
    ])
    .where("api_tokens.token_hash", "=", sha256(token))
    .where("api_tokens.revoked_at", "is", null)
    .where("users.active", "=", 1)
    .executeTakeFirst();
  if (!row) return { status: "unknown" };
  if (row.expires_at && row.expires_at <= nowIso()) return { status: "expired", expiredAt: row.expires_at };
  if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) {
    await bestEffort(db.updateTable("api_tokens").set({ last_used_at: nowIso() }).where("id", "=", row.token_id).execute());
  }
  return {
    status: "ok",
    scopes: parseScopes(row.scopes),
    viewer: { id: row.id, email: row.email, displayName: row.display_name, isAdmin: Number(row.is_admin) === 1 },
  };
}

/** The active user a live bearer token belongs to, or null for an unknown, revoked, expired or deactivated one. */
export async function viewerForApiToken(db: Kysely<Database>, token: string): Promise<Viewer | null> {
  const found = await checkApiToken(db, token);
  return found.status === "ok" ? found.viewer : null;
}
