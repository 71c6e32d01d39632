// A tablet's saved queue file brings its focus-group sessions and consent refusals in with its
// responses, through the link that made them (the file names it): the sessions are stored as the
// sessions API stores them, and the responses go in through the link, so each keeps its session and
// the community and round it was given there.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { resolveLink, type ResolvedLink } from "~/models/collection-links.server";
import { linkTarget, type IngestTarget } from "~/models/responses.server";
import { upsertSessions } from "~/models/sessions-fg.server";
import { SessionsBodySchema } from "~/models/session-body";

export interface QueueSessionsOutcome {
  /** Where the file's responses go: through its link, or (null) as any imported row. */
  target: IngestTarget | null;
  notes: string[];
}

/** One of this survey's links, by id, whatever its state: a revoked tablet's queue still comes in. */
async function linkOfSurvey(db: Kysely<Database>, surveyId: string, linkId: string): Promise<ResolvedLink | null> {
  const row = await db.selectFrom("collection_links").select("token").where("id", "=", linkId).where("survey_id", "=", surveyId).executeTakeFirst();
  return row ? resolveLink(db, row.token) : null;
}

export async function queueSessions(
  db: Kysely<Database>,
  input: { surveyId: string; commit: boolean; defaultCommunityId?: string | null; defaultRoundId?: string | null },
  body: unknown,
): Promise<QueueSessionsOutcome> {
  const file = body as { link?: { id?: unknown }; sessions?: unknown; refusals?: unknown };
  const sessionCount = Array.isArray(file.sessions) ? file.sessions.length : 0;
  const refusalCount = Array.isArray(file.refusals) ? file.refusals.length : 0;
  const what = `${sessionCount} focus-group session(s) and ${refusalCount} consent refusal(s)`;
  const linkId = typeof file.link?.id === "string" ? file.link.id : null;
  if (!linkId) {
    return {
      target: null,
      notes: sessionCount || refusalCount ? [`${what} in the file were not imported: the file does not name its collection link (it was saved by an older version of the app). Responses keep their session id.`] : [],
    };
  }
  const link = await linkOfSurvey(db, input.surveyId, linkId);
  if (!link) return { target: null, notes: [`The file names a collection link that is not one of this survey's: its ${what} were not imported, and its responses come in as any imported row.`] };
  const parsed = SessionsBodySchema.safeParse({ sessions: file.sessions ?? [], refusals: file.refusals ?? [] });
  const notes: string[] = [];
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    notes.push(`The file's sessions and refusals cannot be read (${issue.path.join(".")}: ${issue.message}): none of them were imported.`);
  } else if (sessionCount || refusalCount) {
    if (input.commit) await upsertSessions(db, link, parsed.data.sessions, parsed.data.refusals);
    notes.push(`${what} ${input.commit ? "were" : "will be"} imported with the link "${link.label}"; its responses keep their session, community and round.`);
  }
  // The link's own place first (as for its tablet's sync); the import's choices for what it leaves open.
  const target = linkTarget(link);
  return { target: { ...target, communityId: target.communityId ?? input.defaultCommunityId ?? null, roundId: target.roundId ?? input.defaultRoundId ?? null }, notes };
}
