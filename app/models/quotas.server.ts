// Response quotas on collection links, kept in the database so every server process shares them.
// Each request takes its responses from two counters of its (link, address): this minute's and
// this UTC day's, each bumped by one upsert that only applies while the sum stays within the
// limit — atomic on both databases, so two processes racing cannot both slip past it.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import {
  DEFAULT_QUOTA_LIMITS,
  LIFT_HOURS,
  addressScope,
  limitFrom,
  retryAfterSeconds,
  windowsAt,
  type QuotaLimits,
  type QuotaSpan,
} from "~/links/quota-rules";
import { recordAudit } from "./audit.server";
import type { Viewer } from "./viewer";

/** The limits in force: LINK_RESPONSES_PER_MINUTE and LINK_RESPONSES_PER_DAY (0 turns one off). */
export function quotaLimits(env: NodeJS.ProcessEnv = process.env): QuotaLimits {
  return {
    perMinute: limitFrom(env.LINK_RESPONSES_PER_MINUTE, DEFAULT_QUOTA_LIMITS.perMinute),
    perDay: limitFrom(env.LINK_RESPONSES_PER_DAY, DEFAULT_QUOTA_LIMITS.perDay),
  };
}

export type QuotaOutcome =
  | { ok: true }
  | { ok: false; span: QuotaSpan; limit: number; retryAfter: number };

const PK = ["link_id", "address_key", "span", "window_start"] as const;

/**
 * Takes `count` responses from the quota of a link and a client address, or refuses all of them
 * (the caller answers 429; the tablet keeps its queue and retries). A refusal is counted on the
 * day's row so the facilitator can see it. A link whose limits were lifted takes without counting.
 */
export async function takeResponseQuota(
  db: Kysely<Database>,
  linkId: string,
  clientAddress: string,
  count: number,
  options: { limits?: QuotaLimits; now?: number } = {},
): Promise<QuotaOutcome> {
  const limits = options.limits ?? quotaLimits();
  const now = options.now ?? Date.now();
  if (count <= 0 || (limits.perMinute === 0 && limits.perDay === 0)) return { ok: true };
  const at = new Date(now).toISOString();
  const lift = await db.selectFrom("link_quota_lifts").select("lifted_until").where("link_id", "=", linkId).where("lifted_until", ">", at).executeTakeFirst();
  if (lift) return { ok: true };

  const w = windowsAt(now);
  const key = { link_id: linkId, address_key: await addressKey(db, clientAddress, w.dayKey) };
  const spans: { span: QuotaSpan; start: string; limit: number }[] = [
    { span: "minute" as const, start: w.minute, limit: limits.perMinute },
    { span: "day" as const, start: w.day, limit: limits.perDay },
  ].filter((s) => s.limit > 0);

  let refusedBy = spans.find((s) => count > s.limit);
  if (!refusedBy) {
    try {
      await db.transaction().execute(async (trx) => {
        for (const s of spans) {
          if (!(await bump(trx, key, s.span, s.start, count, s.limit))) throw new QuotaRefusal(s);
        }
      });
    } catch (err) {
      if (!(err instanceof QuotaRefusal)) throw err;
      refusedBy = err.span;
    }
  }
  await pruneNowAndThen(db, now);
  if (!refusedBy) return { ok: true };
  await recordRefusal(db, key, w.day, count, at);
  return { ok: false, span: refusedBy.span, limit: refusedBy.limit, retryAfter: retryAfterSeconds(refusedBy.span, now) };
}

class QuotaRefusal extends Error {
  constructor(readonly span: { span: QuotaSpan; start: string; limit: number }) {
    super(`response quota (${span.span}) reached`);
  }
}

/** Adds `count` to a window's counter if the sum stays within `limit`; false when it would not. */
async function bump(
  trx: Transaction<Database>,
  key: { link_id: string; address_key: string },
  span: QuotaSpan,
  windowStart: string,
  count: number,
  limit: number,
): Promise<boolean> {
  const row = await trx
    .insertInto("response_quota_counts")
    .values({ ...key, span, window_start: windowStart, taken: count, refused: 0, last_refused_at: null })
    .onConflict((oc) =>
      oc
        .columns([...PK])
        .doUpdateSet((eb) => ({ taken: eb("response_quota_counts.taken", "+", eb.ref("excluded.taken")) }))
        .where((eb) => eb(eb("response_quota_counts.taken", "+", eb.ref("excluded.taken")), "<=", limit)),
    )
    .returning("taken")
    .executeTakeFirst();
  return row !== undefined;
}

async function recordRefusal(db: Kysely<Database>, key: { link_id: string; address_key: string }, dayStart: string, count: number, at: string) {
  await db
    .insertInto("response_quota_counts")
    .values({ ...key, span: "day", window_start: dayStart, taken: 0, refused: count, last_refused_at: at })
    .onConflict((oc) =>
      oc.columns([...PK]).doUpdateSet((eb) => ({
        refused: eb("response_quota_counts.refused", "+", eb.ref("excluded.refused")),
        last_refused_at: eb.ref("excluded.last_refused_at"),
      })),
    )
    .execute();
}

// Addresses are stored as a hash salted with the day's secret, which is deleted once the day is
// over: the counters can tell addresses apart, but nobody can later say which address sent what.
// The day's salt is kept in memory per database (a test process opens several).
const salts = new WeakMap<Kysely<Database>, { day: string; salt: string }>();
async function addressKey(db: Kysely<Database>, clientAddress: string, dayKey: string): Promise<string> {
  let salt = salts.get(db)?.day === dayKey ? salts.get(db)!.salt : undefined;
  if (salt === undefined) {
    // Every process must hash with the same salt: the first to ask stores it, the others read it.
    await db.insertInto("response_quota_salts").values({ day: dayKey, salt: randomBytes(32).toString("base64url") }).onConflict((oc) => oc.column("day").doNothing()).execute();
    salt = (await db.selectFrom("response_quota_salts").select("salt").where("day", "=", dayKey).executeTakeFirstOrThrow()).salt;
    salts.set(db, { day: dayKey, salt });
  }
  return createHash("sha256").update(salt).update("\n").update(addressScope(clientAddress)).digest("base64url").slice(0, 22);
}

/** Minute counters live a few minutes, day counters (and their refusals) a week, salts a day. */
const MINUTE_ROWS_KEPT_MS = 2 * 60_000;
export const DAYS_KEPT = 8;
const lastPrune = new WeakMap<Kysely<Database>, number>();
async function pruneNowAndThen(db: Kysely<Database>, now: number) {
  if (Math.abs(now - (lastPrune.get(db) ?? 0)) < 60_000) return;
  lastPrune.set(db, now);
  await pruneQuotaRows(db, now);
}

export async function pruneQuotaRows(db: Kysely<Database>, now = Date.now()): Promise<void> {
  const minuteBefore = new Date(now - MINUTE_ROWS_KEPT_MS).toISOString();
  const dayBefore = windowsAt(now - DAYS_KEPT * 86_400_000).day;
  await db.deleteFrom("response_quota_counts").where("span", "=", "minute").where("window_start", "<", minuteBefore).execute();
  await db.deleteFrom("response_quota_counts").where("span", "=", "day").where("window_start", "<", dayBefore).execute();
  await db.deleteFrom("response_quota_salts").where("day", "<", windowsAt(now).dayKey).execute();
}

/** What the links page shows of a link's quota: its latest day of refusals, and a lift in force. */
export interface LinkQuotaStatus {
  /** The latest UTC day on which the quota refused responses (within the last week), if any. */
  refusals: { day: string; responses: number; addresses: number; lastAt: string } | null;
  lift: { until: string; byName: string } | null;
}

export async function quotaStatusOfLinks(db: Kysely<Database>, surveyId: string, now = Date.now()): Promise<Map<string, LinkQuotaStatus>> {
  const since = windowsAt(now - DAYS_KEPT * 86_400_000).day;
  const refused = await db
    .selectFrom("response_quota_counts as q")
    .innerJoin("collection_links as l", "l.id", "q.link_id")
    .select((eb) => [
      "q.link_id",
      "q.window_start",
      eb.fn.sum<number>("q.refused").as("responses"),
      eb.fn.countAll<number>().as("addresses"),
      eb.fn.max("q.last_refused_at").as("last_at"),
    ])
    .where("l.survey_id", "=", surveyId)
    .where("q.span", "=", "day")
    .where("q.refused", ">", 0)
    .where("q.window_start", ">=", since)
    .groupBy(["q.link_id", "q.window_start"])
    .execute();
  const lifts = await db
    .selectFrom("link_quota_lifts as f")
    .innerJoin("collection_links as l", "l.id", "f.link_id")
    .leftJoin("users as u", "u.id", "f.lifted_by")
    .select(["f.link_id", "f.lifted_until", "u.display_name"])
    .where("l.survey_id", "=", surveyId)
    .where("f.lifted_until", ">", new Date(now).toISOString())
    .execute();
  const out = new Map<string, LinkQuotaStatus>();
  const entry = (id: string) => out.get(id) ?? out.set(id, { refusals: null, lift: null }).get(id)!;
  for (const r of refused) {
    const e = entry(r.link_id);
    if (e.refusals && e.refusals.day >= r.window_start.slice(0, 10)) continue;
    e.refusals = { day: r.window_start.slice(0, 10), responses: Number(r.responses), addresses: Number(r.addresses), lastAt: String(r.last_at) };
  }
  for (const l of lifts) entry(l.link_id).lift = { until: l.lifted_until, byName: l.display_name ?? "" };
  return out;
}

/**
 * A facilitator lifts a link's quotas for LIFT_HOURS (the response cap, if any, still applies);
 * written to the audit log in the same transaction. False when the link is not this survey's.
 */
export async function liftLinkQuotas(
  db: Kysely<Database>,
  actor: Pick<Viewer, "id" | "displayName" | "email">,
  scope: { surveyId: string; programmeId: string; linkId: string },
  now = Date.now(),
): Promise<{ until: string } | null> {
  const until = new Date(now + LIFT_HOURS * 3_600_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom("collection_links")
      .select(["id", "label"])
      .where("id", "=", scope.linkId)
      .where("survey_id", "=", scope.surveyId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!link) return null;
    const at = nowIso();
    await trx
      .insertInto("link_quota_lifts")
      .values({ link_id: link.id, lifted_until: until, lifted_by: actor.id, lifted_at: at })
      .onConflict((oc) => oc.column("link_id").doUpdateSet({ lifted_until: until, lifted_by: actor.id, lifted_at: at }))
      .execute();
    const status = (await quotaStatusOfLinks(trx, scope.surveyId, now)).get(link.id);
    await recordAudit(trx, actor, {
      action: "link.quota_lift",
      programmeId: scope.programmeId,
      surveyId: scope.surveyId,
      target: `collection link “${link.label}”`,
      // Flat values: the audit page lists details as "key: value".
      details: {
        linkId: link.id,
        until,
        hours: LIFT_HOURS,
        refusedOn: status?.refusals?.day ?? null,
        refusedResponses: status?.refusals?.responses ?? 0,
        refusedAddresses: status?.refusals?.addresses ?? 0,
      },
    });
    return { until };
  });
}
