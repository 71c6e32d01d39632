// Recorded voices of a survey: clips stored once per survey by content hash, the working set the
// Voices page edits (version 0), and the set frozen with each published version. Functions take the
// database first; who may call them is checked by the routes (programme authors, or a link's holder).
import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import type { SurveyDefinition } from "~/survey/definition";
import { audioMatches, sniffAudio } from "~/voices/audio-check";
import { MAX_CLIP_BYTES, MAX_SURVEY_VOICE_BYTES, promptKeys, voiceType, type VoiceRef, type VoiceType } from "~/voices/prompts";

/** The working set: what the next published version will carry. */
export const WORKING_SET = 0;

/** A clip refused, with the HTTP status and the form field it is about. */
export class VoiceError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "VoiceError";
  }
}

const kb = (n: number) => `${Math.round(n / 1024)} KB`;

async function voicesOf(db: Kysely<Database> | Transaction<Database>, surveyId: string, version: number): Promise<VoiceRef[]> {
  const rows = await db
    .selectFrom("survey_voices as v")
    .innerJoin("voice_clips as c", (j) => j.onRef("c.survey_id", "=", "v.survey_id").onRef("c.hash", "=", "v.clip_hash"))
    .select(["v.prompt_key", "v.language", "v.clip_hash", "c.mime_type", "c.size"])
    .where("v.survey_id", "=", surveyId)
    .where("v.version", "=", version)
    .orderBy("v.prompt_key")
    .orderBy("v.language")
    .execute();
  return rows.map((r) => ({ prompt: r.prompt_key, language: r.language, hash: r.clip_hash, type: r.mime_type as VoiceType, size: Number(r.size) }));
}

/** The voices the Voices page shows and the next version will carry. */
export const workingVoices = (db: Kysely<Database>, surveyId: string) => voicesOf(db, surveyId, WORKING_SET);

/** The voices frozen with a published version (none for versions published before voices existed). */
export const versionVoices = (db: Kysely<Database>, surveyId: string, version: number) => voicesOf(db, surveyId, version);

/** Bytes of distinct clips in a set (one clip may speak several prompts). */
export function setBytes(voices: readonly VoiceRef[]): number {
  const seen = new Map<string, number>();
  for (const v of voices) seen.set(v.hash, v.size);
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

export interface NewVoice {
  surveyId: string;
  prompt: string;
  language: string;
  /** The content type sent with the clip (MediaRecorder's, or the file's). */
  contentType: string;
  bytes: Uint8Array;
  userId: string;
}

/**
 * Stores a clip as the working set's voice for one prompt and language (replacing any before it).
 * Refused, changing nothing: an empty or oversized clip, a type not accepted, bytes that are not that
 * type, or a working set that would pass the survey's total.
 */
export async function saveVoice(db: Kysely<Database>, input: NewVoice): Promise<VoiceRef> {
  // A file the browser gave no type (".opus" on some systems) is taken for what its bytes are.
  const type = input.contentType ? voiceType(input.contentType) : sniffAudio(input.bytes);
  if (!type) throw new VoiceError(400, "file", `file: audio of type "${input.contentType || "unknown"}" is not accepted; use WebM/Opus, Ogg, MP3, MP4/AAC or WAV.`);
  if (input.bytes.byteLength === 0) throw new VoiceError(400, "file", "file: the clip is empty.");
  if (input.bytes.byteLength > MAX_CLIP_BYTES)
    throw new VoiceError(413, "file", `file: the clip is ${kb(input.bytes.byteLength)}, more than the ${kb(MAX_CLIP_BYTES)} a clip may be; record a shorter one or save it at a lower bit rate.`);
  if (!audioMatches(type, input.bytes)) throw new VoiceError(400, "file", `file: this is not ${type} audio (its first bytes are not that format's).`);
  const hash = createHash("sha256").update(input.bytes).digest("hex").slice(0, 32);
  const size = input.bytes.byteLength;
  return db.transaction().execute(async (trx) => {
    const others = (await voicesOf(trx, input.surveyId, WORKING_SET)).filter((v) => !(v.prompt === input.prompt && v.language === input.language));
    const total = setBytes([...others, { prompt: input.prompt, language: input.language, hash, type, size }]);
    if (total > MAX_SURVEY_VOICE_BYTES)
      throw new VoiceError(413, "file", `file: with this clip the survey's voices would come to ${kb(total)}, more than the ${kb(MAX_SURVEY_VOICE_BYTES)} a tablet is asked to download; remove or shorten other clips first.`);
    await trx
      .insertInto("voice_clips")
      .values({ survey_id: input.surveyId, hash, mime_type: type, size, bytes: input.bytes, created_by: input.userId, created_at: nowIso() })
      .onConflict((oc) => oc.columns(["survey_id", "hash"]).doNothing())
      .execute();
    await trx
      .insertInto("survey_voices")
      .values({ survey_id: input.surveyId, version: WORKING_SET, prompt_key: input.prompt, language: input.language, clip_hash: hash, updated_by: input.userId, updated_at: nowIso() })
      .onConflict((oc) => oc.columns(["survey_id", "version", "prompt_key", "language"]).doUpdateSet({ clip_hash: hash, updated_by: input.userId, updated_at: nowIso() }))
      .execute();
    await dropUnusedClips(trx, input.surveyId);
    // The stored clip's own type (the same bytes sent again keep the type they were first stored with).
    const stored = await trx.selectFrom("voice_clips").select("mime_type").where("survey_id", "=", input.surveyId).where("hash", "=", hash).executeTakeFirstOrThrow();
    return { prompt: input.prompt, language: input.language, hash, type: stored.mime_type as VoiceType, size };
  });
}

/** Removes a prompt's voice in one language from the working set; published versions keep theirs. */
export async function removeVoice(db: Kysely<Database>, surveyId: string, prompt: string, language: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .deleteFrom("survey_voices")
      .where("survey_id", "=", surveyId)
      .where("version", "=", WORKING_SET)
      .where("prompt_key", "=", prompt)
      .where("language", "=", language)
      .executeTakeFirst();
    await dropUnusedClips(trx, surveyId);
    return Number(res.numDeletedRows) > 0;
  });
}

/** Clips no set of the survey uses any more: removed or replaced before any version was published with them. */
async function dropUnusedClips(trx: Transaction<Database>, surveyId: string) {
  await trx
    .deleteFrom("voice_clips")
    .where("survey_id", "=", surveyId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("survey_voices")
            .select("survey_voices.clip_hash")
            .whereRef("survey_voices.survey_id", "=", "voice_clips.survey_id")
            .whereRef("survey_voices.clip_hash", "=", "voice_clips.hash"),
        ),
      ),
    )
    .execute();
}

/**
 * Publishing: the working set's voices for prompts and languages the new version has become that
 * version's, for good. Called inside the publishing transaction. Later recordings change only the
 * working set, so they reach tablets with the next version.
 */
export async function freezeVoices(trx: Transaction<Database>, surveyId: string, version: number, def: SurveyDefinition): Promise<number> {
  const keys = promptKeys(def);
  const languages = new Set(def.languages.map((l) => l.code));
  const rows = (
    await trx.selectFrom("survey_voices").selectAll().where("survey_id", "=", surveyId).where("version", "=", WORKING_SET).execute()
  ).filter((r) => keys.has(r.prompt_key) && languages.has(r.language));
  if (rows.length === 0) return 0;
  await trx
    .insertInto("survey_voices")
    .values(rows.map((r) => ({ ...r, version })))
    .execute();
  return rows.length;
}

export interface StoredClip {
  type: VoiceType;
  bytes: Uint8Array;
}

async function clip(db: Kysely<Database>, surveyId: string, hash: string): Promise<StoredClip | undefined> {
  const row = await db.selectFrom("voice_clips").select(["mime_type", "bytes"]).where("survey_id", "=", surveyId).where("hash", "=", hash).executeTakeFirst();
  return row ? { type: row.mime_type as VoiceType, bytes: row.bytes } : undefined;
}

/** A clip of the survey, for its programme's people (the Voices page plays the working set and old versions). */
export const surveyClip = clip;

/** A clip for a link's holder: only one that a published version of the link's survey carries. */
export async function publishedClip(db: Kysely<Database>, surveyId: string, latestVersion: number, hash: string): Promise<StoredClip | undefined> {
  const used = await db
    .selectFrom("survey_voices")
    .select("clip_hash")
    .where("survey_id", "=", surveyId)
    .where("clip_hash", "=", hash)
    .where("version", ">", WORKING_SET)
    .where("version", "<=", latestVersion)
    .limit(1)
    .executeTakeFirst();
  return used ? clip(db, surveyId, hash) : undefined;
}
