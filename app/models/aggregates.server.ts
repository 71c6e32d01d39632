// Pre-aggregated figures that dashboards read, kept up to date in the same transaction as each
// response is stored or excluded (no nightly batch). See db/migrations/0004_aggregates.ts.
import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from "kysely";
import type { AggAnswerMarginTable, AggIndicatorCellTable, AggIndicatorMarginTable, Database } from "~db/schema";
import { fromJson } from "~db/portable";
import { hasAnswer, isChoice, scoreAll, type Answers, type SurveyDefinition } from "~/survey";
import { getPublishedDefinition } from "./surveys.server";

export interface AggregateInput {
  id: string;
  surveyId: string;
  surveyVersion: number;
  definition: SurveyDefinition;
  answers: Answers;
  communityId: string | null;
  roundId: string | null;
  sessionId: string | null;
  collectedAt: string;
}

/** A programme round's dates, to place responses collected without a round on their link. */
export interface RoundDates {
  id: string;
  startsOn: string;
  endsOn: string;
}

/** The built-in disaggregation dimensions, each stored in its own column. */
export const BUILT_IN_DIMENSIONS = ["gender", "age_band", "disability", "displacement"] as const;
export type BuiltInDimension = (typeof BUILT_IN_DIMENSIONS)[number];

const KEY_COLUMNS = [
  "survey_id",
  "survey_version",
  "round_id",
  "month",
  "community_id",
  "from_session",
  "gender",
  "age_band",
  "disability",
  "displacement",
  "custom_key",
] as const;

type Key = Pick<AggIndicatorCellTable, (typeof KEY_COLUMNS)[number]>;

/** The round a response counts in: its link's round, or else the round whose dates contain it. */
export function roundFor(roundId: string | null, collectedAt: string, rounds: RoundDates[]): string {
  if (roundId) return roundId;
  const day = collectedAt.slice(0, 10);
  return rounds.find((r) => r.startsOn <= day && day <= r.endsOn)?.id ?? "";
}

/** The respondent's answers to the disaggregation questions, as aggregate key columns. */
export function groupKey(def: SurveyDefinition, answers: Answers): Pick<Key, BuiltInDimension | "custom_key"> {
  const out = { gender: "", age_band: "", disability: "", displacement: "", custom_key: "" };
  const custom: string[] = [];
  for (const q of def.questions) {
    if (!q.disaggregation) continue;
    const v = answers[q.id];
    const code = hasAnswer(v) ? (Array.isArray(v) ? [...v].sort().join("+") : String(v)) : "";
    if (typeof q.disaggregation === "string") out[q.disaggregation] = code;
    else if (code) custom.push(`${q.disaggregation.custom}=${code}`);
  }
  out.custom_key = custom.sort().join("&");
  return out;
}

/** Parses a custom_key back into question → code. */
export function parseCustomKey(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!key) return out;
  for (const part of key.split("&")) {
    const eq = part.indexOf("=");
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const keyString = (k: Key) =>
  `${k.survey_id}\u0001${k.survey_version}\u0001${k.round_id}\u0001${k.month}\u0001${k.community_id}\u0001${k.from_session}\u0001${k.gender}\u0001${k.age_band}\u0001${k.disability}\u0001${k.displacement}\u0001${k.custom_key}\u0001`;

type MarginKey = Pick<AggIndicatorMarginTable, "survey_id" | "survey_version" | "round_id" | "month" | "community_id" | "from_session" | "dimension" | "value">;
const marginString = (k: MarginKey) =>
  `${k.survey_id}\u0001${k.survey_version}\u0001${k.round_id}\u0001${k.month}\u0001${k.community_id}\u0001${k.from_session}\u0001${k.dimension}\u0001${k.value}\u0001`;

// Which built-in dimensions a definition asks about (their margins exist even when unanswered).
const dimensionCache = new WeakMap<SurveyDefinition, BuiltInDimension[]>();
function builtInDimensionsOf(def: SurveyDefinition): BuiltInDimension[] {
  let dims = dimensionCache.get(def);
  if (!dims) {
    dims = BUILT_IN_DIMENSIONS.filter((d) => def.questions.some((q) => q.disaggregation === d));
    dimensionCache.set(def, dims);
  }
  return dims;
}

/**
 * Sums response contributions by cell in memory, so a batch (or a whole rebuild) touches each
 * cell once. Pure: the same code serves ingest, exclusions, rebuilds and the bench generator.
 * Every response goes to one fine cell (all its disaggregation answers) and to one margin per
 * built-in dimension plus the total margin (dimension ''), which is what most views read.
 */
export class AggregateAccumulator {
  // Two levels: the long key of a cell's period, place and group, then a slot per indicator or
  // per question and answer code. A response touches ~200 cells but only a handful of long keys,
  // and slots are array indexes, which keeps a million-response load to a few minutes.
  readonly indicators = new Map<string, (AggIndicatorCellTable | undefined)[]>();
  readonly indicatorMargins = new Map<string, (AggIndicatorMarginTable | undefined)[]>();
  readonly answerMargins = new Map<string, (AggAnswerMarginTable | undefined)[]>();
  private slots = new Map<string, number>();
  /** Cells created so far: what a write of these deltas will cost. */
  cells = 0;

  private slot(question: string, code: string): number {
    const k = `${question}\u0001${code}`;
    let i = this.slots.get(k);
    if (i === undefined) this.slots.set(k, (i = this.slots.size));
    return i;
  }

  add(r: AggregateInput, rounds: RoundDates[], sign: 1 | -1): void {
    const def = r.definition;
    const base = {
      survey_id: r.surveyId,
      survey_version: r.surveyVersion,
      round_id: roundFor(r.roundId, r.collectedAt, rounds),
      month: r.collectedAt.slice(0, 7),
      community_id: r.communityId ?? "",
      from_session: r.sessionId ? 1 : 0,
    };
    const group = groupKey(def, r.answers);
    const key: Key = { ...base, ...group };
    const marginKeys: MarginKey[] = [{ ...base, dimension: "", value: "" }, ...builtInDimensionsOf(def).map((d) => ({ ...base, dimension: d, value: group[d] }))];
    // Indicator slots are keyed by id (definitions of one survey may differ between versions).
    const fineInd = inner(this.indicators, keyString(key));
    const marginInd = marginKeys.map((m) => [m, inner(this.indicatorMargins, marginString(m))] as const);
    const marginAns = marginKeys.map((m) => [m, inner(this.answerMargins, marginString(m))] as const);

    const scores = scoreAll(def, r.answers);
    def.indicators.forEach((indicator, k) => {
      const s = scores[k];
      const n = s.counted ? sign : 0;
      const sum = s.counted ? sign * s.value : 0;
      const sq = s.counted ? sign * s.value * s.value : 0;
      const excluded = !s.counted && s.reason === "excluded" ? sign : 0;
      const missing = !s.counted && s.reason !== "excluded" ? sign : 0;
      const id = indicator.id;
      const at = this.slot("\u0002indicator", id);
      let cell = fineInd[at];
      if (!cell) {
        this.cells++;
        fineInd[at] = cell = { ...key, indicator_id: id, n: 0, score_sum: 0, score_sq: 0, excluded: 0, missing: 0 };
      }
      cell.n += n;
      cell.score_sum += sum;
      cell.score_sq += sq;
      cell.excluded += excluded;
      cell.missing += missing;
      for (const [m, cells] of marginInd) {
        let mc = cells[at];
        if (!mc) {
          this.cells++;
          cells[at] = mc = { ...m, indicator_id: id, n: 0, score_sum: 0, score_sq: 0, excluded: 0, missing: 0 };
        }
        mc.n += n;
        mc.score_sum += sum;
        mc.score_sq += sq;
        mc.excluded += excluded;
        mc.missing += missing;
      }
    });
    for (const q of def.questions) {
      if (!isChoice(q)) continue;
      const v = r.answers[q.id];
      if (!hasAnswer(v)) continue;
      const codes = Array.isArray(v) ? v.map(String) : [String(v)];
      const picks = q.type === "ranking" ? (q.maxPicks ?? codes.length) : 0;
      for (let i = -1; i < codes.length; i++) {
        const code = i < 0 ? "*" : codes[i];
        const points = i >= 0 && q.type === "ranking" ? Math.max(0, picks - i) : 0;
        const at = this.slot(q.id, code);
        for (const [m, cells] of marginAns) {
          let mc = cells[at];
          if (!mc) {
            this.cells++;
            cells[at] = mc = { ...m, question_id: q.id, code, n: 0, rank_points: 0 };
          }
          mc.n += sign;
          mc.rank_points += sign * points;
        }
      }
    }
  }
}

function inner<T>(outer: Map<string, T[]>, key: string): T[] {
  let m = outer.get(key);
  if (!m) outer.set(key, (m = []));
  return m;
}

/** Every cell of a two-level map, as rows to write. */
export function cellRows<T>(outer: Map<string, (T | undefined)[]>): T[] {
  const out: T[] = [];
  for (const m of outer.values()) for (const c of m) if (c) out.push(c);
  return out;
}

/** Programme rounds of each survey, for round assignment by date. */
export async function roundsBySurvey(db: Kysely<Database>, surveyIds: string[]): Promise<Map<string, RoundDates[]>> {
  const out = new Map<string, RoundDates[]>(surveyIds.map((id) => [id, []]));
  if (surveyIds.length === 0) return out;
  const rows = await db
    .selectFrom("surveys")
    .innerJoin("rounds", "rounds.programme_id", "surveys.programme_id")
    .select(["surveys.id as survey_id", "rounds.id", "rounds.starts_on", "rounds.ends_on"])
    .where("surveys.id", "in", surveyIds)
    .orderBy("rounds.starts_on")
    .execute();
  for (const r of rows) out.get(r.survey_id)!.push({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on });
  return out;
}

const MARGIN_KEY = ["survey_version", "round_id", "month", "community_id", "from_session", "dimension", "value"];
const INDICATOR_SUMS = ["n", "score_sum", "score_sq", "excluded", "missing"];
const ANSWER_SUMS = ["n", "rank_points"];

/** The four aggregate tables: name, primary key, additive columns, and the accumulator's rows. */
export const AGGREGATE_TABLES = [
  { table: "agg_indicator_cells", pk: ["survey_id", "indicator_id", ...KEY_COLUMNS.slice(1)], sums: INDICATOR_SUMS, rows: (a: AggregateAccumulator) => cellRows(a.indicators) },
  { table: "agg_indicator_margins", pk: ["survey_id", "indicator_id", ...MARGIN_KEY], sums: INDICATOR_SUMS, rows: (a: AggregateAccumulator) => cellRows(a.indicatorMargins) },
  { table: "agg_answer_margins", pk: ["survey_id", "question_id", "code", ...MARGIN_KEY], sums: ANSWER_SUMS, rows: (a: AggregateAccumulator) => cellRows(a.answerMargins) },
] as const;

const CHUNK = 400; // rows per statement: ~17 parameters each stays under SQLite's and pg's limits

/**
 * The upsert's SQL text, built once per table, row count and dialect. Aggregate writes sit on the
 * hot path of every submission, and compiling a 400-row statement through the query builder cost
 * more than running it; the text is plain and the values are always bound parameters.
 */
const upsertText = new Map<string, string>();
function upsertSql(postgres: boolean, table: string, columns: string[], pk: readonly string[], sums: readonly string[] | null, rows: number): string {
  const key = `${postgres}|${table}|${columns.join(",")}|${sums ? "upsert" : "insert"}|${rows}`;
  let text = upsertText.get(key);
  if (!text) {
    let p = 0;
    const placeholder = () => (postgres ? `$${++p}` : "?");
    const tuples = Array.from({ length: rows }, () => `(${columns.map(placeholder).join(",")})`).join(",");
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(",")}) values ${tuples}`;
    if (sums)
      text += ` on conflict (${pk.map((c) => `"${c}"`).join(",")}) do update set ${sums
        .map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`)
        .join(", ")}`;
    upsertText.set(key, text);
  }
  return text;
}

async function writeRows(db: Kysely<Database> | Transaction<Database>, t: (typeof AGGREGATE_TABLES)[number], rows: object[], add: boolean) {
  if (rows.length === 0) return;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const columns = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK) as Record<string, unknown>[];
    const params: unknown[] = [];
    for (const row of slice) for (const c of columns) params.push(row[c]);
    await db.executeQuery(CompiledQuery.raw(upsertSql(postgres, t.table, columns, t.pk, add ? t.sums : null, slice.length), params));
  }
}

/** Adds the accumulated deltas to the stored cells (insert, or add on conflict). */
export async function writeDeltas(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  for (const t of AGGREGATE_TABLES) await writeRows(db, t, t.rows(acc), true);
}

/**
 * Adds (sign 1) or removes (sign -1, for exclusions) responses from the aggregates, inside the
 * caller's transaction so a response and its figures are stored together or not at all.
 * Removing puts the response back in the cell it was added to, as long as the programme's round
 * dates have not changed in between (rebuildAggregates repairs that case).
 */
export async function applyResponsesToAggregates(
  trx: Transaction<Database>,
  responses: AggregateInput[],
  sign: 1 | -1,
): Promise<void> {
  if (responses.length === 0) return;
  const rounds = await roundsBySurvey(trx, [...new Set(responses.map((r) => r.surveyId))]);
  const acc = new AggregateAccumulator();
  for (const r of responses) acc.add(r, rounds.get(r.surveyId) ?? [], sign);
  await writeDeltas(trx, acc);
  if (sign === -1) {
    // Cells emptied by an exclusion go, so the tables stay equal to a from-scratch rebuild.
    const surveys = [...new Set(responses.map((r) => r.surveyId))];
    for (const t of ["agg_indicator_cells", "agg_indicator_margins"] as const)
      await trx.deleteFrom(t).where("survey_id", "in", surveys).where("n", "=", 0).where("excluded", "=", 0).where("missing", "=", 0).execute();
    await trx.deleteFrom("agg_answer_margins").where("survey_id", "in", surveys).where("n", "=", 0).execute();
  }
}

/** Inserts freshly accumulated cells into tables known to be empty for their surveys. */
export async function insertCells(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  for (const t of AGGREGATE_TABLES) await writeRows(db, t, t.rows(acc), false);
}

/** Every response of a survey that counts (not excluded), as aggregate input, page by page. */
export async function* countedResponses(db: Kysely<Database>, surveyId: string, pageSize = 5000): AsyncGenerator<AggregateInput[]> {
  const definitions = new Map<number, SurveyDefinition>();
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("responses")
      .select(["id", "survey_version", "answers", "community_id", "round_id", "session_id", "collected_at"])
      .where("survey_id", "=", surveyId)
      .where("excluded_at", "is", null)
      .where("id", ">", after)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    const page: AggregateInput[] = [];
    for (const r of rows) {
      const version = Number(r.survey_version);
      if (!definitions.has(version)) {
        const v = await db.selectFrom("survey_versions").select("definition").where("survey_id", "=", surveyId).where("version", "=", version).executeTakeFirst();
        if (v) definitions.set(version, fromJson<SurveyDefinition>(v.definition)!);
      }
      const definition = definitions.get(version);
      if (!definition) continue;
      page.push({
        id: r.id,
        surveyId,
        surveyVersion: version,
        definition,
        answers: fromJson<Answers>(r.answers) ?? {},
        communityId: r.community_id,
        roundId: r.round_id,
        sessionId: r.session_id,
        collectedAt: r.collected_at,
      });
    }
    yield page;
    after = rows[rows.length - 1].id;
  }
}

/** Computes a survey's cells from scratch from its stored responses (no writes). */
export async function recomputeAggregates(db: Kysely<Database>, surveyId: string): Promise<AggregateAccumulator> {
  const rounds = (await roundsBySurvey(db, [surveyId])).get(surveyId) ?? [];
  const acc = new AggregateAccumulator();
  for await (const page of countedResponses(db, surveyId)) for (const r of page) acc.add(r, rounds, 1);
  return acc;
}

/**
 * Recomputes the aggregates of one survey (or every survey) from the stored responses: after a
 * bulk load, an upgrade that changes scoring, or a change of round dates.
 */
export async function rebuildAggregates(db: Kysely<Database>, surveyId?: string): Promise<void> {
  const ids = surveyId ? [surveyId] : (await db.selectFrom("surveys").select("id").execute()).map((s) => s.id);
  for (const id of ids) {
    // Inside one transaction, so responses stored meanwhile are neither lost nor counted twice.
    await db.transaction().execute(async (trx) => {
      const acc = await recomputeAggregates(trx, id);
      for (const t of AGGREGATE_TABLES) await trx.deleteFrom(t.table).where("survey_id", "=", id).execute();
      await insertCells(trx, acc);
      // Everything not excluded is now counted: nothing is left pending to be added twice.
      await trx.updateTable("responses").set({ aggregated: 1 }).where("survey_id", "=", id).where("aggregated", "=", 0).execute();
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Folding: responses are stored marked `aggregated = 0` and added to the aggregates here, in
// batches, just after the submission is answered — and before any dashboard reads, so new
// responses still show at once. Batching lets many responses share their margin cells, which is
// most of the cost; a batch is small enough that no other request waits long for SQLite.
// The invariant: the aggregates are the sum over responses with aggregated = 1 that are not excluded.

const FOLD_BATCH = 300;
/** Cells one fold may write in its transaction (~10 µs each on SQLite): bounds how long others wait. */
const FOLD_MAX_CELLS = 6000;
const foldChains = new WeakMap<object, Promise<number>>();

class FoldRaced extends Error {}

/**
 * Folds one batch of pending responses; returns how many. The arithmetic happens before the write
 * transaction, a slice at a time, so waiting requests get in; the transaction only marks the
 * responses folded (all of them, or it starts over) and adds the sums.
 */
async function foldBatch(db: Kysely<Database>): Promise<number> {
  const rows = await db
    .selectFrom("responses")
    .select(["id", "survey_id", "survey_version", "answers", "community_id", "round_id", "session_id", "collected_at"])
    .where("aggregated", "=", 0)
    .where("excluded_at", "is", null)
    .orderBy("submitted_at")
    .limit(FOLD_BATCH)
    .execute();
  if (rows.length === 0) return 0;
  const rounds = await roundsBySurvey(db, [...new Set(rows.map((r) => r.survey_id))]);
  const acc = new AggregateAccumulator();
  let taken = 0;
  for (let i = 0; i < rows.length && acc.cells < FOLD_MAX_CELLS; i++, taken++) {
    const r = rows[i];
    const definition = await getPublishedDefinition(db, r.survey_id, Number(r.survey_version));
    if (definition)
      acc.add(
        {
          id: r.id,
          surveyId: r.survey_id,
          surveyVersion: Number(r.survey_version),
          definition,
          answers: fromJson<Answers>(r.answers) ?? {},
          communityId: r.community_id,
          roundId: r.round_id,
          sessionId: r.session_id,
          collectedAt: r.collected_at,
        },
        rounds.get(r.survey_id) ?? [],
        1,
      );
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  const ids = rows.slice(0, taken).map((r) => r.id);
  try {
    await db.transaction().execute(async (trx) => {
      let marked = 0;
      for (let i = 0; i < ids.length; i += 400) {
        const res = await trx
          .updateTable("responses")
          .set({ aggregated: 1 })
          .where("id", "in", ids.slice(i, i + 400))
          .where("aggregated", "=", 0)
          .where("excluded_at", "is", null)
          .executeTakeFirst();
        marked += Number(res.numUpdatedRows);
      }
      // Excluded or folded by someone else meanwhile: leave everything as it was and start over.
      if (marked !== ids.length) throw new FoldRaced();
      await writeDeltas(trx, acc);
    });
  } catch (err) {
    if (err instanceof FoldRaced) return FOLD_BATCH; // the caller loops and reads afresh
    throw err;
  }
  // A batch cut short by the cell cap is not the last one.
  return taken < rows.length ? FOLD_BATCH : rows.length;
}

/**
 * Adds every pending response to the aggregates. Calls on one database run one after another, so
 * a caller that awaits this sees every response stored before it called.
 */
export function foldPendingAggregates(db: Kysely<Database>): Promise<number> {
  const run = async () => {
    let total = 0;
    for (;;) {
      const n = await foldBatch(db);
      total += n;
      if (n < FOLD_BATCH) return total;
      await new Promise((resolve) => setImmediate(resolve)); // let waiting requests in between batches
    }
  };
  const chain = (foldChains.get(db) ?? Promise.resolve(0)).catch(() => 0).then(run);
  foldChains.set(db, chain);
  return chain;
}

const scheduled = new WeakSet<object>();
/**
 * Folds a moment later, without making the caller wait. The short delay gathers the submissions
 * of several tablets into one batch (they share most margin cells); dashboard reads fold first
 * anyway, so nobody sees stale figures. A failure leaves responses pending for the next fold.
 */
export const FOLD_DELAY_MS = 250;
export function scheduleFold(db: Kysely<Database>): void {
  if (scheduled.has(db)) return;
  scheduled.add(db);
  setTimeout(() => {
    scheduled.delete(db);
    foldPendingAggregates(db).catch((err) => console.error("folding responses into the aggregates failed:", err instanceof Error ? err.message : err));
  }, FOLD_DELAY_MS).unref();
}
