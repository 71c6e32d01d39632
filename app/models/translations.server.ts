// Translation marks: for each survey, language and text key, the source text a translation was made from.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import { SurveyDefinitionSchema } from "~/survey";
import { editedKeys, translatableTexts, type TranslationMarks } from "~/translation/texts";

export async function getMarks(db: Kysely<Database>, surveyId: string, language: string): Promise<TranslationMarks> {
  const rows = await db.selectFrom("translation_marks").select(["key", "source"]).where("survey_id", "=", surveyId).where("language", "=", language).execute();
  return new Map(rows.map((r) => [r.key, r.source]));
}

/** Records that these keys' translations now follow these sources (upload, edit or confirmation). */
export async function recordMarks(db: Kysely<Database>, surveyId: string, language: string, marks: { key: string; source: string }[]): Promise<void> {
  if (!marks.length) return;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (const m of marks) {
      await trx
        .insertInto("translation_marks")
        .values({ survey_id: surveyId, language, key: m.key, source: m.source, marked_at: now })
        .onConflict((oc) => oc.columns(["survey_id", "language", "key"]).doUpdateSet({ source: m.source, marked_at: now }))
        .execute();
    }
  });
}

/**
 * After an editor save: a translation the author typed follows the current source from now on.
 * Drafts may be half-typed, so both are checked for shape first; a malformed one marks nothing.
 */
export async function markEditedTranslations(db: Kysely<Database>, surveyId: string, before: unknown, after: unknown): Promise<void> {
  const b = SurveyDefinitionSchema.safeParse(before);
  const a = SurveyDefinitionSchema.safeParse(after);
  if (!b.success || !a.success) return;
  const sources = new Map(translatableTexts(a.data).map((t) => [t.key, t.text[a.data.defaultLanguage] ?? ""]));
  for (const l of a.data.languages) {
    if (l.code === a.data.defaultLanguage) continue;
    const keys = editedKeys(b.data, a.data, l.code);
    await recordMarks(db, surveyId, l.code, keys.map((key) => ({ key, source: sources.get(key) ?? "" })));
  }
}
