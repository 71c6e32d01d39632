// What a tablet downloads for a survey's link besides the app itself: the link's bundle (the
// published version's definition, communities, rounds, the list of voices) and the voices' clips.
// Shown on the links page before a facilitator takes the link to a tablet.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { getVersion } from "~/models/surveys.server";
import { listRounds } from "~/models/rounds.server";
import { setBytes, versionVoices } from "~/models/voices.server";

export interface BundleSize {
  /** The link's bundle as JSON, uncompressed (the server compresses it on the way). */
  text: number;
  /** The distinct clips of the published version's voices (audio does not compress). */
  audio: number;
  clips: number;
}

export async function offlineBundleSize(db: Kysely<Database>, survey: { id: string; programmeId: string; latestVersion: number }): Promise<BundleSize | null> {
  if (survey.latestVersion === 0) return null;
  const definition = await getVersion(db, survey.id, survey.latestVersion);
  const communities = await db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", survey.programmeId).execute();
  const rounds = await listRounds(db, survey.programmeId);
  const voices = await versionVoices(db, survey.id, survey.latestVersion);
  const text = Buffer.byteLength(JSON.stringify({ definition, communities, rounds, voices }));
  return { text, audio: setBytes(voices), clips: voices.length };
}
