// People and programmes the stories start from, created through the same functions the app uses.
import type { Kysely } from "kysely";
import type { Database, Role } from "../../db/schema";
import { createUser } from "../../app/models/users.server";
import { createCommunity, createProgramme, setMembership } from "../../app/models/programmes.server";
import type { Viewer } from "../../app/models/viewer";

export const PASSWORD = "correct horse battery";

let counter = 0;
export async function aUser(db: Kysely<Database>, name: string, opts: { admin?: boolean } = {}) {
  counter += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${counter}@example.org`;
  const user = await createUser(db, { email, displayName: name, password: PASSWORD, isAdmin: opts.admin });
  const viewer: Viewer = { id: user.id, email: user.email, displayName: user.displayName, isAdmin: user.isAdmin };
  return { ...user, viewer, password: PASSWORD };
}

export async function aProgramme(db: Kysely<Database>, name: string, members: { userId: string; role: Role }[] = []) {
  const id = await createProgramme(db, { name, country: "Kenya", description: "", minCellSize: 5 });
  for (const m of members) await setMembership(db, { programmeId: id, ...m });
  const communityId = await createCommunity(db, { programmeId: id, name: `${name} village`, region: "North" });
  return { id, communityId };
}

import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createLink } from "../../app/models/collection-links.server";
import { createRound } from "../../app/models/rounds.server";
import { getTemplate } from "../../app/survey-templates.server";

/**
 * A collection link made at the start of the year the stories' data are from: the sync API
 * refuses responses collected before their link existed (less a day of clock skew).
 */
export const LINKS_MADE_AT = "2026-01-01T00:00:00.000Z";
export async function aLink(db: Kysely<Database>, input: Parameters<typeof createLink>[1]) {
  const link = await createLink(db, input);
  await db.updateTable("collection_links").set({ created_at: LINKS_MADE_AT }).where("id", "=", link.id).execute();
  return link;
}

/** A programme with a published SDG 16 survey, a round and a collection link of the given mode. */
export async function aPublishedSurvey(
  db: Kysely<Database>,
  opts: { mode?: "kiosk" | "self"; maxResponses?: number; pin?: string; templateId?: string; edit?: (definition: any) => void } = {},
) {
  const facilitator = await aUser(db, "Survey Facilitator");
  const programme = await aProgramme(db, "Survey Programme", [{ userId: facilitator.id, role: "facilitator" }]);
  const definition = structuredClone(getTemplate(opts.templateId ?? "sdg16_core")!.definition);
  opts.edit?.(definition);
  const surveyId = await createSurvey(db, { programmeId: programme.id, definition, createdBy: facilitator.id });
  const published = await publishDraft(db, surveyId, facilitator.id);
  if (!published.ok) throw new Error("template did not publish");
  const roundId = await createRound(db, { programmeId: programme.id, name: `Baseline ${surveyId.slice(0, 4)}`, kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
  const link = await aLink(db, {
    surveyId,
    mode: opts.mode ?? "kiosk",
    label: "Tablet 1",
    communityId: programme.communityId,
    roundId,
    maxResponses: opts.maxResponses ?? null,
    pin: opts.pin ?? null,
    createdBy: facilitator.id,
  });
  return { facilitator, programme, surveyId, definition, roundId, link };
}

/** A complete, valid SDG 16 answer set. */
export const sdg16Answers = (over: Record<string, unknown> = {}) => ({
  safe_after_dark: "2",
  safe_daytime: "1",
  trust_police: "3",
  trust_courts: "2",
  would_report_crime: "1",
  report_to: "police",
  gender: "woman",
  age_band: "25_34",
  disability: "0",
  ...over,
});
