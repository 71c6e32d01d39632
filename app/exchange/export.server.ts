// Streams a survey's raw responses as CSV: keyset-paginated chunks, yielding to the event loop
// between chunks so a million-row export neither fills memory nor blocks other requests.
import { BOM, toCsv } from "./csv-write";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { fromJson } from "~db/portable";
import type { Answers, SurveyDefinition } from "~/survey";
import { roundFor, roundsBySurvey } from "~/models/aggregates.server";
import { answerCells, buildLayout, FIXED_COLUMNS, labelMaps, type Layout } from "./layout";

const CHUNK = 2000;

export interface ExportOptions {
  /** Option labels in this language instead of codes. */
  language?: string;
  /** Byte-order mark first, so Excel reads the file as UTF-8. */
  bom?: boolean;
  chunkSize?: number;
}

export async function surveyVersions(db: Kysely<Database>, surveyId: string) {
  const rows = await db
    .selectFrom("survey_versions")
    .select(["version", "definition"])
    .where("survey_id", "=", surveyId)
    .orderBy("version")
    .execute();
  return rows.map((r) => ({ version: Number(r.version), definition: fromJson<SurveyDefinition>(r.definition)! }));
}

export async function surveyLayout(db: Kysely<Database>, surveyId: string): Promise<Layout> {
  return buildLayout(await surveyVersions(db, surveyId));
}


const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The CSV text in pieces: header first, then one piece per chunk of responses (excluded ones left out). */
export async function* exportResponsesCsv(
  db: Kysely<Database>,
  surveyId: string,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const layout = await surveyLayout(db, surveyId);
  const survey = await db.selectFrom("surveys").select("programme_id").where("id", "=", surveyId).executeTakeFirstOrThrow();
  const [communities, rounds] = await Promise.all([
    db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", survey.programme_id).execute(),
    db.selectFrom("rounds").select(["id", "name"]).where("programme_id", "=", survey.programme_id).execute(),
  ]);
  const communityName = new Map(communities.map((c) => [c.id, c.name]));
  // Who collected it: the session's tablet and facilitator, for each response given in a session.
  const sessions = new Map(
    (await db.selectFrom("fg_sessions").select(["id", "device_name", "facilitator_name"]).where("survey_id", "=", surveyId).execute()).map((s) => [s.id, s]),
  );
  const roundName = new Map(rounds.map((r) => [r.id, r.name]));
  // The round each response counts in on the dashboards, by the same rule: its own, or else the
  // round whose dates contain it (so an analyst can rebuild baseline, midline and endline).
  const roundDates = (await roundsBySurvey(db, [surveyId])).get(surveyId) ?? [];
  const labels = options.language ? labelMaps(layout, options.language) : undefined;
  yield (options.bom ? BOM : "") + toCsv([layout.columns]);

  const size = options.chunkSize ?? CHUNK;
  // Page by page in the order responses arrived, along the (survey_id, submitted_at, id) index.
  let after = { submittedAt: "", id: "" };
  for (;;) {
    await nextTick();
    const rows = await db
      .selectFrom("responses")
      .select(["id", "survey_version", "collected_at", "submitted_at", "community_id", "round_id", "session_id", "language", "answers"])
      .where("survey_id", "=", surveyId)
      .where((eb) => eb(eb.refTuple("submitted_at", "id"), ">", eb.tuple(after.submittedAt, after.id)))
      .where("excluded_at", "is", null)
      .orderBy("submitted_at")
      .orderBy("id")
      .limit(size)
      .execute();
    if (rows.length === 0) return;
    after = { submittedAt: rows[rows.length - 1].submitted_at, id: rows[rows.length - 1].id };
    const out: (string | number)[][] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const answers = (JSON.parse(r.answers) ?? {}) as Answers;
      out[i] = answerCells(layout, answers, labels, [
        r.id,
        Number(r.survey_version),
        r.collected_at,
        r.submitted_at,
        (r.community_id && communityName.get(r.community_id)) || "",
        roundName.get(roundFor(r.round_id, r.collected_at, roundDates)) ?? "",
        r.session_id ?? "",
        r.language,
        (r.session_id && sessions.get(r.session_id)?.device_name) || "",
        (r.session_id && sessions.get(r.session_id)?.facilitator_name) || "",
      ]);
    }
    yield toCsv(out);
    if (rows.length < size) return;
  }
}

/** The same pieces as a web stream of UTF-8 bytes, pulled only as fast as the client reads. */
export function csvStream(pieces: AsyncGenerator<string>, onDone?: (rows: number) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) {
          onDone?.(0);
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

export const EXPORT_FIXED_COLUMNS = FIXED_COLUMNS;
