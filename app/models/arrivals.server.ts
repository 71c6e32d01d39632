// Responses received: how many a survey has, per round, per community and per day, and when the
// last one came. Whole-survey, round and community counts are published on purpose (the product
// owner decided they are no disclosure risk); they are never split further (no round × community,
// no gender): the dashboards' disclosure control is what hides smaller groups.
import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { Database } from "~db/schema";
import { foldBeforeReading, roundFor } from "./aggregates.server";
import { getPublishedDefinition } from "./surveys.server";
import type { Viewer } from "./viewer";

export interface ArrivalCount {
  /** null: "No round" (no round on the link, and no round's dates contain it) or "Not answered" (no community). */
  id: string | null;
  name: string;
  n: number;
}

export interface Arrivals {
  surveyId: string;
  /** Responses received and not excluded. Every count below leaves excluded responses out. */
  total: number;
  /** Excluded responses (stored, but not counted anywhere else). */
  excluded: number;
  /** When the server received the latest response that counts (ISO 8601 UTC), or null. */
  lastReceivedAt: string | null;
  /** Every round of the programme in date order (0 when empty), then "No round" when it has any. */
  rounds: ArrivalCount[];
  /** Every community of the programme by name (0 when empty), then "Not answered" when it has any. */
  communities: ArrivalCount[];
  /** Responses received on each of the last DAYS days (UTC), oldest first, days with none as 0. */
  days: { day: string; n: number }[];
}

export const NO_ROUND = "No round";
export const NO_COMMUNITY = "Not answered";
/** How many days the day-by-day counts go back, today included. */
export const DAYS = 28;

/** Counted responses of one place: the round they count in ('' none), community ('' none). */
interface Placed {
  round: string;
  community: string;
  n: number;
}

/** Restricts a query on `surveys` to the viewer's programmes. */
function visibleSurveys<O>(q: SelectQueryBuilder<Database, "surveys", O>, viewer: Viewer): SelectQueryBuilder<Database, "surveys", O> {
  if (viewer.isAdmin) return q;
  return q.where((eb) =>
    eb.exists(
      eb
        .selectFrom("memberships")
        .select("memberships.user_id")
        .whereRef("memberships.programme_id", "=", "surveys.programme_id")
        .where("memberships.user_id", "=", viewer.id),
    ),
  );
}

/**
 * The arrivals of one survey, or null when it is unknown or outside the viewer's programmes.
 *
 * A million responses are too many to group on every dashboard view (a grouped pass over the
 * responses table takes ~2.5 s on SQLite there, blocking every other request), so the counts come
 * from what is small already: rounds and communities from the dashboards' own total margins
 * (where each response was placed by roundFor when it was folded in, exactly as the figures
 * count it); the stored total, the last arrival and the recent days from the index on
 * (survey_id, submitted_at). A survey with a version that has no indicator has no margins to
 * count from and is counted from its responses instead (countFromResponses, the reference).
 */
export async function getArrivals(db: Kysely<Database>, viewer: Viewer, surveyId: string, now = new Date()): Promise<Arrivals | null> {
  const survey = await visibleSurveys(db.selectFrom("surveys").select(["surveys.id", "surveys.programme_id", "surveys.latest_version"]), viewer)
    .where("surveys.id", "=", surveyId)
    .executeTakeFirst();
  if (!survey) return null;
  await foldBeforeReading(db); // responses stored a moment ago are in the margins
  const [rounds, communities] = await Promise.all([
    db.selectFrom("rounds").select(["id", "name", "starts_on", "ends_on"]).where("programme_id", "=", survey.programme_id).orderBy("starts_on").orderBy("name").execute(),
    db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", survey.programme_id).orderBy("name").execute(),
  ]);
  const dates = rounds.map((r) => ({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on }));

  const { placed, excluded } = await countsOf(db, survey, dates);

  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  const days: Arrivals["days"] = [];
  for (let i = 0; i < DAYS; i++) {
    const from = new Date(since.getTime() + i * 86_400_000).toISOString();
    const to = new Date(since.getTime() + (i + 1) * 86_400_000).toISOString();
    days.push({ day: from.slice(0, 10), n: await receivedBetween(db, survey.id, from, to, excluded > 0) });
  }
  const last = await lastReceived(db, survey.id);

  const sum = (key: "round" | "community") => {
    const m = new Map<string, number>();
    for (const p of placed) m.set(p[key], (m.get(p[key]) ?? 0) + p.n);
    return m;
  };
  return {
    surveyId: survey.id,
    total: placed.reduce((s, p) => s + p.n, 0),
    excluded,
    lastReceivedAt: last,
    rounds: listed(rounds, sum("round"), NO_ROUND),
    communities: listed(communities, sum("community"), NO_COMMUNITY),
    days,
  };
}

type RoundDates = { id: string; startsOn: string; endsOn: string };

/** Counted responses by place, and how many are excluded. */
async function countsOf(db: Kysely<Database>, survey: { id: string; latest_version: number }, dates: RoundDates[]): Promise<{ placed: Placed[]; excluded: number }> {
  const firstIndicators: { version: number; indicator: string }[] = [];
  for (let v = 1; v <= Number(survey.latest_version); v++) {
    const first = (await getPublishedDefinition(db, survey.id, v))?.indicators[0];
    if (!first) return countFromResponses(db, survey.id, dates);
    firstIndicators.push({ version: v, indicator: first.id });
  }
  const placed = await countFromMargins(db, survey.id, firstIndicators);
  const stored = await db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("survey_id", "=", survey.id)
    .executeTakeFirstOrThrow();
  // Excluded responses are the stored ones the margins no longer count (an exclusion subtracts
  // them in its own transaction). Only a response stored between these two reads puts it off, once.
  const excluded = Math.max(0, Number(stored.n) - placed.reduce((s, p) => s + p.n, 0));
  return { placed, excluded };
}

/**
 * Responses received in [from, to): a range of the index on (survey_id, submitted_at), counted
 * from the index alone when the survey has no exclusions. One range per day rather than one
 * GROUP BY: grouping sorts every row of the four weeks (0.6 s for a million), a range count does not.
 * With exclusions each row in the range is read to leave the excluded out.
 */
async function receivedBetween(db: Kysely<Database>, surveyId: string, from: string, to: string, someExcluded: boolean): Promise<number> {
  let q = db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("survey_id", "=", surveyId)
    .where("submitted_at", ">=", from)
    .where("submitted_at", "<", to);
  if (someExcluded) q = q.where("excluded_at", "is", null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** When the latest counted response reached the server: the index on (survey_id, submitted_at), read backwards. */
async function lastReceived(db: Kysely<Database>, surveyId: string): Promise<string | null> {
  const row = await db
    .selectFrom("responses")
    .select("submitted_at")
    .where("survey_id", "=", surveyId)
    .where("excluded_at", "is", null)
    .orderBy("survey_id", "desc")
    .orderBy("submitted_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.submitted_at ?? null;
}

/** Every named item with its count, then the rest (none, or since deleted) under one name. */
function listed(items: { id: string; name: string }[], counts: Map<string, number>, noneName: string): ArrivalCount[] {
  const out: ArrivalCount[] = items.map((i) => ({ id: i.id, name: i.name, n: counts.get(i.id) ?? 0 }));
  const known = new Set(items.map((i) => i.id));
  let none = 0;
  for (const [id, n] of counts) if (!known.has(id)) none += n;
  if (none) out.push({ id: null, name: noneName, n: none });
  return out;
}

/**
 * Counted responses by round and community from the total margins (dimension ''): every response
 * of a version adds 1 to each of that version's indicators, as counted, excluded code or missing,
 * so one indicator per version counts each response once. Exclusions have subtracted theirs.
 */
async function countFromMargins(
  db: Kysely<Database>,
  surveyId: string,
  firstIndicators: { version: number; indicator: string }[],
): Promise<Placed[]> {
  if (firstIndicators.length === 0) return [];
  const rows = await db
    .selectFrom("agg_indicator_margins")
    .select((eb) => ["round_id", "community_id", eb.fn.sum<number>(sql`n + excluded + missing`).as("n")])
    .where("survey_id", "=", surveyId)
    .where((eb) => eb.or(firstIndicators.map((f) => eb.and([eb("indicator_id", "=", f.indicator), eb("survey_version", "=", f.version)]))))
    .where("dimension", "=", "")
    .groupBy(["round_id", "community_id"])
    .execute();
  // The margins hold the round each response was placed in already ('' for none).
  return rows.map((r) => ({ round: r.round_id, community: r.community_id, n: Number(r.n) })).filter((p) => p.n !== 0);
}

/**
 * Counted and excluded responses from the responses themselves: one grouped pass (by community,
 * round on the link, day collected, excluded or not), each group placed by roundFor. The reference
 * the margins are checked against in the tests, and the path for surveys without indicators.
 */
export async function countFromResponses(db: Kysely<Database>, surveyId: string, dates: RoundDates[]): Promise<{ placed: Placed[]; excluded: number }> {
  const day = sql<string>`substr(collected_at, 1, 10)`;
  const isExcluded = sql<number>`case when excluded_at is null then 0 else 1 end`;
  const groups = await db
    .selectFrom("responses")
    .select((eb) => ["community_id", "round_id", day.as("day"), isExcluded.as("excluded"), eb.fn.countAll<number>().as("n")])
    .where("survey_id", "=", surveyId)
    .groupBy(["community_id", "round_id", day, isExcluded])
    .execute();
  const placed: Placed[] = [];
  let excluded = 0;
  for (const g of groups) {
    if (Number(g.excluded)) excluded += Number(g.n);
    // roundFor reads only the date part of collected_at.
    else placed.push({ round: roundFor(g.round_id, g.day, dates), community: g.community_id ?? "", n: Number(g.n) });
  }
  return { placed, excluded };
}

export interface ArrivalTotal {
  total: number;
  excluded: number;
  lastReceivedAt: string | null;
}

/** Totals of every survey of a programme the viewer may see, by survey id. */
export async function listArrivalTotals(db: Kysely<Database>, viewer: Viewer, programmeId: string): Promise<Map<string, ArrivalTotal>> {
  const surveys = await visibleSurveys(db.selectFrom("surveys").select(["surveys.id", "surveys.latest_version"]), viewer)
    .where("surveys.programme_id", "=", programmeId)
    .execute();
  const out = new Map<string, ArrivalTotal>();
  if (surveys.length === 0) return out;
  await foldBeforeReading(db);
  const rounds = await db.selectFrom("rounds").select(["id", "starts_on", "ends_on"]).where("programme_id", "=", programmeId).execute();
  const dates = rounds.map((r) => ({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on }));
  for (const s of surveys) {
    const { placed, excluded } = await countsOf(db, s, dates);
    out.set(s.id, { total: placed.reduce((sum, p) => sum + p.n, 0), excluded, lastReceivedAt: await lastReceived(db, s.id) });
  }
  return out;
}
