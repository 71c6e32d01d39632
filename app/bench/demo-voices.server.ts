// The demo survey with a recorded voice for every prompt in each of its languages, published: what
// the offline bundle and the collector's Lighthouse figures are measured on. Clips are synthesised
// (bench/wav.ts) at 2.5–5 seconds, 20–40 KB, about what a spoken prompt takes in Opus at 48 kbit/s.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { getLatestVersion, publishDraft, saveDraft } from "~/models/surveys.server";
import { saveVoice } from "~/models/voices.server";
import { voicePrompts } from "~/voices/prompts";
import { toneWav } from "./wav";

export async function recordDemoVoices(db: Kysely<Database>, surveyId: string, userId: string): Promise<{ clips: number; bytes: number; languages: number }> {
  const latest = await getLatestVersion(db, surveyId);
  if (!latest) throw new Error("The demo survey is not published.");
  const def = latest.definition;
  let clips = 0;
  let bytes = 0;
  for (const lang of def.languages) {
    for (const p of voicePrompts(def, lang.code)) {
      clips += 1;
      const seconds = 2.5 + ((clips * 7) % 26) / 10;
      const clip = toneWav(seconds, { seed: clips, hz: 220 + (clips % 12) * 20 });
      bytes += clip.byteLength;
      await saveVoice(db, { surveyId, prompt: p.key, language: lang.code, contentType: "audio/wav", bytes: clip, userId });
    }
  }
  await saveDraft(db, surveyId, def, userId);
  const published = await publishDraft(db, surveyId, userId, { acceptTranslationGaps: true });
  if (!published.ok) throw new Error("The demo survey with voices did not publish.");
  return { clips, bytes, languages: def.languages.length };
}
