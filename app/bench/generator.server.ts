// Bulk synthetic data for benchmarks: a programme with N communities and R rounds, the community
// security survey (15 answered questions, one a top-3 ranking) and any number of responses with
// realistic distributions (app/demo/synthetic.ts), plus their dashboard aggregates.
//
// How it stays fast: responses are generated in chunks and written with raw prepared statements in
// big transactions on SQLite (better-sqlite3, ~100k rows/s here) or multi-row INSERTs on PostgreSQL;
// the aggregates are summed in memory by the same AggregateAccumulator the ingest path uses and
// written once at the end, instead of one upsert per response. 1,000,000 responses load in a few
// minutes on a 2-core machine.
import type { Kysely } from "kysely";
import type SQLite from "better-sqlite3";
import type { Database } from "~db/schema";
import type { Db } from "~db/connect";
import type { Dialect } from "~db/portable";
import { createUser } from "~/models/users.server";
import { createCommunity, createProgramme } from "~/models/programmes.server";
import { createSurvey, publishDraft } from "~/models/surveys.server";
import { createRound } from "~/models/rounds.server";
import { getTemplate } from "~/survey-templates.server";
import { AGGREGATE_TABLES, AggregateAccumulator, insertCells, type RoundDates } from "~/models/aggregates.server";
import { communitySecurityAnswers, profile, seeded, seededUuid, timeWithin } from "~/demo/synthetic";
import type { Answers, SurveyDefinition } from "~/survey";

export interface GenerateOptions {
  responses: number;
  rounds?: number;
  communities?: number;
  seed?: number;
  /** Rows per transaction (SQLite) or per INSERT (PostgreSQL). */
  chunk?: number;
  onProgress?: (done: number) => void;
}

export interface Generated {
  programmeId: string;
  surveyId: string;
  userId: string;
  roundIds: string[];
  communityIds: string[];
  definition: SurveyDefinition;
}

const COLUMNS = [
  "id",
  "survey_id",
  "survey_version",
  "link_id",
  "session_id",
  "community_id",
  "round_id",
  "language",
  "collected_at",
  "submitted_at",
  "content_hash",
  "answers",
  "source",
] as const;

/**
 * Creates the programme, survey, rounds and communities, then loads `responses` synthetic
 * responses and builds their aggregates. Pass the Db from openSqlite to get the raw prepared
 * statement path on SQLite (a bare Kysely instance falls back to multi-row INSERTs).
 */
export async function generateResponses(target: Db | Kysely<Database>, dialect: Dialect, opts: GenerateOptions): Promise<Generated> {
  const db: Kysely<Database> = "db" in target && "dialect" in target ? target.db : (target as Kysely<Database>);
  const sqlite: SQLite.Database | undefined = "sqlite" in target ? target.sqlite : undefined;
  const roundCount = opts.rounds ?? 6;
  const communityCount = opts.communities ?? 40;
  const seed = opts.seed ?? 1;
  const chunk = opts.chunk ?? (dialect === "sqlite" ? 50_000 : 2_000);

  const user = await createUser(db, { email: `bench.${seed}.${Date.now()}@example.org`, displayName: "Bench", password: "bench password 1", isAdmin: true });
  const programmeId = await createProgramme(db, { name: `Bench programme ${seed} ${Date.now()}`, country: "", description: "", minCellSize: 10 });
  const communityIds: string[] = [];
  for (let i = 0; i < communityCount; i++) communityIds.push(await createCommunity(db, { programmeId, name: `Community ${String(i + 1).padStart(2, "0")}`, region: `Region ${(i % 5) + 1}` }));
  const definition = structuredClone(getTemplate("community_security")!.definition);
  const surveyId = await createSurvey(db, { programmeId, definition, createdBy: user.id });
  const published = await publishDraft(db, surveyId, user.id);
  if (!published.ok) throw new Error("the bench survey did not publish");
  // Rounds of two months, one every five months, ending before today.
  const rounds: RoundDates[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let r = 0; r < roundCount; r++) {
    const s = new Date(start + r * 152 * 86_400_000).toISOString().slice(0, 10);
    const e = new Date(start + (r * 152 + 60) * 86_400_000).toISOString().slice(0, 10);
    const id = await createRound(db, { programmeId, name: `Round ${r + 1}`, kind: r === 0 ? "baseline" : r === roundCount - 1 ? "endline" : "custom", startsOn: s, endsOn: e });
    rounds.push({ id, startsOn: s, endsOn: e });
  }

  const rng = seeded(seed);
  const effects = communityIds.map(() => (rng() - 0.5) * 0.2);
  const acc = new AggregateAccumulator();
  const submittedAt = new Date().toISOString();
  const insertSqlite = sqlite?.prepare(`INSERT INTO responses (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);

  let done = 0;
  while (done < opts.responses) {
    const n = Math.min(chunk, opts.responses - done);
    const rows: (string | number | null)[][] = [];
    for (let i = 0; i < n; i++) {
      const k = done + i;
      const c = k % communityCount;
      const r = Math.floor((k / opts.responses) * roundCount);
      const round = rounds[r];
      const answers = communitySecurityAnswers(rng, profile(rng, r, effects[c]));
      const collectedAt = timeWithin(rng, round.startsOn, round.endsOn);
      const id = seededUuid(rng);
      // A tenth of responses come from focus-group sessions (one session per community and round).
      // As a tablet makes them: a UUID (an import of the export checks that).
      const sessionId = k % 10 === 0 ? `00000000-0000-4000-8000-${(c * 1000 + r).toString(16).padStart(12, "0")}` : null;
      acc.add({ id, surveyId, surveyVersion: 1, definition, answers: answers as Answers, communityId: communityIds[c], roundId: round.id, sessionId, collectedAt }, rounds, 1);
      rows.push([id, surveyId, 1, null, sessionId, communityIds[c], round.id, "en", collectedAt, submittedAt, id, JSON.stringify(answers), "bench"]);
    }
    if (insertSqlite) {
      sqlite!.transaction(() => {
        for (const row of rows) insertSqlite.run(row);
      })();
    } else {
      const objects = rows.map((row) => Object.fromEntries(COLUMNS.map((col, i) => [col, row[i]])) as never);
      for (let i = 0; i < objects.length; i += 2000) await db.insertInto("responses").values(objects.slice(i, i + 2000)).execute();
    }
    done += n;
    opts.onProgress?.(done);
  }
  await writeAggregates(db, sqlite, acc);
  return { programmeId, surveyId, userId: user.id, roundIds: rounds.map((r) => r.id), communityIds, definition };
}

async function writeAggregates(db: Kysely<Database>, sqlite: SQLite.Database | undefined, acc: AggregateAccumulator) {
  if (!sqlite) {
    await db.transaction().execute((trx) => insertCells(trx, acc));
    return;
  }
  for (const t of AGGREGATE_TABLES) {
    const table = t.table;
    // Rows come out grouped by period, place and group (the accumulator's outer key), which keeps
    // inserts into the clustered tables mostly local without paying for a full sort.
    const rows = t.rows(acc) as object[];
    if (rows.length === 0) continue;
    const cols = Object.keys(rows[0]);
    const stmt = sqlite.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`);
    sqlite.transaction(() => {
      for (const row of rows) stmt.run(cols.map((c) => (row as unknown as Record<string, unknown>)[c]));
    })();
  }
}
