// Pre-aggregated figures that dashboards read, kept up to date in the same transaction as each
// response is stored or excluded (no nightly batch). See db/migrations/0004_aggregates.ts.
import type { Kysely, Transaction } from "kysely";
import type { AggAnswerCellTable, AggIndicatorCellTable, Database } from "~db/schema";
import { fromJson } from "~db/portable";
import { hasAnswer, isChoice, scoreResponse, type Answers, type SurveyDefinition } from "~/survey";

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

const keyString = (k: Key, extra: string) =>
  `${k.survey_id}\u0001${k.survey_version}\u0001${k.round_id}\u0001${k.month}\u0001${k.community_id}\u0001${k.from_session}\u0001${k.gender}\u0001${k.age_band}\u0001${k.disability}\u0001${k.displacement}\u0001${k.custom_key}\u0001${extra}`;

/**
 * Sums response contributions by cell in memory, so a batch (or a whole rebuild) touches each
 * cell once. Pure: the same code serves ingest, exclusions, rebuilds and the bench generator.
 */
export class AggregateAccumulator {
  readonly indicators = new Map<string, AggIndicatorCellTable>();
  readonly answers = new Map<string, AggAnswerCellTable>();

  add(r: AggregateInput, rounds: RoundDates[], sign: 1 | -1): void {
    const def = r.definition;
    const key: Key = {
      survey_id: r.surveyId,
      survey_version: r.surveyVersion,
      round_id: roundFor(r.roundId, r.collectedAt, rounds),
      month: r.collectedAt.slice(0, 7),
      community_id: r.communityId ?? "",
      from_session: r.sessionId ? 1 : 0,
      ...groupKey(def, r.answers),
    };
    for (const indicator of def.indicators) {
      const k = keyString(key, indicator.id);
      let cell = this.indicators.get(k);
      if (!cell) {
        cell = { ...key, indicator_id: indicator.id, n: 0, score_sum: 0, score_sq: 0, excluded: 0, missing: 0 };
        this.indicators.set(k, cell);
      }
      const s = scoreResponse(def, indicator, r.answers);
      if (s.counted) {
        cell.n += sign;
        cell.score_sum += sign * s.value;
        cell.score_sq += sign * s.value * s.value;
      } else if (s.reason === "excluded") cell.excluded += sign;
      else cell.missing += sign;
    }
    for (const q of def.questions) {
      if (!isChoice(q)) continue;
      const v = r.answers[q.id];
      if (!hasAnswer(v)) continue;
      const codes = Array.isArray(v) ? v.map(String) : [String(v)];
      const picks = q.type === "ranking" ? (q.maxPicks ?? codes.length) : 0;
      const bump = (code: string, points: number) => {
        const k = keyString(key, `${q.id}\u0001${code}`);
        let cell = this.answers.get(k);
        if (!cell) {
          cell = { ...key, question_id: q.id, code, n: 0, rank_points: 0 };
          this.answers.set(k, cell);
        }
        cell.n += sign;
        cell.rank_points += sign * points;
      };
      bump("*", 0);
      codes.forEach((code, i) => bump(code, q.type === "ranking" ? Math.max(0, picks - i) : 0));
    }
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

const INDICATOR_PK = ["survey_id", "indicator_id", ...KEY_COLUMNS.slice(1)] as const;
const ANSWER_PK = ["survey_id", "question_id", "code", ...KEY_COLUMNS.slice(1)] as const;
const CHUNK = 400; // rows per statement: ~17 parameters each stays under SQLite's and pg's limits

/** Adds the accumulated deltas to the stored cells (insert, or add on conflict). */
export async function writeDeltas(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  const ind = [...acc.indicators.values()];
  for (let i = 0; i < ind.length; i += CHUNK) {
    await db
      .insertInto("agg_indicator_cells")
      .values(ind.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns([...INDICATOR_PK]).doUpdateSet((eb) => ({
          n: eb("agg_indicator_cells.n", "+", eb.ref("excluded.n")),
          score_sum: eb("agg_indicator_cells.score_sum", "+", eb.ref("excluded.score_sum")),
          score_sq: eb("agg_indicator_cells.score_sq", "+", eb.ref("excluded.score_sq")),
          excluded: eb("agg_indicator_cells.excluded", "+", eb.ref("excluded.excluded")),
          missing: eb("agg_indicator_cells.missing", "+", eb.ref("excluded.missing")),
        })),
      )
      .execute();
  }
  const ans = [...acc.answers.values()];
  for (let i = 0; i < ans.length; i += CHUNK) {
    await db
      .insertInto("agg_answer_cells")
      .values(ans.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns([...ANSWER_PK]).doUpdateSet((eb) => ({
          n: eb("agg_answer_cells.n", "+", eb.ref("excluded.n")),
          rank_points: eb("agg_answer_cells.rank_points", "+", eb.ref("excluded.rank_points")),
        })),
      )
      .execute();
  }
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
    // Cells emptied by an exclusion go, so the table stays equal to a from-scratch rebuild.
    const surveys = [...new Set(responses.map((r) => r.surveyId))];
    await trx
      .deleteFrom("agg_indicator_cells")
      .where("survey_id", "in", surveys)
      .where("n", "=", 0)
      .where("excluded", "=", 0)
      .where("missing", "=", 0)
      .execute();
    await trx.deleteFrom("agg_answer_cells").where("survey_id", "in", surveys).where("n", "=", 0).execute();
  }
}

/** Inserts freshly accumulated cells into tables known to be empty for their surveys. */
export async function insertCells(db: Kysely<Database> | Transaction<Database>, acc: AggregateAccumulator): Promise<void> {
  const ind = [...acc.indicators.values()];
  for (let i = 0; i < ind.length; i += CHUNK) await db.insertInto("agg_indicator_cells").values(ind.slice(i, i + CHUNK)).execute();
  const ans = [...acc.answers.values()];
  for (let i = 0; i < ans.length; i += CHUNK) await db.insertInto("agg_answer_cells").values(ans.slice(i, i + CHUNK)).execute();
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
      await trx.deleteFrom("agg_indicator_cells").where("survey_id", "=", id).execute();
      await trx.deleteFrom("agg_answer_cells").where("survey_id", "=", id).execute();
      await insertCells(trx, acc);
    });
  }
}
