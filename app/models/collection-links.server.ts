// Collection links: a secret token that lets a tablet or phone submit responses to one survey, and
// nothing else. Optionally bound to a community and a round; can expire, be revoked, or be capped.
import { pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, LinkMode, SurveyStatus } from "~db/schema";
import { newId, nowIso } from "~db/portable";
import { newShortCode } from "~/links/short-code";

export interface LinkSummary {
  id: string;
  surveyId: string;
  token: string;
  mode: LinkMode;
  label: string;
  communityId: string | null;
  communityName: string | null;
  roundId: string | null;
  roundName: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  maxResponses: number | null;
  hasPin: boolean;
  /** Opens the link at /c/{shortCode}; null only for links made outside createLink. */
  shortCode: string | null;
  responseCount: number;
  createdAt: string;
}

/** A link as the ingest path sees it: enough to decide whether it may accept responses. */
export interface ResolvedLink {
  id: string;
  surveyId: string;
  programmeId: string;
  mode: LinkMode;
  label: string;
  communityId: string | null;
  roundId: string | null;
  maxResponses: number | null;
  kioskPin: string | null;
  surveyStatus: SurveyStatus;
  latestVersion: number;
  state: "active" | "revoked" | "expired";
  /** When the link was made: nothing sent through it can have been collected much before. */
  createdAt: string;
}

/**
 * Kiosk PINs are stored as "pbkdf2-sha256:<iterations>:<salt>:<hash>" so an armed tablet can check
 * them offline. 600,000 iterations (OWASP's figure for PBKDF2-SHA256) make each guess at a 6-digit PIN
 * cost as much as the tablet's own check. Links made before this keep their "salt:hash" at 100,000
 * iterations and keep working until their PIN is set again.
 */
export const PIN_ITERATIONS = 600_000;
export const LEGACY_PIN_ITERATIONS = 100_000;
export function hashPin(pin: string, iterations = PIN_ITERATIONS): string {
  const salt = randomBytes(16).toString("hex");
  const hash = pbkdf2Sync(pin, salt, iterations, 32, "sha256").toString("hex");
  return `pbkdf2-sha256:${iterations}:${salt}:${hash}`;
}
/** The parts of a stored check value, in either format; null when it is neither. */
export function pinParams(stored: string): { iterations: number; salt: string; hash: string } | null {
  const parts = stored.split(":");
  if (parts.length === 2 && parts[0] && parts[1]) return { iterations: LEGACY_PIN_ITERATIONS, salt: parts[0], hash: parts[1] };
  if (parts.length === 4 && parts[0] === "pbkdf2-sha256" && /^\d+$/.test(parts[1]) && parts[2] && parts[3])
    return { iterations: Number(parts[1]), salt: parts[2], hash: parts[3] };
  return null;
}
export function checkPin(stored: string, pin: string): boolean {
  const p = pinParams(stored);
  if (!p) return false;
  const candidate = pbkdf2Sync(pin, p.salt, p.iterations, 32, "sha256");
  const expected = Buffer.from(p.hash, "hex");
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

export async function createLink(
  db: Kysely<Database>,
  input: {
    surveyId: string;
    mode: LinkMode;
    label: string;
    communityId?: string | null;
    roundId?: string | null;
    expiresAt?: string | null;
    maxResponses?: number | null;
    pin?: string | null;
    createdBy: string;
  },
): Promise<{ id: string; token: string; shortCode: string }> {
  const id = newId();
  const token = randomBytes(18).toString("base64url");
  const shortCode = await unusedShortCode(db);
  await db
    .insertInto("collection_links")
    .values({
      id,
      survey_id: input.surveyId,
      token,
      mode: input.mode,
      label: input.label.trim(),
      community_id: input.communityId ?? null,
      round_id: input.roundId ?? null,
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      max_responses: input.maxResponses ?? null,
      kiosk_pin: input.pin ? hashPin(input.pin) : null,
      short_code: shortCode,
      created_by: input.createdBy,
      created_at: nowIso(),
    })
    .execute();
  return { id, token, shortCode };
}

/** A short code no link has yet (31⁸ codes: a second try is already rare; the unique index has the last word). */
async function unusedShortCode(db: Kysely<Database>): Promise<string> {
  for (;;) {
    const code = newShortCode();
    if (!(await db.selectFrom("collection_links").select("id").where("short_code", "=", code).executeTakeFirst())) return code;
  }
}

/** The token of the link a short code opens, or null. */
export async function tokenOfShortCode(db: Kysely<Database>, code: string): Promise<string | null> {
  const row = await db.selectFrom("collection_links").select("token").where("short_code", "=", code).executeTakeFirst();
  return row?.token ?? null;
}

/** Sets a kiosk link's PIN again (stored in the current format). */
export async function setKioskPin(db: Kysely<Database>, linkId: string, pin: string): Promise<void> {
  await db.updateTable("collection_links").set({ kiosk_pin: hashPin(pin) }).where("id", "=", linkId).where("mode", "=", "kiosk").execute();
}

export async function listLinks(db: Kysely<Database>, surveyId: string): Promise<LinkSummary[]> {
  const rows = await db
    .selectFrom("collection_links as l")
    .leftJoin("communities as c", "c.id", "l.community_id")
    .leftJoin("rounds as r", "r.id", "l.round_id")
    .select((eb) => [
      "l.id",
      "l.survey_id",
      "l.token",
      "l.mode",
      "l.label",
      "l.community_id",
      "c.name as community_name",
      "l.round_id",
      "r.name as round_name",
      "l.expires_at",
      "l.revoked_at",
      "l.max_responses",
      "l.kiosk_pin",
      "l.short_code",
      "l.created_at",
      eb.selectFrom("responses").select((e) => e.fn.countAll<number>().as("n")).whereRef("responses.link_id", "=", "l.id").as("response_count"),
    ])
    .where("l.survey_id", "=", surveyId)
    .orderBy("l.created_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    token: r.token,
    mode: r.mode,
    label: r.label,
    communityId: r.community_id,
    communityName: r.community_name ?? null,
    roundId: r.round_id,
    roundName: r.round_name ?? null,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    maxResponses: r.max_responses === null ? null : Number(r.max_responses),
    hasPin: r.kiosk_pin !== null,
    shortCode: r.short_code,
    responseCount: Number(r.response_count ?? 0),
    createdAt: r.created_at,
  }));
}

export async function revokeLink(db: Kysely<Database>, surveyId: string, linkId: string): Promise<void> {
  await db
    .updateTable("collection_links")
    .set({ revoked_at: nowIso() })
    .where("id", "=", linkId)
    .where("survey_id", "=", surveyId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function resolveLink(db: Kysely<Database>, token: string): Promise<ResolvedLink | null> {
  const row = await db
    .selectFrom("collection_links as l")
    .innerJoin("surveys as s", "s.id", "l.survey_id")
    .select([
      "l.id",
      "l.survey_id",
      "s.programme_id",
      "l.mode",
      "l.label",
      "l.community_id",
      "l.round_id",
      "l.max_responses",
      "l.kiosk_pin",
      "l.expires_at",
      "l.revoked_at",
      "s.status",
      "s.latest_version",
      "l.created_at",
    ])
    .where("l.token", "=", token)
    .executeTakeFirst();
  if (!row) return null;
  const state = row.revoked_at ? "revoked" : row.expires_at && row.expires_at <= nowIso() ? "expired" : "active";
  return {
    id: row.id,
    surveyId: row.survey_id,
    programmeId: row.programme_id,
    mode: row.mode,
    label: row.label,
    communityId: row.community_id,
    roundId: row.round_id,
    maxResponses: row.max_responses === null ? null : Number(row.max_responses),
    kioskPin: row.kiosk_pin,
    surveyStatus: row.status,
    latestVersion: Number(row.latest_version),
    state,
    createdAt: row.created_at,
  };
}

/**
 * The kiosk PIN's check value for arming a tablet, only for a facilitator of the link's programme or
 * an administrator (checked in the query). null: no such link for this person; "no-pin": not a kiosk link.
 */
export async function armingCheckValue(
  db: Kysely<Database>,
  viewer: { id: string; isAdmin: boolean },
  linkId: string,
): Promise<{ kioskPin: string } | "no-pin" | null> {
  let q = db
    .selectFrom("collection_links as l")
    .innerJoin("surveys as s", "s.id", "l.survey_id")
    .select(["l.kiosk_pin", "l.mode"])
    .where("l.id", "=", linkId);
  if (!viewer.isAdmin)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("memberships as m")
          .select("m.user_id")
          .whereRef("m.programme_id", "=", "s.programme_id")
          .where("m.user_id", "=", viewer.id)
          .where("m.role", "=", "facilitator"),
      ),
    );
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return row.mode === "kiosk" && row.kiosk_pin ? { kioskPin: row.kiosk_pin } : "no-pin";
}

/** The programme's facilitators, by name: who a tablet's sessions can be recorded as run by. */
export async function programmeFacilitators(db: Kysely<Database>, programmeId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.display_name"])
    .where("m.programme_id", "=", programmeId)
    .where("m.role", "=", "facilitator")
    .orderBy("u.display_name")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
