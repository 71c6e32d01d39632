// Fixtures for the data-in-and-out stories: a survey with every answer type in two languages, its
// programme's people (facilitator, manager), communities, a round, and a way to store responses.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { SurveyDefinition } from "../../app/survey";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createCommunity } from "../../app/models/programmes.server";
import { createRound } from "../../app/models/rounds.server";
import { ingestInto } from "../../app/models/responses.server";
import { aProgramme, aUser } from "./fixtures";
import type { HttpClient } from "./http-client";

const two = (en: string, fr: string) => ({ en, fr });

export const marketSurvey = (): SurveyDefinition => ({
  title: two("Market safety", "Sécurité au marché"),
  languages: [
    { code: "en", name: "English", direction: "ltr" },
    { code: "fr", name: "Français", direction: "ltr" },
  ],
  defaultLanguage: "en",
  consent: two("Do you agree to take part?", "Acceptez-vous de participer ?"),
  questions: [
    {
      id: "safe_market",
      type: "scale",
      required: true,
      label: two("How safe do you feel at the market?", "Vous sentez-vous en sécurité au marché ?"),
      options: [
        { code: "1", label: two("Very safe", "Très sûr") },
        { code: "2", label: two("Safe", "Sûr") },
        { code: "3", label: two("Unsafe", "Pas sûr") },
        { code: "4", label: two("Very unsafe", "Très dangereux") },
        { code: "99", label: two("Don't know", "Ne sait pas") },
      ],
    },
    {
      id: "threats",
      type: "multiple",
      label: two("Which threats worry you?", "Quelles menaces vous inquiètent ?"),
      options: [
        { code: "theft", label: two("Theft", "Vol") },
        { code: "harassment", label: two("Harassment", "Harcèlement") },
        { code: "gangs", label: two("Gangs", "Bandes") },
      ],
    },
    {
      id: "top_threats",
      type: "ranking",
      maxPicks: 2,
      label: two("Rank the two biggest threats", "Classez les deux plus grandes menaces"),
      options: [
        { code: "theft", label: two("Theft", "Vol") },
        { code: "harassment", label: two("Harassment", "Harcèlement") },
        { code: "gangs", label: two("Gangs", "Bandes") },
      ],
    },
    {
      id: "visits",
      type: "number",
      integer: true,
      min: 0,
      max: 60,
      label: two("How many times did you go to the market last month?", "Combien de fois êtes-vous allé au marché le mois dernier ?"),
    },
    {
      id: "reported",
      type: "single",
      required: true,
      label: two("Did you report an incident?", "Avez-vous signalé un incident ?"),
      options: [
        { code: "1", label: two("Yes", "Oui") },
        { code: "0", label: two("No", "Non") },
      ],
    },
    {
      id: "reported_to",
      type: "single",
      required: true,
      showIf: { op: "equals", question: "reported", value: "1" },
      label: two("Who did you report it to?", "À qui l'avez-vous signalé ?"),
      options: [
        { code: "police", label: two("The police", "La police") },
        { code: "leader", label: two("A community leader", "Un chef communautaire") },
      ],
    },
    { id: "comment", type: "text", label: two("Anything else?", "Autre chose ?") },
    {
      id: "gender",
      type: "single",
      required: true,
      disaggregation: "gender",
      label: two("What is your gender?", "Quel est votre genre ?"),
      options: [
        { code: "woman", label: two("Woman", "Femme") },
        { code: "man", label: two("Man", "Homme") },
      ],
    },
  ],
  indicators: [
    {
      id: "feel_safe_market",
      kind: "share",
      label: two("Feel safe at the market", "Se sentent en sécurité au marché"),
      question: "safe_market",
      codes: ["1", "2"],
      denominator: { exclude: ["99"] },
      direction: "higher_is_better",
    },
  ],
});

export const marketAnswers = (over: Record<string, unknown> = {}) => ({
  safe_market: "2",
  threats: ["theft", "gangs"],
  top_threats: ["gangs", "theft"],
  visits: 4,
  reported: "0",
  gender: "woman",
  ...over,
});

/** A programme with a facilitator, a manager, two communities, a round and a published survey. */
export async function aMarketSurvey(db: Kysely<Database>, definition: SurveyDefinition = marketSurvey()) {
  const facilitator = await aUser(db, "Data Facilitator");
  const manager = await aUser(db, "Data Manager");
  const programme = await aProgramme(db, "Data Programme", [
    { userId: facilitator.id, role: "facilitator" },
    { userId: manager.id, role: "manager" },
  ]);
  const lakeside = await createCommunity(db, { programmeId: programme.id, name: `Lakeside ${randomUUID().slice(0, 4)}`, region: "South" });
  const roundId = await createRound(db, { programmeId: programme.id, name: `Baseline ${randomUUID().slice(0, 4)}`, kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
  const surveyId = await createSurvey(db, { programmeId: programme.id, definition, createdBy: facilitator.id });
  const published = await publishDraft(db, surveyId, facilitator.id);
  if (!published.ok) throw new Error(`survey did not publish: ${JSON.stringify(published)}`);
  return { facilitator, manager, programme, lakeside, roundId, surveyId, definition };
}

/** Stores responses as the sync API would (same ingest path), bound to a community and round. */
export async function storeResponses(
  db: Kysely<Database>,
  target: { surveyId: string; communityId: string | null; roundId: string | null },
  answers: Record<string, unknown>[],
  over: Record<string, unknown> = {},
) {
  const items = answers.map((a, i) => ({
    id: randomUUID(),
    surveyVersion: 1,
    collectedAt: new Date(Date.UTC(2026, 10, 1, 9, i % 60)).toISOString(),
    language: "en",
    answers: a,
    ...over,
  }));
  const results = await ingestInto(db, { ...target, linkId: null, maxResponses: null }, items, { source: "api" });
  const bad = results.filter((r) => r.status !== "created");
  if (bad.length) throw new Error(`not stored: ${JSON.stringify(bad.slice(0, 3))}`);
  return items.map((i) => i.id);
}

/** Waits until an import job (run by the server) reaches `state`; fails fast if it ends otherwise. */
export async function untilJob(db: Kysely<Database>, jobId: string, state: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.selectFrom("import_jobs").select(["state", "error"]).where("id", "=", jobId).executeTakeFirstOrThrow();
    if (job.state === state) return job;
    if (["done", "failed", "cancelled", "discarded"].includes(job.state)) throw new Error(`import job ended ${job.state}${job.error ? `: ${job.error}` : ""}, not ${state}`);
    if (Date.now() > until) throw new Error(`import job still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A facilitator's import through the Data page, as the browser does it: the upload (which becomes a
 * job whose dry run starts at once), the page once the dry run has run, then — unless `dryRunOnly` —
 * the decision to import and the page once the job is done. Returns both pages' HTML.
 */
export async function importThroughPage(
  web: HttpClient,
  db: Kysely<Database>,
  surveyId: string,
  file: { name: string; body: BlobPart; type?: string },
  opts: { fields?: Record<string, string>; dryRunOnly?: boolean } = {},
) {
  const page = `/surveys/${surveyId}/data`;
  const csrf = await web.csrfFrom(page);
  const form = new FormData();
  form.set("csrf", csrf);
  form.set("intent", "upload");
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.set(k, v);
  form.set("file", new Blob([file.body], file.type ? { type: file.type } : {}), file.name);
  const jobsOf = async () => (await db.selectFrom("import_jobs").select("id").where("survey_id", "=", surveyId).execute()).map((j) => j.id);
  const before = new Set(await jobsOf());
  const uploaded = await web.request(page, { method: "POST", body: form });
  if (uploaded.status !== 302) return { uploaded, dry: uploaded, done: null, jobId: null };
  const job = { id: (await jobsOf()).find((id) => !before.has(id))! };
  await untilJob(db, job.id, "checked");
  const dry = await web.get(page);
  if (opts.dryRunOnly) return { uploaded, dry, done: null, jobId: job.id };
  const decided = await web.submit(page, { intent: "import", jobId: job.id, ...(opts.fields ?? {}) }, { csrf });
  if (decided.status !== 302) return { uploaded, dry, done: decided, jobId: job.id };
  await untilJob(db, job.id, "done");
  return { uploaded, dry, done: await web.get(page), jobId: job.id };
}
