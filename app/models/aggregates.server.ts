// Pre-aggregated figures that dashboards read, kept up to date without a nightly batch: tablets'
// responses are folded in just after they are stored (see Folding below), imports store rows and
// figures in one transaction, exclusions take figures out in theirs. See db/migrations/0004_aggregates.ts.
import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from "kysely";
import type { AggAnswerMarginTable, AggIndicatorCellTable, AggIndicatorMarginTable, Database } from "~db/schema";
import { fromJson } from "~db/portable";
import { insertStatement, insertStatements, type RawStatement } from "~db/bulk-insert";
import { hasAnswer, isChoice, scoreAll, type Answers, type SurveyDefinition } from "~/survey";
import { getPublishedDefinition } from "./surveys.server";
import { bestEffort } from "~/server/failures";

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

type MarginKey = Pick<AggIndicatorMarginTable, "survey_id" | "survey_version" | "round_id" | "month" | "community_id" | "from_session" | "dimension" | "value">;

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

/** A place and period (survey, version, round, month, community, focus group or not). */
type Place = Pick<Key, "survey_id" | "survey_version" | "round_id" | "month" | "community_id" | "from_session">;
type Group = Pick<Key, BuiltInDimension | "custom_key">;

/**
 * Where a response counts: its place and period, its group, and a string naming each. Responses
 * with the same two strings count in the same cells, so the importer sorts rows by them too.
 */
export function cellOf(r: AggregateInput, rounds: RoundDates[]) {
  const round = roundFor(r.roundId, r.collectedAt, rounds);
  const month = r.collectedAt.slice(0, 7);
  const community = r.communityId ?? "";
  const fromSession: 0 | 1 = r.sessionId ? 1 : 0;
  const group = groupKey(r.definition, r.answers);
  return {
    round,
    month,
    community,
    fromSession,
    placeString: `${r.surveyId}\u0001${r.surveyVersion}\u0001${round}\u0001${month}\u0001${community}\u0001${fromSession}`,
    group,
    groupString: `${group.gender}\u0001${group.age_band}\u0001${group.disability}\u0001${group.displacement}\u0001${group.custom_key}`,
  };
}

/**
 * The running sums of one cell key: a run of numbers per slot (an indicator, or a question and
 * answer code), and whether each slot has been touched (only touched slots become rows).
 */
interface Block<K> {
  key: K;
  sums: number[];
  touched: number[];
}
const IND_WIDTH = 5; // n, score_sum, score_sq, excluded, missing
const ANS_WIDTH = 2; // n, rank_points

/** What the accumulator needs of a definition, worked out once per definition. */
interface Plan {
  dims: BuiltInDimension[];
  /** Slot of each indicator, in definition order (for scoreAll's results). */
  indicatorSlots: number[];
  /** Choice questions: their id, whether ranking (with its points), and code → slot. */
  choices: { id: string; ranking: boolean; maxPicks: number | undefined; slots: Map<string, number> }[];
}

function block<K>(key: K, width: number, slots: number): Block<K> {
  return { key, sums: new Array<number>(width * slots).fill(0), touched: new Array<number>(slots).fill(0) };
}
/** Makes room for slots interned after the block was made. */
function grow<K>(b: Block<K>, width: number, slots: number) {
  while (b.touched.length < slots) {
    b.touched.push(0);
    for (let i = 0; i < width; i++) b.sums.push(0);
  }
}

/**
 * Sums response contributions by cell in memory, so a batch (or a whole rebuild) touches each
 * cell once. Pure: the same code serves ingest, exclusions, rebuilds, imports and the bench
 * generator. Every response goes to one fine cell (all its disaggregation answers) and to one
 * margin per built-in dimension plus the total margin (dimension ''), which is what most views read.
 *
 * It is on the path of every import and rebuild, so it avoids long string keys and objects per
 * cell: places, groups and margins are interned to small numbers, and each cell key holds its
 * sums in a flat array indexed by slot (an indicator, or a question and answer code).
 */
export class AggregateAccumulator {
  /** Cells touched so far: what a write of these deltas will cost. */
  cells = 0;
  private placeIds = new Map<string, number>();
  private places: Place[] = [];
  private groupIds = new Map<string, number>();
  private groups: Group[] = [];
  /** Margin ids: 0 is the total; then one per built-in dimension and value. */
  private marginIds = new Map<string, number>([["\u0001", 0]]);
  private margins: { dimension: string; value: string }[] = [{ dimension: "", value: "" }];
  private indicatorSlotIds = new Map<string, number>();
  private indicatorIds: string[] = [];
  private answerSlots: { question: string; code: string }[] = [];
  private plans = new Map<SurveyDefinition, Plan>();
  /** place → group → fine indicator cells. */
  private fine = new Map<number, Map<number, Block<Key>>>();
  /** place → margin id → indicator margin cells and answer margin cells. */
  private indicatorMargins = new Map<number, Block<MarginKey>[]>();
  private answerMargins = new Map<number, Block<MarginKey>[]>();
  /**
   * The blocks of the last response's place and group. Rows in cell order (imports, rebuilds)
   * mostly share them with the one before, and then skip finding them again.
   */
  private last: { place: string; group: string; plan: Plan; nInd: number; marginIds: number[]; indBlocks: Block<Key | MarginKey>[]; ansBlocks: Block<MarginKey>[]; placeId: number } | null = null;

  private plan(def: SurveyDefinition): Plan {
    let plan = this.plans.get(def);
    if (plan) return plan;
    const indicatorSlots = def.indicators.map((indicator) => {
      let slot = this.indicatorSlotIds.get(indicator.id);
      if (slot === undefined) {
        this.indicatorSlotIds.set(indicator.id, (slot = this.indicatorIds.length));
        this.indicatorIds.push(indicator.id);
      }
      return slot;
    });
    const choices = def.questions
      .filter(isChoice)
      .map((q) => ({ id: q.id, ranking: q.type === "ranking", maxPicks: q.type === "ranking" ? q.maxPicks : undefined, slots: new Map<string, number>() }));
    // Questions and codes of other definitions already interned keep their slots.
    for (const c of choices) for (const [i, s] of this.answerSlots.entries()) if (s.question === c.id) c.slots.set(s.code, i);
    plan = { dims: builtInDimensionsOf(def), indicatorSlots, choices };
    this.plans.set(def, plan);
    return plan;
  }

  private answerSlot(choice: Plan["choices"][number], code: string): number {
    let slot = choice.slots.get(code);
    if (slot === undefined) {
      slot = this.answerSlots.length;
      this.answerSlots.push({ question: choice.id, code });
      // Other plans asking the same question learn the new code's slot too.
      for (const p of this.plans.values()) for (const c of p.choices) if (c.id === choice.id) c.slots.set(code, slot);
    }
    return slot;
  }

  private marginId(dimension: string, value: string): number {
    const k = `${dimension}\u0001${value}`;
    let id = this.marginIds.get(k);
    if (id === undefined) {
      this.marginIds.set(k, (id = this.margins.length));
      this.margins.push({ dimension, value });
    }
    return id;
  }

  private marginBlocks(outer: Map<number, Block<MarginKey>[]>, placeId: number, marginId: number, width: number, slots: number): Block<MarginKey> {
    let list = outer.get(placeId);
    if (!list) outer.set(placeId, (list = []));
    let b = list[marginId];
    if (!b) list[marginId] = b = block({ ...this.places[placeId], ...this.margins[marginId] }, width, slots);
    else if (b.touched.length < slots) grow(b, width, slots);
    return b;
  }

  /** A block's sums, its slot marked touched (and counted the first time). */
  private touch<K>(cell: Block<K>, slot: number): number[] {
    if (cell.touched[slot] === 0) {
      cell.touched[slot] = 1;
      this.cells++;
    }
    return cell.sums;
  }

  add(r: AggregateInput, rounds: RoundDates[], sign: 1 | -1): void {
    const def = r.definition;
    const plan = this.plan(def);
    const { round, month, community, fromSession, placeString, group, groupString } = cellOf(r, rounds);
    const nInd = this.indicatorIds.length;
    let last = this.last;
    if (!last || last.place !== placeString || last.group !== groupString || last.plan !== plan || last.nInd !== nInd) {
      let placeId = this.placeIds.get(placeString);
      if (placeId === undefined) {
        this.placeIds.set(placeString, (placeId = this.places.length));
        this.places.push({ survey_id: r.surveyId, survey_version: r.surveyVersion, round_id: round, month, community_id: community, from_session: fromSession });
      }
      let groupId = this.groupIds.get(groupString);
      if (groupId === undefined) {
        this.groupIds.set(groupString, (groupId = this.groups.length));
        this.groups.push(group);
      }
      // Indicators: the fine cell and every margin.
      let byGroup = this.fine.get(placeId);
      if (!byGroup) this.fine.set(placeId, (byGroup = new Map()));
      let fine = byGroup.get(groupId);
      if (!fine) byGroup.set(groupId, (fine = block({ ...this.places[placeId], ...group }, IND_WIDTH, nInd)));
      else if (fine.touched.length < nInd) grow(fine, IND_WIDTH, nInd);
      const marginIds = [0, ...plan.dims.map((d) => this.marginId(d, group[d]))];
      const pid = placeId;
      const indBlocks = [fine, ...marginIds.map((m) => this.marginBlocks(this.indicatorMargins, pid, m, IND_WIDTH, nInd))];
      last = this.last = { place: placeString, group: groupString, plan, nInd, marginIds, indBlocks, ansBlocks: [], placeId };
    }
    const { marginIds, indBlocks, placeId } = last;
    const scores = scoreAll(def, r.answers);
    for (let k = 0; k < scores.length; k++) {
      const s = scores[k];
      const slot = plan.indicatorSlots[k];
      const at = slot * IND_WIDTH;
      for (let b = 0; b < indBlocks.length; b++) {
        const sums = this.touch(indBlocks[b], slot);
        if (s.counted) {
          sums[at] += sign;
          sums[at + 1] += sign * s.value;
          sums[at + 2] += sign * s.value * s.value;
        } else if (s.reason === "excluded") sums[at + 3] += sign;
        else sums[at + 4] += sign;
      }
    }

    // Answer codes: every margin ("*" counts the question answered; ranks earn points).
    const ansBlocks = last.ansBlocks;
    for (const c of plan.choices) {
      const v = r.answers[c.id];
      if (!hasAnswer(v)) continue;
      const codes = Array.isArray(v) ? v.map(String) : [String(v)];
      const picks = c.ranking ? (c.maxPicks ?? codes.length) : 0;
      for (let i = -1; i < codes.length; i++) {
        const slot = this.answerSlot(c, i < 0 ? "*" : codes[i]);
        const points = i >= 0 && c.ranking ? Math.max(0, picks - i) : 0;
        if (ansBlocks.length === 0 || ansBlocks[0].touched.length <= slot) {
          const nAns = this.answerSlots.length;
          ansBlocks.length = 0;
          for (const m of marginIds) ansBlocks.push(this.marginBlocks(this.answerMargins, placeId, m, ANS_WIDTH, nAns));
        }
        const at = slot * ANS_WIDTH;
        for (let b = 0; b < ansBlocks.length; b++) {
          const sums = this.touch(ansBlocks[b], slot);
          sums[at] += sign;
          sums[at + 1] += sign * points;
        }
      }
    }
  }

  /** The touched fine indicator cells, as rows. */
  indicatorCellRows(): AggIndicatorCellTable[] {
    const out: AggIndicatorCellTable[] = [];
    for (const byGroup of this.fine.values()) for (const b of byGroup.values()) out.push(...this.indicatorRows(b));
    return out;
  }

  indicatorMarginRows(): AggIndicatorMarginTable[] {
    const out: AggIndicatorMarginTable[] = [];
    for (const list of this.indicatorMargins.values()) for (const b of list) if (b) out.push(...this.indicatorRows(b));
    return out;
  }

  answerMarginRows(): AggAnswerMarginTable[] {
    const out: AggAnswerMarginTable[] = [];
    for (const list of this.answerMargins.values())
      for (const b of list) {
        if (!b) continue;
        for (let slot = 0; slot < b.touched.length; slot++) {
          if (b.touched[slot] === 0) continue;
          const { question, code } = this.answerSlots[slot];
          out.push({ ...b.key, question_id: question, code, n: b.sums[slot * ANS_WIDTH], rank_points: b.sums[slot * ANS_WIDTH + 1] });
        }
      }
    return out;
  }

  private indicatorRows<K extends object>(b: Block<K>) {
    const out: (K & { indicator_id: string; n: number; score_sum: number; score_sq: number; excluded: number; missing: number })[] = [];
    for (let slot = 0; slot < b.touched.length; slot++) {
      if (b.touched[slot] === 0) continue;
      const at = slot * IND_WIDTH;
      const s = b.sums;
      out.push({ ...b.key, indicator_id: this.indicatorIds[slot], n: s[at], score_sum: s[at + 1], score_sq: s[at + 2], excluded: s[at + 3], missing: s[at + 4] });
    }
    return out;
  }
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
  { table: "agg_indicator_cells", pk: ["survey_id", "indicator_id", ...KEY_COLUMNS.slice(1)], sums: INDICATOR_SUMS, rows: (a: AggregateAccumulator) => a.indicatorCellRows() },
  { table: "agg_indicator_margins", pk: ["survey_id", "indicator_id", ...MARGIN_KEY], sums: INDICATOR_SUMS, rows: (a: AggregateAccumulator) => a.indicatorMarginRows() },
  { table: "agg_answer_margins", pk: ["survey_id", "question_id", "code", ...MARGIN_KEY], sums: ANSWER_SUMS, rows: (a: AggregateAccumulator) => a.answerMarginRows() },
] as const;

const CHUNK = 256; // rows per statement: ~17 parameters each stays under SQLite's and pg's limits; fewer in halving pieces

/** The statements that write rows of one aggregate table (adding on conflict when `add`). */
function rowStatements(postgres: boolean, t: (typeof AGGREGATE_TABLES)[number], rows: object[], add: boolean): RawStatement[] {
  if (rows.length === 0) return [];
  if (add) {
    // Cells in primary-key order. PostgreSQL runs writers side by side and locks each cell it adds
    // to: in one agreed order two writers can wait for each other but never deadlock. SQLite then
    // walks its index pages in order instead of jumping about them.
    const keyOf = (row: Record<string, unknown>) => t.pk.map((c) => String(row[c])).join("\u0001");
    rows = (rows as Record<string, unknown>[])
      .map((row) => [keyOf(row), row] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, row]) => row);
  }
  // Adding: a cell already stored gets the deltas added to its sums.
  const tail = add
    ? `on conflict (${t.pk.map((c) => `"${c}"`).join(",")}) do update set ${t.sums.map((c) => `"${c}" = "${t.table}"."${c}" + excluded."${c}"`).join(", ")}`
    : "";
  const out: RawStatement[] = [];
  out.push(...insertStatements(postgres, t.table, rows as Record<string, unknown>[], tail, CHUNK));
  return out;
}

/**
 * The statements that add an accumulator's deltas to the stored cells, for either database,
 * letting `turn` (the event loop) in between its steps: a batch of thousands of cells takes tens
 * of milliseconds to lay out, and the server's thread answers requests meanwhile.
 */
export async function deltaStatementsInTurns(acc: AggregateAccumulator, postgres: boolean, turn: () => Promise<void>): Promise<RawStatement[]> {
  const out: RawStatement[] = [];
  const surveys = new Set<string>();
  for (const t of AGGREGATE_TABLES) {
    const rows = t.rows(acc);
    for (const r of rows as { survey_id: string }[]) surveys.add(r.survey_id);
    await turn();
    out.push(...rowStatements(postgres, t, rows, true));
    await turn();
  }
  out.push(...stampStatements(postgres, surveys));
  return out;
}

/**
 * Moves on the stamps of the surveys whose cells a transaction changed (aggregate_stamps), last in
 * the transaction: dashboards rebuild a survey's disclosure family when its stamp has moved.
 */
function stampStatements(postgres: boolean, surveyIds: Iterable<string>): RawStatement[] {
  const rows = [...new Set(surveyIds)].sort().map((survey_id) => ({ survey_id, stamp: 1 }));
  if (rows.length === 0) return [];
  return [insertStatement(postgres, "aggregate_stamps", rows, `on conflict ("survey_id") do update set "stamp" = "aggregate_stamps"."stamp" + 1`)];
}

async function bumpStamps(db: Kysely<Database> | Transaction<Database>, surveyIds: Iterable<string>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const st of stampStatements(postgres, surveyIds)) await db.executeQuery(CompiledQuery.raw(st.sql, st.params));
}

async function writeRows(db: Kysely<Database> | Transaction<Database>, t: (typeof AGGREGATE_TABLES)[number], rows: object[], add: boolean) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const st of rowStatements(postgres, t, rows, add)) await db.executeQuery(CompiledQuery.raw(st.sql, st.params));
}

/** Adds the accumulated deltas to the stored cells (insert, or add on conflict). */
export async function writeDeltas(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  await writeCells(db, acc, true);
}

/** Writes an accumulator's cells (adding on conflict when `add`), then moves the stamps of their surveys. */
async function writeCells(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator, add: boolean): Promise<void> {
  const surveys = new Set<string>();
  for (const t of AGGREGATE_TABLES) {
    const rows = t.rows(acc);
    for (const r of rows as { survey_id: string }[]) surveys.add(r.survey_id);
    await writeRows(db, t, rows, add);
  }
  await bumpStamps(db, surveys);
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

/** Stored response rows as aggregate input (rows of versions never published are left out). */
export async function storedAggregateInputs(
  db: Kysely<Database> | Transaction<Database>,
  surveyId: string,
  rows: { id: string; survey_version: number; answers: string; community_id: string | null; round_id: string | null; session_id: string | null; collected_at: string }[],
): Promise<AggregateInput[]> {
  const versions = [...new Set(rows.map((r) => Number(r.survey_version)))];
  const defs = new Map<number, SurveyDefinition>();
  if (versions.length) {
    const found = await db.selectFrom("survey_versions").select(["version", "definition"]).where("survey_id", "=", surveyId).where("version", "in", versions).execute();
    for (const v of found) defs.set(Number(v.version), fromJson<SurveyDefinition>(v.definition)!);
  }
  return rows
    .filter((r) => defs.has(Number(r.survey_version)))
    .map((r) => ({
      id: r.id,
      surveyId,
      surveyVersion: Number(r.survey_version),
      definition: defs.get(Number(r.survey_version))!,
      answers: fromJson<Answers>(r.answers) ?? {},
      communityId: r.community_id,
      roundId: r.round_id,
      sessionId: r.session_id,
      collectedAt: r.collected_at,
    }));
}

/** Inserts freshly accumulated cells into tables known to be empty for their surveys. */
export async function insertCells(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  await writeCells(db, acc, false);
}

/** Every response of a survey that counts (not excluded), as aggregate input, page by page. */
export async function* countedResponses(db: Kysely<Database>, surveyId: string, pageSize = 5000): AsyncGenerator<AggregateInput[]> {
  const definitions = new Map<number, SurveyDefinition>();
  let after = { submittedAt: "", id: "" };
  for (;;) {
    const rows = await db
      .selectFrom("responses")
      .select(["id", "survey_version", "answers", "community_id", "round_id", "session_id", "collected_at", "submitted_at"])
      .where("survey_id", "=", surveyId)
      .where("excluded_at", "is", null)
      .where((eb) => eb(eb.refTuple("submitted_at", "id"), ">", eb.tuple(after.submittedAt, after.id)))
      .orderBy("submitted_at")
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
    after = { submittedAt: rows[rows.length - 1].submitted_at, id: rows[rows.length - 1].id };
  }
}

/** The stamp of a survey's aggregate cells (0 before any were written). */
export async function aggregateStamp(db: Kysely<Database>, surveyId: string): Promise<number> {
  const row = await db.selectFrom("aggregate_stamps").select("stamp").where("survey_id", "=", surveyId).executeTakeFirst();
  return Number(row?.stamp ?? 0);
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
      await bumpStamps(trx, [id]); // also when nothing is left to count
      // Everything not excluded is now counted: nothing is left pending to be added twice.
      await trx.updateTable("responses").set({ aggregated: 1 }).where("survey_id", "=", id).where("aggregated", "=", 0).execute();
    });
  }
}

/**
 * Rebuilds the surveys a migration recorded in `aggregate_rebuilds` (a migration cannot run the
 * app's code), then forgets them. Run at start-up right after the migrations (app/cli/serve.ts).
 */
export async function runRecordedRebuilds(db: Kysely<Database>): Promise<string[]> {
  const recorded = (await db.selectFrom("aggregate_rebuilds").select("survey_id").orderBy("survey_id").execute()).map((r) => r.survey_id);
  for (const id of recorded) {
    await rebuildAggregates(db, id);
    await db.deleteFrom("aggregate_rebuilds").where("survey_id", "=", id).execute();
  }
  return recorded;
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

/**
 * For readers (dashboards, report, API series, arrivals): folds what is pending first, as
 * above — or, when the database cannot take writes (a full disk), serves the figures as last
 * folded rather than failing: they are a state already published, and nothing new can arrive.
 */
export async function foldBeforeReading(db: Kysely<Database>): Promise<void> {
  await bestEffort(foldPendingAggregates(db), "figures served as last folded; folding pending responses failed");
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
